"""Installs the safeguarding desk: View ▸ Safeguarding desk…, the toolbar badge
("Desk: 3 waiting", red while anything waits; for the author of records, "Asked to
amend: 1"), counted on a worker thread (Background, quiet) just after the main window's
first paint, after each change and every minute; the desk opens by itself after
signing in when anything waits (once a session, without taking the keyboard from the
main window's questions); and each record view's amendment requests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QPushButton

from incident_recorder.domain.desk import DeskCount
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.bundle import Services
from incident_recorder.services.changes import Changes
from incident_recorder.services.desk import DeskService
from incident_recorder.services.ports import Progress
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.desk.record_panel import AmendmentRequestsPanel
from incident_recorder.ui.desk.window import DeskWindow
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.sign_off import SignOffControls
from incident_recorder.ui.window_places import AfterFirstPaint, add_to_toolbar, add_to_view_menu

REFRESH_MS = 60_000
_BADGE = "QPushButton {{ background: {bg}; color: {fg}; font-weight: bold; padding: 3px 10px; }}"


def _count(services: Services, _progress: Progress) -> DeskCount:
    return services.desk.waiting()


def badge_text(lead: bool, total: int) -> str:
    return f"Desk: {total:,} waiting" if lead else f"Asked to amend: {total:,}"


class DeskActions(QObject):
    count_changed = Signal(int)
    # After the first count of a session: whether the desk opened by itself (so another
    # list that would open after sign-in can stay shut: one window at a time).
    first_count_done = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        service: DeskService,
        background: Background,
        open_record: Callable[[int], object],
        prompter: Prompter,
        refresh_ms: int = REFRESH_MS,
        open_when_waiting: bool = True,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._background = background
        self._open_record = open_record
        self._prompter = prompter
        self.lead = service.is_lead
        self.count: DeskCount | None = None  # None until the first count arrives
        self.counting = False
        self._again = False
        self.open_when_waiting = open_when_waiting  # the first count opens the desk
        self.desk_window: DeskWindow | None = None
        title = "Safeguarding &desk…" if self.lead else "Amendments &asked of you…"
        self.action = QAction(title, window)
        self.badge = QPushButton(badge_text(self.lead, 0).split(":")[0], window)
        self.badge.setAccessibleName("Safeguarding desk" if self.lead else "Amendments asked")
        self.badge.setToolTip(
            "The safeguarding desk: records to sign off, referrals to consider and "
            "amendments requested"
            if self.lead
            else "Amendment requests on records you wrote"
        )
        self.badge_action: QAction | None = None  # the badge's place on the toolbar
        self.after_paint: AfterFirstPaint | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self._connect_signals()

    @property
    def badge_shown(self) -> bool:
        if self.badge_action is not None:
            return self.badge_action.isVisible()
        return not self.badge.isHidden()

    def show_badge(self, visible: bool) -> None:
        """A toolbar's widget is shown and hidden through its action."""
        if self.badge_action is not None:
            self.badge_action.setVisible(visible)
        else:
            self.badge.setVisible(visible)

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        service: DeskService,
        background: Background,
        open_record: Callable[[int], object],
        prompter: Prompter,
        may_record: bool,
    ) -> DeskActions | None:
        """None for an account with no records (administration alone)."""
        if not (service.is_lead or may_record):
            return None
        actions = cls(window, service, background, open_record, prompter)
        add_to_view_menu(window, actions.action)
        actions.badge_action = add_to_toolbar(window, actions.badge)
        actions.show_badge(service.is_lead)  # an author's shows once something waits
        actions.timer.start()
        actions.after_paint = AfterFirstPaint(window, actions.refresh)  # the first count
        return actions

    def _connect_signals(self) -> None:
        self.action.triggered.connect(self._on_action_triggered)
        self.badge.clicked.connect(self._on_badge_clicked)
        self.timer.timeout.connect(self.refresh)

    # ------------------------------------------------------------------ counting

    @Slot(object)
    def on_changes(self, changes: Changes) -> None:
        if changes.records or changes.parents or changes.settings:
            self.refresh()
            if self.desk_window is not None and self.desk_window.isVisible():
                self.desk_window.refresh()

    @Slot()
    def refresh(self) -> None:
        """Count on a worker thread; a count asked for meanwhile runs after it."""
        if self.counting:
            self._again = True
            return
        try:
            self._background.run(
                Task(
                    "counting what waits on the desk",
                    _count,
                    on_done=self._on_counted,
                    on_failed=self._on_count_failed,
                    quiet=True,
                )
            )
        except IncidentRecorderError:
            return  # locking
        self.counting = True

    def _on_count_failed(self, _error: IncidentRecorderError) -> None:
        self.counting = False

    def _on_counted(self, count: DeskCount) -> None:
        self.counting = False
        self.count = count
        total = count.total
        self.badge.setText(badge_text(self.lead, total))
        self.badge.setAccessibleName(
            f"Safeguarding desk: {total} waiting" if self.lead else f"Amendments asked: {total}"
        )
        red = _BADGE.format(bg="#c42b1c", fg="white")
        self.badge.setStyleSheet(red if total else _BADGE.format(bg="#dff6dd", fg="#107c10"))
        self.show_badge(self.lead or total > 0)
        self.action.setText(
            f"Safeguarding &desk ({total:,} waiting)…"
            if self.lead
            else f"Amendments &asked of you ({total:,})…"
        )
        self.count_changed.emit(total)
        if self.open_when_waiting:
            self.open_when_waiting = False
            opened = False
            if total:
                with contextlib.suppress(IncidentRecorderError):  # locked meanwhile
                    self.show_desk(activate=False)
                    opened = True
            self.first_count_done.emit(opened)
        if self._again:
            self._again = False
            self.refresh()

    # ------------------------------------------------------------------ the window

    def show_desk(self, activate: bool = True) -> DeskWindow:
        if self.desk_window is None:
            self.desk_window = DeskWindow(self._service, self._prompter, self._window)
            self.desk_window.record_requested.connect(self._on_desk_record_requested)
            self.desk_window.desk_changed.connect(self.refresh)
        self.desk_window.refresh()
        # Opened by itself, it does not take the keyboard from the main window.
        self.desk_window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
        self.desk_window.show()
        if activate:
            self.desk_window.raise_()
            self.desk_window.activateWindow()
        return self.desk_window

    @Slot()
    def _on_action_triggered(self) -> None:
        self.show_desk()

    @Slot()
    def _on_badge_clicked(self) -> None:
        self.show_desk()

    @Slot(int)
    def _on_desk_record_requested(self, incident_id: int) -> None:
        self._open_record(incident_id)

    # ------------------------------------------------------------------ record views

    def install_record_view(self, view: RecordView) -> None:
        panel = AmendmentRequestsPanel.install_on(view, self._service, self._prompter)
        if panel is not None:
            panel.requests_changed.connect(self._on_panel_requests_changed)
        sign_off = view.findChild(SignOffControls)  # installed before the desk
        if isinstance(sign_off, SignOffControls):
            sign_off.record_signed_off.connect(self._on_panel_requests_changed)

    @Slot(int)
    def _on_panel_requests_changed(self, _incident_id: int) -> None:
        self.refresh()
        if self.desk_window is not None and self.desk_window.isVisible():
            self.desk_window.refresh()
