"""Amending a submitted record: a reason is required, a new version is made and the
first version stays as it was. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Incident
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.gui.form_support import key, page, show_form, tab_to, type_text

Submit = Callable[..., Incident]


def test_an_amendment_with_a_reason_makes_version_2_and_keeps_version_1(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Submit,
) -> None:
    record = submit_record("Oliver Bennett")
    form = show_form(qtbot, incidents, directory, record, prompter, amend=True, autosave_ms=50)
    assert form.title.text() == f"Amending record {record.reference}"
    location = page(form, WhenWherePage).location
    assert location.currentText() == "Classroom"
    location.setFocus()
    location_text = location.lineEdit()
    assert location_text is not None
    location_text.selectAll()
    type_text(qtbot, "Library")
    qtbot.wait(120)  # no autosave in amend mode: nothing is written yet
    assert incidents.versions(record.id)[-1].number == 1

    form.go_to(Step.REVIEW)
    assert form.review.submit.text() == "Save amendment…"
    prompter.text_answers.append("The location was wrongly recorded as the classroom.")
    tab_to(qtbot, form.review.submit)
    with qtbot.waitSignal(form.incident_amended) as amended:
        key(qtbot, Qt.Key.Key_Space)
    assert amended.args == [record.id]
    v1, v2 = incidents.versions(record.id)
    assert v1.details == record.details and v1.details.when_where.location == "Classroom"
    assert v2.details.when_where.location == "Library"
    assert v2.reason == "The location was wrongly recorded as the classroom."
    assert "version 2" in form.review.outcome.text()


def test_cancelling_the_reason_keeps_the_form_and_saves_nothing(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Submit,
) -> None:
    record = submit_record("Leo Fernandes")
    form = show_form(qtbot, incidents, directory, record, prompter, amend=True)
    page(form, WhatHappenedPage).account.setPlainText("A corrected account in time order.")
    form.go_to(Step.REVIEW)
    prompter.text_answers.append(None)  # Cancel
    form.review.submit.click()
    assert len(incidents.versions(record.id)) == 1
    assert form.details().what_happened.account == "A corrected account in time order."
    # A blank reason is refused in plain words; the typing stays.
    prompter.text_answers.append("   ")
    form.review.submit.click()
    assert prompter.asked[-1] == (
        "warn",
        "The amendment was not saved",
        "Please give the reason for this amendment.",
    )
    assert len(incidents.versions(record.id)) == 1
    assert form.details().what_happened.account == "A corrected account in time order."


def test_an_amendment_with_no_change_says_so(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Submit,
) -> None:
    record = submit_record("Zara Ahmed")
    form = show_form(qtbot, incidents, directory, record, prompter, amend=True)
    form.go_to(Step.REVIEW)
    prompter.text_answers.append("Checking")
    form.review.submit.click()
    assert prompter.asked[-1][2] == "Nothing has changed, so there is no amendment to save."
    # Leaving an amendment with unsaved changes asks first.
    page(form, WhenWherePage).location.setEditText("Hall")
    prompter.confirm_answers.append(False)
    form.close_button.click()
    assert prompter.asked[-1][1] == "Leave without saving?"
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(form.form_closed):
        form.close_button.click()
