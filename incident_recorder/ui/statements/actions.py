"""Installs each adult's own account (issue 13): View ▸ Your statements to write (with
the count), a badge on the toolbar ("Statements to write (2)", red while any wait),
the list opened by itself just after signing in while any wait (a window, never
modal), the statement editor, and the "Staff statements" tab on each record view.
Refreshed when records or statements change (``Changes.records`` / ``statements``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.changes import Changes
from incident_recorder.services.statements import StatementService
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.statements.editor import StatementEditor
from incident_recorder.ui.statements.my_list import MyStatementsWindow
from incident_recorder.ui.statements.tab import StatementsTab
from incident_recorder.ui.window_places import AfterFirstPaint, add_to_toolbar, add_to_view_menu

_BADGE = "QPushButton {{ background: {bg}; color: {fg}; font-weight: bold; padding: 3px 10px; }}"
STATEMENTS_CHANGED = Changes(statements=True)


class StatementActions(QObject):
    count_changed = Signal(int)

    def __init__(
        self,
        window: QMainWindow,
        service: StatementService,
        prompter: Prompter,
        open_record: Callable[[int], object],
        announce: Callable[[Changes], None] = lambda _changes: None,
        open_when_waiting: bool = True,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._prompter = prompter
        self._open_record = open_record
        self._announce = announce
        self._open_when_waiting = open_when_waiting
        self.count = 0
        self.list_window: MyStatementsWindow | None = None
        self.editor: StatementEditor | None = None
        self.tabs: list[StatementsTab] = []
        self.action = QAction("Your &statements to write…", window)
        self.badge = QPushButton("Statements to write", window)
        self.badge.setAccessibleName("Your statements to write")
        self.badge.setToolTip("Records you were named on, waiting for your own account")
        # In a toolbar, the badge is shown and hidden through its action.
        self.badge_action: QAction | None = None
        self.after_paint: AfterFirstPaint | None = None
        self._connect_signals()

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        service: StatementService,
        prompter: Prompter,
        open_record: Callable[[int], object],
        announce: Callable[[Changes], None] = lambda _changes: None,
        open_when_waiting: bool = True,
    ) -> StatementActions:
        actions = cls(window, service, prompter, open_record, announce, open_when_waiting)
        add_to_view_menu(window, actions.action)
        actions.badge_action = add_to_toolbar(window, actions.badge)
        if actions.badge_action is not None:
            actions.badge_action.setVisible(False)
        # Counted just after the main window's first paint; then, while any wait, the
        # list opens beside it (the person can carry on with anything else).
        actions.after_paint = AfterFirstPaint(window, actions._on_first_paint)
        return actions

    def _connect_signals(self) -> None:
        self.action.triggered.connect(self._on_action_triggered)
        self.badge.clicked.connect(self._on_badge_clicked)

    @Slot()
    def _on_first_paint(self) -> None:
        self.refresh()
        if self._open_when_waiting and self.count:
            self.show_list()

    @Slot(bool)
    def open_unless(self, other_opened: bool) -> None:
        """After sign-in, when another list decides first (a lead's desk): the list
        opens only if that one did not, and something waits."""
        if not other_opened:
            self.refresh()
            if self.count:
                self.show_list()

    # ------------------------------------------------------------------ the count

    @Slot(object)
    def on_changes(self, changes: Changes) -> None:
        if changes.records or changes.statements:
            self.refresh()
            for tab in list(self.tabs):
                tab.refresh()

    @Slot()
    def refresh(self) -> None:
        try:
            count = self._service.my_waiting_count()
        except IncidentRecorderError:
            return
        self.count = count
        linked = self._service.is_linked
        if self.badge_action is not None:
            self.badge_action.setVisible(linked and count > 0)
        self.badge.setText(f"Statements to write ({count})")
        self.badge.setAccessibleName(f"Your statements to write: {count}")
        colours = ("#c42b1c", "white") if count else ("#dff6dd", "#107c10")
        self.badge.setStyleSheet(_BADGE.format(bg=colours[0], fg=colours[1]))
        self.action.setText(f"Your &statements to write ({count})…")
        if self.list_window is not None and self.list_window.isVisible():
            self._fill_list()
        self.count_changed.emit(count)

    def _fill_list(self) -> None:
        assert self.list_window is not None
        try:
            states = self._service.my_requests()
        except IncidentRecorderError:
            return
        self.list_window.set_states(states, self._service.is_linked)

    def show_list(self) -> MyStatementsWindow:
        if self.list_window is None:
            self.list_window = MyStatementsWindow(self._service.local, self._window)
            self.list_window.write_requested.connect(self._on_list_write_requested)
            self.list_window.record_requested.connect(self._on_list_record_requested)
        self._fill_list()
        self.list_window.show()
        self.list_window.raise_()
        self.list_window.activateWindow()
        return self.list_window

    # ------------------------------------------------------------------ the editor

    def open_editor(self, request_id: int, parent: QWidget | None = None) -> StatementEditor | None:
        try:
            editor = StatementEditor(
                self._service, request_id, self._prompter, parent or self.list_window
            )
        except IncidentRecorderError as error:
            self._prompter.warn("Your statement", str(error))
            return None
        editor.statement_saved.connect(self._on_editor_statement_saved)
        self.editor = editor
        editor.open()
        return editor

    @Slot(int)
    def _on_editor_statement_saved(self, _request_id: int) -> None:
        self._announce(STATEMENTS_CHANGED)
        self.on_changes(STATEMENTS_CHANGED)

    @Slot()
    def _on_action_triggered(self) -> None:
        self.show_list()

    @Slot()
    def _on_badge_clicked(self) -> None:
        self.show_list()

    @Slot(int)
    def _on_list_write_requested(self, request_id: int) -> None:
        self.open_editor(request_id)

    @Slot(int)
    def _on_list_record_requested(self, incident_id: int) -> None:
        self._open_record(incident_id)

    # ------------------------------------------------------------------ record views

    def install_record_view(self, view: RecordView) -> None:
        incident = view.incident
        if incident is None or incident.reference is None:
            return  # drafts have no statements
        tab = StatementsTab(self._service, view.incident_id, self._prompter, view)
        view.add_tab(tab, "Sta&ff statements")
        self.tabs.append(tab)
        tab.destroyed.connect(lambda _obj=None, t=tab: self._forget_tab(t))
        tab.write_requested.connect(lambda request_id: self.open_editor(request_id, view))
        tab.statements_changed.connect(self._on_tab_statements_changed)
        view.record_reloaded.connect(lambda _id: tab.refresh())
        tab.refresh()

    def _forget_tab(self, tab: StatementsTab) -> None:
        if tab in self.tabs:
            self.tabs.remove(tab)

    @Slot(int)
    def _on_tab_statements_changed(self, _incident_id: int) -> None:
        self._announce(STATEMENTS_CHANGED)
        self.refresh()
