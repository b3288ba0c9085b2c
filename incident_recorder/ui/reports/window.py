"""The Reports screen (Safeguarding leads and Senior leaders): choose a period, press
Show figures, and read the Summary, Compliance, Patterns and Disproportionality pages;
the Governors' report page makes the governors' PDF; "Export data for the local
authority or trust…" saves the anonymised CSV.

The figures are worked out on a worker thread with its own connection (Background),
the window staying responsive and saying so; asking again before an answer arrives
makes the earlier answer stale, and a stale answer is never shown."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.bundle import Services
from incident_recorder.services.ports import Progress
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.reports.disproportionality import DisproportionalityTab
from incident_recorder.ui.reports.files import (
    ChoosePath,
    PrintPdf,
    SaveFile,
    choose_csv_path,
    print_pdf,
    save_pdf,
)
from incident_recorder.ui.reports.governors import GovernorsTab
from incident_recorder.ui.reports.outputs import ReportOutputs
from incident_recorder.ui.reports.patterns import PatternsTab
from incident_recorder.ui.reports.period_picker import PeriodChoices, PeriodPicker
from incident_recorder.ui.reports.port import ReportsPort, ResultLike
from incident_recorder.ui.reports.records_dialog import RecordsDialog
from incident_recorder.ui.reports.summary_tabs import ComplianceTab, SummaryTab
from incident_recorder.ui.style import message_label, show_message

WORKING = "Working out the figures…"
CHOOSE = "Choose a period and press Show figures."
ReportsOf = Callable[[Services], ReportsPort]


def reports_of(services: Services) -> ReportsPort:
    """The worker's report service (``bundle.reports``)."""
    return services.reports


class ReportsWindow(QWidget):
    def __init__(
        self,
        reports: ReportsPort,
        background: Background,
        period_choices: PeriodChoices,
        open_record: Callable[[int], object],
        prompter: Prompter,
        parent: QWidget | None = None,
        *,
        worker_reports: ReportsOf = reports_of,
        save_pdf_file: SaveFile = save_pdf,
        choose_csv: ChoosePath = choose_csv_path,
        print_file: PrintPdf = print_pdf,
        zone: str = "Europe/London",
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Reports")
        self._reports = reports
        self._background = background
        self._open_record = open_record
        self._prompter = prompter
        self._worker_reports = worker_reports
        self.result: ResultLike | None = None
        self.asked = 0  # the number of the latest request; older answers are stale
        self.working = False
        self.records_dialog: RecordsDialog | None = None
        self._current_job: object = None
        self._build(period_choices)
        self.outputs = ReportOutputs(
            self, reports, background, worker_reports, prompter,
            save_pdf_file, choose_csv, print_file,
        )  # fmt: skip
        self.outputs.zone = zone
        self._connect_signals()
        self.resize(1280, 860)
        self.outputs.show_saved()

    def _build(self, period_choices: PeriodChoices) -> None:
        self.picker = PeriodPicker(period_choices, self)
        self.show_button = QPushButton("&Show figures", self)
        self.show_button.setAccessibleName("Show the figures for the period")
        self.show_button.setDefault(True)
        self.status = QLabel(CHOOSE, self)
        self.status.setAccessibleName("Figures")
        self.status.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setAccessibleName(WORKING)
        self.busy.hide()
        self.error = message_label("error", self)
        self.tabs = QTabWidget(self)
        self.summary = SummaryTab(self)
        self.compliance = ComplianceTab(self)
        self.patterns = PatternsTab(self)
        self.disproportionality = DisproportionalityTab(self)
        self.governors = GovernorsTab(self)
        self.tabs.addTab(self.summary, "S&ummary")
        self.tabs.addTab(self.compliance, "&Compliance")
        self.tabs.addTab(self.patterns, "P&atterns")
        self.tabs.addTab(self.disproportionality, "&Disproportionality")
        self.tabs.addTab(self.governors, "&Governors' report")
        for index in range(4):
            self.tabs.setTabEnabled(index, False)
        self.tabs.setCurrentWidget(self.governors)
        self.export_button = QPushButton("E&xport data for the local authority or trust…", self)
        self.export_button.setAccessibleName("Export data for the local authority or trust")
        self.close_button = QPushButton("Close", self)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.show_button)
        status = QHBoxLayout()
        status.addWidget(self.status, 1)
        status.addWidget(self.busy)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._close_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    def _connect_signals(self) -> None:
        self.show_button.clicked.connect(self._on_show_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.compliance.records_wanted.connect(self.show_records)
        self.patterns.records_wanted.connect(self.show_records)
        self.governors.make_requested.connect(self._on_make_requested)
        self.governors.print_again_requested.connect(self.outputs.print_again)
        self.governors.save_again_requested.connect(self.outputs.save_again)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.picker.changed.connect(self._on_picker_changed)
        for edit in (self.picker.from_date.edit, self.picker.to_date.edit):
            edit.returnPressed.connect(self._on_show_button_clicked)

    # ------------------------------------------------------------------ the figures

    def show_figures(self) -> bool:
        """Ask for the chosen period's figures; False (and why) if the dates are wrong."""
        period = self.picker.period()
        if period is None:
            show_message(self.error, self.picker.problem)
            return False
        show_message(self.error, "")
        self.asked += 1
        token = self.asked
        worker_reports = self._worker_reports

        def work(services: Services, progress: Progress) -> ResultLike:
            return worker_reports(services).compute(period, progress=progress)

        try:
            job = self._background.run(
                Task(
                    "working out the figures",
                    work,
                    on_done=partial(self._on_computed, token),
                    on_failed=partial(self._on_compute_failed, token),
                    quiet=True,  # the window says so itself, and stays usable
                )
            )
        except IncidentRecorderError as error:
            show_message(self.error, str(error))
            return False
        self._current_job = job
        job.progressed.connect(self._on_job_progressed)  # queued to this window's thread
        self.working = True
        self.status.setText(f"{WORKING} ({period.label})")
        self.busy.show()
        return True

    @Slot(int, int, str)
    def _on_job_progressed(self, _done: int, _total: int, text: str) -> None:
        if self.sender() is self._current_job and text:
            self.status.setText(f"{text}…")

    def _on_computed(self, token: int, result: ResultLike) -> None:
        if token != self.asked:
            return  # a newer request is on its way
        self._finish()
        first = self.result is None
        self.result = result
        report, published = result.report, result.published
        for page in (self.summary, self.compliance, self.patterns, self.disproportionality):
            page.show_report(report, published)
        for index in range(4):
            self.tabs.setTabEnabled(index, True)
        if first:
            self.tabs.setCurrentWidget(self.summary)
        self.status.setText(f"Figures for {report.period.label}.")
        self.governors.ready_for(report.period.label)

    def _on_compute_failed(self, token: int, error: IncidentRecorderError) -> None:
        if token != self.asked:
            return
        self._finish()
        self.status.setText(CHOOSE)
        show_message(self.error, str(error))

    def _finish(self) -> None:
        self.working = False
        self.busy.hide()

    def show_records(self, title: str, references: object) -> RecordsDialog | None:
        refs = tuple(cast(tuple[str, ...], references))
        if not refs:
            self._prompter.inform("No records", f"There are no records behind “{title}”.")
            return None
        try:
            records = self._reports.records_behind(refs)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not open the records", str(error))
            return None
        dialog = RecordsDialog(title, records, len(refs), self._open_record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.records_dialog = dialog
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_show_button_clicked(self) -> None:
        self.show_figures()

    @Slot()
    def _on_picker_changed(self) -> None:
        if self.error.isVisible():
            show_message(self.error, "")

    @Slot()
    def _on_make_requested(self) -> None:
        if self.result is not None:
            self.outputs.make_governors_report(self.result, self.governors.texts())

    @Slot()
    def _on_export_button_clicked(self) -> None:
        period = self.picker.period()
        if period is None:
            show_message(self.error, self.picker.problem)
            return
        self.outputs.export(period)
