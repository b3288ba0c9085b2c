"""The demo's recorded plan reviews (see :mod:`incident_recorder.services.demo`).

Each demo pupil whose plan was revised has the review that revised it, recorded just
after version 2 was saved and considering their records so far. Where enough happened
after that, a second review, with no change to the plan, follows their latest record.
Everything here comes from the generated school, so the demo is the same every time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from incident_recorder.domain.generator import GeneratedIncident, GeneratedSchool
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.plans import BehaviourPlan

_UPDATED = (
    "{count} incidents since the plan began, most of them at transitions and in "
    "unstructured time. The calm corner helped when it was offered early. Added "
    "movement breaks every forty minutes and a check-in with the learning mentor "
    "after lunch."
)
_NO_CHANGE = (
    "Looked at the {count} incidents since the last review one by one. Staff are using "
    "the plan's strategies first and the triggers are the ones the plan names, so the "
    "plan stays as it is until the next review."
)
_PARENT_TITLES = ("Mrs", "Mr", "Ms")


@dataclass(frozen=True, slots=True)
class DemoReview:
    at: datetime  # local wall clock: when it was recorded
    review: PlanReviewRecord  # pupil_id is the generator's index; incident_ids empty
    records: tuple[int, ...]  # indexes into GeneratedSchool.incidents it considered


def demo_reviews(
    school: GeneratedSchool, plans: list[tuple[datetime, BehaviourPlan]], last_day: date
) -> list[DemoReview]:
    """The reviews of the pupils whose plans have a version 2, none after ``last_day``."""
    senco = school.users[1].full_name if len(school.users) > 1 else school.users[0].full_name
    out: list[DemoReview] = []
    for saved, plan in plans:
        if plan.version != 2 or plan.review_date is None or saved.date() > last_day:
            continue
        pupil = plan.pupil_id
        theirs = [
            (n, r)
            for n, r in enumerate(school.incidents)
            if r.submitted_at is not None and r.details.who.pupil_id == pupil
        ]
        family = school.pupils[pupil].last_name
        people = (
            f"{senco} (SENCO)",
            *_key_adults(school, [r for _, r in theirs], senco),
            f"Parent: {_PARENT_TITLES[pupil % len(_PARENT_TITLES)]} {family}",
        )
        first_at = saved + timedelta(minutes=10)
        before = tuple(n for n, r in theirs if r.submitted_at and r.submitted_at < first_at)
        out.append(
            DemoReview(
                first_at,
                PlanReviewRecord(
                    pupil_id=pupil,
                    held_on=saved.date(),
                    outcome=ReviewOutcome.PLAN_UPDATED,
                    reason=_UPDATED.format(count=len(before)),
                    participants=people,
                    pupil_took_part=plan.pupil_contributed,
                    parents_took_part=True,
                    next_review=plan.review_date,
                    plan_version=2,
                ),
                before,
            )
        )
        after = tuple(n for n, r in theirs if r.submitted_at and r.submitted_at > first_at)
        if len(after) < 2:
            continue
        latest = max(school.incidents[n].submitted_at or first_at for n in after)
        held_on = latest.date() + timedelta(days=1)
        if held_on > last_day or held_on <= saved.date():
            continue
        out.append(
            DemoReview(
                datetime.combine(held_on, time(15, 45)),
                PlanReviewRecord(
                    pupil_id=pupil,
                    held_on=held_on,
                    outcome=ReviewOutcome.NO_CHANGE,
                    reason=_NO_CHANGE.format(count=len(after)),
                    participants=people[:1] + people[-1:],
                    pupil_took_part=False,
                    parents_took_part=True,
                    next_review=held_on + timedelta(weeks=12),
                    plan_version=2,
                ),
                after,
            )
        )
    return out


def _key_adults(
    school: GeneratedSchool, records: list[GeneratedIncident], senco: str
) -> tuple[str, ...]:
    """The adult most often involved in the pupil's records, with their job."""
    involved = Counter(s.staff_id for r in records for s in r.details.who.staff)
    if not involved:
        return ()
    staff = school.staff[min(involved, key=lambda s: (-involved[s], s))]
    if staff.full_name == senco:
        return ()
    return (f"{staff.full_name} ({staff.job_title})",)
