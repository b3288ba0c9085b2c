"""The guided incident form: one step per page, a sidebar of steps, what is still
missing, autosave, and Submit (or Save amendment… for a submitted record)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    IncidentStatus,
    SchoolDetails,
    SchoolSettings,
    WhenWhere,
)
from incident_recorder.domain.policy import Finding, Severity, for_step
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.date_check import DateCheck
from incident_recorder.ui.form.findings_panel import FindingsPanel
from incident_recorder.ui.form.page import STYLE, StepPage, heading_font
from incident_recorder.ui.form.record_actions import RecordActions
from incident_recorder.ui.form.sidebar import StepSidebar
from incident_recorder.ui.form.step_debriefs import DebriefsPage
from incident_recorder.ui.form.step_deescalation import DeescalationPage
from incident_recorder.ui.form.step_follow_up import FollowUpPage
from incident_recorder.ui.form.step_injuries import InjuriesPage
from incident_recorder.ui.form.step_intervention import InterventionPage
from incident_recorder.ui.form.step_necessity import NecessityPage
from incident_recorder.ui.form.step_parents import ParentsPage
from incident_recorder.ui.form.step_review import ReviewPage
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.form.step_who import WhoPage
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_summary import record_html

REFRESH_MS = 300


class IncidentForm(RecordActions, QWidget):
    incident_submitted = Signal(int)
    incident_amended = Signal(int)
    draft_saved = Signal(int)
    form_closed = Signal()

    def __init__(
        self,
        incidents: IncidentService,
        directory: DirectoryService,
        incident: Incident,
        prompter: Prompter,
        amend: bool = False,
        autosave_ms: int = 5000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._incidents = incidents
        self._directory = directory
        self._prompter = prompter
        self._amend = amend
        self._incident = incident
        self._saved = incident.details
        self._explanations: dict[str, str] = {}
        self._active_codes: set[str] = set()
        self._findings: list[Finding] = []
        self._locked = False
        self._shown_before = False
        self._dialog: QWidget | None = None
        self._plan_key: tuple[int | None, object] | None = None
        self._date_check = DateCheck(incidents, prompter)
        self.setStyleSheet(STYLE)
        self._build(self._settings())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._autosave = QTimer(self)
        self._autosave.setInterval(max(50, autosave_ms))
        self._connect_signals()
        self._load(incident)

    # ------------------------------------------------------------------ building

    def _settings(self) -> SchoolSettings:
        try:
            return self._directory.settings()
        except IncidentRecorderError:
            return SchoolSettings(school=SchoolDetails(name="", address=""))

    def _build(self, settings: SchoolSettings) -> None:
        self.title = QLabel(self)
        self.title.setFont(heading_font(self.font(), 1.15))
        self.title.setWordWrap(True)
        self.sidebar = StepSidebar(self)
        self.missing = FindingsPanel(
            "Still &missing on this step:", "Nothing is missing on this step.", parent=self
        )
        self.save_status = QLabel(self)
        self.save_status.setWordWrap(True)
        self.save_status.setAccessibleName("Draft status")
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.sidebar)
        left.addWidget(self.missing, 1)
        left.addStretch(0)
        left.addWidget(self.save_status)
        self.who = WhoPage(self._directory)
        self.review = ReviewPage(self._amend)
        self.what_happened = WhatHappenedPage(settings)
        self.deescalation = DeescalationPage(settings)
        self.intervention = InterventionPage(settings)
        self.pages: list[StepPage] = [
            WhenWherePage(settings),
            self.who,
            self.what_happened,
            self.deescalation,
            NecessityPage(),
            self.intervention,
            InjuriesPage(),
            DebriefsPage(),
            ParentsPage(),
            FollowUpPage(),
            self.review,
        ]
        self.stack = QStackedWidget(self)
        for page in self.pages:
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
        self.back_button = QPushButton("&Back", self)
        self.next_button = QPushButton("&Next", self)
        self.close_button = QPushButton(self)
        for button in (self.back_button, self.next_button, self.close_button):
            button.setAutoDefault(False)
        nav = QHBoxLayout()
        nav.addWidget(self.close_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addLayout(nav)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 1)
        outer.addLayout(right, 3)
        self._next_key = QShortcut(QKeySequence("Ctrl+PgDown"), self)
        self._previous_key = QShortcut(QKeySequence("Ctrl+PgUp"), self)
        for shortcut in (self._next_key, self._previous_key):
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _connect_signals(self) -> None:
        for page in self.pages:
            page.changed.connect(self._on_page_changed)
            page.explanation_edited.connect(self._on_page_explanation_edited)
        self.sidebar.step_chosen.connect(self._on_sidebar_step_chosen)
        self.missing.finding_chosen.connect(self._on_missing_finding_chosen)
        self.review.todo.finding_chosen.connect(self._on_missing_finding_chosen)
        self.review.submit_requested.connect(self._on_review_submit_requested)
        self.review.another_pupil_requested.connect(self._on_review_another_pupil_requested)
        self.who.add_pupil_requested.connect(self._on_who_add_pupil_requested)
        self.who.add_staff_requested.connect(self._on_who_add_staff_requested)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self._next_key.activated.connect(self._on_next_button_clicked)
        self._previous_key.activated.connect(self._on_back_button_clicked)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._autosave.timeout.connect(self._on_autosave_timeout)

    # ------------------------------------------------------------------ the record

    def _load(self, incident: Incident) -> None:
        self._incident = incident
        details = incident.details
        is_draft = incident.status is IncidentStatus.DRAFT
        self._locked = not is_draft and not self._amend
        if is_draft and details == IncidentDetails():
            today = self._directory.local_now().date()
            details = dataclasses.replace(details, when_where=WhenWhere(date=today))
        self._saved = incident.details
        self._plan_key = None
        if not is_draft:
            self._date_check.accept(details.when_where.date)  # already in the bound book
        self._explanations = dict(details.explanations)
        self._active_codes = set(self._explanations)
        for page in self.pages:
            page.load(details)
        try:
            self.who.set_linked(self._incidents.linked(incident))
        except IncidentRecorderError:
            self.who.set_linked([])
        self._show_title()
        self.review.outcome.hide()
        for page in self.pages:
            page.set_read_only(self._locked)
        self._refresh_findings()
        # The cursor starts in the first field: staff can type straight away.
        self.go_to(Step.WHEN_WHERE)
        if is_draft and not self._amend:
            self._autosave.start()
        else:
            self._autosave.stop()

    def details(self) -> IncidentDetails:
        """What the form holds now."""
        details = IncidentDetails()
        for page in self.pages:
            details = page.apply(details)
        kept = {c: t for c, t in self._explanations.items() if c in self._active_codes}
        return dataclasses.replace(
            details, explanations=tuple(sorted((c, t) for c, t in kept.items() if t.strip()))
        )

    def incident(self) -> Incident:
        """The record the form is showing (it changes after submit or an amendment)."""
        return self._incident

    # ------------------------------------------------------------------ findings

    @Slot()
    def _on_page_changed(self) -> None:
        self._refresh_timer.start()

    @Slot(str, str)
    def _on_page_explanation_edited(self, code: str, text: str) -> None:
        self._explanations[code] = text
        self._refresh_timer.start()

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        self._refresh_findings()

    def _refresh_plan(self) -> None:
        """Show the pupil's plan in force on the incident's date beside the steps."""
        details = self.details()
        key = (details.who.pupil_id, details.when_where.date)
        if key == self._plan_key:
            return
        self._plan_key = key
        plan = self._incidents.plan_in_force(details)
        chosen = details.who.pupil_id is not None
        for page in (self.what_happened, self.deescalation, self.intervention):
            page.set_plan(plan, chosen)
        if self._incident.status is IncidentStatus.DRAFT:
            self.who.set_plan_version(None if plan is None else plan.version)

    def _refresh_findings(self) -> None:
        try:
            self._refresh_plan()
            self.who.set_training(self._incidents.held_training(self.details()))
            findings = self._incidents.findings(self.details(), self._incident)
            codes = _generic_warning_codes(findings)
            if codes != self._active_codes:
                self._active_codes = codes
                findings = self._incidents.findings(self.details(), self._incident)
        except IncidentRecorderError as error:
            self.save_status.setText(f"The checks could not run: {error}")
            return
        self._findings = findings
        for page in self.pages:
            page.show_findings(for_step(findings, page.step), self._explanations)
        self.review.show_findings(findings, self._explanations)
        self.sidebar.update_states(findings)
        self.missing.show_findings(for_step(findings, self.current_step()))
        if self.current_step() is Step.REVIEW:
            self._render_review()

    def _render_review(self) -> None:
        self.review.set_html(record_html(self.details(), self._incidents, self._directory))

    def findings(self) -> list[Finding]:
        """The findings as last shown."""
        return list(self._findings)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_before:
            # The form is usually built before it has a window, which loses the focus set
            # while loading: put the cursor in the first field once it is on screen.
            self._shown_before = True
            QTimer.singleShot(0, self._focus_first_input)

    @Slot()
    def _focus_first_input(self) -> None:
        first = self.pages[self.stack.currentIndex()].first_input()
        if first is not None and first.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ navigation

    def current_step(self) -> Step:
        return list(Step)[self.stack.currentIndex()]

    def go_to(self, step: Step, focus: bool = True) -> None:
        if step is not self.current_step():
            self._save_if_changed()
        index = list(Step).index(step)
        self.stack.setCurrentIndex(index)
        self.sidebar.show_step(step)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(Step) - 1)
        self.missing.setVisible(step is not Step.REVIEW)
        self.missing.show_findings(for_step(self._findings, step))
        if step is Step.REVIEW:
            self._refresh_findings()
        if focus:
            first = self.pages[index].first_input()
            (first or self.stack).setFocus(Qt.FocusReason.OtherFocusReason)

    def _may_leave_step(self, step: Step) -> bool:
        """Leaving When and where with a date long ago asks once whether it is right;
        "Change the date" stays, with the date ready to retype."""
        if self.current_step() is not Step.WHEN_WHERE or step is Step.WHEN_WHERE:
            return True
        if self._locked or self._date_check.may_leave(self.details(), self._incident):
            return True
        self.focus_date()
        return False

    def focus_date(self) -> None:
        """Show the date of the incident with its text selected, ready to retype."""
        self.go_to(Step.WHEN_WHERE, focus=False)
        date = self.pages[0].slots["date"].focus_target
        target = date.focusProxy() or date
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        select_all = getattr(target, "selectAll", None)
        if callable(select_all):
            select_all()

    @Slot(Step)
    def _on_sidebar_step_chosen(self, step: Step) -> None:
        if self._may_leave_step(step):
            self.go_to(step, focus=False)
        else:
            self.sidebar.show_step(Step.WHEN_WHERE)

    @Slot()
    def _on_next_button_clicked(self) -> None:
        steps = list(Step)
        index = steps.index(self.current_step())
        if index < len(steps) - 1 and self._may_leave_step(steps[index + 1]):
            self.go_to(steps[index + 1])

    @Slot()
    def _on_back_button_clicked(self) -> None:
        steps = list(Step)
        index = steps.index(self.current_step())
        if index > 0 and self._may_leave_step(steps[index - 1]):
            self.go_to(steps[index - 1])

    @Slot(object)
    def _on_missing_finding_chosen(self, finding: Finding) -> None:
        self.jump_to(finding)

    def jump_to(self, finding: Finding) -> None:
        """Show the step of ``finding`` and put the focus on its field."""
        self._refresh_timer.stop()
        self._refresh_findings()
        self.go_to(finding.step, focus=False)
        page = self.pages[list(Step).index(finding.step)]
        target = page.focus_finding(finding)
        if target is None and finding.severity is Severity.WARNING:
            self.go_to(Step.REVIEW, focus=False)
            target = self.review.focus_finding(finding)
        scroll = self.stack.currentWidget()
        if target is not None and isinstance(scroll, QScrollArea):
            scroll.ensureWidgetVisible(target)


def _generic_warning_codes(findings: list[Finding]) -> set[str]:
    return {
        f.code for f in findings if f.severity is Severity.WARNING and f.explanation_field is None
    }
