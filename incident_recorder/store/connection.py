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

from incident_recorder.domain.errors import DatabaseDamaged, DatabaseFileDamaged, SessionClosed

log = logging.getLogger("incident_recorder.store")

DATA_KEY_BYTES = 32
CACHE_SIZE_KIB = 65536  # 64 MiB: SQLCipher decrypts pages again on every cache miss
BUSY_TIMEOUT_MS = 5000

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
        raw.execute("PRAGMA synchronous = NORMAL")

    # ------------------------------------------------------------------ statements

    def _live(self) -> Any:
        """The open connection, or a plain error once it is closed (after locking or
        signing out), so a late timer in a window meets a message, not a crash."""
        if self._closed:
            raise SessionClosed()
        return self._raw

    def execute(self, sql: str, params: Params = ()) -> Any:
        """Run one statement; returns the sqlcipher3 cursor. A damaged file raises
        DatabaseFileDamaged (here and in the other statement methods)."""
        try:
            return self._live().execute(sql, params)
        except sqlcipher3.DatabaseError as exc:
            _raise_if_damage(exc)
            raise

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        try:
            self._live().executemany(sql, rows)
        except sqlcipher3.DatabaseError as exc:
            _raise_if_damage(exc)
            raise

    def one(self, sql: str, params: Params = ()) -> Row | None:
        cursor = self.execute(sql, params)
        try:
            return cursor.fetchone()
        except sqlcipher3.DatabaseError as exc:
            _raise_if_damage(exc)
            raise
        finally:
            cursor.close()

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            return cast(list[Row], self._live().execute(sql, params).fetchall())
        except sqlcipher3.DatabaseError as exc:
            _raise_if_damage(exc)
            raise

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
        """Close the connection; any open transaction is rolled back. Safe to repeat."""
        if self._closed:
            return
        self._closed = True
        self._depth = 0
        try:
            if self._raw.in_transaction:
                self._raw.execute("ROLLBACK")
        finally:
            self._raw.close()

    @property
    def closed(self) -> bool:
        return self._closed
