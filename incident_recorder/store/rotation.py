"""Key rotation: the database, every backup the school keeps and the keyring, re-encrypted
under a new data key (after an account is switched off, so that person's old passphrase
opens nothing that survives).

Everything slow happens first, beside the files in use, and nothing in use is touched:

1. ``rotation.json`` (the journal) is written saying a rotation is being prepared and
   which backup folders it will touch;
2. the database is copied with ``sqlcipher_export`` under the new key into
   ``incidents.db.rotating`` in one transaction (which also counts every table), the
   ``key_rotated`` audit entry is added to the copy, and the copy is verified: SQLCipher's
   and SQLite's integrity checks, the audit chain, and every table's row count equal to
   the original's (the audit table one more);
3. each backup generation that opens with the old key is copied the same way into a
   hidden ``.<name>.rotating`` folder beside it, with its manifest and the new keyring;
4. the new keyring is written to ``keyring.json.rotating``.

Then the journal is rewritten, atomically, to name the commit: from that moment the
rotation only ever goes forward, and what remains is renames (the prepared database over
``incidents.db``, the prepared keyring over ``keyring.json`` after the old one has been
overwritten with zeros, each prepared generation swapped with its old folder, which is
then overwritten and deleted) and, last, removing the journal. A rotation stopped at any
point (a crash, a power cut, SIGKILL) is finished by :func:`finish_interrupted`, which
the app and the command line call before anyone signs in; it needs no key, since before
the commit it only deletes what was prepared (the old key opens the old database, which
was never touched) and after it only renames files already written and checked (the new
key opens the new database). So killed at any step, either the old or the new key opens
a complete database, and the keyring in place opens it after that finishing step.

For the tests, ``INCIDENT_RECORDER_TEST_ROTATION_PAUSE_AT=<step>`` makes the process write
``INCIDENT_RECORDER_TEST_ROTATION_PAUSE_FILE`` and wait at that named step (see
:data:`STEPS`), to be killed there.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from incident_recorder.domain.errors import IncidentRecorderError, RotationUnfinished
from incident_recorder.infra.files import (
    move_into_place,
    overwrite_with_zeros,
    sync_folder,
    write_private,
)
from incident_recorder.services.ports import (
    NotRotated,
    Progress,
    RotationOutcome,
    RotationRequest,
)
from incident_recorder.store.backup import (
    BACKUPS_FOLDER,
    DATABASE_FILE,
    KEYRING_FILE,
    MANIFEST_FILE,
    generations,
    open_read_only,
    read_generation,
    write_index,
)
from incident_recorder.store.vault import (
    DATA_KEY_BYTES,
    KEYRING_NAME,
    FileKeyVault,
    rotated_keyring_opens,
)

log = logging.getLogger("incident_recorder.store")

JOURNAL_NAME = "rotation.json"
# Where a restore keeps the database it replaced (store/restore.REPLACED_FOLDER): each
# copy there is re-encrypted too, since its keyring may hold a switched-off account.
REPLACED_FOLDER = "replaced"
NEW_DATABASE = "incidents.db.rotating"
NEW_KEYRING = "keyring.json.rotating"
JOURNAL_FORMAT = "incident-recorder-key-rotation"
PREPARING, COMMITTED = "preparing", "committed"

ENV_PAUSE_AT = "INCIDENT_RECORDER_TEST_ROTATION_PAUSE_AT"
ENV_PAUSE_FILE = "INCIDENT_RECORDER_TEST_ROTATION_PAUSE_FILE"
STEPS = (
    "started",  # the journal says "preparing"
    "exported",  # incidents.db.rotating written (not yet verified)
    "verified",  # ... and verified
    "backup-prepared",  # after each backup's prepared copy
    "keyring-prepared",  # keyring.json.rotating written
    "committed",  # the journal says "committed"
    "database-swapped",
    "keyring-swapped",
    "backup-swapped",  # after each backup's swap
    "finished",  # just before the journal is removed
)


class RotationFailed(IncidentRecorderError):
    """The rotation stopped before its commit: nothing in use was changed."""


def _reached(step: str) -> None:
    """The tests' pause point (see the module notes)."""
    if os.environ.get(ENV_PAUSE_AT) != step:
        return
    signal_file = os.environ.get(ENV_PAUSE_FILE)
    if signal_file:
        write_private(Path(signal_file), step)
    while True:  # until the test kills the process
        time.sleep(0.05)


def _key_text(key: bytes | bytearray) -> str:
    return f"x'{bytes(key).hex()}'"


# ------------------------------------------------------------------ copying one file


@dataclass(frozen=True)
class _Copied:
    counts: dict[str, int]
    version: int


def _export(
    source: Path, source_key: bytes, target: Path, target_key: bytes, live: bool = False
) -> _Copied:
    """``source`` copied under ``target_key`` into ``target`` with ``sqlcipher_export``,
    in one transaction that also counts each table's rows (a write lock, so nothing is
    recorded meanwhile that the copy would miss)."""
    _remove_file(target)
    raw = sqlcipher3.connect(":memory:", isolation_level=None, check_same_thread=True)
    try:
        raw.execute("PRAGMA cipher_log_level = NONE")
        raw.execute("PRAGMA temp_store = MEMORY")
        raw.execute("ATTACH DATABASE ? AS src KEY ?", (str(source), _key_text(source_key)))
        raw.execute("ATTACH DATABASE ? AS dst KEY ?", (str(target), _key_text(target_key)))
        raw.execute("BEGIN IMMEDIATE" if live else "BEGIN")
        try:
            counts = _counts(lambda sql: list(raw.execute(sql).fetchall()), "src")
            version = int(raw.execute("PRAGMA src.user_version").fetchone()[0])
            raw.execute("SELECT sqlcipher_export('dst', 'src')")
            raw.execute(f"PRAGMA dst.user_version = {version}")
            raw.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlcipher3.Error):
                raw.execute("ROLLBACK")
            raise
    except sqlcipher3.DatabaseError as error:
        raise RotationFailed(_plain(error, "copied under the new key")) from None
    finally:
        raw.close()
    return _Copied(counts, version)


def _counts(run: Callable[[str], list[Any]], schema: str) -> dict[str, int]:
    """Each table's row count (``run`` returns a statement's rows)."""
    tables = [
        str(row[0])
        for row in run(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: int(run(f'SELECT count(*) FROM {schema}."{name}"')[0][0]) for name in tables}


def _verify(path: Path, key: bytes, expected: _Copied, audit_added: int) -> None:
    """The copy opens with ``key``, passes the integrity checks and the audit chain, and
    holds as many rows in each table as the original (``audit_added`` more audit rows)."""
    from incident_recorder.store.audit import SqlAuditLog
    from incident_recorder.store.integrity import integrity_problems

    if Path(f"{path}-wal").exists():
        raise RotationFailed("The copy under the new key was not written completely.")
    try:
        db = open_read_only(path, key)
    except sqlcipher3.DatabaseError as error:
        raise RotationFailed(_plain(error, "opened with the new key")) from None
    try:
        problems = integrity_problems(db)
        if not problems and "audit" in expected.counts:
            problems = SqlAuditLog(db).verify()
        counts = _counts(db.all, "main")
        version = int(db.scalar("PRAGMA user_version"))
    finally:
        db.close()
    wanted = dict(expected.counts)
    if audit_added and "audit" in wanted:
        wanted["audit"] += audit_added
    if problems or counts != wanted or version != expected.version:
        log.error("rotation: the copy did not verify (%d problems)", len(problems))
        raise RotationFailed(
            "The copy under the new key did not read back the same as the records, so "
            "nothing was changed. " + (problems[0] if problems else "The number of rows differs.")
        )


def _append_audit(path: Path, key: bytes, actor_id: int, now: datetime, detail: str) -> None:
    """The ``key_rotated`` entry, written into the copy (so it is in the database that
    survives), which is then left as a single file (no write-ahead log beside it)."""
    from incident_recorder.store.audit import SqlAuditLog
    from incident_recorder.store.connection import Connection

    db = Connection.open(path, key)
    try:
        with db.transaction():
            SqlAuditLog(db).append(actor_id, "key_rotated", now, None, detail)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _plain(error: Exception, doing: str) -> str:
    text = str(error).lower()
    if "full" in text:
        return "The disk is full, so the database could not be " + doing + ". Nothing was changed."
    return f"The database could not be {doing} ({type(error).__name__}). Nothing was changed."


# ------------------------------------------------------------------ the journal


def _journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_NAME


def _write_journal(data_dir: Path, phase: str, shelves: list[Path], swaps: list[Path]) -> None:
    doc = {
        "format": JOURNAL_FORMAT,
        "phase": phase,
        "shelves": [str(s) for s in shelves],
        "generations": [str(g) for g in swaps],
    }
    write_private(_journal_path(data_dir), json.dumps(doc, indent=2) + "\n")


def _read_journal(data_dir: Path) -> dict[str, Any] | None:
    try:
        doc = json.loads(_journal_path(data_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"phase": "unreadable", "shelves": [], "generations": []}
    if not isinstance(doc, dict) or doc.get("format") != JOURNAL_FORMAT:
        return {"phase": "unreadable", "shelves": [], "generations": []}
    return doc


def _prepared(generation: Path) -> Path:
    return generation.parent / f".{generation.name}.rotating"


def _retired(generation: Path) -> Path:
    return generation.parent / f".{generation.name}.retired"


def finish_interrupted(data_dir: Path) -> str:
    """Finish a rotation that was stopped part-way (see the module notes): forward after
    its commit, undone before it. What was done, in plain words; "" when there was none."""
    data_dir = Path(data_dir)
    journal = _read_journal(data_dir)
    if journal is None:
        return ""
    phase = journal.get("phase")
    if phase == "unreadable":
        # A damaged journal: the files say which side of the commit it was. The prepared
        # database is moved in only after the commit, the keyring after it.
        swapped = not (data_dir / NEW_DATABASE).exists() and (data_dir / NEW_KEYRING).exists()
        phase = COMMITTED if swapped else PREPARING
    if phase == COMMITTED:
        problems = _roll_forward(data_dir, [Path(g) for g in journal.get("generations", [])])
        log.warning("rotation: an interrupted key change was finished")
        message = "A change of the school's key that was interrupted has been finished."
        if problems:
            message += " " + problems
        return message
    _undo(data_dir, [Path(s) for s in journal.get("shelves", [])])
    log.warning("rotation: an interrupted key change was undone")
    return "A change of the school's key that was interrupted was undone: nothing had changed."


def _undo(data_dir: Path, shelves: list[Path]) -> None:
    _remove_file(data_dir / NEW_DATABASE)
    _remove_file(data_dir / NEW_KEYRING)
    for shelf in shelves:
        with contextlib.suppress(OSError):
            for entry in shelf.iterdir():
                if (
                    entry.is_dir()
                    and entry.name.startswith(".")
                    and entry.name.endswith(".rotating")
                ):
                    _remove_tree(entry)
    _journal_path(data_dir).unlink(missing_ok=True)
    sync_folder(data_dir)


def _roll_forward(data_dir: Path, swaps: list[Path]) -> str:
    """The renames after the commit; each is safe to repeat. Returns the plain words for
    any backup that could not be swapped (a drive taken away meanwhile)."""
    database = data_dir / DATABASE_FILE
    new_database = data_dir / NEW_DATABASE
    if new_database.exists():
        # The old database's write-ahead log belongs to the old file: it must not be
        # read into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{database}{suffix}").unlink()
        move_into_place(new_database, database)
    _reached("database-swapped")
    keyring = data_dir / KEYRING_NAME
    new_keyring = data_dir / NEW_KEYRING
    if new_keyring.exists():
        _overwrite(keyring)
        move_into_place(new_keyring, keyring)
    _reached("keyring-swapped")
    failed: list[str] = []
    shelves: set[Path] = set()
    for generation in swaps:
        try:
            _swap_generation(generation)
            shelves.add(generation.parent)
        except (OSError, IncidentRecorderError):  # a drive taken away meanwhile
            failed.append(str(generation))
        _reached("backup-swapped")
    for shelf in shelves:
        if shelf.name != REPLACED_FOLDER:
            write_index(shelf)
    _reached("finished")
    _journal_path(data_dir).unlink(missing_ok=True)
    sync_folder(data_dir)
    if failed:
        return (
            f"{len(failed)} backup{'s' if len(failed) != 1 else ''} could not be finished "
            f"and may need deleting: {', '.join(failed)}."
        )
    return ""


def _swap_generation(generation: Path) -> None:
    prepared, retired = _prepared(generation), _retired(generation)
    if prepared.is_dir():
        if generation.exists() and not retired.exists():
            move_into_place(generation, retired)
        elif generation.exists():
            _remove_tree(generation)  # cannot happen unless repeated by hand
        move_into_place(prepared, generation)
    if retired.exists():
        _overwrite(retired / KEYRING_FILE)
        _remove_tree(retired)


# ------------------------------------------------------------------ the rotation


class FileKeyRotator:
    """The ``KeyRotator`` port over a data folder's files."""

    def __init__(self, data_dir: Path, vault: FileKeyVault) -> None:
        self._dir = Path(data_dir)
        self._vault = vault

    def finish_interrupted(self) -> str:
        return finish_interrupted(self._dir)

    def entry_forms(self) -> dict[str, bool]:
        return self._vault.entry_forms()

    def _shelf(self, folder: str) -> Path:
        return Path(folder) if folder else self._dir / BACKUPS_FOLDER

    def rotate(
        self, old_key: bytes, request: RotationRequest, progress: Progress
    ) -> RotationOutcome:
        finish_interrupted(self._dir)
        if len(old_key) != DATA_KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        database = self._dir / DATABASE_FILE
        shelves = [self._shelf(f) for f in request.folders]
        if (self._dir / REPLACED_FOLDER).is_dir():
            shelves.append(self._dir / REPLACED_FOLDER)
        new_key = bytearray(secrets.token_bytes(DATA_KEY_BYTES))
        swaps: list[Path] = []
        try:
            progress.step(0, 0, "Preparing the new key")
            keyring_bytes, code = self._vault.rotated(
                bytes(new_key), request.keep, request.temporary, request.fresh_recovery_code
            )
            rotated_keyring_opens(keyring_bytes, self._dir / NEW_KEYRING)
            _write_journal(self._dir, PREPARING, shelves, [])
            _reached("started")
            found = [(c.parent, c.name) for shelf in shelves for c in _copies(shelf)]
            total = len(found) + 2
            progress.step(0, total, "Copying the records under the new key")
            new_database = self._dir / NEW_DATABASE
            copied = _export(database, old_key, new_database, bytes(new_key), live=True)
            _reached("exported")
            # Which backups can be re-encrypted: those the old key opens.
            openable, not_rotated = [], []
            for shelf, name in found:
                if _opens(shelf / name / DATABASE_FILE, old_key):
                    openable.append((shelf, name))
                else:
                    not_rotated.append(NotRotated(str(shelf / name), _OLDER))
            detail = _detail(len(openable), not_rotated, request)
            _append_audit(new_database, bytes(new_key), request.actor_id, request.now, detail)
            _verify(new_database, bytes(new_key), copied, audit_added=1)
            _reached("verified")
            progress.step(1, total, "Copying the backups under the new key")
            for done, (shelf, name) in enumerate(openable, start=2):
                if progress.cancelled():
                    raise RotationFailed("The key change was stopped. Nothing was changed.")
                generation = shelf / name
                try:
                    self._prepare_generation(generation, old_key, bytes(new_key), keyring_bytes)
                    swaps.append(generation)
                except (OSError, RotationFailed) as error:
                    log.warning(
                        "rotation: a backup was not re-encrypted (%s)", type(error).__name__
                    )
                    _remove_tree(_prepared(generation))
                    reason = _UNWRITABLE if isinstance(error, OSError) else _DAMAGED
                    not_rotated.append(NotRotated(str(generation), reason))
                _reached("backup-prepared")
                progress.step(done, total, "Copying the backups under the new key")
            write_private(self._dir / NEW_KEYRING, keyring_bytes)
            _reached("keyring-prepared")
            # Everything prepared is on the disk, names too, before the commit.
            for folder in [self._dir, *shelves]:
                sync_folder(folder)
            # The commit: from here the rotation only goes forward.
            _write_journal(self._dir, COMMITTED, shelves, swaps)
        except BaseException:
            _undo(self._dir, shelves)
            for i in range(len(new_key)):
                new_key[i] = 0
            raise
        _reached("committed")
        progress.step(total - 1, total, "Putting the new copies in place")
        try:
            problems = _roll_forward(self._dir, swaps)
        except Exception as error:  # the commit is made: finished at the next start
            log.error("rotation: the swap was interrupted (%s)", type(error).__name__)
            raise RotationUnfinished() from None
        if problems:
            log.warning("rotation: %s", problems)
        # Backups made meanwhile (none should be: nothing else may write) are named too.
        swapped = {str(g) for g in swaps}
        listed = {n.path for n in not_rotated}
        for shelf in shelves:
            for copy in _copies(shelf):
                if str(copy) not in swapped and str(copy) not in listed:
                    not_rotated.append(NotRotated(str(copy), _OLDER))
        progress.step(total, total, "Done")
        kept = sorted((set(request.keep) & set(self._vault.usernames())) | set(request.temporary))
        log.info("rotation: done (%d backups re-encrypted)", len(swaps))
        return RotationOutcome(
            rotated_backups=tuple(str(g) for g in swaps),
            not_rotated=tuple(not_rotated),
            unreachable=request.unreachable,
            accounts=tuple(kept),
            temporary=tuple(sorted(request.temporary)),
            recovery_code=code,
            new_key=new_key,
        )

    def _prepare_generation(
        self, generation: Path, old_key: bytes, new_key: bytes, keyring_bytes: bytes
    ) -> None:
        prepared = _prepared(generation)
        _remove_tree(prepared)
        prepared.mkdir()
        copied = _export(generation / DATABASE_FILE, old_key, prepared / DATABASE_FILE, new_key)
        _verify(prepared / DATABASE_FILE, new_key, copied, audit_added=0)
        # The other files (the manifest) as they were; the keyring: the new one.
        for item in generation.iterdir():
            if item.is_file() and item.name not in _REPLACED_FILES:
                write_private(prepared / item.name, item.read_bytes())
        write_private(prepared / KEYRING_FILE, keyring_bytes)
        if (generation / MANIFEST_FILE).is_file() and read_generation(prepared) is None:
            raise RotationFailed("the prepared backup cannot be read back")
        sync_folder(prepared)

    def old_backups(self, data_key: bytes, folders: tuple[str, ...]) -> list[NotRotated]:
        found = []
        shelves = [self._shelf(folder) for folder in folders] + [self._dir / REPLACED_FOLDER]
        for shelf in shelves:
            for copy in _copies(shelf):
                if not _opens(copy / DATABASE_FILE, data_key):
                    found.append(NotRotated(str(copy), _OLDER))
        return found

    def remove_backup(self, path: str) -> None:
        generation = Path(path)
        if generation not in _copies(generation.parent):
            raise RotationFailed(f"{path} is not a backup, so it was not deleted.")
        _overwrite(generation / KEYRING_FILE)
        _remove_tree(generation)
        if generation.exists():
            raise OSError(errno.EACCES, f"{path} could not be deleted")
        if generation.parent.name != REPLACED_FOLDER:
            write_index(generation.parent)


_OLDER = (
    "It does not open with the school's key as it was: it was made under an earlier key, "
    "or it is damaged."
)
_DAMAGED = "It did not pass the checks when it was copied, so it may be damaged."
_UNWRITABLE = "It could not be re-encrypted where it is (the folder could not be written)."


_REPLACED_FILES = {
    DATABASE_FILE,
    KEYRING_FILE,
    f"{DATABASE_FILE}-wal",
    f"{DATABASE_FILE}-shm",
    f"{DATABASE_FILE}-journal",
}


def _copies(shelf: Path) -> list[Path]:
    """The kept copies of the database in ``shelf``: its backup generations, or, in the
    data folder's ``replaced/``, each database a restore kept aside."""
    if shelf.name != REPLACED_FOLDER:
        return [shelf / g.name for g in generations(shelf)]
    try:
        entries = sorted(shelf.iterdir())
    except OSError:
        return []
    return [
        e
        for e in entries
        if e.is_dir() and not e.name.startswith(".") and (e / DATABASE_FILE).is_file()
    ]


def _detail(rotated: int, not_rotated: list[NotRotated], request: RotationRequest) -> str:
    """The audit entry's detail: counts and backup names only (no personal data)."""
    parts = [f"database and {rotated} backup{'s' if rotated != 1 else ''} re-encrypted"]
    if not_rotated:
        names = ", ".join(Path(n.path).name for n in not_rotated)
        parts.append(f"not re-encrypted (older key): {names}")
    if request.unreachable:
        parts.append(f"{len(request.unreachable)} backup folder(s) not reachable")
    if request.temporary:
        parts.append(f"{len(request.temporary)} account(s) given a temporary passphrase")
    if request.fresh_recovery_code:
        parts.append("new recovery code")
    return "; ".join(parts)


def _opens(path: Path, key: bytes) -> bool:
    try:
        db = open_read_only(path, key)
    except sqlcipher3.DatabaseError:
        return False
    db.close()
    return True


# ------------------------------------------------------------------ files


def _overwrite(path: Path) -> None:
    """Zeros over a keyring's bytes (the old wrapped keys) before it is replaced or
    deleted. (On an SSD the old blocks may survive elsewhere: the wrapped keys in them
    need the old passphrase, and the old data key opens only files that are deleted.)"""
    overwrite_with_zeros(path)


def _remove_file(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _remove_tree(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
