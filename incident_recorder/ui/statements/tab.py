"""The record view's "Staff statements" tab: each member of staff asked for their own
account, their part, when they were asked and where their statement stands; the
selected person's statement (every version, oldest first) read only below. The person
asked sees "Write my statement…"; a safeguarding lead sees "Given on paper…" for a
statement still waiting. Its keys (Alt+F the tab, Alt+W the list, Alt+T the
statement, Alt+M write, Alt+E on paper) avoid the record view's own (Amend, Close,
Letter, Print, Showing, Sign off)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.statements import RequestState, StatementKind
from incident_recorder.services.statements import StatementService
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.statements.model import RequestsModel
from incident_recorder.ui.tables import read_only_table

NOBODY = (
    "Nobody else was named on this record, so no statements were asked for. The author's "
    "account is the record itself."
)
PAPER_TITLE = "Statement given on paper"


def versions_text(state: RequestState, service: StatementService) -> str:
    """Every version of one person's statement, oldest first, for reading."""
    if not state.statements:
        return f"{state.name} has not given a statement yet."
    parts: list[str] = []
    for s in state.statements:
        when = service.local(s.saved_at)
        head = f"Version {s.version}, {when:%d/%m/%Y} at {when:%H:%M}"
        if s.kind is StatementKind.ACCOUNT:
            parts.append(f"{head}:\n{s.text}")
        elif s.kind is StatementKind.NOTHING_TO_ADD:
            note = f" Note: {s.text}" if s.text else ""
            parts.append(f"{head}: had nothing to add.{note}")
        else:
            by = f" (recorded by {s.saved_by_name})" if s.saved_by_name else ""
            parts.append(f"{head}: given on paper{by}. Filed: {s.text}")
    return "\n\n".join(parts)


class StatementsTab(QWidget):
    write_requested = Signal(int)  # request id: the person's own
    statements_changed = Signal(int)  # incident id: a paper statement recorded

    def __init__(
        self,
        service: StatementService,
        incident_id: int,
        prompter: Prompter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self.incident_id = incident_id
        self.states: list[RequestState] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = RequestsModel(service.local, mine=False, parent=self)
        self.table = read_only_table(
            self, self.model, "Staff asked for their statements", tab_leaves=False
        )
        table_label = QLabel("&Who was asked for their own account:", self)
        table_label.setBuddy(self.table)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("The selected statement, every version")
        text_label = QLabel("Their s&tatement (every version is kept):", self)
        text_label.setBuddy(self.text)
        self.write_button = QPushButton("Write &my statement…", self)
        self.write_button.setAccessibleName("Write my statement")
        self.paper_button = QPushButton("Given on pap&er…", self)
        self.paper_button.setAccessibleName("Record the selected statement as given on paper")
        self.paper_button.setVisible(service.may_mark_on_paper)
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.paper_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 3)
        layout.addLayout(buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_table_row_changed)
        self.write_button.clicked.connect(self._on_write_button_clicked)
        self.paper_button.clicked.connect(self._on_paper_button_clicked)

    def _mine(self) -> RequestState | None:
        return next((s for s in self.states if self._service.is_mine(s.request)), None)

    def refresh(self) -> None:
        try:
            self.states = self._service.for_record(self.incident_id)
        except IncidentRecorderError as error:
            self.states = []
            self.intro.setText(str(error))
        row = max(0, self.table.currentIndex().row())
        self.model.set_states(self.states)
        if self.states:
            waiting = sum(1 for s in self.states if s.waiting)
            self.intro.setText(
                f"{len(self.states)} member{'s' if len(self.states) != 1 else ''} of staff "
                f"asked for their own account; {waiting} still to give. Each statement is "
                "kept beside the record and never changes it."
            )
            self.table.setCurrentIndex(self.model.index(min(row, len(self.states) - 1), 0))
        else:
            self.intro.setText(NOBODY)
            self.text.setPlainText("")
        mine = self._mine()
        self.write_button.setVisible(mine is not None)
        if mine is not None and not mine.waiting:
            self.write_button.setText("Add to &my statement…")
        else:
            self.write_button.setText("Write &my statement…")
        self._update_paper_button()

    def _current(self) -> RequestState | None:
        return self.model.state(self.table.currentIndex().row())

    def _update_paper_button(self) -> None:
        current = self._current()
        self.paper_button.setEnabled(current is not None and current.waiting)

    @Slot(QModelIndex, QModelIndex)
    def _on_table_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        state = self.model.state(current.row())
        self.text.setPlainText("" if state is None else versions_text(state, self._service))
        self._update_paper_button()

    @Slot()
    def _on_write_button_clicked(self) -> None:
        mine = self._mine()
        if mine is not None and mine.request.id is not None:
            self.write_requested.emit(mine.request.id)

    @Slot()
    def _on_paper_button_clicked(self) -> None:
        current = self._current()
        if current is None or current.request.id is None:
            return
        where = self._prompter.ask_text(
            PAPER_TITLE,
            f"{current.name} gave their statement on paper. Where is it filed (for example: "
            "the pupil's safeguarding file)?",
        )
        if where is None:
            return
        try:
            self._service.mark_on_paper(current.request.id, where)
        except IncidentRecorderError as error:
            self._prompter.warn(PAPER_TITLE, str(error))
            return
        self.refresh()
        self.statements_changed.emit(self.incident_id)
