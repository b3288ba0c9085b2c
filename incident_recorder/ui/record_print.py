"""Print record… in the record view: choose the full record or the copy for parents,
see the real PDF, then print it or save it as a PDF.

Each preview, print and save is kept with the record (``RecordDocumentService.record``:
stored and audited with the SHA-256 of exactly the bytes shown), so
the school can say later what was handed out. Nothing is written to disk unless the
user saves, and the proposed file name carries the reference, never a pupil's name.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.documents import OutputHow, Pdf
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentStatus, ParentsStatus
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.pdf_preview import PdfPreviewDialog
from incident_recorder.ui.printing import print_pdf, save_pdf_as
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView

FULL_CHOICE = "&Full record (for the pupil file, the local authority or a tribunal)"
PARENTS_CHOICE = "Copy for &parents (leaves out other pupils' names and staff-only fields)"
WITHHELD_REASON = (
    "There is no copy for parents: this record says telling parents was withheld "
    "for the pupil's safety."
)


class RecordCopyChooser(QDialog):
    """Which copy to print. The parents' copy is greyed out, with the reason, when
    telling parents was withheld."""

    def __init__(self, reference: str, withheld: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Print record {reference}")
        intro = QLabel("Which copy would you like?", self)
        self.full = QRadioButton(FULL_CHOICE, self)
        self.parents = QRadioButton(PARENTS_CHOICE, self)
        self.full.setAccessibleName("Full record")
        self.parents.setAccessibleName("Copy for parents")
        self.group = QButtonGroup(self)
        self.group.addButton(self.full)
        self.group.addButton(self.parents)
        self.full.setChecked(True)
        self.reason = QLabel(WITHHELD_REASON if withheld else "", self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(withheld)
        self.parents.setEnabled(not withheld)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Show the PDF…")
        layout = QVBoxLayout(self)
        for widget in (intro, self.full, self.parents, self.reason, self.buttons):
            layout.addWidget(widget)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def for_parents(self) -> bool:
        return self.parents.isChecked() and self.parents.isEnabled()


class RecordPrinting(QObject):
    """The Print record… button of one record view and the windows it opens."""

    def __init__(
        self,
        view: RecordView,
        service: RecordDocumentService,
        prompter: Prompter,
        background: Background,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._service = service
        self._background = background
        self._prompter = prompter
        self.printer: QPrinter | None = None  # tests give a PDF-mode printer
        self.button = QPushButton("&Print record…", view)
        self.button.setAccessibleName("Print the record or save it as a PDF")
        self.chooser: RecordCopyChooser | None = None
        self.preview: PdfPreviewDialog | None = None
        self._made: Pdf | None = None
        self._for_parents = False
        view.add_action_button(self.button)
        self.button.clicked.connect(self._on_button_clicked)
        view.record_reloaded.connect(self._on_view_record_reloaded)
        self._on_view_record_reloaded(view.incident_id)

    @classmethod
    def installer(
        cls, service: RecordDocumentService, prompter: Prompter, background: Background
    ) -> Callable[[RecordView], None]:
        """For ChildWindows.record_view_extras."""

        def install(view: RecordView) -> None:
            cls(view, service, prompter, background)

        return install

    def _reference(self) -> str:
        incident = self._view.incident
        return incident.reference or "" if incident is not None else ""

    @Slot(int)
    def _on_view_record_reloaded(self, _incident_id: int) -> None:
        incident = self._view.incident
        submitted = incident is not None and incident.status is IncidentStatus.SUBMITTED
        self.button.setVisible(submitted)

    @Slot()
    def _on_button_clicked(self) -> None:
        incident = self._view.incident
        if incident is None:
            return
        withheld = incident.details.parents.status is ParentsStatus.WITHHELD
        self.chooser = RecordCopyChooser(self._reference(), withheld, self._view)
        self.chooser.accepted.connect(self._on_chooser_accepted)
        self.chooser.open()

    @Slot()
    def _on_chooser_accepted(self) -> None:
        if self.chooser is not None:
            self.show_preview(self.chooser.for_parents())

    # ------------------------------------------------------------------ the work

    def show_preview(self, for_parents: bool) -> PdfPreviewDialog | None:
        """Make the PDF, keep that it was previewed and show it; None (after saying
        why) if it cannot be made."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            incident_id = self._view.incident_id
            made = self._background.call(
                Task(
                    "making the record's PDF",
                    lambda services, _progress: services.records.render(incident_id, for_parents),
                )
            )
            self._record(OutputHow.PREVIEWED, made, for_parents)
        except IncidentRecorderError as error:
            QGuiApplication.restoreOverrideCursor()
            self._prompter.warn("Could not make the PDF", str(error))
            return None
        QGuiApplication.restoreOverrideCursor()
        self._made, self._for_parents = made, for_parents
        copy = "copy for parents" if for_parents else "full record"
        self.preview = PdfPreviewDialog(
            made.data, f"Record {self._reference()}: {copy}", self._view
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.preview.print_requested.connect(self._on_preview_print_requested)
        self.preview.save_requested.connect(self._on_preview_save_requested)
        self.preview.open()
        return self.preview

    @property
    def shown(self) -> bytes:
        """The bytes of the copy last previewed ("" before any)."""
        return self._made.data if self._made is not None else b""

    def _record(self, how: OutputHow, made: Pdf, for_parents: bool) -> None:
        self._service.record(self._view.incident_id, for_parents, how, made)

    @Slot()
    def _on_preview_print_requested(self) -> None:
        made, for_parents = self._made, self._for_parents
        if made is None:
            return
        try:
            print_pdf(
                made.data,
                self.preview or self._view,
                f"Record {self._reference()}",
                self.printer,
                before_printing=lambda: self._record(OutputHow.PRINTED, made, for_parents),
            )
        except IncidentRecorderError as error:
            self._prompter.warn("Could not print", str(error))

    @Slot()
    def _on_preview_save_requested(self) -> None:
        made, for_parents = self._made, self._for_parents
        if made is None:
            return
        path = save_pdf_as(self.preview or self._view, made.data, made.file_name, "Save as PDF")
        if path is None:
            return
        try:
            self._record(OutputHow.SAVED, made, for_parents)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not keep a note of the saved copy", str(error))
