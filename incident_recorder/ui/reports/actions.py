"""Installs View ▸ Reports… for Safeguarding leads and Senior leaders (nobody else sees
it) and keeps the one Reports window, brought to the front when asked for again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.reports.period_picker import PeriodChoices
from incident_recorder.ui.reports.port import ReportsPort
from incident_recorder.ui.reports.window import ReportsWindow
from incident_recorder.ui.window_places import add_to_view_menu


class ReportsActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        reports: ReportsPort,
        background: Background,
        period_choices: PeriodChoices,
        open_record: Callable[[int], object],
        prompter: Prompter,
        zone: str = "Europe/London",
    ) -> None:
        super().__init__(window)
        self._zone = zone
        self._window = window
        self._reports = reports
        self._background = background
        self._period_choices = period_choices
        self._open_record = open_record
        self._prompter = prompter
        self.reports_window: ReportsWindow | None = None
        self.action = QAction("&Reports…", window)
        self.action.setToolTip("The school's figures, the governors' report and data to share")
        self.action.triggered.connect(self._on_action_triggered)

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        reports: ReportsPort,
        background: Background,
        period_choices: PeriodChoices,
        open_record: Callable[[int], object],
        prompter: Prompter,
        zone: str = "Europe/London",
    ) -> ReportsActions | None:
        """None (no menu entry) for anyone but a Safeguarding lead or Senior leader."""
        if not reports.may_use():
            return None
        actions = cls(window, reports, background, period_choices, open_record, prompter, zone)
        add_to_view_menu(window, actions.action, separator=True)
        return actions

    def show_reports(self) -> ReportsWindow:
        if self.reports_window is None:
            self.reports_window = ReportsWindow(
                self._reports,
                self._background,
                self._period_choices,
                self._open_record,
                self._prompter,
                self._window,
                zone=self._zone,
            )
        self.reports_window.show()
        self.reports_window.raise_()
        self.reports_window.activateWindow()
        return self.reports_window

    def close_all(self) -> None:
        if self.reports_window is not None:
            self.reports_window.close()

    @Slot()
    def _on_action_triggered(self) -> None:
        self.show_reports()
