"""One SQLCipher connection: the raw data key, the pragmas, and transactions.

A connection belongs to the thread that opened it; give each worker thread its
own (cheap: the raw key skips SQLCipher's own KDF).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import sqlcipher3

from incident_recorder.domain.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseFileDamaged,
    DataFolderReadOnly,
    DiskFull,
    SessionClosed,
    StorageFailed,
    StorageProblem,
    StorageReadOnly,
)

log = logging.getLogger("incident_recorder.store")

DATA_KEY_BYTES = 32
CACHE_SIZE_KIB = 65536  # 64 MiB: SQLCipher decrypts pages again on every cache miss
BUSY_TIMEOUT_MS = 5000
CHECKPOINT_BUSY_MS = 1000
# Another program holding the file (a virus scan, a backup tool): SQLite's own busy
# handler waits first, then the statement is tried again after a growing pause, until
# this many seconds have gone by in all; then a plain DatabaseBusy.
BUSY_WINDOW_SECONDS = 10.0
BUSY_FIRST_PAUSE = 0.1
BUSY_LONGEST_PAUSE = 1.0
# Less free space than this on the database's disk makes an I/O error "the disk is full".
NEARLY_FULL_BYTES = 1 << 20

T = TypeVar("T")

Row = Any  # a sqlcipher3.Row: index by column name or position
Params = Sequence[Any] | dict[str, Any]

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite's error says the file itself is damaged: a page fails SQLCipher's
    tamper check ("file is not a database") or the structure does not hold together
    ("database disk image is malformed")."""
    if not isinstance(exc, sqlcipher3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return (
        code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
        or "not a database" in text
        or "malformed" in text
    )


def _unreadable(exc: Exception) -> DatabaseDamaged:
    code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
    if is_damage(exc):
        return DatabaseFileDamaged(f"the file could not be opened ({code})")
    return DatabaseDamaged(
        f"The database file could not be opened just now ({code}). Please try again; if this "
        "keeps happening, ask your IT support for help."
    )


def _raise_if_damage(exc: BaseException) -> None:
    """Raise DatabaseFileDamaged for an error that says the file is damaged (the
    caller re-raises any other)."""
    if is_damage(exc):
        code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
        raise DatabaseFileDamaged(f"a part of the file could not be read ({code})") from exc


def storage_problem(exc: BaseException, path: Path | None = None) -> StorageProblem | None:
    """SQLite's refusal as a plain domain error, or None when it is not about the disk,
    the folder or another program (a constraint, damage, a wrong key): the one place the
    store turns "database or disk is full", I/O errors, read-only files and locked files
    into messages every service can pass on."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return DiskFull()
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        if path is not None and _nearly_full(path):
            return DiskFull()
        return StorageFailed(name or "SQLITE_IOERR")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StorageReadOnly()
    if _is_busy(exc):
        return DatabaseBusy(BUSY_TIMEOUT_MS / 1000)
    return None


def _is_busy(exc: BaseException) -> bool:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _side_files(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm")]


def _remove_side_files_made(path: Path, before: list[bool]) -> None:
    """After a failed open: the empty -wal and the stub -shm (a few bytes, when the disk
    was full) that this open made are removed, so nothing is left beside the database."""
    wal, shm = _side_files(path)
    with contextlib.suppress(OSError):
        if not before[0] and wal.exists() and wal.stat().st_size == 0:
            wal.unlink()
        if not before[1] and shm.exists() and not wal.exists():
            shm.unlink()


class Connection:
    """A thin, typed wrapper over a sqlcipher3 connection in autocommit mode, with
    explicit ``BEGIN IMMEDIATE`` / ``COMMIT`` transactions."""

    def __init__(self, raw: Any, path: Path, encrypted: bool) -> None:
        self._raw = raw
        self._depth = 0
        self._closed = False
        self.path = path
        self.encrypted = encrypted

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, data_key: bytes | None) -> Connection:
        """Open (or create) the database at ``path``.

        ``data_key`` is the 32-byte raw key; None opens a plain, unencrypted SQLite
        file, which only the benchmarks use. Raises DatabaseDamaged when the file cannot
        be read with this key.
        """
        if data_key is not None and len(data_key) != DATA_KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        if path.is_file() and not os.access(path, os.W_OK):
            # Opened anyway, SQLite would read it but leave a -wal and a -shm it cannot
            # remove beside it, and the first write (signing in) would fail.
            raise DataFolderReadOnly(str(path.parent), str(path))
        before = [side.exists() for side in _side_files(path)]
        try:
            raw = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
        except sqlcipher3.DatabaseError as exc:
            raise storage_problem(exc, path) or _unreadable(exc) from None
        try:
            if data_key is not None:
                # The key must be the first statement on a new connection. Silencing the
                # log next is in time: nothing is read (or logged) before the first query.
                raw.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
                raw.execute("PRAGMA cipher_log_level = NONE")
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn = cls(raw, path, encrypted=data_key is not None)
            try:
                # A wrong key shows only here, as "file is not a database".
                conn._retrying(lambda: raw.execute("SELECT count(*) FROM sqlite_master").fetchone())
            except sqlcipher3.DatabaseError as exc:
                plain = storage_problem(exc, path)
                if isinstance(plain, DiskFull | StorageReadOnly):
                    raise plain from None
                raise _unreadable(exc) from None
            try:
                conn._configure()
            except sqlcipher3.DatabaseError as exc:
                plain = storage_problem(exc, path)
                if plain is None:
                    raise
                raise plain from exc
        except BaseException:
            raw.close()
            _remove_side_files_made(path, before)
            raise
        raw.row_factory = sqlcipher3.Row
        return conn

    @classmethod
    def open_read_only(cls, path: Path, data_key: bytes | None) -> Connection:
        """Open the database at ``path`` for reading only, to check it: nothing can be
        written to it. With no write-ahead log beside it the file is opened as it is
        (``immutable``), so no ``-wal`` or ``-shm`` file is made either; with one (left
        by a crash) the log must be read too, and SQLite may need its ``-shm`` file.
        The caller holds the data folder's lock, so nobody writes meanwhile. Raises
        DatabaseDamaged when the file cannot be read with this key."""
        if data_key is not None and len(data_key) != DATA_KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        if not path.is_file():
            raise FileNotFoundError(str(path))
        wal = Path(str(path) + "-wal")
        has_log = wal.is_file() and wal.stat().st_size > 0
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_log else "&immutable=1")
        raw = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
        try:
            if data_key is not None:
                raw.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
                raw.execute("PRAGMA cipher_log_level = NONE")
            try:  # a wrong key or a damaged first page shows here
                raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as exc:
                raise _unreadable(exc) from None
            raw.execute("PRAGMA temp_store = MEMORY")
            temp_store = raw.execute("PRAGMA temp_store").fetchone()
            if temp_store is None or int(temp_store[0]) != 2:
                raise DatabaseDamaged(
                    "The database could not be checked safely: temporary data could not be "
                    "kept in memory. Please report this to your IT support."
                )
            raw.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
            raw.execute("PRAGMA query_only = ON")
        except BaseException:
            raw.close()
            raise
        raw.row_factory = sqlcipher3.Row
        return cls(raw, path, encrypted=data_key is not None)

    def _configure(self) -> None:
        raw = self._raw
        if self.encrypted:
            level = raw.execute("PRAGMA cipher_log_level").fetchone()
            if level is None or str(level[0]).upper() != "NONE":
                log.warning("could not silence SQLCipher's log")
        raw.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        raw.execute("PRAGMA temp_store = MEMORY")
        temp_store = raw.execute("PRAGMA temp_store").fetchone()
        if temp_store is None or int(temp_store[0]) != 2:
            # FILE would write plaintext temporary tables and indexes to disk.
            raise DatabaseDamaged(
                "The database could not be opened safely: temporary data could not be kept "
                "in memory. Please report this to your IT support."
            )
        mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            log.warning("journal_mode is %s, not wal", None if mode is None else str(mode[0]))
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # FULL: a commit returns only once the write-ahead log is on disk, so a save the
        # user was told about survives a power cut (NORMAL in WAL mode may lose the last
        # commits). docs/performance.md has what it costs.
        raw.execute("PRAGMA synchronous = FULL")

    # ------------------------------------------------------------------ statements

    def _live(self) -> Any:
        """The open connection, or a plain error once it is closed (after locking or
        signing out), so a late timer in a window meets a message, not a crash."""
        if self._closed:
            raise SessionClosed()
        return self._raw

    def execute(self, sql: str, params: Params = ()) -> Any:
        """Run one statement; returns the sqlcipher3 cursor."""
        raw = self._live()
        try:
            return raw.execute(sql, params)
        except sqlcipher3.DatabaseError as exc:
            return self._after(exc, lambda: raw.execute(sql, params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        raw = self._live()
        try:
            raw.executemany(sql, rows)
        except sqlcipher3.DatabaseError as exc:
            self._after(exc, lambda: raw.executemany(sql, rows))

    def one(self, sql: str, params: Params = ()) -> Row | None:
        raw = self._live()

        def run() -> Row | None:
            cursor = raw.execute(sql, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()

        try:
            return run()
        except sqlcipher3.DatabaseError as exc:
            return self._after(exc, run)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        raw = self._live()
        try:
            return cast(list[Row], raw.execute(sql, params).fetchall())
        except sqlcipher3.DatabaseError as exc:
            return self._after(exc, lambda: cast(list[Row], raw.execute(sql, params).fetchall()))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row's id."""
        cursor = self.execute(sql, params)
        rowid = cursor.lastrowid
        if rowid is None:
            raise RuntimeError("the insert gave no row id")
        return int(rowid)

    # ------------------------------------------------------------------ SQLite's refusals

    def _after(self, exc: sqlcipher3.DatabaseError, again: Callable[[], T]) -> T:
        """A statement failed with ``exc``: a locked file outside a transaction is tried
        again (nothing of it was done); anything about the disk, the folder or another
        program becomes its plain domain error; a damaged file is DatabaseFileDamaged; the
        rest goes on as it is."""
        _raise_if_damage(exc)
        if _is_busy(exc) and self._depth == 0 and not self._raw.in_transaction:
            return self._retrying(again, first=exc)
        plain = storage_problem(exc, self.path)
        if plain is None:
            raise exc
        raise plain from exc

    def _retrying(self, action: Callable[[], T], first: BaseException | None = None) -> T:
        """``action()``, tried again while the file is locked by another program, with a
        growing pause, until BUSY_WINDOW_SECONDS have gone by; then DatabaseBusy. Only
        for what is safe to repeat: a statement outside a transaction, BEGIN, COMMIT."""
        raw = self._raw
        started = time.monotonic()
        if first is not None:
            # The statement that failed has waited SQLite's busy timeout already.
            started -= BUSY_TIMEOUT_MS / 1000
        pause = BUSY_FIRST_PAUSE
        timeout_changed = False
        try:
            if first is None:
                try:
                    return action()
                except sqlcipher3.DatabaseError as exc:
                    if not _is_busy(exc):
                        raise
            while True:
                left = BUSY_WINDOW_SECONDS - (time.monotonic() - started)
                if left <= pause:
                    seconds = time.monotonic() - started
                    log.info("the database file stayed locked for %.1f s", seconds)
                    raise DatabaseBusy(seconds) from None
                time.sleep(pause)
                pause = min(pause * 2, BUSY_LONGEST_PAUSE)
                # SQLite's own wait this time is only what is left of the window.
                left_ms = int((BUSY_WINDOW_SECONDS - (time.monotonic() - started)) * 1000)
                raw.execute(f"PRAGMA busy_timeout = {max(1, min(BUSY_TIMEOUT_MS, left_ms))}")
                timeout_changed = True
                try:
                    return action()
                except sqlcipher3.DatabaseError as exc:
                    if not _is_busy(exc):
                        raise
        finally:
            if timeout_changed:
                raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    # ------------------------------------------------------------------ transactions

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all.

        The outermost call takes the write lock at once (``BEGIN IMMEDIATE``). A nested
        call joins it through a savepoint: if the nested block raises, its own writes are
        undone, and the exception goes on to the caller.
        """
        if self._depth == 0:
            raw = self._live()
            try:
                self._retrying(lambda: raw.execute("BEGIN IMMEDIATE"))
            except sqlcipher3.DatabaseError as exc:
                self._raise_plain(exc)
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            try:
                # A COMMIT refused because the file is locked leaves the transaction
                # open, so it may be tried again.
                self._retrying(lambda: raw.execute("COMMIT"))
            except BaseException as exc:
                with contextlib.suppress(sqlcipher3.Error):
                    self._rollback()
                if isinstance(exc, sqlcipher3.DatabaseError):
                    self._raise_plain(exc)
                raise
            return
        name = f"sp{self._depth}"
        self._live().execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._live().in_transaction:
                self._live().execute(f"ROLLBACK TO {name}")
                self._live().execute(f"RELEASE {name}")
            raise
        self._depth -= 1
        self._live().execute(f"RELEASE {name}")

    def _raise_plain(self, exc: sqlcipher3.DatabaseError) -> NoReturn:
        plain = storage_problem(exc, self.path)
        if plain is None:
            raise exc
        raise plain from exc

    def _rollback(self) -> None:
        if self._live().in_transaction:
            self._live().execute("ROLLBACK")

    # ------------------------------------------------------------------ the rest

    def pragma(self, name: str) -> Any:
        """The first value of ``PRAGMA name``."""
        return self.scalar(f"PRAGMA {name}")

    def close(self) -> None:
        """Close the connection; any open transaction is rolled back, then the
        write-ahead log is copied into the database file and emptied (on locking,
        signing out and quitting too, since they close the store), so the database
        file alone is complete. Safe to repeat."""
        if self._closed:
            return
        self._closed = True
        self._depth = 0
        try:
            if self._raw.in_transaction:
                self._raw.execute("ROLLBACK")
            self._checkpoint(self._raw)
        finally:
            self._raw.close()

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and truncate it to zero bytes
        (``wal_checkpoint(TRUNCATE)``). True if it was done in full; False if another
        connection was still reading or writing, or the file cannot be written to (the
        log is then copied in by the last connection to close)."""
        return self._checkpoint(self._live())

    @staticmethod
    def _checkpoint(raw: Any) -> bool:
        try:
            # Wait a little for another connection's reader to finish, not the full
            # busy timeout: the last connection to close checkpoints anyway.
            raw.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
            row = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlcipher3.Error as exc:
            log.info("the write-ahead log was not checkpointed: %s", type(exc).__name__)
            return False
        done = row is not None and int(row[0]) == 0
        if not done:
            log.info("the write-ahead log was not fully checkpointed (another connection)")
        return done

    @property
    def closed(self) -> bool:
        return self._closed
