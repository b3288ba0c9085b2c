"""On close (and so on locking, signing out and quitting) the write-ahead log is copied
into the database file and emptied: the database file alone holds every saved row."""

from __future__ import annotations

import shutil
from pathlib import Path

from incident_recorder.domain.model import NewPupil
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory


def _wal(folder: Path) -> Path:
    return folder / f"{DATABASE_NAME}-wal"


def _rows_in_the_file_alone(db_file: Path, elsewhere: Path, data_key: bytes) -> int:
    """Open a copy of the database file, without its -wal or -shm, and count pupils."""
    elsewhere.mkdir()
    shutil.copy2(db_file, elsewhere / DATABASE_NAME)
    alone = SqlStoreFactory(elsewhere).open(data_key)
    try:
        return len(alone.pupils.search("", 1000))
    finally:
        alone.close()


def test_closing_empties_the_write_ahead_log_into_the_database_file(
    store: SqlStore, data_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    # A second connection stays open, as a worker's does, so SQLite's own checkpoint
    # when the last connection closes cannot be what empties the log.
    other = SqlStoreFactory(data_dir).open(data_key)
    try:
        for n in range(40):
            store.pupils.add(NewPupil("Ines", f"Unreal{n}"))
        assert _wal(data_dir).stat().st_size > 0  # the saves are in the log so far
        store.close()
        assert not _wal(data_dir).exists() or _wal(data_dir).stat().st_size == 0
        assert _rows_in_the_file_alone(data_dir / DATABASE_NAME, tmp_path / "copy", data_key) == 40
    finally:
        other.close()


def test_a_checkpoint_waits_only_briefly_for_another_reader(
    store: SqlStore, data_dir: Path, data_key: bytes
) -> None:
    import time

    other = SqlStoreFactory(data_dir).open(data_key)
    try:
        store.pupils.add(NewPupil("Ines", "Unreal"))
        other.connection.execute("BEGIN")
        other.pupils.search("", 10)  # a read transaction on an older snapshot
        store.pupils.add(NewPupil("Ines", "Unreal2"))
        started = time.monotonic()
        assert store.connection.checkpoint() is False
        assert time.monotonic() - started < 3  # not the full five-second busy timeout
        other.connection.execute("COMMIT")
        assert store.connection.checkpoint() is True
        assert _wal(data_dir).stat().st_size == 0
    finally:
        other.close()
