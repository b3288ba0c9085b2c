"""The Reports screen's read-only table, and a captioned section holding one.

A row with records behind it opens them on a double-click or on Enter (``opened``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.ui.reports.models import ReportRowsModel, Row


class ReportTable(QTableView):
    opened = Signal(object)  # the Row activated

    def __init__(
        self, model: ReportRowsModel, name: str, parent: QWidget | None = None, stretch: int = 0
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.report_model = model
        self.select_first = False  # True: the first row starts chosen (a list to open from)
        self._fit_most: int | None = None
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._on_double_clicked)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.report_model.set_rows(rows)
        if rows and self.select_first:
            self.setCurrentIndex(self.report_model.index(0, 0))
        elif rows:  # the keyboard starts on the first row, nothing painted over its colours
            self.selectionModel().setCurrentIndex(
                self.report_model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self.resizeRowsToContents()
        if self._fit_most is not None:
            self.fit_height(self._fit_most)

    def fit_height(self, most: int = 14) -> None:
        """As tall as its rows (up to ``most``), so a page of tables scrolls as one."""
        self._fit_most = most
        rows = min(self.report_model.rowCount(), most)
        height = self.horizontalHeader().height() + 2 * self.frameWidth() + 4
        height += (
            sum(self.rowHeight(i) for i in range(rows)) if rows else self.fontMetrics().height() * 2
        )
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Wrapped words take the rows' final widths, not those before the first layout."""
        super().resizeEvent(event)
        self.resizeRowsToContents()
        if self._fit_most is not None:
            self.fit_height(self._fit_most)

    def current_row(self) -> Row | None:
        index = self.currentIndex()
        return self.report_model.row_value(index.row()) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            found = self.current_row()
            if found is not None:
                self.opened.emit(found)
                event.accept()
                return
        super().keyPressEvent(event)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        found = self.report_model.row_value(index.row())
        if found is not None:
            self.opened.emit(found)


class TableSection(QWidget):
    """A bold caption (the table's buddy, so Alt+letter reaches it), a note and the table."""

    def __init__(
        self,
        caption: str,
        model: ReportRowsModel,
        name: str,
        parent: QWidget | None = None,
        stretch: int = 0,
    ) -> None:
        super().__init__(parent)
        self.caption = QLabel(f"<b>{caption}</b>", self)
        self.table = ReportTable(model, name, self, stretch)
        self.caption.setBuddy(self.table)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
