"""ReviewService on in-memory fakes: who may see reviews, what it reads (submitted
records of the one pupil), the "plan reviews due" list, and the audit entries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import IncidentDetails, NewPupil, Role, SenStatus
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import DueReason
from incident_recorder.services.plans import PlanService
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from tests.fakes import DEFAULT_NOW, RENDERER, FakeSchool, new_school, sign_in_as
from tests.unit.test_review import eight_incidents


@pytest.fixture
def school() -> FakeSchool:
    return new_school()


@pytest.fixture
def senco(school: FakeSchool) -> Session:
    return sign_in_as(school, "p.shah", frozenset({Role.SENCO, Role.STAFF}), "Priya Shah")


def add_pupil(school: FakeSchool, first: str, **changes: object) -> int:
    return school.store.pupils.add(NewPupil(first, "Okafor", **changes)).id  # type: ignore[arg-type]


def submitted(school: FakeSchool, pupil_id: int, details: IncidentDetails) -> int:
    """A submitted record straight through the repository (no policy checks)."""
    repo, user = school.store.incidents, school.admin.user.id
    mine = dataclasses.replace(details, who=dataclasses.replace(details.who, pupil_id=pupil_id))
    draft = repo.create_draft(user, mine, DEFAULT_NOW)
    return repo.submit(draft.id, mine, user, DEFAULT_NOW).id


def save_plan(school: FakeSchool, senco: Session, pupil_id: int, start: date, review: date) -> None:
    school.clock.set(datetime(start.year, start.month, start.day, 9, tzinfo=UTC))
    plan = BehaviourPlan(pupil_id, written_by="Priya Shah", start_date=start, review_date=review)
    PlanService(senco, RENDERER).save(plan)
    school.clock.set(DEFAULT_NOW)


def test_the_review_counts_the_pupils_submitted_records_only(
    school: FakeSchool, senco: Session
) -> None:
    amara, tomasz = add_pupil(school, "Amara"), add_pupil(school, "Tomasz")
    for one in eight_incidents():
        submitted(school, amara, one.details)
    submitted(school, tomasz, eight_incidents()[0].details)
    school.store.incidents.create_draft(senco.user.id, eight_incidents()[1].details, DEFAULT_NOW)
    save_plan(school, senco, amara, date(2026, 1, 1), date(2026, 3, 1))

    review = ReviewService(senco, RENDERER).pupil_review(amara)

    assert review.incidents == 8
    assert review.with_hold == 5
    assert [w.incidents for w in review.weeks] == [2, 1, 1, 0, 1, 1, 0, 0, 2]
    assert next((s.strategy, s.tried, s.then_held) for s in review.strategies) == (
        "Calm voice",
        3,
        2,
    )
    assert [m.kind for m in review.markers] == ["plan_start", "plan_review"]
    assert review.timeline[0].kind == "plan"
    assert review.timeline[1].title.startswith("Incident ")
    assert ("pupil_review", f"pupil {amara}, 8 incident(s), 0 review(s)") in [
        (e.action, e.detail)
        for e in school.stores.data.audit  # type: ignore[union-attr]
    ]


@pytest.mark.parametrize(
    "roles",
    [
        frozenset({Role.SENCO}),
        frozenset({Role.SAFEGUARDING_LEAD}),
        frozenset({Role.ADMINISTRATOR, Role.SENCO}),
    ],
)
def test_reviewers_may_see_reviews(school: FakeSchool, roles: frozenset[Role]) -> None:
    amara = add_pupil(school, "Amara")
    session = sign_in_as(school, "s.griffiths", roles, "Siân Griffiths")
    assert ReviewService(session, RENDERER).may_review
    assert ReviewService(session, RENDERER).pupil_review(amara).incidents == 0
    assert ReviewService(session, RENDERER).reviews_due() == []


def test_staff_may_not_see_reviews(school: FakeSchool) -> None:
    amara = add_pupil(school, "Amara")
    staff = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    service = ReviewService(staff, RENDERER)
    assert not service.may_review
    with pytest.raises(NotAllowed):
        service.pupil_review(amara)
    with pytest.raises(NotAllowed):
        service.reviews_due()


def test_an_unknown_pupil_is_not_found(senco: Session) -> None:
    with pytest.raises(NotFound):
        ReviewService(senco, RENDERER).pupil_review(999)


def test_plan_reviews_due_across_the_school(school: FakeSchool, senco: Session) -> None:
    # The fake clock's today is 10/03/2026.
    overdue = add_pupil(school, "Amara")
    busy = add_pupil(school, "Tomasz")
    no_plan = add_pupil(school, "Siân")
    ehcp = add_pupil(school, "Kofi", sen_status=SenStatus.EHCP)
    calm = add_pupil(school, "Lena")
    add_pupil(school, "Ravi", looked_after=True)  # no incidents: not listed
    save_plan(school, senco, overdue, date(2025, 9, 1), date(2026, 3, 1))
    save_plan(school, senco, busy, date(2026, 1, 5), date(2026, 7, 1))
    save_plan(school, senco, calm, date(2026, 1, 5), date(2026, 7, 1))
    records = eight_incidents()  # 05/01/2026 to 05/03/2026
    for one in records:
        submitted(school, busy, one.details)
    for one in records[:2]:
        submitted(school, no_plan, one.details)
        submitted(school, calm, one.details)
    submitted(school, ehcp, records[0].details)

    rows = ReviewService(senco, RENDERER).reviews_due()
    assert [(r.pupil_id, r.reason, r.incidents) for r in rows] == [
        (overdue, DueReason.PAST_REVIEW_DATE, 0),
        (busy, DueReason.INCIDENTS_SINCE_PLAN, 8),
        (ehcp, DueReason.NEEDS_PLAN, 1),
        (no_plan, DueReason.NO_PLAN, 2),
    ]
    assert rows[0].days_overdue == 9
    assert rows[2].text.endswith("the pupil has an EHCP.")
    assert calm in {r.pupil_id for r in ReviewService(senco, RENDERER).reviews_due(threshold=2)}
    assert ("plan_reviews_due", "4 row(s), threshold 3") in [
        (e.action, e.detail)
        for e in school.stores.data.audit  # type: ignore[union-attr]
    ]


def test_the_threshold_must_be_at_least_one(senco: Session) -> None:
    with pytest.raises(InvalidInput):
        ReviewService(senco, RENDERER).reviews_due(threshold=0)


def test_an_administrator_alone_may_not_see_reviews(school: FakeSchool) -> None:
    """Reviews read incident records, which administrators see only through another role."""
    amara = add_pupil(school, "Amara")
    admin = sign_in_as(school, "it.admin", frozenset({Role.ADMINISTRATOR}), "Robin Osei")
    service = ReviewService(admin, RENDERER)
    assert not service.may_review
    with pytest.raises(NotAllowed):
        service.pupil_review(amara)
