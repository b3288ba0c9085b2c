"""The two halves of the calendar dialog: the terms and the closures, each a table with
the fields to add, change or remove one row. Choosing a row fills the fields; Delete
(or Backspace) on the table removes the row. Each panel tells the dialog when its rows change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.calendar import (
    CLOSURE_REASON_MAX,
    TERM_NAME_MAX,
    Closure,
    SchoolCalendar,
    Term,
)
from incident_recorder.ui.calendar.models import ClosuresModel, TermsModel
from incident_recorder.ui.dates import DateEdit

PROBLEM_STYLE = "color: #a4262c"


class _Table(QTableView):
    """A table that tells its panel when Delete is pressed on it."""

    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def _table(parent: QWidget, name: str) -> _Table:
    table = _Table(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setAccessibleName(name)
    table.setMinimumHeight(150)
    return table


def _labelled(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


class _Panel(QGroupBox):
    """A table of rows with the fields for one row and Add, Change, Remove."""

    changed = Signal()

    def __init__(self, title: str, table_name: str, parent: QWidget | None) -> None:
        super().__init__(title, parent)
        self.table = _table(self, table_name)
        self.hint = QLabel("", self)
        self.hint.setStyleSheet(PROBLEM_STYLE)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(f"{title}: problem")
        self.hint.hide()
        self.fields = QGridLayout()
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.fields)
        layout.addWidget(self.hint)
        layout.addLayout(self.buttons)

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def _add_buttons(self, add: str, change: str, remove: str, what: str) -> None:
        self.add_button = QPushButton(add, self)
        self.change_button = QPushButton(change, self)
        self.remove_button = QPushButton(remove, self)
        for button, name in (
            (self.add_button, f"Add the {what}"),
            (self.change_button, f"Change the chosen {what}"),
            (self.remove_button, f"Remove the chosen {what}"),
        ):
            button.setAccessibleName(name)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.table.delete_pressed.connect(self._on_remove_button_clicked)
        self._update_buttons()

    def _connect_selection(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _select(self, row: int | None) -> None:
        model = self.table.model()
        if row is None or not 0 <= row < model.rowCount():
            self.table.clearSelection()
            return
        self.table.selectionModel().select(
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(model.index(row, 0))

    def _update_buttons(self) -> None:
        chosen = self.selected_row() is not None
        self.change_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_buttons()
        row = self.selected_row()
        if row is not None:
            self._fill(row)

    def _fill(self, row: int) -> None:
        raise NotImplementedError

    def _replace(self, row: int | None) -> None:
        raise NotImplementedError

    def _remove(self, row: int) -> None:
        raise NotImplementedError

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self._replace(None)

    @Slot()
    def _on_change_button_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._replace(row)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._remove(row)
            self._say("")
            self.changed.emit()


class TermsPanel(_Panel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Terms", "Terms", parent)
        self._terms: list[Term] = []
        self.model = TermsModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.name = QLineEdit(self)
        self.name.setMaxLength(TERM_NAME_MAX)
        self.name.setPlaceholderText("e.g. Autumn 1")
        self.name.setAccessibleName("Term name")
        self.first = DateEdit(self)
        self.first.setAccessibleName("First day of the term")
        self.last = DateEdit(self)
        self.last.setAccessibleName("Last day of the term")
        self.fields.addWidget(_labelled("&Name:", self.name, self), 0, 0)
        self.fields.addWidget(self.name, 0, 1)
        self.fields.addWidget(_labelled("&First day:", self.first, self), 0, 2)
        self.fields.addWidget(self.first, 0, 3)
        self.fields.addWidget(_labelled("&Last day:", self.last, self), 0, 4)
        self.fields.addWidget(self.last, 0, 5)
        self.fields.setColumnStretch(1, 1)
        self._add_buttons("&Add term", "Change t&erm", "Remove ter&m", "term")
        self._connect_selection()

    @property
    def terms(self) -> list[Term]:
        return list(self._terms)

    def set_terms(self, terms: list[Term], calendar: SchoolCalendar) -> None:
        chosen = self.selected_row()
        self._terms = sorted(terms, key=lambda t: (t.start, t.end))
        self.model.set_terms(self._terms, calendar)
        self._select(chosen)
        self._update_buttons()

    def _fill(self, row: int) -> None:
        term = self._terms[row]
        self.name.setText(term.name)
        self.first.set_value(term.start)
        self.last.set_value(term.end)

    def _read(self) -> Term | None:
        name = " ".join(self.name.text().split())
        first, last = self.first.value(), self.last.value()
        problem = None
        if not name:
            problem = "Give the term a name, such as Autumn 1."
        elif first is None or last is None:
            problem = "Type the term's first and last days as dd/mm/yyyy."
        elif last < first:
            problem = "The last day comes before the first day."
        self._say(problem or "")
        if problem or first is None or last is None:
            return None
        return Term(name, first, last)

    def _replace(self, row: int | None) -> None:
        term = self._read()
        if term is None:
            return
        if row is None:
            self._terms.append(term)
        else:
            self._terms[row] = term
        self._terms.sort(key=lambda t: (t.start, t.end))
        self.changed.emit()
        self._select(self._terms.index(term))

    def _remove(self, row: int) -> None:
        del self._terms[row]


class ClosuresPanel(_Panel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Closures in term time (INSET days, bank holidays)", "Closures", parent)
        self._closures: list[Closure] = []
        self.model = ClosuresModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.day = DateEdit(self)
        self.day.setAccessibleName("Date the school is closed")
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(CLOSURE_REASON_MAX)
        self.reason.setPlaceholderText("e.g. INSET day")
        self.reason.setAccessibleName("Reason the school is closed")
        self.fields.addWidget(_labelled("&Date:", self.day, self), 0, 0)
        self.fields.addWidget(self.day, 0, 1)
        self.fields.addWidget(_labelled("Reas&on:", self.reason, self), 0, 2)
        self.fields.addWidget(self.reason, 0, 3)
        self.fields.setColumnStretch(3, 1)
        self._add_buttons("Add c&losure", "Change clos&ure", "Remo&ve closure", "closure")
        self._connect_selection()

    @property
    def closures(self) -> list[Closure]:
        return list(self._closures)

    def set_closures(self, closures: list[Closure]) -> None:
        chosen = self.selected_row()
        self._closures = sorted(closures, key=lambda c: c.day)
        self.model.set_closures(self._closures)
        self._select(chosen)
        self._update_buttons()

    def _fill(self, row: int) -> None:
        closure = self._closures[row]
        self.day.set_value(closure.day)
        self.reason.setText(closure.reason)

    def _replace(self, row: int | None) -> None:
        day: date | None = self.day.value()
        if day is None:
            self._say("Type the date the school is closed as dd/mm/yyyy.")
            return
        others = [c for i, c in enumerate(self._closures) if i != row]
        if any(c.day == day for c in others):
            self._say(f"{day:%d/%m/%Y} is in the list already.")
            return
        self._say("")
        closure = Closure(day, " ".join(self.reason.text().split()))
        self._closures = sorted([*others, closure], key=lambda c: c.day)
        self.changed.emit()
        self._select(self._closures.index(closure))

    def _remove(self, row: int) -> None:
        del self._closures[row]
