"""The positive-handling training of the staff (issue 13). Append-only: migration
0012's triggers refuse UPDATE and DELETE; a correction or a removal is a new row that
replaces an earlier one, so every entry ever made stays readable."""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.store._values import date_from_text, date_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_SELECT = (
    "SELECT t.id, t.staff_id, t.kind, t.course, t.trained_on, t.expires_on, t.note, "
    "t.replaces, t.recorded_at, t.recorded_by, u.full_name AS by_name "
    "FROM staff_training AS t LEFT JOIN users AS u ON u.id = t.recorded_by"
)
_IN_FORCE = (
    "t.kind = 'entry' AND NOT EXISTS (SELECT 1 FROM staff_training AS r WHERE r.replaces = t.id)"
)


def _record(row: Row) -> TrainingRecord:
    trained_on = date_from_text(row["trained_on"])
    assert trained_on is not None
    return TrainingRecord(
        staff_id=int(row["staff_id"]),
        course=row["course"],
        trained_on=trained_on,
        expires_on=date_from_text(row["expires_on"]),
        note=row["note"],
        id=int(row["id"]),
        recorded_at=utc_from_text(row["recorded_at"]),
        recorded_by=int(row["recorded_by"]),
        recorded_by_name=row["by_name"] or "",
        replaces=None if row["replaces"] is None else int(row["replaces"]),
    )


class SqlTrainingRepository:
    """``store.training``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def _in_force(self, entry_id: int) -> Row:
        row = self._db.one(f"{_SELECT} WHERE t.id = ? AND {_IN_FORCE}", (entry_id,))
        if row is None:
            raise NotFound(
                f"There is no training entry {entry_id} in force (it may have been corrected "
                "or removed already)."
            )
        return row

    def _insert(
        self,
        record: TrainingRecord,
        kind: str,
        replaces: int | None,
        recorded_by: int,
        now: datetime,
        note: str,
    ) -> int:
        return self._db.insert(
            "INSERT INTO staff_training (staff_id, kind, course, trained_on, expires_on, note, "
            "replaces, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.staff_id,
                kind,
                " ".join(record.course.split()) if kind == "entry" else "",
                date_text(record.trained_on) if kind == "entry" else None,
                date_text(record.expires_on) if kind == "entry" else None,
                note.strip(),
                replaces,
                utc_text(now),
                recorded_by,
            ),
        )

    def add(self, record: TrainingRecord, recorded_by: int, now: datetime) -> TrainingRecord:
        """Save a new entry; returns it with its id. NotFound for an unknown member of
        staff; InvalidInput without a course."""
        if self._db.one("SELECT 1 FROM staff WHERE id = ?", (record.staff_id,)) is None:
            raise NotFound(f"There is no member of staff with id {record.staff_id}.")
        if not record.course.strip():
            raise InvalidInput("Please enter the course.")
        with self._db.transaction():
            new_id = self._insert(record, "entry", None, recorded_by, now, record.note)
        return self.get(new_id)

    def correct(
        self, entry_id: int, record: TrainingRecord, recorded_by: int, now: datetime
    ) -> TrainingRecord:
        """Replace the entry ``entry_id`` (in force) with ``record`` (same person)."""
        old = self._in_force(entry_id)
        if int(old["staff_id"]) != record.staff_id:
            raise InvalidInput("A correction is for the same member of staff.")
        if not record.course.strip():
            raise InvalidInput("Please enter the course.")
        with self._db.transaction():
            new_id = self._insert(record, "entry", entry_id, recorded_by, now, record.note)
        return self.get(new_id)

    def remove(self, entry_id: int, reason: str, recorded_by: int, now: datetime) -> None:
        """Withdraw the entry ``entry_id`` (in force), with the reason."""
        old = _record(self._in_force(entry_id))
        if not reason.strip():
            raise InvalidInput("Please say why the training entry is being removed.")
        with self._db.transaction():
            self._insert(old, "removal", entry_id, recorded_by, now, reason)

    def any_in_force(self) -> bool:
        """Whether the school has recorded anyone's training (in force) at all."""
        return bool(
            self._db.scalar(f"SELECT EXISTS (SELECT 1 FROM staff_training AS t WHERE {_IN_FORCE})")
        )

    def get(self, entry_id: int) -> TrainingRecord:
        row = self._db.one(f"{_SELECT} WHERE t.id = ? AND t.kind = 'entry'", (entry_id,))
        if row is None:
            raise NotFound(f"There is no training entry {entry_id}.")
        return _record(row)

    def in_force(self, staff_ids: list[int] | None = None) -> list[TrainingRecord]:
        """The entries in force (everyone's, or ``staff_ids``'), by person then date."""
        where = _IN_FORCE
        params: tuple[int, ...] = ()
        if staff_ids is not None:
            if not staff_ids:
                return []
            where += f" AND t.staff_id IN ({', '.join('?' for _ in staff_ids)})"
            params = tuple(staff_ids)
        rows = self._db.all(
            f"{_SELECT} WHERE {where} ORDER BY t.staff_id, t.trained_on, t.id", params
        )
        return [_record(r) for r in rows]

    def history(self, staff_id: int) -> list[tuple[str, TrainingRecord, str]]:
        """Every row for one person, oldest first: (kind, the entry, the row's note)
        where a removal gives the entry it withdrew."""
        rows = self._db.all(f"{_SELECT} WHERE t.staff_id = ? ORDER BY t.id", (staff_id,))
        found: list[tuple[str, TrainingRecord, str]] = []
        for row in rows:
            if row["kind"] == "entry":
                found.append(("entry", _record(row), row["note"]))
            else:
                withdrawn = self.get(int(row["replaces"]))
                found.append(("removal", withdrawn, row["note"]))
        return found
