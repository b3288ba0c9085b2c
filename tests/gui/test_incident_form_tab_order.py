"""Tab follows the questions: on every step the tab order is the order on screen, and
an explanation box comes after the questions it explains (the injury explanation used
to sit between "Was the pupil injured?" and "What was the pupil's injury?", so Tab
filled the wrong box). Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, time, timedelta

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import (
    FloorPosition,
    FollowUpAction,
    HoldUse,
    Incident,
    Injuries,
    Pupil,
    StaffMember,
)
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.explanation_box import ExplanationBox
from incident_recorder.ui.form.page import FieldSlot, StepPage
from incident_recorder.ui.form.step_injuries import InjuriesPage
from incident_recorder.ui.form.step_parents import ParentsPage
from incident_recorder.ui.form.tab_order import accessible_target
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY
from tests.gui.form_support import focused, key, page, show_form, tab_to, type_text

YESTERDAY = INCIDENT_DAY - timedelta(days=1)


@pytest.fixture
def everything_open(
    incidents: IncidentService, pupils: dict[str, Pupil], staff: dict[str, StaffMember]
) -> Incident:
    """A draft in which every follow-on question is open and every warning that needs
    an explanation box is showing: recorded late, a long hold, a floor position, airway
    not confirmed, everyone injured, parents told the day after, and a summary for
    parents that names another pupil."""
    d = complete_details(pupils["Leo Fernandes"].id, staff["Siân Griffiths"].id, YESTERDAY)
    return incidents.new_draft(
        dataclasses.replace(
            d,
            intervention=dataclasses.replace(
                d.intervention,
                holds=(HoldUse("Friendly hold (standing)", 14 * 60),),
                floor_position=True,
                floor_positions=frozenset({FloorPosition.SUPINE}),
                floor_how="Slipped during a standing hold.",
                floor_seconds=20,
                floor_release="Released at once.",
                abc_never_restricted=False,
                abc_details="Breathing was fast; the hold was released.",
            ),
            injuries=Injuries(
                pupil_injured=True,
                pupil_injury="Graze to the elbow.",
                staff_injured=True,
                staff_injury="Scratch to the hand.",
                others_injured=True,
                others_injury="A pupil nearby bumped a knee.",
                first_aid="Cleaned and a plaster.",
                first_aid_by="Office staff",
            ),
            parents=dataclasses.replace(
                d.parents,
                told_at=datetime.combine(INCIDENT_DAY, time(9, 0)),
                summary_for_parents="Leo became upset when Maya took his seat.",
            ),
            follow_up=dataclasses.replace(
                d.follow_up,
                actions=(FollowUpAction("Review the seating plan", "Class teacher", None),),
            ),
        )
    )


def _rect(widget: QWidget, page_widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page_widget, widget.rect().topLeft()), widget.size())


def _reads_after(first: QRect, second: QRect) -> bool:
    """``second`` comes after ``first`` in reading order: below it, or beside it to the
    right on the same line."""
    below = second.top() >= first.bottom() - 4
    same_line = second.top() < first.bottom() and first.top() < second.bottom()
    return below or (same_line and second.left() >= first.right() - 4)


def tab_chain(qtbot: QtBot, step_page: StepPage) -> list[QWidget]:
    """Every widget Tab reaches on the page, from its first field until Tab leaves it."""
    first = step_page.first_input()
    assert first is not None
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: step_page.isAncestorOf(focused() or step_page))
    chain: list[QWidget] = []
    for _ in range(200):
        widget = focused()
        if widget is None or not step_page.isAncestorOf(widget) or widget in chain:
            return chain
        chain.append(widget)
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError("Tab never left the page")


def _slot_of(widget: QWidget, step_page: StepPage) -> FieldSlot | None:
    for slot in step_page.slots.values():
        if slot.isAncestorOf(widget) or any(b.isAncestorOf(widget) for b in slot.boxes.values()):
            return slot
    return None


def _explains(box: ExplanationBox, step_page: StepPage) -> tuple[FieldSlot, FieldSlot]:
    """The slot a box explains, and the last slot it must come after."""
    for name, slot in step_page.slots.items():
        if box in slot.boxes.values():
            after = dict(step_page.explanations_after).get(name)
            return slot, step_page.slots[after] if after else slot
    raise AssertionError(f"{box.code} belongs to no slot")


@pytest.mark.parametrize("step", [s for s in Step if s is not Step.REVIEW], ids=str)
def test_tab_follows_the_questions_on_every_step(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    everything_open: Incident,
    step: Step,
) -> None:
    form = show_form(qtbot, incidents, directory, everything_open, prompter)
    form.go_to(step)
    step_page = form.pages[list(Step).index(step)]
    chain = tab_chain(qtbot, step_page)

    # Every visible field and explanation box is reached, in the order on screen.
    for slot in step_page.slots.values():
        if slot.isVisibleTo(step_page) and slot.focus_target.isEnabled():
            target = accessible_target(slot.focus_target)
            reached = [w for w in chain if slot.input.isAncestorOf(w) or w is target]
            assert reached, f"Tab never reaches {slot.subject!r}"
    boxes = [b for s in step_page.slots.values() for b in s.boxes.values() if b.isVisible()]
    for box in boxes:
        assert box.edit in chain, f"Tab never reaches the explanation for {box.code}"
    for before, after in itertools.pairwise(chain):
        assert _reads_after(_rect(before, step_page), _rect(after, step_page)), (
            f"Tab goes from {before.accessibleName()!r} back up to {after.accessibleName()!r}"
        )

    # An explanation box comes straight after the questions it explains: the slot with
    # the warning and the follow-on questions its answer opened, on screen and by Tab.
    slots = list(step_page.slots.values())
    for box in boxes:
        explained, last = _explains(box, step_page)
        opened = [
            s
            for s in slots[slots.index(explained) : slots.index(last) + 1]
            if s.isVisibleTo(step_page)
        ]
        came_from = _slot_of(chain[chain.index(box.edit) - 1], step_page)
        assert came_from is opened[-1], (
            f"the explanation for {box.code} follows {came_from and came_from.subject!r}, "
            f"not {opened[-1].subject!r}"
        )
        for slot in opened:
            assert _rect(box, step_page).top() > _rect(slot.input, step_page).bottom()


def test_the_injury_explanation_comes_after_the_injuries_and_first_aid(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Zara Ahmed"].id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
    form.go_to(Step.INJURIES)
    injuries = page(form, InjuriesPage)
    injuries.pupil_injured.button_for(True).setFocus()
    key(qtbot, Qt.Key.Key_Space)  # Yes
    qtbot.waitUntil(lambda: "injury" in injuries.slots["pupil_injured"].boxes)
    box = injuries.slots["pupil_injured"].boxes["injury"]
    assert box.isVisible()

    # The next Tab goes to the injury itself, not to the explanation.
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is injuries.pupil_injury
    type_text(qtbot, "Bruise on the left forearm.")
    tab_to(qtbot, injuries.first_aid)
    type_text(qtbot, "Cold compress.")
    tab_to(qtbot, injuries.medical_attention)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is box.edit, "the explanation comes straight after medical attention"
    type_text(qtbot, "Told the safeguarding lead at 11:30.")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is injuries.property_damage

    # On screen too: below medical attention, above property damage, with the warning
    # repeated above it so it reads on its own.
    rect = _rect(box, injuries)
    assert rect.top() > _rect(injuries.slots["medical_attention"], injuries).bottom()
    assert rect.bottom() < _rect(injuries.slots["property_damage"], injuries).top()
    assert box.reminder.isVisible() and box.reminder.text().startswith("Someone was injured.")
    assert "Someone was injured." in injuries.slots["pupil_injured"].message.text()
    qtbot.waitUntil(lambda: form.details().explanation("injury") != "")
    assert form.details().injuries.pupil_injury == "Bruise on the left forearm."
    assert form.details().explanation("injury") == "Told the safeguarding lead at 11:30."
    qtbot.waitUntil(lambda: not injuries.slots["pupil_injury"].message.isVisible())
    injuries.grab().save("/work/notes/shots/injuries-step.png")


def test_parents_told_late_is_explained_after_who_how_and_when(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    everything_open: Incident,
) -> None:
    form = show_form(qtbot, incidents, directory, everything_open, prompter)
    form.go_to(Step.PARENTS)
    parents = page(form, ParentsPage)
    box = parents.slots["status"].boxes["parents_not_same_day"]
    tab_to(qtbot, parents.told_by)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is box.edit
    assert _rect(box, parents).top() > _rect(parents.slots["told_by"], parents).bottom()


def test_a_form_in_its_window_keeps_the_order(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    everything_open: Incident,
) -> None:
    """Loading a record again (another draft in the same form) keeps boxes in place."""
    form: IncidentForm = show_form(qtbot, incidents, directory, everything_open, prompter)
    form.go_to(Step.INJURIES)
    injuries = page(form, InjuriesPage)
    box = injuries.slots["pupil_injured"].boxes["injury"]
    injuries.pupil_injured.button_for(False).click()
    injuries.staff_injured.button_for(False).click()
    injuries.others_injured.button_for(False).click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert not injuries.slots["medical_attention"].isVisible()
    injuries.staff_injured.button_for(True).click()
    qtbot.waitUntil(box.isVisible)
    injuries.staff_injury.setFocus()
    tab_to(qtbot, injuries.medical_attention)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is box.edit
