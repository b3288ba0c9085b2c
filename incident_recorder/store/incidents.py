"""Incident records: drafts, submission with a gapless reference, amendments as new
versions, and the incident list.

A draft keeps its details in ``incidents.draft_json``. Submitting moves them into
``incident_versions`` as version 1 and locks the record; each amendment adds the next
version. Versions are never updated or deleted (triggers enforce it). The list columns
of ``incidents`` (date, time, pupil, location, flags) are copied from the details at
every save so that the list needs no JSON; the pupil's and the author's sort keys are
copied by triggers (migration 0002) so that every order of the list has an index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from incident_recorder.domain.errors import InvalidInput, NotFound, ReasonRequired, RecordLocked
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    IncidentSummary,
    IncidentVersion,
    Page,
)
from incident_recorder.domain.serialise import details_from_json, details_to_json
from incident_recorder.services.ports import RecordToImport, Visibility
from incident_recorder.store._values import (
    LIKE_ESCAPE,
    contains_pattern,
    date_from_text,
    optional_utc_from_text,
    search_words,
    sha256_text,
    time_from_text,
    utc_from_text,
    utc_text,
)
from incident_recorder.store.connection import Connection, Row
from incident_recorder.store.exchange import import_record
from incident_recorder.store.list_columns import LIST_ASSIGN, list_columns

log = logging.getLogger("incident_recorder.store")

_BATCH = 500

_INCIDENT_SELECT = """
SELECT i.id, i.event_id, i.status, i.reference, i.author_id, i.created_at, i.updated_at,
       i.submitted_at, i.version, coalesce(v.details_json, i.draft_json) AS details_json
FROM incidents AS i
LEFT JOIN incident_versions AS v ON v.incident_id = i.id AND v.number = i.version
"""

_SUMMARY_SELECT = """
SELECT i.id, i.reference, i.status, i.occurred_on, i.start_time, i.pupil_id,
       p.first_name, p.preferred_name, p.last_name, i.location, i.author_id,
       u.full_name AS author_name, i.injury, i.floor_position, i.version, i.updated_at,
       EXISTS (SELECT 1 FROM sign_offs AS so WHERE so.incident_id = i.id
               AND so.version = i.version) AS signed_off
FROM incidents AS i
LEFT JOIN pupils AS p ON p.id = i.pupil_id
LEFT JOIN users AS u ON u.id = i.author_id
"""

# The list's orders. Every one ends with the id, so it is total and paging is stable;
# the tie-breaks run in the same direction as the sorted column so that one index,
# read forwards or backwards, serves both directions (see migrations 0001 and 0002).
_BY_DATE = ("i.occurred_on", "i.start_time", "i.id")
_ORDER_BY: dict[IncidentSort, tuple[str, ...]] = {
    IncidentSort.DATE: _BY_DATE,  # incidents_list, incidents_pupil
    IncidentSort.REFERENCE: ("i.reference", "i.id"),  # incidents_by_reference
    IncidentSort.PUPIL: ("i.pupil_sort_key", *_BY_DATE),  # incidents_by_pupil_name
    IncidentSort.LOCATION: ("i.location_key", *_BY_DATE),  # incidents_by_location
    IncidentSort.RECORDED_BY: ("i.author_sort_key", *_BY_DATE),  # incidents_by_author_name
    # For the drafts list (incidents_author); on the submitted list it sorts in memory.
    IncidentSort.SAVED: ("i.updated_at", "i.id"),
}


def order_by(sort: IncidentSort, descending: bool) -> str:
    """The ORDER BY clause of the list in ``sort`` order."""
    direction = "DESC" if descending else "ASC"
    return "ORDER BY " + ", ".join(f"{column} {direction}" for column in _ORDER_BY[sort])


def reference_for(year: int, number: int) -> str:
    return f"{year:04d}-{number:04d}"


def _incident(row: Row) -> Incident:
    return Incident(
        id=int(row["id"]),
        event_id=int(row["event_id"]),
        status=IncidentStatus(row["status"]),
        reference=row["reference"],
        author_id=int(row["author_id"]),
        created_at=utc_from_text(row["created_at"]),
        updated_at=utc_from_text(row["updated_at"]),
        submitted_at=optional_utc_from_text(row["submitted_at"]),
        details=details_from_json(row["details_json"]),
        version=int(row["version"]),
    )


def _summary(row: Row) -> IncidentSummary:
    if row["last_name"] is None:
        pupil_name = ""
    else:
        first = row["preferred_name"] or row["first_name"]
        pupil_name = f"{first} {row['last_name']}".strip()
    return IncidentSummary(
        id=int(row["id"]),
        reference=row["reference"],
        status=IncidentStatus(row["status"]),
        occurred_on=date_from_text(row["occurred_on"]),
        start=time_from_text(row["start_time"]),
        pupil_id=None if row["pupil_id"] is None else int(row["pupil_id"]),
        pupil_name=pupil_name,
        location=row["location"],
        author_id=int(row["author_id"]),
        author_name=row["author_name"] or "",
        injury=bool(row["injury"]),
        floor_position=bool(row["floor_position"]),
        version=int(row["version"]),
        updated_at=utc_from_text(row["updated_at"]),
        signed_off=bool(row["signed_off"]),
    )


class SqlIncidentRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    # ------------------------------------------------------------------ drafts

    def create_draft(
        self, author_id: int, details: IncidentDetails, now: datetime, event_id: int | None = None
    ) -> Incident:
        at = utc_text(now)
        with self._db.transaction():
            if event_id is None:
                event_id = self._db.insert(
                    "INSERT INTO events (created_at, created_by) VALUES (?, ?)", (at, author_id)
                )
            elif self._db.one("SELECT 1 FROM events WHERE id = ?", (event_id,)) is None:
                raise NotFound(f"There is no event with id {event_id}.")
            incident_id = self._db.insert(
                "INSERT INTO incidents (event_id, status, author_id, created_at, updated_at, "
                "draft_json, version, occurred_on, start_time, pupil_id, location, "
                "location_key, injury, floor_position, parents_status, referrals) "
                "VALUES (:event_id, 'draft', :author_id, :at, :at, :draft_json, 0, "
                ":occurred_on, :start_time, :pupil_id, :location, :location_key, "
                ":injury, :floor_position, :parents_status, :referrals)",
                {
                    "event_id": event_id,
                    "author_id": author_id,
                    "at": at,
                    "draft_json": details_to_json(details),
                    **list_columns(details),
                },
            )
            self._replace_staff(incident_id, details)
        log.debug("draft %d created", incident_id)
        return self.get(incident_id)

    def save_draft(self, incident_id: int, details: IncidentDetails, now: datetime) -> None:
        with self._db.transaction():
            self._require_draft(incident_id)
            self._db.execute(
                f"UPDATE incidents SET draft_json = :draft_json, updated_at = :at, {LIST_ASSIGN} "
                "WHERE id = :id",
                {
                    "id": incident_id,
                    "at": utc_text(now),
                    "draft_json": details_to_json(details),
                    **list_columns(details),
                },
            )
            self._replace_staff(incident_id, details)

    def discard_draft(self, incident_id: int) -> None:
        with self._db.transaction():
            self._require_draft(incident_id)
            event_id = self._db.scalar(
                "SELECT event_id FROM incidents WHERE id = ?", (incident_id,)
            )
            self._db.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))
            self._db.execute(
                "DELETE FROM events WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM incidents WHERE event_id = ?)",
                (event_id, event_id),
            )
        log.debug("draft %d discarded", incident_id)

    def drafts(self, author_id: int) -> list[IncidentSummary]:
        rows = self._db.all(
            f"{_SUMMARY_SELECT} WHERE i.author_id = ? AND i.status = 'draft' "
            "ORDER BY i.updated_at DESC, i.id DESC",
            (author_id,),
        )
        return [_summary(row) for row in rows]

    # ------------------------------------------------------------------ reading

    def get(self, incident_id: int) -> Incident:
        row = self._db.one(f"{_INCIDENT_SELECT} WHERE i.id = ?", (incident_id,))
        if row is None:
            raise NotFound(f"There is no record with id {incident_id}.")
        return _incident(row)

    def by_reference(self, reference: str) -> Incident | None:
        row = self._db.one(f"{_INCIDENT_SELECT} WHERE i.reference = ?", (reference.strip(),))
        return None if row is None else _incident(row)

    def versions(self, incident_id: int) -> list[IncidentVersion]:
        if self._db.one("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)) is None:
            raise NotFound(f"There is no record with id {incident_id}.")
        rows = self._db.all(
            "SELECT v.number, v.details_json, v.saved_at, v.saved_by, v.reason, v.sha256, "
            "u.full_name FROM incident_versions AS v LEFT JOIN users AS u ON u.id = v.saved_by "
            "WHERE v.incident_id = ? ORDER BY v.number",
            (incident_id,),
        )
        return [
            IncidentVersion(
                number=int(row["number"]),
                details=details_from_json(row["details_json"]),
                saved_at=utc_from_text(row["saved_at"]),
                saved_by=int(row["saved_by"]),
                saved_by_name=row["full_name"] or "",
                reason=row["reason"],
                sha256=row["sha256"],
            )
            for row in rows
        ]

    def in_event(self, event_id: int) -> list[IncidentSummary]:
        rows = self._db.all(f"{_SUMMARY_SELECT} WHERE i.event_id = ? ORDER BY i.id", (event_id,))
        return [_summary(row) for row in rows]

    def submitted_for_pupil(self, pupil_id: int) -> list[Incident]:
        """The pupil's submitted records at their latest version, by date (incidents_pupil)."""
        rows = self._db.all(
            f"{_INCIDENT_SELECT} WHERE i.pupil_id = ? AND i.status = 'submitted' "
            "ORDER BY i.occurred_on, i.start_time, i.id",
            (pupil_id,),
        )
        return [_incident(row) for row in rows]

    def submitted_days(self) -> list[tuple[int, date]]:
        """(pupil id, day) of every submitted record with both (covering index)."""
        rows = self._db.all(
            "SELECT pupil_id, occurred_on FROM incidents WHERE status = 'submitted' "
            "AND pupil_id IS NOT NULL AND occurred_on IS NOT NULL"
        )
        return [(int(row["pupil_id"]), date.fromisoformat(row["occurred_on"])) for row in rows]

    def all_submitted(self) -> Iterator[Incident]:
        """Every submitted record at its latest version, oldest first, read in batches."""
        last_id = 0
        while True:
            rows = self._db.all(
                f"{_INCIDENT_SELECT} WHERE i.status = 'submitted' AND i.id > ? "
                "ORDER BY i.id LIMIT ?",
                (last_id, _BATCH),
            )
            if not rows:
                return
            for row in rows:
                yield _incident(row)
            last_id = int(rows[-1]["id"])

    def search(
        self, query: IncidentQuery, visible_to: Visibility | None = None
    ) -> Page[IncidentSummary]:
        (count_sql, count_params), (rows_sql, rows_params) = _search_sql(query, visible_to)
        total = int(self._db.scalar(count_sql, count_params))
        rows = self._db.all(rows_sql, rows_params)
        return Page(tuple(_summary(row) for row in rows), total)

    def explain_search(
        self, query: IncidentQuery, visible_to: Visibility | None = None
    ) -> tuple[list[str], list[str]]:
        """SQLite's query plans (count, then rows) for a search: for tests and benchmarks."""
        plans: list[list[str]] = []
        for sql, params in _search_sql(query, visible_to):
            rows = self._db.all(f"EXPLAIN QUERY PLAN {sql}", params)
            plans.append([str(row["detail"]) for row in rows])
        return plans[0], plans[1]

    # ------------------------------------------------------------------ submit and amend

    def submit(
        self, incident_id: int, details: IncidentDetails, user_id: int, now: datetime
    ) -> Incident:
        at = utc_text(now)
        details_json = details_to_json(details)
        with self._db.transaction():
            self._require_draft(incident_id)
            reference = self._next_reference(now.year)
            self._db.execute(
                "UPDATE incidents SET status = 'submitted', reference = :reference, "
                "submitted_at = :at, updated_at = :at, draft_json = NULL, version = 1, "
                f"{LIST_ASSIGN} WHERE id = :id",
                {"id": incident_id, "reference": reference, "at": at, **list_columns(details)},
            )
            self._add_version(incident_id, 1, details_json, at, user_id, "")
            self._replace_staff(incident_id, details)
        log.info("record %d submitted as %s", incident_id, reference)
        return self.get(incident_id)

    def amend(
        self, incident_id: int, details: IncidentDetails, user_id: int, reason: str, now: datetime
    ) -> Incident:
        if not reason.strip():
            raise ReasonRequired()
        at = utc_text(now)
        with self._db.transaction():
            row = self._db.one("SELECT status, version FROM incidents WHERE id = ?", (incident_id,))
            if row is None:
                raise NotFound(f"There is no record with id {incident_id}.")
            if row["status"] != IncidentStatus.SUBMITTED.value:
                raise InvalidInput(
                    "Only a submitted record can be amended; a draft is simply edited."
                )
            number = int(row["version"]) + 1
            self._db.execute(
                f"UPDATE incidents SET version = :number, updated_at = :at, {LIST_ASSIGN} "
                "WHERE id = :id",
                {"id": incident_id, "number": number, "at": at, **list_columns(details)},
            )
            self._add_version(incident_id, number, details_to_json(details), at, user_id, reason)
            self._replace_staff(incident_id, details)
        log.info("record %d amended: version %d", incident_id, number)
        return self.get(incident_id)

    def import_record(self, record: RecordToImport) -> Incident:
        """A record from an export, put back as it was (see store/exchange.py)."""
        return self.get(import_record(self._db, record))

    # ------------------------------------------------------------------ internals

    def _require_draft(self, incident_id: int) -> None:
        row = self._db.one("SELECT status, reference FROM incidents WHERE id = ?", (incident_id,))
        if row is None:
            raise NotFound(f"There is no record with id {incident_id}.")
        if row["status"] != IncidentStatus.DRAFT.value:
            raise RecordLocked(row["reference"] or str(incident_id))

    def _next_reference(self, year: int) -> str:
        """The next number for ``year``; rolled back with the transaction, so no gaps."""
        number = self._db.scalar(
            "INSERT INTO reference_counters (year, last_number) VALUES (?, 1) "
            "ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1 "
            "RETURNING last_number",
            (year,),
        )
        return reference_for(year, int(number))

    def _add_version(
        self, incident_id: int, number: int, details_json: str, at: str, user_id: int, reason: str
    ) -> None:
        self._db.execute(
            "INSERT INTO incident_versions (incident_id, number, details_json, saved_at, "
            "saved_by, reason, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (incident_id, number, details_json, at, user_id, reason, sha256_text(details_json)),
        )

    def _replace_staff(self, incident_id: int, details: IncidentDetails) -> None:
        self._db.execute("DELETE FROM incident_staff WHERE incident_id = ?", (incident_id,))
        staff_ids = sorted({involved.staff_id for involved in details.who.staff})
        self._db.executemany(
            "INSERT INTO incident_staff (incident_id, staff_id) VALUES (?, ?)",
            [(incident_id, staff_id) for staff_id in staff_ids],
        )


_Sql = tuple[str, list[Any]]


def _search_sql(query: IncidentQuery, visible_to: Visibility | None) -> tuple[_Sql, _Sql]:
    """The count and the page queries of a search."""
    status = IncidentStatus.DRAFT if query.status is IncidentStatus.DRAFT else None
    where, params = _search_conditions(query, status or IncidentStatus.SUBMITTED, visible_to)
    count = (f"SELECT count(*) FROM incidents AS i WHERE {where}", params)
    page = (
        f"{_SUMMARY_SELECT} WHERE {where} {order_by(query.sort, query.descending)} "
        "LIMIT ? OFFSET ?",
        [*params, max(0, query.limit), max(0, query.offset)],
    )
    return count, page


def _search_conditions(
    query: IncidentQuery, status: IncidentStatus, visible_to: Visibility | None
) -> _Sql:
    conditions = ["i.status = ?"]
    params: list[Any] = [status.value]
    if query.pupil_id is not None:
        conditions.append("i.pupil_id = ?")
        params.append(query.pupil_id)
    if query.date_from is not None:
        conditions.append("i.occurred_on >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to is not None:
        conditions.append("i.occurred_on <= ?")
        params.append(query.date_to.isoformat())
    like = f"LIKE ? ESCAPE '{LIKE_ESCAPE}'"
    for word in search_words(query.text):
        pattern = contains_pattern(word)
        conditions.append(
            f"(i.reference {like} OR i.location_key {like} "
            f"OR i.pupil_id IN (SELECT id FROM pupils WHERE search_name {like}))"
        )
        params.extend([pattern, pattern, pattern])
    if visible_to is not None:
        if status is IncidentStatus.DRAFT or visible_to.staff_id is None:
            # A draft belongs to its author alone.
            conditions.append("i.author_id = ?")
            params.append(visible_to.user_id)
        else:
            conditions.append(
                "(i.author_id = ? OR i.id IN "
                "(SELECT incident_id FROM incident_staff WHERE staff_id = ?))"
            )
            params.extend([visible_to.user_id, visible_to.staff_id])
    return " AND ".join(conditions), params
