"""Issue 13's own check, on a real encrypted store: a record with a prone position and
an injury marked on the body map is submitted; the second member of staff named gives
their account; the safeguarding lead's desk lists it with what needs attention first;
the school office tells the parents and supplies the copy without ever reading the full
record; the lead decides the referral and signs it off, and the desk is clear.
Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date, datetime

import pytest

from incident_recorder.documents.record_pdf import render_record
from incident_recorder.domain.body_map import InjuryKind, InjuryMark
from incident_recorder.domain.desk import (
    INJURY_REVIEW,
    NOT_SUPPLIED,
    PRONE,
    PUPIL_INJURY,
    ReferralDecisionKind,
)
from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import (
    ContactMethod,
    FloorPosition,
    Injuries,
    Intervention,
    Role,
    StaffInvolvement,
    StaffPart,
    User,
    Who,
)
from incident_recorder.domain.parents_copy import CopyHow
from incident_recorder.domain.parents_told import AttemptOutcome
from incident_recorder.services.desk import DeskService
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.services.statement_requests import ask_named_staff
from incident_recorder.services.statements import StatementService
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc

SUBMITTED = utc(2026, 5, 11, 10)  # Monday 11 May 2026, 11:00 BST (after the duty began)
LATER = utc(2026, 5, 12, 8)  # the next morning
DAY = date(2026, 5, 11)


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _user(school: School, username: str, name: str, roles: set[Role]) -> User:
    with school.store.transaction():
        member = school.store.staff.add(name, "")
        return school.store.users.add(username, name, frozenset(roles), member.id)


def _as(school: School, user: User, now: datetime = LATER) -> Session:
    return Session(user, school.store, FakeClock(now))


def test_a_prone_hold_with_an_injury_is_followed_until_told_supplied_and_signed_off(
    school: School,
) -> None:
    second = _user(school, "p.okonjo", "Priya Okonjo", {Role.STAFF})
    lead = _user(school, "h.ionescu", "Halima Ionescu", {Role.SAFEGUARDING_LEAD})
    office = _user(school, "d.whitmore", "Dana Whitmore", {Role.OFFICE})
    pupil = school.pupils[0]
    base = school.details(pupil, day=DAY, account="Secret internal account of the hold.")
    assert school.teacher.staff_id is not None and second.staff_id is not None
    details = dataclasses.replace(
        base,
        who=Who(
            pupil.id,
            (
                StaffInvolvement(school.teacher.staff_id, StaffPart.CARRIED_OUT),
                StaffInvolvement(second.staff_id, StaffPart.ASSISTED),
            ),
        ),
        intervention=Intervention(
            floor_position=True, floor_positions=frozenset({FloorPosition.PRONE})
        ),
        injuries=Injuries(
            pupil_injured=True,
            pupil_injury="A graze",
            pupil_marks=(InjuryMark("front_right_elbow", InjuryKind.GRAZE, "small"),),
        ),
    )
    incident = school.submit(school.teacher, details, SUBMITTED)
    with school.store.transaction():
        ask_named_staff(_as(school, school.teacher, SUBMITTED), incident)

    # The second member of staff named signs in: their statement is asked of them.
    statements = StatementService(_as(school, second))
    [request] = statements.my_requests()
    assert request.request.incident_id == incident.id and request.latest is None
    assert request.request.id is not None
    statements.write(request.request.id, "I held Leo's left arm for under a minute.")
    assert statements.my_waiting_count() == 0

    # The safeguarding lead: the desk lists it, prone and injury first, not yet supplied.
    desk = DeskService(_as(school, lead))
    [row] = [r for r in desk.to_sign_off() if r.incident_id == incident.id]
    assert row.reasons[:2] == (PRONE, PUPIL_INJURY) and NOT_SUPPLIED in row.reasons
    [referral] = [r for r in desk.referrals() if r.incident_id == incident.id]
    assert INJURY_REVIEW in referral.open_items

    # The office: the record is on the parents' duties list; the copy, not the record.
    parents = ParentsService(_as(school, office))
    assert incident.id in {r.incident_id for r in parents.to_tell()}
    with pytest.raises(NotAllowed):
        IncidentService(_as(school, office)).open(incident.id)
    copy = RecordDocumentService(_as(school, office), RENDERER).build(incident.id, True)
    text = _pdf_text(render_record(copy))
    assert "Secret internal account" not in text and "right elbow" in text
    assert "Accounts from 1 member" in text and "Leo's left arm" not in text
    at = datetime(2026, 5, 11, 15, 30)
    parents.record_attempt(
        incident.id, at, ContactMethod.PHONE, AttemptOutcome.TOLD, "Mrs Fernandes", "Dana"
    )
    parents.record_copy_supplied(incident.id, at, CopyHow.HANDED, "Mrs Fernandes", "Dana")
    view = parents.view(incident.id)
    assert view.copy is not None and view.copy.up_to_date

    # The lead decides the referral and signs the record off: nothing waits for it.
    desk.record_referral_decision(
        incident.id, INJURY_REVIEW, ReferralDecisionKind.NOT_NEEDED, "First aid only."
    )
    SignOffService(_as(school, lead)).sign_off(incident.id)
    assert incident.id not in {r.incident_id for r in desk.to_sign_off()}
    assert incident.id not in {r.incident_id for r in desk.referrals()}
    full = RecordDocumentService(_as(school, lead), RENDERER).build(incident.id, False)
    text = _pdf_text(render_record(full))
    assert "Leo's left arm" in text and "Secret internal account" in text
    assert "signed off by Halima Ionescu" in text
    assert "Referral decisions by the safeguarding lead" in text
    assert "Injury reviewed: no referral needed, decided by Halima Ionescu" in text
    assert "First aid only." in text
    # The parents' copy never has them.
    copy = RecordDocumentService(_as(school, office), RENDERER).build(incident.id, True)
    text = _pdf_text(render_record(copy))
    assert "Referral decisions" not in text and "First aid only." not in text
    assert school.store.audit.verify() == [] and school.store.integrity_problems() == []
