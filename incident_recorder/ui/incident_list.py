"""A list of incidents: the table (sortable, fetched a page at a time), a count, and a
kind message in place of the table when there is nothing to show."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import IncidentQuery, IncidentSummary
from incident_recorder.ui.models.incident_table import (
    ID_ROLE,
    SORT_ROLE,
    Column,
    IncidentTableModel,
)


class IncidentTableView(QTableView):
    """Rows, not cells: Enter or a double-click opens the record."""

    incident_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)  # the service's order
        header.setHighlightSections(False)
        self.setSortingEnabled(True)
        self.activated.connect(self._on_self_activated)

    def current_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        value = index.siblingAtColumn(0).data(ID_ROLE)
        return int(value) if value is not None else None

    def select_id(self, incident_id: int) -> bool:
        model = self.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) == incident_id:
                self.selectRow(row)
                self.setCurrentIndex(index)
                self.scrollTo(index)
                return True
        return False

    @Slot(QModelIndex)
    def _on_self_activated(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(ID_ROLE)
        if value is not None:
            self.incident_activated.emit(int(value))


class IncidentListPanel(QWidget):
    """The table over an :class:`IncidentTableModel`, or a message when it is empty."""

    incident_activated = Signal(int)
    selection_changed = Signal()

    def __init__(
        self,
        model: IncidentTableModel,
        name: str,
        hidden: tuple[Column, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = IncidentTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(name)
        for column in hidden:
            self.table.setColumnHidden(column, True)
        widths = {Column.REFERENCE: 100, Column.DATE: 95, Column.TIME: 60, Column.PUPIL: 180}
        widths |= {Column.LOCATION: 200, Column.RECORDED_BY: 160, Column.STATUS: 140}
        widths |= {Column.VERSION: 70, Column.SAVED: 130}
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.empty.setFont(self._larger(self.empty))
        self._stack = QStackedWidget()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self.count)
        self._empty_text = ""
        self._connect_signals()

    @staticmethod
    def _larger(label: QLabel) -> QFont:
        font = QFont(label.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        return font

    def _connect_signals(self) -> None:
        self.table.incident_activated.connect(self.incident_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.loaded.connect(self._on_model_changed)
        self.model.rowsInserted.connect(self._on_model_changed)
        self.model.modelReset.connect(self._on_model_changed)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self._on_model_changed()

    def load(self, query: IncidentQuery) -> None:
        """Show the first page for ``query``, keeping the selected record if it is still there.
        Raises IncidentRecorderError."""
        keep = self.table.current_id()
        self.model.set_query(query)
        if keep is not None:
            self.table.select_id(keep)

    def current_id(self) -> int | None:
        return self.table.current_id()

    def current_summary(self) -> IncidentSummary | None:
        current = self.current_id()
        if current is None:
            return None
        row = self.model.row_of(current)
        return self.model.summary(row) if row is not None else None

    @property
    def showing_table(self) -> bool:
        return self._stack.currentWidget() is self.table

    @Slot()
    def _on_selection_changed(self) -> None:
        self.selection_changed.emit()

    @Slot()
    def _on_model_changed(self) -> None:
        loaded, total = self.model.rowCount(), self.model.total
        empty = total == 0
        self.empty.setText(self._empty_text)
        self._stack.setCurrentWidget(self.empty if empty else self.table)
        if empty:
            self.count.setText("")
        elif loaded >= total:
            self.count.setText(f"{total:,} record{'s' if total != 1 else ''}")
        else:
            self.count.setText(f"Showing {loaded:,} of {total:,} records. Scroll down to see more.")
