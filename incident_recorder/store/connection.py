"""One SQLCipher connection: the raw data key, the pragmas, and transactions.

A connection belongs to the thread that opened it; give each worker thread its
own (cheap: the raw key skips SQLCipher's own KDF).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import sqlcipher3

from incident_recorder.domain.errors import DatabaseDamaged, SessionClosed

log = logging.getLogger("incident_recorder.store")

DATA_KEY_BYTES = 32
CACHE_SIZE_KIB = 65536  # 64 MiB: SQLCipher decrypts pages again on every cache miss
BUSY_TIMEOUT_MS = 5000
CHECKPOINT_BUSY_MS = 1000

Row = Any  # a sqlcipher3.Row: index by column name or position
Params = Sequence[Any] | dict[str, Any]

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError

_DAMAGED = (
    "The database file could not be read. It may be damaged, or it may not belong to "
    "this keyring. Restore the data folder from a backup, or ask your IT support for help."
)


def _unreadable(exc: Exception) -> DatabaseDamaged:
    code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in str(exc):
        return DatabaseDamaged(_DAMAGED)
    return DatabaseDamaged(
        f"The database file could not be opened just now ({code}). Please try again; if this "
        "keeps happening, ask your IT support for help."
    )


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
        raw = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
        try:
            if data_key is not None:
                # The key must be the first statement on a new connection. Silencing the
                # log next is in time: nothing is read (or logged) before the first query.
                raw.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
                raw.execute("PRAGMA cipher_log_level = NONE")
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                # A wrong key shows only here, as "file is not a database".
                raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as exc:
                raise _unreadable(exc) from None
            conn = cls(raw, path, encrypted=data_key is not None)
            conn._configure()
        except BaseException:
            raw.close()
            raise
        raw.row_factory = sqlcipher3.Row
        return conn

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
        return self._live().execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._live().executemany(sql, rows)

    def one(self, sql: str, params: Params = ()) -> Row | None:
        cursor = self._live().execute(sql, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return cast(list[Row], self._live().execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row's id."""
        cursor = self._live().execute(sql, params)
        rowid = cursor.lastrowid
        if rowid is None:
            raise RuntimeError("the insert gave no row id")
        return int(rowid)

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
            self._live().execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            try:
                self._live().execute("COMMIT")
            except BaseException:
                self._rollback()
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
