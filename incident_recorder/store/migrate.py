"""Schema migrations: numbered SQL files, forward only, one transaction each.

``migrations/NNNN_short_name.sql`` takes the database from schema ``NNNN - 1`` to
``NNNN``; ``PRAGMA user_version`` holds the schema the database is at. To change the
schema, add the next file (for example ``0002_pupil_plans.sql``); never edit one that
has shipped, and add a fixture database of the old schema to ``tests/fixtures``.

Each file runs inside one transaction with foreign-key enforcement off (so a table
can be rebuilt the way SQLite's documentation describes); the foreign keys are
checked before the transaction commits. A file therefore must not contain
statements that cannot run in a transaction (``VACUUM``, ``PRAGMA journal_mode``)
or its own ``BEGIN``/``COMMIT``.

The caller makes an encrypted backup first (see :mod:`incident_recorder.store.backup`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from incident_recorder.domain.errors import DatabaseTooNew
from incident_recorder.store.connection import Connection

log = logging.getLogger("incident_recorder.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    """A problem with the migration files themselves (a programming error)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


class MigrationSet:
    """The migrations this version of the app knows, numbered 1, 2, 3 … without gaps."""

    def __init__(self, migrations: Sequence[Migration]) -> None:
        ordered = sorted(migrations, key=lambda m: m.version)
        for expected, migration in enumerate(ordered, start=1):
            if migration.version != expected:
                raise MigrationError(
                    f"migration {expected:04d} is missing (found {migration.version:04d})"
                )
        self._migrations = tuple(ordered)

    @classmethod
    def from_folder(cls, folder: Path) -> MigrationSet:
        found = []
        for path in sorted(folder.glob("*.sql")):
            match = _NAME.match(path.name)
            if match is None:
                raise MigrationError(f"{path.name} is not named like 0002_short_name.sql")
            found.append(
                Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8"))
            )
        return cls(found)

    @classmethod
    def bundled(cls) -> MigrationSet:
        return cls.from_folder(MIGRATIONS_DIR)

    @property
    def latest(self) -> int:
        return self._migrations[-1].version if self._migrations else 0

    def __iter__(self) -> Iterator[Migration]:
        return iter(self._migrations)

    def pending(self, current: int, target: int | None = None) -> list[Migration]:
        """The migrations after schema ``current``, up to ``target`` (default: latest)."""
        if current > self.latest:
            raise DatabaseTooNew(current, self.latest)
        stop = self.latest if target is None else target
        return [m for m in self._migrations if current < m.version <= stop]


def schema_version(db: Connection) -> int:
    return int(db.pragma("user_version"))


def has_tables(db: Connection) -> bool:
    return int(db.scalar("SELECT count(*) FROM sqlite_master")) > 0


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    rest = "\n".join(
        line for line in buffer.splitlines() if line.strip() and not line.strip().startswith("--")
    )
    if rest.strip():
        raise MigrationError(f"incomplete SQL statement at the end: {rest.strip()[:60]!r}")
    return statements


def migrate(
    db: Connection,
    migrations: MigrationSet,
    *,
    target: int | None = None,
    before: Callable[[int, int], None] | None = None,
    report: Callable[[int, int, str], None] | None = None,
) -> list[int]:
    """Bring the database up to ``target`` (default: the latest schema).

    ``before(current, target)`` runs first when there is anything to do (the store uses
    it to make a backup). ``report(done, total, text)`` hears of each statement run
    (a progress window). Returns the versions applied. Raises DatabaseTooNew when the
    database is newer than ``migrations`` knows.
    """
    current = schema_version(db)
    pending = migrations.pending(current, target)
    if not pending:
        return []
    if before is not None:
        before(current, pending[-1].version)
    scripts = [(m, split_statements(m.sql)) for m in pending]
    total, done = sum(len(statements) for _, statements in scripts), 0
    applied: list[int] = []
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        for number, (migration, statements) in enumerate(scripts, start=1):
            with db.transaction():
                for statement in statements:
                    if report is not None:
                        report(
                            done, total, f"Updating the records: step {number} of {len(scripts)}"
                        )
                    db.execute(statement)
                    done += 1
                broken = db.all("PRAGMA foreign_key_check")
                if broken:
                    raise MigrationError(
                        f"migration {migration.version:04d} left {len(broken)} broken references"
                    )
                db.execute(f"PRAGMA user_version = {int(migration.version)}")
            applied.append(migration.version)
            log.info("database migrated to schema %d", migration.version)
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return applied
