"""The desk's three tables: records to sign off, referrals to consider, amendments
requested. Each row carries its record's id (UserRole) for opening it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from incident_recorder.domain.desk import AmendmentThread, ReferralToConsider, ToSignOff
from incident_recorder.domain.statements import OutstandingRow
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

OVERDUE_BACKGROUND = QColor("#fde7e9")
OVERDUE_TEXT = "overdue"
REQUEST_ROLE = Qt.ItemDataRole.UserRole + 1


def _date(day: Any) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


class _Rows(ReadOnlyRowsModel):
    """Rows of (value, cells); subclasses say how a value becomes cells."""

    def _cells(self, value: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def set_rows(self, rows: list[Any]) -> None:
        self._replace_rows([(r, self._cells(r)) for r in rows])

    @property
    def values(self) -> list[Any]:
        return [value for value, _cells in self._rows]

    def value(self, row: int) -> Any | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def _highlight(self, value: Any) -> bool:
        return False

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        found = self._row_at(index)
        if found is None:
            return None
        value, cells = found
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return value.incident_id if hasattr(value, "incident_id") else None
        if role == Qt.ItemDataRole.BackgroundRole and self._highlight(value):
            return QBrush(OVERDUE_BACKGROUND)
        return None


class ToSignOffModel(_Rows):
    headers = ("Reference", "Pupil", "Date", "Days waiting", "Needs attention first")

    def _cells(self, r: ToSignOff) -> tuple[str, ...]:
        days = f"{r.days_waiting} school day{'s' if r.days_waiting != 1 else ''}"
        if r.overdue:
            days += f": {OVERDUE_TEXT}"
        return (r.reference, r.pupil_name, _date(r.occurred_on), days, "; ".join(r.reasons))

    def _highlight(self, value: ToSignOff) -> bool:
        return value.overdue


class ReferralsModel(_Rows):
    headers = ("Reference", "Pupil", "Date", "Still to decide", "Who decided what and when")

    def _cells(self, r: ReferralToConsider) -> tuple[str, ...]:
        return (r.reference, r.pupil_name, _date(r.occurred_on), r.open_text, r.decided_text)


class StatementsModel(_Rows):
    headers = ("Reference", "Pupil", "Member of staff", "Asked", "School days waiting")

    def _cells(self, r: OutstandingRow) -> tuple[str, ...]:
        who = r.staff_name if r.has_account else f"{r.staff_name} (no account: ask in person)"
        return (
            r.reference,
            r.pupil_name,
            who,
            f"{r.requested_local:%d/%m/%Y %H:%M}",
            str(r.school_days_waiting),
        )


class AmendmentsModel(_Rows):
    headers = ("Reference", "Pupil", "Asked", "Request", "Reply", "Status")

    def __init__(self, local: Callable[[datetime], datetime], parent: Any = None) -> None:
        super().__init__(parent)
        self._local = local

    def _cells(self, t: AmendmentThread) -> tuple[str, ...]:
        asked = t.request.requested_at
        when = "" if asked is None else f"{self._local(asked):%d/%m/%Y %H:%M}"
        who = t.request.requested_by_name
        return (
            t.reference,
            t.pupil_name,
            f"{when} by {who}" if who else when,
            t.request.text,
            t.reply_text(self._local),
            t.status_text(self._local),
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.UserRole:
            found = self._row_at(index)
            return None if found is None else found[0].request.incident_id
        if role == REQUEST_ROLE:
            found = self._row_at(index)
            return None if found is None else found[0].request.id
        return super().data(index, role)
