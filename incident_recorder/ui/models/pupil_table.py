"""The pupil list as a table: name, year, class, UPN, SEN, looked-after, on roll."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from incident_recorder.domain.model import Pupil, SenStatus

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class PupilColumn(IntEnum):
    NAME = 0
    YEAR = 1
    CLASS = 2
    UPN = 3
    SEN = 4
    LOOKED_AFTER = 5
    ON_ROLL = 6


HEADERS = {
    PupilColumn.NAME: "Name",
    PupilColumn.YEAR: "Year",
    PupilColumn.CLASS: "Class",
    PupilColumn.UPN: "UPN",
    PupilColumn.SEN: "SEN",
    PupilColumn.LOOKED_AFTER: "Looked after",
    PupilColumn.ON_ROLL: "On roll",
}


def cell_text(pupil: Pupil, column: PupilColumn) -> str:
    if column is PupilColumn.NAME:
        return pupil.sorting_name
    if column is PupilColumn.YEAR:
        return pupil.year_group
    if column is PupilColumn.CLASS:
        return pupil.class_name
    if column is PupilColumn.UPN:
        return pupil.upn
    if column is PupilColumn.SEN:
        return "" if pupil.sen_status is SenStatus.NONE else pupil.sen_status.label
    if column is PupilColumn.LOOKED_AFTER:
        return "Looked after" if pupil.looked_after else ""
    if pupil.left_on is None:
        return "On roll"
    return f"Left {pupil.left_on:%d/%m/%Y}"


class PupilTableModel(QAbstractTableModel):
    """Read-only rows over immutable Pupil values; ``set_pupils`` replaces them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pupils: list[Pupil] = []

    def set_pupils(self, pupils: list[Pupil]) -> None:
        self.beginResetModel()
        self._pupils = list(pupils)
        self.endResetModel()

    def pupil(self, row: int) -> Pupil:
        return self._pupils[row]

    def row_of(self, pupil_id: int) -> int | None:
        for row, pupil in enumerate(self._pupils):
            if pupil.id == pupil_id:
                return row
        return None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._pupils)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(PupilColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._pupils):
            return None
        pupil = self._pupils[index.row()]
        column = PupilColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(pupil, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = cell_text(pupil, column)
            return f"{HEADERS[column]}: {text or 'none'}"
        if role == Qt.ItemDataRole.UserRole:
            return pupil.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(PupilColumn):
            return HEADERS[PupilColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
