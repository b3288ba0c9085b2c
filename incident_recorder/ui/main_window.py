"""The main window: the incident list with its filters, the signed-in person's drafts
listed apart, and the actions (New incident, Lock, Sign out, Quit)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentQuery, IncidentSort, IncidentStatus
from incident_recorder.services.bundle import Services
from incident_recorder.services.changes import Changes
from incident_recorder.ui.background import Background
from incident_recorder.ui.backups.actions import BackupActions
from incident_recorder.ui.backups.runner import BackupRunner
from incident_recorder.ui.child_windows import ChildWindows, FormFactory
from incident_recorder.ui.filter_bar import FilterBar
from incident_recorder.ui.incident_list import IncidentListPanel
from incident_recorder.ui.main_menu import MainMenus, roles_text
from incident_recorder.ui.models.incident_table import Column, IncidentTableModel
from incident_recorder.ui.parents.to_tell import ToTellWindow
from incident_recorder.ui.prompter import Prompter, QtPrompter
from incident_recorder.ui.style import framed

__all__ = ["EMPTY_ADMIN", "EMPTY_DRAFTS", "EMPTY_FILTERED", "EMPTY_INCIDENTS", "MainWindow"]
__all__ += ["OFFICE_INTRO", "roles_text"]

EMPTY_INCIDENTS = "No incidents recorded yet. Choose New incident to record one."
EMPTY_FILTERED = "No records match these filters. Choose Clear filters to see every record."
EMPTY_DRAFTS = "You have no unfinished records. Choose New incident to start one."
OFFICE_INTRO = (
    "Open a record to see its copy for parents, print it, and record each call, the "
    "letter sent, replies and the copy supplied."
)
EMPTY_ADMIN = (
    "Your account is for running Incident Recorder, so no records are shown here. Records "
    "are made and read with a Staff, SENCO or safeguarding lead account."
)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    restore_requested = Signal(object)  # a Generation chosen on the Backups screen

    def __init__(
        self,
        services: Services,
        prompter: Prompter | None = None,
        autosave_ms: int = 5000,
        form_factory: FormFactory | None = None,
        page_size: int = 200,
        parent: QWidget | None = None,
        backup_runner: BackupRunner | None = None,
        can_restore: bool = False,
    ) -> None:
        super().__init__(parent)
        self._user = services.user
        incidents, directory = services.incidents, services.directory
        self._incidents = incidents
        self._prompter: Prompter = prompter or QtPrompter(self)
        self._closing = False
        settings = services.settings.school_settings()
        zone = settings.school.timezone
        self.setWindowTitle(f"Incident Recorder — {settings.school.name}")
        # Slow work runs here, off the GUI thread; what changed is announced on its one
        # signal, which the lists and badges listen to.
        self.background = Background(services, self._prompter, self)
        self.windows = ChildWindows(
            incidents,
            directory,
            self._prompter,
            self,
            self.background,
            zone,
            autosave_ms,
            form_factory,
        )
        self.filters = FilterBar(directory)
        self.incidents = IncidentListPanel(
            IncidentTableModel(incidents.search, zone, page_size, self),
            "Incidents",
            hidden=(Column.SAVED,),
        )
        self.drafts = IncidentListPanel(
            IncidentTableModel(incidents.search, zone, page_size, self, IncidentSort.SAVED),
            "My drafts",
            hidden=(Column.REFERENCE, Column.STATUS, Column.VERSION, Column.RECORDED_BY),
        )
        self.drafts.set_empty_text(EMPTY_DRAFTS)
        self.tabs = QTabWidget()
        self.duties: ToTellWindow | None = None  # the school office's main content
        # Menus, toolbar and the extras of issues 4-6 (ui/main_menu.py), kept here too.
        menus = MainMenus(
            self,
            services,
            self._prompter,
            self.windows,
            (self.incidents, self.drafts),
            zone,
            self.background,
        )
        self.new_action, self.open_action = menus.new_action, menus.open_action
        self.discard_action, self.refresh_action = menus.discard_action, menus.refresh_action
        self.lock_action, self.quit_action = menus.lock_action, menus.quit_action
        self.sign_out_action, self.file_menu = menus.sign_out_action, menus.file_menu
        self.user_label, self.letter_actions = menus.user_label, menus.letter_actions
        self.account_actions, self.settings_actions = menus.account_actions, menus.settings_actions
        self.letter_wording_actions = menus.letter_wording_actions
        self.pupils_menu, self.plan_actions = menus.pupils_menu, menus.plan_actions
        self.review_actions, self.pupil_actions = menus.review_actions, menus.pupil_actions
        self.parents_actions, self.help_actions = menus.parents_actions, menus.help_actions
        self.desk_actions = menus.desk_actions
        self.statement_actions = menus.statement_actions
        self.reports_actions = menus.reports_actions
        self.parents_copies = menus.parents_copies
        # Administration ▸ Backups…, the backups' line in the status bar, the warning at
        # sign-in and the automatic backups (issue 12; made on the shell's runner).
        self.backup_actions = BackupActions(
            self,
            services,
            self._prompter,
            self.background,
            backup_runner,
            # Restore… on the Backups screen, when the shell can restore (it signs out first).
            restore=self.restore_requested.emit if can_restore else None,
        )
        self._build_banner()
        self._build_central()
        self._build_status_bar()
        self._connect_signals()
        self.refresh()
        self.resize(1280, 800)

    # ------------------------------------------------------------------ building

    def _build_banner(self) -> None:
        self.banner = framed("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.continue_button = QPushButton("&Continue it")
        self.dismiss_button = QPushButton("Not &now")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.continue_button)
        row.addWidget(self.dismiss_button)
        self.banner.setVisible(False)

    def _build_central(self) -> None:
        if self._user.office_only:
            self._build_office_central()
            return
        incidents_tab = QWidget()
        incidents_layout = QVBoxLayout(incidents_tab)
        incidents_layout.addWidget(self.filters)
        incidents_layout.addWidget(self.incidents, 1)
        drafts_tab = QWidget()
        drafts_intro = QLabel(
            "Records you have started but not submitted yet. They are saved as you type; "
            "open one to carry on."
        )
        drafts_intro.setWordWrap(True)
        drafts_layout = QVBoxLayout(drafts_tab)
        drafts_layout.addWidget(drafts_intro)
        drafts_layout.addWidget(self.drafts, 1)
        self.tabs.addTab(incidents_tab, "&Incidents")
        self.tabs.addTab(drafts_tab, "My &drafts")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.backup_actions.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        f = self.filters
        backups = self.backup_actions
        chain: list[QWidget] = [self.continue_button, self.dismiss_button, backups.open_button]
        chain += [backups.hide_button, self.tabs, f.search, f.pupil]
        chain += [f.date_from, f.date_to, f.status, f.clear_button, self.incidents.table]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _build_office_central(self) -> None:
        """The school office's main window: the parents' duties list is the content
        (the office has no incident lists: it opens each record's copy for parents)."""
        self.duties = self.parents_actions.embed_list()
        heading = QLabel("<h2>Parents' duties</h2>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        about = QLabel(OFFICE_INTRO)
        about.setWordWrap(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.backup_actions.banner)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addWidget(self.duties, 1)
        self.setCentralWidget(central)
        self.tabs.setParent(central)  # kept (drafts count, current panel), never shown
        self.tabs.hide()
        self.duties.table.setFocus()

    def _build_status_bar(self) -> None:
        user = self._user
        who = QLabel(f"Signed in as {user.full_name} ({user.username})")
        self.statusBar().addPermanentWidget(self.backup_actions.status_label)
        between = QFrame()
        between.setFrameShape(QFrame.Shape.VLine)
        between.setFrameShadow(QFrame.Shadow.Sunken)
        self.statusBar().addPermanentWidget(between)
        self.statusBar().addPermanentWidget(who)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.discard_action.triggered.connect(self._on_discard_action_triggered)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.lock_action.triggered.connect(self.lock_requested)
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.filters.filters_changed.connect(self._on_filters_filters_changed)
        self.incidents.incident_activated.connect(self._on_list_incident_activated)
        self.drafts.incident_activated.connect(self._on_list_incident_activated)
        self.incidents.selection_changed.connect(self._update_actions)
        self.drafts.selection_changed.connect(self._update_actions)
        self.incidents.model.fetch_failed.connect(self._on_list_fetch_failed)
        self.drafts.model.fetch_failed.connect(self._on_list_fetch_failed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        if self.duties is not None:  # the school office: Open follows the chosen row
            self.duties.table.selectionModel().currentChanged.connect(self._update_actions)
        self.background.changed.connect(self._on_background_changed)
        self.windows.status_reported.connect(self._on_windows_status_reported)
        self.continue_button.clicked.connect(self._on_continue_button_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_button_clicked)

    # ------------------------------------------------------------------ behaviour

    def refresh(self) -> None:
        """Reload both lists, keeping what is selected."""
        try:
            self.incidents.load(self.filters.query())
        except IncidentRecorderError as error:
            self.statusBar().showMessage(str(error), 10000)
        self.refresh_drafts()
        if self.duties is not None:
            self.parents_actions.refresh()
        user = self._user
        if not (user.may_record or user.sees_all_records):
            empty = EMPTY_ADMIN
        else:
            empty = EMPTY_FILTERED if self.filters.active else EMPTY_INCIDENTS
        self.incidents.set_empty_text(empty)

    def refresh_drafts(self) -> None:
        try:
            self.drafts.load(IncidentQuery(status=IncidentStatus.DRAFT))
        except IncidentRecorderError as error:
            self.statusBar().showMessage(str(error), 10000)
        count = self.drafts.model.total
        self.tabs.setTabText(1, f"My &drafts ({count})" if count else "My &drafts")
        self._update_actions()

    def offer_unfinished_drafts(self) -> None:
        """At sign-in: drafts left from before (perhaps after a crash) are offered."""
        count = self.drafts.model.total
        if not count:
            return
        records = "1 unfinished record" if count == 1 else f"{count} unfinished records"
        them = "it" if count == 1 else "the most recent one"
        self.banner_text.setText(
            f"<b>You have {records}.</b> Everything typed so far was saved. Continue {them}, "
            "or find it later under My drafts."
        )
        self.banner.setVisible(True)
        self.tabs.setCurrentIndex(1)
        latest = self._latest_draft()
        if latest is not None:
            self.drafts.table.select_id(latest)
        self.continue_button.setFocus()

    def _latest_draft(self) -> int | None:
        """The draft saved last, whatever order the drafts list is sorted in."""
        model = self.drafts.model
        rows = [model.summary(row) for row in range(model.rowCount())]
        latest = max(rows, key=lambda s: (s.updated_at, s.id), default=None)
        return None if latest is None else latest.id

    def current_panel(self) -> IncidentListPanel:
        return self.drafts if self.tabs.currentIndex() == 1 else self.incidents

    def open_incident(self, incident_id: int) -> None:
        summary = None
        for panel in (self.drafts, self.incidents):
            row = panel.model.row_of(incident_id)
            if row is not None:
                summary = panel.model.summary(row)
                break
        if summary is not None and summary.status is IncidentStatus.DRAFT:
            self.windows.open_draft(incident_id)
        else:
            self.windows.open_record(incident_id)

    def shut_down(self) -> None:
        """Save forms, close every window of this session and this window."""
        self.windows.close_all()
        self.parents_copies.close_all()
        self.pupil_actions.close_all()
        self.review_actions.close_all()
        if self.reports_actions is not None:
            self.reports_actions.close_all()
        for timer in self.findChildren(QTimer):  # e.g. a search still waiting to run
            timer.stop()
        self.filters.blockSignals(True)
        self._closing = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
            return
        event.ignore()  # the shell saves forms and closes the session, then quits
        self.quit_requested.emit()
        if self._closing:  # shut down meanwhile: Qt ignores the close nested in this one
            event.accept()

    # ------------------------------------------------------------------ slots

    @Slot()
    def _update_actions(self) -> None:
        if self.duties is not None:
            self.open_action.setEnabled(self.duties.table.currentIndex().isValid())
            self.discard_action.setEnabled(False)
            return
        panel = self.current_panel()
        selected = panel.current_summary()
        self.open_action.setEnabled(selected is not None)
        self.discard_action.setEnabled(
            selected is not None and selected.status is IncidentStatus.DRAFT
        )

    @Slot()
    def _on_new_action_triggered(self) -> None:
        self.banner.setVisible(False)
        self.windows.new_incident()

    @Slot()
    def _on_open_action_triggered(self) -> None:
        if self.duties is not None:
            chosen = self.duties.model.data(
                self.duties.table.currentIndex(), Qt.ItemDataRole.UserRole
            )
            if isinstance(chosen, int):
                self.parents_actions.open_row(chosen)
            return
        current = self.current_panel().current_id()
        if current is not None:
            self.open_incident(current)

    @Slot()
    def _on_discard_action_triggered(self) -> None:
        summary = self.current_panel().current_summary()
        if summary is None or summary.status is not IncidentStatus.DRAFT:
            return
        about = f" about {summary.pupil_name}" if summary.pupil_name else ""
        if not self._prompter.confirm(
            "Discard this draft?",
            f"The unfinished record{about} will be deleted and cannot be brought back.",
            yes="Discard draft",
            no="Keep it",
        ):
            return
        self.windows.close_form(summary.id)
        try:
            self._incidents.discard_draft(summary.id)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not discard the draft", str(error))
        self.refresh()
        self.statusBar().showMessage("The draft has been discarded.", 8000)

    @Slot()
    def _on_refresh_action_triggered(self) -> None:
        self.refresh()

    @Slot()
    def _on_filters_filters_changed(self) -> None:
        self.refresh()

    @Slot(int)
    def _on_list_incident_activated(self, incident_id: int) -> None:
        self.open_incident(incident_id)

    @Slot(str)
    def _on_list_fetch_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"The list could not be loaded: {message}", 10000)

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        self._update_actions()

    @Slot(object)
    def _on_background_changed(self, changes: Changes) -> None:
        if changes.records:
            self.refresh()
        elif changes.drafts:
            self.refresh_drafts()

    @Slot(str)
    def _on_windows_status_reported(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    @Slot()
    def _on_continue_button_clicked(self) -> None:
        self.banner.setVisible(False)
        latest = self._latest_draft()
        if latest is not None:
            self.windows.open_draft(latest)

    @Slot()
    def _on_dismiss_button_clicked(self) -> None:
        self.banner.setVisible(False)
