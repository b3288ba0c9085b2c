"""The main window: the incident list with its filters, the signed-in person's drafts
listed apart, and the actions (New incident, Lock, Sign out, Quit)."""

from __future__ import annotations

import itertools
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    Pupil,
    Role,
)
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.services.accounts import UserAdminService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.letters import LetterService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.plans import PlanService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from incident_recorder.services.settings import SettingsService
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.ui.accounts import AccountActions
from incident_recorder.ui.child_windows import ChildWindows, FormFactory
from incident_recorder.ui.filter_bar import FilterBar
from incident_recorder.ui.help.actions import HelpActions
from incident_recorder.ui.incident_list import IncidentListPanel
from incident_recorder.ui.letters.install import LetterActions
from incident_recorder.ui.letters_admin import LetterWordingActions
from incident_recorder.ui.models.incident_table import Column, IncidentTableModel
from incident_recorder.ui.parents.actions import ParentsActions
from incident_recorder.ui.plans.plan_actions import PlanActions, PlanSection
from incident_recorder.ui.prompter import Prompter, QtPrompter
from incident_recorder.ui.pupils.actions import PupilActions
from incident_recorder.ui.pupils.pupil_page import PupilPage
from incident_recorder.ui.record_print import RecordPrinting
from incident_recorder.ui.review.actions import ReviewActions
from incident_recorder.ui.settings_dialog import SchoolSettingsActions
from incident_recorder.ui.sign_off import SignOffControls
from incident_recorder.ui.style import framed

EMPTY_INCIDENTS = "No incidents recorded yet. Choose New incident to record one."
EMPTY_FILTERED = "No records match these filters. Choose Clear filters to see every record."
EMPTY_DRAFTS = "You have no unfinished records. Choose New incident to start one."
EMPTY_ADMIN = (
    "Your account is for running Incident Recorder, so no records are shown here. Records "
    "are made and read with a Staff, SENCO or safeguarding lead account."
)


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(r.label for r in Role if r in roles)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        session: Session,
        incidents: IncidentService,
        directory: DirectoryService,
        prompter: Prompter | None = None,
        autosave_ms: int = 5000,
        form_factory: FormFactory | None = None,
        page_size: int = 200,
        parent: QWidget | None = None,
        user_admin: UserAdminService | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._incidents = incidents
        self._prompter: Prompter = prompter or QtPrompter(self)
        self._closing = False
        settings = session.settings()
        zone = settings.school.timezone
        self.setWindowTitle(f"Incident Recorder — {settings.school.name}")
        self.windows = ChildWindows(
            incidents, directory, self._prompter, self, zone, autosave_ms, form_factory
        )
        # Record view ▸ Letter to parents… (issue 5).
        letters = LetterService(session, technique_words(), default_letter_template())
        self.letter_actions = LetterActions(letters, self._prompter, zone)
        self.windows.record_view_extras.append(self.letter_actions.install)
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
        self._build_actions()
        # Change my passphrase (everyone) and Accounts (administrators only).
        self.account_actions: AccountActions | None = None
        if user_admin is not None:
            self.account_actions = AccountActions(self, user_admin, session.user, self._prompter)
            self.account_actions.install(self.file_menu, self.lock_action)
        # Administration ▸ School details and letters… (administrators only; issue 5).
        self.settings_actions = SchoolSettingsActions.install(
            self, SettingsService(session), session.user
        )
        # Administration ▸ Letter wording…; Print record… in each record view (issue 5).
        self.letter_wording_actions = LetterWordingActions.install(self, session, self._prompter)
        self.windows.record_view_extras.append(
            RecordPrinting.installer(RecordDocumentService(session), self._prompter)
        )
        # Sign off… and the sign-off line in each record view (safeguarding leads sign).
        self.windows.record_view_extras.append(
            SignOffControls.installer(SignOffService(session), self._prompter, zone)
        )
        # Pupils ▸ Behaviour support plans… (issue 4).
        self.pupils_menu = self.menuBar().addMenu("&Pupils")
        self.plan_actions = PlanActions(self, PlanService(session), directory, self._prompter)
        self.plan_actions.install(self.pupils_menu)
        # Pupils ▸ Pupil review… and Plan reviews due… (SENCO, safeguarding lead).
        self.review_actions = ReviewActions(
            self,
            ReviewService(session),
            directory,
            self._prompter,
            self.windows.open_record,
            self.plan_actions.open_editor,
        )
        self.review_actions.install(self.pupils_menu)
        # Pupils: the pupil list for everyone; the CSV import for administrators and SENCOs.
        self.pupil_actions = PupilActions(
            self,
            session,
            incidents,
            directory,
            self.windows.open_record,
            extend_page=self._add_plan_section,
        )
        self.pupil_actions.install(self.pupils_menu)
        # View ▸ Parents to tell, its badge, and each record's Parents tab (issue 5).
        self.parents_actions = ParentsActions.install(
            self, ParentsService(session), self.windows.open_record
        )
        self.windows.record_view_extras.append(self.parents_actions.install_record_view)
        self.windows.records_changed.connect(self.parents_actions.refresh)
        # Help ▸ User guide (F1) and About Incident Recorder (issue 6).
        self.help_actions = HelpActions.install(self, session)
        self._build_banner()
        self._build_central()
        self._build_status_bar()
        self._connect_signals()
        self.refresh()
        self.resize(1280, 800)

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        user = self._session.user
        self.new_action = QAction("&New incident", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setEnabled(user.may_record)
        if not user.may_record:
            self.new_action.setToolTip("Your account is not set up to record incidents.")
        self.open_action = QAction("&Open", self)
        self.open_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_O))
        self.discard_action = QAction("&Discard draft…", self)
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.lock_action = QAction("&Lock", self)
        self.lock_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
        self.sign_out_action = QAction("Sign &out", self)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        for action in (self.lock_action, self.quit_action, self.new_action):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action, self.discard_action])
        file_menu.addSeparator()
        file_menu.addActions([self.lock_action, self.sign_out_action, self.quit_action])
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        self.incidents.sort_menu.setTitle("&Sort incidents by")
        self.drafts.sort_menu.setTitle("Sort my &drafts by")
        view_menu.addMenu(self.incidents.sort_menu)
        view_menu.addMenu(self.drafts.sort_menu)
        toolbar = QToolBar("Actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.new_action, self.open_action, self.discard_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.user_label = QLabel(f"<b>{escape(user.full_name)}</b> · {roles_text(user.roles)}  ")
        self.user_label.setTextFormat(Qt.TextFormat.RichText)
        self.user_label.setAccessibleName(
            f"Signed in as {user.full_name}, {roles_text(user.roles)}"
        )
        toolbar.addWidget(self.user_label)
        toolbar.addActions([self.lock_action, self.sign_out_action])
        self.addToolBar(toolbar)

    def _add_plan_section(self, page: PupilPage, pupil: Pupil) -> None:
        """A pupil's page shows the behaviour support plan in force and (for reviewers)
        the last review, each with a way in."""
        page.add_section(PlanSection(self.plan_actions, self.plan_actions.plans, pupil))
        self.review_actions.add_section(page, pupil)

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
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        f = self.filters
        chain = [self.continue_button, self.dismiss_button, self.tabs, f.search, f.pupil]
        chain += [f.date_from, f.date_to, f.status, f.clear_button, self.incidents.table]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _build_status_bar(self) -> None:
        user = self._session.user
        who = QLabel(f"Signed in as {user.full_name} ({user.username})")
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
        self.windows.records_changed.connect(self._on_windows_records_changed)
        self.windows.drafts_changed.connect(self._on_windows_drafts_changed)
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
        user = self._session.user
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
        self.pupil_actions.close_all()
        self.review_actions.close_all()
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

    # ------------------------------------------------------------------ slots

    @Slot()
    def _update_actions(self) -> None:
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

    @Slot()
    def _on_windows_records_changed(self) -> None:
        self.refresh()

    @Slot()
    def _on_windows_drafts_changed(self) -> None:
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
