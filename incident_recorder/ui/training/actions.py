"""Administration ▸ Staff training… (administrators); View ▸ Staff training… for SENCOs
and safeguarding leads (the Administration menu is the administrator's alone); View ▸
My training… for anyone else whose account is linked to the staff list."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from incident_recorder.services.training import TrainingService
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.settings_dialog import admin_menu
from incident_recorder.ui.training.window import StaffTrainingWindow


class TrainingActions:
    def __init__(self, window: QMainWindow, service: TrainingService, prompter: Prompter) -> None:
        self._window = window
        self._service = service
        self._prompter = prompter
        text = "Staff &training…" if service.may_see_all else "My &training…"
        self.action = QAction(text, window)
        self.action.triggered.connect(self._on_action_triggered)
        self.training_window: StaffTrainingWindow | None = None

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        service: TrainingService,
        prompter: Prompter,
        view_menu: QMenu,
        own_staff_id: int | None,
    ) -> TrainingActions | None:
        if service.may_set_months:  # an administrator
            actions = cls(window, service, prompter)
            admin_menu(window).addAction(actions.action)
            return actions
        if not service.may_see_all and own_staff_id is None:
            return None
        actions = cls(window, service, prompter)
        view_menu.addAction(actions.action)
        return actions

    def open_window(self) -> StaffTrainingWindow:
        if self.training_window is None:
            self.training_window = StaffTrainingWindow(self._service, self._prompter, self._window)
        else:
            self.training_window.reload()
        self.training_window.show()
        self.training_window.raise_()
        self.training_window.activateWindow()
        return self.training_window

    @Slot()
    def _on_action_triggered(self) -> None:
        self.open_window()
