"""The staff training list as a table: each member of staff, their training today, its
expiry and where it stands ("valid", "expires in 12 days", "expired 3 days ago", "no
training recorded"). Expired and missing training is shown in red *and* in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from incident_recorder.domain.model import StaffMember
from incident_recorder.domain.training import TrainingOnDay, TrainingRecord, TrainingState
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RED = QColor(170, 20, 20)
AMBER = QColor(140, 80, 0)


class TrainingColumn(IntEnum):
    NAME = 0
    JOB = 1
    COURSE = 2
    TRAINED = 3
    EXPIRES = 4
    STATUS = 5


HEADERS = {
    TrainingColumn.NAME: "Name",
    TrainingColumn.JOB: "Job title",
    TrainingColumn.COURSE: "Course",
    TrainingColumn.TRAINED: "Trained",
    TrainingColumn.EXPIRES: "Valid until",
    TrainingColumn.STATUS: "Where it stands",
}


@dataclass(frozen=True, slots=True)
class TrainingRow:
    staff: StaffMember
    today: TrainingOnDay
    due_days: int  # the window of "due soon" (60)

    @property
    def record(self) -> TrainingRecord | None:
        return self.today.record

    @property
    def days_left(self) -> int | None:
        if self.today.expires_on is None:
            return None
        return (self.today.expires_on - self.today.day).days

    @property
    def due(self) -> bool:
        """Expired, missing, or running out within the window."""
        left = self.days_left
        return left is None or left <= self.due_days

    @property
    def status(self) -> str:
        left = self.days_left
        if self.today.state is TrainingState.NONE or left is None:
            return "no training recorded"
        if self.today.state is TrainingState.EXPIRED:
            return f"expired {-left} {'day' if left == -1 else 'days'} ago"
        if left == 0:
            return "expires today"
        if left <= self.due_days:
            return f"due: expires in {left} {'day' if left == 1 else 'days'}"
        return "valid"


def _date(day: date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


def cell_text(row: TrainingRow, column: TrainingColumn) -> str:
    record = row.record
    if column is TrainingColumn.NAME:
        return row.staff.full_name
    if column is TrainingColumn.JOB:
        return row.staff.job_title
    if column is TrainingColumn.COURSE:
        return record.course if record else ""
    if column is TrainingColumn.TRAINED:
        return _date(record.trained_on) if record else ""
    if column is TrainingColumn.EXPIRES:
        return _date(row.today.expires_on)
    return row.status


def sort_key(row: TrainingRow, column: TrainingColumn) -> object:
    if column in (TrainingColumn.STATUS, TrainingColumn.EXPIRES):
        left = row.days_left
        return -(10**6) if left is None else left  # none recorded first, then soonest
    if column is TrainingColumn.TRAINED:
        return row.record.trained_on.toordinal() if row.record else 0
    return cell_text(row, column).casefold()


class TrainingTableModel(ReadOnlyRowsModel):
    headers = tuple(HEADERS[column] for column in TrainingColumn)

    def set_rows(self, rows: list[TrainingRow]) -> None:
        self._replace_rows(rows)

    def row(self, row: int) -> TrainingRow:
        value: TrainingRow = self._rows[row]
        return value

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row: TrainingRow | None = self._row_at(index)
        if row is None:
            return None
        column = TrainingColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {cell_text(row, column) or 'none'}"
        if role == Qt.ItemDataRole.ForegroundRole and column is TrainingColumn.STATUS:
            if row.today.state is not TrainingState.VALID:
                return QBrush(RED)
            if row.due:
                return QBrush(AMBER)
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.staff.id
        if role == SORT_ROLE:
            return sort_key(row, column)
        return None


class DueFilter(QSortFilterProxyModel):
    """Sorts by the model's sort keys; with ``only_due`` keeps training that has run
    out, is missing, or runs out within the window."""

    only_due = False

    def set_only_due(self, on: bool) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt before 6.10
            self.only_due = on
            self.invalidateFilter()
            return
        self.beginFilterChange()
        self.only_due = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: object) -> bool:
        if not self.only_due:
            return True
        model = self.sourceModel()
        assert isinstance(model, TrainingTableModel)
        return model.row(source_row).due
