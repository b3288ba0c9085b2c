"""The school calendar: terms and the days the school is closed within them.

A school day is a weekday inside a term that is not a closure (an INSET day, a bank
holiday). Dates outside every term the calendar knows of (a year nobody has entered
yet) fall back to "a weekday is a school day", so nothing stops counting when the
calendar runs out. Pure: no I/O, no Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Term:
    """A term (or half term), inclusive dates."""

    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Closure:
    """A day the school is closed within a term (INSET day, bank holiday)."""

    day: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """Terms in date order (they must not overlap) and closures within them."""

    terms: tuple[Term, ...] = ()
    closures: tuple[Closure, ...] = ()

    @property
    def first_day(self) -> date | None:
        return self.terms[0].start if self.terms else None

    @property
    def last_day(self) -> date | None:
        return self.terms[-1].end if self.terms else None

    def term_on(self, day: date) -> Term | None:
        starts = [t.start for t in self.terms]
        i = bisect_right(starts, day) - 1
        if i >= 0 and self.terms[i].start <= day <= self.terms[i].end:
            return self.terms[i]
        return None

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        first, last = self.first_day, self.last_day
        if first is None or last is None or day < first or day > last:
            return True  # outside what the calendar knows: every weekday counts
        if self.term_on(day) is None:
            return False  # a holiday between terms
        return day not in {c.day for c in self.closures}

    def school_days_between(self, start: date, end: date) -> int:
        """The school days after ``start`` up to and including ``end`` (0 when ``end``
        is not after ``start``). Asked on a Friday, by Monday one school day has gone."""
        if end <= start:
            return 0
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_school_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (before it when ``n`` is negative)."""
        step = 1 if n >= 0 else -1
        left = abs(n)
        current = day
        while left:
            current += timedelta(days=step)
            if self.is_school_day(current):
                left -= 1
        return current

    def term_starts(self, start: date, end: date) -> tuple[date, ...]:
        """First days of the terms that begin within ``start``..``end``."""
        return tuple(t.start for t in self.terms if start <= t.start <= end)


WEEKDAYS_ONLY = SchoolCalendar()
