"""The guided incident form, driven as staff drive it: keyboard first, on a real
encrypted database. Everyone named here is fictional."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import (
    ContactMethod,
    IncidentDetails,
    IncidentStatus,
    InterventionKind,
    LawfulGround,
    ParentsStatus,
    Pupil,
    StaffMember,
    StaffPart,
)
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.staff_row import StaffRow
from incident_recorder.ui.form.step_debriefs import DebriefsPage
from incident_recorder.ui.form.step_follow_up import FollowUpPage
from incident_recorder.ui.form.step_injuries import InjuriesPage
from incident_recorder.ui.form.step_intervention import HoldRow, InterventionPage
from incident_recorder.ui.form.step_necessity import NecessityPage
from incident_recorder.ui.form.step_parents import ParentsPage
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.gui.conftest import INCIDENT_DAY
from tests.gui.form_support import focused, key, page, row, show_form, tab_to, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = INCIDENT_DAY  # the conftest clock: Friday 20/03/2026, 15:30 in London


@pytest.fixture
def form(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> IncidentForm:
    return show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)


def next_step(qtbot: QtBot, form: IncidentForm, expected: Step) -> None:
    key(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert form.current_step() is expected
    widget = focused()
    assert widget is not None and form.isAncestorOf(widget)


def test_a_complete_record_can_be_typed_and_submitted_with_the_keyboard_alone(
    qtbot: QtBot,
    form: IncidentForm,
    incidents: IncidentService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    form.go_to(Step.WHEN_WHERE)
    when_where = page(form, WhenWherePage)
    # 1. When and where: the date starts as today; type the times and the place.
    assert when_where.date.edit.text() == "20/03/2026"
    tab_to(qtbot, when_where.start)
    type_text(qtbot, "1005")
    tab_to(qtbot, when_where.end)
    type_text(qtbot, "10:12")
    assert when_where.duration.text() == "Duration: 7 minutes"
    tab_to(qtbot, when_where.location)
    type_text(qtbot, "Playgr")  # completes from the school's list
    assert when_where.location.currentText() == "Playground"

    # 2. Who: search for the pupil, Enter chooses; add a member of staff and their part.
    next_step(qtbot, form, Step.WHO)
    who = form.who
    type_text(qtbot, "chen")
    key(qtbot, Qt.Key.Key_Return)
    assert who.pupil.pupil_id() == pupils["Maya Chen"].id
    tab_to(qtbot, who.staff.add_button)
    key(qtbot, Qt.Key.Key_Space)
    staff_row = row(who.staff, 0, StaffRow)
    assert focused() is staff_row.name or focused() is staff_row.name.lineEdit()
    type_text(qtbot, "Priya Shah")
    tab_to(qtbot, staff_row.part)
    type_text(qtbot, "c")  # "Carried out"
    tab_to(qtbot, who.other_witnesses)
    type_text(qtbot, "A lunchtime supervisor")

    # 3. What happened: three boxes; Tab leaves each one (and crosses the kinds of
    # antecedent beside the first: Space ticks the first kind).
    next_step(qtbot, form, Step.WHAT_HAPPENED)
    type_text(qtbot, "Football game ended in an argument.")
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, form.what_happened.pupil_behaviour)
    type_text(qtbot, "Kicked another pupil repeatedly.")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "10:05 separated the pupils. 10:12 calm, walked inside.")

    # 4. De-escalation: tick the first strategy with Space.
    next_step(qtbot, form, Step.DEESCALATION)
    key(qtbot, Qt.Key.Key_Space)

    # 5. Necessity: a lawful ground, the justification and the confirmation.
    next_step(qtbot, form, Step.NECESSITY)
    key(qtbot, Qt.Key.Key_Space)
    necessity = page(form, NecessityPage)
    tab_to(qtbot, necessity.justification)
    type_text(qtbot, "The other pupil was being hurt and could not move away.")
    tab_to(qtbot, necessity.not_punishment)
    key(qtbot, Qt.Key.Key_Space)

    # 6. Intervention: kind, one hold with minutes and seconds, staff count, no floor, ABC
    # confirmed.
    next_step(qtbot, form, Step.INTERVENTION)
    key(qtbot, Qt.Key.Key_Space)  # Reasonable force
    intervention = page(form, InterventionPage)
    tab_to(qtbot, intervention.holds.add_button)
    key(qtbot, Qt.Key.Key_Space)
    hold = row(intervention.holds, 0, HoldRow)
    type_text(qtbot, "Single elbow")
    tab_to(qtbot, hold.duration.minutes)
    type_text(qtbot, "4")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is hold.duration.seconds
    type_text(qtbot, "30")
    tab_to(qtbot, intervention.staff_count)
    type_text(qtbot, "2")
    tab_to(qtbot, intervention.floor)
    key(qtbot, Qt.Key.Key_Right)  # to "No"
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, intervention.abc)
    key(qtbot, Qt.Key.Key_Space)  # "Yes: never restricted"
    assert intervention.total.text() == "Total time held: 4 minutes 30 seconds"

    # 7. Injuries: No, No, No.
    next_step(qtbot, form, Step.INJURIES)
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Right)
        key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_Tab)

    # 8. Debriefs: yes, when, by whom, the pupil's words.
    next_step(qtbot, form, Step.DEBRIEFS)
    key(qtbot, Qt.Key.Key_Space)
    debriefs = page(form, DebriefsPage)
    tab_to(qtbot, debriefs.debrief_at.date_edit)
    type_text(qtbot, "20/03/2026")
    tab_to(qtbot, debriefs.debrief_at.time_edit)
    type_text(qtbot, "11:30")
    tab_to(qtbot, debriefs.debrief_by)
    type_text(qtbot, "Ms Shah")
    tab_to(qtbot, debriefs.pupil_voice)
    type_text(qtbot, "He took my ball.")

    # 9. Parents: told, who, how (type-ahead in the list), when, by whom.
    next_step(qtbot, form, Step.PARENTS)
    key(qtbot, Qt.Key.Key_Space)
    parents = page(form, ParentsPage)
    tab_to(qtbot, parents.told_who)
    type_text(qtbot, "Father")
    tab_to(qtbot, parents.told_how)
    type_text(qtbot, "t")  # "Telephone"
    tab_to(qtbot, parents.told_at.date_edit)
    type_text(qtbot, "20/03/2026")
    tab_to(qtbot, parents.told_at.time_edit)
    type_text(qtbot, "13:00")
    tab_to(qtbot, parents.told_by)
    type_text(qtbot, "Head of year")
    tab_to(qtbot, parents.summary_for_parents)
    type_text(qtbot, "Your child was upset in class and was held for two minutes.")

    # 10. Follow-up: how the pupil is now, support, and No to both reviews.
    next_step(qtbot, form, Step.FOLLOW_UP)
    type_text(qtbot, "Calm and back in class.")
    follow_up = page(form, FollowUpPage)
    tab_to(qtbot, follow_up.pupil_support)
    type_text(qtbot, "Lunchtime club with a key adult this week.")
    for question in (follow_up.plan_review, follow_up.risk_review):
        tab_to(qtbot, question)
        key(qtbot, Qt.Key.Key_Right)
        key(qtbot, Qt.Key.Key_Space)

    # 11. Review: nothing left to do; Submit with the keyboard, confirm.
    next_step(qtbot, form, Step.REVIEW)
    for step in Step:
        if step is not Step.REVIEW:
            assert form.sidebar.marker(step) == "✓", step
    assert form.review.submit.isEnabled()
    assert "Priya Shah" in form.review.summary.toPlainText()
    prompter.confirm_answers.append(True)
    tab_to(qtbot, form.review.submit)
    with qtbot.waitSignal(form.incident_submitted) as submitted:
        key(qtbot, Qt.Key.Key_Space)
    incident = incidents.open(submitted.args[0])
    assert incident.status is IncidentStatus.SUBMITTED
    assert incident.reference == "2026-0001"
    assert "Submitted as 2026-0001" in form.review.outcome.text()

    d = incident.details
    assert d == form.details()
    assert d.when_where.date == TODAY and d.when_where.start == time(10, 5)
    assert d.when_where.location == "Playground"
    assert d.who.pupil_id == pupils["Maya Chen"].id
    assert [(s.staff_id, s.part) for s in d.who.staff] == [
        (staff["Priya Shah"].id, StaffPart.CARRIED_OUT)
    ]
    assert d.deescalation.strategies == ("Calm, quiet voice and reassurance",)
    assert d.necessity.grounds == frozenset({LawfulGround.PREVENT_INJURY})
    assert d.intervention.kind is InterventionKind.REASONABLE_FORCE
    assert d.intervention.holds[0].technique == "Single elbow"
    assert d.intervention.holds[0].seconds == 270 and d.intervention.staff_count == 2
    assert d.intervention.floor_position is False and d.intervention.abc_never_restricted
    assert d.injuries.pupil_injured is False and d.injuries.others_injured is False
    assert d.debriefs.pupil_debrief_at == datetime(2026, 3, 20, 11, 30)
    assert d.parents.status is ParentsStatus.TOLD
    assert d.parents.told_how is ContactMethod.PHONE
    assert d.follow_up.plan_review_needed is False
    # Locked now: the pages are read-only and autosave has stopped.
    assert not page(form, WhenWherePage).date.isEnabled()


def test_required_fields_block_submit_and_are_shown_beside_their_fields(
    qtbot: QtBot, form: IncidentForm
) -> None:
    # Safety questions start unanswered: nothing is pre-ticked.
    assert page(form, InjuriesPage).pupil_injured.value() is None
    assert page(form, InterventionPage).floor.value() is None
    assert page(form, InterventionPage).abc.value() is None
    assert form.sidebar.marker(Step.WHEN_WHERE) == "3 to do"
    assert form.sidebar.marker(Step.INJURIES) == "3 to do"
    start_slot = form.pages[0].slots["start"]
    assert start_slot.message.isVisible()
    assert start_slot.message.text() == "Enter the time the intervention started."
    assert page(form, WhenWherePage).start.edit.accessibleDescription() == start_slot.message.text()
    assert form.missing.messages()[0] == "Enter the time the intervention started."

    form.sidebar.setFocus()
    key(qtbot, Qt.Key.Key_End)  # the last step: review
    assert form.current_step() is Step.REVIEW
    assert not form.review.submit.isEnabled()
    assert "once the" in form.review.reason.text()
    assert form.review.todo.messages()[0] == "Step 1: Enter the time the intervention started."

    # Enter on an item goes to its step and puts the cursor in its field.
    form.review.todo.list.setFocus()
    form.review.todo.list.setCurrentRow(0)
    key(qtbot, Qt.Key.Key_Return)
    assert form.current_step() is Step.WHEN_WHERE
    assert focused() is page(form, WhenWherePage).start.edit


def test_the_sidebar_counts_go_down_as_the_fields_are_filled(
    qtbot: QtBot, form: IncidentForm
) -> None:
    when_where = page(form, WhenWherePage)
    when_where.start.setFocus()
    assert form.sidebar.marker(Step.WHEN_WHERE) == "3 to do"
    type_text(qtbot, "09:40")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHEN_WHERE) == "2 to do")
    assert "Enter the time the intervention started." not in form.missing.messages()
    assert not when_where.slots["start"].message.isVisible()
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "09:45")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHEN_WHERE) == "1 to do")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Sensory room")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHEN_WHERE) == "✓")
    assert form.missing.messages() == []
    # An end before the start is caught as staff type.
    when_where.end.edit.setText("09:30")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHEN_WHERE) == "1 to do")
    assert "The end time must be after the start time." in form.missing.messages()


def test_a_time_that_cannot_be_read_says_how_to_type_it(qtbot: QtBot, form: IncidentForm) -> None:
    start = page(form, WhenWherePage).start
    start.setFocus()
    type_text(qtbot, "25:99")
    assert start.value() is None
    problem = start.problem()
    assert problem is not None and "24-hour clock" in problem
    start.edit.clear()
    type_text(qtbot, "1405")
    assert start.problem() is None and start.value() == time(14, 5)


def test_next_and_back_buttons_and_their_shortcuts(qtbot: QtBot, form: IncidentForm) -> None:
    assert not form.back_button.isEnabled()
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # a mnemonic "clicks" shortly
    qtbot.waitUntil(lambda: form.current_step() is Step.WHO)
    key(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert form.current_step() is Step.WHAT_HAPPENED
    key(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: form.current_step() is Step.WHO)
    key(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert form.current_step() is Step.WHEN_WHERE
    # Enter in a box never submits or moves on.
    page(form, WhenWherePage).start.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    assert form.current_step() is Step.WHEN_WHERE


def test_the_calendar_opens_from_the_keyboard(qtbot: QtBot, form: IncidentForm) -> None:
    date_edit = page(form, WhenWherePage).date
    date_edit.setFocus()
    key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert date_edit.calendar.isVisible()
    assert date_edit.calendar.selectedDate().toPython() == INCIDENT_DAY
    key(qtbot, Qt.Key.Key_Left)  # the day before
    key(qtbot, Qt.Key.Key_Return)
    assert not date_edit.calendar.isVisible()
    assert date_edit.edit.text() == "19/03/2026"
    assert focused() is date_edit.edit


def test_every_finding_has_a_place_beside_its_field(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    from tests.gui.test_incident_form_drafts import _everything

    records = [IncidentDetails(), *_everything(pupils["Maya Chen"].id, staff["Priya Shah"].id)]
    for details in records:
        form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
        for finding in form.findings():
            step_page = form.pages[list(Step).index(finding.step)]
            assert step_page.slot_name(finding), finding.field
