"""Contacts with parents about each incident (attempts, letters sent, replies). Kept
unchanged: migration 0006's triggers refuse UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.parents_told import ContactEntryKind, ParentContactEntry
from incident_recorder.store._values import utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_SELECT = (
    "SELECT c.id, c.incident_id, c.kind, c.at, c.parent, c.method, c.outcome, c.by_whom, "
    "c.note, c.recorded_at, c.recorded_by, u.full_name AS by_name "
    "FROM parent_contacts AS c LEFT JOIN users AS u ON u.id = c.recorded_by"
)


def local_text(moment: datetime) -> str:
    """A local wall-clock moment as stored: yyyy-mm-ddTHH:MM."""
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")


def _entry(row: Row) -> ParentContactEntry:
    return ParentContactEntry(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        kind=ContactEntryKind(row["kind"]),
        at=datetime.fromisoformat(row["at"]),
        parent=row["parent"],
        method=row["method"],
        outcome=row["outcome"],
        by_whom=row["by_whom"],
        note=row["note"],
        recorded_at=utc_from_text(row["recorded_at"]),
        recorded_by=int(row["recorded_by"]),
        recorded_by_name=row["by_name"] or "",
    )


class SqlParentContactRepository:
    """``store.parent_contacts``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, entry: ParentContactEntry, recorded_by: int, now: datetime) -> ParentContactEntry:
        if not entry.method:
            raise InvalidInput("Say how the contact was made.")
        row = self._db.one("SELECT status FROM incidents WHERE id = ?", (entry.incident_id,))
        if row is None:
            raise NotFound(f"There is no record with id {entry.incident_id}.")
        with self._db.transaction():
            entry_id = self._db.insert(
                "INSERT INTO parent_contacts (incident_id, kind, at, parent, method, outcome, "
                "by_whom, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.incident_id,
                    entry.kind.value,
                    local_text(entry.at),
                    entry.parent.strip(),
                    entry.method,
                    entry.outcome,
                    entry.by_whom.strip(),
                    entry.note.strip(),
                    utc_text(now),
                    recorded_by,
                ),
            )
        found = self._db.one(f"{_SELECT} WHERE c.id = ?", (entry_id,))
        assert found is not None
        return _entry(found)

    def for_incident(self, incident_id: int) -> list[ParentContactEntry]:
        """One record's contacts in the order they happened."""
        rows = self._db.all(
            f"{_SELECT} WHERE c.incident_id = ? ORDER BY c.at, c.id", (incident_id,)
        )
        return [_entry(r) for r in rows]
