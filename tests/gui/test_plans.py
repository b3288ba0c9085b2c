"""Behaviour support plans on screen: the plan beside the form's steps, its strategies
first in the de-escalation checklist, the warning for a technique the plan does not
approve, and the plan editor. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import HoldUse, Pupil, StaffMember
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.steps import Step
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.plans import PlanService
from incident_recorder.services.session import Session
from incident_recorder.ui.form.plan_note import NO_PLAN
from incident_recorder.ui.form.step_deescalation import DeescalationPage
from incident_recorder.ui.form.step_intervention import InterventionPage
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.plans.plan_actions import ChoosePupilDialog, PlanActions
from incident_recorder.ui.plans.plan_editor import PlanEditor
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import RENDERER, complete_details
from tests.gui.conftest import INCIDENT_DAY, PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import background_for, page, show_form, tab_to, type_text

STRATEGY = "Offered a break or the calm space"


def save_plan(session: Session, pupil: Pupil, **changes: object) -> BehaviourPlan:
    plan = BehaviourPlan(
        pupil_id=pupil.id,
        triggers="Sudden loud noises such as the fire bell",
        early_warning_signs="Hums and covers his ears",
        helpful_strategies=(STRATEGY,),
        to_avoid="Standing close behind him",
        approved_techniques=("Friendly hold (standing)",),
        medical_notes="Asthma: nothing that presses on the chest",
        ruled_out_techniques=("Wrap (standing)",),
        written_by="Siân Griffiths",
        start_date=date(2026, 1, 5),
        review_date=date(2026, 7, 5),
    )
    return PlanService(session, RENDERER).save(dataclasses.replace(plan, **changes))  # type: ignore[arg-type]


def test_the_plan_in_force_is_shown_beside_the_steps_with_its_strategies_first(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    leo = pupils["Leo Fernandes"]
    save_plan(session, leo)
    details = complete_details(leo.id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    details = dataclasses.replace(
        details,
        intervention=dataclasses.replace(
            details.intervention, holds=(HoldUse("Figure of four", 2 * 60),)
        ),
    )
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)

    what = page(form, WhatHappenedPage).plan_note
    assert "version 1 (review due 05/07/2026)" in what.plain_text()
    assert "Known triggers: Sudden loud noises" in what.plain_text()
    assert "Early warning signs: Hums" in what.plain_text()

    form.go_to(Step.DEESCALATION)
    deesc = page(form, DeescalationPage)
    assert deesc.plan_note.isVisible()
    assert "What to avoid: Standing close behind him" in deesc.plan_note.plain_text()
    boxes = [deesc.strategies.boxes[k] for k in deesc.strategies.boxes]
    assert boxes[0].text() == f"{STRATEGY}  (in the plan)"
    assert next(iter(deesc.strategies.boxes)) == STRATEGY
    # Ticking the plan's strategy records it under its own name.
    tab_to(qtbot, boxes[0])
    qtbot.keyClick(boxes[0], Qt.Key.Key_Space)
    assert STRATEGY in form.details().deescalation.strategies

    form.go_to(Step.INTERVENTION)
    intervention = page(form, InterventionPage)
    text = intervention.plan_note.plain_text()
    assert "Approved techniques: Friendly hold (standing)" in text
    assert "Medical or physical cautions: Asthma" in text
    assert "Ruled out for this pupil: Wrap (standing)" in text
    # The technique the plan does not approve needs an explanation before submit.
    assert "technique_not_in_plan" in {f.code for f in form.findings() if f.outstanding}
    holds = intervention.slots["holds"]
    assert "not among the techniques approved" in holds.message.text()
    box = holds.boxes["technique_not_in_plan"]
    assert box.isVisible()
    box.edit.setFocus()
    type_text(qtbot, "He ran towards the road; the standing hold was not possible.")
    form._refresh_findings()
    assert "technique_not_in_plan" not in {f.code for f in form.findings() if f.outstanding}

    form.go_to(Step.REVIEW)
    assert "Version 1, in force on the incident" in form.review.summary.toPlainText()


def test_with_no_plan_one_line_says_so_and_the_school_list_keeps_its_order(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    draft = incidents.new_draft(
        dataclasses.replace(
            complete_details(pupils["Maya Chen"].id, 1, INCIDENT_DAY),
        )
    )
    form = show_form(qtbot, incidents, directory, draft, prompter)
    deesc = page(form, DeescalationPage)
    assert deesc.plan_note.plain_text() == NO_PLAN
    school = directory.settings().deescalation_strategies
    assert list(deesc.strategies.boxes) == list(school)
    assert all("in the plan" not in b.text() for b in deesc.strategies.boxes.values())


def test_the_plan_that_started_after_the_incident_is_not_shown(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    oliver = pupils["Oliver Bennett"]
    save_plan(session, oliver, start_date=date(2026, 3, 21))
    draft = incidents.new_draft(complete_details(oliver.id, 1, INCIDENT_DAY))
    form = show_form(qtbot, incidents, directory, draft, prompter)
    assert page(form, DeescalationPage).plan_note.plain_text() == NO_PLAN


# --------------------------------------------------------------------------- the editor


def test_a_senco_writes_a_plan_and_each_save_is_a_new_version(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, pupils: dict[str, Pupil]
) -> None:
    zara = pupils["Zara Ahmed"]
    editor = PlanEditor(
        PlanService(session, RENDERER), zara, prompter, background_for(session, prompter)
    )
    qtbot.addWidget(editor)
    editor.show()
    assert "no behaviour support plan" in editor.status.text()
    assert editor.versions.count() == 0
    f = editor.fields
    f.triggers.setPlainText("Transitions between lessons")
    f.helpful.boxes[STRATEGY].setChecked(True)
    f.approved.boxes["Friendly hold (standing)"].setChecked(True)
    f.ruled_out.boxes["Wrap (standing)"].setChecked(True)
    f.medical.setPlainText("Asthma")
    f.written_by.setText("Siân Griffiths")
    f.review.set_value(date(2020, 1, 1))
    editor.save_button.click()
    assert "review date must be after the start date" in editor.error.text()
    assert editor.versions.count() == 0

    f.review.set_value(date(2026, 9, 1))
    editor.save_button.click()
    assert not editor.error.isVisible()
    assert editor.versions.count() == 1
    assert editor.versions.item(0).text().startswith("Version 1: from 20/03/2026")
    assert prompter.asked[-1][:2] == ("inform", "Plan saved")

    f.triggers.setPlainText("Transitions, and supply teachers")
    editor.save_button.click()
    assert editor.versions.count() == 2
    assert "Showing version 2, the current plan" in editor.status.text()
    editor.versions.setCurrentRow(1)
    assert f.triggers.toPlainText() == "Transitions between lessons"
    assert "earlier version" in editor.status.text()
    versions = PlanService(session, RENDERER).versions(zara.id)
    assert [v.triggers for v in versions] == [
        "Transitions, and supply teachers",
        "Transitions between lessons",
    ]
    assert versions[1].ruled_out_techniques == ("Wrap (standing)",)


def test_staff_see_the_plan_but_cannot_change_it(
    qtbot: QtBot,
    session: Session,
    account_service: AccountService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    leo = pupils["Leo Fernandes"]
    save_plan(session, leo)
    staff_session = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        editor = PlanEditor(
            PlanService(staff_session, RENDERER), leo, prompter, background_for(staff_session)
        )
        qtbot.addWidget(editor)
        editor.show()
        assert not editor.save_button.isVisible()
        assert editor.fields.triggers.isReadOnly()
        assert not editor.fields.approved.isEnabled()
        assert editor.fields.triggers.toPlainText().startswith("Sudden loud noises")
        assert "Only a SENCO or an administrator" in editor.status.text()
    finally:
        staff_session.close()


def test_the_main_window_opens_a_chosen_pupils_plan(
    qtbot: QtBot,
    session: Session,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    save_plan(session, pupils["Leo Fernandes"])
    window = QWidget()
    qtbot.addWidget(window)
    actions = PlanActions(
        window, PlanService(session, RENDERER), directory, prompter, background_for(session)
    )
    assert actions.open_action.isEnabled()
    assert actions.open_action.text() == "&Behaviour support plans…"
    chooser = ChoosePupilDialog(directory, window)
    qtbot.addWidget(chooser)
    chooser.show()
    assert not chooser.open_button.isEnabled()
    qtbot.keyClicks(chooser.chooser.search, "fernan")
    qtbot.keyClick(chooser.chooser.search, Qt.Key.Key_Return)
    assert chooser.open_button.isEnabled()
    chosen = chooser.pupil()
    assert chosen is not None and chosen.display_name == "Leo Fernandes"
    editor = actions.open_editor(chosen)
    assert editor.isVisible() and editor.versions.count() == 1
    assert editor.fields.triggers.toPlainText().startswith("Sudden loud noises")
