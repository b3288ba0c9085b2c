"""A forgotten passphrase: the recovery code from set-up lets a person choose a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError, WrongPassphrase
from incident_recorder.services.accounts import AccountService
from incident_recorder.ui.setup.strength import StrengthMeter
from incident_recorder.ui.style import message_label, show_message


class ForgottenPassphraseDialog(QDialog):
    def __init__(
        self, accounts: AccountService, username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle("Forgotten your passphrase?")
        intro = QLabel(
            "Type the recovery code that was printed or written down when Incident Recorder "
            "was set up (ask your administrator or head teacher), then choose a new "
            "passphrase for your account."
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("for example ABCD-EFGH-…")
        self.username = QLineEdit(username)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = StrengthMeter()
        self.message = message_label()
        form = QFormLayout()
        for text, field, name in (
            ("&Recovery code:", self.code, "Recovery code"),
            ("&Username:", self.username, "Username"),
            ("&New passphrase:", self.passphrase, "New passphrase"),
            (None, self.meter, ""),
            ("&Confirm new passphrase:", self.confirm, "Confirm new passphrase"),
        ):
            if text is None:
                form.addRow("", field)
                continue
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(name)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Set &new passphrase")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._on_passphrase_text_changed)

    @Slot(str)
    def _on_passphrase_text_changed(self, text: str) -> None:
        self.meter.update_for(text)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if not self.code.text().strip():
            self._problem("Please type the recovery code.", self.code)
            return
        if not self.username.text().strip():
            self._problem("Please enter your username.", self.username)
            return
        if self.passphrase.text() != self.confirm.text():
            self.confirm.clear()
            self._problem(
                "The two passphrases are not the same. Please type it again.", self.confirm
            )
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._accounts.reset_passphrase_with_recovery_code(
                self.code.text(), self.username.text(), self.passphrase.text()
            )
        except WrongPassphrase:
            self._problem(
                "That recovery code is not right. Check each group of letters and try again.",
                self.code,
            )
            return
        except IncidentRecorderError as error:
            self._problem(str(error), self.passphrase)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.confirm.clear()
        self.accept()

    def _problem(self, text: str, field: QWidget) -> None:
        show_message(self.message, text)
        field.setFocus()
