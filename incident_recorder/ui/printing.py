"""Printing and saving the app's PDFs, straight from memory.

A document (plan, pupil summary, letter) is PDF bytes from ``incident_recorder.documents``.
``print_pdf`` loads them with QtPdf from a ``QBuffer`` (never a temporary file, which
would leave a child's details on disk) and paints each page on the printer.
``save_pdf_as`` asks where to save and writes the file atomically.
``PdfPreviewDialog`` (ui/pdf_preview.py) shows the real PDF before printing or saving.

QtPdf is imported inside the functions, never when this module is imported, so that it
stays off the start-up path. Failures raise ``PrintingFailed`` or ``PdfNotSaved``
(IncidentRecorderError subclasses, whose text is a plain message for the user); only
``save_pdf_as`` shows its failure itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from incident_recorder.domain.errors import FileNotWritten, IncidentRecorderError
from incident_recorder.infra.files import write_private
from incident_recorder.ui.prompter import Prompter, QtPrompter

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

# Pages are drawn as pictures: 300 dots per inch prints text crisply, and a page at the
# printer's full 1,200 dpi would take over 500 MB of memory.
MAX_DPI = 300
PDF_FILTER = "PDF files (*.pdf)"


class PrintingFailed(IncidentRecorderError):
    """The document could not be printed; the text says so plainly."""


class PdfNotSaved(IncidentRecorderError):
    """The PDF could not be written where the user asked."""


class PdfPrinter(Protocol):
    """``print_pdf``'s shape, so that windows can be given a printer to use in tests."""

    def __call__(
        self,
        data: bytes,
        parent: QWidget,
        job_name: str,
        *,
        before_printing: Callable[[], None] | None = None,
    ) -> bool: ...


# ------------------------------------------------------------------ loading


class LoadedPdf:
    """A PDF read from memory: the QPdfDocument and the buffer it reads from, kept
    together because the document reads the buffer for as long as it is open."""

    def __init__(self, data: bytes) -> None:
        from PySide6.QtPdf import QPdfDocument

        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document: QPdfDocument = QPdfDocument()
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready or not self.pages:
            self.close()
            raise PrintingFailed(
                "The document could not be prepared. Please try again, and tell the "
                "person who looks after the app if it happens again."
            )

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


# ------------------------------------------------------------------ printing


def _chosen_pages(printer: QPrinter, total: int) -> list[int]:
    """The 0-based pages to print: the dialog's range if one was chosen, else all."""
    first, last = 1, total
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or total, total)
    return list(range(first - 1, last))


def _on_white(page: QImage) -> QImage:
    """QtPdf leaves the paper transparent; some printer drivers print transparency as
    black, so each page is laid on white first."""
    flat = QImage(page.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, page)
    painter.end()
    return flat


def _paint(pdf: LoadedPdf, printer: QPrinter, pages: list[int]) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintingFailed(
            "The printer could not be started. Check that it is switched on and "
            "connected, then try again."
        )
    # QPrinter repeats the pages itself where the printer can; otherwise do it here.
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    dpi = min(printer.resolution(), MAX_DPI)
    try:
        for number, page in enumerate(pages * copies):
            if number and not printer.newPage():
                raise PrintingFailed("The printer stopped part-way through. Please try again.")
            size = pdf.document.pagePointSize(page)
            scale = min(area.width() / size.width(), area.height() / size.height())
            w, h = round(size.width() * scale), round(size.height() * scale)
            target = QRect((area.width() - w) // 2, (area.height() - h) // 2, w, h)
            pixels = QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
            painter.drawImage(target, _on_white(pdf.document.render(page, pixels)))
    finally:
        ended = painter.end()
    if not ended:
        raise PrintingFailed("The printer did not accept the document. Please try again.")


def print_pdf(
    data: bytes,
    parent: QWidget,
    job_name: str,
    printer: QPrinter | None = None,
    *,
    before_printing: Callable[[], None] | None = None,
) -> bool:
    """Print the PDF ``data``: True once printed, False if the user cancelled.

    Shows the system's Print dialog unless ``printer`` is given (tests pass a PDF-mode
    QPrinter). The dialog's page range and number of copies are honoured. ``job_name``
    shows in the printer's queue, which others may see: never put a pupil's name in it.
    ``before_printing`` runs once the dialog is accepted and before anything is sent to
    the printer (for the audit entry); if it raises, nothing is printed.
    Raises PrintingFailed if the document cannot be read or the printer fails."""
    pdf = LoadedPdf(data)
    try:
        chosen = printer
        if chosen is None:
            # Kept in a variable for the whole job: a temporary QPrinter crashes the
            # print dialogs (STACK.md).
            chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(chosen, parent)
            dialog.setWindowTitle("Print")
            dialog.setMinMax(1, pdf.pages)
            dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        chosen.setDocName(job_name)
        if before_printing is not None:
            before_printing()
        _paint(pdf, chosen, _chosen_pages(chosen, pdf.pages))
        return True
    finally:
        pdf.close()


# ------------------------------------------------------------------ saving


def documents_folder() -> Path:
    """The user's Documents folder, or their home folder if there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def choose_pdf_path(parent: QWidget, proposed: str, title: str = "Save as PDF") -> Path | None:
    """The system's Save dialog, proposing ``proposed`` in the Documents folder; the
    chosen path always ends in .pdf. None if the user cancelled."""
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(documents_folder() / proposed), PDF_FILTER
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (infra/files.write_private: a hidden file
    beside it, flushed to the disk, then renamed over it), so a full disk never leaves
    half a PDF behind. Raises PdfNotSaved with a plain reason."""
    try:
        write_private(path, data)
    except FileNotWritten as error:
        raise PdfNotSaved(
            f"The PDF could not be saved there: {error.reason}. Try another folder."
        ) from error


def save_pdf_as(
    parent: QWidget,
    data: bytes,
    proposed: str,
    title: str,
    prompter: Prompter | None = None,
) -> Path | None:
    """Ask where to save (proposing ``proposed`` in Documents), add .pdf if missing and
    write the file. Returns the path, or None if cancelled or the file could not be
    written (the reason is shown to the user, through ``prompter`` if given)."""
    path = choose_pdf_path(parent, proposed, title)
    if path is None:
        return None
    try:
        write_pdf(path, data)
    except PdfNotSaved as error:
        (prompter or QtPrompter(parent)).warn(title, str(error))
        return None
    return path
