"""Warnings need a written explanation before submit (a floor position, a record made
after the day). Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Protocol

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import FloorPosition, Incident, Pupil, StaffMember
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.step_deescalation import DeescalationPage
from incident_recorder.ui.form.step_intervention import InterventionPage
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY
from tests.gui.form_support import focused, key, page, show_form, tab_to, type_text


class MakeComplete(Protocol):
    def __call__(self, day: date = ...) -> Incident: ...


@pytest.fixture
def complete(
    incidents: IncidentService, pupils: dict[str, Pupil], staff: dict[str, StaffMember]
) -> MakeComplete:
    def make(day: date = INCIDENT_DAY) -> Incident:
        details = complete_details(pupils["Maya Chen"].id, staff["Siân Griffiths"].id, day)
        return incidents.new_draft(details)

    return make


def test_a_floor_position_needs_an_explanation_before_submit(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    complete: MakeComplete,
) -> None:
    form = show_form(qtbot, incidents, directory, complete(), prompter)
    form.go_to(Step.REVIEW)
    assert form.review.submit.isEnabled()

    form.go_to(Step.INTERVENTION)
    intervention = page(form, InterventionPage)
    intervention.floor.button_for(True).setFocus()
    key(qtbot, Qt.Key.Key_Space)  # Yes
    qtbot.waitUntil(lambda: intervention.slots["floor_how"].isVisible())
    tab_to(qtbot, intervention.floor_positions.boxes[FloorPosition.SUPINE])
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, intervention.floor_how)
    type_text(qtbot, "The pupil slipped while in a standing hold.")
    tab_to(qtbot, intervention.floor_duration.minutes)
    type_text(qtbot, "0")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "20")
    tab_to(qtbot, intervention.floor_release)
    type_text(qtbot, "Released at once and helped to sit up.")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.INTERVENTION) == "!")

    # The warning sits under the question; its explanation box after the follow-on
    # questions (tests/gui/test_incident_form_tab_order.py).
    slot = intervention.slots["floor_position"]
    assert "must be avoided" in slot.message.text()
    box = slot.boxes["floor_position"]
    assert box.isVisible()
    form.go_to(Step.REVIEW)
    assert not form.review.submit.isEnabled()
    assert any("Explain:" in m for m in form.review.todo.messages())

    form.go_to(Step.INTERVENTION)
    tab_to(qtbot, box.edit)
    type_text(qtbot, "Lost footing on a wet floor; the floor will be mopped at once in future.")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.INTERVENTION) == "✓")
    form.go_to(Step.REVIEW)
    assert form.review.submit.isEnabled()
    # The review page shows the same explanation, ready to edit.
    assert form.review.boxes["floor_position"][1].edit.toPlainText().startswith("Lost footing")

    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(form.incident_submitted) as submitted:
        form.review.submit.click()
    saved = incidents.open(submitted.args[0]).details
    assert saved.intervention.floor_positions == frozenset({FloorPosition.SUPINE})
    assert saved.explanation("floor_position").startswith("Lost footing")


def test_a_record_made_after_the_day_asks_why(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    complete: MakeComplete,
) -> None:
    form = show_form(
        qtbot, incidents, directory, complete(INCIDENT_DAY - timedelta(days=1)), prompter
    )
    assert form.sidebar.marker(Step.WHEN_WHERE) == "!"
    slot = form.pages[0].slots["date"]
    assert "after the day of the incident" in slot.message.text()
    # From the "still missing" list, Enter goes straight to the explanation box.
    form.missing.list.setFocus()
    form.missing.list.setCurrentRow(0)
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is slot.boxes["late_recording"].edit
    type_text(qtbot, "The incident ended at home time; I was on a course the next morning.")
    # Typing in the review page's copy changes the same explanation.
    form.go_to(Step.REVIEW)
    review_box = form.review.boxes["late_recording"][1]
    qtbot.waitUntil(lambda: review_box.edit.toPlainText().startswith("The incident"))
    qtbot.waitUntil(form.review.submit.isEnabled)
    assert form.details().explanation("late_recording").startswith("The incident ended")


def test_no_de_escalation_is_explained_by_the_no_time_reason(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Leo Fernandes"].id, staff["Priya Shah"].id, INCIDENT_DAY)
    no_deescalation = dataclasses.replace(details.deescalation, strategies=(), other="")
    details = dataclasses.replace(details, deescalation=no_deescalation)
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
    deescalation = page(form, DeescalationPage)
    assert form.sidebar.marker(Step.DEESCALATION) == "1 to do !"
    # The warning is shown beside the "no time" box, which is its explanation.
    assert "Force should be a last resort" in deescalation.slots["no_time_reason"].message.text()
    assert deescalation.slots["no_time_reason"].boxes == {}
    deescalation.no_time_reason.setFocus()
    type_text(qtbot, "The pupil ran straight at the road gate.")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.DEESCALATION) == "✓")
    assert form.details().deescalation.no_time_reason.startswith("The pupil ran")


def test_minutes_and_seconds_start_unanswered_and_fill_each_other(qtbot: QtBot) -> None:
    from incident_recorder.ui.form.widgets import DurationInput

    duration = DurationInput()
    qtbot.addWidget(duration)
    duration.setAccessibleName("Hold 1 how long")
    assert duration.minutes.accessibleName() == "Hold 1 how long: minutes"
    assert duration.seconds.accessibleName() == "Hold 1 how long: seconds"
    assert duration.total_seconds() is None
    assert duration.minutes.text() == "—" and duration.seconds.text() == "—"
    with qtbot.waitSignal(duration.changed):
        duration.seconds.setValue(20)
    assert duration.minutes.value() == 0 and duration.total_seconds() == 20
    duration.minutes.setValue(2)
    assert duration.total_seconds() == 140
    duration.minutes.setValue(-1)  # cleared: both go back to "not entered"
    assert duration.seconds.value() == -1 and duration.total_seconds() is None
    duration.set_total_seconds(75)
    assert (duration.minutes.value(), duration.seconds.value()) == (1, 15)
