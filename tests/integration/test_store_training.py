"""Schema 12: the staff's positive-handling training on real encrypted files. Every
past schema's fixture upgrades to an empty table that takes an entry; the schema 12
fixture reads back its corrected entry and its removal; the rules in the database
refuse a change, a deletion, a second correction of one entry and an expiry before the
training. Everyone here is fictional."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from tests.integration.conftest import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _open(schema: int, data_dir: Path) -> SqlStore:
    shutil.copyfile(FIXTURES / f"schema-{schema:04d}.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / f"schema-{schema:04d}.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    assert isinstance(store, SqlStore)
    return store


@pytest.mark.parametrize("schema", list(range(1, 12)))
def test_every_older_schema_upgrades_to_an_empty_table_that_takes_an_entry(
    schema: int, data_dir: Path
) -> None:
    store = _open(schema, data_dir)
    try:
        assert store.training.in_force() == [] and not store.training.any_in_force()
        member = store.staff.list()[0]
        user = store.users.list()[0]
        saved = store.training.add(
            TrainingRecord(member.id, "Team-Teach", date(2026, 1, 5)), user.id, utc(2026, 1, 5)
        )
        assert saved.id is not None and saved.recorded_by_name == user.full_name
        assert store.training.any_in_force()
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_the_schema_12_fixture_keeps_its_correction_and_removal(data_dir: Path) -> None:
    store = _open(12, data_dir)
    try:
        staff = {m.full_name: m.id for m in store.staff.list()}
        head, ta = staff["Olu Fixture"], staff["Priya Placeholder"]
        assert [(r.staff_id, r.course, r.trained_on) for r in store.training.in_force()] == [
            (head, "Team-Teach", date(2025, 9, 2))
        ]
        assert [(k, e.course, n) for k, e, n in store.training.history(head)] == [
            ("entry", "Team-Tech", ""),
            ("entry", "Team-Teach", ""),
        ]
        assert [(k, n) for k, _, n in store.training.history(ta)] == [
            ("entry", ""),
            ("removal", "Typed for the wrong person."),
        ]
        assert store.audit.verify() == []
    finally:
        store.close()


def test_corrections_and_removals_replace_and_the_database_refuses_edits(
    data_dir: Path,
) -> None:
    store = _open(12, data_dir)
    try:
        member = store.staff.list()[0]
        user = store.users.list()[0].id
        first = store.training.add(
            TrainingRecord(member.id, "  MAPA  ", date(2026, 1, 5), date(2027, 6, 30), "Refresher"),
            user,
            utc(2026, 1, 5),
        )
        assert (first.course, first.expires_on, first.note) == (
            "MAPA",
            date(2027, 6, 30),
            "Refresher",
        )
        assert first.id is not None
        fixed = store.training.correct(
            first.id, TrainingRecord(member.id, "MAPA", date(2026, 1, 6)), user, utc(2026, 1, 6)
        )
        assert fixed.replaces == first.id and fixed.expires_on is None
        with pytest.raises(NotFound, match="in force"):
            store.training.correct(
                first.id, TrainingRecord(member.id, "MAPA", date(2026, 1, 7)), user, utc(2026, 1, 7)
            )
        assert fixed.id is not None
        store.training.remove(fixed.id, "Never attended.", user, utc(2026, 1, 8))
        assert fixed.id not in {r.id for r in store.training.in_force([member.id])}
        with pytest.raises(NotFound):
            store.training.remove(fixed.id, "Again.", user, utc(2026, 1, 9))
        with pytest.raises(NotFound):
            store.training.add(
                TrainingRecord(9999, "MAPA", date(2026, 1, 5)), user, utc(2026, 1, 5)
            )
        db = store.connection
        with pytest.raises(Exception, match="cannot be changed"):
            db.execute("UPDATE staff_training SET course = 'Something else'")
        with pytest.raises(Exception, match="cannot be deleted"):
            db.execute("DELETE FROM staff_training")
        with pytest.raises(Exception, match=r"CHECK|constraint"):
            db.execute(
                "INSERT INTO staff_training (staff_id, kind, course, trained_on, expires_on, "
                "recorded_at, recorded_by) VALUES (?, 'entry', 'MAPA', '2026-01-05', "
                "'2025-01-05', '2026-01-05T00:00:00+00:00', ?)",
                (member.id, user),
            )
        assert store.integrity_problems() == []
    finally:
        store.close()
