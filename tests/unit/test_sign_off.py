"""Signing off records: the plain sentences (domain) and who may sign off what
(SignOffService on the fakes). Everyone here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Incident, NewPupil, Role
from incident_recorder.domain.sign_off import (
    SignOff,
    SignOffStatus,
    sign_off_rows,
    sign_off_state,
)
from incident_recorder.services.incidents import IncidentService, details_sha256
from incident_recorder.services.session import Session
from incident_recorder.services.sign_off import SignOffService
from tests.fakes import INCIDENT_DAY, FakeSchool, complete_details, new_school, sign_in_as

SHA = "ab" * 32
AT = datetime(2026, 11, 20, 16, 5, tzinfo=UTC)


def _signed(version: int, comment: str = "") -> SignOff:
    return SignOff(
        1, version, SHA, comment, id=version, signed_at=AT, signed_by=3,
        signed_by_name="Halima Ionescu",
    )  # fmt: skip


# --------------------------------------------------------------------------- domain


def test_a_record_with_no_sign_off_says_so() -> None:
    state = sign_off_state([], 1)
    assert state.status is SignOffStatus.NOT_SIGNED and not state.signed
    assert state.sentence == "Not signed off yet."


def test_the_latest_version_signed_off_names_who_and_when_in_local_time() -> None:
    state = sign_off_state([_signed(1), _signed(2)], 2, lambda m: m.replace(tzinfo=None))
    assert state.signed and state.latest is not None and state.latest.version == 2
    assert state.sentence == "Signed off by Halima Ionescu on 20/11/2026 at 16:05 (version 2)."
    summer = sign_off_state(
        [dataclasses.replace(_signed(1), signed_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC))],
        1,
        lambda m: (m + timedelta(hours=1)).replace(tzinfo=None),  # British Summer Time
    )
    assert "on 01/06/2026 at 10:00" in summer.sentence


def test_an_amendment_after_sign_off_asks_for_it_again() -> None:
    state = sign_off_state([_signed(1)], 2)
    assert state.status is SignOffStatus.AMENDED_SINCE and not state.signed
    assert state.sentence == (
        "Version 1 was signed off by Halima Ionescu on 20/11/2026 at 16:05; the record has "
        "been amended since, so it needs signing off again."
    )


def test_the_printed_rows_give_the_comment_only_in_the_full_record() -> None:
    full = sign_off_rows([_signed(1, "Spoke to the class teacher.")], for_parents=False)
    assert full == (
        ("20/11/2026 16:05", "Version 1 signed off by Halima Ionescu. "
         "Comment: Spoke to the class teacher."),
    )  # fmt: skip
    parents = sign_off_rows([_signed(1, "Spoke to the class teacher.")], for_parents=True)
    assert parents == (("20/11/2026 16:05", "Signed off by Halima Ionescu."),)
    assert sign_off_rows([], for_parents=True) == (("", "Not signed off yet."),)
    amended = sign_off_rows([_signed(1)], for_parents=False, latest_version=2)
    assert amended[-1] == ("", "Version 2, printed here, is not signed off yet.")
    assert len(sign_off_rows([_signed(1)], for_parents=True, latest_version=2)) == 1


# --------------------------------------------------------------------------- service


def _set_up() -> tuple[FakeSchool, Session, Session, Incident]:
    school = new_school()
    pupil = school.store.pupils.add(NewPupil("Mateo", "Fictional", upn="A123456789012"))
    staff = sign_in_as(school, "e.patel", full_name="Esha Patel")
    lead = sign_in_as(
        school, "h.ionescu", frozenset({Role.SAFEGUARDING_LEAD}), full_name="Halima Ionescu"
    )
    assert staff.user.staff_id is not None
    details = complete_details(pupil.id, staff.user.staff_id, INCIDENT_DAY)
    draft = IncidentService(staff).new_draft(details)
    done = school.store.incidents.submit(draft.id, details, staff.user.id, school.clock.now())
    return school, staff, lead, done


def test_a_safeguarding_lead_signs_off_the_latest_version_once() -> None:
    school, _staff, lead, incident = _set_up()
    service = SignOffService(lead)
    assert service.may_sign_off
    assert service.state(incident.id).sentence == "Not signed off yet."
    stored = service.sign_off(incident.id, "  Follow-up meeting booked.  ")
    assert stored.version == 1 and stored.comment == "Follow-up meeting booked."
    assert stored.signed_by_name == "Halima Ionescu"
    assert stored.version_sha256 == details_sha256(incident.details)
    assert service.state(incident.id).signed
    entry = school.store.audit.head()
    assert entry is not None and entry.action == "record_signed_off"
    assert entry.incident_id == incident.id and entry.detail == "version 1"
    assert entry.record_sha256 == details_sha256(incident.details)
    with pytest.raises(InvalidInput, match="signed off already"):
        service.sign_off(incident.id)
    assert len(service.history(incident.id)) == 1


def test_staff_and_senco_may_not_sign_off() -> None:
    school, staff, _lead, incident = _set_up()
    senco = sign_in_as(school, "a.robertson", frozenset({Role.SENCO}))
    for session in (staff, senco):
        service = SignOffService(session)
        assert not service.may_sign_off
        with pytest.raises(NotAllowed, match="does not allow you to sign off records"):
            service.sign_off(incident.id)
    assert school.store.sign_offs.for_incident(incident.id) == []


def test_a_draft_cannot_be_signed_off() -> None:
    school, _staff, lead, _incident = _set_up()
    lead_records = sign_in_as(school, "d.okafor", frozenset({Role.STAFF, Role.SAFEGUARDING_LEAD}))
    draft = IncidentService(lead_records).new_draft()
    with pytest.raises(InvalidInput, match="Only a submitted record"):
        SignOffService(lead_records).sign_off(draft.id)
    with pytest.raises(NotAllowed):  # someone else's draft cannot even be seen
        SignOffService(lead).sign_off(draft.id)


def test_an_amended_record_needs_signing_off_again() -> None:
    school, _staff, lead, incident = _set_up()
    service = SignOffService(lead)
    service.sign_off(incident.id)
    changed = dataclasses.replace(
        incident.details,
        what_happened=dataclasses.replace(
            incident.details.what_happened, account="The account, corrected."
        ),
    )
    school.store.incidents.amend(
        incident.id, changed, lead.user.id, "Corrected the account", school.clock.now()
    )
    state = service.state(incident.id)
    assert state.status is SignOffStatus.AMENDED_SINCE
    assert state.sentence.startswith("Version 1 was signed off by Halima Ionescu")
    again = service.sign_off(incident.id)
    assert again.version == 2 and again.version_sha256 == details_sha256(changed)
    assert service.state(incident.id).sentence.endswith("(version 2).")
    assert [s.version for s in service.history(incident.id)] == [1, 2]
