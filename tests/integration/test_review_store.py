"""The pupil review and the "plan reviews due" list over the real encrypted database:
the same hand-counted figures as the unit tests, read back through SQLCipher."""

from __future__ import annotations

import dataclasses
from datetime import date

from incident_recorder.domain.model import IncidentDetails, NewPupil, SenStatus
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import DueReason
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc
from tests.unit.test_review import eight_incidents


def for_pupil(details: IncidentDetails, pupil_id: int) -> IncidentDetails:
    return dataclasses.replace(details, who=dataclasses.replace(details.who, pupil_id=pupil_id))


def test_review_and_reviews_due_from_the_encrypted_store(school: School) -> None:
    store = school.store
    zoe, jonty, keira = (p.id for p in school.pupils)
    with store.transaction():
        looked_after = store.pupils.add(
            NewPupil("Siân", "Invented", sen_status=SenStatus.SEN_SUPPORT, looked_after=True)
        )
        for one in eight_incidents():
            school.submit(school.teacher, for_pupil(one.details, zoe), utc(2026, 3, 9))
        school.submit(
            school.teacher, for_pupil(eight_incidents()[0].details, jonty), utc(2026, 3, 9)
        )
        school.submit(
            school.teacher,
            for_pupil(eight_incidents()[1].details, looked_after.id),
            utc(2026, 3, 9),
        )
        school.draft(school.teacher, for_pupil(eight_incidents()[2].details, zoe), utc(2026, 3, 9))
        for version, start in ((1, date(2026, 1, 1)), (2, date(2026, 2, 10))):
            due = date(2026, 3, 1) if version == 1 else date(2026, 3, 9)
            plan = BehaviourPlan(zoe, written_by="Sade Sencoe", start_date=start, review_date=due)
            store.plans.add(plan, school.senco.id, utc(start.year, start.month, start.day))
        store.plans.add(
            BehaviourPlan(keira, start_date=date(2026, 1, 5), review_date=date(2026, 9, 1)),
            school.senco.id,
            utc(2026, 1, 5),
        )
    session = Session(school.senco, store, FakeClock(utc(2026, 3, 10, 15)))
    service = ReviewService(session, RENDERER)

    review = service.pupil_review(zoe)
    assert review.incidents == 8  # the draft is not counted
    assert [m.incidents for m in review.months] == [4, 2, 2]
    assert [(t.technique, t.holds, t.seconds) for t in review.techniques] == [
        ("Friendly hold (standing)", 3, 8 * 60),
        ("Single elbow", 2, 6 * 60),
        ("Wrap", 1, 2 * 60),
    ]
    assert [e.plan_version for e in review.timeline if e.kind == "plan"] == [1, 2]
    assert [w.incidents for w in review.weeks] == [2, 1, 1, 0, 1, 1, 0, 0, 2]

    rows = service.reviews_due(threshold=2)
    assert [(r.pupil_id, r.reason, r.incidents) for r in rows] == [
        (zoe, DueReason.PAST_REVIEW_DATE, 8),  # version 2's review date, 09/03, has passed
        (zoe, DueReason.INCIDENTS_SINCE_PLAN, 2),  # 7 and 8; 6 (09/02) came before version 2
        # pupils with SEND or looked after come before others without a plan
        (looked_after.id, DueReason.NEEDS_PLAN, 1),
        (jonty, DueReason.NO_PLAN, 1),
    ]
    assert rows[0].days_overdue == 1
    assert rows[1].since == date(2026, 2, 10)
    assert [e.action for e in store.audit.entries(limit=2)] == [
        "plan_reviews_due",
        "pupil_review",
    ]
