"""Schema 15's ``incidents.facts`` (what the oversight figures read, copied from each
record's details): the migration fills it from the records already kept exactly as the
store writes it for a record saved now, old hold times in minutes included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory
from incident_recorder.store.list_columns import facts_json
from incident_recorder.store.migrate import MigrationSet
from tests.integration.conftest import School, utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _same(facts: dict[str, Any]) -> dict[str, Any]:
    return {**facts, "held_by": sorted(facts["held_by"])}  # a set: SQL keeps no order


def test_the_migration_fills_facts_as_the_store_writes_them(data_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "schema-0014.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0014.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    incidents = list(store.incidents.all_submitted())
    assert incidents
    for incident in incidents:
        stored = store.connection.one("SELECT facts FROM incidents WHERE id = ?", (incident.id,))
        assert stored is not None
        assert _same(json.loads(stored["facts"])) == _same(json.loads(facts_json(incident.details)))
    drafts = store.connection.all("SELECT facts FROM incidents WHERE status = 'draft'")
    assert all(json.loads(r["facts"])["kind"] is not None for r in drafts)
    store.close()


def test_minutes_and_untrimmed_text_are_read_as_the_app_reads_them(school: School) -> None:
    """The SQL of migration 0015 run over a version in the old form."""
    store = school.store
    details = school.details(school.pupils[0])
    done = school.submit(school.teacher, details, utc(2026, 3, 2, 12))
    old_form = {
        "intervention": {
            "holds": [
                {"minutes": 3, "technique": "Single elbow"},
                {"seconds": 40, "technique": "Escort"},
            ],
            "floor_position": True,
            "floor_positions": ["supine"],
            "kind": "restraint_without_force",
        },
        "deescalation": {"strategies": [], "other": "  \n "},
        "who": {
            "staff": [
                {"staff_id": 7, "part": "assisted"},
                {"staff_id": 7, "part": "carried_out"},
                {"staff_id": 9, "part": "witnessed"},
            ]
        },
    }
    [migration] = [m for m in MigrationSet.bundled() if m.version == 15]
    update = migration.sql[migration.sql.index("CREATE TEMP TABLE") :]
    update = update.replace(
        "SELECT i.id AS id, coalesce(v.details_json, i.draft_json) AS d",
        f"SELECT i.id AS id, '{json.dumps(old_form)}' AS d",
    )
    with store.transaction():
        for statement in update.split(";\n"):
            if statement.strip():
                store.connection.execute(statement)
    row = store.connection.one("SELECT facts FROM incidents WHERE id = ?", (done.id,))
    assert row is not None
    facts = json.loads(row["facts"])
    assert facts["longest_hold"] == 180 and facts["techniques"] == ["Single elbow", "Escort"]
    assert facts["floor"] == ["supine"] and facts["kind"] == "restraint_without_force"
    assert facts["deescalation"] == 0 and facts["held_by"] == [7]
