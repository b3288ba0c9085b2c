"""A repeating-rows editor (holds, staff, actions) that keeps the tab order right."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.ui.form.page import connect_changed
from incident_recorder.ui.form.tab_order import tab_stops


class Row(QWidget):
    """One row: a number, labelled inputs and a Remove button (on ``line``), and under
    them room for a message about the row (``below``)."""

    changed = Signal()
    remove_requested = Signal(QWidget)
    noun = "row"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.below = QVBoxLayout(self)
        self.below.setContentsMargins(0, 0, 0, 0)
        self.line = QHBoxLayout()
        self.below.addLayout(self.line)
        self.number_label = QLabel(self)
        self.line.addWidget(self.number_label)
        self._named: list[tuple[QWidget, str]] = []
        self._inputs: list[QWidget] = []
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAutoDefault(False)

    def add_input(self, label: str, widget: QWidget, stretch: int = 0) -> QWidget:
        """A visible label (the input's buddy), then the input."""
        text = QLabel(label, self)
        text.setBuddy(widget)
        self.line.addWidget(text)
        self.line.addWidget(widget, stretch)
        self._named.append((widget, label.replace("&", "").rstrip(":").lower()))
        self._inputs.append(widget)
        connect_changed(widget, self._on_input_changed)
        return widget

    def finish(self) -> None:
        self.line.addWidget(self.remove_button)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    @Slot()
    def _on_input_changed(self) -> None:
        self.changed.emit()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)

    def set_number(self, number: int) -> None:
        title = f"{self.noun.capitalize()} {number}"
        self.number_label.setText(f"{title}:")
        for widget, what in self._named:
            widget.setAccessibleName(f"{title} {what}")
        self.remove_button.setAccessibleName(f"Remove {self.noun} {number}")

    def tab_chain(self) -> list[QWidget]:
        """The row's tab stops, left to right (a date box is its text box)."""
        return [*(stop for w in self._inputs for stop in tab_stops(w)), self.remove_button]


class RowsEditor(QWidget):
    """Rows added with a button; each row has its own Remove button."""

    changed = Signal()
    row_added = Signal(QWidget)

    def __init__(
        self,
        add_text: str,
        make_row: Callable[[QWidget], Row],
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_row = make_row
        self._rows: list[Row] = []
        self._rows_area = QWidget(self)
        self._rows_layout = QVBoxLayout(self._rows_area)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(empty_text, self)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.footer = QVBoxLayout(self)
        self.footer.setContentsMargins(0, 0, 0, 0)
        self.footer.addWidget(self._rows_area)
        self.footer.addWidget(self.empty_label)
        self.footer.addLayout(buttons)
        self.setFocusProxy(self.add_button)
        self.add_button.clicked.connect(self._on_add_button_clicked)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        row = self.add_row()
        row.tab_chain()[0].setFocus()

    @Slot(QWidget)
    def _on_row_remove_requested(self, row: QWidget) -> None:
        index = self._rows.index(row)  # type: ignore[arg-type]
        self._rows.pop(index)
        row.hide()
        row.deleteLater()
        self._renumber()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].tab_chain()[0].setFocus()
        else:
            self.add_button.setFocus()
        self.changed.emit()

    def add_row(self) -> Row:
        row = self._make_row(self._rows_area)
        row.finish()
        previous = self._rows[-1].tab_chain()[-1] if self._rows else self._tab_anchor()
        self._rows.append(row)
        self._rows_layout.addWidget(row)
        row.show()
        chain = [previous, *row.tab_chain(), self.add_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._on_row_remove_requested)
        self._renumber()
        self.row_added.emit(row)
        self.changed.emit()
        return row

    def _tab_anchor(self) -> QWidget:
        """The tab stop just before this editor (so a first row goes right after it)."""
        current = self.add_button.previousInFocusChain()
        while current is not None and current is not self.add_button:
            if current.focusPolicy() & Qt.FocusPolicy.TabFocus and not self.isAncestorOf(current):
                return current
            current = current.previousInFocusChain()
        return self.add_button

    def _renumber(self) -> None:
        for number, row in enumerate(self._rows, start=1):
            row.set_number(number)
        self.empty_label.setVisible(not self._rows)

    def rows(self) -> list[Row]:
        return list(self._rows)

    def set_rows(self, count: int) -> list[Row]:
        """Exactly ``count`` empty rows (for loading a record)."""
        for row in self._rows:
            row.hide()
            row.deleteLater()
        self._rows = []
        for _ in range(count):
            self.add_row()
        self._renumber()
        return list(self._rows)
