"""The checks that say whether a database file is sound: SQLCipher's page tamper check,
SQLite's integrity check and the foreign keys. Used on the live database (verify,
self-check) and on each backup before it is trusted."""

from __future__ import annotations

import re

from incident_recorder.store.connection import Connection, DatabaseError


def integrity_problems(db: Connection) -> list[str]:
    """What is wrong with the file behind ``db``, in plain words; [] when it is sound."""
    problems: list[str] = []
    if db.encrypted:
        try:
            damaged = [str(row[0]) for row in db.all("PRAGMA cipher_integrity_check")]
        except DatabaseError as exc:
            damaged = [str(exc)]
        if damaged:
            problems.append(_cipher_problem(damaged))
    try:
        found = [str(row[0]) for row in db.all("PRAGMA integrity_check")]
    except DatabaseError as exc:
        found = [str(exc)]
    if found != ["ok"]:
        problems.append(
            "The database's internal structure is damaged, so some records may not read "
            f"back correctly. Restore the data folder from a backup. (SQLite reports "
            f"{len(found)} problem{'s' if len(found) != 1 else ''}; the first: {found[0]}.)"
        )
    try:
        broken = db.all("PRAGMA foreign_key_check")
    except DatabaseError:
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
