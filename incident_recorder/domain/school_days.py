"""School days for "how long has this waited" rules.

Until the school calendar lands, a school day is a weekday (Monday to Friday): term
dates, bank holidays and training days are not known yet, so they count as school days.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from datetime import date, timedelta


def is_school_day(day: date) -> bool:
    """Monday to Friday (until the school calendar lands)."""
    return day.weekday() < 5


def school_days_between(start: date, end: date) -> int:
    """The school days after ``start`` up to and including ``end`` (0 when ``end`` is
    not after ``start``). Asked on a Friday, by Monday one school day has gone."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if is_school_day(start + timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def add_school_days(day: date, n: int) -> date:
    """The ``n``-th school day after ``day`` (before it when ``n`` is negative);
    ``day`` itself when ``n`` is 0."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    current = day
    while left:
        current += timedelta(days=step)
        if is_school_day(current):
            left -= 1
    return current
