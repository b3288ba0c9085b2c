"""School days: Monday to Friday, until the school calendar lands (issue 14), when
holidays and training days will be left out too.

Pure: no I/O."""

from __future__ import annotations

from datetime import date, timedelta


def _school_day(day: date) -> bool:
    return day.weekday() < 5


def school_days_between(start: date, end: date) -> int:
    """How many school days lie after ``start`` up to and including ``end`` (0 when
    ``end`` is not after ``start``). Monday to Wednesday is 2; Friday to Monday is 1."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    day = start + timedelta(days=weeks * 7)
    for _ in range(extra):
        day += timedelta(days=1)
        count += _school_day(day)
    return count


def add_school_days(day: date, n: int) -> date:
    """The school day ``n`` school days after ``day`` (``day`` itself for 0 or less)."""
    while n > 0:
        day += timedelta(days=1)
        if _school_day(day):
            n -= 1
    return day
