"""Drafts: autosave survives a crash, every field round-trips, another pupil from the
same event, and typing is never lost to an error. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from typing import NoReturn

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import (
    ContactMethod,
    Debriefs,
    FloorPosition,
    FollowUp,
    FollowUpAction,
    HoldUse,
    IncidentDetails,
    IncidentStatus,
    Injuries,
    Intervention,
    InterventionKind,
    ParentsContact,
    ParentsStatus,
    Pupil,
    Referral,
    StaffMember,
)
from incident_recorder.domain.steps import Step
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY, LEAD, PASSPHRASE
from tests.gui.form_support import key, page, show_form, type_text


def test_a_draft_comes_back_after_the_app_is_killed(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    account_service: AccountService,
    session: Session,
) -> None:
    draft = incidents.new_draft()
    form = show_form(qtbot, incidents, directory, draft, prompter, autosave_ms=100)
    page(form, WhenWherePage).start.setFocus()
    type_text(qtbot, "11:20")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "11:31")
    form.go_to(Step.WHAT_HAPPENED, focus=True)
    type_text(qtbot, "Wet play; the pupil was told the computer was broken.")
    with qtbot.waitSignal(form.draft_saved, timeout=3000):
        pass  # the autosave timer fires on its own
    assert form.save_status.text().startswith("Draft saved 15:30")

    # The window goes away without flush() or any close handling: as good as a crash.
    form.hide()
    form.deleteLater()
    qtbot.wait(10)
    session.close()

    again = account_service.sign_in(LEAD, PASSPHRASE)
    try:
        incidents2, directory2 = IncidentService(again), DirectoryService(again)
        [summary] = incidents2.drafts()
        reopened = incidents2.open(summary.id)
        assert reopened.details.when_where.start == time(11, 20)
        assert reopened.details.when_where.end == time(11, 31)
        assert reopened.details.when_where.date == INCIDENT_DAY
        assert reopened.details.what_happened.antecedents.startswith("Wet play")
        form2 = show_form(qtbot, incidents2, directory2, reopened, prompter)
        assert page(form2, WhenWherePage).start.edit.text() == "11:20"
        assert page(form2, WhatHappenedPage).antecedents.toPlainText().startswith("Wet play")
    finally:
        again.close()


def _everything(pupil_id: int, staff_id: int) -> list[IncidentDetails]:
    base = complete_details(pupil_id, staff_id, INCIDENT_DAY)
    day = INCIDENT_DAY
    busy = dataclasses.replace(
        base,
        intervention=Intervention(
            kind=InterventionKind.RESTRAINT_WITHOUT_FORCE,
            holds=(HoldUse("Seated wrap", 12 * 60), HoldUse("My own words for a hold", None)),
            staff_count=3,
            floor_position=True,
            floor_positions=frozenset({FloorPosition.GROUND, FloorPosition.PRONE}),
            floor_how="Pupil dropped to the floor.",
            floor_seconds=2 * 60,
            floor_release="Let go and stepped back.",
            abc_never_restricted=False,
            abc_details="Pupil said they could not breathe; hold released at once.",
        ),
        injuries=Injuries(
            pupil_injured=True,
            pupil_injury="Graze to the knee.",
            staff_injured=True,
            staff_injury="Bitten on the forearm.",
            others_injured=False,
            first_aid="Cleaned and dressed.",
            first_aid_by="School first aider",
            medical_attention="None needed.",
            property_damage="A broken chair.",
        ),
        debriefs=Debriefs(
            pupil_debriefed=False,
            pupil_not_debriefed_reason="Went home straight after.",
            staff_debrief="Tomorrow morning.",
            staff_support="Offered time out.",
        ),
        parents=ParentsContact(
            status=ParentsStatus.WITHHELD,
            withheld_reason="Disclosure earlier this week.",
            withheld_decided_by="Ms R Okafor, safeguarding lead",
            la_told_at=datetime.combine(day, time(13, 15)),
            la_told_who="Duty social worker",
        ),
        follow_up=FollowUp(
            pupil_support="Daily check-in.",
            plan_review_needed=True,
            risk_assessment_review_needed=True,
            referrals=frozenset({Referral.SOCIAL_CARE, Referral.SAFEGUARDING_LEAD}),
            actions=(
                FollowUpAction("Review the plan", "SENCO", date(2026, 3, 27)),
                FollowUpAction("", "", None),
            ),
        ),
        explanations=(("floor_position", "Explained."), ("long_hold", "Also explained.")),
    )
    told = dataclasses.replace(
        base,
        parents=ParentsContact(
            status=ParentsStatus.TOLD,
            told_who="Grandmother",
            told_how=ContactMethod.IN_PERSON,
            told_at=datetime.combine(day, time(15, 10)),
            told_by="Deputy head",
        ),
        debriefs=dataclasses.replace(base.debriefs, staff_support="Supervision on Monday."),
    )
    not_yet = dataclasses.replace(
        base, parents=ParentsContact(status=ParentsStatus.NOT_YET, not_yet_reason="No answer.")
    )
    return [base, busy, told, not_yet]


@pytest.mark.parametrize("which", range(4))
def test_every_field_round_trips_through_the_form(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
    which: int,
) -> None:
    details = _everything(pupils["Zara Ahmed"].id, staff["Tomasz Nowak"].id)[which]
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
    assert form.details() == details
    form.flush()
    assert incidents.open(form.incident().id).details == details


def test_another_pupil_from_the_same_event_gets_a_linked_record(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Maya Chen"].id, staff["Priya Shah"].id, INCIDENT_DAY)
    first = incidents.new_draft(details)
    form = show_form(qtbot, incidents, directory, first, prompter)
    page(form, WhatHappenedPage).account.setPlainText("Both pupils were fighting by the pegs.")
    form.go_to(Step.REVIEW)
    form.review.another_pupil.click()
    assert prompter.asked[-1][0] == "inform"
    second = form.incident()
    assert second.id != first.id and second.event_id == first.event_id
    assert form.current_step() is Step.WHO
    # Shared details are carried over; the pupil's own are left for this record.
    assert form.details().who.pupil_id is None
    assert form.details().when_where == details.when_where
    assert form.details().what_happened.account == "Both pupils were fighting by the pegs."
    assert "Maya Chen (draft)" in form.who.linked.text()
    # The first record kept the typing made just before the button was pressed.
    assert incidents.open(first.id).details.what_happened.account.startswith("Both pupils")


def test_a_submit_raced_by_typing_lists_what_is_missing_and_keeps_everything(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Maya Chen"].id, staff["Priya Shah"].id, INCIDENT_DAY)
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
    form.go_to(Step.REVIEW)
    assert form.review.submit.isEnabled()
    page(form, WhenWherePage).location.setEditText("")  # cleared a moment before Submit
    prompter.confirm_answers.append(True)
    form.review.submit.click()
    kind, _title, text = prompter.asked[-1]
    assert kind == "warn" and "Choose or type where it happened." in text
    assert incidents.open(form.incident().id).status is IncidentStatus.DRAFT
    assert form.details().what_happened == details.what_happened
    qtbot.waitUntil(lambda: not form.review.submit.isEnabled())
    assert form.review.todo.messages() == ["Step 1: Choose or type where it happened."]


def test_a_failed_autosave_says_so_and_keeps_the_typing(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from incident_recorder.domain.errors import DatabaseDamaged

    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)

    def broken(incident_id: int, details: IncidentDetails) -> NoReturn:
        raise DatabaseDamaged("The database could not be written.")

    monkeypatch.setattr(incidents, "save_draft", broken)
    page(form, WhenWherePage).start.edit.setText("08:50")
    form.flush()
    assert "could not be saved" in form.save_status.text()
    assert "still here" in form.save_status.text()
    assert page(form, WhenWherePage).start.edit.text() == "08:50"
