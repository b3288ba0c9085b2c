"""Putting back a record from a JSON export (``IncidentRepository.import_record``).

A submitted record keeps its reference, event, authors, timestamps and every version;
the year's reference counter moves past its number so the reference is never handed out
again. Each version's SHA-256 is worked out afresh from its details as stored here.
Runs inside the caller's transaction (nested: a failure undoes this record only, and
the exchange service lets the failure undo the whole import).
"""

from __future__ import annotations

import re

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.services.ports import RecordToImport
from incident_recorder.store._values import sha256_text, utc_text
from incident_recorder.store.connection import Connection
from incident_recorder.store.list_columns import LIST_ASSIGN, list_columns

_REFERENCE = re.compile(r"^(\d{4})-(\d{4,})$")


def import_record(db: Connection, record: RecordToImport) -> int:
    """Insert ``record``; returns its new id."""
    if record.draft is None and not record.versions:
        raise InvalidInput("A record to import needs its versions, or its draft.")
    with db.transaction():
        event_id = record.event_id
        if event_id is None:
            event_id = db.insert(
                "INSERT INTO events (created_at, created_by) VALUES (?, ?)",
                (utc_text(record.created_at), record.author_id),
            )
        if record.draft is not None:
            latest = record.draft
            incident_id = _insert(db, record, event_id, None, details_to_json(latest), 0)
        else:
            match = _REFERENCE.match(record.reference or "")
            if match is None or record.submitted_at is None:
                raise InvalidInput(
                    f"The record {record.reference!r} has no valid reference or submitted time."
                )
            if db.one("SELECT 1 FROM incidents WHERE reference = ?", (record.reference,)):
                raise InvalidInput(f"Record {record.reference} is already in this database.")
            latest = record.versions[-1].details
            incident_id = _insert(
                db, record, event_id, record.reference, None, len(record.versions)
            )
            for number, version in enumerate(record.versions, start=1):
                text = details_to_json(version.details)
                db.execute(
                    "INSERT INTO incident_versions (incident_id, number, details_json, "
                    "saved_at, saved_by, reason, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        incident_id,
                        number,
                        text,
                        utc_text(version.saved_at),
                        version.saved_by,
                        version.reason,
                        sha256_text(text),
                    ),
                )
            db.execute(
                "INSERT INTO reference_counters (year, last_number) VALUES (?, ?) "
                "ON CONFLICT (year) DO UPDATE "
                "SET last_number = max(last_number, excluded.last_number)",
                (int(match.group(1)), int(match.group(2))),
            )
        db.execute(
            f"UPDATE incidents SET {LIST_ASSIGN} WHERE id = :id",
            {"id": incident_id, **list_columns(latest)},
        )
        db.executemany(
            "INSERT INTO incident_staff (incident_id, staff_id) VALUES (?, ?)",
            [(incident_id, s) for s in sorted({i.staff_id for i in latest.who.staff})],
        )
    return incident_id


def _insert(
    db: Connection,
    record: RecordToImport,
    event_id: int,
    reference: str | None,
    draft_json: str | None,
    version: int,
) -> int:
    return db.insert(
        "INSERT INTO incidents (event_id, status, reference, author_id, created_at, "
        "updated_at, submitted_at, draft_json, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event_id,
            "submitted" if reference else "draft",
            reference,
            record.author_id,
            utc_text(record.created_at),
            utc_text(record.updated_at),
            None if record.submitted_at is None else utc_text(record.submitted_at),
            draft_json,
            version,
        ),
    )
