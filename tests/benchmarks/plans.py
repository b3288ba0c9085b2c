"""SQLite's query plans for the list and its searches (``EXPLAIN QUERY PLAN``), kept with
the figures so a change of index or query shows up beside its effect."""

from __future__ import annotations

from datetime import date

from incident_recorder.domain.model import IncidentQuery
from incident_recorder.services.ports import Visibility
from incident_recorder.store.database import SqlStore


def query_plans(
    store: SqlStore,
    surname: str,
    pupil_id: int,
    term: tuple[date, date],
    staff_user_id: int,
    staff_id: int | None,
) -> dict[str, dict[str, list[str]]]:
    cases = {
        "the list, newest first": (IncidentQuery(), None),
        "search: pupil name": (IncidentQuery(text=surname), None),
        "search: date range": (IncidentQuery(date_from=term[0], date_to=term[1]), None),
        "search: one pupil": (IncidentQuery(pupil_id=pupil_id), None),
        "the list for a Staff member": (IncidentQuery(), Visibility(staff_user_id, staff_id)),
    }
    plans = {}
    for name, (query, visible) in cases.items():
        count, page = store.incidents.explain_search(query, visible)
        plans[name] = {"count": count, "page": page}
    return plans


def plans_text(plans: dict[str, dict[str, list[str]]]) -> str:
    lines = []
    for name, both in plans.items():
        lines.append(f"{name}:")
        for part in ("count", "page"):
            lines.append(f"  {part}: " + " | ".join(both[part]))
    return "\n".join(lines)
