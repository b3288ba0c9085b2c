"""A list of incidents: the table (sortable, fetched a page at a time), a count, and a
kind message in place of the table when there is nothing to show.

Sorting is the model's own (it asks for every record again in the new order), so the
table sits on the model directly, without a QSortFilterProxyModel. A header click or
the "Sort by" menu (the keyboard's way in) sorts; the header's indicator always shows
the model's order."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import IncidentQuery, IncidentSummary
from incident_recorder.ui.models.incident_table import ID_ROLE, Column, IncidentTableModel


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
        header.setHighlightSections(False)
        self.setSortingEnabled(True)  # a header click calls the model's sort()
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
        self.table = IncidentTableView()
        self.table.setModel(model)
        self.table.setAccessibleName(name)
        self.table.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)
        for column in hidden:
            self.table.setColumnHidden(column, True)
        self._build_sort_menu(tuple(c for c in Column if c.sort is not None and c not in hidden))
        self._keep: int | None = None  # the record selected while the rows are reloaded
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

    def _build_sort_menu(self, columns: tuple[Column, ...]) -> None:
        """The same orders as the headers, for the keyboard (the main window's View menu)."""
        self.sort_menu = QMenu("&Sort by", self)
        self._sort_actions = QActionGroup(self)
        for column in columns:
            action = QAction(column.title, self._sort_actions, checkable=True)
            action.setData(int(column))
            self.sort_menu.addAction(action)
        self.sort_menu.addSeparator()
        self._order_actions = QActionGroup(self)
        for text, order in (
            ("&Ascending (A to Z, oldest first)", Qt.SortOrder.AscendingOrder),
            ("D&escending (Z to A, newest first)", Qt.SortOrder.DescendingOrder),
        ):
            action = QAction(text, self._order_actions, checkable=True)
            action.setData(order.value)
            self.sort_menu.addAction(action)
        self._show_order()

    def _show_order(self) -> None:
        for action in self._sort_actions.actions():
            action.setChecked(action.data() == int(self.model.sort_column))
        for action in self._order_actions.actions():
            action.setChecked(action.data() == self.model.sort_order.value)

    @staticmethod
    def _larger(label: QLabel) -> QFont:
        font = QFont(label.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        return font

    def _connect_signals(self) -> None:
        self.table.incident_activated.connect(self.incident_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # After the view's own connection, which has already called the model's sort().
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self._sort_actions.triggered.connect(self._on_sort_actions_triggered)
        self._order_actions.triggered.connect(self._on_order_actions_triggered)
        self.model.loaded.connect(self._on_model_changed)
        self.model.rowsInserted.connect(self._on_model_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self._on_model_changed()

    def load(self, query: IncidentQuery) -> None:
        """Show the first page for ``query`` in the list's order, keeping the selected
        record if it is still there. Raises IncidentRecorderError."""
        self.model.set_query(query)

    def sort_by(self, column: Column, order: Qt.SortOrder) -> None:
        """Sort every record by ``column`` (as a click on its header does)."""
        self.table.sortByColumn(column, order)

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

    @Slot(int, Qt.SortOrder)
    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        model = self.model
        if (column, order) != (model.sort_column, model.sort_order):
            # Not a column the list sorts by, or the new order could not be fetched.
            self.table.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)
            return
        self._show_order()

    @Slot(QAction)
    def _on_sort_actions_triggered(self, action: QAction) -> None:
        column = Column(int(action.data()))
        order = self.model.sort_order
        if self.model.sort_column is not column:
            initial = self.model.headerData(
                column, Qt.Orientation.Horizontal, Qt.ItemDataRole.InitialSortOrderRole
            )
            order = Qt.SortOrder(initial)
        self.sort_by(column, order)
        self._show_order()

    @Slot(QAction)
    def _on_order_actions_triggered(self, action: QAction) -> None:
        self.sort_by(self.model.sort_column, Qt.SortOrder(int(action.data())))
        self._show_order()

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        self._keep = self.table.current_id()

    @Slot()
    def _on_model_reset(self) -> None:
        """New rows (another query or order): the selected record stays selected if it is
        among them; otherwise the list starts again at the top."""
        keep, self._keep = self._keep, None
        if keep is None or not self.table.select_id(keep):
            self.table.scrollToTop()
        self._on_model_changed()
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
