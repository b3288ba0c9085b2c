"""The main window's menus and toolbar (File, View, the actions and who is signed in),
then the extras of issues 4, 5 and 6 installed on it: accounts, school settings, letter
wording, record printing, sign-off, behaviour support plans, reviews, pupils, parents to
tell and help. MainWindow (ui/main_window.py) keeps what this builds as its attributes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from incident_recorder.domain.model import Pupil, Role, User
from incident_recorder.services.bundle import Services
from incident_recorder.ui.accounts import AccountActions
from incident_recorder.ui.background import Background
from incident_recorder.ui.calendar.dialog import SchoolCalendarActions
from incident_recorder.ui.child_windows import ChildWindows
from incident_recorder.ui.definitions_dialog import DefinitionsActions
from incident_recorder.ui.desk.actions import DeskActions
from incident_recorder.ui.help.actions import HelpActions
from incident_recorder.ui.incident_list import IncidentListPanel
from incident_recorder.ui.letters.install import LetterActions
from incident_recorder.ui.letters_admin import LetterWordingActions
from incident_recorder.ui.parents.actions import ParentsActions
from incident_recorder.ui.parents.copy_window import ParentsCopyWindows
from incident_recorder.ui.plans.plan_actions import PlanActions, PlanSection
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.pupils.actions import PupilActions
from incident_recorder.ui.pupils.pupil_page import PupilPage
from incident_recorder.ui.record_print import RecordPrinting
from incident_recorder.ui.reports.actions import ReportsActions
from incident_recorder.ui.review.actions import ReviewActions
from incident_recorder.ui.settings_dialog import SchoolSettingsActions
from incident_recorder.ui.sign_off import SignOffControls
from incident_recorder.ui.statements.actions import StatementActions
from incident_recorder.ui.training.actions import TrainingActions


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(r.label for r in Role if r in roles)


class MainMenus:
    """Builds the main window's menus, toolbar and extras, in the order they appear."""

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        prompter: Prompter,
        windows: ChildWindows,
        lists: tuple[IncidentListPanel, IncidentListPanel],
        zone: str,
        background: Background,
    ) -> None:
        user, directory = services.user, services.directory
        # Record view ▸ Letter to parents… (issue 5).
        self.letter_actions = LetterActions(services.letters, prompter, background, zone)
        windows.record_view_extras.append(self.letter_actions.install)
        self._build_actions(window, user, lists)
        # Change my passphrase (everyone) and Accounts (administrators only).
        self.account_actions: AccountActions | None = None
        if services.user_admin is not None:
            self.account_actions = AccountActions(
                window, services.user_admin, user, prompter, services.key_rotation, background
            )
            self.account_actions.install(self.file_menu, self.lock_action)
        # Administration ▸ School details and letters… (administrators only; issue 5).
        self.settings_actions = SchoolSettingsActions.install(window, services.settings, user)
        # Administration ▸ What each kind means… (issue 13).
        self.definitions_actions = DefinitionsActions.install(window, services.settings, user)
        # Administration ▸ School calendar… (issue 14).
        self.calendar_actions = SchoolCalendarActions.install(
            window, services.calendar, user, prompter
        )
        # Administration ▸ Staff training… (issue 13), or View ▸ My training….
        self.training_actions = TrainingActions.install(
            window, services.training, prompter, self.view_menu, user.staff_id
        )
        # Administration ▸ Letter wording…; Print record… in each record view (issue 5).
        self.letter_wording_actions = LetterWordingActions.install(
            window, services.letter_templates, services.settings, user, prompter, background
        )
        windows.record_view_extras.append(
            RecordPrinting.installer(services.records, prompter, background)
        )
        # Sign off… and the sign-off line in each record view (safeguarding leads sign).
        windows.record_view_extras.append(
            SignOffControls.installer(services.sign_off, prompter, zone)
        )
        # Pupils ▸ Behaviour support plans… (issue 4).
        self.pupils_menu = window.menuBar().addMenu("&Pupils")
        self.plan_actions = PlanActions(window, services.plans, directory, prompter, background)
        self.plan_actions.install(self.pupils_menu)
        # Pupils ▸ Pupil review… and Plan reviews due… (SENCO, safeguarding lead).
        self.review_actions = ReviewActions(
            window,
            services.reviews,
            directory,
            prompter,
            windows.open_record,
            background,
            self.plan_actions.open_editor,
        )
        self.review_actions.install(self.pupils_menu)
        # Pupils: the pupil list for everyone; the CSV import for administrators and SENCOs.
        self.pupil_actions = PupilActions(
            window,
            services.pupils,
            services.pupil_import,
            services.incidents,
            directory,
            windows.open_record,
            background,
            extend_page=self._add_plan_section,
        )
        self.pupil_actions.install(self.pupils_menu)
        # View ▸ Parents to tell, its badge, and each record's Parents tab (issue 5); a
        # record the user may read only as the copy for parents (the school office)
        # opens as its parents' view (issue 13).
        self.parents_copies = ParentsCopyWindows(
            window, services.records, services.parents, prompter, background
        )
        self.parents_actions = ParentsActions.install(
            window, services.parents, windows.open_record, prompter, self.parents_copies.open
        )
        self.parents_copies.contacts_changed.connect(self.parents_actions.refresh)
        windows.record_view_extras.append(self.parents_actions.install_record_view)
        background.changed.connect(self.parents_actions.on_changes)
        # View ▸ Safeguarding desk…, its badge, opened after sign-in when anything waits,
        # and each record view's amendment requests (issue 13).
        self.desk_actions = DeskActions.install(
            window, services.desk, background, windows.open_record, prompter, user.may_record
        )
        if self.desk_actions is not None:
            windows.record_view_extras.append(self.desk_actions.install_record_view)
            background.changed.connect(self.desk_actions.on_changes)
        # View ▸ Your statements to write, its badge, the list after sign-in and each
        # record's Staff statements tab (issue 13).
        # A lead's desk opens after sign-in when anything waits; their own statements
        # list then opens only if the desk did not (one window at a time).
        desk_decides = self.desk_actions is not None and self.desk_actions.lead
        self.statement_actions = StatementActions.install(
            window, services.statements, prompter, windows.open_record, background.announce,
            open_when_waiting=not desk_decides,
        )  # fmt: skip
        if desk_decides and self.desk_actions is not None:
            self.desk_actions.first_count_done.connect(self.statement_actions.open_unless)
        windows.record_view_extras.append(self.statement_actions.install_record_view)
        background.changed.connect(self.statement_actions.on_changes)
        # View ▸ Reports… for Safeguarding leads and Senior leaders (issue 14): the
        # school's figures, the governors' report and the data for the local authority.
        self.reports_actions = ReportsActions.install(
            window,
            services.reports,
            background,
            services.calendar.period_choices,
            windows.open_record,
            prompter,
            zone,
        )
        # Help ▸ User guide (F1) and About Incident Recorder (issue 6).
        self.help_actions = HelpActions.install(window, services.about)
        if user.office_only:
            # The school office works from the parents' duties list: pupils' plans,
            # reviews and record lists are not theirs.
            self.pupils_menu.menuAction().setVisible(False)

    def _build_actions(
        self,
        window: QMainWindow,
        user: User,
        lists: tuple[IncidentListPanel, IncidentListPanel],
    ) -> None:
        self.new_action = QAction("&New incident", window)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setEnabled(user.may_record)
        if not user.may_record:
            self.new_action.setToolTip("Your account is not set up to record incidents.")
        self.open_action = QAction("&Open", window)
        self.open_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_O))
        self.discard_action = QAction("&Discard draft…", window)
        self.refresh_action = QAction("&Refresh", window)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.lock_action = QAction("&Lock", window)
        self.lock_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
        self.sign_out_action = QAction("Sign &out", window)
        self.quit_action = QAction("&Quit", window)
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        for action in (self.lock_action, self.quit_action, self.new_action):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file_menu = self.file_menu = window.menuBar().addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action, self.discard_action])
        file_menu.addSeparator()
        file_menu.addActions([self.lock_action, self.sign_out_action, self.quit_action])
        view_menu = self.view_menu = window.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        incidents, drafts = lists
        incidents.sort_menu.setTitle("&Sort incidents by")
        drafts.sort_menu.setTitle("Sort my &drafts by")
        view_menu.addMenu(incidents.sort_menu)
        view_menu.addMenu(drafts.sort_menu)
        if user.office_only:
            # No incident lists for the school office (its main window is the parents'
            # duties list), so nothing to start, discard or sort.
            for action in (self.new_action, self.discard_action):
                action.setVisible(False)
            for menu in (incidents.sort_menu, drafts.sort_menu):
                menu.menuAction().setVisible(False)
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
        window.addToolBar(toolbar)

    def _add_plan_section(self, page: PupilPage, pupil: Pupil) -> None:
        """A pupil's page shows the behaviour support plan in force and (for reviewers)
        the last review, each with a way in."""
        page.add_section(PlanSection(self.plan_actions, self.plan_actions.plans, pupil))
        self.review_actions.add_section(page, pupil)
