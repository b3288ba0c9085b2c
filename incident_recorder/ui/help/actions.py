"""The Help menu, for everyone: User guide (F1) and About Incident Recorder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from incident_recorder.services.about import AboutService
from incident_recorder.ui.about_dialog import AboutDialog, gather_about
from incident_recorder.ui.help.guide_dialog import GuideDialog


class HelpActions:
    def __init__(self, window: QMainWindow, service: AboutService) -> None:
        self._window = window
        self._service = service
        self.guide_action = QAction("&User guide", window)
        self.guide_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.about_action = QAction("&About Incident Recorder", window)
        self.guide: GuideDialog | None = None
        self.about: AboutDialog | None = None
        self._connect_signals()

    @classmethod
    def install(cls, window: QMainWindow, about: AboutService) -> HelpActions:
        actions = cls(window, about)
        menu = window.menuBar().addMenu("&Help")
        menu.addActions([actions.guide_action, actions.about_action])
        window.addAction(actions.guide_action)  # F1 works wherever the focus is
        return actions

    def _connect_signals(self) -> None:
        self.guide_action.triggered.connect(self._on_guide_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)

    @Slot()
    def _on_guide_action_triggered(self) -> None:
        if self.guide is None:
            self.guide = GuideDialog(parent=self._window)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    @Slot()
    def _on_about_action_triggered(self) -> None:
        self.about = AboutDialog(gather_about(self._service), self._window)
        self.about.open()
