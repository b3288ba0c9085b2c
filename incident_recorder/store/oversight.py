"""What the oversight figures are made from (issue 14), read for a whole period at once.

A handful of set-based queries, never one per record: the submitted records that
happened in the period with their latest version; the contacts with parents, the
copies supplied and the first sign-off of those records; and the pupils on roll at any
time in the period (with the pupils of the records, should the roll's dates miss one).
The duties are judged from these in ``domain/oversight/records.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from incident_recorder.domain.model import IncidentSummary, Pupil
from incident_recorder.domain.oversight.records import RecordForReport
from incident_recorder.domain.parents_copy import CopySupply
from incident_recorder.domain.parents_told import ParentContactEntry
from incident_recorder.domain.serialise import details_from_json
from incident_recorder.services.ports import Visibility
from incident_recorder.store._values import date_text, utc_from_text
from incident_recorder.store.connection import Connection
from incident_recorder.store.incidents import _SUMMARY_SELECT, _summary
from incident_recorder.store.parent_contacts import _entry as contact_entry
from incident_recorder.store.parents_copies import _SELECT as COPIES_SELECT
from incident_recorder.store.parents_copies import _supply as copy_supply
from incident_recorder.store.pupils import _COLUMNS as PUPIL_COLUMNS
from incident_recorder.store.pupils import pupil_from_row

# The records of the period: submitted, happened from ? to ? (the list's index).
_IN_PERIOD = (
    "SELECT i.id FROM incidents AS i "
    "WHERE i.status = 'submitted' AND i.occurred_on >= ? AND i.occurred_on <= ?"
)
_RECORDS = (
    "SELECT i.id, i.reference, i.pupil_id, i.submitted_at, v.details_json, "
    "(SELECT min(so.signed_at) FROM sign_offs AS so WHERE so.incident_id = i.id) AS signed_at "
    "FROM incidents AS i JOIN incident_versions AS v "
    "ON v.incident_id = i.id AND v.number = i.version "
    "WHERE i.status = 'submitted' AND i.occurred_on >= ? AND i.occurred_on <= ? "
    "ORDER BY i.occurred_on, i.start_time, i.id"
)
_CONTACTS = (
    "SELECT c.id, c.incident_id, c.kind, c.at, c.parent, c.method, c.outcome, c.by_whom, "
    "c.note, c.recorded_at, c.recorded_by, '' AS by_name FROM parent_contacts AS c "
    f"WHERE c.incident_id IN ({_IN_PERIOD}) ORDER BY c.incident_id, c.at, c.id"
)
_COPIES = f"{COPIES_SELECT} WHERE c.incident_id IN ({_IN_PERIOD}) ORDER BY c.incident_id, c.id"
_ON_ROLL = (
    f"SELECT {PUPIL_COLUMNS} FROM pupils "
    "WHERE ((joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR left_on > ?)) "
    f"OR id IN (SELECT i.pupil_id FROM incidents AS i WHERE i.status = 'submitted' "
    "AND i.occurred_on >= ? AND i.occurred_on <= ?) ORDER BY id"
)


class SqlOversightRepository:
    """``store.oversight``: reads only."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def records(self, start: date, end: date) -> list[RecordForReport]:
        """The submitted records that happened from ``start`` to ``end`` (inclusive),
        oldest first, each with its latest version, contacts, copies and first
        sign-off."""
        span = (date_text(start), date_text(end))
        contacts: dict[int, list[ParentContactEntry]] = {}
        for row in self._db.all(_CONTACTS, span):
            contacts.setdefault(int(row["incident_id"]), []).append(contact_entry(row))
        copies: dict[int, list[CopySupply]] = {}
        for row in self._db.all(_COPIES, span):
            copies.setdefault(int(row["incident_id"]), []).append(copy_supply(row))
        out: list[RecordForReport] = []
        for row in self._db.all(_RECORDS, span):
            incident_id = int(row["id"])
            out.append(
                RecordForReport(
                    incident_id=incident_id,
                    reference=row["reference"],
                    pupil_id=None if row["pupil_id"] is None else int(row["pupil_id"]),
                    submitted_at=utc_from_text(row["submitted_at"]),
                    details=details_from_json(row["details_json"]),
                    first_signed_at=(
                        None if row["signed_at"] is None else utc_from_text(row["signed_at"])
                    ),
                    contacts=tuple(contacts.get(incident_id, ())),
                    copies=tuple(copies.get(incident_id, ())),
                )
            )
        return out

    def pupils_on_roll(self, start: date, end: date) -> list[Pupil]:
        """The pupils on roll on any day from ``start`` to ``end`` (joined by ``end``,
        not left by ``start``), and every pupil of a record in those dates, by id;
        without their parents and carers."""
        return [
            pupil_from_row(row)
            for row in self._db.all(
                _ON_ROLL, (date_text(end), date_text(start), date_text(start), date_text(end))
            )
        ]

    def summaries(
        self, references: Sequence[str], visible_to: Visibility | None = None
    ) -> list[IncidentSummary]:
        """The submitted records with these references that ``visible_to`` may see
        (None: every one), oldest first; references not found are left out."""
        wanted = sorted({r for r in references if r})
        found: list[IncidentSummary] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            where = f"i.status = 'submitted' AND i.reference IN ({', '.join('?' * len(chunk))})"
            params: list[Any] = list(chunk)
            if visible_to is not None:
                where += (
                    " AND (i.author_id = ? OR i.id IN "
                    "(SELECT incident_id FROM incident_staff WHERE staff_id = ?))"
                )
                params += [
                    visible_to.user_id,
                    -1 if visible_to.staff_id is None else visible_to.staff_id,
                ]
            found.extend(
                _summary(row) for row in self._db.all(f"{_SUMMARY_SELECT} WHERE {where}", params)
            )
        return sorted(
            found, key=lambda s: (s.occurred_on or date.min, s.start is None, s.start, s.id)
        )
