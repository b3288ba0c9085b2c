"""Migrations: the runner, upgrading past schemas' fixtures, backups first, too-new files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.errors import DatabaseTooNew
from incident_recorder.store.backup import list_backups
from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory
from incident_recorder.store.migrate import (
    Migration,
    MigrationError,
    MigrationSet,
    migrate,
    schema_version,
    split_statements,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUNDLED = MigrationSet.bundled()

Snapshot = Callable[[Path], dict[str, bytes]]


def fixture_copy(schema: int, data_dir: Path) -> bytes:
    """Copy the fixture database of ``schema`` into ``data_dir``; returns its key."""
    shutil.copyfile(FIXTURES / f"schema-{schema:04d}.db", data_dir / DATABASE_NAME)
    return bytes.fromhex((FIXTURES / f"schema-{schema:04d}.key").read_text().strip())


def with_extra(*extra: Migration) -> MigrationSet:
    return MigrationSet([*BUNDLED, *extra])


NEXT = BUNDLED.latest + 1
# Every schema has a fixture made by the version of the app it was newest in
# (tests/fixtures/make_fixtures.py).
SCHEMAS = list(range(1, BUNDLED.latest + 1))


# ------------------------------------------------------------------ past schemas


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_past_schema_fixture_upgrades(schema: int, data_dir: Path) -> None:
    key = fixture_copy(schema, data_dir)
    store = SqlStoreFactory(data_dir).open(key)
    try:
        assert store.schema_version == BUNDLED.latest
        assert store.integrity_problems() == []
        assert store.audit.verify() == []
        amended = store.incidents.by_reference("2025-0001")
        assert amended is not None and amended.version == 2
        assert [v.reason for v in store.incidents.versions(amended.id)] == [
            "",
            "Corrected the account",
        ]
        newer = store.incidents.by_reference("2026-0001")
        assert newer is not None
        # Every fixture saved the hold as "minutes": 3, before durations took seconds:
        # it reads as 3 minutes, and the stored version (and its hash) is unchanged.
        assert [(h.technique, h.seconds) for h in newer.details.intervention.holds] == [
            ("Single elbow", 180)
        ]
        assert store.settings.get().school.name == "Fictional Oak Primary School"
        assert {u.username for u in store.users.list()} == {"o.fixture", "p.placeholder"}
        assert [p.display_name for p in store.pupils.search("barty")] == ["Barty Sample"]
    finally:
        store.close()
    backups = list_backups(data_dir / "backups")
    assert len(backups) == (1 if schema < BUNDLED.latest else 0)


def test_there_is_a_fixture_for_every_schema() -> None:
    assert sorted(FIXTURES.glob("schema-*.db")) == [
        FIXTURES / f"schema-{schema:04d}.db" for schema in SCHEMAS
    ]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_the_fixture_is_at_its_schema(schema: int, data_dir: Path) -> None:
    key = fixture_copy(schema, data_dir)
    db = Connection.open(data_dir / DATABASE_NAME, key)
    try:
        assert schema_version(db) == schema
    finally:
        db.close()


@pytest.mark.parametrize("schema", SCHEMAS)
def test_the_fixture_schema_matches_the_shipped_migrations(
    schema: int, data_dir: Path, tmp_path: Path
) -> None:
    """If this fails, a shipped migration was edited (or the fixture is stale)."""
    key = fixture_copy(schema, data_dir)
    fixture = Connection.open(data_dir / DATABASE_NAME, key)
    fresh = Connection.open(tmp_path / "fresh.db", bytes(32))
    try:
        migrate(fresh, BUNDLED, target=schema)
        query = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        assert [tuple(r) for r in fixture.all(query)] == [tuple(r) for r in fresh.all(query)]
    finally:
        fixture.close()
        fresh.close()


# ------------------------------------------------------------------ the runner


def test_a_new_migration_runs_after_an_encrypted_backup(data_dir: Path) -> None:
    key = fixture_copy(SCHEMAS[-1], data_dir)
    extra = Migration(
        NEXT,
        "test_column",
        "ALTER TABLE pupils ADD COLUMN nickname TEXT NOT NULL DEFAULT '';\n"
        "CREATE INDEX pupils_nickname ON pupils (nickname);\n",
    )
    store = SqlStoreFactory(data_dir, migrations=with_extra(extra)).open(key)
    try:
        assert store.schema_version == NEXT
        assert store.connection.scalar("SELECT count(*) FROM pupils WHERE nickname = ''") == 3
    finally:
        store.close()

    (backup,) = list_backups(data_dir / "backups")
    assert f"schema{BUNDLED.latest:04d}-before-schema-{NEXT}" in backup.parent.name
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    copy = Connection.open(backup, key)  # same key
    try:
        assert schema_version(copy) == BUNDLED.latest
        assert copy.scalar("SELECT count(*) FROM incident_versions") == 3
        assert copy.all("PRAGMA integrity_check")[0][0] == "ok"
        names = {row[0] for row in copy.all("SELECT name FROM sqlite_master")}
        assert "audit_no_update" in names  # triggers come along
        seq = copy.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")
        assert seq == copy.scalar("SELECT max(seq) FROM audit")
    finally:
        copy.close()

    # Once migrated, opening again neither migrates nor backs up.
    SqlStoreFactory(data_dir, migrations=with_extra(extra)).open(key).close()
    assert len(list_backups(data_dir / "backups")) == 1


def test_a_failing_migration_changes_nothing(data_dir: Path) -> None:
    key = fixture_copy(SCHEMAS[-1], data_dir)
    bad = Migration(
        NEXT,
        "broken",
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    with pytest.raises(sqlcipher3.OperationalError):
        SqlStoreFactory(data_dir, migrations=with_extra(bad)).open(key)
    store = SqlStoreFactory(data_dir).open(key)
    try:
        assert store.schema_version == BUNDLED.latest
        tables = {r[0] for r in store.connection.all("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
    finally:
        store.close()
    assert len(list_backups(data_dir / "backups")) == 1  # the backup was made first


def test_a_migration_breaking_foreign_keys_is_rolled_back(data_dir: Path) -> None:
    key = fixture_copy(SCHEMAS[-1], data_dir)
    bad = Migration(NEXT, "orphans", "DELETE FROM users;\n")
    with pytest.raises(MigrationError, match="broken references"):
        SqlStoreFactory(data_dir, migrations=with_extra(bad)).open(key)
    store = SqlStoreFactory(data_dir).open(key)
    try:
        assert len(store.users.list()) == 2
        assert store.connection.pragma("foreign_keys") == 1
    finally:
        store.close()


def test_a_database_newer_than_the_app_is_refused_untouched(
    data_dir: Path, folder_snapshot: Snapshot
) -> None:
    key = fixture_copy(SCHEMAS[-1], data_dir)
    conn = sqlcipher3.connect(str(data_dir / DATABASE_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA user_version = {BUNDLED.latest + 5}")
    conn.close()
    before = folder_snapshot(data_dir)
    with pytest.raises(DatabaseTooNew) as refused:
        SqlStoreFactory(data_dir).open(key)
    assert f"schema version {BUNDLED.latest + 5}" in str(refused.value)
    assert f"schema versions up to {BUNDLED.latest}" in str(refused.value)
    assert folder_snapshot(data_dir) == before
    assert not (data_dir / "backups").exists()


def test_a_new_database_is_made_at_the_latest_schema_without_a_backup(data_dir: Path) -> None:
    SqlStoreFactory(data_dir).create(bytes(32)).close()
    db = Connection.open(data_dir / DATABASE_NAME, bytes(32))
    try:
        assert schema_version(db) == BUNDLED.latest
    finally:
        db.close()
    assert not (data_dir / "backups").exists()


def test_migrate_to_a_target_then_onwards(tmp_path: Path) -> None:
    extra = Migration(NEXT, "later", "CREATE TABLE later_table (id INTEGER PRIMARY KEY);")
    migrations = with_extra(extra)
    db = Connection.open(tmp_path / "step.db", bytes(32))
    try:
        seen: list[tuple[int, int]] = []
        assert migrate(db, migrations, target=1, before=lambda a, b: seen.append((a, b))) == [1]
        assert schema_version(db) == 1
        applied = migrate(db, migrations, before=lambda a, b: seen.append((a, b)))
        assert applied == list(range(2, NEXT + 1))
        assert seen == [(0, 1), (1, NEXT)]
        assert migrate(db, migrations) == []
    finally:
        db.close()


def test_migration_files_are_numbered_without_gaps(tmp_path: Path) -> None:
    assert [m.version for m in BUNDLED] == list(range(1, BUNDLED.latest + 1))
    (tmp_path / "0001_first.sql").write_text("CREATE TABLE a (id INTEGER);")
    (tmp_path / "0003_third.sql").write_text("CREATE TABLE c (id INTEGER);")
    with pytest.raises(MigrationError, match="0002"):
        MigrationSet.from_folder(tmp_path)
    (tmp_path / "0003_third.sql").rename(tmp_path / "2-second.sql")
    with pytest.raises(MigrationError, match="named like"):
        MigrationSet.from_folder(tmp_path)


def test_statements_are_split_with_triggers_whole() -> None:
    script = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (x TEXT DEFAULT 'a;b');\n"
        "CREATE TRIGGER t_no_delete BEFORE DELETE ON t\n"
        "BEGIN\n"
        "    SELECT RAISE(ABORT, 'no; never');\n"
        "END;\n"
        "-- trailing comment\n"
    )
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(MigrationError):
        split_statements("CREATE TABLE unfinished (x")
