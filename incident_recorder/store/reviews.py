"""Recorded reviews of pupils' behaviour support plans, with the incidents each one
considered. Kept unchanged: the triggers of migration 0005 refuse UPDATE and DELETE."""

from __future__ import annotations

import json
from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.store._values import date_from_text, date_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

# Each review with the name of the account that recorded it and its linked incidents
# (a JSON array, so a list of reviews is one query).
_COLUMNS = (
    "r.id, r.pupil_id, r.held_on, r.outcome, r.reason, r.participants_json, "
    "r.pupil_took_part, r.parents_took_part, r.next_review, r.plan_version, "
    "r.recorded_at, r.recorded_by, u.full_name AS recorded_by_name, "
    "(SELECT json_group_array(l.incident_id) FROM plan_review_incidents AS l "
    "WHERE l.review_id = r.id) AS incidents_json"
)
_SELECT = f"SELECT {_COLUMNS} FROM plan_reviews AS r LEFT JOIN users AS u ON u.id = r.recorded_by"


def _review(row: Row) -> PlanReviewRecord:
    return PlanReviewRecord(
        id=int(row["id"]),
        pupil_id=int(row["pupil_id"]),
        held_on=date_from_text(row["held_on"]),
        outcome=ReviewOutcome(row["outcome"]),
        reason=row["reason"],
        participants=tuple(json.loads(row["participants_json"])),
        pupil_took_part=bool(row["pupil_took_part"]),
        parents_took_part=bool(row["parents_took_part"]),
        incident_ids=tuple(sorted(int(i) for i in json.loads(row["incidents_json"]))),
        next_review=date_from_text(row["next_review"]),
        plan_version=None if row["plan_version"] is None else int(row["plan_version"]),
        recorded_at=utc_from_text(row["recorded_at"]),
        recorded_by=int(row["recorded_by"]),
        recorded_by_name=row["recorded_by_name"] or "",
    )


class SqlReviewRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, review: PlanReviewRecord, recorded_by: int, now: datetime) -> PlanReviewRecord:
        """Save the review and its links in one transaction; returns it as stored (the
        linked incidents in id order, each once)."""
        if review.held_on is None or review.next_review is None or review.outcome is None:
            raise InvalidInput("A review needs its date, its outcome and the next review date.")
        if not review.reason.strip():
            raise InvalidInput("A review needs the reason for its outcome.")
        if self._db.one("SELECT 1 FROM pupils WHERE id = ?", (review.pupil_id,)) is None:
            raise NotFound(f"There is no pupil {review.pupil_id}.")
        incident_ids = sorted(set(review.incident_ids))
        with self._db.transaction():
            for incident_id in incident_ids:
                self._check_incident(incident_id, review.pupil_id)
            review_id = self._db.insert(
                "INSERT INTO plan_reviews (pupil_id, held_on, outcome, reason, "
                "participants_json, pupil_took_part, parents_took_part, next_review, "
                "plan_version, recorded_at, recorded_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review.pupil_id,
                    date_text(review.held_on),
                    review.outcome.value,
                    review.reason,
                    json.dumps(list(review.participants), ensure_ascii=False),
                    int(review.pupil_took_part),
                    int(review.parents_took_part),
                    date_text(review.next_review),
                    review.plan_version,
                    utc_text(now),
                    recorded_by,
                ),
            )
            self._db.executemany(
                "INSERT INTO plan_review_incidents (review_id, incident_id) VALUES (?, ?)",
                [(review_id, incident_id) for incident_id in incident_ids],
            )
        row = self._db.one(f"{_SELECT} WHERE r.id = ?", (review_id,))
        assert row is not None
        return _review(row)

    def _check_incident(self, incident_id: int, pupil_id: int) -> None:
        row = self._db.one(
            "SELECT pupil_id, status, reference FROM incidents WHERE id = ?", (incident_id,)
        )
        if row is None:
            raise NotFound(f"There is no record {incident_id}.")
        if row["status"] != "submitted":
            raise InvalidInput(
                "A review can only consider submitted records, and one of those chosen is "
                "still a draft."
            )
        if row["pupil_id"] != pupil_id:
            raise InvalidInput(
                f"Record {row['reference']} is about another pupil, so this review cannot "
                "consider it."
            )

    def for_pupil(self, pupil_id: int) -> list[PlanReviewRecord]:
        """Every review of the pupil, newest first (by held_on, then id)."""
        rows = self._db.all(
            f"{_SELECT} WHERE r.pupil_id = ? ORDER BY r.held_on DESC, r.id DESC", (pupil_id,)
        )
        return [_review(row) for row in rows]

    def latest(self) -> dict[int, PlanReviewRecord]:
        """Each pupil's newest review (by held_on, then id), keyed by pupil id: one query."""
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM ("
            "    SELECT *, row_number() OVER ("
            "        PARTITION BY pupil_id ORDER BY held_on DESC, id DESC"
            "    ) AS newest FROM plan_reviews"
            ") AS r LEFT JOIN users AS u ON u.id = r.recorded_by WHERE r.newest = 1"
        )
        return {int(row["pupil_id"]): _review(row) for row in rows}
