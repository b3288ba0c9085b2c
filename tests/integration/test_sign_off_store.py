"""Sign-offs on a real encrypted store: kept unchanged, matched by the audit check, and
printed on the record. Everyone named here is fictional."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from incident_recorder.documents.record_pdf import render_record
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import IncidentQuery, IncidentSummary, Role
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.store.connection import DatabaseError
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def _lead_session(school: School) -> Session:
    store = school.store
    with store.transaction():
        member = store.staff.add("Halima Ionescu", "Deputy headteacher")
        lead = store.users.add(
            "h.ionescu", member.full_name, frozenset({Role.SAFEGUARDING_LEAD}), member.id
        )
    return Session(lead, store, FakeClock(utc(2026, 11, 20, 16, 5)))


def _listed(school: School, incident_id: int) -> IncidentSummary:
    page = school.store.incidents.search(IncidentQuery())
    return next(row for row in page.rows if row.id == incident_id)


def test_a_sign_off_is_kept_unchanged_and_the_audit_chain_checks_it(school: School) -> None:
    details = school.details(school.pupils[0], staff=(school.teacher_staff,))
    incident = school.submit(school.teacher, details, utc(2026, 3, 2, 11))
    session = _lead_session(school)
    service = SignOffService(session)
    stored = service.sign_off(incident.id, "Spoke to the class teacher; plan review booked.")
    assert stored.id is not None and stored.signed_by_name == "Halima Ionescu"
    assert stored.signed_at == utc(2026, 11, 20, 16, 5)
    assert stored.version_sha256 == details_sha256(details)
    assert school.store.sign_offs.for_incident(incident.id) == [stored]
    assert _listed(school, incident.id).signed_off  # shown in the incident list
    assert school.store.audit.verify() == []
    assert school.store.integrity_problems() == []
    with pytest.raises(InvalidInput, match="signed off already"):
        school.store.sign_offs.add(stored, session.user.id, utc(2026, 11, 21))
    db = school.store.connection
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.execute("UPDATE sign_offs SET comment = 'changed'")
    with pytest.raises(DatabaseError, match="cannot be removed"):
        db.execute("DELETE FROM sign_offs")
    # Amended afterwards: the old sign-off stands for version 1; version 2 needs another.
    school.amend(
        school.senco, incident, school.details(school.pupils[0], account="Corrected."), "Typo",
        utc(2026, 11, 21),
    )  # fmt: skip
    assert service.state(incident.id).sentence.startswith("Version 1 was signed off")
    assert not _listed(school, incident.id).signed_off  # the list asks for it again
    service.sign_off(incident.id)
    assert _listed(school, incident.id).signed_off
    assert [s.version for s in service.history(incident.id)] == [1, 2]
    assert school.store.audit.verify() == []


def test_the_printed_record_shows_the_sign_off(school: School) -> None:
    details = school.details(school.pupils[0], staff=(school.teacher_staff,))
    incident = school.submit(school.teacher, details, utc(2026, 3, 2, 11))
    session = _lead_session(school)
    documents = RecordDocumentService(session, RENDERER)
    before = _text(render_record(documents.build(incident.id, for_parents=False)))
    assert "Sign-off" in before and "Not signed off yet." in before
    SignOffService(session).sign_off(incident.id, "Follow-up meeting booked for Friday.")
    full = _text(render_record(documents.build(incident.id, for_parents=False)))
    assert "Version 1 signed off by Halima Ionescu" in full
    assert "20/11/2026 16:05" in full  # GMT in November: the same as UTC
    assert "Follow-up meeting booked for Friday." in full
    parents = _text(render_record(documents.build(incident.id, for_parents=True)))
    assert "Signed off by Halima Ionescu" in parents
    assert "Follow-up meeting" not in parents  # the comment is for the school's files
