"""The small dialogs of the "Parents and carers" tab: record a call or meeting, the
letter sent, or a reply. One dialog, three kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import ContactMethod
from incident_recorder.domain.parents_told import AttemptOutcome, ContactEntryKind, LetterDelivery
from incident_recorder.ui.dates import DateTimeEdit

TITLES = {
    ContactEntryKind.ATTEMPT: "Record a call or meeting",
    ContactEntryKind.LETTER_SENT: "Record the letter sent",
    ContactEntryKind.REPLY: "Record a reply",
}
INTROS = {
    ContactEntryKind.ATTEMPT: "Each try counts, even when nobody answered.",
    ContactEntryKind.LETTER_SENT: "When and how the letter went to the parent or carer.",
    ContactEntryKind.REPLY: "A reply, call or meeting from the parent or carer.",
}


@dataclass(frozen=True, slots=True)
class ContactInput:
    kind: ContactEntryKind
    at: datetime | None
    method: str
    parent: str
    outcome: str
    by_whom: str
    note: str


class EntryDialog(QDialog):
    """What the tab's small dialogs share: a line of introduction, the parent or carer
    first, then (after each dialog's own rows, :meth:`_finish`) when, by whom and a note,
    with Save checking that the time and the parent or carer are given."""

    def __init__(
        self, title: str, intro_text: str, parent_names: tuple[str, ...], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._intro = QLabel(intro_text, self)
        self._intro.setWordWrap(True)
        self.form = QFormLayout()
        self.parent_name = QComboBox(self)
        self.parent_name.setEditable(True)
        self.parent_name.addItems(list(parent_names))
        self.parent_name.setCurrentIndex(0 if parent_names else -1)
        self._row(self.form, "&Parent or carer:", self.parent_name, "Parent or carer")

    def _finish(self, now: datetime, by_whom: str, note_height: int, width: int) -> None:
        form = self.form
        self.at = DateTimeEdit(self)
        self.at.set_value(now.replace(second=0, microsecond=0))
        self._row(form, "&When:", self.at, "When")
        self.by_whom = QLineEdit(by_whom, self)
        self._row(form, "&By whom (member of staff):", self.by_whom, "By whom")
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(note_height)
        self._row(form, "No&te (optional):", self.note, "Note")
        self.problem = QLabel("", self)
        self.problem.setStyleSheet("color: #a4262c")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.resize(width, 0)

    def _row(self, form: QFormLayout, text: str, widget: QWidget, name: str) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        widget.setAccessibleName(name)
        form.addRow(label, widget)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.at.value() is None:
            self.show_problem("Give the date and time, for example 20/11/2026 15:40.")
            return
        if not self.parent_name.currentText().strip():
            self.show_problem("Say which parent or carer.")
            return
        self.accept()


class ContactDialog(EntryDialog):
    def __init__(
        self,
        kind: ContactEntryKind,
        parent_names: tuple[str, ...],
        now: datetime,
        by_whom: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(TITLES[kind], INTROS[kind], parent_names, parent)
        self.kind = kind
        form = self.form
        self.method = QComboBox(self)
        if kind is ContactEntryKind.LETTER_SENT:
            for delivery in LetterDelivery:
                self.method.addItem(delivery.label, delivery.value)
        else:
            for method in ContactMethod:
                if method is not ContactMethod.LETTER:
                    self.method.addItem(method.label, method.value)
            self.method.setCurrentIndex(self.method.findData(ContactMethod.PHONE.value))
        self._row(form, "&How:", self.method, "How")
        self.outcome = QComboBox(self)
        for outcome in AttemptOutcome:
            self.outcome.addItem(outcome.label, outcome.value)
        if kind is ContactEntryKind.ATTEMPT:
            self._row(form, "&Outcome:", self.outcome, "Outcome")
        else:
            self.outcome.hide()
        self._finish(now, by_whom, note_height=72, width=480)

    def values(self) -> ContactInput:
        return ContactInput(
            kind=self.kind,
            at=self.at.value(),
            method=str(self.method.currentData() or ""),
            parent=self.parent_name.currentText().strip(),
            outcome=str(self.outcome.currentData() or "")
            if self.kind is ContactEntryKind.ATTEMPT
            else "",
            by_whom=self.by_whom.text().strip(),
            note=self.note.toPlainText().strip(),
        )
