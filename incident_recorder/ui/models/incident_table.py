"""The incident list as a Qt table model, fetched a page at a time.

A large trust may hold 100,000 records, so the model never loads them all: it asks the
service for one page (``IncidentQuery.offset``/``limit``) and the view asks for the
next page (``canFetchMore``/``fetchMore``) as the user scrolls to the bottom.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentQuery, IncidentStatus, IncidentSummary, Page
from incident_recorder.services.session import to_local

Fetch = Callable[[IncidentQuery], Page[IncidentSummary]]
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    REFERENCE = 0
    DATE = 1
    TIME = 2
    PUPIL = 3
    LOCATION = 4
    RECORDED_BY = 5
    STATUS = 6
    VERSION = 7
    FLAGS = 8
    SAVED = 9

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    Column.REFERENCE: "Reference",
    Column.DATE: "Date",
    Column.TIME: "Time",
    Column.PUPIL: "Pupil",
    Column.LOCATION: "Location",
    Column.RECORDED_BY: "Recorded by",
    Column.STATUS: "Status",
    Column.VERSION: "Version",
    Column.FLAGS: "Flags",
    Column.SAVED: "Last saved",
}


def flags_text(summary: IncidentSummary) -> str:
    flags = []
    if summary.injury:
        flags.append("Injury")
    if summary.floor_position:
        flags.append("Floor hold")
    return ", ".join(flags)


def status_text(summary: IncidentSummary) -> str:
    if summary.status is IncidentStatus.SUBMITTED and summary.version > 1:
        return "Submitted, amended"
    return summary.status.label


class IncidentTableModel(QAbstractTableModel):
    """Rows of :class:`IncidentSummary`, loaded a page at a time from ``fetch``."""

    loaded = Signal()  # a new query's first page arrived
    fetch_failed = Signal(str)

    def __init__(
        self,
        fetch: Fetch,
        zone: str = "Europe/London",
        page_size: int = 200,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._zone = zone
        self._page_size = page_size
        self._query = IncidentQuery()
        self._rows: list[IncidentSummary] = []
        self._ids: set[int] = set()
        self._total = 0

    # ------------------------------------------------------------------ loading

    @property
    def query(self) -> IncidentQuery:
        return self._query

    @property
    def total(self) -> int:
        """How many records match, loaded or not."""
        return self._total

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_query(self, query: IncidentQuery) -> None:
        """Start again with ``query``: the first page only. Raises IncidentRecorderError."""
        query = dataclasses.replace(query, offset=0, limit=self._page_size)
        page = self._fetch(query)
        self.beginResetModel()
        self._query = query
        self._rows = []
        self._ids = set()
        self._total = page.total
        self._append(page.rows)
        self.endResetModel()
        self.loaded.emit()

    def refresh(self) -> None:
        """Reload with the same query (as many rows as before, at least one page)."""
        self.set_query(self._query)

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._ids, self._total = [], set(), 0
        self.endResetModel()

    def _append(self, rows: tuple[IncidentSummary, ...]) -> None:
        for row in rows:
            if row.id not in self._ids:  # a record submitted meanwhile shifts the pages
                self._ids.add(row.id)
                self._rows.append(row)

    def canFetchMore(self, parent: AnyIndex = _ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = _ROOT) -> None:
        if parent.isValid() or not self.canFetchMore(parent):
            return
        query = dataclasses.replace(self._query, offset=len(self._rows), limit=self._page_size)
        try:
            page = self._fetch(query)
        except IncidentRecorderError as error:
            self._total = len(self._rows)
            self.fetch_failed.emit(str(error))
            return
        fresh = [r for r in page.rows if r.id not in self._ids]
        if not fresh:
            self._total = len(self._rows)  # the list shrank meanwhile: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._append(tuple(fresh))
        self.endInsertRows()

    # ------------------------------------------------------------------ lookup

    def summary(self, row: int) -> IncidentSummary:
        return self._rows[row]

    def row_of(self, incident_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == incident_id:
                return i
        return None

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return Column(section).title
        elif orientation is Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {self._display(row, column) or 'none'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.VERSION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: IncidentSummary, column: Column) -> str:
        match column:
            case Column.REFERENCE:
                return row.reference or "Draft"
            case Column.DATE:
                return row.occurred_on.strftime("%d/%m/%Y") if row.occurred_on else "—"
            case Column.TIME:
                return row.start.strftime("%H:%M") if row.start else "—"
            case Column.PUPIL:
                return row.pupil_name or "Not chosen yet"
            case Column.LOCATION:
                return row.location or "—"
            case Column.RECORDED_BY:
                return row.author_name
            case Column.STATUS:
                return status_text(row)
            case Column.VERSION:
                return str(row.version) if row.version else "—"
            case Column.FLAGS:
                return flags_text(row)
            case Column.SAVED:
                return to_local(row.updated_at, self._zone).strftime("%d/%m/%Y %H:%M")

    def _sort_key(self, row: IncidentSummary, column: Column) -> Any:
        match column:
            case Column.DATE | Column.TIME:
                day = row.occurred_on.isoformat() if row.occurred_on else ""
                start = row.start.strftime("%H:%M") if row.start else ""
                return f"{day} {start}" if column is Column.DATE else f"{start} {day}"
            case Column.PUPIL:
                parts = row.pupil_name.rsplit(" ", 1)
                return " ".join(reversed(parts)).lower()
            case Column.VERSION:
                return row.version
            case Column.SAVED:
                return row.updated_at.isoformat()
            case _:
                return self._display(row, column).lower()

    def _tooltip(self, row: IncidentSummary, column: Column) -> str | None:
        if column is Column.FLAGS and (row.injury or row.floor_position):
            tips = []
            if row.injury:
                tips.append("Someone was injured")
            if row.floor_position:
                tips.append("A ground, prone or supine position was used")
            return "; ".join(tips)
        if column is Column.REFERENCE and row.status is IncidentStatus.DRAFT:
            saved = to_local(row.updated_at, self._zone).strftime("%d/%m/%Y %H:%M")
            return f"Not submitted yet. Last saved {saved}."
        return None
