"""Help ▸ About Incident Recorder: version, licence, SQLCipher, encryption, the data
folder and the audit chain's head (entry number and short hash, for the paper
checkpoint), with Copy details for the school's IT technician. No personal data."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.infra.paths import resources_dir
from incident_recorder.services.about import AboutFacts, AboutService
from incident_recorder.ui.style import message_label, show_message


@dataclass(frozen=True, slots=True)
class AboutDetails:
    """What the About box shows: the service's facts, and what the window runs on."""

    facts: AboutFacts
    runtime: str

    def rows(self) -> list[tuple[str, str]]:
        f = self.facts
        return [
            ("&Version:", f.version),
            ("&Licence:", f.licence),
            ("&SQLCipher:", f.sqlcipher),
            ("&Encryption:", f.encryption),
            ("&Data folder:", f.data_folder),
            ("&Audit log head:", f.audit_head),
            ("&Runs on:", self.runtime),
        ]

    def as_text(self) -> str:
        """What Copy details puts on the clipboard: plain lines for an email or a ticket."""
        lines = ["Incident Recorder: about this installation"]
        lines += [f"{label.replace('&', '')} {value}" for label, value in self.rows()]
        return "\n".join(lines) + "\n"


def gather_about(service: AboutService) -> AboutDetails:
    """What the service says about the app and the records, and what this window
    toolkit runs on."""
    runtime = (
        f"Python {platform.python_version()}, Qt {PySide6.__version__}, "
        f"{platform.system()} {platform.release()}"
    )
    return AboutDetails(service.facts(), runtime)


class AboutDialog(QDialog):
    def __init__(self, details: AboutDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.setWindowTitle("About Incident Recorder")
        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        icon = QLabel()
        pixmap = QPixmap(str(resources_dir() / "icons" / "app.png"))
        if not pixmap.isNull():
            icon.setPixmap(
                pixmap.scaled(
                    48,
                    48,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            heading.addWidget(icon)
        title = QLabel("Incident Recorder")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
        layout.addWidget(
            _note(
                "Records of reasonable force and restraint, kept encrypted on this computer. "
                "It never uses the internet."
            )
        )
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for text, value in details.rows():
            label = QLabel(text)
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            shown.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            shown.setAccessibleName(text.replace("&", "").rstrip(":"))
            shown.setAccessibleDescription(value)
            label.setBuddy(shown)
            form.addRow(label, shown)
            self.values[text.replace("&", "").rstrip(":")] = shown
        layout.addLayout(form)
        layout.addWidget(
            _note(
                "The audit log head is the latest entry in the tamper-evident log. Some "
                "schools write it in a paper book now and then: a later check shows whether "
                "any history before it was changed."
            )
        )
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self.status = message_label("ok")
        layout.addWidget(self.status)
        self._connect_signals()
        self.setMinimumWidth(620)
        layout.setSpacing(10)
        self.resize(self.minimumWidth(), layout.totalHeightForWidth(self.minimumWidth()))

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details.as_text())
        show_message(self.status, "Copied. Paste the details into an email or a support ticket.")


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
