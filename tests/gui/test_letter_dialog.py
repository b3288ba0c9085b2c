"""The letter to parents and carers from a record view: the button, the copies, the
warning to confirm, Preview / Print / Save as PDF and the "Made so far" list, on a real
encrypted store. Everyone here is fictional."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from incident_recorder.domain.documents import OutputHow
from incident_recorder.domain.model import (
    Contact,
    Incident,
    LetterSettings,
    ParentsStatus,
    Pupil,
)
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.letters import LetterService
from incident_recorder.services.session import Session
from incident_recorder.ui.letters.install import LetterActions
from incident_recorder.ui.letters.letter_dialog import CONFIRM, LetterDialog
from incident_recorder.ui.pdf_preview import PdfPreviewDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.fakes import AFTER_THE_DUTY_BEGAN, DUTY_DAY, RENDERER, FakeClock
from tests.gui.form_support import background_for

SCREENSHOT = os.environ.get("LETTER_DIALOG_SCREENSHOT")
PARENTS = (
    Contact(
        "Mrs Li Chen",
        "Mother",
        parental_responsibility=True,
        address="7 Willow Crescent, Exampletown, EX1 3CD",
        receives_correspondence=True,
    ),
    Contact(
        "Mr Wei Chen",
        "Father",
        parental_responsibility=True,
        address="22 Heron Close, Exampletown, EX2 4EF",
        receives_correspondence=True,
    ),
)


class FakeChooser:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proposed: list[str] = []

    def __call__(self, _parent: QWidget, proposed: str) -> Path | None:
        self.proposed.append(proposed)
        return self.folder / proposed


def _ready(session: Session, pupil: Pupil) -> None:
    store = session.store
    store.pupils.update(dataclasses.replace(pupil, contacts=PARENTS))
    settings = store.settings.get()
    letters = LetterSettings(signatory_name="Amara Okafor", contact_name="Siân Griffiths")
    store.settings.save(dataclasses.replace(settings, letters=letters))


def _view(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    incident: Incident,
    actions: LetterActions,
) -> tuple[RecordView, QPushButton]:
    view = RecordView(incidents, directory, incident.id, ScriptedPrompter(), "Europe/London")
    qtbot.addWidget(view)
    actions.install(view)
    button = view.findChild(QPushButton, "letter_button")
    assert isinstance(button, QPushButton)
    return view, button


def test_the_letter_is_saved_copy_by_copy_and_each_copy_kept(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
    tmp_path: Path,
) -> None:
    maya = pupils["Maya Chen"]
    _ready(session, maya)
    record = submit_record("Maya Chen")
    service = LetterService(session, technique_words(), default_letter_template(), RENDERER)
    actions = LetterActions(service, prompter, background_for(session, prompter))
    view, button = _view(qtbot, incidents, directory, record, actions)
    assert button.isEnabled() and button.text() == "&Letter to parents…"
    button.click()
    dialog = actions.last_dialog
    assert isinstance(dialog, LetterDialog)
    qtbot.addWidget(dialog)
    assert dialog.copies.count() == 2
    assert dialog.copies.item(1).text() == "Copy 2: Mr Wei Chen, 22 Heron Close"
    assert dialog.all_copies.isChecked() and not dialog.warnings.isVisibleTo(dialog)
    if SCREENSHOT:
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(SCREENSHOT)

    assert dialog.enclose.isChecked()  # the copy of the record goes too, by default
    dialog.enclose.setChecked(False)  # this test: the letter alone
    chooser = FakeChooser(tmp_path)
    dialog._choose_file = chooser
    saved = dialog.save_copies([0, 1])
    assert chooser.proposed == [
        f"parent-letter-{record.reference}-1.pdf",
        f"parent-letter-{record.reference}-2.pdf",
    ]
    assert len(saved) == 2
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved[1].read_bytes())).pages)
    assert "Dear Mr Chen" in text and "Maya" in text
    made = service.letters_made(record.id)
    assert [(m.how, m.recipient) for m in made] == [
        (OutputHow.SAVED, "Mrs Li Chen"),
        (OutputHow.SAVED, "Mr Wei Chen"),
    ]
    assert made[1].sha256 == hashlib.sha256(saved[1].read_bytes()).hexdigest()
    assert (
        dialog.made.count() == 2 and "Saved as PDF by Siân Griffiths" in dialog.made.item(0).text()
    )

    printed: list[str] = []

    def printer(
        data: bytes,
        parent: QWidget,
        job_name: str,
        *,
        before_printing: Callable[[], None] | None = None,
    ) -> bool:
        if job_name.endswith("copy 2"):
            return False  # the user cancelled the second Print dialog
        assert before_printing is not None
        before_printing()
        printed.append(job_name)
        return True

    dialog._print = printer
    assert dialog.print_copies([0, 1]) == 1
    assert printed == [f"Letter {record.reference} copy 1"]  # no names in the print queue
    assert [m.how for m in service.letters_made(record.id)][-1] is OutputHow.PRINTED
    assert len(service.letters_made(record.id)) == 3

    preview = dialog.preview(0)
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.page_count() >= 1
    last = service.letters_made(record.id)[-1]
    assert last.how is OutputHow.PREVIEWED
    assert last.sha256 == hashlib.sha256(dialog.pdf(0)).hexdigest()
    preview.close()
    view.close()


def test_a_warning_must_be_confirmed_and_withheld_records_have_no_letter(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
    tmp_path: Path,
) -> None:
    _ready(session, pupils["Maya Chen"])
    record = submit_record("Maya Chen")
    d = record.details
    d = dataclasses.replace(
        d,
        parents=dataclasses.replace(
            d.parents, summary_for_parents="Maya was upset when Oliver took her book."
        ),
    )
    store = session.store
    store.incidents.amend(record.id, d, session.user.id, "Summary", session.now())
    service = LetterService(session, technique_words(), default_letter_template(), RENDERER)
    actions = LetterActions(service, prompter, background_for(session, prompter))
    _, button = _view(qtbot, incidents, directory, record, actions)
    button.click()
    dialog = actions.last_dialog
    assert isinstance(dialog, LetterDialog)
    qtbot.addWidget(dialog)
    assert dialog.warnings.isVisibleTo(dialog) and "(Oliver)" in dialog.warnings.text()
    dialog._choose_file = FakeChooser(tmp_path)
    prompter.confirm_answers.append(False)  # Go back
    assert dialog.save_copies([0]) == []
    assert prompter.asked[-1][0] == "confirm" and "Oliver" in prompter.asked[-1][2]
    assert service.letters_made(record.id) == []
    prompter.confirm_answers.append(True)  # I have checked: make the letter anyway
    prompter.choice_answers.append(3)  # Not yet (sent)
    assert len(dialog.save_copies([0])) == 2  # the letter and the copy of the record
    assert CONFIRM.startswith("I have checked")

    withheld = dataclasses.replace(
        d,
        parents=dataclasses.replace(
            d.parents, status=ParentsStatus.WITHHELD, withheld_reason="Social care advised."
        ),
    )
    store.incidents.amend(record.id, withheld, session.user.id, "Withheld", session.now())
    view, button = _view(qtbot, incidents, directory, record, actions)
    assert not button.isEnabled()
    assert "withheld for the child's safety" in button.toolTip()
    actions.open_letter(view)
    assert prompter.asked[-1][:2] == ("warn", "Letter to parents and carers")
    assert "local authority must be told" in prompter.asked[-1][2]


def _pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    """The PDF read back with pdftotext, as a reader would see it."""
    import subprocess

    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_record_is_enclosed_and_counts_as_supplied_only_once_confirmed(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
    tmp_path: Path,
    clock: FakeClock,
) -> None:
    from incident_recorder.domain.documents import DocumentKind
    from incident_recorder.domain.parents_copy import CopyHow, Duty, DutyState
    from incident_recorder.services.parents import ParentsService
    from incident_recorder.ui.letters.letter_dialog import WENT_OUT_OPTIONS

    clock.set(AFTER_THE_DUTY_BEGAN)
    _ready(session, pupils["Maya Chen"])
    record = submit_record("Maya Chen", day=DUTY_DAY)
    service = LetterService(session, technique_words(), default_letter_template(), RENDERER)
    actions = LetterActions(service, prompter, background_for(session, prompter))
    view, button = _view(qtbot, incidents, directory, record, actions)
    button.click()
    dialog = actions.last_dialog
    assert isinstance(dialog, LetterDialog)
    qtbot.addWidget(dialog)
    assert dialog.enclose.isChecked() and dialog.enclose.accessibleName()
    parents = ParentsService(session)

    # Saved together, but not yet sent: nothing counts as supplied.
    chooser = FakeChooser(tmp_path)
    dialog._choose_file = chooser
    prompter.choice_answers.append(WENT_OUT_OPTIONS.index("Not yet"))
    saved = dialog.save_copies([0])
    assert chooser.proposed == [
        f"parent-letter-{record.reference}-1.pdf",
        f"record-{record.reference}-for-parents.pdf",
    ]
    text = _pdf_text(saved[1].read_bytes(), tmp_path, "read.pdf")
    assert "Copy for parents and carers" in text and "Maya" in text
    assert prompter.asked[-1][0] == "choose" and "go out" in prompter.asked[-1][2]
    view_data = parents.view(record.id)
    assert view_data.supplies == () and view_data.summary.letter_sent_on is None
    assert any("record not supplied" in r.missing.lower() for r in parents.to_tell())

    # Printed together, then confirmed as posted: both letters and both copies kept.
    jobs: list[str] = []

    def printer(
        data: bytes,
        parent: QWidget,
        job_name: str,
        *,
        before_printing: Callable[[], None] | None = None,
    ) -> bool:
        assert before_printing is not None
        before_printing()
        jobs.append(job_name)
        return True

    dialog._print = printer
    prompter.choice_answers.append(WENT_OUT_OPTIONS.index("Yes: posted with the letter"))
    assert dialog.print_copies([0, 1]) == 2
    assert jobs == [
        f"Letter {record.reference} copy 1",
        f"Record {record.reference} for parents, copy 1",
        f"Letter {record.reference} copy 2",
        f"Record {record.reference} for parents, copy 2",
    ]  # no names in the print queue
    outputs = session.store.documents.outputs_for(record.id)
    kinds = [(o.kind, o.how) for o in outputs if o.kind is DocumentKind.RECORD_FOR_PARENTS]
    assert kinds == [
        (DocumentKind.RECORD_FOR_PARENTS, OutputHow.SAVED),
        (DocumentKind.RECORD_FOR_PARENTS, OutputHow.PRINTED),
        (DocumentKind.RECORD_FOR_PARENTS, OutputHow.PRINTED),
    ]
    view_data = parents.view(record.id)
    assert [(s.parent, s.how, s.version) for s in view_data.supplies] == [
        ("Mrs Li Chen", CopyHow.POSTED, 1),
        ("Mr Wei Chen", CopyHow.POSTED, 1),
    ]
    assert view_data.summary.letter_sent_on is not None
    copy = next(d for d in view_data.duties if d.duty is Duty.COPY)
    assert copy.state is DutyState.DONE and "posted to the parents" in copy.text
    audit = [e.action for e in session.store.audit.entries()]
    assert audit.count("parents_copy_supplied") == 2
    view.close()
