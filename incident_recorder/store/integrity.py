"""The checks that say whether a database file is sound: SQLCipher's page tamper check,
SQLite's integrity check and the foreign keys (:func:`integrity_problems`); the schema
against what the migrations make (:func:`schema_problems`); everything at once, the audit
chain too, with any read error reported as damage (:func:`full_problems`); and the cheap
check made each time the database is opened (:func:`quick_problems`). Used on the live
database (verify, self-check, sign-in, the background check after sign-in) and on each
backup before it is trusted.

Costs on the full-size benchmark database (750 MB, 100,000 records; docs/performance.md):
the quick check a few milliseconds; SQLCipher's check of every page about 2.7 s; SQLite's
quick check about 4.5 s.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from incident_recorder.domain.errors import DatabaseDamaged
from incident_recorder.store.connection import Connection, DatabaseError

if TYPE_CHECKING:
    from incident_recorder.store.migrate import MigrationSet

log = logging.getLogger("incident_recorder.store")

# What a read can raise on a damaged file: SQLite's own error, or the connection's
# DatabaseFileDamaged (connection.py turns the damage errors into it).
_READ_ERRORS = (DatabaseError, DatabaseDamaged)


def integrity_problems(db: Connection) -> list[str]:
    """What is wrong with the file behind ``db``, in plain words; [] when it is sound."""
    problems: list[str] = []
    if db.encrypted:
        damaged = page_reports(db)
        if damaged:
            problems.append(_cipher_problem(damaged))
    try:
        found = [str(row[0]) for row in db.all("PRAGMA integrity_check")]
    except _READ_ERRORS as exc:
        found = [_reason(exc)]
    if found != ["ok"]:
        # One row may hold many lines ("*** in database main ***", then one per page).
        lines = [x for row in found for x in row.splitlines() if x and not x.startswith("***")]
        found = lines or found
        problems.append(
            "The database's internal structure is damaged, so some records may not read "
            f"back correctly. Restore the data folder from a backup. (SQLite reports "
            f"{len(found)} problem{'s' if len(found) != 1 else ''}; the first: {found[0]}.)"
        )
    try:
        broken = db.all("PRAGMA foreign_key_check")
    except _READ_ERRORS:
        broken = []  # the damage is reported above
    if broken:
        problems.append(
            f"{len(broken)} row{'s' if len(broken) != 1 else ''} in the database refer to "
            f"entries that no longer exist (first in table {broken[0][0]})."
        )
    return problems


def _cipher_problem(reports: list[str]) -> str:
    pages = [int(m.group(1)) for r in reports if (m := re.search(r"page (\d+)", r))]
    if not pages:
        where = "Parts of the encrypted database file fail"
    elif len(pages) == 1:
        where = f"Part of the encrypted database file (page {pages[0]}) fails"
    else:
        shown = ", ".join(str(p) for p in pages[:5])
        more = f" and {len(pages) - 5} more" if len(pages) > 5 else ""
        where = f"Parts of the encrypted database file (pages {shown}{more}) fail"
    return (
        f"{where} the tamper check: damaged or changed outside Incident Recorder. "
        "Restore the data folder from a backup."
    )


def _reason(exc: BaseException) -> str:
    detail = getattr(exc, "detail", "")
    return str(detail or exc)


def page_reports(db: Connection) -> list[str]:
    """SQLCipher's check of every page of an encrypted file against its tamper check
    (HMAC): one report per damaged page, [] when all pass. Reads the whole file."""
    if not db.encrypted:
        return []
    try:
        return [str(row[0]) for row in db.all("PRAGMA cipher_integrity_check")]
    except _READ_ERRORS as exc:
        return [_reason(exc)]


def page_problems(db: Connection) -> list[str]:
    """:func:`page_reports` in plain words ([] when every page passes)."""
    reports = page_reports(db)
    return [_cipher_problem(reports)] if reports else []


# ------------------------------------------------------------------ the schema

# SQLite's own bookkeeping, made and changed by SQLite itself (ANALYZE, AUTOINCREMENT).
_SQLITE_OWN = re.compile(r"^sqlite_(stat\d|sequence)$")
_KIND_WORDS = {"table": "table", "index": "index", "trigger": "protective rule", "view": "view"}


def _normalised(sql: str | None) -> str:
    return " ".join((sql or "").split()).rstrip(";").lower()


def _entries(db: Connection, schema: str = "main") -> dict[tuple[str, str], str]:
    rows = db.all(f"SELECT type, name, sql FROM {schema}.sqlite_master")
    return {
        (str(row[0]), str(row[1])): _normalised(row[2])
        for row in rows
        if not _SQLITE_OWN.match(str(row[1]))
    }


@lru_cache(maxsize=8)
def _expected_bundled(version: int) -> tuple[tuple[tuple[str, str], str], ...]:
    from incident_recorder.store.migrate import MigrationSet

    return tuple(sorted(_made_by(MigrationSet.bundled(), version).items()))


def _made_by(migrations: MigrationSet, version: int) -> dict[tuple[str, str], str]:
    """What ``migrations`` make up to schema ``version``, on a fresh in-memory database."""
    import sqlcipher3

    from incident_recorder.store.migrate import migrate

    raw = sqlcipher3.connect(":memory:", isolation_level=None, check_same_thread=True)
    db = Connection(raw, Path(":memory:"), encrypted=False)
    try:
        if version > 0:
            migrate(db, migrations, target=version)
        return _entries(db)
    finally:
        db.close()


def expected_schema(
    version: int, migrations: MigrationSet | None = None
) -> dict[tuple[str, str], str]:
    """Every table, index, trigger and view (``(type, name)`` -> normalised SQL) that
    the migrations make up to schema ``version`` (the app's own migrations, cached, when
    ``migrations`` is None)."""
    if migrations is None:
        return dict(_expected_bundled(version))
    return _made_by(migrations, version)


def schema_problems(db: Connection, migrations: MigrationSet | None = None) -> list[str]:
    """The live schema against what the migrations make at the database's schema
    version: a table, index or protective rule (trigger) missing, changed or added is
    named in plain words. [] when they match."""
    from incident_recorder.store.migrate import schema_version

    version = schema_version(db)
    latest = migrations.latest if migrations is not None else _bundled_latest()
    if version > latest:
        return []  # a newer app's database: refused on opening (DatabaseTooNew)
    expected = expected_schema(version, migrations)
    found = _entries(db)
    problems: list[str] = []
    for key in sorted(expected.keys() - found.keys()):
        problems.append(f"{_described(key)} is missing{_why(key)}.")
    for key in sorted(expected.keys() & found.keys()):
        if expected[key] != found[key]:
            problems.append(f"{_described(key)} has been changed{_why(key)}.")
    for key in sorted(found.keys() - expected.keys()):
        problems.append(f"{_described(key)} has been added that Incident Recorder did not make.")
    if problems:
        problems.append(
            "The database's structure was changed outside Incident Recorder, so the records "
            "can no longer be trusted to be complete and unaltered."
        )
    return problems


@lru_cache(maxsize=1)
def _bundled_latest() -> int:
    from incident_recorder.store.migrate import MigrationSet

    return MigrationSet.bundled().latest


def _described(key: tuple[str, str]) -> str:
    kind, name = key
    word = _KIND_WORDS.get(kind, kind)
    article = "An" if word[0] in "aeiou" else "A"
    return f"{article} {word} of the database ({kind} '{name}')"


def _why(key: tuple[str, str]) -> str:
    kind, name = key
    if kind != "trigger":
        return ""
    if name.startswith("audit"):
        return ": it stops audit entries from being changed or removed"
    if "version" in name or "submitted" in name:
        return ": it stops submitted records and their versions from being changed"
    return ""


# ------------------------------------------------------------------ at opening


def quick_problems(db: Connection, migrations: MigrationSet | None = None) -> list[str]:
    """The cheap check made each time the database is opened (a few milliseconds on the
    largest database): the schema against the migrations, and each table's first and
    last rows (the pages written most recently are at the end of the file). A read that
    fails is reported as damage. [] when nothing was found; :func:`full_problems` reads
    everything."""
    try:
        problems = schema_problems(db, migrations)
        for (kind, name), _sql in sorted(_entries(db).items()):
            if kind != "table" or "virtual table" in _sql:
                continue
            quoted = name.replace('"', '""')
            if "without rowid" in _sql:
                db.all(f'SELECT * FROM "{quoted}" LIMIT 1')
            else:
                # Apart: SQLite reads just the ends of the tree only for one min or max.
                db.all(f'SELECT min(rowid) FROM "{quoted}"')
                db.all(f'SELECT max(rowid) FROM "{quoted}"')
        if db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'audit'"):
            db.all("SELECT * FROM audit ORDER BY seq DESC LIMIT 1")
    except _READ_ERRORS as exc:
        return [f"The database file is damaged: {_reason(exc)}."]
    return problems


# ------------------------------------------------------------------ everything


def full_problems(
    db: Connection,
    migrations: MigrationSet | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> list[str]:
    """Every check: the pages, SQLite's integrity check and the foreign keys, the schema,
    and the audit chain with the records' fingerprints. A read that fails in any step is
    reported as damage (never raised). ``stopped()`` is asked between the steps; when it
    says True the rest are left out."""
    from incident_recorder.store.audit import SqlAuditLog

    steps: list[tuple[str, Callable[[], list[str]]]] = [
        ("the file", lambda: integrity_problems(db)),
        ("the structure", lambda: schema_problems(db, migrations)),
        ("the audit chain", lambda: SqlAuditLog(db).verify()),
    ]
    problems: list[str] = []
    for what, step in steps:
        if stopped():
            break
        try:
            problems += step()
        except _READ_ERRORS as exc:
            log.warning("the check of %s could not read the file", what)
            problems.append(
                f"The database file is damaged: {_reason(exc)}, found while checking {what}."
            )
    return problems
