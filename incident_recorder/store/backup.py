"""Encrypted backup copies of the database, in ``<data folder>/backups/``.

``sqlcipher_export`` copies every table, index and trigger into a new file attached
without a KEY clause, which SQLCipher encrypts with the main database's key. Nothing
passes through a plaintext file. The copy is written under a temporary name, checked,
and only then given its final name.
"""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from incident_recorder.store.connection import Connection
from incident_recorder.store.migrate import schema_version

log = logging.getLogger("incident_recorder.store")

BACKUPS_FOLDER = "backups"
_LABEL = re.compile(r"^[a-z0-9-]{1,40}$")


def backup_database(
    db: Connection, folder: Path, label: str = "manual", now: datetime | None = None
) -> Path:
    """Copy the open database into ``folder`` as ``incidents-<UTC time>-schema<N>-<label>.db``,
    encrypted with the same key. Returns the new file's path."""
    if not _LABEL.match(label):
        raise ValueError("a backup label is 1-40 lower-case letters, digits or dashes")
    if db.in_transaction:
        raise RuntimeError("a backup cannot be made inside a transaction")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    version = schema_version(db)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"incidents-{moment:%Y%m%d-%H%M%S}-schema{version:04d}-{label}"
    final = folder / f"{stem}.db"
    counter = 1
    while final.exists():
        counter += 1
        final = folder / f"{stem}-{counter}.db"
    partial = final.with_name(final.name + ".partial")
    _remove(partial)
    # Without KEY, an attached database takes the main database's key (and with no key
    # on the main database, as in the benchmarks, it is plain SQLite too).
    db.execute("ATTACH DATABASE ? AS backup", (str(partial),))
    try:
        db.execute("SELECT sqlcipher_export('backup')")
        db.execute(f"PRAGMA backup.user_version = {int(version)}")
    finally:
        db.execute("DETACH DATABASE backup")
    try:
        _check_copy(db, partial, version)
        partial.replace(final)
    except BaseException:
        _remove(partial)
        raise
    log.info("backup written: %s", final.name)
    return final


def _check_copy(db: Connection, path: Path, version: int) -> None:
    """The copy opens with the same key, is sound, and holds the same tables."""
    db.execute("ATTACH DATABASE ? AS checking", (str(path),))
    try:
        found = db.scalar("PRAGMA checking.user_version")
        problems = [row[0] for row in db.all("PRAGMA checking.integrity_check")]
        original = db.all("SELECT type, name FROM main.sqlite_master ORDER BY type, name")
        copied = db.all("SELECT type, name FROM checking.sqlite_master ORDER BY type, name")
    finally:
        db.execute("DETACH DATABASE checking")
    if (
        int(found) != version
        or problems != ["ok"]
        or list(map(tuple, original)) != list(map(tuple, copied))
    ):
        raise OSError("the backup copy could not be checked")


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def list_backups(folder: Path) -> list[Path]:
    """Backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("incidents-*.db") if p.is_file())
