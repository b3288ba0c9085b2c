"""The Backups screen's table: one row per generation, in the data folder's backups and
in the second folder, newest first, with what a check found once one has run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from incident_recorder.domain.backups import Generation, label_words, size_words
from incident_recorder.ui.backups.words import moment_text
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

PROBLEM_COLOUR = QColor("#a4262c")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_CHECKED = "Not checked yet"


@dataclass(frozen=True, slots=True)
class BackupRow:
    generation: Generation
    second: bool  # in the second folder (else in the data folder's backups)
    check: str = ""  # "" not checked; "Sound" or the problems found


class BackupColumn(IntEnum):
    MADE = 0
    WHY = 1
    RECORDS = 2
    SIZE = 3
    SCHEMA = 4
    WHERE = 5
    CHECK = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    BackupColumn.MADE: "Made",
    BackupColumn.WHY: "Why",
    BackupColumn.RECORDS: "Records",
    BackupColumn.SIZE: "Size",
    BackupColumn.SCHEMA: "Schema",
    BackupColumn.WHERE: "Where",
    BackupColumn.CHECK: "Check",
}


class BackupTableModel(ReadOnlyRowsModel):
    """Rows of :class:`BackupRow`, read-only; ``set_rows`` replaces them all."""

    headers = tuple(column.title for column in BackupColumn)

    def __init__(self, zone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._today: date | None = None

    def set_rows(self, rows: list[BackupRow], today: date | None = None) -> None:
        self._today = today
        self._replace_rows(rows)

    def row(self, index: int) -> BackupRow:
        found: BackupRow = self._rows[index]
        return found

    @property
    def rows(self) -> list[BackupRow]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: BackupRow | None = self._row_at(index)
        if row is None:
            return None
        column = BackupColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is BackupColumn.CHECK and row.check:
            return row.check
        if role == Qt.ItemDataRole.ToolTipRole and column is BackupColumn.WHERE:
            return row.generation.location or None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column is BackupColumn.CHECK
            and row.check not in ("", "Sound")
        ):
            return PROBLEM_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            BackupColumn.RECORDS,
            BackupColumn.SIZE,
            BackupColumn.SCHEMA,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: BackupRow, column: BackupColumn) -> str:
        g = row.generation
        if column is BackupColumn.MADE:
            return moment_text(g.made_at, self._zone, self._today)
        if column is BackupColumn.WHY:
            words = label_words(g.label)
            return words[:1].upper() + words[1:]
        if column is BackupColumn.RECORDS:
            return f"{g.records:,}"
        if column is BackupColumn.SIZE:
            return size_words(g.size_bytes)
        if column is BackupColumn.SCHEMA:
            return str(g.schema)
        if column is BackupColumn.WHERE:
            return "Second folder" if row.second else "This PC"
        return row.check or NOT_CHECKED

    def _sort_key(self, row: BackupRow, column: BackupColumn) -> Any:
        g = row.generation
        if column is BackupColumn.MADE:
            return g.made_at.isoformat()
        if column is BackupColumn.RECORDS:
            return g.records
        if column is BackupColumn.SIZE:
            return g.size_bytes
        if column is BackupColumn.SCHEMA:
            return g.schema
        return self._text(row, column)
