"""Staff statements on a real encrypted store: requests made with the submission,
every version kept unchanged (the triggers refuse UPDATE and DELETE), the audit check
still clean, and the printed record read back with pdftotext (the full record shows
each statement; the parents' copy only says how many the school keeps). Everyone
named here is fictional."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Incident, Role, StaffInvolvement, StaffPart
from incident_recorder.domain.statements import (
    Statement,
    StatementKind,
    StatementRequest,
    text_sha256,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.services.statements import StatementService
from incident_recorder.store.connection import DatabaseError
from tests.fakes import RENDERER, FakeClock, complete_details
from tests.integration.conftest import School, utc

ACCOUNT = (
    "I was on the corridor when Zoë ran past. I saw Mr Teacherly guide her by the elbow "
    "away from the window.\nShe was calm again by 10:20."
)


def _sessions(school: School) -> tuple[Session, Session, Session, FakeClock]:
    store = school.store
    with store.transaction():
        member = store.staff.add("Halima Ionescu", "Deputy headteacher")
        lead = store.users.add(
            "h.ionescu", member.full_name, frozenset({Role.SAFEGUARDING_LEAD}), member.id
        )
    clock = FakeClock(utc(2026, 3, 2, 15, 0))  # Monday
    return (
        Session(school.senco, store, clock),
        Session(school.teacher, store, clock),
        Session(lead, store, clock),
        clock,
    )


def _submitted(school: School, author: Session) -> Incident:
    assert school.senco.staff_id is not None
    details = complete_details(school.pupils[0].id, school.senco.staff_id, utc(2026, 3, 2).date())
    details = dataclasses.replace(
        details,
        who=dataclasses.replace(
            details.who,
            staff=(
                StaffInvolvement(school.senco.staff_id, StaffPart.CARRIED_OUT),
                StaffInvolvement(school.teacher_staff.id, StaffPart.WITNESSED),
                StaffInvolvement(school.assistant.id, StaffPart.ASSISTED),
            ),
        ),
    )
    service = IncidentService(author)
    return service.submit(service.new_draft(details).id, details)


def test_statements_are_kept_unchanged_and_the_audit_check_stays_clean(school: School) -> None:
    author, teacher, lead, clock = _sessions(school)
    incident = _submitted(school, author)
    store = school.store
    requests = store.statements.requests_for_incident(incident.id)
    assert [r.staff_id for r in requests] == [school.teacher_staff.id, school.assistant.id]
    assert all(r.requested_at == utc(2026, 3, 2, 15, 0) for r in requests)
    mine = StatementService(teacher)
    first = mine.write(requests[0].id or 0, ACCOUNT)
    clock.advance(minutes=20)
    second = mine.write(requests[0].id or 0, ACCOUNT + "\nI stayed with her class.")
    assert (first.version, second.version) == (1, 2)
    assert second.saved_by_name == "Tomasz Teacherly"
    assert store.statements.statements_for_incident(incident.id) == [first, second]
    assert [r.id for r in store.statements.waiting()] == [requests[1].id]
    clock.advance(days=1)
    assert [r.staff_name for r in StatementService(lead).outstanding()] == ["Aled Assistant"]
    StatementService(lead).mark_on_paper(requests[1].id or 0, "Pupil's file")
    assert store.statements.waiting() == []
    assert store.audit.verify() == []
    assert store.integrity_problems() == []
    db = store.connection
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.execute("UPDATE statements SET text = 'changed' WHERE id = ?", (first.id,))
    with pytest.raises(DatabaseError, match="cannot be removed"):
        db.execute("DELETE FROM statements WHERE id = ?", (first.id,))
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.execute("UPDATE statement_requests SET staff_id = 1")
    with pytest.raises(DatabaseError, match="cannot be removed"):
        db.execute("DELETE FROM statement_requests")
    # The repository itself refuses a second request, a skipped version and a wrong hash.
    with pytest.raises(InvalidInput, match="asked for this record already"):
        store.statements.add_request(
            StatementRequest(incident.id, school.teacher_staff.id, utc(2026, 3, 4), 1)
        )
    wrong = Statement(requests[0].id or 0, 5, StatementKind.ACCOUNT, "x", text_sha256("x"),
                      utc(2026, 3, 4), teacher.user.id)  # fmt: skip
    with pytest.raises(InvalidInput, match="the next is version 3"):
        store.statements.add_statement(wrong)
    with pytest.raises(InvalidInput, match="fingerprint"):
        store.statements.add_statement(dataclasses.replace(wrong, version=3, sha256="0" * 64))


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(out.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_printed_record_shows_each_statement_and_the_parents_copy_none(
    school: School, tmp_path: Path
) -> None:
    author, teacher, _lead, clock = _sessions(school)
    incident = _submitted(school, author)
    request = StatementService(teacher).my_requests()[0]
    clock.advance(minutes=45)
    StatementService(teacher).write(request.request.id or 0, ACCOUNT)
    records = RecordDocumentService(author, RENDERER)
    full = _pdf_text(records.render(incident.id, for_parents=False).data, tmp_path, "full")
    assert "Staff statements" in full
    # The two columns are laid out side by side: the name and the part wrap in the left.
    assert "Tomasz Teacherly Version 1, written 02/03/2026 at 15:45: (witnessed) I was" in full
    assert "guide her by the elbow" in full
    assert "Aled Assistant (assisted)" in full
    assert "Asked on 02/03/2026 at 15:00, not yet given (no account: ask them in person)." in full
    parents = _pdf_text(records.render(incident.id, for_parents=True).data, tmp_path, "parents")
    assert "Staff statements" in parents
    assert "Accounts from 1 member of staff involved are kept with the school's record." in parents
    assert "guide her by the elbow" not in parents and "Fingerprint" not in parents
    assert "ask them in person" not in parents
    shots = Path("/tmp/shots-statements")
    if shots.is_dir():  # a look at the page, for the person building this
        shutil.copy(tmp_path / "full.pdf", shots / "record-full.pdf")
        shutil.copy(tmp_path / "parents.pdf", shots / "record-parents.pdf")


def test_the_audit_check_finds_a_statement_changed_behind_the_apps_back(school: School) -> None:
    author, teacher, _lead, _clock = _sessions(school)
    incident = _submitted(school, author)
    request = StatementService(teacher).my_requests()[0]
    StatementService(teacher).write(request.request.id or 0, ACCOUNT)
    store = school.store
    assert store.audit.verify() == []
    db = store.connection
    db.execute("DROP TRIGGER statements_no_update")  # someone with the key and a tool
    db.execute("UPDATE statements SET text = 'I saw nothing.'")
    assert store.audit.verify() == [
        f"A staff statement on record {incident.reference} (version 1) has been changed: its "
        "text no longer matches its fingerprint."
    ]
    db.execute("UPDATE statements SET sha256 = ?", (text_sha256("I saw nothing."),))
    assert store.audit.verify() == [
        f"A staff statement on record {incident.reference} (version 1) has no matching audit "
        "entry: the entry that recorded it may have been removed."
    ]


def test_the_schema_11_fixture_keeps_its_statement_versions(data_dir: Path) -> None:
    from incident_recorder.store.database import SqlStoreFactory
    from tests.integration.test_store_migrations import fixture_copy

    key = fixture_copy(11, data_dir)
    store = SqlStoreFactory(data_dir).open(key)
    try:
        assert store.statements.waiting() == []
        [request] = store.statements.requests_for_incident(1)
        versions = store.statements.statements_for_requests([request.id or 0])
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].text == "A fictional statement, with the time: 10:16."
        assert versions[1].saved_by_name == "Priya Placeholder"
        assert store.audit.verify() == []
    finally:
        store.close()


def test_a_statement_being_written_is_kept_encrypted_until_it_is_saved(
    school: School, data_dir: Path
) -> None:
    author, teacher, lead, _clock = _sessions(school)
    incident = _submitted(school, author)
    service = StatementService(teacher)
    request_id = service.my_requests()[0].request.id or 0
    service.keep_draft(request_id, "I was on the corridor when")
    service.keep_draft(request_id, "I was on the corridor when Zoë ran past.")
    context = service.context(request_id)
    assert context.draft == "I was on the corridor when Zoë ran past."
    assert context.draft_kept_at is not None and f"{context.draft_kept_at:%H:%M}" == "15:00"
    # Only the person asked keeps or sees their draft.
    with pytest.raises(NotAllowed):
        StatementService(lead).keep_draft(request_id, "Not mine to write")
    assert StatementService(lead).context(request_id).draft == ""
    # Encrypted like everything else: the words are nowhere in the files.
    files = [p for p in data_dir.iterdir() if p.is_file()]
    assert any(p.name == "incidents.db" for p in files)
    for path in files:  # the database and its write-ahead log
        assert "Zoë ran past".encode() not in path.read_bytes()
    # Saving the statement removes the draft, in the same transaction.
    service.write(request_id, ACCOUNT)
    assert service.context(request_id).draft == ""
    assert school.store._db.scalar("SELECT count(*) FROM statement_drafts") == 0
    # An empty text removes a draft; a draft is never audited as a statement.
    service.keep_draft(request_id, "More to say")
    service.keep_draft(request_id, "  ")
    assert service.context(request_id).draft == ""
    audited = school.store._db.all("SELECT action FROM audit WHERE incident_id = ?", (incident.id,))
    assert not any("draft" in r["action"] for r in audited)
