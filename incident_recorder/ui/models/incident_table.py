"""The incident list as a Qt table model, fetched a page at a time.

A large trust may hold 100,000 records, so the model never loads them all: it asks the
service for one page (``IncidentQuery.offset``/``limit``) and the view asks for the
next page (``canFetchMore``/``fetchMore``) as the user scrolls to the bottom.

For the same reason the model sorts itself rather than sitting behind a
``QSortFilterProxyModel``: a proxy could only reorder the rows loaded so far. ``sort()``
(called by the view when a header is clicked) asks the service again from the first
record in the new order (``IncidentQuery.sort``/``descending``), so the first row after
sorting by pupil is the first pupil of all the records, not of the loaded ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    IncidentSummary,
    Page,
)
from incident_recorder.services.session import to_local
from incident_recorder.ui.models.incident_columns import Column, flags_text, status_text

__all__ = ["ID_ROLE", "Column", "Fetch", "IncidentTableModel"]  # Column: from incident_columns

Fetch = Callable[[IncidentQuery], Page[IncidentSummary]]
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

ID_ROLE = Qt.ItemDataRole.UserRole + 2


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
        sort: IncidentSort = IncidentSort.DATE,
        descending: bool = True,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._zone = zone
        self._page_size = page_size
        self._query = IncidentQuery(sort=sort, descending=descending)
        self._rows: list[IncidentSummary] = []
        self._ids: set[int] = set()
        self._total = 0
        self._active = False  # a query has been loaded (and not cleared since)
        self._changing = False  # telling the views about new rows: no fetching meanwhile

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

    @property
    def sort_column(self) -> Column:
        """The column the list is sorted by, for the header's sort indicator."""
        return Column.of(self._query.sort)

    @property
    def sort_order(self) -> Qt.SortOrder:
        if self._query.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder

    def set_query(self, query: IncidentQuery) -> None:
        """Start again with ``query``'s filters, in the model's order (see ``sort``): the
        first page only. Raises IncidentRecorderError."""
        self._load(
            dataclasses.replace(query, sort=self._query.sort, descending=self._query.descending)
        )

    def _load(self, query: IncidentQuery) -> None:
        query = dataclasses.replace(query, offset=0, limit=self._page_size)
        page = self._fetch(query)
        with self._announcing():
            self.beginResetModel()
            self._query = query
            self._rows = []
            self._ids = set()
            self._total = page.total
            self._append(page.rows)
            self._active = True
            self.endResetModel()
        self.loaded.emit()

    @contextmanager
    def _announcing(self) -> Iterator[None]:
        """While the views hear of a change, asking for more rows gets none (see
        ``canFetchMore``)."""
        self._changing = True
        try:
            yield
        finally:
            self._changing = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order every record by ``column``: the first page is fetched again in that order.

        A column that cannot be sorted by (or -1) changes nothing; the view puts its
        header's indicator back (see IncidentListPanel). A failure is reported through
        ``fetch_failed`` and keeps the rows and the order as they were.
        """
        by = Column(column).sort if 0 <= column < len(Column) else None
        if by is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (by, descending) == (self._query.sort, self._query.descending):
            return
        query = dataclasses.replace(self._query, sort=by, descending=descending)
        if not self._active:
            self._query = query  # nothing shown yet: the first load uses this order
            return
        try:
            self._load(query)
        except IncidentRecorderError as error:
            self.fetch_failed.emit(str(error))

    def refresh(self) -> None:
        """Reload with the same query (as many rows as before, at least one page)."""
        self.set_query(self._query)

    def clear(self) -> None:
        with self._announcing():
            self.beginResetModel()
            self._rows, self._ids, self._total = [], set(), 0
            self._active = False
            self.endResetModel()

    def _append(self, rows: tuple[IncidentSummary, ...]) -> None:
        for row in rows:
            if row.id not in self._ids:  # a record submitted meanwhile shifts the pages
                self._ids.add(row.id)
                self._rows.append(row)

    def canFetchMore(self, parent: AnyIndex = _ROOT) -> bool:
        # A view (or the model tester) asking for more while new rows are being announced
        # would have rows inserted before every listener has heard of the change: it is
        # told there are no more until then, and asks again later.
        return not parent.isValid() and not self._changing and len(self._rows) < self._total

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
        with self._announcing():
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
            column = Column(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.InitialSortOrderRole and column.sort is not None:
                if column.newest_first:
                    return Qt.SortOrder.DescendingOrder.value
                return Qt.SortOrder.AscendingOrder.value
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.sort_tip
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
