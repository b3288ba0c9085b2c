"""Behaviour support plans: every saved version of each pupil's plan, kept unchanged
(the triggers of migration 0004 refuse UPDATE and DELETE)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.serialise import canonical_json, from_plain
from incident_recorder.store._values import date_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_SELECT = (
    "SELECT p.pupil_id, p.version, p.plan_json, p.saved_at, p.saved_by, u.full_name "
    "FROM behaviour_plans AS p LEFT JOIN users AS u ON u.id = p.saved_by"
)


def _plan(row: Row) -> BehaviourPlan:
    plan = from_plain(BehaviourPlan, json.loads(row["plan_json"]))
    return dataclasses.replace(
        plan,
        pupil_id=int(row["pupil_id"]),
        version=int(row["version"]),
        saved_at=utc_from_text(row["saved_at"]),
        saved_by=int(row["saved_by"]),
        saved_by_name=row["full_name"] or "",
    )


def plan_json(plan: BehaviourPlan) -> str:
    """The plan's values as stored: without who saved it and when (kept in columns)."""
    bare = dataclasses.replace(plan, saved_at=None, saved_by=None, saved_by_name="")
    return canonical_json(bare)


class SqlPlanRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, plan: BehaviourPlan, saved_by: int, now: datetime) -> BehaviourPlan:
        """Save ``plan`` as the pupil's next version; returns it as stored."""
        if plan.start_date is None or plan.review_date is None:
            raise InvalidInput("A plan needs a start date and a review date.")
        if self._db.one("SELECT 1 FROM pupils WHERE id = ?", (plan.pupil_id,)) is None:
            raise NotFound(f"There is no pupil {plan.pupil_id}.")
        with self._db.transaction():
            latest = self._db.scalar(
                "SELECT coalesce(max(version), 0) FROM behaviour_plans WHERE pupil_id = ?",
                (plan.pupil_id,),
            )
            stored = dataclasses.replace(plan, version=int(latest) + 1)
            self._db.execute(
                "INSERT INTO behaviour_plans (pupil_id, version, start_date, review_date, "
                "plan_json, saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.pupil_id,
                    stored.version,
                    date_text(stored.start_date),
                    date_text(stored.review_date),
                    plan_json(stored),
                    utc_text(now),
                    saved_by,
                ),
            )
        row = self._db.one(
            f"{_SELECT} WHERE p.pupil_id = ? AND p.version = ?", (stored.pupil_id, stored.version)
        )
        assert row is not None
        return _plan(row)

    def versions(self, pupil_id: int) -> list[BehaviourPlan]:
        """Every version of the pupil's plan, newest first."""
        rows = self._db.all(f"{_SELECT} WHERE p.pupil_id = ? ORDER BY p.version DESC", (pupil_id,))
        return [_plan(row) for row in rows]

    def current(self, pupil_id: int) -> BehaviourPlan | None:
        row = self._db.one(
            f"{_SELECT} WHERE p.pupil_id = ? ORDER BY p.version DESC LIMIT 1", (pupil_id,)
        )
        return None if row is None else _plan(row)

    def in_force(self, pupil_id: int, on: date) -> BehaviourPlan | None:
        """The newest version that had started by ``on``."""
        row = self._db.one(
            f"{_SELECT} WHERE p.pupil_id = ? AND p.start_date <= ? ORDER BY p.version DESC LIMIT 1",
            (pupil_id, date_text(on)),
        )
        return None if row is None else _plan(row)
