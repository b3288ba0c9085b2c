"""Schema 10: the copies of the written record supplied to parents, on real encrypted
files. Every past schema's fixture upgrades to a table that takes a copy; the schema 10
fixture reads back its copy of version 1 (the record amended since, so the newer copy
is due); the rules in the database refuse a change, a removal, a copy without how and a
version the record does not have; a pupil aged 20 or over is never on the duties
list. Everyone here is fictional."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.parents_copy import CopyHow, CopySupply, SupplyKind, copy_status
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from tests.integration.conftest import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _open(schema: int, data_dir: Path) -> SqlStore:
    shutil.copyfile(FIXTURES / f"schema-{schema:04d}.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / f"schema-{schema:04d}.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    assert isinstance(store, SqlStore)
    return store


@pytest.mark.parametrize("schema", list(range(1, 10)))
def test_every_older_schema_upgrades_to_an_empty_table_that_takes_a_copy(
    schema: int, data_dir: Path
) -> None:
    store = _open(schema, data_dir)
    try:
        record = store.incidents.by_reference("2025-0001")
        assert record is not None
        assert store.parents_copies.for_incident(record.id) == []
        user = store.users.list()[0]
        saved = store.parents_copies.add(
            CopySupply(record.id, 2, datetime(2026, 1, 7, 9, 0), CopyHow.EMAILED, parent="Mum"),
            user.id,
            utc(2026, 1, 7, 9),
        )
        assert saved.id is not None and saved.recorded_by_name == user.full_name
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_the_schema_10_fixture_reads_back_its_copy_and_the_newer_version_is_due(
    data_dir: Path,
) -> None:
    store = _open(10, data_dir)
    try:
        record = store.incidents.by_reference("2025-0001")
        assert record is not None and record.version == 2
        [copy] = store.parents_copies.for_incident(record.id)
        assert (copy.version, copy.how, copy.parent, copy.by_whom) == (
            1, CopyHow.HANDED, "Mrs Testcase", "Olu Fixture",
        )  # fmt: skip
        assert copy.at == datetime(2025, 12, 1, 15, 30)
        status = copy_status([copy], record.version)
        assert status.newer_due and status.supplied_version == 1
        [row] = [r for r in store.parent_contacts.to_tell() if r.incident_id == record.id]
        assert row.newer_copy_due and "amended record not supplied" in row.missing
        assert store.audit.verify() == []
    finally:
        store.close()


def test_the_database_keeps_each_copy_unchanged_and_checks_what_comes_in(
    data_dir: Path,
) -> None:
    store = _open(10, data_dir)
    try:
        record = store.incidents.by_reference("2025-0001")
        assert record is not None
        user = store.users.list()[0]
        with pytest.raises(InvalidInput, match="no version 3"):
            store.parents_copies.add(
                CopySupply(record.id, 3, datetime(2026, 1, 7), CopyHow.POSTED),
                user.id,
                utc(2026, 1, 7),
            )
        with pytest.raises(InvalidInput, match="how"):
            store.parents_copies.add(
                CopySupply(record.id, 2, datetime(2026, 1, 7), None), user.id, utc(2026, 1, 7)
            )
        with pytest.raises(InvalidInput, match="why"):
            store.parents_copies.add(
                CopySupply(record.id, 2, datetime(2026, 1, 7), None, SupplyKind.NOT_NEEDED),
                user.id,
                utc(2026, 1, 7),
            )
        db = store.connection
        with pytest.raises(Exception, match="cannot be changed"):
            db.execute("UPDATE parents_copies SET parent = 'Someone else'")
        with pytest.raises(Exception, match="cannot be deleted"):
            db.execute("DELETE FROM parents_copies")
        declined = store.parents_copies.add(
            CopySupply(
                record.id, 2, datetime(2026, 1, 7, 10), None, SupplyKind.NOT_NEEDED,
                by_whom="Olu Fixture", note="Corrected a typing slip",
            ),
            user.id,
            utc(2026, 1, 7, 10),
        )  # fmt: skip
        assert declined.how is None
        # Decided against: the record's copy is up to date; telling and the letter remain.
        [row] = [r for r in store.parent_contacts.to_tell() if r.incident_id == record.id]
        assert row.copy_supplied and not row.newer_copy_due
        assert row.missing == "Not told yet; no letter sent"
    finally:
        store.close()


def test_a_pupil_aged_20_or_over_on_the_day_is_never_on_the_duties_list(
    data_dir: Path,
) -> None:
    store = _open(10, data_dir)
    try:
        record = store.incidents.by_reference("2026-0001")
        assert record is not None
        listed = {r.incident_id for r in store.parent_contacts.to_tell()}
        assert record.id in listed
        pupil = store.pupils.get(record.details.who.pupil_id or 0)
        day = record.details.when_where.date
        assert day is not None
        store.pupils.update(
            dataclasses.replace(pupil, date_of_birth=date(day.year - 20, day.month, day.day))
        )
        assert record.id not in {r.incident_id for r in store.parent_contacts.to_tell()}
        store.pupils.update(
            dataclasses.replace(pupil, date_of_birth=date(day.year - 20, day.month, day.day + 1))
        )
        assert record.id in {r.incident_id for r in store.parent_contacts.to_tell()}
        assert store.parent_contacts.to_tell_count() == len(store.parent_contacts.to_tell())
    finally:
        store.close()
