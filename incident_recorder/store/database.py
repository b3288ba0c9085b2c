"""The encrypted database as the services see it: :class:`SqlStore` (the ``Store``
port) and :class:`SqlStoreFactory` (the ``StoreFactory`` port)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseFileDamaged,
    DatabaseTooNew,
    NotSetUp,
)

# sqlcipher3, the migrations and the repositories are imported when a database is first
# opened, not at start-up: the sign-in window needs none of them (docs/performance.md).
if TYPE_CHECKING:
    from incident_recorder.domain.backups import Generation
    from incident_recorder.store.connection import Connection
    from incident_recorder.store.migrate import MigrationSet

log = logging.getLogger("incident_recorder.store")

DATABASE_NAME = "incidents.db"
# The benchmarks' unencrypted comparison database: a different name, so it can never be
# mistaken for (or replace) the real one.
PLAINTEXT_DATABASE_NAME = "incidents-plaintext-benchmark.db"


class SqlStore:
    """The ``Store`` port over one open connection. Use it from one thread only; open
    another store (``SqlStoreFactory.open``) for a worker thread."""

    def __init__(
        self, db: Connection, data_dir: Path, migrations: MigrationSet | None = None
    ) -> None:
        from incident_recorder.store.audit import SqlAuditLog
        from incident_recorder.store.backup import SqlBackupShelf
        from incident_recorder.store.calendar import SqlCalendarRepository
        from incident_recorder.store.desk import SqlDeskRepository
        from incident_recorder.store.documents import SqlDocumentRepository
        from incident_recorder.store.governors_reports import SqlGovernorsReportRepository
        from incident_recorder.store.incidents import SqlIncidentRepository
        from incident_recorder.store.oversight import SqlOversightRepository
        from incident_recorder.store.parent_contacts import SqlParentContactRepository
        from incident_recorder.store.parents_copies import SqlParentsCopyRepository
        from incident_recorder.store.plans import SqlPlanRepository
        from incident_recorder.store.pupils import SqlPupilRepository
        from incident_recorder.store.reviews import SqlReviewRepository
        from incident_recorder.store.settings import SqlSettingsRepository
        from incident_recorder.store.sign_offs import SqlSignOffRepository
        from incident_recorder.store.staff import SqlStaffRepository
        from incident_recorder.store.statements import SqlStatementRepository
        from incident_recorder.store.training import SqlTrainingRepository
        from incident_recorder.store.users import SqlUserRepository

        self._db = db
        self._data_dir = data_dir
        self._migrations = migrations  # None: the app's own (for the schema check)
        self.settings = SqlSettingsRepository(db)
        self.users = SqlUserRepository(db)
        self.staff = SqlStaffRepository(db)
        self.training = SqlTrainingRepository(db)
        self.pupils = SqlPupilRepository(db)
        self.incidents = SqlIncidentRepository(db)
        self.plans = SqlPlanRepository(db)
        self.reviews = SqlReviewRepository(db)
        self.documents = SqlDocumentRepository(db)
        self.parent_contacts = SqlParentContactRepository(db)
        self.parents_copies = SqlParentsCopyRepository(db)
        self.sign_offs = SqlSignOffRepository(db)
        self.desk = SqlDeskRepository(db)  # issue 13: the safeguarding lead's desk
        self.statements = SqlStatementRepository(db)
        # Issue 14: the oversight figures' reading, and the governors' reports kept.
        self.oversight = SqlOversightRepository(db)
        self.governors_reports = SqlGovernorsReportRepository(db)
        self.calendar = SqlCalendarRepository(db)  # issue 14: the school calendar
        self.audit = SqlAuditLog(db)
        self.backups = SqlBackupShelf(db, data_dir)

    @property
    def data_dir(self) -> Path:
        """The data folder this store's database is in (shown in Help ▸ About)."""
        return self._data_dir

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._db.transaction():
            yield

    def integrity_problems(self) -> list[str]:
        """The file's checks (every page, SQLite's integrity check, the foreign keys) and
        the schema against what the migrations make."""
        from incident_recorder.store.integrity import integrity_problems, schema_problems

        return integrity_problems(self._db) + schema_problems(self._db, self._migrations)

    def full_problems(self, stopped: Callable[[], bool] = lambda: False) -> list[str]:
        """Every check, the audit chain too; a part of the file that cannot be read is
        reported as damage, never raised (store/integrity.full_problems)."""
        from incident_recorder.store.integrity import full_problems

        return full_problems(self._db, self._migrations, stopped)

    def page_problems(self) -> list[str]:
        """Every page of the file read against SQLCipher's tamper check (seconds on a
        very large database)."""
        from incident_recorder.store.integrity import page_problems

        return page_problems(self._db)

    def backup(self, label: str = "manual", now: datetime | None = None) -> Path:
        """A new generation in the data folder's ``backups/``; returns the path of its
        encrypted database file."""
        from incident_recorder.store.backup import BACKUPS_FOLDER, DATABASE_FILE

        made = self.backups.make(label, now or datetime.now(UTC))
        return self._data_dir / BACKUPS_FOLDER / made.name / DATABASE_FILE

    @property
    def schema_version(self) -> int:
        from incident_recorder.store.migrate import schema_version

        return schema_version(self._db)

    @property
    def connection(self) -> Connection:
        """The open connection, for the store's own modules and the tests."""
        return self._db

    def close(self) -> None:
        self._db.close()

    @property
    def closed(self) -> bool:
        return self._db.closed


class SqlStoreFactory:
    """Creates or opens ``incidents.db`` in ``data_dir`` with the raw data key.

    ``plaintext_for_benchmark=True`` keeps an UNENCRYPTED database under another file
    name and ignores the key: only for the benchmarks comparing SQLCipher with plain
    SQLite. Never use it for real data.
    """

    def __init__(
        self,
        data_dir: Path,
        plaintext_for_benchmark: bool = False,
        *,
        migrations: MigrationSet | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.plaintext = plaintext_for_benchmark
        self._migrations = migrations
        self._given_migrations = migrations

    @property
    def path(self) -> Path:
        name = PLAINTEXT_DATABASE_NAME if self.plaintext else DATABASE_NAME
        return self.data_dir / name

    @property
    def backups_dir(self) -> Path:
        from incident_recorder.store.backup import BACKUPS_FOLDER

        return self.data_dir / BACKUPS_FOLDER

    def migrations(self) -> MigrationSet:
        from incident_recorder.store.migrate import MigrationSet

        if self._migrations is None:
            self._migrations = MigrationSet.bundled()
        return self._migrations

    def exists(self) -> bool:
        return self.path.is_file()

    def create(self, data_key: bytes) -> SqlStore:
        if self.exists():
            raise AlreadySetUp(str(self.data_dir))
        from incident_recorder.store.migrate import migrate, schema_version

        self.data_dir.mkdir(parents=True, exist_ok=True)
        db = self._connect(data_key)
        try:
            migrate(db, self.migrations())
        except BaseException:
            db.close()
            _remove_database(self.path)
            raise
        log.info("database created at schema %d", schema_version(db))
        return SqlStore(db, self.data_dir)

    def upgrade(
        self, data_key: bytes, report: Callable[[int, int, str], None] | None = None
    ) -> bool:
        """Bring the database up to this app's schema on a connection of its own (made,
        used and closed in the calling thread, so a worker thread can do it), with an
        encrypted backup first; ``report(done, total, text)`` hears how far it has got.
        True if anything was done. Each migration is one transaction: switched off
        halfway, the database is still complete at its old version."""
        db, applied = self._open_upgraded(data_key, report)
        try:
            if applied:
                # The migration's pages are still in the write-ahead log: copy them into
                # the database here, on this (worker) thread, not at the first commit of
                # the connection the app opens next.
                if report is not None:
                    report(0, 0, "Finishing the update")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        return bool(applied)

    def open(self, data_key: bytes) -> SqlStore:
        db, _applied = self._open_upgraded(data_key, None)
        log.info("database opened at schema %d", self._schema(db))
        return SqlStore(db, self.data_dir, self._own_migrations())

    def open_read_only(self, data_key: bytes) -> SqlStore:
        """The database opened for checking: nothing is written to it (no migration, no
        audit entry, no ``-wal``/``-shm`` where SQLite can do without them; see
        Connection.open_read_only). Raises DatabaseDamaged when it cannot be read."""
        from incident_recorder.store.connection import Connection

        if not self.exists():
            raise NotSetUp(str(self.data_dir))
        key = None if self.plaintext else data_key
        db = Connection.open_read_only(self.path, key)
        version = self._schema(db)
        if version > self.migrations().latest:
            db.close()
            raise DatabaseTooNew(version, self.migrations().latest)
        return SqlStore(db, self.data_dir, self._own_migrations())

    def generations(self) -> list[Generation]:
        """The data folder's backups, oldest first (read without the key)."""
        from incident_recorder.store.backup import generations

        return generations(self.backups_dir)

    def _own_migrations(self) -> MigrationSet | None:
        """The migrations given to this factory (tests), or None for the app's own."""
        return self._given_migrations

    @staticmethod
    def _schema(db: Connection) -> int:
        from incident_recorder.store.migrate import schema_version

        return schema_version(db)

    def _open_upgraded(
        self, data_key: bytes, report: Callable[[int, int, str], None] | None
    ) -> tuple[Connection, list[int]]:
        if not self.exists():
            raise NotSetUp(str(self.data_dir))
        from incident_recorder.store.backup import backup_database
        from incident_recorder.store.migrate import has_tables, migrate, schema_version

        db = self._connect(data_key)
        try:
            migrations = self.migrations()
            version = schema_version(db)
            if version > migrations.latest:
                raise DatabaseTooNew(version, migrations.latest)
            # Damage is looked for before anything is written (a migration, its backup).
            self._check_quickly(db)

            def backup_first(current: int, target: int) -> None:
                if has_tables(db):
                    if report is not None:
                        report(0, 0, "Making an encrypted safety copy first")
                    backup_database(db, self.backups_dir, f"before-schema-{target}")

            applied = migrate(db, migrations, before=backup_first, report=report)
        except BaseException:
            db.close()
            raise
        return db, applied

    def _check_quickly(self, db: Connection) -> None:
        """The cheap check at opening (store/integrity.quick_problems): raises
        DatabaseFileDamaged with what was found."""
        from incident_recorder.store.integrity import quick_problems

        problems = quick_problems(db, self._own_migrations())
        if problems:
            log.warning("the database failed the check at opening (%d findings)", len(problems))
            raise DatabaseFileDamaged(" ".join(problems))

    def _connect(self, data_key: bytes) -> Connection:
        from incident_recorder.store.connection import Connection

        if self.plaintext:
            log.warning("opening an UNENCRYPTED benchmark database")
            return Connection.open(self.path, None)
        return Connection.open(self.path, data_key)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()
