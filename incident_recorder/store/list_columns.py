"""The incident list's own columns of ``incidents`` (date, start time, pupil, location,
flags, parents told, the referrals ticked), copied from a record's details whenever it is saved
(store/incidents.py) or imported (store/exchange.py), so that the list needs no JSON."""

from __future__ import annotations

import json
from typing import Any

from incident_recorder.domain.model import IncidentDetails, StaffPart
from incident_recorder.store._values import date_text, fold, time_text

LIST_COLUMNS = (
    "occurred_on",
    "start_time",
    "pupil_id",
    "location",
    "location_key",
    "injury",
    "floor_position",
    "parents_status",
    "referrals",  # schema 13: the desk's "Referrals to consider"
    "facts",  # schema 15: what the oversight figures read (store/oversight.py)
)
# "occurred_on = :occurred_on, start_time = :start_time, ...", for an UPDATE.
LIST_ASSIGN = ", ".join(f"{name} = :{name}" for name in LIST_COLUMNS)


def list_columns(details: IncidentDetails) -> dict[str, Any]:
    """The list columns' values for ``details``, by column name."""
    when = details.when_where
    return {
        "occurred_on": date_text(when.date),
        "start_time": time_text(when.start),
        "pupil_id": details.who.pupil_id,
        "location": when.location,
        "location_key": fold(when.location),
        "injury": int(details.injuries.any_injury),
        "floor_position": int(bool(details.intervention.floor_position)),
        "parents_status": None if details.parents.status is None else details.parents.status.value,
        "referrals": json.dumps(
            sorted(r.value for r in details.follow_up.referrals), separators=(",", ":")
        ),
        "facts": facts_json(details),
    }


_HELD = (StaffPart.CARRIED_OUT, StaffPart.ASSISTED)


def facts_json(details: IncidentDetails) -> str:
    """The ``facts`` column: what the oversight figures read from the details, as
    compact JSON (the keys are listed in migration 0015)."""
    i = details.intervention
    timed = [h.seconds for h in i.holds if h.seconds is not None]
    held: list[int] = []
    for s in details.who.staff:
        if s.part in _HELD and s.staff_id not in held:
            held.append(s.staff_id)
    told_at = details.parents.told_at
    return json.dumps(
        {
            "end": time_text(details.when_where.end),
            "kind": "" if i.kind is None else i.kind.value,
            "techniques": [h.technique for h in i.holds],
            "longest_hold": max(timed) if timed else None,
            "floor": sorted(p.value for p in i.floor_positions) if i.floor_position else [],
            "antecedents": list(details.what_happened.antecedent_types),
            "deescalation": int(details.deescalation.recorded),
            "pupil_injured": int(bool(details.injuries.pupil_injured)),
            "staff_injured": int(bool(details.injuries.staff_injured)),
            "held_by": held,
            "told_at": None if told_at is None else told_at.isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
