"""A small dialog to choose one pupil with the usual pupil search (Pupils ▸ Behaviour
support plans…, Pupils ▸ Pupil review…): Enter picks the suggestion, Open opens it."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.ui.form.who_widgets import PupilChooser


class PupilChoiceDialog(QDialog):
    def __init__(
        self,
        directory: DirectoryService,
        parent: QWidget | None = None,
        *,
        title: str,
        question: str,
        open_text: str,
    ) -> None:
        """``question`` names the search box with an ``&`` mnemonic; ``open_text`` is
        the accepting button's text (e.g. "&Open plan")."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self._directory = directory
        intro = QLabel(question, self)
        intro.setWordWrap(True)
        self.chooser = PupilChooser(directory, self)
        self.chooser.add_button.hide()
        intro.setBuddy(self.chooser.search)
        self.buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(open_text, self)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.chooser)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._on_chooser_changed()
        self.resize(520, 360)

    def _connect_signals(self) -> None:
        self.chooser.changed.connect(self._on_chooser_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_chooser_changed(self) -> None:
        self.open_button.setEnabled(self.chooser.pupil_id() is not None)

    def pupil(self) -> Pupil | None:
        pupil_id = self.chooser.pupil_id()
        if pupil_id is None:
            return None
        try:
            return self._directory.pupil(pupil_id)
        except IncidentRecorderError:
            return None
