"""The letter to parents and carers for one record: the copies (one per home), any
warnings to check first, Preview / Print / Save as PDF, and the letters made so far.

Each copy is made once by the letter service and kept in memory, so the hash the
service records for a preview, print or save is the hash of exactly the bytes shown,
printed or saved. Nothing is written to disk except a PDF the user chooses to save.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.documents import DocumentOutput, OutputHow, Pdf
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.letter_draft import LetterDraft
from incident_recorder.domain.parents_copy import CopyHow
from incident_recorder.services.letters import LetterService
from incident_recorder.services.session import to_local
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.printing import (
    PdfNotSaved,
    PdfPrinter,
    choose_pdf_path,
    print_pdf,
    write_pdf,
)
from incident_recorder.ui.prompter import Prompter

FileChooser = Callable[[QWidget, str], Path | None]
TITLE = "Letter to parents and carers"
CONFIRM = "I have checked: make the letter anyway"
ENCLOSE = "&Enclose the copy of the record for parents"
WENT_OUT = "Did it go out to the parents?"
# The answers to WENT_OUT, in order; the last means not yet (nothing is recorded).
WENT_OUT_OPTIONS = [
    "Yes: posted with the letter",
    "Yes: handed to the parent or carer",
    "Yes: emailed from the school's own email system",
    "Not yet",
]
_WENT_OUT_HOW = (CopyHow.POSTED, CopyHow.HANDED, CopyHow.EMAILED)


def _choose(parent: QWidget, proposed: str) -> Path | None:
    return choose_pdf_path(parent, proposed, "Save the letter as PDF")


@contextmanager
def busy() -> Iterator[None]:
    """The busy cursor while a letter is rendered (about a fifth of a second)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class LetterDialog(QDialog):
    def __init__(
        self,
        service: LetterService,
        draft: LetterDraft,
        prompter: Prompter,
        background: Background,
        zone: str = "Europe/London",
        parent: QWidget | None = None,
        *,
        printer: PdfPrinter = print_pdf,
        choose_file: FileChooser = _choose,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self.draft = draft
        self._prompter = prompter
        self._zone = zone
        self._print = printer
        self._choose_file = choose_file
        self._pdfs: dict[int, Pdf] = {}
        self._checked = not draft.warnings
        self.setWindowTitle(f"{TITLE} — {draft.reference}")
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Check before making the letter")
        self.warnings.setStyleSheet(
            "background:#fff4ce; border:1px solid #c19c00; padding:8px; color:#3b2f00"
        )
        self.copies = QListWidget()
        self.copies.setAccessibleName("Copies of the letter")
        self.all_copies = QCheckBox("&All copies")
        self.all_copies.setAccessibleName("Print or save all copies")
        # Issue 13: the written record goes to the parents; on by default.
        self.enclose = QCheckBox(ENCLOSE)
        self.enclose.setAccessibleName("Enclose the copy of the record for parents")
        self.enclose.setChecked(True)
        self.enclose.setToolTip(
            "Print or save the copy of the record for parents with each letter. It counts "
            "as supplied once you confirm it went out."
        )
        self._enclosure: Pdf | None = None
        self.preview_button = QPushButton("Pre&view…")
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as PDF…")
        self.close_button = QPushButton("Close")
        self.made = QListWidget()
        self.made.setAccessibleName("Letters made so far")
        self._layout()
        self._fill()
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self.resize(640, 520)

    def _layout(self) -> None:
        intro = QLabel(
            f"A copy goes to each parent or carer with parental responsibility who receives "
            f"letters, one for each home. Record {escape(self.draft.reference)}."
        )
        intro.setWordWrap(True)
        copies_label = QLabel("&Copies:")
        copies_label.setBuddy(self.copies)
        made_label = QLabel("&Made so far:")
        made_label.setBuddy(self.made)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addWidget(self.all_copies)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warnings)
        layout.addWidget(copies_label)
        self.copies.setMaximumHeight(110)
        layout.addWidget(self.copies)
        layout.addWidget(self.enclose)
        layout.addLayout(buttons)
        layout.addWidget(made_label)
        layout.addWidget(self.made, 1)
        # The keyboard follows the eye: the copies, the enclosure, then the buttons.
        QWidget.setTabOrder(self.copies, self.enclose)
        QWidget.setTabOrder(self.enclose, self.preview_button)

    def _fill(self) -> None:
        draft = self.draft
        if draft.warnings:
            items = "".join(f"<li>{escape(w)}</li>" for w in draft.warnings)
            self.warnings.setText(f"<b>Please check before making the letter:</b><ul>{items}</ul>")
        self.warnings.setVisible(bool(draft.warnings))
        for index in range(len(draft.copies)):
            self.copies.addItem(draft.copy_label(index))
        self.copies.setCurrentRow(0)
        several = len(draft.copies) > 1
        self.all_copies.setChecked(several)
        self.all_copies.setEnabled(several)
        self.refresh_made()

    def refresh_made(self) -> None:
        """The "Made so far" list, read again from the record."""
        self.made.clear()
        try:
            outputs = self._service.letters_made(self.draft.incident_id)
        except IncidentRecorderError as error:
            self.made.addItem(str(error))
            return
        for output in outputs:
            self.made.addItem(self._made_line(output))
        if not outputs:
            self.made.addItem("No letter has been made from this record yet.")

    def _made_line(self, output: DocumentOutput) -> str:
        when = to_local(output.at, self._zone).strftime("%d/%m/%Y %H:%M") if output.at else ""
        who = output.by_name or "someone"
        return f"{when} · {output.how.label} by {who} · to {output.recipient}"

    # ------------------------------------------------------------------ making

    def _chosen(self, all_allowed: bool = True) -> list[int]:
        if all_allowed and self.all_copies.isChecked():
            return list(range(len(self.draft.copies)))
        return [max(0, self.copies.currentRow())]

    def _confirmed(self) -> bool:
        if not self._checked:
            text = "\n\n".join(self.draft.warnings)
            self._checked = self._prompter.confirm(TITLE, text, yes=CONFIRM, no="Go back")
        return self._checked

    def copy_pdf(self, index: int) -> Pdf:
        """Copy ``index`` (from 0) as the service made it, once (on a worker thread:
        the window keeps painting meanwhile)."""
        if index not in self._pdfs:
            draft = self.draft
            task = Task(
                "making the letter",
                lambda services, _progress: services.letters.render(draft, index),
            )
            with busy():
                self._pdfs[index] = self._background.call(task)
        return self._pdfs[index]

    def pdf(self, index: int) -> bytes:
        """Copy ``index`` (from 0) as PDF bytes."""
        return self.copy_pdf(index).data

    def enclosure_pdf(self) -> Pdf:
        """The copy of the record for parents, made once (on a worker thread)."""
        if self._enclosure is None:
            draft = self.draft
            task = Task(
                "making the copy of the record",
                lambda services, _progress: services.letters.render_enclosure(draft),
            )
            with busy():
                self._enclosure = self._background.call(task)
        return self._enclosure

    def ask_went_out(self, indexes: list[int]) -> bool:
        """After printing or saving letters with the record enclosed: did they go out?
        Only a yes counts as supplied (and as the letter sent)."""
        if not indexes:
            return False
        answer = self._prompter.choose(
            "The letter and the record",
            f"{WENT_OUT} The letter and the copy of the record for "
            f"{', '.join(self.draft.copies[i].recipient.addressee for i in indexes)}.\n\n"
            "Answer once they have gone: printing or saving alone does not count as "
            "supplied.",
            WENT_OUT_OPTIONS,
        )
        if answer is None or answer >= len(_WENT_OUT_HOW):
            return False
        try:
            self._service.confirm_sent_together(self.draft, indexes, _WENT_OUT_HOW[answer])
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
            return False
        return True

    def _record(self, index: int, how: OutputHow) -> None:
        self._service.record(self.draft, index, how, self.copy_pdf(index))

    def _job_name(self, index: int) -> str:
        return f"Letter {self.draft.reference} copy {index + 1}"  # no names: queues are shared

    def preview(self, index: int) -> QDialog | None:
        """Show copy ``index`` as it will print (recorded as previewed)."""
        if not self._confirmed():
            return None
        from incident_recorder.ui.pdf_preview import PdfPreviewDialog

        try:
            self._record(index, OutputHow.PREVIEWED)
            dialog = PdfPreviewDialog(self.pdf(index), f"{TITLE} — copy {index + 1}", self)
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
            return None
        finally:
            self.refresh_made()
        dialog.print_requested.connect(lambda: self.print_copies([index]))
        dialog.save_requested.connect(lambda: self.save_copies([index]))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def print_copies(self, indexes: list[int]) -> int:
        """Print the copies (one Print dialog each); how many were printed."""
        if not self._confirmed():
            return 0
        printed: list[int] = []
        enclose = self.enclose.isChecked()
        try:
            for index in indexes:

                def before(index: int = index) -> None:
                    self._record(index, OutputHow.PRINTED)

                if not self._print(
                    self.pdf(index), self, self._job_name(index), before_printing=before
                ):
                    break
                if enclose:
                    record = self.enclosure_pdf()

                    def before_record(record: Pdf = record) -> None:
                        self._service.record_enclosure(self.draft, OutputHow.PRINTED, record)

                    job = f"Record {self.draft.reference} for parents, copy {index + 1}"
                    if not self._print(record.data, self, job, before_printing=before_record):
                        break
                printed.append(index)
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
        finally:
            self.refresh_made()
        if enclose:
            self.ask_went_out(printed)
        return len(printed)

    def save_copies(self, indexes: list[int]) -> list[Path]:
        """Ask where to save each copy and write it (recorded as saved)."""
        if not self._confirmed():
            return []
        saved: list[Path] = []
        done: list[int] = []
        enclose = self.enclose.isChecked()
        try:
            for index in indexes:
                made = self.copy_pdf(index)
                path = self._choose_file(self, made.file_name)
                if path is None:
                    break
                write_pdf(path, made.data)
                self._record(index, OutputHow.SAVED)
                saved.append(path)
                if enclose:
                    record = self.enclosure_pdf()
                    record_path = self._choose_file(self, record.file_name)
                    if record_path is None:
                        break
                    write_pdf(record_path, record.data)
                    self._service.record_enclosure(self.draft, OutputHow.SAVED, record)
                    saved.append(record_path)
                done.append(index)
        except (PdfNotSaved, IncidentRecorderError) as error:
            self._prompter.warn(TITLE, str(error))
        finally:
            self.refresh_made()
        if saved:
            where = "\n".join(str(p) for p in saved)
            self._prompter.inform("Letter saved", f"Saved:\n{where}")
        if enclose:
            self.ask_went_out(done)
        return saved

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_preview_button_clicked(self) -> None:
        self.preview(self._chosen(all_allowed=False)[0])

    @Slot()
    def _on_print_button_clicked(self) -> None:
        self.print_copies(self._chosen())

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self.save_copies(self._chosen())
