"""Putting a backup back: finding one, checking it without changing it, and swapping it
in for the data folder's database with the one it replaces kept aside.

Nothing here decides who may restore or asks for a passphrase: that is
``services/restore.py``. The order of the swap is what keeps it safe when the PC is
switched off half way: the backup is checked first (read only), the current files are
moved aside (each a rename, synced), and the backup's database is copied in under a
hidden name and renamed into place last. At every moment either the old database is in
``replaced/`` and complete, or the restored one is in place and complete; a copy cut
short is never under the real name.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import DatabaseDamaged
from incident_recorder.infra.files import copy_file, move_into_place, sync_folder, write_private
from incident_recorder.services.ports import BackupFacts, ReplacedFiles
from incident_recorder.store.backup import (
    BACKUPS_FOLDER,
    DATABASE_FILE,
    KEYRING_FILE,
    MANIFEST_FILE,
    generations,
    open_read_only,
    read_generation,
)
from incident_recorder.store.connection import Connection, DatabaseError

log = logging.getLogger("incident_recorder.store")

REPLACED_FOLDER = "replaced"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class SqlBackupRestorer:
    """The ``BackupRestorer`` port over a data folder (``latest_schema``: the newest
    schema this app knows, so a backup from a newer app is refused)."""

    def __init__(self, data_dir: Path, latest_schema: int) -> None:
        self._data_dir = Path(data_dir)
        self._latest = latest_schema

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    def local_generations(self) -> list[Generation]:
        """The backups in the data folder's own ``backups/``, oldest first."""
        return generations(self._data_dir / BACKUPS_FOLDER)

    def generations_in(self, folder: Path) -> list[Generation]:
        return generations(folder)

    def describe(self, path: Path) -> Generation | None:
        """The backup at ``path``: a generation folder, its ``backup.json`` or its
        ``incidents.db``. None when it is not a whole backup."""
        folder = _generation_folder(Path(path))
        return None if folder is None else read_generation(folder)

    def folder_of(self, generation: Generation) -> Path:
        return Path(generation.location) / generation.name

    def facts(self, generation: Generation, data_key: bytes) -> BackupFacts:
        """What the backup holds, read from its database (not its manifest); raises
        DatabaseDamaged when it cannot be read with ``data_key``."""
        return _facts(self.folder_of(generation) / DATABASE_FILE, data_key)

    def current_facts(self, data_key: bytes) -> BackupFacts | None:
        """What the data folder's database holds now, read without changing it; None
        when there is none, or it cannot be read with this key (damaged, or another)."""
        path = self._data_dir / DATABASE_FILE
        if not path.is_file():
            return None
        try:
            return _facts(path, data_key)
        except (DatabaseError, DatabaseDamaged):
            return None

    def check(self, generation: Generation, data_key: bytes) -> list[str]:
        """Open the backup read only with ``data_key``: its schema against this app, the
        cipher and integrity checks, the schema's tables and triggers, and the audit
        chain. [] when it can be restored."""
        from incident_recorder.store.integrity import full_problems
        from incident_recorder.store.migrate import schema_version

        path = self.folder_of(generation) / DATABASE_FILE
        try:
            db = open_read_only(path, data_key)
        except DatabaseError:
            return [
                "This backup cannot be opened with that passphrase's key: it is damaged, or "
                "it belongs to another data folder."
            ]
        try:
            version = schema_version(db)
            if version > self._latest:
                return [
                    f"This backup was made by a newer version of Incident Recorder (its "
                    f"database is at version {version}; this app knows up to version "
                    f"{self._latest}). Install the newer version to restore it."
                ]
            return full_problems(db)
        except DatabaseError as error:
            return [f"This backup is damaged and cannot be restored ({error})."]
        finally:
            db.close()

    def put_in_place(
        self, generation: Generation, now: datetime, replace_keyring: bool
    ) -> ReplacedFiles:
        """Swap the (already checked) backup in. First its database (and keyring) are
        copied into the data folder under hidden names, so a full disk stops the restore
        with nothing changed; then the current database, its write-ahead log and (when
        ``replace_keyring``) its keyring are moved into ``replaced/<date-time>/`` (a
        rename each, needing no space); last the copies are renamed into place."""
        source = self.folder_of(generation)
        self._data_dir.mkdir(parents=True, exist_ok=True)  # a new PC
        current = self._data_dir / DATABASE_FILE
        keyring = self._data_dir / KEYRING_FILE
        copies = [(source / DATABASE_FILE, current)]
        if replace_keyring:
            copies.append((source / KEYRING_FILE, keyring))
        staged: list[tuple[Path, Path]] = []
        try:
            for origin, target in copies:
                hidden = target.with_name(f".{target.name}.restoring")
                with contextlib.suppress(FileNotFoundError):
                    hidden.unlink()
                staged.append((hidden, target))
                copy_file(origin, hidden)
        except BaseException:
            for hidden, _target in staged:
                with contextlib.suppress(OSError):
                    hidden.unlink()
            raise
        aside = self._aside_folder(now)
        moved: list[str] = []
        present = [Path(str(current) + s) for s in ("", *_SIDE_FILES)]
        present = [p for p in present if p.exists()]
        if replace_keyring and keyring.is_file():
            present.append(keyring)
        if present:
            aside.mkdir(parents=True, exist_ok=False)
            for path in present:
                move_into_place(path, aside / path.name)
                moved.append(path.name)
            sync_folder(aside)
        for hidden, target in staged:
            move_into_place(hidden, target)
        log.info("backup %s put in place (%d files kept aside)", generation.name, len(moved))
        return ReplacedFiles(folder=str(aside) if moved else "", names=tuple(moved))

    def put_keyring_in_place(self, generation: Generation, now: datetime) -> ReplacedFiles:
        """The backup's keyring written in place of the data folder's (write_private:
        a temporary file, synced, then renamed). A keyring that was there (damaged, or
        from elsewhere) is first copied into ``replaced/<date-time>/``, never deleted."""
        data = (self.folder_of(generation) / KEYRING_FILE).read_bytes()
        target = self._data_dir / KEYRING_FILE
        kept = ""
        if target.is_file():
            aside = self._aside_folder(now)
            aside.mkdir(parents=True, exist_ok=False)
            copy_file(target, aside / KEYRING_FILE)
            sync_folder(aside)
            kept = str(aside)
        write_private(target, data)
        log.info("the keyring of backup %s put in place", generation.name)
        return ReplacedFiles(folder=kept, names=(KEYRING_FILE,) if kept else ())

    def _aside_folder(self, now: datetime) -> Path:
        base = self._data_dir / REPLACED_FOLDER
        stamp = now.strftime("%Y%m%d-%H%M%S")
        folder, n = base / stamp, 1
        while folder.exists():
            n += 1
            folder = base / f"{stamp}-{n}"
        return folder


def _generation_folder(path: Path) -> Path | None:
    if path.is_dir() and (path / MANIFEST_FILE).is_file():
        return path
    if path.is_file() and path.name in (DATABASE_FILE, MANIFEST_FILE, KEYRING_FILE):
        return path.parent if (path.parent / MANIFEST_FILE).is_file() else None
    return None


def _facts(path: Path, data_key: bytes) -> BackupFacts:
    from incident_recorder.store.backup import _head, _records
    from incident_recorder.store.migrate import schema_version

    # Read only; with no write-ahead log beside it (a backup, or a database closed
    # properly) nothing at all is created beside the file.
    db = Connection.open_read_only(path, data_key)
    try:
        seq, entry_hash = _head(db)
        return BackupFacts(
            records=_records(db), audit_seq=seq, audit_hash=entry_hash, schema=schema_version(db)
        )
    finally:
        db.close()
