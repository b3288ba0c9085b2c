"""Printing and saving PDFs from memory (ui/printing.py), the preview window
(ui/pdf_preview.py) and Print… in the plan editor. No printers exist here: printing goes
to a PDF-mode QPrinter writing into tmp_path. Everyone named here is fictional."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from incident_recorder.domain.model import Pupil
from incident_recorder.services.plans import PlanService
from incident_recorder.services.session import Session
from incident_recorder.ui.pdf_preview import PdfPreviewDialog
from incident_recorder.ui.plans.plan_editor import PlanEditor
from incident_recorder.ui.printing import (
    LoadedPdf,
    PrintingFailed,
    print_pdf,
    save_pdf_as,
)
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import RENDERER
from tests.gui.form_support import background_for
from tests.gui.test_plans import save_plan

REPO = Path(__file__).resolve().parents[2]


def pages_pdf(*texts: str) -> bytes:
    """A PDF with one page per text, made with reportlab like the app's documents."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from incident_recorder.documents.fonts import FAMILY, register_fonts

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for text in texts:
        canvas.setFont(FAMILY, 28)
        canvas.drawString(72, 700, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def pdf_printer(target: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(150)  # keeps the test quick; the drawing is the same
    return printer


def printed_pages(target: Path) -> int:
    return len(PdfReader(io.BytesIO(target.read_bytes())).pages)


def ink(target: Path, page: int) -> int:
    """How many pixels of a printed page are not white, seen at 150 by 212 pixels."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor

    from incident_recorder.ui.printing import LoadedPdf

    pdf = LoadedPdf(target.read_bytes())
    try:
        image = pdf.document.render(page, QSize(150, 212))
    finally:
        pdf.close()
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 0
        and QColor(image.pixel(x, y)).lightness() < 200
    )


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


TWO_PAGES = pages_pdf("First page for Zoë Łukasiewicz", "Second page")


# ------------------------------------------------------------------ print_pdf


def test_every_page_is_printed_from_memory(parent: QWidget, tmp_path: Path) -> None:
    target = tmp_path / "printed.pdf"
    before = sorted(tmp_path.iterdir())
    printer = pdf_printer(target)
    assert print_pdf(TWO_PAGES, parent, "Behaviour support plan", printer) is True
    assert printed_pages(target) == 2
    assert printer.docName() == "Behaviour support plan"
    assert sorted(tmp_path.iterdir()) == [*before, target]  # no temporary copies


def test_the_printed_pages_carry_the_documents_content(parent: QWidget, tmp_path: Path) -> None:
    # The pages are printed as pictures: look at them rather than read the words.
    target = tmp_path / "printed.pdf"
    print_pdf(pages_pdf("Page one", ""), parent, "Letter", pdf_printer(target))
    assert ink(target, 0) > 20  # the words are there
    assert ink(target, 1) == 0  # the blank page stays blank


def test_the_chosen_page_range_is_honoured(parent: QWidget, tmp_path: Path) -> None:
    target = tmp_path / "printed.pdf"
    printer = pdf_printer(target)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf(pages_pdf("One", "Two", "Three"), parent, "Letter", printer)
    assert printed_pages(target) == 1


def test_cancelling_the_print_dialog_prints_nothing_and_skips_the_audit(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[int, int]] = []

    def cancel(dialog: QPrintDialog) -> int:
        shown.append((dialog.minPage(), dialog.maxPage()))
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintDialog, "exec", cancel)
    audited: list[str] = []
    result = print_pdf(TWO_PAGES, parent, "Letter", before_printing=lambda: audited.append("x"))
    assert result is False
    assert shown == [(1, 2)]  # the dialog offered the document's two pages
    assert audited == []


def test_what_is_not_a_pdf_is_refused_with_a_plain_message(parent: QWidget, tmp_path: Path) -> None:
    target = tmp_path / "printed.pdf"
    with pytest.raises(PrintingFailed, match="could not be prepared"):
        print_pdf(b"not a PDF at all", parent, "Letter", pdf_printer(target))
    assert not target.exists()


def test_a_failing_audit_stops_the_printing(parent: QWidget, tmp_path: Path) -> None:
    target = tmp_path / "printed.pdf"

    def refuse() -> None:
        raise PrintingFailed("The audit log could not be written.")

    with pytest.raises(PrintingFailed):
        print_pdf(TWO_PAGES, parent, "Letter", pdf_printer(target), before_printing=refuse)
    assert not target.exists()


# ------------------------------------------------------------------ save_pdf_as


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, answer: str) -> list[str]:
    proposed: list[str] = []

    def fake(_parent: QWidget, _title: str, where: str, _filter: str) -> tuple[str, str]:
        proposed.append(where)
        return answer, "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return proposed


def test_save_as_writes_the_bytes_and_adds_pdf(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposed = answer_save_dialog(monkeypatch, str(tmp_path / "summary for meeting"))
    path = save_pdf_as(parent, TWO_PAGES, "pupil-summary-2026-11-23.pdf", "Save the summary")
    assert path == tmp_path / "summary for meeting.pdf"
    assert path.read_bytes() == TWO_PAGES
    assert Path(proposed[0]).name == "pupil-summary-2026-11-23.pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["summary for meeting.pdf"]


def test_cancelling_save_as_writes_nothing(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_save_dialog(monkeypatch, "")
    assert save_pdf_as(parent, TWO_PAGES, "letter.pdf", "Save the letter") is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_folder_is_explained(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "read only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        answer_save_dialog(monkeypatch, str(folder / "letter.pdf"))
        prompter = ScriptedPrompter()
        assert save_pdf_as(parent, TWO_PAGES, "letter.pdf", "Save", prompter) is None
        assert "could not be saved there" in prompter.asked[0][2]
    finally:
        folder.chmod(0o700)


def test_a_folder_that_does_not_exist_is_explained_and_nothing_is_left(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_save_dialog(monkeypatch, str(tmp_path / "gone" / "letter.pdf"))
    prompter = ScriptedPrompter()
    assert save_pdf_as(parent, TWO_PAGES, "letter.pdf", "Save the letter", prompter) is None
    kind, title, text = prompter.asked[0]
    assert (kind, title) == ("warn", "Save the letter")
    assert text.startswith("The PDF could not be saved there:")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ the preview window


def test_the_preview_shows_every_page_and_moves_between_them(qtbot: QtBot) -> None:
    dialog = PdfPreviewDialog(pages_pdf("One", "Two", "Three"), "Letter to parents")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() == 3
    assert dialog.page_label.text() == "Page 1 of 3"
    assert not dialog.previous_button.isEnabled()
    dialog.next_button.click()
    assert dialog.page_label.text() == "Page 2 of 3"
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.page_label.text() == "Page 3 of 3"
    assert not dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    assert dialog.current_page() == 1
    dialog.zoom.setCurrentText("200%")
    assert dialog.view.zoomFactor() == 2.0


def test_the_preview_buttons_say_what_was_asked(qtbot: QtBot) -> None:
    dialog = PdfPreviewDialog(TWO_PAGES, "Pupil summary")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.print_requested, timeout=500):
        dialog.print_button.click()
    with qtbot.waitSignal(dialog.save_requested, timeout=500):
        dialog.save_button.click()
    for widget in (dialog.view, dialog.zoom, dialog.print_button, dialog.save_button):
        assert widget.accessibleName()
    assert dialog.zoom_label.buddy() is dialog.zoom
    dialog.close_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted.value


def test_a_pdf_is_read_from_memory_and_a_broken_one_refused() -> None:
    loaded = LoadedPdf(TWO_PAGES)
    assert loaded.pages == 2
    loaded.close()
    with pytest.raises(PrintingFailed):
        LoadedPdf(b"%PDF-1.4 broken")


# ------------------------------------------------------------------ the plan editor


def test_printing_the_plan_is_audited_and_prints_the_version_shown(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    tmp_path: Path,
) -> None:
    leo = pupils["Leo Fernandes"]
    save_plan(session, leo)
    save_plan(session, leo, triggers="Changes to the timetable")
    target = tmp_path / "printed.pdf"
    printer = pdf_printer(target)
    editor = PlanEditor(
        PlanService(session, RENDERER),
        leo,
        prompter,
        background_for(session, prompter),
        print_document=partial(print_pdf, printer=printer),
    )
    qtbot.addWidget(editor)
    editor.show()
    editor.versions.setCurrentRow(1)
    editor.print_button.click()

    assert printed_pages(target) >= 1
    assert printer.docName() == "Behaviour support plan"  # never the pupil's name
    entry = session.store.audit.entries()[0]
    assert (entry.action, entry.detail) == (
        "plan_print",
        f"pupil {leo.id} plan version 1, printed",
    )
    assert not editor.error.isVisible()


def test_a_cancelled_print_is_not_audited_and_no_plan_means_no_print(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maya, zara = pupils["Maya Chen"], pupils["Zara Ahmed"]
    save_plan(session, maya)
    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: QDialog.DialogCode.Rejected.value)
    editor = PlanEditor(PlanService(session, RENDERER), maya, prompter, background_for(session))
    qtbot.addWidget(editor)
    editor.print_button.click()
    assert all(e.action != "plan_print" for e in session.store.audit.entries())

    empty = PlanEditor(PlanService(session, RENDERER), zara, prompter, background_for(session))
    qtbot.addWidget(empty)
    assert not empty.print_button.isEnabled()


# ------------------------------------------------------------------ start-up


def test_qtpdf_is_loaded_only_when_a_pdf_is_printed_or_previewed() -> None:
    probe = (
        "import json, sys\n"
        "import incident_recorder.app, incident_recorder.ui.printing\n"
        "import incident_recorder.ui.pdf_preview, incident_recorder.ui.plans.plan_editor\n"
        "print(json.dumps(sorted(m for m in sys.modules if 'QtPdf' in m)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_a_place_that_cannot_be_written_is_explained_and_left_as_it_was(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = tmp_path / "letter.pdf"
    taken.mkdir()  # a folder already has the name: the file cannot replace it
    answer_save_dialog(monkeypatch, str(taken))
    prompter = ScriptedPrompter()
    assert save_pdf_as(parent, TWO_PAGES, "letter.pdf", "Save the letter", prompter) is None
    assert "could not be saved there" in prompter.asked[0][2]
    assert taken.is_dir() and [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]
