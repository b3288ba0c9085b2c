"""Pupils, and searching them by name or UPN."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import Contact, NewPupil, Pupil, PupilName, SenStatus
from incident_recorder.store._values import (
    LIKE_ESCAPE,
    contains_pattern,
    date_from_text,
    date_text,
    fold,
    search_words,
)
from incident_recorder.store.connection import Connection, IntegrityError, Row

# The values a pupil holds besides id, UPN, search_name and sort_key, in table order;
# the dataclass fields of the same names. ``_FLAGS`` are stored as 0/1.
_VALUES = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "year_group",
    "class_name",
    "sen_status",
    "looked_after",
    "sex",
    "ethnicity",
    "primary_need",
    "previously_looked_after",
    "kinship_care",
    "child_in_need",
    "child_protection_plan",
    "free_school_meals",
    "pupil_premium",
    "eal",
    "first_language",
    "joined_on",  # schema 15
)
_FLAGS = frozenset(
    {
        "looked_after",
        "previously_looked_after",
        "kinship_care",
        "child_in_need",
        "child_protection_plan",
        "free_school_meals",
        "pupil_premium",
        "eal",
    }
)
_COLUMNS = "id, upn, " + ", ".join(_VALUES) + ", left_on"
_CONTACT_COLUMNS = (
    "pupil_id, position, name, relationship, parental_responsibility, address, phone, "
    "email, preferred_language, receives_correspondence"
)
# On roll first, then by surname: matches the pupils_roll index.
_ORDER = "ORDER BY (left_on IS NOT NULL), sort_key, id"


def pupil_search_name(first: str, preferred: str, last: str, upn: str) -> str:
    """The folded text a pupil is found by: every name and the UPN."""
    return fold(" ".join(part for part in (first, preferred, last, upn) if part))


def pupil_sort_key(first: str, preferred: str, last: str) -> str:
    return fold(f"{last}, {preferred or first}")


def pupil_from_row(row: Row, contacts: tuple[Contact, ...] = ()) -> Pupil:
    values: dict[str, Any] = {name: row[name] for name in _VALUES}
    for name in _FLAGS:
        values[name] = bool(values[name])
    values["date_of_birth"] = date_from_text(row["date_of_birth"])
    values["joined_on"] = date_from_text(row["joined_on"])
    values["sen_status"] = SenStatus(row["sen_status"])
    return Pupil(
        id=int(row["id"]),
        upn=row["upn"],
        left_on=date_from_text(row["left_on"]),
        contacts=contacts,
        **values,
    )


def contact_from_row(row: Row) -> Contact:
    return Contact(
        name=row["name"],
        relationship=row["relationship"],
        parental_responsibility=bool(row["parental_responsibility"]),
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
        preferred_language=row["preferred_language"],
        receives_correspondence=bool(row["receives_correspondence"]),
    )


def _row_values(pupil: NewPupil | Pupil) -> list[Any]:
    """The ``_VALUES`` of ``pupil`` as the table stores them."""
    out: list[Any] = []
    for name in _VALUES:
        value = getattr(pupil, name)
        if name in _FLAGS:
            value = int(value)
        elif name in ("date_of_birth", "joined_on"):
            value = date_text(value)
        elif name == "sen_status":
            value = value.value
        out.append(value)
    return out


def words_condition(column_sql: str, words: list[str]) -> tuple[str, list[Any]]:
    """SQL requiring every word to appear in ``column_sql`` (already folded)."""
    parts = [f"{column_sql} LIKE ? ESCAPE '{LIKE_ESCAPE}'" for _ in words]
    return " AND ".join(parts), [contains_pattern(w) for w in words]


class SqlPupilRepository:
    """Pupils and their parents and carers (``Pupil.contacts``, kept in
    ``pupil_contacts`` and always read and written with the pupil as a whole)."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, pupil: NewPupil) -> Pupil:
        upn = pupil.upn.strip().upper()
        columns = ", ".join(_VALUES)
        marks = ", ".join("?" for _ in _VALUES)
        try:
            with self._db.transaction():
                pupil_id = self._db.insert(
                    f"INSERT INTO pupils (upn, {columns}, search_name, sort_key) "
                    f"VALUES (?, {marks}, ?, ?)",
                    (
                        upn,
                        *_row_values(pupil),
                        pupil_search_name(
                            pupil.first_name, pupil.preferred_name, pupil.last_name, upn
                        ),
                        pupil_sort_key(pupil.first_name, pupil.preferred_name, pupil.last_name),
                    ),
                )
                self._write_contacts(pupil_id, pupil.contacts)
        except IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise InvalidInput(f"A pupil with UPN {upn} is already on the list.") from None
            raise
        values = {f.name: getattr(pupil, f.name) for f in dataclasses.fields(pupil)}
        values["upn"] = upn
        return Pupil(id=pupil_id, **values)

    def update(self, pupil: Pupil) -> Pupil:
        """Save every field of ``pupil`` (found by id), its contacts and ``left_on``."""
        upn = pupil.upn.strip().upper()
        assignments = ", ".join(f"{name} = ?" for name in _VALUES)
        try:
            with self._db.transaction():
                changed = self._db.execute(
                    f"UPDATE pupils SET upn = ?, {assignments}, left_on = ?, search_name = ?, "
                    "sort_key = ? WHERE id = ?",
                    (
                        upn,
                        *_row_values(pupil),
                        date_text(pupil.left_on),
                        pupil_search_name(
                            pupil.first_name, pupil.preferred_name, pupil.last_name, upn
                        ),
                        pupil_sort_key(pupil.first_name, pupil.preferred_name, pupil.last_name),
                        pupil.id,
                    ),
                ).rowcount
                if changed == 0:
                    raise NotFound(f"There is no pupil with id {pupil.id}.")
                self._db.execute("DELETE FROM pupil_contacts WHERE pupil_id = ?", (pupil.id,))
                self._write_contacts(pupil.id, pupil.contacts)
        except IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise InvalidInput(f"A pupil with UPN {upn} is already on the list.") from None
            raise
        return dataclasses.replace(pupil, upn=upn)

    def _write_contacts(self, pupil_id: int, contacts: tuple[Contact, ...]) -> None:
        self._db.executemany(
            f"INSERT INTO pupil_contacts ({_CONTACT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    pupil_id,
                    position,
                    c.name,
                    c.relationship,
                    int(c.parental_responsibility),
                    c.address,
                    c.phone,
                    c.email,
                    c.preferred_language,
                    int(c.receives_correspondence),
                )
                for position, c in enumerate(contacts, start=1)
            ],
        )

    def _with_contacts(self, rows: list[Row], every: bool = False) -> list[Pupil]:
        """Pupils from ``rows`` with their contacts (read in one query)."""
        if not rows:
            return []
        if every:
            found = self._db.all(f"SELECT {_CONTACT_COLUMNS} FROM pupil_contacts")
        else:
            ids = [int(row["id"]) for row in rows]
            marks = ", ".join("?" for _ in ids)
            found = self._db.all(
                f"SELECT {_CONTACT_COLUMNS} FROM pupil_contacts WHERE pupil_id IN ({marks})", ids
            )
        by_pupil: dict[int, list[tuple[int, Contact]]] = {}
        for c in found:
            by_pupil.setdefault(int(c["pupil_id"]), []).append(
                (int(c["position"]), contact_from_row(c))
            )
        return [
            pupil_from_row(
                row, tuple(c for _, c in sorted(by_pupil.get(int(row["id"]), []), key=_first))
            )
            for row in rows
        ]

    def get(self, pupil_id: int) -> Pupil:
        row = self._db.one(f"SELECT {_COLUMNS} FROM pupils WHERE id = ?", (pupil_id,))
        if row is None:
            raise NotFound(f"There is no pupil with id {pupil_id}.")
        return self._with_contacts([row])[0]

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
        return self._with_contacts(rows)

    def list(self) -> list[Pupil]:
        rows = self._db.all(f"SELECT {_COLUMNS} FROM pupils {_ORDER}")
        return self._with_contacts(rows, every=True)

    def names_on_roll(self, on: date, text: str) -> tuple[PupilName, ...]:
        """Pupils on roll on ``on`` whose first or preferred name could be in ``text``:
        a superset (first names found through the search index by each word's prefix,
        every preferred name), for the caller to check whole names."""
        words = sorted({w for w in fold(text).replace("-", " ").split() if len(w) >= 2})
        columns = "id, first_name, preferred_name, last_name"
        on_roll = "(left_on IS NULL OR left_on > ?)"
        rows: dict[int, Row] = {}
        for start in range(0, len(words), 200):
            chunk = words[start : start + 200]
            ranges = " OR ".join("(search_name >= ? AND search_name < ?)" for _ in chunk)
            params: list[Any] = [date_text(on)]
            for w in chunk:
                params += [w, w + "\U0010ffff"]
            for row in self._db.all(
                f"SELECT {columns} FROM pupils WHERE {on_roll} AND ({ranges})", params
            ):
                rows[int(row["id"])] = row
        if words:
            for row in self._db.all(
                f"SELECT {columns} FROM pupils WHERE preferred_name <> '' AND {on_roll}",
                (date_text(on),),
            ):
                rows[int(row["id"])] = row
        return tuple(
            PupilName(
                int(r["id"]), str(r["first_name"]), str(r["preferred_name"]), str(r["last_name"])
            )
            for r in rows.values()
        )

    def has_plan(self, pupil_id: int, on: date) -> bool | None:
        """Whether a behaviour support plan had started by ``on`` (schema 4 on)."""
        row = self._db.one(
            "SELECT 1 FROM behaviour_plans WHERE pupil_id = ? AND start_date <= ? LIMIT 1",
            (pupil_id, date_text(on)),
        )
        return row is not None


def _first(item: tuple[int, Contact]) -> int:
    return item[0]
