"""Administration ▸ Letter wording… (administrators only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from incident_recorder.domain.model import Role, User
from incident_recorder.services.letter_templates import LetterTemplateService
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.settings_dialog import admin_menu

if TYPE_CHECKING:
    from incident_recorder.ui.letters_admin.editor import LetterWordingDialog


class LetterWordingActions:
    def __init__(
        self,
        window: QMainWindow,
        templates: LetterTemplateService,
        settings: SettingsService,
        prompter: Prompter,
        background: Background,
    ) -> None:
        self._window = window
        self._background = background
        self._templates = templates
        self._settings = settings
        self._prompter = prompter
        self.action = QAction("Letter &wording…", window)
        self.action.triggered.connect(self._on_action_triggered)
        self.dialog: LetterWordingDialog | None = None

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        templates: LetterTemplateService,
        settings: SettingsService,
        user: User,
        prompter: Prompter,
        background: Background,
    ) -> LetterWordingActions | None:
        """For an administrator, the action in the Administration menu; None otherwise."""
        if not user.has(Role.ADMINISTRATOR):
            return None
        actions = cls(window, templates, settings, prompter, background)
        admin_menu(window).addAction(actions.action)
        return actions

    @Slot()
    def _on_action_triggered(self) -> None:
        from incident_recorder.ui.letters_admin.editor import LetterWordingDialog

        self.dialog = LetterWordingDialog(
            self._templates, self._settings, self._prompter, self._background, self._window
        )
        self.dialog.open()
