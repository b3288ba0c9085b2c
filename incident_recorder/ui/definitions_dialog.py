"""Administration ▸ What each kind means…: the administrator edits, in the school's
plain words, the definitions the form shows where staff choose the kind (issue 13).
"Use the shipped wording" puts back resources/definitions.toml's text."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import KindDefinitions, Role, User
from incident_recorder.infra.definitions import shipped_definitions
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.settings_dialog import admin_menu

TITLE = "What each kind means"
FIELDS = (
    ("reasonable_force", "&Reasonable force:"),
    ("restraint", "R&estraint (with or without force):"),
    ("seclusion", "&Seclusion:"),
    ("time_out", "How a supervised &time out differs:"),
)


class DefinitionsDialog(QDialog):
    saved = Signal()

    def __init__(
        self,
        service: SettingsService,
        parent: QWidget | None = None,
        shipped: KindDefinitions | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._shipped = shipped or shipped_definitions()
        self.setWindowTitle(TITLE)
        intro = QLabel(
            "Staff see these words on the form where they choose the kind of "
            "intervention. Write them in the school's plain words, in line with your "
            "policy and the statutory guidance.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.edits: dict[str, QPlainTextEdit] = {}
        words = service.kind_definitions().filled_from(self._shipped)
        for key, text in FIELDS:
            edit = QPlainTextEdit(getattr(words, key), self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 14)
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
            label = QLabel(text, self)
            label.setBuddy(edit)
            label.setWordWrap(True)
            form.addRow(label, edit)
            self.edits[key] = edit
        self.problem = QLabel("", self)
        self.problem.setStyleSheet("color: #a4262c")
        self.problem.setWordWrap(True)
        self.shipped_button = QPushButton("&Use the shipped wording", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.addButton(self.shipped_button, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.shipped_button.clicked.connect(self._on_shipped_button_clicked)
        self.resize(640, 0)

    def values(self) -> KindDefinitions:
        return KindDefinitions(*(self.edits[key].toPlainText() for key, _ in FIELDS))

    @Slot()
    def _on_shipped_button_clicked(self) -> None:
        for key, _ in FIELDS:
            self.edits[key].setPlainText(getattr(self._shipped, key))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self._service.save_kind_definitions(self.values(), self._shipped)
        except IncidentRecorderError as error:
            self.problem.setText(str(error))
            return
        self.saved.emit()
        self.accept()


class DefinitionsActions:
    """The action in the Administration menu (administrators only)."""

    def __init__(self, window: QMainWindow, service: SettingsService) -> None:
        self._window = window
        self._service = service
        self.action = QAction("What each &kind means…", window)
        self.action.triggered.connect(self._on_action_triggered)
        self.dialog: DefinitionsDialog | None = None

    @classmethod
    def install(
        cls, window: QMainWindow, service: SettingsService, user: User
    ) -> DefinitionsActions | None:
        if not user.has(Role.ADMINISTRATOR):
            return None
        actions = cls(window, service)
        admin_menu(window).addAction(actions.action)
        return actions

    @Slot()
    def _on_action_triggered(self) -> None:
        self.dialog = DefinitionsDialog(self._service, self._window)
        self.dialog.open()
