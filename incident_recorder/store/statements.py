"""Statement requests and statements: each adult's own account of a record (issue 13).
Kept unchanged: migration 0011's triggers refuse UPDATE and DELETE; a revised
statement is a new version. What someone has typed and not yet saved is a draft
(migration 0017), replaced as they type and removed once the statement is saved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.statements import (
    Statement,
    StatementKind,
    StatementRequest,
    canonical_text,
    text_sha256,
)
from incident_recorder.store._values import utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_REQUESTS = (
    "SELECT r.id, r.incident_id, r.staff_id, r.requested_at, r.for_version "
    "FROM statement_requests AS r"
)
_STATEMENTS = (
    "SELECT s.id, s.request_id, s.version, s.kind, s.text, s.sha256, s.saved_at, "
    "s.saved_by, u.full_name AS by_name FROM statements AS s "
    "JOIN statement_requests AS r ON r.id = s.request_id "
    "LEFT JOIN users AS u ON u.id = s.saved_by"
)


def _request(row: Row) -> StatementRequest:
    return StatementRequest(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        staff_id=int(row["staff_id"]),
        requested_at=utc_from_text(row["requested_at"]),
        for_version=int(row["for_version"]),
    )


def _statement(row: Row) -> Statement:
    return Statement(
        id=int(row["id"]),
        request_id=int(row["request_id"]),
        version=int(row["version"]),
        kind=StatementKind(row["kind"]),
        text=row["text"],
        sha256=row["sha256"],
        saved_at=utc_from_text(row["saved_at"]),
        saved_by=int(row["saved_by"]),
        saved_by_name=row["by_name"] or "",
    )


class SqlStatementRepository:
    """``store.statements``: who was asked for their account of which record, and each
    version of what they gave."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    # ------------------------------------------------------------------ requests

    def add_request(self, request: StatementRequest) -> StatementRequest:
        """Keep a request; InvalidInput if that person was asked for that record."""
        row = self._db.one(
            "SELECT status, version FROM incidents WHERE id = ?", (request.incident_id,)
        )
        if row is None:
            raise NotFound(f"There is no record with id {request.incident_id}.")
        if row["status"] != "submitted" or not 1 <= request.for_version <= int(row["version"]):
            raise InvalidInput(f"The record has no version {request.for_version}.")
        if self._db.one("SELECT 1 FROM staff WHERE id = ?", (request.staff_id,)) is None:
            raise NotFound(f"There is no member of staff with id {request.staff_id}.")
        taken = self._db.one(
            "SELECT 1 FROM statement_requests WHERE incident_id = ? AND staff_id = ?",
            (request.incident_id, request.staff_id),
        )
        if taken is not None:
            raise InvalidInput("That member of staff has been asked for this record already.")
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO statement_requests (incident_id, staff_id, requested_at, "
                "for_version) VALUES (?, ?, ?, ?)",
                (
                    request.incident_id,
                    request.staff_id,
                    utc_text(request.requested_at),
                    request.for_version,
                ),
            )
        return self.request(new_id)

    def request(self, request_id: int) -> StatementRequest:
        row = self._db.one(f"{_REQUESTS} WHERE r.id = ?", (request_id,))
        if row is None:
            raise NotFound(f"There is no statement request with id {request_id}.")
        return _request(row)

    def requests_for_incident(self, incident_id: int) -> list[StatementRequest]:
        """One record's requests, in the order they were made."""
        rows = self._db.all(f"{_REQUESTS} WHERE r.incident_id = ? ORDER BY r.id", (incident_id,))
        return [_request(r) for r in rows]

    def requests_for_staff(self, staff_id: int) -> list[StatementRequest]:
        """The requests made of one member of staff, oldest first."""
        rows = self._db.all(f"{_REQUESTS} WHERE r.staff_id = ? ORDER BY r.id", (staff_id,))
        return [_request(r) for r in rows]

    def waiting(self) -> list[StatementRequest]:
        """Every request with no statement yet, oldest first."""
        rows = self._db.all(
            f"{_REQUESTS} WHERE NOT EXISTS "
            "(SELECT 1 FROM statements AS s WHERE s.request_id = r.id) ORDER BY r.id"
        )
        return [_request(r) for r in rows]

    # ------------------------------------------------------------------ statements

    def add_statement(self, statement: Statement) -> Statement:
        """Keep the next version of a request's statement (its text canonical, its
        SHA-256 checked); InvalidInput if that version exists or is not the next."""
        self.request(statement.request_id)  # NotFound
        text = canonical_text(statement.text)
        if statement.sha256 != text_sha256(text):
            raise InvalidInput("The statement's fingerprint does not match its text.")
        if statement.kind is not StatementKind.NOTHING_TO_ADD and not text:
            raise InvalidInput("A statement needs its text.")
        row = self._db.one(
            "SELECT coalesce(max(version), 0) AS v FROM statements WHERE request_id = ?",
            (statement.request_id,),
        )
        latest = int(row["v"]) if row is not None else 0
        if statement.version != latest + 1:
            raise InvalidInput(
                f"Version {statement.version} of this statement cannot be saved: "
                f"the next is version {latest + 1}."
            )
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM statement_drafts WHERE request_id = ?", (statement.request_id,)
            )
            new_id = self._db.insert(
                "INSERT INTO statements (request_id, version, kind, text, sha256, saved_at, "
                "saved_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    statement.request_id,
                    statement.version,
                    statement.kind.value,
                    text,
                    statement.sha256,
                    utc_text(statement.saved_at),
                    statement.saved_by,
                ),
            )
        row = self._db.one(f"{_STATEMENTS} WHERE s.id = ?", (new_id,))
        assert row is not None
        return _statement(row)

    def statements_for_incident(self, incident_id: int) -> list[Statement]:
        """Every version of every statement of one record, in the order saved."""
        rows = self._db.all(
            f"{_STATEMENTS} WHERE r.incident_id = ? ORDER BY s.request_id, s.version",
            (incident_id,),
        )
        return [_statement(r) for r in rows]

    def statements_for_requests(self, request_ids: Iterable[int]) -> list[Statement]:
        ids = sorted(set(request_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self._db.all(
            f"{_STATEMENTS} WHERE s.request_id IN ({marks}) ORDER BY s.request_id, s.version",
            tuple(ids),
        )
        return [_statement(r) for r in rows]

    # ------------------------------------------------------------------ drafts

    def save_draft(self, request_id: int, text: str, saved_by: int, now: datetime) -> None:
        """Keep what was typed (replacing the last draft); an empty text removes it."""
        self.request(request_id)  # NotFound
        with self._db.transaction():
            if not text.strip():
                self._db.execute("DELETE FROM statement_drafts WHERE request_id = ?", (request_id,))
                return
            self._db.execute(
                "INSERT INTO statement_drafts (request_id, text, saved_at, saved_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET "
                "text = excluded.text, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                (request_id, text, utc_text(now), saved_by),
            )

    def draft(self, request_id: int) -> tuple[str, datetime] | None:
        """The unsaved text and when it was kept, or None."""
        row = self._db.one(
            "SELECT text, saved_at FROM statement_drafts WHERE request_id = ?", (request_id,)
        )
        return None if row is None else (row["text"], utc_from_text(row["saved_at"]))
