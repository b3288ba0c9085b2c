"""The pupil review's timeline: incidents, plan versions and recorded reviews, in date
order (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from incident_recorder.domain.plan_reviews import PlanReviewRecord
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review_breakdowns import (
    NO_LOCATION,
    ReviewIncident,
    incident_day,
    tidy,
)
from incident_recorder.domain.reviews_due import plural


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    on: date
    at: time | None
    kind: str  # "incident", "plan" or "review"
    title: str
    detail: str
    incident_id: int | None = None
    plan_version: int | None = None
    review_id: int | None = None


def review_entry(review: PlanReviewRecord) -> TimelineEntry:
    assert review.held_on is not None
    outcome = review.outcome.label if review.outcome else "outcome not recorded"
    who = [tidy(p) for p in review.participants if p.strip()]
    if review.pupil_took_part:
        who.append("the pupil")
    if review.parents_took_part:
        who.append("parents or carers")
    parts = [f"With: {', '.join(who)}"] if who else []
    parts.append(f"{plural(len(review.incident_ids), 'incident')} considered")
    if review.next_review is not None:
        parts.append(f"next review {review.next_review:%d/%m/%Y}")
    return TimelineEntry(
        on=review.held_on,
        at=None,
        kind="review",
        title=f"Plan review: {outcome[0].lower()}{outcome[1:]}",
        detail="; ".join(parts),
        plan_version=review.plan_version,
        review_id=review.id,
    )


# On one day: the plan first (it was in force for that day's incidents), then the
# incidents by start time (no time last), then the review (it considered that day's
# incidents; "incidents since the last review" starts the day after).
_DAY_ORDER = {"plan": 0, "incident": 1, "review": 2}


def timeline_entries(
    dated: Sequence[ReviewIncident],
    plans: Sequence[BehaviourPlan],
    reviews: Sequence[PlanReviewRecord],
) -> tuple[TimelineEntry, ...]:
    entries = []
    for incident in dated:
        d = incident.details
        techniques = ", ".join(tidy(h.technique) for h in d.intervention.holds if h.technique)
        where = tidy(d.when_where.location) or NO_LOCATION
        entries.append(
            TimelineEntry(
                on=incident_day(incident),
                at=d.when_where.start,
                kind="incident",
                title=f"Incident {incident.reference}",
                detail=f"{where}; " + (techniques or "no hold recorded"),
                incident_id=incident.id,
            )
        )
    for plan in plans:
        if plan.start_date is None:
            continue
        review = f"review by {plan.review_date:%d/%m/%Y}" if plan.review_date else "no review date"
        entries.append(
            TimelineEntry(
                on=plan.start_date,
                at=None,
                kind="plan",
                title=f"Behaviour support plan version {plan.version} started",
                detail=review,
                plan_version=plan.version,
            )
        )
    entries.extend(review_entry(r) for r in reviews if r.held_on is not None)
    return tuple(
        sorted(
            entries,
            key=lambda e: (
                e.on,
                _DAY_ORDER[e.kind],
                e.at is None,
                e.at or time.min,
                e.incident_id or 0,
                e.plan_version or 0,
                e.review_id or 0,
            ),
        )
    )
