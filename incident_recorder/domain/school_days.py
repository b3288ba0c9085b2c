"""School days for "how long has this waited" rules.

A school day is what the school's calendar says (``domain/calendar.py``: a weekday in
a term that is not a closure such as a bank holiday or an INSET day). The services pass
the school's stored calendar (or the standard English one when none is kept); called
without one, these count every weekday (Monday to Friday) as a school day, as the app
did before the calendar (``WEEKDAYS_ONLY``).

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from datetime import date

from incident_recorder.domain.calendar import WEEKDAYS_ONLY, SchoolCalendar


def is_school_day(day: date, calendar: SchoolCalendar = WEEKDAYS_ONLY) -> bool:
    """Whether the school is open on ``day`` (Monday to Friday without a calendar)."""
    return calendar.is_school_day(day)


def school_days_between(start: date, end: date, calendar: SchoolCalendar = WEEKDAYS_ONLY) -> int:
    """The school days after ``start`` up to and including ``end`` (0 when ``end`` is
    not after ``start``). Asked on a Friday, by Monday one school day has gone."""
    return calendar.school_days_between(start, end)


def add_school_days(day: date, n: int, calendar: SchoolCalendar = WEEKDAYS_ONLY) -> date:
    """The ``n``-th school day after ``day`` (before it when ``n`` is negative);
    ``day`` itself when ``n`` is 0."""
    return calendar.add_school_days(day, n)
