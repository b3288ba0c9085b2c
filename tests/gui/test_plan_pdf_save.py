"""Save as PDF in the plan editor: the proposed name carries no pupil name, the file
holds the version shown, and the save is audited. Everyone named here is fictional."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import Pupil
from incident_recorder.services.plans import PlanService
from incident_recorder.services.session import Session
from incident_recorder.ui.plans.plan_editor import PlanEditor
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import RENDERER
from tests.gui.form_support import background_for
from tests.gui.test_plans import save_plan


class FakeChooser:
    """Answers the Save dialog with ``answer`` and remembers the proposed name."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.proposed: list[str] = []

    def __call__(self, _parent: QWidget, proposed: str) -> Path | None:
        self.proposed.append(proposed)
        return self.answer


def pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_save_as_pdf_writes_the_version_shown_and_audits_it(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    tmp_path: Path,
) -> None:
    leo = pupils["Leo Fernandes"]
    save_plan(session, leo)
    save_plan(session, leo, triggers="Changes to the timetable")
    target = tmp_path / "plan.pdf"
    chooser = FakeChooser(target)
    editor = PlanEditor(
        PlanService(session, RENDERER), leo, prompter, background_for(session), choose_file=chooser
    )
    qtbot.addWidget(editor)
    editor.show()
    assert editor.pdf_button.isEnabled()

    editor.versions.setCurrentRow(1)  # the earlier version, kept for the record
    editor.pdf_button.click()

    assert chooser.proposed == ["behaviour-plan-v1.pdf"]
    text = pdf_text(target)
    assert "Leo Fernandes" in text
    assert "Sudden loud noises" in text
    assert "Changes to the timetable" not in text
    assert prompter.asked[-1][:2] == ("inform", "PDF saved")
    entry = session.store.audit.entries()[0]
    assert (entry.action, entry.detail) == (
        "plan_print",
        f"pupil {leo.id} plan version 1, saved as PDF",
    )


def test_cancelling_the_save_dialog_writes_nothing_and_no_plan_means_no_pdf(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    maya, zara = pupils["Maya Chen"], pupils["Zara Ahmed"]
    save_plan(session, maya)
    chooser = FakeChooser(None)
    editor = PlanEditor(
        PlanService(session, RENDERER), maya, prompter, background_for(session), choose_file=chooser
    )
    qtbot.addWidget(editor)
    editor.pdf_button.click()
    assert chooser.proposed == ["behaviour-plan-v1.pdf"]
    assert all(e.action != "plan_print" for e in session.store.audit.entries())

    empty = PlanEditor(
        PlanService(session, RENDERER), zara, prompter, background_for(session), choose_file=chooser
    )
    qtbot.addWidget(empty)
    assert not empty.pdf_button.isEnabled()


def test_a_folder_that_cannot_be_written_is_explained(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    tmp_path: Path,
) -> None:
    oliver = pupils["Oliver Bennett"]
    save_plan(session, oliver)
    missing = tmp_path / "no such folder" / "plan.pdf"
    editor = PlanEditor(
        PlanService(session, RENDERER),
        oliver,
        prompter,
        background_for(session),
        choose_file=FakeChooser(missing),
    )
    qtbot.addWidget(editor)
    editor.show()
    editor.pdf_button.click()
    assert "could not be saved there" in editor.error.text()
    assert editor.error.isVisible()
    assert not missing.exists()
