"""Quick-add dialogs for a pupil or an adult who is not on the list yet.
Everyone named here is fictional."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QDialog

from incident_recorder.domain.model import SenStatus
from incident_recorder.domain.pupils import make_upn
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.staff_row import StaffRow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.quick_add import QuickAddPupilDialog, QuickAddStaffDialog
from tests.gui.form_support import show_form


def test_a_bad_upn_is_explained_and_the_typing_is_kept(
    qtbot: QtBot, directory: DirectoryService
) -> None:
    dialog = QuickAddPupilDialog(directory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first_name, "Noah")
    qtbot.keyClicks(dialog.last_name, "Adeyemi")
    qtbot.keyClicks(dialog.upn, "A12345")
    qtbot.keyClicks(dialog.year_group, "Year 2")
    dialog.sen_status.setCurrentIndex(dialog.sen_status.findText("EHCP"))
    dialog.add_button.click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    assert dialog.error.text() == "A UPN has 13 characters; 'A12345' has 6."
    assert (dialog.first_name.text(), dialog.last_name.text(), dialog.upn.text()) == (
        "Noah",
        "Adeyemi",
        "A12345",
    )
    assert directory.search_pupils("Adeyemi") == []

    dialog.upn.setText(make_upn(202, 2001, 19, 44))
    with qtbot.waitSignal(dialog.accepted):
        dialog.add_button.click()
    assert dialog.pupil is not None
    [found] = directory.search_pupils("Adeyemi")
    assert found.id == dialog.pupil.id
    assert found.year_group == "Year 2" and found.sen_status is SenStatus.EHCP


def test_a_date_of_birth_that_cannot_be_read_is_not_saved(
    qtbot: QtBot, directory: DirectoryService
) -> None:
    dialog = QuickAddPupilDialog(directory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first_name, "Ella")
    qtbot.keyClicks(dialog.last_name, "Morris")
    qtbot.keyClicks(dialog.date_of_birth.edit, "31/02/2018")
    dialog.add_button.click()
    assert "dd/mm/yyyy" in dialog.error.text()
    assert directory.search_pupils("Morris") == []


def test_a_pupil_added_from_the_form_becomes_the_chosen_pupil(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    form.go_to(Step.WHO)
    form.who.pupil.add_button.click()
    dialog = form.quick_add_dialog()
    assert isinstance(dialog, QuickAddPupilDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.first_name, "Ruby")
    qtbot.keyClicks(dialog.last_name, "Osei")
    dialog.add_button.click()
    assert not dialog.isVisible()
    added = dialog.pupil
    assert added is not None
    assert form.who.pupil.pupil_id() == added.id
    assert "Ruby Osei" in form.who.pupil.chosen.text()
    qtbot.waitUntil(lambda: form.details().who.pupil_id == added.id)


def test_an_adult_added_from_the_form_fills_a_staff_row(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    form.go_to(Step.WHO)
    form.who.new_staff_button.click()
    dialog = form.quick_add_dialog()
    assert isinstance(dialog, QuickAddStaffDialog)
    dialog.add_button.click()  # no name yet
    assert dialog.error.text() == "Please enter the member of staff's full name."
    qtbot.keyClicks(dialog.full_name, "Gwen Parry")
    qtbot.keyClicks(dialog.job_title, "Cover supervisor")
    dialog.add_button.click()
    [row] = form.who.staff.rows()
    assert isinstance(row, StaffRow)
    assert row.name.currentText() == "Gwen Parry"
    assert dialog.member is not None
    assert row.staff_id() == dialog.member.id
    assert "Choose their part" in row.problem.text()
    assert any(s.full_name == "Gwen Parry" for s in directory.staff_list())
