"""Administration ▸ School calendar…: the administrator keeps the school's terms and the
days it is closed in term time. Every "within so many school days" rule in the app
(the desk's overdue records, the staff statements outstanding, the reports' figures)
counts only the school days this gives. Until the school saves dates of its own, the
standard English term dates are used (domain/calendar.py, docs/school-calendar.md)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.calendar import (
    SchoolCalendar,
    calendar_problems,
    school_year_name,
    school_year_of,
)
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Role, User
from incident_recorder.services.calendar import CalendarService
from incident_recorder.ui.calendar.panels import PROBLEM_STYLE, ClosuresPanel, TermsPanel
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.settings_dialog import admin_menu

TITLE = "School calendar"
STANDARD_TEXT = (
    "The standard English term dates are in use: add the school's INSET days and any "
    "other closures, or change the dates to your local authority's, then save."
)
OWN_TEXT = "The school's own dates are in use."


def replace_school_year(
    working: SchoolCalendar, standard: SchoolCalendar, year: int
) -> SchoolCalendar:
    """``working`` with school year ``year``'s terms replaced by ``standard``'s; its
    closures kept where they fall in the new terms, the standard's bank holidays added."""
    first, last = date(year, 9, 1), date(year + 1, 8, 31)
    terms = [t for t in working.terms if not first <= t.start <= last] + list(standard.terms)
    fresh = SchoolCalendar(tuple(standard.terms))
    kept = [
        c
        for c in working.closures
        if not first <= c.day <= last or fresh.term_on(c.day) is not None
    ]
    days = {c.day for c in kept}
    closures = kept + [c for c in standard.closures if c.day not in days]
    return SchoolCalendar(tuple(terms), tuple(closures))


def school_days_by_year(cal: SchoolCalendar) -> str:
    """ "2026/27: 190 school days" for each school year the terms cover."""
    counts: dict[int, int] = {}
    for term in cal.terms:
        year = school_year_of(term.start)
        days = cal.school_days_between(term.start, term.end) + cal.is_school_day(term.start)
        counts[year] = counts.get(year, 0) + days
    return "; ".join(f"{school_year_name(y)}: {n} school days" for y, n in sorted(counts.items()))


class SchoolCalendarDialog(QDialog):
    saved = Signal()

    def __init__(
        self, service: CalendarService, prompter: Prompter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self._year = service.school_year()
        self.setWindowTitle(TITLE)
        intro = QLabel(
            "A school day is a weekday in a term that is not a closure. The desk's "
            "overdue records, the staff statements outstanding and the reports count only "
            "school days. Half terms are the holidays between the terms.",
            self,
        )
        intro.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setWordWrap(True)
        self.terms = TermsPanel(self)
        self.closures = ClosuresPanel(self)
        self.year_choice = QComboBox(self)
        self.year_choice.setAccessibleName("School year for the standard dates")
        for year in range(self._year - 1, self._year + 3):
            self.year_choice.addItem(school_year_name(year), year)
        self.year_choice.setCurrentIndex(1)
        year_label = QLabel("School &year:", self)
        year_label.setBuddy(self.year_choice)
        self.standard_button = QPushButton("", self)
        self.summary = QLabel("", self)
        self.summary.setAccessibleName("School days in each school year")
        self.summary.setWordWrap(True)
        self.problem = QLabel("", self)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problems with the calendar")
        self.reset_button = QPushButton("Go &back to the standard dates", self)
        self.reset_button.setAccessibleName("Go back to the standard English term dates")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        standard_row = QHBoxLayout()
        standard_row.addWidget(year_label)
        standard_row.addWidget(self.year_choice)
        standard_row.addWidget(self.standard_button)
        standard_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.state)
        layout.addWidget(self.terms, 3)
        layout.addLayout(standard_row)
        layout.addWidget(self.closures, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._on_year_choice_changed()
        self._load()
        self.resize(760, 760)

    def _connect_signals(self) -> None:
        self.terms.changed.connect(self._on_panel_changed)
        self.closures.changed.connect(self._on_panel_changed)
        self.year_choice.currentIndexChanged.connect(self._on_year_choice_changed)
        self.standard_button.clicked.connect(self._on_standard_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ state

    def working(self) -> SchoolCalendar:
        """The calendar as it stands in the dialog (not saved yet)."""
        return SchoolCalendar(tuple(self.terms.terms), tuple(self.closures.closures))

    def _load(self) -> None:
        self._loaded = self._service.calendar()
        standard = self._service.is_standard()
        self.state.setText(STANDARD_TEXT if standard else OWN_TEXT)
        self.reset_button.setEnabled(not standard)
        self._show(self._loaded)

    def _show(self, cal: SchoolCalendar) -> None:
        self.terms.set_terms(list(cal.terms), cal)
        self.closures.set_closures(list(cal.closures))
        self.terms.table.clearSelection()
        self.closures.table.clearSelection()
        self._refresh()

    def _refresh(self) -> None:
        cal = self.working()
        self.terms.set_terms(self.terms.terms, cal)
        self.closures.set_closures(self.closures.closures)
        self.summary.setText(school_days_by_year(cal))
        self.problem.setText("\n".join(calendar_problems(cal)))

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_panel_changed(self) -> None:
        self._refresh()

    @Slot()
    def _on_year_choice_changed(self) -> None:
        name = school_year_name(self.chosen_year())
        self.standard_button.setText(f"&Use standard English term dates for {name}")
        self.standard_button.setAccessibleName(
            f"Use the standard English term dates for {name} in place of that year's terms"
        )

    def chosen_year(self) -> int:
        year = self.year_choice.currentData()
        return int(year) if year is not None else self._year

    @Slot()
    def _on_standard_button_clicked(self) -> None:
        year = self.chosen_year()
        self._show(replace_school_year(self.working(), self._service.standard(year), year))

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        if not self._prompter.confirm(
            TITLE,
            "Go back to the standard English term dates? The school's own terms and "
            "closures will be removed.",
            yes="Go back",
            no="Keep the school's dates",
        ):
            return
        try:
            self._service.reset_to_default()
        except IncidentRecorderError as error:
            self.problem.setText(str(error))
            return
        self._load()
        self.saved.emit()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        cal = self.working()
        if not (self._service.is_standard() and cal == self._loaded):
            try:
                self._service.save(cal)
            except IncidentRecorderError as error:
                self.problem.setText(str(error))
                return
            self.saved.emit()
        self.accept()


class SchoolCalendarActions:
    """Administration ▸ School calendar… (administrators only)."""

    def __init__(self, window: QMainWindow, service: CalendarService, prompter: Prompter) -> None:
        self._window = window
        self._service = service
        self._prompter = prompter
        self.action = QAction("School &calendar…", window)
        self.action.triggered.connect(self._on_action_triggered)
        self.dialog: SchoolCalendarDialog | None = None

    @classmethod
    def install(
        cls, window: QMainWindow, service: CalendarService, user: User, prompter: Prompter
    ) -> SchoolCalendarActions | None:
        if not user.has(Role.ADMINISTRATOR):
            return None
        actions = cls(window, service, prompter)
        admin_menu(window).addAction(actions.action)
        return actions

    @Slot()
    def _on_action_triggered(self) -> None:
        self.dialog = SchoolCalendarDialog(self._service, self._prompter, self._window)
        self.dialog.open()
