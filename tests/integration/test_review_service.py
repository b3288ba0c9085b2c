"""Recording plan reviews, the review threshold and the pupil summary through the
service, over the real encrypted database."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Incident, User
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import DueReason
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from incident_recorder.store.database import SqlStoreFactory
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc

TODAY = date(2026, 3, 10)  # the clock: 15:00 in London


@dataclasses.dataclass
class Setting:
    school: School
    zoe: int
    jonty: int
    zoes: list[Incident]  # submitted, 02/03, 03/03 and 04/03
    jontys: Incident  # submitted
    draft: Incident  # Zoë's, not submitted

    def service(self, user: User | None = None) -> ReviewService:
        clock = FakeClock(utc(2026, 3, 10, 15))
        return ReviewService(Session(user or self.school.senco, self.school.store, clock), RENDERER)

    def review(self, **changes: object) -> PlanReviewRecord:
        return dataclasses.replace(
            PlanReviewRecord(
                self.zoe,
                held_on=date(2026, 3, 4),
                outcome=ReviewOutcome.NO_CHANGE,
                reason="  Holds are shorter; the plan is working.  ",
                participants=(" Amara  Okafor (SENCO) ", "", "amara okafor (SENCO)", "Mum"),
                parents_took_part=True,
                incident_ids=tuple(i.id for i in self.zoes),
                next_review=date(2026, 6, 1),
            ),
            **changes,  # type: ignore[arg-type]
        )


@pytest.fixture
def setting(school: School) -> Setting:
    zoe, jonty, _ = school.pupils
    zoes = [
        school.submit(school.teacher, school.details(zoe, day=date(2026, 3, d)), utc(2026, 3, d))
        for d in (2, 3, 4)
    ]
    jontys = school.submit(school.teacher, school.details(jonty), utc(2026, 3, 2))
    draft = school.draft(school.teacher, school.details(zoe), utc(2026, 3, 5))
    plan = BehaviourPlan(zoe.id, start_date=date(2026, 2, 1), review_date=date(2026, 6, 1))
    with school.store.transaction():
        school.store.plans.add(plan, school.senco.id, utc(2026, 2, 1))
    return Setting(school, zoe.id, jonty.id, zoes, jontys, draft)


def audit_text(setting: Setting) -> str:
    return " ".join(f"{e.action} {e.detail}" for e in setting.school.store.audit.entries())


def test_a_recorded_review_is_tidied_linked_to_the_plan_and_audited_without_names(
    setting: Setting,
) -> None:
    service = setting.service()
    saved = service.record_review(setting.review())

    assert saved.id > 0 and saved.recorded_by_name == "Sade Sencoe"
    assert saved.participants == ("Amara Okafor (SENCO)", "Mum")
    assert saved.reason == "Holds are shorter; the plan is working."
    assert saved.plan_version == 1
    assert saved.incident_ids == tuple(sorted(i.id for i in setting.zoes))
    assert service.reviews(setting.zoe) == [saved]

    entry = setting.school.store.audit.entries(limit=2)[1]
    assert entry.action == "plan_review_recorded"
    assert entry.detail == (
        f"pupil {setting.zoe} review {saved.id}, plan version 1, 3 incident(s) considered, "
        "no_change"
    )
    text = audit_text(setting)
    for private in ("Amara", "Okafor", "Mum", "Zoë", "Fabricated", "Holds are shorter"):
        assert private not in text


def test_the_pupil_review_shows_the_review_and_what_is_left_to_review(setting: Setting) -> None:
    service = setting.service()
    first, second, third = setting.zoes
    service.record_review(setting.review(held_on=date(2026, 3, 3), incident_ids=(first.id,)))

    review = service.pupil_review(setting.zoe)
    assert [r.held_on for r in review.reviews] == [date(2026, 3, 3)]
    assert review.not_yet_reviewed == (second.id, third.id)
    assert [e.kind for e in review.timeline] == [
        "plan",
        "incident",
        "incident",
        "review",
        "incident",
    ]


def test_reviews_due_counts_only_the_incidents_after_the_last_review(setting: Setting) -> None:
    service = setting.service()
    before = [r for r in service.reviews_due(threshold=1) if r.pupil_id == setting.zoe]
    assert [(r.reason, r.incidents) for r in before] == [(DueReason.INCIDENTS_SINCE_PLAN, 3)]

    service.record_review(setting.review(held_on=date(2026, 3, 3)))
    after = [r for r in service.reviews_due(threshold=1) if r.pupil_id == setting.zoe]
    assert [(r.reason, r.incidents, r.since) for r in after] == [
        (DueReason.INCIDENTS_SINCE_PLAN, 1, date(2026, 3, 3))  # only 04/03
    ]
    assert after[0].text.startswith("1 incident since the last review on 03/03/2026")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": date(2026, 3, 11)}, "The review date cannot be in the future."),
        (
            {"next_review": date(2026, 3, 4)},
            "The next review must be after the date of this review.",
        ),
        ({"participants": (" ", "")}, "Say who took part in the review."),
    ],
)
def test_a_review_with_problems_is_refused_and_not_saved(
    setting: Setting, changes: dict[str, object], message: str
) -> None:
    service = setting.service()
    with pytest.raises(InvalidInput, match=message):
        service.record_review(setting.review(**changes))
    assert service.reviews(setting.zoe) == []


def test_a_review_can_consider_only_this_pupils_submitted_records(setting: Setting) -> None:
    service = setting.service()
    with pytest.raises(InvalidInput) as other:
        service.record_review(setting.review(incident_ids=(setting.jontys.id,)))
    assert str(other.value) == (
        f"Record {setting.jontys.reference} is about another pupil, so this review cannot "
        "consider it."
    )
    with pytest.raises(InvalidInput, match="still a draft"):
        service.record_review(setting.review(incident_ids=(setting.draft.id,)))
    assert service.reviews(setting.zoe) == []


def test_only_a_senco_or_the_safeguarding_lead_may_record_a_review(setting: Setting) -> None:
    for user in (setting.school.teacher, setting.school.admin):
        with pytest.raises(NotAllowed):
            setting.service(user).record_review(setting.review())
    assert setting.service().reviews(setting.zoe) == []


def test_the_threshold_is_saved_for_the_school_and_used_by_default(
    setting: Setting, data_dir: Path, data_key: bytes
) -> None:
    service = setting.service()
    assert service.threshold == 3
    zoes = [(r.reason, r.incidents) for r in service.reviews_due() if r.pupil_id == setting.zoe]
    assert zoes == [(DueReason.INCIDENTS_SINCE_PLAN, 3)]

    setting.service(setting.school.admin).set_threshold(4)
    assert service.threshold == 4
    assert [r for r in service.reviews_due() if r.pupil_id == setting.zoe] == []
    assert "review_threshold_set from 3 to 4" in audit_text(setting)
    assert "plan_reviews_due 1 row(s), threshold 4" in audit_text(setting)

    reopened = SqlStoreFactory(data_dir).open(data_key)
    try:
        assert reopened.settings.get().review_incident_threshold == 4
    finally:
        reopened.close()


def test_the_threshold_must_be_sensible_and_set_by_the_right_people(setting: Setting) -> None:
    for wrong in (0, 51):
        with pytest.raises(InvalidInput, match="from 1 to 50"):
            setting.service().set_threshold(wrong)
    with pytest.raises(NotAllowed):
        setting.service(setting.school.teacher).set_threshold(5)
    assert setting.service().threshold == 3


def test_the_summary_has_the_pupil_plan_figures_and_who_printed_it(setting: Setting) -> None:
    service = setting.service()
    summary = service.summary(setting.zoe)
    assert summary.pupil.id == setting.zoe
    assert summary.school.name == "Fictional Willow Academy"
    assert summary.plan is not None and summary.plan.version == 1
    assert summary.review.incidents == 3
    assert (summary.printed_on, summary.printed_by) == (TODAY, "Sade Sencoe")

    service.summary_printed(setting.zoe, "saved as PDF")
    entry = setting.school.store.audit.entries(limit=1)[0]
    assert (entry.action, entry.detail) == (
        "pupil_summary_print",
        f"pupil {setting.zoe}, saved as PDF",
    )
