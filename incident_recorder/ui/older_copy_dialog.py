"""An older copy found at sign-in (``domain/rollback.py``): what was found, how much is
missing, when the newer state was seen, and the newest backup that has it.

Three ways on: "Restore this backup…" (when a backup holds what is missing; the shell
opens the restore dialog on it), "Keep using this copy" (anyone signing in may: a record
may need writing now, and waiting for an administrator would stop that; it is recorded
in the audit log for the administrator to see), or Cancel (nothing happens).
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from incident_recorder.domain.rollback import OLDER_KEYRING, OlderCopy, words
from incident_recorder.ui.style import heading

KEEP_NOTE = (
    "If you keep using this copy, that is recorded in the audit log, and whatever is "
    "missing stays missing until a backup that holds it is restored. Please tell whoever "
    "looks after Incident Recorder."
)


class OlderCopyDialog(QDialog):
    restore_chosen = Signal(object)  # the Generation to restore
    keep_chosen = Signal()

    def __init__(self, found: OlderCopy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        keyring = found.kind == OLDER_KEYRING
        self.setWindowTitle("An older keyring was found" if keyring else "An older copy was found")
        self.title = heading(
            "This keyring is an older copy" if keyring else "These records are an older copy",
            1.25,
        )
        self.text = QLabel(words(found))
        self.text.setWordWrap(True)
        self.note = QLabel(KEEP_NOTE)
        self.note.setWordWrap(True)
        self.restore_button = QPushButton("&Restore this backup…")
        self.restore_button.setAccessibleName("Restore this backup")
        self.restore_button.setVisible(found.backup is not None)
        self.keep_button = QPushButton("&Keep using this copy")
        self.keep_button.setAccessibleName("Keep using this copy")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setDefault(True)  # the safe answer when Enter is pressed
        self._layout()
        self._connect_signals()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.setTabOrder(self.restore_button, self.keep_button)
        self.setTabOrder(self.keep_button, self.cancel_button)

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.keep_button.clicked.connect(self._on_keep_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        self.accept()
        self.restore_chosen.emit(self.found.backup)

    @Slot()
    def _on_keep_button_clicked(self) -> None:
        self.accept()
        self.keep_chosen.emit()
