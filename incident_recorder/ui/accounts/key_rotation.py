"""Changing the school's key, offered after an account is switched off: why, in plain
words; a temporary passphrase for any account the new key cannot otherwise reach; the
change itself on the background helper with progress; then what was done, the backups it
could not reach, and a button to delete the ones still under the old key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.key_rotation import KeyRotationService, RotationPlan
from incident_recorder.services.ports import RotationOutcome
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import heading, message_label, show_message

WHAT = "changing the school's key"
NOTE = (
    "Please keep the computer switched on. If it stops part-way, nothing is lost: the "
    "change is finished or undone the next time Incident Recorder starts."
)


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def why_text(full_name: str, plan: RotationPlan) -> str:
    """Why change the key, for the person just switched off (or, with no name, for
    whoever was switched off before)."""
    where = f"the {_plural(plan.backups, 'backup')} in the data folder"
    if plan.second_folder and plan.second_reachable:
        where += (
            f" and the {_plural(plan.second_backups, 'copy', 'copies')} in {plan.second_folder}"
        )
    who = (
        f"{full_name} can no longer sign in. But each backup keeps the keyring as it was "
        "on the day it was made, so their old passphrase may still open older copies of "
        "the records."
        if full_name
        else "When someone leaves, their account is switched off. But each backup keeps "
        "the keyring as it was on the day it was made, so an old passphrase may still open "
        "older copies of the records."
    )
    return (
        f"{who}\n\nChanging the school's key re-encrypts the records and "
        f"{where} under a new key, so that passphrase opens nothing that is kept. "
        "Everyone else keeps their own passphrase. It takes a few moments; Incident "
        "Recorder cannot be used meanwhile."
    )


class KeyRotationDialog(QDialog):
    """Offered after switching ``full_name``'s account off (see the module notes)."""

    key_changed = Signal(object)  # RotationOutcome

    def __init__(
        self,
        service: KeyRotationService,
        background: Background,
        prompter: Prompter,
        full_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._prompter = prompter
        self.outcome: RotationOutcome | None = None
        self.old_paths: list[str] = []  # backups under the old key, not yet deleted
        self.setWindowTitle("Change the school's key?")
        self.plan = service.plan()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._offer_page(full_name))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_code = QLabel()
        self.recovery_code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.recovery_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_code.setAccessibleName("New recovery code")
        self.old_list = QListWidget()
        self.old_list.setAccessibleName("Backups still under the old key")
        self.old_label = QLabel(
            "These &backups could not be re-encrypted: the school's key did not open them "
            "(they were made under an earlier key, or are damaged), so an old passphrase may "
            "still open them. Delete them unless you know you need them:"
        )
        self.old_label.setWordWrap(True)
        self.old_label.setBuddy(self.old_list)
        self.delete_button = QPushButton("&Delete these backups…")
        self.done_button = QPushButton("Close")
        self.pages.addWidget(self._summary_page())
        self.message = message_label("error")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        self.resize(620, 460)
        self._connect_signals()
        self.change_button.setDefault(True)

    # ------------------------------------------------------------------ pages

    def _offer_page(self, full_name: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Change the school's key now?", 1.3))
        self.why = QLabel(why_text(full_name, self.plan))
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        notes = []
        if self.plan.second_folder and not self.plan.second_reachable:
            notes.append(
                f"The second folder ({self.plan.second_folder}) cannot be reached now. The "
                "backups there will stay under the old key: you will be shown them to "
                "delete when it is connected again."
            )
        if not self.plan.recovery_ready:
            notes.append(
                "A new recovery code will be made, and shown to you once: have paper ready."
            )
        self.notes = QLabel("\n\n".join(notes))
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        self.temporary: dict[str, QLineEdit] = {}
        if self.plan.need_passphrase:
            intro = QLabel(
                "Nobody has signed in to these accounts since this version was installed, "
                "so the new key cannot reach them by itself. Choose a temporary passphrase "
                "for each (at least 12 characters) and tell the person in person; they can "
                "change it after signing in."
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
            form = QFormLayout()
            for waiting in self.plan.need_passphrase:
                field = QLineEdit()
                field.setAccessibleName(f"Temporary passphrase for {waiting.full_name}")
                label = QLabel(
                    f"Temporary passphrase for {waiting.full_name} ({waiting.username}):"
                )
                label.setBuddy(field)
                form.addRow(label, field)
                self.temporary[waiting.username] = field
            layout.addLayout(form)
        self.fresh_code = QCheckBox("Also make a new &recovery code")
        self.fresh_code.setAccessibleName("Also make a new recovery code")
        self.fresh_code.setVisible(self.plan.recovery_ready)
        layout.addWidget(self.fresh_code)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.later_button = QPushButton("&Not now")
        self.change_button = QPushButton("&Change the key now")
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.change_button)
        layout.addLayout(buttons)
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("The school's key has been changed", 1.3))
        layout.addWidget(self.summary)
        layout.addWidget(self.recovery_code)
        layout.addWidget(self.old_label)
        layout.addWidget(self.old_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        return page

    def _connect_signals(self) -> None:
        self.later_button.clicked.connect(self.reject)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.done_button.clicked.connect(self.accept)

    # ------------------------------------------------------------------ behaviour

    def _show_outcome(self, outcome: RotationOutcome) -> None:
        rotated = len(outcome.rotated_backups)
        lines = [
            f"The records and {_plural(rotated, 'backup')} are now under a new key. These "
            f"accounts open them, each with its own passphrase: {', '.join(outcome.accounts)}."
        ]
        for name in outcome.temporary:
            lines.append(f"Tell {name} their temporary passphrase in person.")
        for folder in outcome.unreachable:
            lines.append(
                f"{folder} could not be reached, so the backups there are still under the old "
                "key. When it is connected again, choose Change the school's key in Accounts: "
                "they will be listed for you to delete."
            )
        if outcome.recovery_code:
            lines.append(
                "The new recovery code is below. Write it down and keep it somewhere safe: "
                "the old one no longer works."
            )
        self.summary.setText("\n\n".join(lines))
        self.recovery_code.setText(outcome.recovery_code)
        self.recovery_code.setVisible(bool(outcome.recovery_code))
        self.old_list.clear()
        self.old_paths = [item.path for item in outcome.not_rotated]
        for item in outcome.not_rotated:
            self.old_list.addItem(item.path)
            self.old_list.item(self.old_list.count() - 1).setToolTip(item.reason)
        has_old = bool(outcome.not_rotated)
        for widget in (self.old_label, self.old_list, self.delete_button):
            widget.setVisible(has_old)
        self.setWindowTitle("The school's key has been changed")
        self.pages.setCurrentIndex(1)
        self.done_button.setDefault(True)
        self.done_button.setFocus()

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_change_button_clicked(self) -> None:
        temporary = {name: f.text() for name, f in self.temporary.items() if f.text()}
        if self._background.busy:
            show_message(
                self.message,
                "Incident Recorder is still finishing something else (a backup, perhaps). "
                "Please try again in a moment.",
                role="error",
            )
            return
        try:
            prepared = self._service.begin(temporary, self.fresh_code.isChecked())
        except IncidentRecorderError as error:
            show_message(self.message, str(error), role="error")
            return
        show_message(self.message, "")
        failure: IncidentRecorderError | None = None
        try:
            self._background.call(
                Task.alone(WHAT, lambda progress: self._service.run(prepared, progress), note=NOTE)
            )
        except IncidentRecorderError as error:
            failure = error
        try:
            self.outcome = self._service.finish(prepared)
        except IncidentRecorderError as error:
            failure = failure or error
        if failure is not None or self.outcome is None:
            show_message(self.message, str(failure or "The key was not changed."), role="error")
            return
        self._show_outcome(self.outcome)
        self.key_changed.emit(self.outcome)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        paths = list(self.old_paths)
        if not paths:
            return
        if not self._prompter.confirm(
            "Delete these backups?",
            f"{_plural(len(paths), 'backup')} under the old key will be deleted for good. "
            "The records and the re-encrypted backups are not affected.",
            yes="Delete",
            no="Keep them",
        ):
            return
        try:
            failed = self._service.delete_backups(paths)
        except IncidentRecorderError as error:
            show_message(self.message, str(error), role="error")
            return
        self.old_list.clear()
        self.old_paths = failed
        for path in failed:
            self.old_list.addItem(f"{path}: it could not be deleted; delete it by hand.")
        self.delete_button.setEnabled(bool(failed))
        if failed:
            show_message(self.message, "Some backups could not be deleted.", role="error")
        else:
            show_message(self.message, "The backups under the old key were deleted.", role="ok")
