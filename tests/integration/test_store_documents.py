"""Schema 6 on the real encrypted file: documents produced, letter wording versions, the
logo and contacts with parents, all kept unchanged; the upgrade from schema 5 copies
each record's parents status for the "parents to tell" list."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.documents import DocumentKind, DocumentOutput, OutputHow
from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
)
from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory
from tests.integration.conftest import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def schema5(data_dir: Path):  # type: ignore[no-untyped-def]
    shutil.copyfile(FIXTURES / "schema-0005.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0005.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    yield store
    store.close()


def test_the_upgrade_copies_each_records_parents_status(schema5) -> None:  # type: ignore[no-untyped-def]
    assert schema5.schema_version >= 6
    rows = schema5._db.all(
        "SELECT i.parents_status, json_extract(v.details_json, '$.parents.status') AS truth "
        "FROM incidents AS i JOIN incident_versions AS v "
        "ON v.incident_id = i.id AND v.number = i.version WHERE i.status = 'submitted'"
    )
    assert rows, "the fixture holds submitted records"
    assert all(r["parents_status"] == r["truth"] for r in rows)


def test_outputs_templates_logo_and_contacts_are_kept(schema5) -> None:  # type: ignore[no-untyped-def]
    store = schema5
    user = store.users.list()[0]
    incident_id = int(store._db.scalar("SELECT min(id) FROM incidents WHERE status='submitted'"))
    now = utc(2026, 11, 20, 15)

    out = store.documents.add_output(
        DocumentOutput(
            incident_id, DocumentKind.LETTER, OutputHow.PRINTED, "a" * 64, 2, "Mrs A Nowak", 0
        ),
        user.id,
        now,
    )
    assert out.id and out.at == now and out.by_name == user.full_name
    assert store.documents.outputs_for(incident_id) == [out]
    with pytest.raises(NotFound):
        store.documents.add_output(
            DocumentOutput(99999, DocumentKind.RECORD, OutputHow.SAVED, "b" * 64, 1), user.id, now
        )

    assert store.documents.current_template() is None
    first = store.documents.add_template("Dear {child}", user.id, now)
    second = store.documents.add_template("Dear parent of {child}", user.id, now)
    assert (first.version, second.version) == (1, 2)
    assert store.documents.current_template() == second
    assert [t.version for t in store.documents.templates()] == [2, 1]
    assert store.documents.template(1).text == "Dear {child}"

    assert store.documents.logo() is None
    store.documents.set_logo(b"\x89PNG fake", user.id, now)
    assert store.documents.logo() == b"\x89PNG fake"
    store.documents.set_logo(None, user.id, now)
    assert store.documents.logo() is None

    told = store.parent_contacts.add(
        ParentContactEntry(
            incident_id,
            ContactEntryKind.ATTEMPT,
            datetime(2026, 11, 20, 15, 40),
            "phone",
            parent="Mrs A Nowak",
            outcome=AttemptOutcome.TOLD.value,
            by_whom="Mr B Fischer",
        ),
        user.id,
        now,
    )
    sent = store.parent_contacts.add(
        ParentContactEntry(
            incident_id,
            ContactEntryKind.LETTER_SENT,
            datetime(2026, 11, 20, 15, 10),
            LetterDelivery.HANDED.value,
        ),
        user.id,
        now,
    )
    assert [c.id for c in store.parent_contacts.for_incident(incident_id)] == [sent.id, told.id]

    for sql in (
        "UPDATE document_outputs SET how = 'saved'",
        "DELETE FROM letter_templates",
        "DELETE FROM parent_contacts",
    ):
        with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
            store._db.execute(sql)


def test_names_on_roll_narrows_the_roll_by_the_text(schema5) -> None:  # type: ignore[no-untyped-def]
    store = schema5
    from incident_recorder.domain.model import NewPupil

    store.pupils.add(NewPupil(first_name="Zoë", last_name="Okafor"))
    store.pupils.add(NewPupil(first_name="Mary-Jane", last_name="Kowalska"))
    store.pupils.add(NewPupil(first_name="Tomasz", last_name="Nowak", preferred_name="Tom"))
    store.pupils.add(NewPupil(first_name="Harriet", last_name="Bell"))
    from datetime import date

    found = store.pupils.names_on_roll(date(2026, 11, 20), "ZOE and mary saw Tom at lunch.")
    firsts = {p.first_name for p in found}
    assert {"Zoë", "Mary-Jane", "Tomasz"} <= firsts
    assert "Harriet" not in firsts
    assert store.pupils.names_on_roll(date(2026, 11, 20), "  ") == ()
