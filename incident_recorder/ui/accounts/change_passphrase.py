"""Change my passphrase: the current one, then the new one twice with the strength
meter. A wrong current passphrase changes nothing and says so."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError, WrongPassphrase
from incident_recorder.services.accounts import UserAdminService
from incident_recorder.ui.accounts.passphrase_fields import NewPassphraseFields
from incident_recorder.ui.style import message_label, show_message

WRONG_CURRENT = (
    "That is not your current passphrase, so nothing has been changed. "
    "Check Caps Lock and try again."
)


class ChangePassphraseDialog(QDialog):
    passphrase_changed = Signal()

    def __init__(
        self, service: UserAdminService, username: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle("Change my passphrase")
        intro = QLabel(
            f"You are signed in as <b>{username}</b>. Choose a new passphrase of at least "
            "12 characters: a few unrelated words are strong and easy to remember. "
            "The records stay as they are; only the passphrase you sign in with changes."
        )
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName("Current passphrase")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        current_label = QLabel("C&urrent passphrase:")
        current_label.setBuddy(self.current)
        form.addRow(current_label, self.current)
        self.new_passphrase = NewPassphraseFields(
            form, "&New passphrase:", "&Confirm new passphrase:", "New passphrase", self
        )
        self.new_passphrase.also_reveal(self.current)
        self.message = message_label()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.change_button = QPushButton("Change &passphrase")
        self.change_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.change_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        chain: list[QWidget] = [self.current, *self.new_passphrase.widgets, self.change_button]
        chain.append(self.buttons.button(QDialogButtonBox.StandardButton.Cancel))
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.current.setFocus()
        hint = self.sizeHint()
        self.resize(max(560, hint.width()), hint.height())
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def problem(self) -> tuple[str, QLineEdit | None]:
        if not self.current.text():
            return "Please type your current passphrase.", self.current
        return self.new_passphrase.problem()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem, field = self.problem()
        if not problem:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self._service.change_own_passphrase(self.current.text(), self.new_passphrase.text())
            except WrongPassphrase:
                problem, field = WRONG_CURRENT, self.current
            except IncidentRecorderError as error:
                problem, field = str(error), self.new_passphrase.passphrase
            finally:
                QGuiApplication.restoreOverrideCursor()
        show_message(self.message, problem)
        if problem:
            if field is not None:
                field.setFocus()
                field.selectAll()
            return
        self.current.clear()
        self.new_passphrase.clear()
        self.accept()
        self.passphrase_changed.emit()
