"""A date that cannot be right: before the pupil was born it is refused; more than a
year back it is asked about once ("Is that the right date?"), at the latest at Submit.
Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from incident_recorder.domain.model import Incident, NewPupil, Pupil, StaffMember
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.date_check import NO, TITLE, YES
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.prompter import QtPrompter, ScriptedPrompter
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY, explained
from tests.gui.form_support import focused, key, page, show_form, type_text

LONG_AGO = date(2024, 9, 2)  # more than a year before 20/03/2026
QUESTION = "The date of the incident is 02/09/2024, more than a year ago. Is that the right date?"
Submit = Callable[..., Incident]


@pytest.fixture
def nia(directory: DirectoryService) -> Pupil:
    return directory.quick_add_pupil(
        NewPupil("Nia", "Kowalczyk", date_of_birth=date(2018, 4, 2), year_group="Year 2")
    )


def draft_for(
    incidents: IncidentService, pupil: Pupil, staff: dict[str, StaffMember], day: date
) -> Incident:
    details = complete_details(pupil.id, staff["Siân Griffiths"].id, day)
    return incidents.new_draft(explained(details, incidents))


def retype_date(qtbot: QtBot, form: IncidentForm, text: str) -> None:
    form.go_to(Step.WHEN_WHERE)
    edit = page(form, WhenWherePage).date.edit
    edit.setFocus()
    edit.selectAll()
    type_text(qtbot, text)


def test_a_date_before_the_pupil_was_born_is_refused(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
    nia: Pupil,
) -> None:
    form = show_form(
        qtbot, incidents, directory, draft_for(incidents, nia, staff, INCIDENT_DAY), prompter
    )
    retype_date(qtbot, form, "01/01/1900")
    slot = page(form, WhenWherePage).slots["date"]
    message = "The date is before Nia Kowalczyk was born (02/04/2018). Check the date."
    qtbot.waitUntil(lambda: message in slot.message.text())
    assert slot.property("attention") == "blocking"
    assert message in page(form, WhenWherePage).date.edit.accessibleDescription()
    form.next_button.click()  # refused, so not asked about as well
    assert prompter.asked == []
    form.go_to(Step.REVIEW)
    assert not form.review.submit.isEnabled()
    assert any(message in m for m in form.review.todo.messages())


def test_a_date_long_ago_is_asked_about_once_then_again_at_submit(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
    nia: Pupil,
) -> None:
    draft = incidents.new_draft(
        explained(complete_details(nia.id, staff["Siân Griffiths"].id, LONG_AGO), incidents)
    )
    form = show_form(qtbot, incidents, directory, draft, prompter, autosave_ms=50)
    when_where = page(form, WhenWherePage)
    qtbot.wait(150)  # autosave runs: no question
    assert prompter.asked == []

    # Leaving the step asks; "Change the date" stays, with the date ready to retype.
    prompter.confirm_answers.append(False)
    form.next_button.click()
    assert prompter.asked == [("confirm", TITLE, QUESTION)]
    assert form.current_step() is Step.WHEN_WHERE
    assert focused() is when_where.date.edit
    assert when_where.date.edit.selectedText() == "02/09/2024"

    # Leaving again with the same date does not ask again.
    key(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert form.current_step() is Step.WHO
    assert len(prompter.asked) == 1

    # Submit asks once more, since it was not confirmed; "Yes" goes on to submit.
    form.go_to(Step.REVIEW)
    qtbot.waitUntil(form.review.submit.isEnabled)
    prompter.confirm_answers.extend([True, True])
    with qtbot.waitSignal(form.incident_submitted) as submitted:
        form.review.submit.click()
    assert [a[1] for a in prompter.asked] == [TITLE, TITLE, "Submit this record?"]
    assert incidents.open(submitted.args[0]).details.when_where.date == LONG_AGO


def test_change_the_date_at_submit_submits_nothing(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
    nia: Pupil,
) -> None:
    draft = draft_for(incidents, nia, staff, LONG_AGO)
    form = show_form(qtbot, incidents, directory, draft, prompter)
    form.go_to(Step.REVIEW)
    qtbot.waitUntil(form.review.submit.isEnabled)
    prompter.confirm_answers.append(False)
    form.review.submit.click()
    assert prompter.asked == [("confirm", TITLE, QUESTION)]
    assert form.current_step() is Step.WHEN_WHERE
    assert focused() is page(form, WhenWherePage).date.edit
    assert incidents.open(draft.id).reference is None, "still a draft"

    # A new date that is recent asks nothing, and the record goes in.
    retype_date(qtbot, form, INCIDENT_DAY.strftime("%d/%m/%Y"))
    form.go_to(Step.REVIEW)
    qtbot.waitUntil(form.review.submit.isEnabled)
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(form.incident_submitted):
        form.review.submit.click()
    assert [a[1] for a in prompter.asked] == [TITLE, "Submit this record?"]


def test_an_amendment_asks_about_a_new_date_long_ago_but_not_the_old_one(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Submit,
    pupils: dict[str, Pupil],
) -> None:
    old = submit_record("Maya Chen", day=LONG_AGO)  # an old incident recorded today
    form = show_form(qtbot, incidents, directory, old, prompter, amend=True)
    form.next_button.click()  # the date it was submitted with is not asked about
    assert prompter.asked == []
    form.close_button.click()

    record = submit_record("Oliver Bennett")
    form = show_form(qtbot, incidents, directory, record, prompter, amend=True)
    retype_date(qtbot, form, "02/09/2024")
    form.go_to(Step.REVIEW)
    qtbot.waitUntil(lambda: "parents_not_same_day" in form.review.boxes)
    for code in ("late_recording", "parents_not_same_day"):  # the new date asks why
        form.review.boxes[code][1].edit.setPlainText("Only reported to the school today.")
    qtbot.waitUntil(form.review.submit.isEnabled)
    prompter.confirm_answers.append(False)  # Change the date
    form.review.submit.click()
    assert [a[1] for a in prompter.asked] == [TITLE]
    assert len(incidents.versions(record.id)) == 1

    form.go_to(Step.REVIEW)
    prompter.confirm_answers.append(True)
    prompter.text_answers.append("The incident happened on an earlier visit.")
    with qtbot.waitSignal(form.incident_amended):
        form.review.submit.click()
    assert incidents.versions(record.id)[-1].details.when_where.date == LONG_AGO


def test_an_amendment_cannot_move_the_date_before_the_pupils_birth(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
    nia: Pupil,
) -> None:
    draft = draft_for(incidents, nia, staff, INCIDENT_DAY)
    record = incidents.submit(draft.id, draft.details)
    form = show_form(qtbot, incidents, directory, record, prompter, amend=True)
    retype_date(qtbot, form, "01/01/2017")
    form.go_to(Step.REVIEW)
    qtbot.waitUntil(lambda: not form.review.submit.isEnabled())
    assert any("before Nia Kowalczyk was born" in m for m in form.review.todo.messages())
    assert "before Nia Kowalczyk was born" in page(form, WhenWherePage).slots["date"].message.text()


def test_the_question_is_a_plain_dialog_with_clear_buttons(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    staff: dict[str, StaffMember],
    nia: Pupil,
) -> None:
    """The real dialog, as staff see it (QtPrompter), answered 'Yes, the date is right'."""
    draft = draft_for(incidents, nia, staff, LONG_AGO)
    form = IncidentForm(incidents, directory, draft, QtPrompter(None), autosave_ms=60_000)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    seen: list[tuple[str, str, list[str]]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        buttons = [b.text() for b in box.findChildren(QPushButton)]
        seen.append((box.windowTitle(), box.text(), buttons))
        box.grab().save("/work/notes/shots/date-confirmation.png")
        yes = next(b for b in box.findChildren(QPushButton) if b.text() == YES)
        yes.click()

    QTimer.singleShot(0, answer)
    form.next_button.click()
    [(title, text, buttons)] = seen
    assert (title, text, sorted(buttons)) == (TITLE, QUESTION, sorted([YES, NO]))
    assert form.current_step() is Step.WHO
