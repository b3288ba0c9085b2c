"""The school calendar (issue 14): its terms and closures, replaced as a whole."""

from __future__ import annotations

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
from incident_recorder.store._values import date_from_text, date_text
from incident_recorder.store.connection import Connection


class SqlCalendarRepository:
    """``store.calendar``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def get(self) -> SchoolCalendar | None:
        """The school's own calendar, or None when it keeps none."""
        terms = []
        rows = self._db.all("SELECT name, start_on, end_on FROM school_terms ORDER BY start_on")
        for row in rows:
            start, end = date_from_text(row["start_on"]), date_from_text(row["end_on"])
            assert start is not None and end is not None
            terms.append(Term(row["name"], start, end))
        if not terms:
            return None
        closures = []
        for row in self._db.all("SELECT day, reason FROM school_closures ORDER BY day"):
            day = date_from_text(row["day"])
            assert day is not None
            closures.append(Closure(day, row["reason"]))
        return SchoolCalendar(tuple(terms), tuple(closures))

    def save(self, calendar: SchoolCalendar | None) -> None:
        """Keep ``calendar`` in place of the one kept (None: keep none)."""
        with self._db.transaction():
            self._db.execute("DELETE FROM school_closures")
            self._db.execute("DELETE FROM school_terms")
            if calendar is None:
                return
            self._db.executemany(
                "INSERT INTO school_terms (name, start_on, end_on) VALUES (?, ?, ?)",
                [(t.name, date_text(t.start), date_text(t.end)) for t in calendar.terms],
            )
            self._db.executemany(
                "INSERT INTO school_closures (day, reason) VALUES (?, ?)",
                [(date_text(c.day), c.reason) for c in calendar.closures],
            )
