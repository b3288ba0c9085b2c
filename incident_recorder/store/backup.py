"""Encrypted backups, as generations in ``<data folder>/backups/`` (and copies of them in a
second folder the administrator chooses).

A generation is a folder with the layout of a data folder: ``incidents.db`` (a copy made
with ``sqlcipher_export`` on a connection of its own, never by copying the live file, so
it is encrypted with the same data key and nothing passes through plaintext),
``keyring.json`` (the keyring as it was, so any passphrase of that day, or the recovery
code, opens it) and ``backup.json`` (what it holds: when, why, schema, records, the audit
chain's newest entry). It is written under a hidden temporary name, checked, and only
then renamed into place, so a half-made backup is never taken for a whole one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from incident_recorder.domain.backups import UNCHANGING_ACTIONS, Generation
from incident_recorder.domain.errors import DatabaseDamaged, StorageProblem
from incident_recorder.infra.files import copy_folder, move_into_place, sync_folder, write_private
from incident_recorder.store.connection import Connection
from incident_recorder.store.migrate import schema_version

log = logging.getLogger("incident_recorder.store")

BACKUPS_FOLDER = "backups"
DATABASE_FILE = "incidents.db"
KEYRING_FILE = "keyring.json"
MANIFEST_FILE = "backup.json"
INDEX_FILE = "index.json"
MANIFEST_FORMAT = "incident-recorder-backup"
_LABEL = re.compile(r"^[a-z0-9-]{1,40}$")
_NAME = re.compile(r"^\d{8}-\d{6}-schema\d{4}-[a-z0-9-]{1,40}(-\d+)?$")


class BackupFailed(OSError):
    """A backup could not be made or copied (the plain reason is the message)."""


# ------------------------------------------------------------------ making one


def make_backup(
    db: Connection,
    data_dir: Path,
    label: str = "manual",
    now: datetime | None = None,
    app_version: str = "",
    folder: Path | None = None,
) -> Generation:
    """A new generation of the open database (and the data folder's keyring) in
    ``folder`` (default: the data folder's ``backups/``)."""
    if not _LABEL.match(label):
        raise ValueError("a backup label is 1-40 lower-case letters, digits or dashes")
    if db.in_transaction:
        raise RuntimeError("a backup cannot be made inside a transaction")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    version = schema_version(db)
    shelf = folder or data_dir / BACKUPS_FOLDER
    shelf.mkdir(parents=True, exist_ok=True)
    stem = f"{moment:%Y%m%d-%H%M%S}-schema{version:04d}-{label}"
    name, counter = stem, 1
    while (shelf / name).exists():
        counter += 1
        name = f"{stem}-{counter}"
    partial = shelf / f".{name}.partial"
    _remove_tree(partial)
    partial.mkdir()
    try:
        target = partial / DATABASE_FILE
        # Without KEY, an attached database takes the main database's key (and with no
        # key on the main database, as in the benchmarks, it is plain SQLite too).
        db.execute("ATTACH DATABASE ? AS backup", (str(target),))
        try:
            # One read transaction: the copy, its audit head and its mark are one moment's,
            # whatever other connections (the window's) save meanwhile.
            db.execute("BEGIN")
            try:
                head, mark, records = _head(db), changes_mark(db), _records(db)
                db.execute("SELECT sqlcipher_export('backup')")
                db.execute(f"PRAGMA backup.user_version = {int(version)}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.execute("DETACH DATABASE backup")
        _check_copy(db, target, version)
        keyring = data_dir / KEYRING_FILE
        if keyring.is_file():
            write_private(partial / KEYRING_FILE, keyring.read_bytes())
        generation = Generation(
            name=name,
            made_at=moment,
            label=label,
            schema=version,
            records=records,
            audit_seq=head[0],
            audit_hash=head[1],
            app_version=app_version,
            size_bytes=target.stat().st_size,
            location=str(shelf),
            mark=mark,
        )
        write_private(partial / MANIFEST_FILE, json.dumps(_manifest(generation), indent=2))
        sync_folder(partial)
        move_into_place(partial, shelf / name)
    except BaseException as error:
        _remove_tree(partial)
        if isinstance(error, sqlcipher3.DatabaseError | StorageProblem):
            raise _as_backup_failed(error) from None
        raise
    log.info("backup written: %s", name)
    write_index(shelf)
    return generation


def _as_backup_failed(error: Exception) -> BackupFailed:
    """SQLite's refusal while writing the copy, as a BackupFailed with its errno."""
    text = str(error).lower()
    if "full" in text:
        return BackupFailed(errno.ENOSPC, "the disk is full")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return BackupFailed(errno.EACCES, "the backups folder cannot be written to")
    return BackupFailed(errno.EIO, f"the copy could not be written ({type(error).__name__})")


def backup_database(
    db: Connection, folder: Path, label: str = "manual", now: datetime | None = None
) -> Path:
    """A generation of the open database in ``folder`` (the data folder's ``backups/``,
    whose parent holds the keyring); returns the path of its database file."""
    made = make_backup(db, folder.parent, label, now, folder=folder)
    return folder / made.name / DATABASE_FILE


def changes_mark(db: Connection) -> str:
    """What a generation keeps in its manifest to tell later whether anything has been
    recorded since: "newest audit seq|drafts N|newest draft save". Every change but a
    draft's save is audited; a draft's save moves its time. Read from indexes (the
    drafts are a search on ``incidents_list``, whose first column is the status), so it
    is quick on the largest database."""
    try:
        row = db.one(
            "SELECT (SELECT coalesce(max(seq), 0) FROM audit) AS seq,"
            " (SELECT count(*) FROM incidents WHERE status = 'draft') AS n,"
            " (SELECT coalesce(max(updated_at), '') FROM incidents WHERE status = 'draft')"
            " AS saved"
        )
    except Exception:  # a database without the tables yet (set-up)
        return ""
    return "" if row is None else f"{row['seq']}|drafts {row['n']}|{row['saved']}"


def _drafts_part(mark: str) -> str:
    """A mark without its audit seq: what the drafts looked like (a mark written by an
    earlier version, over every record, never matches: one more backup is made)."""
    return mark.partition("|")[2]


_UNCHANGING = tuple(sorted(UNCHANGING_ACTIONS))
_CHANGED_AFTER = (
    "SELECT EXISTS (SELECT 1 FROM audit WHERE seq > ? AND action NOT IN"
    f" ({', '.join('?' * len(_UNCHANGING))}))"
)


def changed_since(db: Connection, generation: Generation) -> bool:
    """Whether anything a school would restore for has been recorded since
    ``generation`` was made: an audit entry after the generation's head that is not one
    of the read-only kinds (a sign-in, a record looked at, the backups' own entries), or
    a draft saved or discarded. The chain must still run through the generation's head
    (a database replaced by another copy has changed). Cheap on the largest database:
    one row looked up by its seq, a walk over the entries written since the backup
    (stopping at the first change), and the mark's two index reads."""
    try:
        if generation.audit_seq:
            row = db.one("SELECT entry_hash FROM audit WHERE seq = ?", (generation.audit_seq,))
            if row is None or str(row["entry_hash"]) != generation.audit_hash:
                return True
        if db.scalar(_CHANGED_AFTER, (generation.audit_seq, *_UNCHANGING)):
            return True
    except Exception:  # a database without the tables yet (set-up)
        return changes_mark(db) != generation.mark
    return _drafts_part(changes_mark(db)) != _drafts_part(generation.mark)


def _records(db: Connection) -> int:
    try:
        return int(db.scalar("SELECT count(*) FROM incidents WHERE status = 'submitted'") or 0)
    except Exception:  # a database without the table yet (set-up)
        return 0


def _head(db: Connection) -> tuple[int, str]:
    try:
        row = db.one("SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1")
    except Exception:
        return 0, ""
    return (0, "") if row is None else (int(row["seq"]), str(row["entry_hash"]))


def _check_copy(db: Connection, path: Path, version: int) -> None:
    """The copy opens with the same key, every page of it reads back as SQLCipher wrote
    it, and it holds the same tables at the same schema version.

    The pages' own check (``cipher_integrity_check``: each page's HMAC, which covers its
    number and its bytes) and not SQLite's ``integrity_check``: every page of the copy
    was written by SQLite's own B-tree code, in this process, from a database checked at
    sign-in (the quick check at open, the full one in the background), so what can go
    wrong afterwards is the bytes as they were stored: a page flipped, torn, zeroed or
    cut off, each of which fails its HMAC or the page count. It costs a third of the
    full check at full size (docs/performance.md). ``backups check`` and every restore
    still run the full checks and the audit chain before a backup is trusted."""
    try:
        found, problems, pages, page_size, original, copied = _read_copy(db, path)
    except (sqlcipher3.DatabaseError, DatabaseDamaged):
        raise BackupFailed(errno.EIO, "the copy could not be read back") from None
    if (
        int(found) != version
        or problems
        or pages * page_size != path.stat().st_size
        or list(map(tuple, original)) != list(map(tuple, copied))
    ):
        raise BackupFailed(errno.EIO, "the copy did not read back the same as the records")


def _read_copy(db: Connection, path: Path) -> tuple[Any, list[str], int, int, list[Any], list[Any]]:
    db.execute("ATTACH DATABASE ? AS checking", (str(path),))
    try:
        found = db.scalar("PRAGMA checking.user_version")
        if db.encrypted:
            problems = [str(row[0]) for row in db.all("PRAGMA checking.cipher_integrity_check")]
        else:  # the benchmarks' unencrypted comparison database: no HMACs to check
            problems = [str(row[0]) for row in db.all("PRAGMA checking.quick_check")]
            problems = [] if problems == ["ok"] else problems
        pages = int(db.scalar("PRAGMA checking.page_count") or 0)
        page_size = int(db.scalar("PRAGMA checking.page_size") or 0)
        original = db.all("SELECT type, name FROM main.sqlite_master ORDER BY type, name")
        copied = db.all("SELECT type, name FROM checking.sqlite_master ORDER BY type, name")
    finally:
        db.execute("DETACH DATABASE checking")
    return found, problems, pages, page_size, original, copied


# ------------------------------------------------------------------ the shelf


def _manifest(generation: Generation) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "name": generation.name,
        "made_at": generation.made_at.isoformat(),
        "label": generation.label,
        "schema": generation.schema,
        "records": generation.records,
        "audit_seq": generation.audit_seq,
        "audit_hash": generation.audit_hash,
        "app_version": generation.app_version,
        "size_bytes": generation.size_bytes,
        "mark": generation.mark,
    }


def read_generation(folder: Path) -> Generation | None:
    """The generation in ``folder`` from its manifest; None when it is not one (or
    its manifest cannot be read)."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT or not (folder / DATABASE_FILE).is_file():
            return None
        return Generation(
            name=folder.name,
            made_at=datetime.fromisoformat(str(data["made_at"])),
            label=str(data["label"]),
            schema=int(data["schema"]),
            records=int(data["records"]),
            audit_seq=int(data["audit_seq"]),
            audit_hash=str(data["audit_hash"]),
            app_version=str(data.get("app_version", "")),
            size_bytes=int(data.get("size_bytes", 0)),
            location=str(folder.parent),
            mark=str(data.get("mark", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def generations(shelf: Path) -> list[Generation]:
    """Every whole generation in ``shelf``, oldest first (a half-made one, or any other
    file, is left out)."""
    if not shelf.is_dir():
        return []
    found = []
    for entry in shelf.iterdir():
        if entry.is_dir() and _NAME.match(entry.name):
            generation = read_generation(entry)
            if generation is not None:
                found.append(generation)
    return sorted(found, key=lambda g: (g.made_at, g.name))


def list_backups(shelf: Path) -> list[Path]:
    """The database file of each generation in ``shelf``, oldest first."""
    return [shelf / g.name / DATABASE_FILE for g in generations(shelf)]


def remove_generation(shelf: Path, name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"not a backup: {name!r}")
    _remove_tree(shelf / name)
    write_index(shelf)


def copy_generation(source: Path, name: str, shelf: Path) -> Generation:
    """Copy generation ``name`` from ``source`` into ``shelf`` (the second folder),
    under a hidden name first, then renamed: a copy cut short is never taken for one."""
    if not _NAME.match(name):
        raise ValueError(f"not a backup: {name!r}")
    try:
        shelf.mkdir(parents=True, exist_ok=True)
        partial = shelf / f".{name}.partial"
        _remove_tree(partial)
        copy_folder(source / name, partial)
        if (shelf / name).exists():
            _remove_tree(shelf / name)
        move_into_place(partial, shelf / name)
    except OSError as error:
        _remove_tree(shelf / f".{name}.partial")
        raise BackupFailed(error.errno or errno.EIO, error.strerror or str(error)) from None
    copied = read_generation(shelf / name)
    if copied is None:
        raise BackupFailed(errno.EIO, "the copy could not be read back")
    write_index(shelf)
    return copied


def write_index(shelf: Path) -> None:
    """``index.json``: what each generation holds, for school IT (the manifests are the
    record; this is the list at a glance)."""
    listed = [_manifest(g) for g in generations(shelf)]
    with contextlib.suppress(OSError):
        write_private(shelf / INDEX_FILE, json.dumps({"generations": listed}, indent=2))


# ------------------------------------------------------------------ checking one


def open_read_only(path: Path, data_key: bytes) -> Connection:
    """A backup's database opened for reading only: nothing is written beside it (no
    write-ahead log), so a copy on read-only media can be checked as it is."""
    uri = f"file:{path.as_posix()}?mode=ro&immutable=1"
    raw = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
    try:
        raw.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
        raw.execute("PRAGMA cipher_log_level = NONE")
        raw.execute("PRAGMA temp_store = MEMORY")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        raw.close()
        raise
    raw.row_factory = sqlcipher3.Row
    return Connection(raw, path, encrypted=True)


def _remove_tree(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()


# ------------------------------------------------------------------ the port


class SqlBackupShelf:
    """The ``BackupShelf`` port: the generations of one data folder (and of the second
    folder), made from the store's own connection (use it on the thread that owns the
    store; the app makes its backups on a worker with a connection of its own)."""

    def __init__(self, db: Connection, data_dir: Path) -> None:
        self._db = db
        self._data_dir = data_dir

    @property
    def home(self) -> Path:
        return self._data_dir / BACKUPS_FOLDER

    def _shelf(self, folder: str) -> Path:
        return Path(folder) if folder else self.home

    def make(self, label: str, now: datetime, app_version: str = "") -> Generation:
        return make_backup(self._db, self._data_dir, label, now, app_version)

    def changed_since(self, generation: Generation) -> bool:
        return changed_since(self._db, generation)

    def generations(self, folder: str = "") -> list[Generation]:
        return generations(self._shelf(folder))

    def remove(self, name: str, folder: str = "") -> None:
        remove_generation(self._shelf(folder), name)

    def copy_to(self, name: str, folder: str) -> Generation:
        return copy_generation(self.home, name, Path(folder))

    def reachable(self, folder: str) -> bool:
        """Whether ``folder`` is there and can be written (a USB drive plugged in, a
        share connected)."""
        path = Path(folder)
        try:
            return path.is_dir() and os.access(path, os.W_OK)
        except OSError:
            return False

    def inside_data_folder(self, folder: str) -> bool:
        try:
            chosen = Path(folder).resolve()
            data = self._data_dir.resolve()
        except OSError:
            return False
        return chosen == data or data in chosen.parents

    def check(self, name: str, data_key: bytes, folder: str = "") -> list[str]:
        """Open generation ``name`` (read only) with ``data_key``: the cipher and
        integrity checks, the schema against the migrations and the audit chain
        (store/integrity.full_problems). [] when it is sound."""
        from incident_recorder.domain.errors import DatabaseDamaged
        from incident_recorder.store.connection import DatabaseError
        from incident_recorder.store.integrity import full_problems

        place = self._shelf(folder) / name
        if read_generation(place) is None:
            return [f"The backup {name} is not complete: its description cannot be read."]
        try:
            db = open_read_only(place / DATABASE_FILE, data_key)
        except DatabaseError:
            return [
                f"The backup {name} cannot be opened with this school's key: it is damaged, "
                "or it was made before the key was changed."
            ]
        try:
            return full_problems(db)
        except (DatabaseError, DatabaseDamaged) as error:
            return [f"The backup {name} is damaged ({type(error).__name__})."]
        finally:
            db.close()
