"""The pupil list as a table: name, year, class, UPN, SEN, looked-after, on roll."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Pupil, SenStatus
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel


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


class PupilTableModel(ReadOnlyRowsModel):
    """Read-only rows over immutable Pupil values; ``set_pupils`` replaces them."""

    headers = tuple(HEADERS[column] for column in PupilColumn)

    def set_pupils(self, pupils: list[Pupil]) -> None:
        self._replace_rows(pupils)

    def pupil(self, row: int) -> Pupil:
        pupil: Pupil = self._rows[row]
        return pupil

    def row_of(self, pupil_id: int) -> int | None:
        return next((i for i, p in enumerate(self._rows) if p.id == pupil_id), None)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        pupil: Pupil | None = self._row_at(index)
        if pupil is None:
            return None
        column = PupilColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(pupil, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = cell_text(pupil, column)
            return f"{HEADERS[column]}: {text or 'none'}"
        if role == Qt.ItemDataRole.UserRole:
            return pupil.id
        return None
