"""The calendar dialog's two tables: terms (name, first day, last day, school days) and
closures (date, day of the week, reason)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Rows(ReadOnlyRowsModel):
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        found = self._row_at(index)
        if found is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return found[1][index.column()]
        return None

    def value(self, row: int) -> object | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None


class TermsModel(_Rows):
    headers = ("Term", "First day", "Last day", "School days")

    def set_terms(self, terms: Sequence[Term], calendar: SchoolCalendar) -> None:
        rows = []
        for t in terms:
            days = calendar.school_days_between(t.start, t.end) + calendar.is_school_day(t.start)
            rows.append((t, (t.name, f"{t.start:%d/%m/%Y}", f"{t.end:%d/%m/%Y}", str(days))))
        self._replace_rows(rows)


class ClosuresModel(_Rows):
    headers = ("Date", "Day", "Reason")

    def set_closures(self, closures: Sequence[Closure]) -> None:
        self._replace_rows(
            [(c, (f"{c.day:%d/%m/%Y}", DAY_NAMES[c.day.weekday()], c.reason)) for c in closures]
        )
