"""The school calendar in the JSON export (issue 14, ``"school_calendar"``): the
school's own terms and closures, or null when it keeps none (the standard English
dates). A file made before the calendar was exported (no key) still imports. Import
keeps the file's calendar only in a database that keeps none of its own: the target's
own dates are never replaced by an import (audited as a settings change when kept)."""

from __future__ import annotations

from datetime import date
from typing import Any

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term, calendar_problems
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.services.ports import Store

KEY = "school_calendar"


def export_calendar(store: Store) -> dict[str, Any] | None:
    cal = store.calendar.get()
    if cal is None:
        return None
    return {
        "terms": [
            {"name": t.name, "first_day": t.start.isoformat(), "last_day": t.end.isoformat()}
            for t in cal.terms
        ],
        "closures": [{"date": c.day.isoformat(), "reason": c.reason} for c in cal.closures],
    }


def _bad(what: str) -> BadImportFile:
    return BadImportFile(f"The file's school calendar is not valid: {what} Nothing was imported.")


def _day(value: Any, what: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(f"{what} is not a date (yyyy-mm-dd).")


def _items(value: Any, key: str) -> list[dict[str, Any]]:
    items = value.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _bad(f'its "{key}" is not a list of objects.')
    return items


def read_calendar(document: dict[str, Any]) -> SchoolCalendar | None:
    value = document.get(KEY)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("expected an object.")
    terms = []
    for n, item in enumerate(_items(value, "terms"), start=1):
        name = item.get("name")
        if not isinstance(name, str):
            raise _bad(f"term {n} has no name.")
        start = _day(item.get("first_day"), f"term {n}'s first day")
        end = _day(item.get("last_day"), f"term {n}'s last day")
        terms.append(Term(name, start, end))
    closures = []
    for n, item in enumerate(_items(value, "closures"), start=1):
        reason = item.get("reason", "")
        if not isinstance(reason, str):
            raise _bad(f"closure {n}'s reason is not text.")
        closures.append(Closure(_day(item.get("date"), f"closure {n}'s date"), reason))
    cal = SchoolCalendar(tuple(terms), tuple(closures))
    problems = calendar_problems(cal)
    if problems:
        raise _bad(problems[0])
    return cal


def import_calendar(store: Store, cal: SchoolCalendar | None) -> bool:
    """Keep ``cal`` when the database keeps no calendar of its own; whether it was kept."""
    if cal is None or store.calendar.get() is not None:
        return False
    store.calendar.save(cal)
    return True
