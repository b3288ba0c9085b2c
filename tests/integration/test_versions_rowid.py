"""Schema 8 keeps record versions in an ordinary rowid table (a version's JSON fits in one
page instead of spilling into overflow pages): the upgrade keeps every version byte for
byte and every rule about history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _versions(db: Connection) -> list[tuple[object, ...]]:
    return [
        tuple(r)
        for r in db.all(
            "SELECT incident_id, number, details_json, saved_at, saved_by, reason, sha256 "
            "FROM incident_versions ORDER BY incident_id, number"
        )
    ]


def test_the_upgrade_keeps_every_version_and_every_rule(data_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "schema-0007.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0007.key").read_text().strip())
    before_dir = data_dir.parent / "before"
    before_dir.mkdir()
    shutil.copyfile(FIXTURES / "schema-0007.db", before_dir / DATABASE_NAME)
    # The versions as schema 7 held them, read without upgrading.
    raw = sqlcipher3.connect(str(before_dir / DATABASE_NAME))
    raw.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    old = [tuple(r) for r in raw.execute(
        "SELECT incident_id, number, details_json, saved_at, saved_by, reason, sha256 "
        "FROM incident_versions ORDER BY incident_id, number"
    )]  # fmt: skip
    raw.close()
    assert old

    store = SqlStoreFactory(data_dir).open(key)
    try:
        db = store.connection
        assert store.schema_version >= 8
        sql = str(db.scalar("SELECT sql FROM sqlite_master WHERE name = 'incident_versions'"))
        assert "WITHOUT ROWID" not in sql.upper()
        assert _versions(db) == old
        assert store.audit.verify() == []
        triggers = {
            str(r[0])
            for r in db.all(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'incident_versions'"
            )
        }
        assert triggers == {
            "incident_versions_no_update",
            "incident_versions_no_delete",
            "incident_versions_in_order",
        }
        for statement in (
            "UPDATE incident_versions SET reason = 'rewritten'",
            "DELETE FROM incident_versions",
        ):
            with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
                db.execute(statement)
    finally:
        store.close()
