"""Choosing the pupil and the staff on the Who step, from the keyboard: part of a
name and Enter. Everyone named here is fictional."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from incident_recorder.domain.model import NewPupil, StaffMember
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.staff_row import StaffRow
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.gui.form_support import focused, key, row, show_form, tab_to, type_text


@pytest.fixture
def form(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> IncidentForm:
    for name in ("Ruby Jovanovic", "Ruby Hart", "Ruby Harte"):
        directory.quick_add_staff(name, "Teaching assistant")
    shown = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    shown.go_to(Step.WHO)
    return shown


def staff_row(qtbot: QtBot, form: IncidentForm) -> StaffRow:
    """A new staff row, with the cursor in its name box."""
    tab_to(qtbot, form.who.staff.add_button)
    key(qtbot, Qt.Key.Key_Space)
    added = row(form.who.staff, len(form.who.staff.rows()) - 1, StaffRow)
    assert focused() in (added.name, added.name.lineEdit())
    return added


def popup_names(added: StaffRow) -> list[str]:
    popup = added.popup()
    if not popup.isVisible():
        return []
    model = popup.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


# --------------------------------------------------------------------------- staff


def test_part_of_a_name_and_enter_completes_a_single_match(
    qtbot: QtBot, form: IncidentForm, staff: dict[str, StaffMember]
) -> None:
    added = staff_row(qtbot, form)
    type_text(qtbot, "Ruby Jov")
    assert popup_names(added) == ["Ruby Jovanovic"]
    assert added.problem.text() == "Press Enter to choose Ruby Jovanovic."
    key(qtbot, Qt.Key.Key_Return)
    assert added.name.currentText() == "Ruby Jovanovic"
    assert added.staff_id() == staff["Ruby Jovanovic"].id
    assert not added.popup().isVisible()
    assert added.problem.text() == "Choose their part."


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [
        ("jovanovic ruby", "Ruby Jovanovic"),  # surname first, in lower case
        ("Nowak, T", "Tomasz Nowak"),
        ("sian", "Siân Griffiths"),  # without the accent
        ("SHAH", "Priya Shah"),
        ("ruby hart", "Ruby Hart"),  # typed in full: not Ruby Harte
    ],
)
def test_names_match_as_a_school_would_expect(
    qtbot: QtBot, form: IncidentForm, staff: dict[str, StaffMember], typed: str, chosen: str
) -> None:
    added = staff_row(qtbot, form)
    type_text(qtbot, typed)
    key(qtbot, Qt.Key.Key_Return)
    assert added.staff_id() == staff[chosen].id
    assert added.name.currentText() == chosen


def test_several_matches_open_the_list_and_down_then_enter_chooses(
    qtbot: QtBot, form: IncidentForm, staff: dict[str, StaffMember]
) -> None:
    added = staff_row(qtbot, form)
    type_text(qtbot, "Ruby")
    assert added.problem.text() == (
        "3 people on the staff list match 'Ruby': press Down and choose one."
    )
    listed = ["Ruby Hart", "Ruby Harte", "Ruby Jovanovic"]  # in the staff list's order
    assert popup_names(added) == listed
    key(qtbot, Qt.Key.Key_Return)  # nothing highlighted: nobody is chosen by accident
    assert added.staff_id() is None
    qtbot.waitUntil(lambda: popup_names(added) == listed)
    assert QApplication.activePopupWidget() is added.popup()
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    assert added.staff_id() == staff["Ruby Harte"].id
    assert not added.popup().isVisible()


def test_no_match_says_so_plainly_and_keeps_the_typing(qtbot: QtBot, form: IncidentForm) -> None:
    added = staff_row(qtbot, form)
    type_text(qtbot, "Ruby Jox")
    key(qtbot, Qt.Key.Key_Return)
    assert added.staff_id() is None
    assert added.name.currentText() == "Ruby Jox"
    expected = (
        "No one on the staff list matches 'Ruby Jox'. Check the spelling, or add them "
        "with 'Someone else not on the staff list…'."
    )
    assert added.problem.text() == expected and added.problem.isVisible()
    assert added.name.accessibleDescription() == expected
    assert form.who.incomplete_staff_rows() == [1]
    form.who.grab().save("/work/notes/shots/staff-no-match.png")


def test_leaving_the_box_with_a_single_match_chooses_it(
    qtbot: QtBot, form: IncidentForm, staff: dict[str, StaffMember]
) -> None:
    added = staff_row(qtbot, form)
    type_text(qtbot, "griff")
    tab_to(qtbot, added.part)
    assert added.staff_id() == staff["Siân Griffiths"].id


# --------------------------------------------------------------------------- pupil


def test_choosing_a_pupil_clears_the_search_and_its_list(
    qtbot: QtBot, form: IncidentForm, directory: DirectoryService
) -> None:
    for first, last in (("Anya", "Patel"), ("Andrew", "Ellis"), ("Ana", "Lopes")):
        directory.quick_add_pupil(NewPupil(first, last, year_group="Year 2"))
    chooser = form.who.pupil
    chooser.search.setFocus()
    type_text(qtbot, "an")  # several children
    assert chooser.results.count() > 1 and chooser.results.isVisible()
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    wanted = chooser.results.currentItem().data(Qt.ItemDataRole.UserRole)
    key(qtbot, Qt.Key.Key_Return)
    assert chooser.pupil_id() == wanted.id
    assert chooser.search.text() == ""
    assert not chooser.results.isVisible() and chooser.results.count() == 0
    assert not chooser.results_label.isVisible()
    assert chooser.chosen.text().startswith(f"Chosen: {wanted.display_name}")
    assert focused() is chooser.search

    # A stray Enter now changes nothing.
    key(qtbot, Qt.Key.Key_Return)
    assert chooser.pupil_id() == wanted.id
