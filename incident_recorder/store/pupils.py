"""Pupils, and searching them by name or UPN."""

from __future__ import annotations

from datetime import date
from typing import Any

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import NewPupil, Pupil, SenStatus
from incident_recorder.store._values import (
    LIKE_ESCAPE,
    contains_pattern,
    date_from_text,
    date_text,
    fold,
    search_words,
)
from incident_recorder.store.connection import Connection, IntegrityError, Row

_COLUMNS = (
    "id, upn, first_name, last_name, preferred_name, date_of_birth, year_group, "
    "class_name, sen_status, looked_after, left_on"
)
# On roll first, then by surname: matches the pupils_roll index.
_ORDER = "ORDER BY (left_on IS NOT NULL), sort_key, id"


def pupil_search_name(first: str, preferred: str, last: str, upn: str) -> str:
    """The folded text a pupil is found by: every name and the UPN."""
    return fold(" ".join(part for part in (first, preferred, last, upn) if part))


def pupil_sort_key(first: str, preferred: str, last: str) -> str:
    return fold(f"{last}, {preferred or first}")


def pupil_from_row(row: Row) -> Pupil:
    return Pupil(
        id=int(row["id"]),
        upn=row["upn"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        preferred_name=row["preferred_name"],
        date_of_birth=date_from_text(row["date_of_birth"]),
        year_group=row["year_group"],
        class_name=row["class_name"],
        sen_status=SenStatus(row["sen_status"]),
        looked_after=bool(row["looked_after"]),
        left_on=date_from_text(row["left_on"]),
    )


def words_condition(column_sql: str, words: list[str]) -> tuple[str, list[Any]]:
    """SQL requiring every word to appear in ``column_sql`` (already folded)."""
    parts = [f"{column_sql} LIKE ? ESCAPE '{LIKE_ESCAPE}'" for _ in words]
    return " AND ".join(parts), [contains_pattern(w) for w in words]


class SqlPupilRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, pupil: NewPupil) -> Pupil:
        upn = pupil.upn.strip().upper()
        try:
            with self._db.transaction():
                pupil_id = self._db.insert(
                    "INSERT INTO pupils (upn, first_name, last_name, preferred_name, "
                    "date_of_birth, year_group, class_name, sen_status, looked_after, "
                    "search_name, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        upn,
                        pupil.first_name,
                        pupil.last_name,
                        pupil.preferred_name,
                        date_text(pupil.date_of_birth),
                        pupil.year_group,
                        pupil.class_name,
                        pupil.sen_status.value,
                        int(pupil.looked_after),
                        pupil_search_name(
                            pupil.first_name, pupil.preferred_name, pupil.last_name, upn
                        ),
                        pupil_sort_key(pupil.first_name, pupil.preferred_name, pupil.last_name),
                    ),
                )
        except IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise InvalidInput(f"A pupil with UPN {upn} is already on the list.") from None
            raise
        return Pupil(
            id=pupil_id,
            upn=upn,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            preferred_name=pupil.preferred_name,
            date_of_birth=pupil.date_of_birth,
            year_group=pupil.year_group,
            class_name=pupil.class_name,
            sen_status=pupil.sen_status,
            looked_after=pupil.looked_after,
        )

    def get(self, pupil_id: int) -> Pupil:
        row = self._db.one(f"SELECT {_COLUMNS} FROM pupils WHERE id = ?", (pupil_id,))
        if row is None:
            raise NotFound(f"There is no pupil with id {pupil_id}.")
        return pupil_from_row(row)

    def search(self, text: str, limit: int = 50) -> list[Pupil]:
        words = search_words(text)
        params: list[Any] = []
        where = ""
        if words:
            condition, params = words_condition("search_name", words)
            where = f"WHERE {condition}"
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM pupils {where} {_ORDER} LIMIT ?", (*params, max(0, limit))
        )
        return [pupil_from_row(row) for row in rows]

    def list(self) -> list[Pupil]:
        return [
            pupil_from_row(row) for row in self._db.all(f"SELECT {_COLUMNS} FROM pupils {_ORDER}")
        ]

    def has_plan(self, pupil_id: int, on: date) -> bool | None:
        return None  # behaviour support plans are not kept yet
