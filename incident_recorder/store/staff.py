"""The staff list: every adult who may be named on a record."""

from __future__ import annotations

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import StaffMember
from incident_recorder.store.connection import Connection, Row

_COLUMNS = "id, full_name, job_title, active"


def _member(row: Row) -> StaffMember:
    return StaffMember(
        id=int(row["id"]),
        full_name=row["full_name"],
        job_title=row["job_title"],
        active=bool(row["active"]),
    )


class SqlStaffRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, full_name: str, job_title: str = "") -> StaffMember:
        if not full_name.strip():
            raise InvalidInput("Please enter the member of staff's full name.")
        with self._db.transaction():
            staff_id = self._db.insert(
                "INSERT INTO staff (full_name, job_title) VALUES (?, ?)", (full_name, job_title)
            )
        return StaffMember(id=staff_id, full_name=full_name, job_title=job_title)

    def get(self, staff_id: int) -> StaffMember:
        row = self._db.one(f"SELECT {_COLUMNS} FROM staff WHERE id = ?", (staff_id,))
        if row is None:
            raise NotFound(f"There is no member of staff with id {staff_id}.")
        return _member(row)

    def list(self, active_only: bool = True) -> list[StaffMember]:
        where = "WHERE active = 1" if active_only else ""
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM staff {where} ORDER BY full_name COLLATE NOCASE, id"
        )
        return [_member(row) for row in rows]
