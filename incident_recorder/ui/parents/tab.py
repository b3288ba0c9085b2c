"""The record view's "Parents and carers" tab: whether and when parents were told, in
words (worked out, never ticked), every contact so far, and buttons to record more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import ContactMethod
from incident_recorder.domain.parents_told import (
    CONTACT_HEADERS,
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
    entry_cells,
)
from incident_recorder.services.parents import ParentsService, ParentsView
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel
from incident_recorder.ui.parents.dialogs import ContactDialog, ContactInput
from incident_recorder.ui.parents.supply import DutiesPanel
from incident_recorder.ui.prompter import Prompter

_GREEN, _RED, _GREY = "#107c10", "#a4262c", "#605e5c"
HEADERS = CONTACT_HEADERS


class ContactTableModel(ReadOnlyRowsModel):
    """Every contact as text cells; a cell's tooltip is its whole text (a long note)."""

    headers = HEADERS

    def set_entries(self, entries: tuple[ParentContactEntry, ...]) -> None:
        self._replace_rows([entry_cells(e) for e in entries])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        cells: tuple[str, ...] | None = self._row_at(index)
        if cells is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return cells[index.column()]


def _run(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class ParentsTab(QWidget):
    contacts_changed = Signal(int)  # an entry was recorded on this incident

    def __init__(
        self,
        service: ParentsService,
        incident_id: int,
        parent: QWidget | None = None,
        prompter: Prompter | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.incident_id = incident_id
        self.view_data: ParentsView | None = None
        self.seen_version = 0  # the version last shown (an amendment asks about the copy)
        # Issue 13: the duties (told, the letter, the written record supplied).
        self.duties = DutiesPanel(service, incident_id, prompter, self)
        # Tests answer the dialogs through this seam.
        self.run_dialog: Callable[[ContactDialog], bool] = _run
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAccessibleName("Whether parents were told")
        self.withheld = QLabel(self)
        self.withheld.setWordWrap(True)
        self.withheld.setTextFormat(Qt.TextFormat.RichText)
        self.withheld.setAccessibleName("Withheld for the child's safety")
        self.model = ContactTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Contacts with parents and carers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # the whole note is in the tooltip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        history = QLabel("&History of contacts with parents and carers", self)
        history.setBuddy(self.table)
        self.attempt_button = QPushButton("Record a &call or meeting…", self)
        self.letter_button = QPushButton("Record the &letter sent…", self)
        self.reply_button = QPushButton("Record a &reply…", self)
        buttons = QHBoxLayout()
        for b in (self.attempt_button, self.letter_button, self.reply_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.withheld)
        layout.addLayout(buttons)
        layout.addWidget(self.duties)
        layout.addWidget(history)
        layout.addWidget(self.table, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.attempt_button.clicked.connect(self._on_attempt_button_clicked)
        self.letter_button.clicked.connect(self._on_letter_button_clicked)
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        self.duties.changed.connect(self._on_duties_changed)

    def refresh(self) -> None:
        try:
            view = self._service.view(self.incident_id)
        except IncidentRecorderError as error:
            self.status.setText(escape(str(error)))
            for b in (self.attempt_button, self.letter_button, self.reply_button):
                b.setEnabled(False)
            return
        self.view_data = view
        s = view.summary
        done = (True,) if s.withheld else (s.told, s.letter_sent_on is not None)
        lines = "<br>".join(
            f"<span style='color:{_GREY if s.withheld else _GREEN if ok else _RED}'>"
            f"{escape(line)}</span>"
            for line, ok in zip(s.status_lines(), done, strict=True)
        )
        self.status.setText(f"<p style='font-size:large'><b>{lines}</b></p>")
        self.withheld.setText("<br>".join(escape(line) for line in view.withheld_lines))
        self.withheld.setVisible(bool(view.withheld_lines))
        self.model.set_entries(view.entries)
        self.duties.show_view(view)
        may = view.may_record and (not s.withheld or self._service.is_lead)
        for b in (self.attempt_button, self.letter_button, self.reply_button):
            b.setEnabled(may)

    # ------------------------------------------------------------------ recording

    def record(self, kind: ContactEntryKind) -> bool:
        """Open the dialog for ``kind``; save what it gives. True if something was saved."""
        view = self.view_data
        names = () if view is None else view.parent_names
        dialog = ContactDialog(
            kind, names, self._service.local_now(), self._service.user_name, self
        )
        try:
            while self.run_dialog(dialog):
                try:
                    self._save(dialog.values())
                except IncidentRecorderError as error:
                    dialog.show_problem(str(error))
                    continue
                self.refresh()
                self.contacts_changed.emit(self.incident_id)
                return True
            return False
        finally:
            dialog.deleteLater()

    def _save(self, v: ContactInput) -> None:
        at = v.at or datetime.min
        s, i = self._service, self.incident_id
        if v.kind is ContactEntryKind.ATTEMPT:
            s.record_attempt(
                i, at, ContactMethod(v.method), AttemptOutcome(v.outcome), v.parent, v.by_whom,
                v.note,
            )  # fmt: skip
        elif v.kind is ContactEntryKind.LETTER_SENT:
            s.record_letter_sent(i, at, LetterDelivery(v.method), v.parent, v.by_whom, v.note)
        else:
            s.record_reply(i, at, ContactMethod(v.method), v.parent, v.by_whom, v.note)

    @Slot(int)
    def _on_duties_changed(self, incident_id: int) -> None:
        self.refresh()
        self.contacts_changed.emit(incident_id)

    @Slot()
    def _on_attempt_button_clicked(self) -> None:
        self.record(ContactEntryKind.ATTEMPT)

    @Slot()
    def _on_letter_button_clicked(self) -> None:
        self.record(ContactEntryKind.LETTER_SENT)

    @Slot()
    def _on_reply_button_clicked(self) -> None:
        self.record(ContactEntryKind.REPLY)
