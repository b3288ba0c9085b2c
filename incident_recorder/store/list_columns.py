"""The incident list's own columns of ``incidents`` (date, start time, pupil, location,
flags, parents told, the referrals ticked), copied from a record's details whenever it is saved
(store/incidents.py) or imported (store/exchange.py), so that the list needs no JSON."""

from __future__ import annotations

import json
from typing import Any

from incident_recorder.domain.model import IncidentDetails
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
    }
