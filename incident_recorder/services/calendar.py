"""The school calendar (issue 14): what counts as a school day, and the periods the
Reports screen offers.

Anyone signed in reads it (every "within so many school days" rule uses it); only an
administrator changes it, and each change is audited as a settings change. A school
that keeps no calendar of its own gets the standard English term dates for last
school year, this one and the next (``domain/calendar.py``).
"""

from __future__ import annotations

import hashlib
from datetime import date

from incident_recorder.domain.calendar import (
    Closure,
    SchoolCalendar,
    Term,
    calendar_problems,
    default_english_calendar,
    period_choices,
    school_year_of,
)
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import Role
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.services.session import Session

CHANGE_ACTION = "change the school calendar"


def calendar_text(cal: SchoolCalendar) -> str:
    """One line a term or closure, for the audit entry's fingerprint."""
    lines = [f"term {t.start.isoformat()} {t.end.isoformat()} {t.name}" for t in cal.terms]
    lines += [f"closed {c.day.isoformat()} {c.reason}" for c in cal.closures]
    return "\n".join(lines)


def _tidy(cal: SchoolCalendar) -> SchoolCalendar:
    terms = tuple(Term(" ".join(t.name.split()), t.start, t.end) for t in cal.terms)
    closures = tuple(Closure(c.day, " ".join(c.reason.split())) for c in cal.closures)
    return SchoolCalendar(terms, closures)


class CalendarService:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _today(self) -> date:
        return self._s.local_now().date()

    def calendar(self) -> SchoolCalendar:
        """The school's calendar, or the standard English one when it keeps none."""
        return self._s.calendar()

    def is_standard(self) -> bool:
        """Whether the standard English dates are in use (the school keeps none)."""
        return self._s.store.calendar.get() is None

    def may_change(self) -> bool:
        return self._s.user.has(Role.ADMINISTRATOR)

    def school_year(self, today: date | None = None) -> int:
        """The year this school year started in (2026 for 2026/27)."""
        return school_year_of(today or self._today())

    def standard(self, first_year: int, last_year: int | None = None) -> SchoolCalendar:
        """The standard English term dates for the school years starting in
        ``first_year`` to ``last_year`` (just ``first_year`` without it)."""
        return default_english_calendar(first_year, first_year if last_year is None else last_year)

    def period_choices(self, today: date | None = None) -> tuple[Period, ...]:
        """ "This term", "Last term", "This school year", "Last school year" by the
        school's calendar, as of ``today`` (the school's date now without it)."""
        return period_choices(self.calendar(), today or self._today())

    def save(self, cal: SchoolCalendar) -> None:
        """Keep ``cal`` as the school's calendar (administrators only; audited). Raises
        InvalidInput naming every problem (overlapping terms, a closure outside the
        terms...) and saves nothing then."""
        self._s.require(Role.ADMINISTRATOR, action=CHANGE_ACTION)
        cal = _tidy(cal)
        problems = calendar_problems(cal)
        if problems:
            raise InvalidInput("\n".join(problems))
        store = self._s.store
        if store.calendar.get() == cal:
            return
        text = calendar_text(cal)
        with store.transaction():
            store.calendar.save(cal)
            self._s.audit(
                "settings_changed",
                detail=f"school calendar: {len(cal.terms)} terms, {len(cal.closures)} closures",
                record_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )

    def reset_to_default(self) -> None:
        """Go back to the standard English term dates (administrators only; audited)."""
        self._s.require(Role.ADMINISTRATOR, action=CHANGE_ACTION)
        store = self._s.store
        if store.calendar.get() is None:
            return
        with store.transaction():
            store.calendar.save(None)
            self._s.audit("settings_changed", detail="school calendar: the standard English dates")
