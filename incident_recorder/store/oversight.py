"""What the oversight figures are made from (issue 14), read for a whole period at once.

A handful of set-based queries, never one per record: the submitted records that
happened in the period with their latest version; the contacts with parents, the
copies supplied and the first sign-off of those records; and the pupils on roll at any
time in the period (with the pupils of the records, should the roll's dates miss one).
The duties are judged from these in ``domain/oversight/records.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from incident_recorder.domain.model import IncidentSummary, Pupil, SenStatus
from incident_recorder.domain.oversight.records import RecordForReport
from incident_recorder.domain.parents_copy import CopySupply
from incident_recorder.domain.parents_told import ParentContactEntry
from incident_recorder.services.ports import Visibility
from incident_recorder.store._values import date_from_text, date_text, time_from_text, utc_from_text
from incident_recorder.store.connection import Connection, Row
from incident_recorder.store.incidents import _SUMMARY_SELECT, _summary
from incident_recorder.store.parent_contacts import _entry as contact_entry
from incident_recorder.store.parents_copies import _SELECT as COPIES_SELECT
from incident_recorder.store.parents_copies import _supply as copy_supply

# The records of the period: submitted, happened from ? to ? (the list's index).
_IN_PERIOD = (
    "SELECT i.id FROM incidents AS i "
    "WHERE i.status = 'submitted' AND i.occurred_on >= ? AND i.occurred_on <= ?"
)
# The records of the period with what the figures read: the list's columns and the
# ``facts`` column (schema 15, copied from the details whenever a record is saved:
# store/list_columns.py), so no record's full JSON is read (reading and building a
# year's records in full takes seconds: docs/performance.md).
_RECORDS = """
SELECT i.id, i.reference, i.pupil_id, i.submitted_at, i.occurred_on, i.start_time,
    i.location, i.parents_status, i.facts,
    (SELECT min(so.signed_at) FROM sign_offs AS so WHERE so.incident_id = i.id) AS signed_at
FROM incidents AS i
WHERE i.status = 'submitted' AND i.occurred_on >= ? AND i.occurred_on <= ?
ORDER BY i.occurred_on, i.start_time, i.id
"""
_HELD = frozenset({"carried_out", "assisted"})  # StaffPart values: held the pupil
_CONTACTS = (
    "SELECT c.id, c.incident_id, c.kind, c.at, c.parent, c.method, c.outcome, c.by_whom, "
    "c.note, c.recorded_at, c.recorded_by, '' AS by_name FROM parent_contacts AS c "
    f"WHERE c.incident_id IN ({_IN_PERIOD}) ORDER BY c.incident_id, c.at, c.id"
)
_COPIES = f"{COPIES_SELECT} WHERE c.incident_id IN ({_IN_PERIOD}) ORDER BY c.incident_id, c.id"
_ROLL_COLUMNS = (
    "id, first_name, preferred_name, last_name, date_of_birth, year_group, sen_status, "
    "looked_after, sex, ethnicity, previously_looked_after, kinship_care, child_in_need, "
    "child_protection_plan, free_school_meals, eal, joined_on, left_on"
)
_ON_ROLL = (
    f"SELECT {_ROLL_COLUMNS} FROM pupils "
    "WHERE ((joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR left_on > ?)) "
    "OR id IN (SELECT i.pupil_id FROM incidents AS i WHERE i.status = 'submitted' "
    "AND i.occurred_on >= ? AND i.occurred_on <= ?) ORDER BY id"
)
_SEN = {s.value: s for s in SenStatus}


def _record(
    row: Row,
    occurred: date,
    facts: dict[str, Any],
    contacts: tuple[ParentContactEntry, ...],
    copies: tuple[CopySupply, ...],
) -> RecordForReport:
    """One record from its row (``facts``: the parsed ``facts`` column)."""
    end, told_at, longest = facts.get("end"), facts.get("told_at"), facts.get("longest_hold")
    signed = row["signed_at"]
    return RecordForReport(
        incident_id=int(row["id"]),
        reference=row["reference"],
        pupil_id=None if row["pupil_id"] is None else int(row["pupil_id"]),
        submitted_at=utc_from_text(row["submitted_at"]),
        occurred_on=occurred,
        start=time_from_text(row["start_time"]),
        end=time_from_text(end) if end else None,
        location=row["location"],
        kind=facts.get("kind") or "",
        techniques=tuple(facts.get("techniques") or ()),
        longest_hold_seconds=None if longest is None else int(longest),
        floor_positions=frozenset(facts.get("floor") or ()),
        antecedent_kinds=tuple(facts.get("antecedents") or ()),
        deescalation_recorded=bool(facts.get("deescalation", 1)),
        pupil_injured=bool(facts.get("pupil_injured")),
        staff_injured=bool(facts.get("staff_injured")),
        holders=tuple(int(s) for s in facts.get("held_by") or () if s is not None),
        parents_status=row["parents_status"],
        told_at=datetime.fromisoformat(told_at) if told_at else None,
        first_signed_at=None if signed is None else utc_from_text(signed),
        contacts=contacts,
        copies=copies,
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
            occurred = date_from_text(row["occurred_on"])
            assert occurred is not None
            out.append(
                _record(
                    row,
                    occurred,
                    json.loads(row["facts"]),
                    tuple(contacts.get(incident_id, ())),
                    tuple(copies.get(incident_id, ())),
                )
            )
        return out

    def pupils_on_roll(self, start: date, end: date) -> list[Pupil]:
        """The pupils on roll on any day from ``start`` to ``end`` (joined by ``end``,
        not left by ``start``), and every pupil of a record in those dates, by id; with
        only what the figures read (no UPN, class, contacts)."""
        rows = self._db.all(
            _ON_ROLL, (date_text(end), date_text(start), date_text(start), date_text(end))
        )
        return [
            Pupil(
                id=int(r[0]),
                upn="",
                first_name=r[1],
                preferred_name=r[2],
                last_name=r[3],
                date_of_birth=date_from_text(r[4]),
                year_group=r[5],
                sen_status=_SEN[r[6]],
                looked_after=bool(r[7]),
                sex=r[8],
                ethnicity=r[9],
                previously_looked_after=bool(r[10]),
                kinship_care=bool(r[11]),
                child_in_need=bool(r[12]),
                child_protection_plan=bool(r[13]),
                free_school_meals=bool(r[14]),
                eal=bool(r[15]),
                joined_on=date_from_text(r[16]),
                left_on=date_from_text(r[17]),
            )
            for r in rows
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
