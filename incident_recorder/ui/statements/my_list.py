"""Your statements to write: every record on which the signed-in person was asked for
their own account, the ones still waiting first. A window of its own (never modal):
it opens by itself after signing in while any wait."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.statements import RequestState, StatementRequest
from incident_recorder.ui.statements.model import RequestsModel
from incident_recorder.ui.tables import read_only_table

TITLE = "Your statements to write"
EMPTY = "Nobody has asked you for a statement. Nothing to do here."
NO_STAFF_LINK = (
    "Your account is not linked to an entry on the staff list, so no statements are asked "
    "of you here. An administrator can link it."
)


class MyStatementsWindow(QWidget):
    write_requested = Signal(int)  # request id
    record_requested = Signal(int)  # incident id

    def __init__(
        self, local: Callable[[datetime], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(TITLE)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = RequestsModel(local, mine=True, parent=self)
        self.table = read_only_table(
            self, self.model, "Records you were asked for your statement on", tab_leaves=False
        )
        label = QLabel("&Records (double-click or press Enter to write your statement):", self)
        label.setBuddy(self.table)
        self.write_button = QPushButton("&Write my statement…", self)
        self.open_button = QPushButton("&Open the record", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._connect_signals()
        self.resize(820, 380)

    def _connect_signals(self) -> None:
        self.table.activated.connect(self._on_table_activated)
        self.write_button.clicked.connect(self._on_write_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)

    def set_states(self, states: list[RequestState], linked: bool = True) -> None:
        current = self.selected()
        self.model.set_states(states)
        waiting = sum(1 for s in states if s.waiting)
        if not linked:
            self.intro.setText(NO_STAFF_LINK)
        elif not states:
            self.intro.setText(EMPTY)
        elif not waiting:
            self.intro.setText(
                "You have given every statement asked of you. You can still add to one: "
                "saving again keeps the earlier version."
            )
        else:
            self.intro.setText(
                f"<b>{waiting} statement{'s' if waiting != 1 else ''} to write.</b> You were "
                "named on these records. Please add your own account in your own words, or "
                "say you have nothing to add."
            )
        row = next(
            (i for i, s in enumerate(states) if current is not None and s.request == current),
            0,
        )
        has_rows = bool(states)
        self.write_button.setEnabled(has_rows)
        self.open_button.setEnabled(has_rows)
        if has_rows:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.selectRow(row)

    def selected(self) -> StatementRequest | None:
        state = self.model.state(self.table.currentIndex().row())
        return None if state is None else state.request

    def _selected_state(self) -> RequestState | None:
        return self.model.state(self.table.currentIndex().row())

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        state = self.model.state(index.row())
        if state is not None and state.request.id is not None:
            self.write_requested.emit(state.request.id)

    @Slot()
    def _on_write_button_clicked(self) -> None:
        state = self._selected_state()
        if state is not None and state.request.id is not None:
            self.write_requested.emit(state.request.id)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        state = self._selected_state()
        if state is not None:
            self.record_requested.emit(state.request.incident_id)
