"""The behaviour support plan editor: a pupil's current plan, its earlier versions
(read-only), and Save as a new version for SENCOs and administrators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.documents import Pdf, plan_file_name
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.domain.plans import BehaviourPlan, plan_problems
from incident_recorder.services.plans import PlanService
from incident_recorder.services.session import to_local
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.plans.plan_fields import PlanFields
from incident_recorder.ui.printing import PdfPrinter, choose_pdf_path, print_pdf, write_pdf
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import heading

NO_PLAN_YET = "There is no behaviour support plan for this pupil yet."
READ_ONLY = "Only a SENCO or an administrator can change behaviour support plans."

# Asked where to save a PDF: (parent, proposed file name) -> the chosen path, or None.
FileChooser = Callable[[QWidget, str], Path | None]
SAVE_TITLE = "Save the plan as a PDF"
# The name in the printer's queue, which others may see: never the pupil's name.
PRINT_JOB = "Behaviour support plan"


def choose_pdf_file(parent: QWidget, proposed: str) -> Path | None:
    """The system's Save dialog, proposing ``proposed`` in the Documents folder."""
    return choose_pdf_path(parent, proposed, SAVE_TITLE)


def version_text(plan: BehaviourPlan, zone: str) -> str:
    start = plan.start_date.strftime("%d/%m/%Y") if plan.start_date else "—"
    review = plan.review_date.strftime("%d/%m/%Y") if plan.review_date else "—"
    saved = to_local(plan.saved_at, zone).strftime("%d/%m/%Y") if plan.saved_at else ""
    who = f" by {plan.saved_by_name}" if plan.saved_by_name else ""
    return f"Version {plan.version}: from {start}\nreview due {review}\nsaved {saved}{who}"


class PlanEditor(QDialog):
    plan_saved = Signal(int)  # the new version number

    def __init__(
        self,
        plans: PlanService,
        pupil: Pupil,
        prompter: Prompter,
        background: Background,
        parent: QWidget | None = None,
        choose_file: FileChooser = choose_pdf_file,
        print_document: PdfPrinter = print_pdf,
    ) -> None:
        super().__init__(parent)
        self._plans = plans
        self._background = background
        self._pupil = pupil
        self._prompter = prompter
        self._choose_file = choose_file
        self._print_document = print_document
        self._versions: list[BehaviourPlan] = []
        settings = plans.settings()
        self._zone = settings.school.timezone
        self.setWindowTitle(f"Behaviour support plan — {pupil.display_name}")
        self.title = heading(f"Behaviour support plan for {pupil.display_name}", 1.3, self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Which version is shown")
        self.fields = PlanFields(settings, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        self.versions_label = QLabel("Saved &versions (newest first):", self)
        self.versions = QListWidget(self)
        self.versions.setAccessibleName("Saved versions")
        self.versions_label.setBuddy(self.versions)
        self.versions.setWordWrap(True)
        self.versions.setSpacing(3)
        self.versions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions.setFixedWidth(self.fontMetrics().averageCharWidth() * 40)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.save_button = QPushButton("&Save as a new version", self)
        self.pdf_button = QPushButton("Save as P&DF…", self)
        self.pdf_button.setAccessibleName("Save the version shown as a PDF")
        self.pdf_button.setToolTip(
            "Saves the version shown as a PDF to print or share. Changes not yet saved "
            "as a new version are not included."
        )
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setAccessibleName("Print the version shown")
        self.print_button.setToolTip(
            "Prints the version shown. Changes not yet saved as a new version are not included."
        )
        self.close_button = QPushButton("Close", self)
        self.print_button.setAutoDefault(False)
        self.pdf_button.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        side = QVBoxLayout()
        side.addWidget(self.versions_label)
        side.addWidget(self.versions, 1)
        middle = QHBoxLayout()
        middle.addWidget(scroll, 1)
        middle.addLayout(side)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addWidget(self.status)
        outer.addLayout(middle, 1)
        outer.addLayout(buttons)
        writer = plans.may_write
        self.save_button.setVisible(writer)
        self.fields.set_read_only(not writer)
        self._connect_signals()
        self._load_versions()
        self.resize(1180, 820)

    def _connect_signals(self) -> None:
        self.versions.currentRowChanged.connect(self._on_versions_current_row_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)

    # ------------------------------------------------------------------ versions

    def _load_versions(self, select: int = 0) -> None:
        try:
            self._versions = self._plans.versions(self._pupil.id)
        except IncidentRecorderError as error:
            self._show_error(str(error))
            self._versions = []
        self.versions.blockSignals(True)
        self.versions.clear()
        for plan in self._versions:
            item = QListWidgetItem(version_text(plan, self._zone))
            item.setData(Qt.ItemDataRole.UserRole, plan.version)
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        if self._versions:
            self.versions.setCurrentRow(select)
            self._show_version(self._versions[select])
        else:
            self._show_new()

    def _show_new(self) -> None:
        start = BehaviourPlan(pupil_id=self._pupil.id, start_date=self._plans.local_today())
        self.pdf_button.setEnabled(False)  # nothing saved yet to print
        self.print_button.setEnabled(False)
        self.fields.load(start)
        note = "" if self._plans.may_write else f" {READ_ONLY}"
        self.status.setText(NO_PLAN_YET + note)

    def _show_version(self, plan: BehaviourPlan) -> None:
        self.fields.load(plan)
        self.pdf_button.setEnabled(True)
        self.print_button.setEnabled(True)
        current = self._versions and plan.version == self._versions[0].version
        which = "the current plan" if current else "an earlier version, kept for the record"
        text = f"Showing version {plan.version}, {which}."
        if self._plans.may_write:
            text += f" Saving makes version {self._versions[0].version + 1}."
        else:
            text += f" {READ_ONLY}"
        self.status.setText(text)

    @Slot(int)
    def _on_versions_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._versions):
            self._show_version(self._versions[row])

    # ------------------------------------------------------------------ saving

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    @Slot()
    def _on_save_button_clicked(self) -> None:
        plan = self.fields.plan(self._pupil.id)
        problems = self.fields.date_problems() or plan_problems(plan)
        if problems:
            self._show_error(" ".join(problems))
            return
        try:
            saved = self._plans.save(plan)
        except IncidentRecorderError as error:
            self._show_error(str(error))
            return
        self._show_error("")
        self._load_versions()
        self._prompter.inform(
            "Plan saved",
            f"Version {saved.version} of {self._pupil.display_name}'s behaviour support plan "
            "is saved. Earlier versions are kept.",
        )
        self.plan_saved.emit(saved.version)

    # ------------------------------------------------------------------ PDF

    def shown_version(self) -> BehaviourPlan | None:
        row = self.versions.currentRow()
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def _plan_pdf(self, plan: BehaviourPlan) -> Pdf:
        """The plan's PDF, made on a worker thread (the window keeps painting)."""
        task = Task("making the plan's PDF", lambda services, _p: services.plans.plan_pdf(plan))
        return self._background.call(task)

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        plan = self.shown_version()
        if plan is None:
            return
        path = self._choose_file(self, plan_file_name(plan.version))
        if path is None:
            return
        try:
            made = self._plan_pdf(plan)
            # Audited before the file is written: the log may over-report, never under.
            self._plans.plan_printed(self._pupil.id, plan.version, "saved as PDF")
            write_pdf(path, made.data)
        except IncidentRecorderError as error:
            self._show_error(str(error))
            return
        self._show_error("")
        self._prompter.inform(
            "PDF saved", f"Version {plan.version} of the plan is saved as {path.name}."
        )

    @Slot()
    def _on_print_button_clicked(self) -> None:
        plan = self.shown_version()
        if plan is None:
            return

        def audit() -> None:
            # Once the Print dialog is accepted, before anything reaches the printer.
            self._plans.plan_printed(self._pupil.id, plan.version, "printed")

        try:
            made = self._plan_pdf(plan)
            self._print_document(made.data, self, PRINT_JOB, before_printing=audit)
        except IncidentRecorderError as error:
            self._show_error(str(error))
            return
        self._show_error("")

    @Slot()
    def _on_close_button_clicked(self) -> None:
        self.accept()
