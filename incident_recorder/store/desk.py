"""The safeguarding lead's desk (schema 13): records waiting to be signed off, records
with referrals to consider and the lead's decisions, and amendment requests with their
replies and closures. Every row is written once: migration 0013's triggers refuse
UPDATE and DELETE."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from incident_recorder.domain.desk import (
    INJURY_REVIEW,
    ITEMS,
    AmendmentReply,
    AmendmentRequest,
    AmendmentThread,
    DeskRecord,
    ReferralDecision,
    ReferralDecisionKind,
    request_state,
)
from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.store._values import date_from_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row
from incident_recorder.store.parent_contacts import local_text

_RECORD = (
    "SELECT i.id, i.reference, i.pupil_id, i.occurred_on, i.submitted_at, i.version, "
    "i.author_id, i.injury, i.referrals, p.first_name, p.preferred_name, p.last_name "
    "FROM incidents AS i {indexed} LEFT JOIN pupils AS p ON p.id = i.pupil_id "
)
_UNSIGNED = (
    "i.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM sign_offs AS so "
    "WHERE so.incident_id = i.id AND so.version = i.version)"
)
# A record with an injury not yet reviewed, or a referral ticked with no decision.
_REFERRAL_OPEN = (
    "i.status = 'submitted' AND (i.injury = 1 OR i.referrals <> '[]') AND ("
    "(i.injury = 1 AND NOT EXISTS (SELECT 1 FROM referral_decisions AS d "
    f"WHERE d.incident_id = i.id AND d.referral = '{INJURY_REVIEW}')) "
    "OR EXISTS (SELECT 1 FROM json_each(i.referrals) AS r WHERE NOT EXISTS ("
    "SELECT 1 FROM referral_decisions AS d WHERE d.incident_id = i.id "
    "AND d.referral = r.value)))"
)
_DECISION = (
    "SELECT d.id, d.incident_id, d.referral, d.decision, d.at, d.decided_by, d.note, "
    "d.recorded_at, u.full_name AS by_name FROM referral_decisions AS d "
    "LEFT JOIN users AS u ON u.id = d.decided_by"
)
_REQUEST = (
    "SELECT r.id, r.incident_id, r.version, r.requested_by, r.requested_at, r.text, "
    "u.full_name AS by_name, c.closed_at, c.closed_by, cu.full_name AS closed_by_name, "
    "i.version AS latest, i.reference, i.author_id, "
    "p.first_name, p.preferred_name, p.last_name "
    "FROM amendment_requests AS r JOIN incidents AS i ON i.id = r.incident_id "
    "LEFT JOIN users AS u ON u.id = r.requested_by "
    "LEFT JOIN amendment_closures AS c ON c.request_id = r.id "
    "LEFT JOIN users AS cu ON cu.id = c.closed_by "
    "LEFT JOIN pupils AS p ON p.id = i.pupil_id"
)
_REQUEST_OPEN = "c.id IS NULL AND i.version = r.version"


def _name(row: Row) -> str:
    if row["last_name"] is None:
        return ""
    return f"{row['preferred_name'] or row['first_name']} {row['last_name']}".strip()


def _record(row: Row) -> DeskRecord:
    return DeskRecord(
        incident_id=int(row["id"]),
        reference=row["reference"] or "",
        pupil_id=None if row["pupil_id"] is None else int(row["pupil_id"]),
        pupil_name=_name(row),
        occurred_on=date_from_text(row["occurred_on"]),
        submitted_at=utc_from_text(row["submitted_at"]),
        version=int(row["version"]),
        author_id=int(row["author_id"]),
        injury=bool(row["injury"]),
        referrals=tuple(json.loads(row["referrals"] or "[]")),
    )


def _decision(row: Row) -> ReferralDecision:
    return ReferralDecision(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        referral=row["referral"],
        decision=ReferralDecisionKind(row["decision"]),
        at=datetime.fromisoformat(row["at"]),
        note=row["note"],
        decided_by=int(row["decided_by"]),
        decided_by_name=row["by_name"] or "",
        recorded_at=utc_from_text(row["recorded_at"]),
    )


def _request(row: Row) -> AmendmentRequest:
    return AmendmentRequest(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        version=int(row["version"]),
        text=row["text"],
        requested_by=int(row["requested_by"]),
        requested_by_name=row["by_name"] or "",
        requested_at=utc_from_text(row["requested_at"]),
        closed_by_name=row["closed_by_name"] or "",
        closed_at=None if row["closed_at"] is None else utc_from_text(row["closed_at"]),
        closed_by=None if row["closed_by"] is None else int(row["closed_by"]),
    )


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class SqlDeskRepository:
    """``store.desk``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    # ------------------------------------------------------------------ to sign off

    def to_sign_off(self, limit: int = 200) -> list[DeskRecord]:
        """Submitted records whose latest version is not signed off, oldest submitted
        first."""
        sql = _RECORD.format(indexed="INDEXED BY incidents_submitted")
        rows = self._db.all(
            f"{sql} WHERE {_UNSIGNED} ORDER BY i.submitted_at, i.id LIMIT ?", (max(0, limit),)
        )
        return [_record(r) for r in rows]

    def to_sign_off_count(self) -> int:
        return int(
            self._db.scalar(
                f"SELECT count(*) FROM incidents AS i INDEXED BY incidents_submitted "
                f"WHERE {_UNSIGNED}"
            )
        )

    # ------------------------------------------------------------------ referrals

    def referrals_open(self, limit: int = 200) -> list[DeskRecord]:
        """Submitted records with an injury not yet reviewed or a ticked referral with
        no decision, oldest submitted first."""
        sql = _RECORD.format(indexed="INDEXED BY incidents_desk_referrals")
        rows = self._db.all(
            f"{sql} WHERE {_REFERRAL_OPEN} ORDER BY i.submitted_at, i.id LIMIT ?",
            (max(0, limit),),
        )
        return [_record(r) for r in rows]

    def referrals_open_count(self) -> int:
        return int(
            self._db.scalar(
                "SELECT count(*) FROM incidents AS i INDEXED BY incidents_desk_referrals "
                f"WHERE {_REFERRAL_OPEN}"
            )
        )

    def record(self, incident_id: int) -> DeskRecord:
        row = self._db.one(
            f"{_RECORD.format(indexed='')} WHERE i.id = ? AND i.status = 'submitted'",
            (incident_id,),
        )
        if row is None:
            raise NotFound(f"There is no submitted record with id {incident_id}.")
        return _record(row)

    def add_decision(
        self, decision: ReferralDecision, decided_by: int, now: datetime
    ) -> ReferralDecision:
        if decision.referral not in ITEMS:
            raise InvalidInput(f"There is no referral called {decision.referral!r}.")
        self.record(decision.incident_id)
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO referral_decisions (incident_id, referral, decision, at, "
                "decided_by, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    decision.incident_id,
                    decision.referral,
                    decision.decision.value,
                    local_text(decision.at),
                    decided_by,
                    decision.note.strip(),
                    utc_text(now),
                ),
            )
        row = self._db.one(f"{_DECISION} WHERE d.id = ?", (new_id,))
        assert row is not None
        return _decision(row)

    def decisions(self, incident_ids: Sequence[int]) -> list[ReferralDecision]:
        """The decisions about these records, oldest first."""
        found: list[ReferralDecision] = []
        ids = list(incident_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._db.all(
                f"{_DECISION} WHERE d.incident_id IN ({_marks(len(chunk))}) "
                "ORDER BY d.recorded_at, d.id",
                tuple(chunk),
            )
            found += [_decision(r) for r in rows]
        found.sort(key=lambda d: (d.recorded_at or datetime.min, d.id or 0))
        return found

    # ------------------------------------------------------------------ amendments

    def add_request(
        self, request: AmendmentRequest, requested_by: int, now: datetime
    ) -> AmendmentRequest:
        if not request.text.strip():
            raise InvalidInput("Say what should be amended.")
        self.record(request.incident_id)
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO amendment_requests (incident_id, version, requested_by, "
                "requested_at, text) VALUES (?, ?, ?, ?, ?)",
                (
                    request.incident_id,
                    request.version,
                    requested_by,
                    utc_text(now),
                    request.text.strip(),
                ),
            )
        return self.request(new_id).request

    def add_reply(self, reply: AmendmentReply, replied_by: int, now: datetime) -> AmendmentReply:
        if not reply.text.strip():
            raise InvalidInput("Write a reply first.")
        self.request(reply.request_id)
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO amendment_replies (request_id, replied_by, replied_at, text) "
                "VALUES (?, ?, ?, ?)",
                (reply.request_id, replied_by, utc_text(now), reply.text.strip()),
            )
        return self._replies((reply.request_id,), new_id)[0]

    def close_request(self, request_id: int, closed_by: int, now: datetime) -> None:
        if self.request(request_id).request.closed_at is not None:
            raise InvalidInput("This request is closed already.")
        with self._db.transaction():
            self._db.insert(
                "INSERT INTO amendment_closures (request_id, closed_by, closed_at) "
                "VALUES (?, ?, ?)",
                (request_id, closed_by, utc_text(now)),
            )

    def request(self, request_id: int) -> AmendmentThread:
        rows = self._db.all(f"{_REQUEST} WHERE r.id = ?", (request_id,))
        if not rows:
            raise NotFound(f"There is no amendment request with id {request_id}.")
        return self._threads(rows)[0]

    def requests(
        self,
        incident_id: int | None = None,
        author_id: int | None = None,
        open_only: bool = False,
        limit: int = 200,
    ) -> list[AmendmentThread]:
        """Requests, newest first: about one record, or on one author's records; only
        the open ones when asked."""
        where, params = self._where(incident_id, author_id, open_only)
        rows = self._db.all(
            f"{_REQUEST}{where} ORDER BY r.requested_at DESC, r.id DESC LIMIT ?",
            (*params, max(0, limit)),
        )
        return self._threads(rows)

    def open_requests_count(self, author_id: int | None = None) -> int:
        where, params = self._where(None, author_id, True)
        return int(
            self._db.scalar(
                "SELECT count(*) FROM amendment_requests AS r JOIN incidents AS i "
                "ON i.id = r.incident_id LEFT JOIN amendment_closures AS c "
                f"ON c.request_id = r.id{where}",
                tuple(params),
            )
        )

    @staticmethod
    def _where(
        incident_id: int | None, author_id: int | None, open_only: bool
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if incident_id is not None:
            clauses.append("r.incident_id = ?")
            params.append(incident_id)
        if author_id is not None:
            clauses.append("i.author_id = ?")
            params.append(author_id)
        if open_only:
            clauses.append(_REQUEST_OPEN)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _replies(
        self, request_ids: Iterable[int], reply_id: int | None = None
    ) -> list[AmendmentReply]:
        ids = list(request_ids)
        if not ids:
            return []
        extra, params = ("", ()) if reply_id is None else (" AND a.id = ?", (reply_id,))
        rows = self._db.all(
            "SELECT a.id, a.request_id, a.replied_by, a.replied_at, a.text, "
            "u.full_name AS by_name FROM amendment_replies AS a "
            "LEFT JOIN users AS u ON u.id = a.replied_by "
            f"WHERE a.request_id IN ({_marks(len(ids))}){extra} ORDER BY a.replied_at, a.id",
            (*ids, *params),
        )
        return [
            AmendmentReply(
                id=int(r["id"]),
                request_id=int(r["request_id"]),
                text=r["text"],
                replied_by=int(r["replied_by"]),
                replied_by_name=r["by_name"] or "",
                replied_at=utc_from_text(r["replied_at"]),
            )
            for r in rows
        ]

    def _threads(self, rows: list[Row]) -> list[AmendmentThread]:
        replies = self._replies(int(r["id"]) for r in rows)
        threads = []
        for row in rows:
            request = _request(row)
            mine = tuple(r for r in replies if r.request_id == request.id)
            threads.append(
                AmendmentThread(
                    request=request,
                    replies=mine,
                    state=request_state(request, mine, int(row["latest"])),
                    reference=row["reference"] or "",
                    pupil_name=_name(row),
                    author_id=int(row["author_id"]),
                )
            )
        return threads
