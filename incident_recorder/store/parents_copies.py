"""Copies of the written record supplied to parents, and decisions that an amended
version need not go. Kept unchanged: migration 0010's triggers refuse UPDATE and
DELETE."""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.parents_copy import CopyHow, CopySupply, SupplyKind
from incident_recorder.store._values import utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row
from incident_recorder.store.parent_contacts import local_text

_SELECT = (
    "SELECT c.id, c.incident_id, c.version, c.kind, c.at, c.how, c.parent, c.by_whom, "
    "c.note, c.recorded_at, c.recorded_by, u.full_name AS by_name "
    "FROM parents_copies AS c LEFT JOIN users AS u ON u.id = c.recorded_by"
)


def _supply(row: Row) -> CopySupply:
    return CopySupply(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        version=int(row["version"]),
        kind=SupplyKind(row["kind"]),
        at=datetime.fromisoformat(row["at"]),
        how=CopyHow(row["how"]) if row["how"] else None,
        parent=row["parent"],
        by_whom=row["by_whom"],
        note=row["note"],
        recorded_at=utc_from_text(row["recorded_at"]),
        recorded_by=int(row["recorded_by"]),
        recorded_by_name=row["by_name"] or "",
    )


class SqlParentsCopyRepository:
    """``store.parents_copies``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, supply: CopySupply, recorded_by: int, now: datetime) -> CopySupply:
        if supply.kind is SupplyKind.SUPPLIED and supply.how is None:
            raise InvalidInput("Say how the copy went to the parents.")
        if supply.kind is SupplyKind.NOT_NEEDED and not supply.note.strip():
            raise InvalidInput("Say why the amended copy need not go to the parents.")
        row = self._db.one(
            "SELECT status, version FROM incidents WHERE id = ?", (supply.incident_id,)
        )
        if row is None:
            raise NotFound(f"There is no record with id {supply.incident_id}.")
        if row["status"] != "submitted" or not 1 <= supply.version <= int(row["version"]):
            raise InvalidInput(f"The record has no version {supply.version}.")
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO parents_copies (incident_id, version, kind, at, how, parent, "
                "by_whom, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    supply.incident_id,
                    supply.version,
                    supply.kind.value,
                    local_text(supply.at),
                    "" if supply.how is None else supply.how.value,
                    supply.parent.strip(),
                    supply.by_whom.strip(),
                    supply.note.strip(),
                    utc_text(now),
                    recorded_by,
                ),
            )
        found = self._db.one(f"{_SELECT} WHERE c.id = ?", (new_id,))
        assert found is not None
        return _supply(found)

    def for_incident(self, incident_id: int) -> list[CopySupply]:
        """One record's copies supplied and decisions, in the order they happened."""
        rows = self._db.all(
            f"{_SELECT} WHERE c.incident_id = ? ORDER BY c.at, c.id", (incident_id,)
        )
        return [_supply(r) for r in rows]
