"""Installs tracking that parents were told: View ▸ Parents' duties (once "Parents to
tell": not told, no letter, record not supplied), the badge button on the toolbar
("Parents' duties (3)", red while any are waiting), refreshed after each
change and every minute, and the "Parents and carers" tab on each record view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QPushButton

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.changes import Changes
from incident_recorder.services.parents import ParentsService
from incident_recorder.ui.parents.tab import ParentsTab
from incident_recorder.ui.parents.to_tell import ToTellWindow
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.window_places import AfterFirstPaint, add_to_toolbar, add_to_view_menu

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
        prompter: Prompter | None = None,
        open_copy: Callable[[int], object] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._open_record = open_record
        # Issue 13: a record the user may not read in full (the school office) opens
        # as its parents' view (ui/parents/copy_window.py).
        self._open_copy = open_copy
        self.embedded = False  # the list is the main window's content (the office)
        self._prompter = prompter
        self.count = 0
        self.to_tell_window: ToTellWindow | None = None
        self.action = QAction("Parents' du&ties…", window)
        self.badge = QPushButton("Parents' duties", window)
        self.badge.setAccessibleName("Parents' duties")
        self.badge.setToolTip(
            "The parents' duties: records whose parents are not yet told, sent the letter "
            "or given the written record"
        )
        self.after_paint: AfterFirstPaint | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self._connect_signals()

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        service: ParentsService,
        open_record: Callable[[int], object],
        prompter: Prompter | None = None,
        open_copy: Callable[[int], object] | None = None,
    ) -> ParentsActions:
        actions = cls(window, service, open_record, prompter=prompter, open_copy=open_copy)
        add_to_view_menu(window, actions.action, separator=True)
        add_to_toolbar(window, actions.badge)
        actions.timer.start()
        # The count reads every submitted record (tens of milliseconds on a large
        # school's database): it is done just after the main window's first paint, so
        # the list shows first and the badge fills in a moment later.
        actions.after_paint = AfterFirstPaint(window, actions.refresh)
        return actions

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
        self.badge.setText(f"Parents' duties ({count})")
        self.badge.setAccessibleName(f"Parents' duties: {count}")
        if count:
            self.badge.setStyleSheet(_BADGE.format(bg="#c42b1c", fg="white"))
        else:
            self.badge.setStyleSheet(_BADGE.format(bg="#dff6dd", fg="#107c10"))
        self.action.setText(f"Parents' du&ties ({count})…")
        shown = self.to_tell_window is not None and self.to_tell_window.isVisible()
        if self.embedded or shown:
            self._fill_window()
        self.count_changed.emit(count)

    def _fill_window(self) -> None:
        assert self.to_tell_window is not None
        try:
            rows = self._service.to_tell()
        except IncidentRecorderError:
            return
        self.to_tell_window.set_rows(rows, max(self.count, len(rows)))

    def embed_list(self) -> ToTellWindow:
        """The parents' duties list as the main window's content (the school office's
        main window): View ▸ Parents' duties and the badge then bring it forward."""
        self.embedded = True
        self.to_tell_window = ToTellWindow(self._service.local_now, self._window, embedded=True)
        self.to_tell_window.record_requested.connect(self._on_to_tell_record_requested)
        return self.to_tell_window

    def open_row(self, incident_id: int) -> None:
        """Open a record from the list: the full record, or its parents' view for a
        user who may read only the copy for parents."""
        if self._open_copy is not None:
            try:
                as_copy = self._service.opens_as_parents_copy(incident_id)
            except IncidentRecorderError:
                as_copy = False
            if as_copy:
                self._open_copy(incident_id)
                return
        self._open_record(incident_id)

    def show_to_tell(self) -> ToTellWindow:
        if self.embedded and self.to_tell_window is not None:
            self._window.raise_()
            self._window.activateWindow()
            self.refresh()
            self._fill_window()
            self.to_tell_window.table.setFocus()
            return self.to_tell_window
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
        self.open_row(incident_id)

    # ------------------------------------------------------------------ record views

    def install_record_view(self, view: RecordView) -> None:
        incident = view.incident
        if incident is None or incident.reference is None:
            return  # drafts have no parents tab
        tab = ParentsTab(self._service, view.incident_id, view, prompter=self._prompter)
        view.add_tab(tab, "&Parents and carers")
        tab.contacts_changed.connect(self._on_tab_contacts_changed)
        view.record_reloaded.connect(lambda _id: self._on_record_reloaded(view, tab))
        tab.refresh()
        tab.seen_version = incident.version

    def _on_record_reloaded(self, view: RecordView, tab: ParentsTab) -> None:
        """After an amendment made once the parents had a copy: ask whether the
        amended copy should go to them too (issue 13)."""
        tab.refresh()
        incident = view.incident
        if incident is None or incident.version <= tab.seen_version:
            return
        tab.seen_version = incident.version
        if self._prompter is not None:
            ask_about_amended_copy(self._service, self._prompter, incident.id)
            tab.refresh()
            self.refresh()

    @Slot(int)
    def _on_tab_contacts_changed(self, _incident_id: int) -> None:
        self.refresh()


AMENDED_TITLE = "The amended record and the parents"


def ask_about_amended_copy(
    service: ParentsService, prompter: Prompter, incident_id: int
) -> bool | None:
    """The question after an amendment when the parents had an earlier copy: True if
    the amended copy should go (it stays on the parents' duties list until it has),
    False if it need not (the reason kept), None when there was nothing to ask or the
    reason was not given (then it stays due)."""
    try:
        had = service.amended_copy_due(incident_id)
    except IncidentRecorderError:
        return None
    if had is None:
        return None
    send = prompter.confirm(
        AMENDED_TITLE,
        f"The parents were given a copy of version {had} of this record. It has been "
        "amended since. Should the amended copy go to the parents too?",
        yes="Yes, it should go to them",
        no="No, it need not",
    )
    if send:
        prompter.inform(
            AMENDED_TITLE,
            "The amended record is on the parents' duties list until you record that "
            "the new copy has gone (Parents and carers tab).",
        )
        return True
    reason = prompter.ask_text(
        AMENDED_TITLE, "Why need the amended copy not go to the parents?", multiline=True
    )
    if reason is None or not reason.strip():
        return None
    try:
        service.decline_amended_copy(incident_id, reason)
    except IncidentRecorderError as error:
        prompter.warn(AMENDED_TITLE, str(error))
        return None
    return False
