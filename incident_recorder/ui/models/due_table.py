"""The "plan reviews due" list as a table: pupil, year, why the review is due, the
incidents that count, the plan's review date and how many days it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Pupil
from incident_recorder.domain.review import DueReason, ReviewDue
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class DueColumn(IntEnum):
    PUPIL = 0
    YEAR = 1
    REASON = 2
    DETAIL = 3
    INCIDENTS = 4
    REVIEW_DATE = 5
    OVERDUE = 6


HEADERS = {
    DueColumn.PUPIL: "Pupil",
    DueColumn.YEAR: "Year",
    DueColumn.REASON: "Why",
    DueColumn.DETAIL: "Details",
    DueColumn.INCIDENTS: "Incidents",
    DueColumn.REVIEW_DATE: "Review date",
    DueColumn.OVERDUE: "Days overdue",
}

REASON_LABELS = {
    DueReason.PAST_REVIEW_DATE: "Past its review date",
    DueReason.INCIDENTS_SINCE_PLAN: "Incidents since the last review",
    DueReason.NO_PLAN: "Incidents but no plan",
    DueReason.NEEDS_PLAN: "SEND, EHCP or looked after: no plan",
}
_REASON_ORDER = list(DueReason)


@dataclass(frozen=True, slots=True)
class DueRow:
    due: ReviewDue
    pupil: Pupil | None  # None if the pupil could not be read


def cell_text(row: DueRow, column: DueColumn) -> str:
    due, pupil = row.due, row.pupil
    if column is DueColumn.PUPIL:
        return pupil.sorting_name if pupil else f"Pupil {due.pupil_id}"
    if column is DueColumn.YEAR:
        return pupil.year_group if pupil else ""
    if column is DueColumn.REASON:
        return REASON_LABELS[due.reason]
    if column is DueColumn.DETAIL:
        return due.text
    if column is DueColumn.INCIDENTS:
        return str(due.incidents)
    if column is DueColumn.REVIEW_DATE:
        return f"{due.review_date:%d/%m/%Y}" if due.review_date else ""
    return "" if due.days_overdue is None else str(due.days_overdue)


def sort_key(row: DueRow, column: DueColumn) -> object:
    """Numbers and dates sort as numbers and dates; ties keep the reason order."""
    due = row.due
    if column is DueColumn.REASON:
        return _REASON_ORDER.index(due.reason)
    if column is DueColumn.INCIDENTS:
        return due.incidents
    if column is DueColumn.REVIEW_DATE:
        return due.review_date.toordinal() if due.review_date else 0
    if column is DueColumn.OVERDUE:
        return -1 if due.days_overdue is None else due.days_overdue
    return cell_text(row, column).casefold()


class DueTableModel(ReadOnlyRowsModel):
    headers = tuple(HEADERS[column] for column in DueColumn)

    def set_rows(self, rows: list[DueRow]) -> None:
        self._replace_rows(rows)

    def row(self, row: int) -> DueRow:
        value: DueRow = self._rows[row]
        return value

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row: DueRow | None = self._row_at(index)
        if row is None:
            return None
        column = DueColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is DueColumn.DETAIL:
            return row.due.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {cell_text(row, column) or 'none'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            DueColumn.INCIDENTS,
            DueColumn.OVERDUE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.due.pupil_id
        if role == SORT_ROLE:
            return sort_key(row, column)
        return None
