"""What the Reports screen makes: the governors' report (made and kept on a worker
thread, then saved as a PDF or printed), a kept report printed or saved again, and the
anonymised data for the local authority or trust saved as a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.services.bundle import Services
from incident_recorder.services.ports import Progress
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.reports.files import ChoosePath, PrintPdf, SaveFile, write_file
from incident_recorder.ui.reports.port import ReportsPort, ResultLike, SavedLike

TITLE = "The governors' report"
EXPORT_TITLE = "Export data for the local authority or trust"
OFFER = ["Save as PDF…", "Print…", "Preview…"]


def file_stem(period: Period) -> str:
    return f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"


class ReportOutputs(QObject):
    def __init__(
        self,
        window: Any,  # the ReportsWindow (its governors page, and the parent of dialogs)
        reports: ReportsPort,
        background: Background,
        worker_reports: Callable[[Services], ReportsPort],
        prompter: Prompter,
        save_pdf_file: SaveFile,
        choose_csv: ChoosePath,
        print_file: PrintPdf,
    ) -> None:
        super().__init__(window)
        self._window: QWidget = window
        self._reports = reports
        self._background = background
        self._worker_reports = worker_reports
        self._prompter = prompter
        self._save_pdf = save_pdf_file
        self._choose_csv = choose_csv
        self._print = print_file
        self.last_saved: SavedLike | None = None
        self.preview_dialog: QWidget | None = None
        self.zone = "Europe/London"
        self.written: list[object] = []  # the paths written (for the tests and the status)

    def show_saved(self) -> None:
        try:
            saved = self._reports.saved_reports()
        except IncidentRecorderError as error:
            self._prompter.warn("Could not list the reports kept", str(error))
            return
        self._window.governors.show_saved(saved, self.zone)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ governors

    def make_governors_report(self, result: ResultLike, texts: GovernorsTexts) -> None:
        if not (texts.impact or texts.actions_taken or texts.actions_planned) and not (
            self._prompter.confirm(
                TITLE,
                "The three text boxes are empty, so the report will have figures only. "
                "Make it anyway?",
                "Make it",
                "Go back",
            )
        ):
            return
        worker_reports = self._worker_reports

        def work(services: Services, _progress: Progress) -> tuple[SavedLike, bytes]:
            made = worker_reports(services)
            saved = made.make_governors_report(result, texts)
            return saved, made.saved_pdf(saved.id)

        self._run(Task("making the governors' report", work, on_done=self._on_made))

    def _on_made(self, made: tuple[SavedLike, bytes]) -> None:
        saved, data = made
        self.last_saved = saved
        self.show_saved()
        self.offer(saved, data, f"Report number {saved.id} has been made and kept.")

    def offer(self, saved: SavedLike, data: bytes, said: str) -> None:
        choice = self._prompter.choose(
            TITLE, f"{said} Save it as a PDF, print it or look at it first?", list(OFFER)
        )
        if choice == 0:
            self._save(saved, data)
        elif choice == 1:
            self._print_pdf(saved, data)
        elif choice == 2:
            self.preview(saved, data)

    def preview(self, saved: SavedLike, data: bytes) -> None:
        """The PDF exactly as it will print, with Print… and Save as PDF… (ui/pdf_preview)."""
        from incident_recorder.ui.pdf_preview import PdfPreviewDialog

        try:
            dialog = PdfPreviewDialog(data, f"Governors' report number {saved.id}", self._window)
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.print_requested.connect(partial(self._print_pdf, saved, data))
        dialog.save_requested.connect(partial(self._save, saved, data))
        self.preview_dialog = dialog
        dialog.show()

    def _save(self, saved: SavedLike, data: bytes) -> None:
        name = f"Governors' report {file_stem(saved.period)} (number {saved.id}).pdf"
        path = self._save_pdf(
            self._window, data, name, "Save the governors' report", self._prompter
        )
        if path is not None:
            self.written.append(path)

    def _print_pdf(self, saved: SavedLike, data: bytes) -> None:
        try:
            self._print(data, self._window, f"Governors' report number {saved.id}")
        except IncidentRecorderError as error:
            self._prompter.warn("Could not print", str(error))

    def _kept(self, report_id: int) -> tuple[SavedLike, bytes] | None:
        saved = next((s for s in self._reports.saved_reports() if s.id == report_id), None)
        if saved is None:
            return None
        try:
            return saved, self._reports.saved_pdf(report_id)
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
            return None

    @Slot(int)
    def print_again(self, report_id: int) -> None:
        kept = self._kept(report_id)
        if kept is not None:
            self._print_pdf(*kept)

    @Slot(int)
    def save_again(self, report_id: int) -> None:
        kept = self._kept(report_id)
        if kept is not None:
            self._save(*kept)

    # ------------------------------------------------------------------ export

    def export(self, period: Period) -> None:
        """Ask where to save first, then make the export (audited) and write it."""
        name = f"Incident data {file_stem(period)}.csv"
        path = self._choose_csv(self._window, name, EXPORT_TITLE)
        if path is None:
            return
        worker_reports = self._worker_reports

        def work(services: Services, _progress: Progress) -> bytes:
            return worker_reports(services).export_csv(period)

        def done(data: bytes) -> None:
            if write_file(path, data, EXPORT_TITLE, self._prompter):
                self.written.append(path)
                self._prompter.inform(
                    EXPORT_TITLE,
                    f"Saved to {path}. It holds no names, UPNs or written accounts; each "
                    "pupil has a key made new for this export.",
                )

        self._run(Task("preparing the data for the local authority or trust", work, done))

    def _run(self, task: Task[Any]) -> None:
        try:
            self._background.run(task)
        except IncidentRecorderError as error:
            self._prompter.warn(task.what[:1].upper() + task.what[1:], str(error))
