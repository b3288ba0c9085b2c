"""The governors' reports kept in a real encrypted store (schema 16): printed again
byte for byte with the hash re-checked, never changed or removed, and a PDF altered
behind the app's back refused. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

import pytest

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import Role
from incident_recorder.services.reports import ReportService
from incident_recorder.services.session import Session
from incident_recorder.store.connection import DatabaseError
from incident_recorder.store.database import SqlStore
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc
from tests.integration.oversight_sample import FINGERPRINT, PERIOD, TEXTS
from tests.unit.test_reports_service import _result

# The texts as kept: each box without the spaces around it.
KEPT = dataclasses.replace(TEXTS, impact=TEXTS.impact.strip())


def _service(store: SqlStore) -> ReportService:
    with store.transaction():
        member = store.staff.add("Halima Ionescu", "Deputy head")
        lead = store.users.add(
            "h.ionescu", member.full_name, frozenset({Role.SAFEGUARDING_LEAD}), member.id
        )
    return ReportService(Session(lead, store, FakeClock(utc(2027, 9, 14, 15))), RENDERER)


def test_a_kept_report_is_the_same_bytes_later(school: School) -> None:
    service = _service(school.store)
    saved = service.make_governors_report(_result(), TEXTS)
    [listed] = service.saved_reports()
    assert listed == saved
    assert (listed.period, listed.fingerprint, listed.texts) == (PERIOD, FINGERPRINT, KEPT)
    assert listed.made_by_name == "Halima Ionescu" and listed.made_at == utc(2027, 9, 14, 15)
    pdf = service.saved_pdf(saved.id)
    assert hashlib.sha256(pdf).hexdigest() == saved.pdf_sha256 and len(pdf) == saved.pdf_size
    assert school.store.audit.verify() == []


def test_a_kept_report_cannot_be_changed_or_removed(
    school: School, raw_sql: Callable[[str], list[tuple[object, ...]]]
) -> None:
    service = _service(school.store)
    saved = service.make_governors_report(_result(), TEXTS)
    for sql in (
        f"UPDATE governors_reports SET pdf = x'00' WHERE id = {saved.id}",
        f"DELETE FROM governors_reports WHERE id = {saved.id}",
    ):
        with pytest.raises(DatabaseError), school.store.transaction():
            school.store.connection.execute(sql)
    # Someone drops the guard and swaps the PDF: printing it again is refused.
    raw_sql("DROP TRIGGER governors_reports_no_update")
    raw_sql(f"UPDATE governors_reports SET pdf = x'255044462d' WHERE id = {saved.id}")
    with pytest.raises(InvalidInput, match="does not match the hash kept with it"):
        service.saved_pdf(saved.id)
