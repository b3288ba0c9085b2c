"""The last set-up page: the recovery code, shown once, to print or write down."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from incident_recorder.ui.style import scaled_font


def recovery_sheet_html(code: str, school: str, on: date) -> str:
    """The printed sheet: what the code is for, the code itself, and where to keep it."""
    return (
        "<h2>Incident Recorder: recovery code</h2>"
        f"<p><b>School:</b> {escape(school)}<br><b>Made on:</b> {on:%d/%m/%Y}</p>"
        "<p>This code unlocks the school's incident records if every passphrase is "
        "forgotten. Keep it somewhere safe and locked, away from the computer, such as the "
        "school safe. Anyone who has this code and the computer can read the records.</p>"
        f"<p style='font-family: monospace; font-size: 20pt; font-weight: bold'>"
        f"{escape(code)}</p>"
        "<p>To use it: on the sign-in screen choose <i>Forgotten your passphrase?</i> and "
        "type this code with your username and a new passphrase.</p>"
    )


def code_font(widget: QWidget) -> QFont:
    font = scaled_font(widget, 1.8, bold=True)
    font.setFamily("monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setFixedPitch(True)
    return font


class RecoveryPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your recovery code")
        self.setSubTitle(
            "The database has been created. This code is shown only once: print it or write "
            "it down now."
        )
        self._code = ""
        self._school = ""
        self._printer: QPrinter | None = None  # kept: a temporary QPrinter crashes Qt
        intro = QLabel(
            "If every passphrase is forgotten, this code is the only way back into the "
            "records. Keep it somewhere safe and locked, away from this computer."
        )
        intro.setWordWrap(True)
        self.code = QLabel()
        self.code.setProperty("role", "code")
        self.code.setFont(code_font(self.code))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.code.setAccessibleName("Recovery code")
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the recovery code")
        self.confirmed = QCheckBox("I have printed or &written down the recovery code")
        self.confirmed.setAccessibleName("I have printed or written down the recovery code")
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.code)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.confirmed)
        layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.confirmed.toggled.connect(self._on_confirmed_toggled)

    def set_code(self, code: str, school: str) -> None:
        self._code, self._school = code, school
        self.code.setText(code)

    def isComplete(self) -> bool:
        return bool(self._code) and self.confirmed.isChecked()

    def print_to(self, printer: QPrinter) -> None:
        """Print the recovery sheet from memory: no file is written."""
        document = QTextDocument()
        document.setHtml(recovery_sheet_html(self._code, self._school, date.today()))
        document.print_(printer)

    @Slot()
    def _on_print_button_clicked(self) -> None:
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(self._printer, self)
        dialog.setWindowTitle("Print the recovery code")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(self._printer)

    @Slot(bool)
    def _on_confirmed_toggled(self, _checked: bool) -> None:
        self.completeChanged.emit()
