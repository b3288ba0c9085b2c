"""A new passphrase typed twice, with the set-up wizard's strength meter: shared by
"Add account" and "Change my passphrase"."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.accounts import check_passphrase
from incident_recorder.ui.setup.strength import StrengthMeter

MISMATCH = "The two passphrases are not the same. Please type the new one again."


class NewPassphraseFields(QObject):
    """Adds its rows to ``form``: the passphrase, the meter, the confirmation and a
    "show as I type" box. ``label`` and ``confirm_label`` carry the mnemonics."""

    def __init__(
        self,
        form: QFormLayout,
        label: str,
        confirm_label: str,
        name: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.passphrase = _secret(name)
        self.meter = StrengthMeter()
        self.confirm = _secret(f"Confirm {name[:1].lower()}{name[1:]}")
        self.reveal = QCheckBox("S&how the passphrases as I type")
        self.reveal.setAccessibleName("Show the passphrases as I type")
        self._echo: list[QLineEdit] = [self.passphrase, self.confirm]
        first = QLabel(label)
        first.setBuddy(self.passphrase)
        form.addRow(first, self.passphrase)
        form.addRow("", self.meter)
        second = QLabel(confirm_label)
        second.setBuddy(self.confirm)
        form.addRow(second, self.confirm)
        form.addRow("", self.reveal)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.passphrase.textChanged.connect(self._on_passphrase_text_changed)
        self.reveal.toggled.connect(self._on_reveal_toggled)

    def also_reveal(self, field: QLineEdit) -> None:
        """Let the "show" box reveal ``field`` too (e.g. the current passphrase)."""
        self._echo.append(field)

    @property
    def widgets(self) -> list[QWidget]:
        """In tab order."""
        return [self.passphrase, self.confirm, self.reveal]

    def text(self) -> str:
        return self.passphrase.text()

    def problem(self) -> tuple[str, QLineEdit | None]:
        """What is wrong with the new passphrase (and the field to fix), or ("", None).
        A confirmation that does not match is cleared, to be typed again."""
        try:
            check_passphrase(self.passphrase.text())
        except IncidentRecorderError as error:
            return str(error), self.passphrase
        if self.confirm.text() != self.passphrase.text():
            self.confirm.clear()
            return MISMATCH, self.confirm
        return "", None

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()

    @Slot(str)
    def _on_passphrase_text_changed(self, text: str) -> None:
        self.meter.update_for(text)

    @Slot(bool)
    def _on_reveal_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in self._echo:
            field.setEchoMode(mode)


def _secret(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field
