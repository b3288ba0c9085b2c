"""Installs tracking that parents were told: View ▸ Parents to tell, the badge button
on the toolbar ("Parents to tell (3)", red while any are waiting), refreshed after each
change and every minute, and the "Parents and carers" tab on each record view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QPushButton, QToolBar

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.changes import Changes
from incident_recorder.services.parents import ParentsService
from incident_recorder.ui.parents.tab import ParentsTab
from incident_recorder.ui.parents.to_tell import ToTellWindow
from incident_recorder.ui.record_view import RecordView

REFRESH_MS = 60_000
_BADGE = "QPushButton {{ background: {bg}; color: {fg}; font-weight: bold; padding: 3px 10px; }}"


class ParentsActions(QObject):
    count_changed = Signal(int)

    def __init__(
        self,
        window: QMainWindow,
        service: ParentsService,
        open_record: Callable[[int], object],
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._open_record = open_record
        self.count = 0
        self.to_tell_window: ToTellWindow | None = None
        self.action = QAction("Parents to &tell…", window)
        self.badge = QPushButton("Parents to tell", window)
        self.badge.setAccessibleName("Parents to tell")
        self.badge.setToolTip("Records whose parents are not yet told or sent the letter")
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self._connect_signals()

    @classmethod
    def install(
        cls, window: QMainWindow, service: ParentsService, open_record: Callable[[int], object]
    ) -> ParentsActions:
        actions = cls(window, service, open_record)
        bar = window.menuBar()
        view_menu = next(
            (a.menu() for a in bar.actions() if a.text().replace("&", "") == "View"), None
        )
        if isinstance(view_menu, QMenu):
            view_menu.addSeparator()
            view_menu.addAction(actions.action)
        toolbars = window.findChildren(QToolBar)
        if toolbars:
            first = toolbars[0]
            anchor = next((a for a in first.actions() if a.isSeparator() or not a.text()), None)
            if anchor is not None:
                first.insertWidget(anchor, actions.badge)
            else:
                first.addWidget(actions.badge)
        actions.timer.start()
        # The count reads every submitted record (tens of milliseconds on a large
        # school's database): it is done just after the main window's first paint, so
        # the list shows first and the badge fills in a moment later.
        window.installEventFilter(actions)
        return actions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        window = getattr(self, "_window", None)  # None while being torn down
        if window is not None and watched is window and event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, self.refresh)
        return False

    def _connect_signals(self) -> None:
        self.action.triggered.connect(self._on_action_triggered)
        self.badge.clicked.connect(self._on_badge_clicked)
        self.timer.timeout.connect(self._on_timer_timeout)

    # ------------------------------------------------------------------ the badge

    @Slot(object)
    def on_changes(self, changes: Changes) -> None:
        """The badge counts again when records or contacts with parents changed."""
        if changes.records or changes.parents:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        try:
            count = self._service.to_tell_count()
        except IncidentRecorderError:
            return
        self.count = count
        self.badge.setText(f"Parents to tell ({count})")
        self.badge.setAccessibleName(f"Parents to tell: {count}")
        if count:
            self.badge.setStyleSheet(_BADGE.format(bg="#c42b1c", fg="white"))
        else:
            self.badge.setStyleSheet(_BADGE.format(bg="#dff6dd", fg="#107c10"))
        self.action.setText(f"Parents to &tell ({count})…")
        if self.to_tell_window is not None and self.to_tell_window.isVisible():
            self._fill_window()
        self.count_changed.emit(count)

    def _fill_window(self) -> None:
        assert self.to_tell_window is not None
        try:
            rows = self._service.to_tell()
        except IncidentRecorderError:
            return
        self.to_tell_window.set_rows(rows, max(self.count, len(rows)))

    def show_to_tell(self) -> ToTellWindow:
        if self.to_tell_window is None:
            self.to_tell_window = ToTellWindow(self._service.local_now, self._window)
            self.to_tell_window.record_requested.connect(self._on_to_tell_record_requested)
        self.to_tell_window.show()
        self.to_tell_window.raise_()
        self.to_tell_window.activateWindow()
        self.refresh()
        self._fill_window()
        return self.to_tell_window

    @Slot()
    def _on_action_triggered(self) -> None:
        self.show_to_tell()

    @Slot()
    def _on_badge_clicked(self) -> None:
        self.show_to_tell()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.refresh()

    @Slot(int)
    def _on_to_tell_record_requested(self, incident_id: int) -> None:
        self._open_record(incident_id)

    # ------------------------------------------------------------------ record views

    def install_record_view(self, view: RecordView) -> None:
        incident = view.incident
        if incident is None or incident.reference is None:
            return  # drafts have no parents tab
        tab = ParentsTab(self._service, view.incident_id, view)
        view.add_tab(tab, "&Parents and carers")
        tab.contacts_changed.connect(self._on_tab_contacts_changed)
        view.record_reloaded.connect(lambda _id: tab.refresh())
        tab.refresh()

    @Slot(int)
    def _on_tab_contacts_changed(self, _incident_id: int) -> None:
        self.refresh()
