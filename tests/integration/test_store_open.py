"""Creating and opening the encrypted database: keys, pragmas, transactions, checks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from incident_recorder.domain.errors import AlreadySetUp, DatabaseDamaged, NotSetUp, WrongPassphrase
from incident_recorder.domain.model import NewPupil, Role, SchoolDetails, SchoolSettings
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, PLAINTEXT_DATABASE_NAME, SqlStore
from incident_recorder.store.migrate import MigrationSet

from .conftest import utc

Snapshot = Callable[[Path], dict[str, bytes]]


def test_set_up_then_sign_in_again(vault: FileKeyVault, factory: SqlStoreFactory) -> None:
    key, _ = vault.create("admin", "a long fictional passphrase")
    assert not factory.exists()
    store = factory.create(key)
    with store.transaction():
        store.settings.save(SchoolSettings(SchoolDetails("Fictional School", "3 Made-up Street")))
        staff = store.staff.add("Fay Fictive")
        store.users.add("admin", "Fay Fictive", frozenset({Role.ADMINISTRATOR}), staff.id)
        store.audit.append(1, "set_up", utc(2026, 2, 1))
    store.close()
    assert factory.exists()

    again = factory.open(vault.unlock("ADMIN", "a long fictional passphrase"))
    try:
        assert again.settings.get().school.name == "Fictional School"
        user = again.users.by_username("Admin")
        assert user is not None and user.full_name == "Fay Fictive"
        assert again.audit.verify() == []
        assert again.integrity_problems() == []
        assert again.schema_version == MigrationSet.bundled().latest
    finally:
        again.close()


def test_wrong_passphrase_leaves_every_file_byte_identical(
    vault: FileKeyVault, factory: SqlStoreFactory, data_dir: Path, folder_snapshot: Snapshot
) -> None:
    key, _ = vault.create("admin", "a long fictional passphrase")
    store = factory.create(key)
    store.pupils.add(NewPupil("Gwen", "Inventa"))
    store.close()
    before = folder_snapshot(data_dir)
    assert set(before) == {DATABASE_NAME, "keyring.json"}
    for name, passphrase in [("admin", "wrong"), ("ghost", "a long fictional passphrase")]:
        with pytest.raises(WrongPassphrase):
            vault.unlock(name, passphrase)
    assert folder_snapshot(data_dir) == before


def test_wrong_key_on_the_database_is_damage(
    factory: SqlStoreFactory, data_dir: Path, folder_snapshot: Snapshot
) -> None:
    factory.create(bytes(32)).close()
    before = folder_snapshot(data_dir)
    with pytest.raises(DatabaseDamaged, match="database file is damaged"):
        factory.open(bytes([1]) * 32)
    assert folder_snapshot(data_dir) == before


def test_a_file_that_is_not_a_database_is_damage(factory: SqlStoreFactory, data_dir: Path) -> None:
    (data_dir / DATABASE_NAME).write_bytes(os.urandom(8192))
    with pytest.raises(DatabaseDamaged):
        factory.open(bytes(32))


def test_open_before_set_up_and_create_twice(factory: SqlStoreFactory) -> None:
    with pytest.raises(NotSetUp):
        factory.open(bytes(32))
    factory.create(bytes(32)).close()
    with pytest.raises(AlreadySetUp):
        factory.create(bytes(32))


def test_the_key_must_be_32_bytes(factory: SqlStoreFactory) -> None:
    with pytest.raises(ValueError):
        factory.create(b"short")
    assert not factory.exists()


def test_pragmas(store: SqlStore) -> None:
    db = store.connection
    assert db.pragma("cipher_log_level") == "NONE"
    assert db.pragma("temp_store") == 2  # MEMORY: no plaintext temporary files
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("foreign_keys") == 1
    assert db.pragma("busy_timeout") == 5000
    assert db.pragma("synchronous") == 2  # FULL: a confirmed save is on disk
    assert db.pragma("cache_size") == -65536
    assert str(db.pragma("cipher_version")).startswith("4.")


def test_the_file_is_encrypted(store: SqlStore, data_dir: Path) -> None:
    store.pupils.add(NewPupil("Ines", "Unreal"))
    store.close()
    head = (data_dir / DATABASE_NAME).read_bytes()[:16]
    assert head != b"SQLite format 3\x00"


def test_transaction_commits_together(store: SqlStore) -> None:
    with store.transaction():
        store.staff.add("One Person")
        store.staff.add("Two Person")
    assert len(store.staff.list()) == 2


def test_transaction_rolls_back_on_error(store: SqlStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.staff.add("Lost Person")
        raise RuntimeError("boom")
    assert store.staff.list() == []
    assert not store.connection.in_transaction


def test_nested_transactions_join_the_outer_one(store: SqlStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.staff.add("Outer Person")
        with store.transaction():
            store.staff.add("Inner Person")
        raise RuntimeError("boom")
    assert store.staff.list() == []

    with store.transaction():
        store.staff.add("Kept Person")
        with pytest.raises(RuntimeError), store.transaction():
            store.staff.add("Undone Person")
            raise RuntimeError("inner only")
    assert [s.full_name for s in store.staff.list()] == ["Kept Person"]


def test_a_second_connection_sees_committed_work_only(store: SqlStore, data_dir: Path) -> None:
    other = SqlStoreFactory(data_dir).open(bytes(range(32)))
    try:
        with store.transaction():
            store.staff.add("Pending Person")
            assert other.staff.list() == []
        assert [s.full_name for s in other.staff.list()] == ["Pending Person"]
    finally:
        other.close()


def test_integrity_problems_of_a_sound_database(store: SqlStore) -> None:
    assert store.integrity_problems() == []


def test_integrity_problems_name_a_damaged_page(factory: SqlStoreFactory, data_dir: Path) -> None:
    key = bytes(range(32))
    store = factory.create(key)
    with store.transaction():
        for i in range(300):
            store.pupils.add(NewPupil(f"Pupil{i}", "Fictionalson"))
    store.close()
    path = data_dir / DATABASE_NAME
    data = bytearray(path.read_bytes())
    page = 4096 * 5 + 100  # inside page 6
    data[page : page + 8] = bytes(8) if data[page : page + 8] != bytes(8) else b"\xff" * 8
    path.write_bytes(bytes(data))
    try:
        damaged = factory.open(key)
    except DatabaseDamaged:
        return  # also acceptable: refused outright
    try:
        problems = damaged.integrity_problems()
    finally:
        damaged.close()
    assert problems
    assert "(page 6)" in problems[0]
    assert "changed outside Incident Recorder" in problems[0]


def test_closing_twice_is_harmless(store: SqlStore) -> None:
    store.close()
    store.close()
    assert store.closed


def test_plaintext_benchmark_switch_uses_another_file(data_dir: Path) -> None:
    plain = SqlStoreFactory(data_dir, plaintext_for_benchmark=True)
    store = plain.create(b"")
    store.pupils.add(NewPupil("Bench", "Markson"))
    store.close()
    path = data_dir / PLAINTEXT_DATABASE_NAME
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not (data_dir / DATABASE_NAME).exists()
    assert not SqlStoreFactory(data_dir).exists()
    reopened = plain.open(b"")
    try:
        assert [p.last_name for p in reopened.pupils.list()] == ["Markson"]
    finally:
        reopened.close()


def test_connection_refuses_to_run_without_temp_store_in_memory(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If temp_store ever read back as FILE, plaintext could reach temporary files."""
    real_connect = sqlcipher3.connect

    class TempStoreOnFile:
        def __init__(self, raw: Any) -> None:
            self._raw = raw

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "PRAGMA temp_store":
                return self._raw.execute("SELECT 1")
            return self._raw.execute(sql, *args)

        def close(self) -> None:
            self._raw.close()

    monkeypatch.setattr(
        sqlcipher3, "connect", lambda *a, **k: TempStoreOnFile(real_connect(*a, **k))
    )
    with pytest.raises(DatabaseDamaged, match="temporary data"):
        Connection.open(data_dir / "refused.db", bytes(32))


def test_a_wrong_key_writes_nothing_to_stderr(tmp_path: Path) -> None:
    """SQLCipher logs decryption failures to stderr unless silenced; run in a fresh process
    because the log level is process-wide."""
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from incident_recorder.domain.errors import DatabaseDamaged
        from incident_recorder.store.connection import Connection
        path = Path({str(tmp_path / "silent.db")!r})
        Connection.open(path, bytes(32)).execute("CREATE TABLE t (x)")
        try:
            Connection.open(path, bytes([7]) * 32)
        except DatabaseDamaged:
            print("refused")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.stdout.strip() == "refused", done.stderr
    assert done.stderr == ""


def test_using_a_closed_store_gives_a_plain_message(tmp_path: Path) -> None:
    """A timer firing after the app locked meets a message, not a crash."""
    from incident_recorder.domain.errors import SessionClosed
    from incident_recorder.domain.model import IncidentQuery
    from incident_recorder.store import SqlStoreFactory

    store = SqlStoreFactory(tmp_path).create(bytes(range(32)))
    store.close()
    with pytest.raises(SessionClosed, match="Sign in again"):
        store.incidents.search(IncidentQuery())
