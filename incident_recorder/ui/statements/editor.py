"""The statement editor: the record's reference, date and pupil and the author's
account shown read only for context, then "Your account, in your own words". Saving
again makes a new version (the earlier one is kept); "I have nothing to add" closes
the request. The work is ``StatementService.write`` / ``nothing_to_add``.

What is typed is kept as a draft (``StatementService.keep_draft``) a moment after
typing stops, when the editor is closed without saving and when the app locks (which
closes it as Cancel would), so none of it is lost; opening it again brings it back."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.statements import (
    StatementContext,
    StatementKind,
    parts_text,
)
from incident_recorder.services.statements import StatementService
from incident_recorder.ui.prompter import Prompter

ACCOUNT_LABEL = "&Your account, in your own words:"
ACCOUNT_HELP = (
    "Write what you saw, heard and did, as you remember it: times if you know them. This "
    "is kept as your own statement, beside the record; it never changes the record."
)
NOTHING_TITLE = "Nothing to add"
KEEP_AFTER_MS = 1500  # a draft is kept this long after typing stops

log = logging.getLogger(__name__)


class StatementEditor(QDialog):
    """One person's statement for one record."""

    statement_saved = Signal(int)  # the request id

    def __init__(
        self,
        service: StatementService,
        request_id: int,
        prompter: Prompter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self.request_id = request_id
        self.context: StatementContext = service.context(request_id)
        c = self.context
        self.setWindowTitle(f"Your statement for record {c.reference}")
        facts = QFormLayout()
        for label, value in (
            ("Record", c.reference),
            ("Date of the incident", c.occurred_on or "Not recorded"),
            ("Pupil", c.pupil_name),
            ("Your part", parts_text(c.parts)),
        ):
            shown = QLabel(value, self)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            shown.setAccessibleName(f"{label}: {value}")
            facts.addRow(f"{label}:", shown)
        self.author_account = QPlainTextEdit(c.author_account or "(No account written.)", self)
        self.author_account.setReadOnly(True)
        self.author_account.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.author_account.setTabChangesFocus(True)
        self.author_account.setAccessibleName(f"The account written by {c.author_name}, read only")
        self.author_account.setFixedHeight(110)
        author_label = QLabel(f"The &record's account, by {c.author_name} (read only):", self)
        author_label.setBuddy(self.author_account)
        self.help = QLabel(ACCOUNT_HELP, self)
        self.help.setWordWrap(True)
        self.account = QPlainTextEdit(self)
        self.account.setAccessibleName("Your account, in your own words")
        self.account.setTabChangesFocus(True)
        self.account.setMinimumHeight(180)
        account_label = QLabel(ACCOUNT_LABEL, self)
        account_label.setBuddy(self.account)
        self.version_note = QLabel(self)
        self.version_note.setWordWrap(True)
        latest = c.latest
        if latest is None:
            self.version_note.setText("This will be your statement's first version.")
        else:
            if latest.kind is StatementKind.ACCOUNT:
                self.account.setPlainText(latest.text)
            self.version_note.setText(
                f"You gave version {latest.version} already. Saving makes version "
                f"{latest.version + 1}; version {latest.version} is kept with the record."
            )
        self._kept = latest.text if latest is not None else ""
        if c.draft and c.draft != self._kept:
            self.account.setPlainText(c.draft)
            self._kept = c.draft
            when = "" if c.draft_kept_at is None else f" on {c.draft_kept_at:%d/%m/%Y at %H:%M}"
            self.version_note.setText(
                f"{self.version_note.text()} The words you typed{when} were kept and are "
                "below: they are not saved as your statement until you choose Save."
            )
        # Carry on where the words end (a draft brought back, or the last version).
        self.account.moveCursor(self.account.textCursor().MoveOperation.End)
        self._finished = False
        self.keep_timer = QTimer(self)
        self.keep_timer.setSingleShot(True)
        self.keep_timer.setInterval(KEEP_AFTER_MS)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a4262c; font-weight:bold")
        self.message.setAccessibleName("Problem")
        self.message.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("&Save my statement", self)
        self.save_button.setDefault(True)
        self.nothing_button = QPushButton("I have &nothing to add", self)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.nothing_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        for widget in (
            author_label,
            self.author_account,
            self.help,
            account_label,
            self.account,
            self.version_note,
            self.message,
            self.buttons,
        ):
            layout.addWidget(widget)
        self.setTabOrder(self.account, self.save_button)
        self.setTabOrder(self.save_button, self.nothing_button)
        self.setTabOrder(self.nothing_button, self.cancel_button)
        self._connect_signals()
        self.account.setFocus()
        self.resize(640, 660)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.nothing_button.clicked.connect(self._on_nothing_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.account.textChanged.connect(self.keep_timer.start)
        self.keep_timer.timeout.connect(self.keep_draft)

    @Slot()
    def keep_draft(self) -> None:
        """Keep what is typed as a draft (nothing when it is what was kept already, or
        once the statement is saved). A draft that cannot be kept is logged, not shown:
        the words are still in the editor."""
        self.keep_timer.stop()
        if self._finished:
            return
        typed = self.account.toPlainText()
        if typed == self._kept:
            return
        latest = self.context.latest
        same_as_saved = latest is not None and typed.strip() == latest.text.strip()
        try:
            self._service.keep_draft(self.request_id, "" if same_as_saved else typed)
        except IncidentRecorderError:
            log.warning("could not keep the draft of statement request %s", self.request_id)
            return
        self._kept = typed

    def reject(self) -> None:
        """Cancel, closing the window, or the app locking: what was typed is kept."""
        self.keep_draft()
        super().reject()

    def _finish(self) -> None:
        self._finished = True
        self.keep_timer.stop()

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        try:
            self._service.write(self.request_id, self.account.toPlainText())
        except IncidentRecorderError as error:
            self._show_problem(str(error))
            self.account.setFocus()
            return
        self._finish()  # saved: the draft went with it
        self.statement_saved.emit(self.request_id)
        self.accept()

    @Slot()
    def _on_nothing_button_clicked(self) -> None:
        typed = self.account.toPlainText().strip()
        latest = self.context.latest
        if (
            typed
            and not (latest is not None and latest.text == typed)
            and not self._prompter.confirm(
                NOTHING_TITLE,
                "What you have typed will not be kept. Say you have nothing to add?",
                yes="Yes, nothing to add",
                no="No, go back",
            )
        ):
            return
        try:
            self._service.nothing_to_add(self.request_id)
        except IncidentRecorderError as error:
            self._show_problem(str(error))
            return
        self._finish()
        self.statement_saved.emit(self.request_id)
        self.accept()
