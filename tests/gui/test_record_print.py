"""Print record… in the record view: choose a copy, see the real PDF, print or save it;
each preview, print and save is kept with the record with the hash of exactly the bytes.
No printers exist here: printing goes to a PDF-mode QPrinter. Everyone is fictional."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtPrintSupport import QPrinter

from incident_recorder.domain.documents import DocumentKind, OutputHow
from incident_recorder.domain.model import Incident, ParentsContact, ParentsStatus
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_print import RecordCopyChooser, RecordPrinting
from incident_recorder.ui.record_view import RecordView
from tests.fakes import RENDERER
from tests.gui.form_support import background_for

Submit = Callable[..., Incident]


@pytest.fixture
def printing(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> Callable[[int], RecordPrinting]:
    def make(incident_id: int) -> RecordPrinting:
        view = RecordView(incidents, directory, incident_id, prompter, "Europe/London")
        qtbot.addWidget(view)
        RecordPrinting.installer(
            RecordDocumentService(session, RENDERER), prompter, background_for(session, prompter)
        )(view)
        view.show()
        found = view.findChild(RecordPrinting)
        assert isinstance(found, RecordPrinting)
        return found

    return make


def withheld(record: Incident) -> ParentsContact:
    return dataclasses.replace(
        record.details.parents,
        status=ParentsStatus.WITHHELD,
        withheld_reason="Telling the family could put the pupil at risk.",
        withheld_decided_by="Siân Griffiths",
        la_told_at=datetime(2026, 3, 20, 14, 0),
        la_told_who="Children's services duty desk",
    )


def test_the_preview_shows_the_pdf_and_is_kept_with_its_hash(
    qtbot: QtBot,
    printing: Callable[[int], RecordPrinting],
    submit_record: Submit,
    session: Session,
) -> None:
    record = submit_record("Leo Fernandes")
    extra = printing(record.id)
    assert extra.button.isVisible()
    preview = extra.show_preview(for_parents=True)
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.page_count() >= 1
    outputs = session.store.documents.outputs_for(record.id)
    assert [(o.kind, o.how) for o in outputs] == [
        (DocumentKind.RECORD_FOR_PARENTS, OutputHow.PREVIEWED)
    ]
    assert outputs[0].sha256 == hashlib.sha256(extra.shown).hexdigest()
    assert outputs[0].pages == preview.page_count()
    # The next copy lists it under "Letters and documents produced".
    again = RecordDocumentService(session, RENDERER).build(record.id, for_parents=False)
    [produced] = [s for s in again.later_sections if s.heading == "Letters and documents produced"]
    assert "Copy of the record for parents: previewed" in produced.rows[0][1]


def test_printing_and_saving_are_kept_too(
    qtbot: QtBot,
    printing: Callable[[int], RecordPrinting],
    submit_record: Submit,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = submit_record("Maya Chen")
    extra = printing(record.id)
    preview = extra.show_preview(for_parents=False)
    assert preview is not None
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    extra.printer = printer
    preview.print_button.click()
    saved = tmp_path / "chosen.pdf"
    proposed: list[str] = []

    def choose(parent: object, name: str, title: str = "") -> Path:
        proposed.append(name)
        return saved

    monkeypatch.setattr("incident_recorder.ui.printing.choose_pdf_path", choose)
    preview.save_button.click()
    assert proposed == [f"record-{record.reference}.pdf"]
    assert saved.read_bytes() == extra.shown
    outputs = session.store.documents.outputs_for(record.id)
    assert [o.how for o in outputs] == [OutputHow.PREVIEWED, OutputHow.PRINTED, OutputHow.SAVED]
    assert {o.kind for o in outputs} == {DocumentKind.RECORD}
    assert {o.sha256 for o in outputs} == {hashlib.sha256(saved.read_bytes()).hexdigest()}


def test_no_parents_copy_when_telling_parents_was_withheld(
    qtbot: QtBot,
    printing: Callable[[int], RecordPrinting],
    submit_record: Submit,
    session: Session,
    prompter: ScriptedPrompter,
) -> None:
    first = submit_record("Oliver Bennett")
    record = submit_record("Oliver Bennett", parents=withheld(first))
    chooser = RecordCopyChooser(record.reference or "", withheld=True)
    qtbot.addWidget(chooser)
    assert not chooser.parents.isEnabled()
    assert "withheld" in chooser.reason.text()
    assert not chooser.for_parents()
    extra = printing(record.id)
    assert extra.show_preview(for_parents=True) is None
    assert "withheld" in str(prompter.asked[-1])
    assert session.store.documents.outputs_for(record.id) == []


def test_only_a_submitted_record_can_be_printed(
    printing: Callable[[int], RecordPrinting],
    submit_record: Submit,
    start_draft: Callable[..., Incident],
) -> None:
    assert printing(submit_record("Zara Ahmed").id).button.isVisible()
    assert not printing(start_draft("Zara Ahmed").id).button.isVisible()
