"""The safeguarding desk on screen, driven with qtbot over real encrypted files: the
window's three sections (overdue marked in words and colour; referral decisions asked
for through the Prompter; closing a request), the badge counted on a worker thread,
the desk opening by itself after a lead signs in, and the record view's amendment
request and the author's reply. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.desk import PRONE, PUPIL_INJURY, DeskCount, RequestState
from incident_recorder.domain.model import (
    FloorPosition,
    FollowUp,
    Incident,
    Injuries,
    Referral,
    StaffInvolvement,
    StaffMember,
    StaffPart,
)
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.desk import DeskService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.services.statements import StatementService
from incident_recorder.ui.desk.actions import DeskActions
from incident_recorder.ui.desk.models import (
    OVERDUE_BACKGROUND,
    AmendmentsModel,
    ReferralsModel,
    ToSignOffModel,
)
from incident_recorder.ui.desk.record_panel import AmendmentRequestsPanel
from incident_recorder.ui.desk.window import DeskWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.shell import Shell
from incident_recorder.ui.sign_off import SignOffControls
from tests.fakes import FakeClock, complete_details
from tests.gui.conftest import ADMIN, LEAD, NOW, PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import signed_in as finish_sign_in

Submit = Callable[..., Incident]
SHOTS = os.environ.get("DESK_SCREENSHOTS", "")
MONDAY = datetime(2026, 3, 16, 15, 0, tzinfo=UTC)  # NOW is Friday 20 March 2026


def _prone_injury_referral(submit_record: Submit, clock: FakeClock) -> Incident:
    clock.set(MONDAY)
    record = submit_record(
        "Leo Fernandes",
        day=MONDAY.date(),
        injuries=Injuries(
            pupil_injured=True, pupil_injury="A graze to the elbow.", staff_injured=False,
            others_injured=False, first_aid="Cleaned and dressed.",
            first_aid_by="Office first aider",
        ),
        follow_up=FollowUp(
            how_child_is_now="Calm.", pupil_support="Key adult.", plan_review_needed=False,
            risk_assessment_review_needed=False, referrals=frozenset({Referral.SOCIAL_CARE}),
        ),
    )  # fmt: skip
    clock.set(NOW)
    return record


def _with_prone(submit_record: Submit, clock: FakeClock, incidents: IncidentService) -> Incident:
    record = _prone_injury_referral(submit_record, clock)
    details = record.details
    details = dataclasses.replace(
        details,
        intervention=dataclasses.replace(
            details.intervention,
            floor_position=True,
            floor_positions=frozenset({FloorPosition.PRONE}),
            floor_how="Slipped to the floor.",
            floor_seconds=20,
            floor_release="Released at once.",
        ),
    )
    for finding in incidents.findings(details):
        if finding.outstanding and finding.explanation_field is None:
            details = details.with_explanation(finding.code, "Explained for the test.")
    clock.set(MONDAY.replace(minute=30))
    amended = incidents.amend(record.id, details, "The floor position was left out.")
    clock.set(NOW)
    return amended


def _desk(qtbot: QtBot, session: Session, prompter: ScriptedPrompter) -> DeskWindow:
    window = DeskWindow(DeskService(session), prompter)
    qtbot.addWidget(window)
    window.refresh()
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_desk_lists_marks_overdue_and_records_decisions(
    qtbot: QtBot,
    session: Session,
    submit_record: Submit,
    clock: FakeClock,
    incidents: IncidentService,
    prompter: ScriptedPrompter,
) -> None:
    old = _with_prone(submit_record, clock, incidents)
    new = submit_record("Leo Fernandes")
    window = _desk(qtbot, session, prompter)
    sign_off = window.sign_off
    assert [r.incident_id for r in sign_off.model.values] == [old.id, new.id]
    days = sign_off.model.index(0, 3)
    assert days.data() == "4 school days: overdue"
    brush = days.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == OVERDUE_BACKGROUND
    assert sign_off.model.index(0, 4).data().startswith(f"{PRONE}; {PUPIL_INJURY}")
    assert sign_off.model.index(1, 3).data() == "0 school days"
    assert window.tabs.tabText(0) == "To &sign off (2)"
    # Opening a row asks for the record.
    with qtbot.waitSignal(window.record_requested) as opened:
        sign_off.table.setFocus()
        qtbot.keyClick(sign_off.table, Qt.Key.Key_Return)
    assert opened.args == [old.id]
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "desk-to-sign-off.png"))
    # Referrals: two items open on the old record; decide both.
    window.tabs.setCurrentWidget(window.referrals)
    assert window.referrals.model.index(0, 3).data() == "Injury review; Children's social care"
    prompter.choice_answers.append(1)
    prompter.text_answers.append("Front door, reference 4471.")
    with qtbot.waitSignal(window.desk_changed):
        qtbot.mouseClick(window.made_button, Qt.MouseButton.LeftButton)
    row = window.referrals.model.index(0, 4).data()
    assert "Children's social care: referral made, decided by Siân Griffiths" in row
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "desk-referrals.png"))
    prompter.text_answers.append("")  # no reason: nothing kept
    window.not_needed_button.click()
    assert ("warn", "No referral needed", "Say why no referral is needed (Injury review).") in (
        prompter.asked
    )
    prompter.text_answers.append("A small graze, first aid given.")
    window.not_needed_button.click()
    assert window.referrals.model.rowCount() == 0
    assert "No referrals wait" in window.referrals.intro.text()
    # Amendments: a request shows, and closing it asks first.
    request = DeskService(session).request_amendment(old.id, "Please add who released the hold.")
    window.refresh()
    window.tabs.setCurrentWidget(window.amendments)
    assert window.amendments.model.index(0, 3).data() == "Please add who released the hold."
    assert window.amendments.model.index(0, 4).data() == "No reply yet."
    prompter.confirm_answers.append(True)
    window.close_button.click()
    [thread] = DeskService(session).requests_for(old.id)
    assert thread.request.id == request.id and thread.state is RequestState.CLOSED
    assert window.amendments.model.index(0, 5).data().startswith("Closed by Siân Griffiths")


def test_the_desks_models(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    session: Session,
    submit_record: Submit,
    clock: FakeClock,
    incidents: IncidentService,
    prompter: ScriptedPrompter,
) -> None:
    record = _with_prone(submit_record, clock, incidents)
    DeskService(session).request_amendment(record.id, "Please add the room.")
    desk = DeskService(session)
    sign_off, referrals = ToSignOffModel(), ReferralsModel()
    amendments = AmendmentsModel(lambda moment: moment)
    sign_off.set_rows(list(desk.to_sign_off()))
    referrals.set_rows(list(desk.referrals()))
    amendments.set_rows(list(desk.amendment_requests()))
    for model in (sign_off, referrals, amendments):
        assert model.rowCount() == 1
        qtmodeltester.check(model, force_py=True)


def test_every_input_has_an_accessible_name_and_tab_reaches_the_buttons(
    qtbot: QtBot, session: Session, submit_record: Submit, prompter: ScriptedPrompter
) -> None:
    submit_record("Leo Fernandes")
    window = _desk(qtbot, session, prompter)
    for widget in window.findChildren(QWidget):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            assert widget.accessibleName(), widget
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.sign_off.table.setFocus()
    qtbot.keyClick(window.sign_off.table, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.sign_off.open_button


def _sign_in(qtbot: QtBot, shell: Shell, username: str) -> None:
    window = shell.sign_in
    assert window is not None
    window.username.setText(username)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    assert shell.main is not None


def test_the_badge_counts_off_the_gui_thread_and_the_desk_opens_after_sign_in(
    qtbot: QtBot,
    session: Session,
    submit_record: Submit,
    clock: FakeClock,
    make_shell: Callable[..., Shell],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _prone_injury_referral(submit_record, clock)
    session.close()
    threads: list[threading.Thread] = []
    counted = DeskService.waiting

    def waiting(self: DeskService) -> DeskCount:
        threads.append(threading.current_thread())
        return counted(self)

    monkeypatch.setattr(DeskService, "waiting", waiting)
    shell = make_shell()
    _sign_in(qtbot, shell, LEAD)
    main = shell.main
    assert main is not None
    actions = main.desk_actions
    assert isinstance(actions, DeskActions)
    qtbot.waitUntil(lambda: actions.count is not None, timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    assert actions.count == DeskCount(
        to_sign_off=1, referrals=1, extra=(("Statements outstanding after 1 school day", 0),)
    )
    assert actions.badge.text() == "Desk: 2 waiting"
    assert "c42b1c" in actions.badge.styleSheet()  # red while anything waits
    assert actions.badge.accessibleName() == "Safeguarding desk: 2 waiting"
    assert actions.badge_shown and actions.badge.isVisible()
    desk = actions.desk_window
    assert desk is not None and desk.isVisible()  # opened by itself
    qtbot.waitUntil(lambda: desk.referrals.model.rowCount() == 1, timeout=2000)
    if SHOTS:
        main.grab().save(str(Path(SHOTS) / "desk-badge.png"))
    # Opening a row opens the record view; signing it off there counts again.
    with qtbot.waitSignal(desk.record_requested):
        desk.sign_off.open_button.click()
    [view] = main.windows.viewers.values()
    controls = view.findChild(SignOffControls)
    assert isinstance(controls, SignOffControls) and controls.button is not None
    controls.button.click()
    assert controls.dialog is not None
    controls.dialog.accept()
    qtbot.waitUntil(lambda: actions.badge.text() == "Desk: 1 waiting", timeout=10_000)


def test_nothing_opens_and_no_badge_for_an_administrator(
    qtbot: QtBot, session: Session, submit_record: Submit, make_shell: Callable[..., Shell]
) -> None:
    submit_record("Leo Fernandes")
    session.close()
    shell = make_shell()
    _sign_in(qtbot, shell, ADMIN)
    main = shell.main
    assert main is not None and main.desk_actions is None


def test_a_lead_asks_for_an_amendment_and_the_author_replies_in_the_record_view(
    qtbot: QtBot,
    session: Session,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    session.close()
    staff = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    pupil = DirectoryService(staff).search_pupils("Leo", 1)[0]
    assert staff.user.staff_id is not None
    details = complete_details(pupil.id, staff.user.staff_id, NOW.date())
    mine = IncidentService(staff)
    record = mine.submit(mine.new_draft(details).id, details)
    staff.close()

    lead = account_service.sign_in(LEAD, PASSPHRASE)
    view = RecordView(
        IncidentService(lead), DirectoryService(lead), record.id, prompter, "Europe/London"
    )
    qtbot.addWidget(view)
    panel = AmendmentRequestsPanel.install_on(view, DeskService(lead), prompter)
    assert panel is not None and panel.request_button is not None
    view.show()
    prompter.text_answers.append("Please say which room the reading corner is in.")
    with qtbot.waitSignal(panel.requests_changed):
        qtbot.mouseClick(panel.request_button, Qt.MouseButton.LeftButton)
    assert panel.model.index(0, 5).data() == RequestState.WAITING.label
    assert panel.reply_button.isHidden()  # the lead is not the author
    view.close()
    lead.close()

    author = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    view = RecordView(
        IncidentService(author), DirectoryService(author), record.id, prompter, "Europe/London"
    )
    qtbot.addWidget(view)
    panel = AmendmentRequestsPanel.install_on(view, DeskService(author), prompter)
    assert panel is not None and panel.request_button is None
    view.show()
    assert not panel.reply_button.isHidden() and panel.reply_button.isEnabled()
    assert panel.close_button.isHidden()
    assert "asked you to amend" in panel.intro.text()
    prompter.text_answers.append("Class 4's reading corner; I will amend it today.")
    with qtbot.waitSignal(panel.requests_changed):
        qtbot.mouseClick(panel.reply_button, Qt.MouseButton.LeftButton)
    assert "Tomasz Nowak" in panel.model.index(0, 4).data()
    assert panel.model.index(0, 5).data() == RequestState.REPLIED.label
    if SHOTS:
        view.tabs.setCurrentWidget(panel.page)
        view.resize(1000, 700)
        view.grab().save(str(Path(SHOTS) / "desk-record-view-author.png"))
    # The author's own small list.
    window = _desk(qtbot, author, prompter)
    assert window.windowTitle() == "Amendments asked of you"
    assert window.tabs.tabText(0) == "&Asked to amend (1)"
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "desk-author.png"))
    view.close()
    author.close()


def test_the_author_sees_the_request_after_signing_in(
    qtbot: QtBot,
    session: Session,
    account_service: AccountService,
    make_shell: Callable[..., Shell],
) -> None:
    session.close()
    staff = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    pupil = DirectoryService(staff).search_pupils("Leo", 1)[0]
    assert staff.user.staff_id is not None
    details = complete_details(pupil.id, staff.user.staff_id, NOW.date())
    mine = IncidentService(staff)
    record = mine.submit(mine.new_draft(details).id, details)
    staff.close()
    lead = account_service.sign_in(LEAD, PASSPHRASE)
    DeskService(lead).request_amendment(record.id, "Please name the reading corner's room.")
    lead.close()
    shell = make_shell()
    _sign_in(qtbot, shell, STAFF_ONLY)
    main = shell.main
    assert main is not None
    actions = main.desk_actions
    assert isinstance(actions, DeskActions) and not actions.lead
    qtbot.waitUntil(lambda: actions.count is not None, timeout=10_000)
    assert actions.badge.text() == "Asked to amend: 1" and actions.badge_shown
    window = actions.desk_window
    assert window is not None and window.isVisible()
    assert window.windowTitle() == "Amendments asked of you"
    assert window.amendments.model.rowCount() == 1


def test_staff_with_nothing_asked_see_no_badge_and_no_window(
    qtbot: QtBot, session: Session, submit_record: Submit, make_shell: Callable[..., Shell]
) -> None:
    submit_record("Leo Fernandes")  # written by the lead: nothing for Staff
    session.close()
    shell = make_shell()
    _sign_in(qtbot, shell, STAFF_ONLY)
    main = shell.main
    assert main is not None
    actions = main.desk_actions
    assert isinstance(actions, DeskActions)
    qtbot.waitUntil(lambda: actions.count is not None, timeout=10_000)
    assert actions.count is not None and actions.count.total == 0
    assert not actions.badge_shown
    assert actions.desk_window is None


def test_the_fourth_section_lists_statements_outstanding(
    qtbot: QtBot,
    session: Session,
    submit_record: Submit,
    staff: dict[str, StaffMember],
    clock: FakeClock,
    prompter: ScriptedPrompter,
) -> None:
    clock.set(MONDAY)
    record = submit_record("Leo Fernandes", day=MONDAY.date())
    details = record.details
    named = (*details.who.staff, StaffInvolvement(staff["Tomasz Nowak"].id, StaffPart.WITNESSED))
    details = dataclasses.replace(details, who=dataclasses.replace(details.who, staff=named))
    clock.set(MONDAY.replace(minute=30))
    IncidentService(session).amend(record.id, details, "Tomasz Nowak saw it too.")
    clock.set(NOW)
    window = DeskWindow(DeskService(session, statements=StatementService(session)), prompter)
    qtbot.addWidget(window)
    window.refresh()
    assert window.statements is not None
    assert window.tabs.tabText(3) == "S&tatements outstanding (1)"
    assert window.statements.model.index(0, 2).data() == "Tomasz Nowak"
    assert window.statements.model.index(0, 4).data() == "4"
    with qtbot.waitSignal(window.record_requested) as opened:
        window.tabs.setCurrentWidget(window.statements)
        window.statements.open_button.click()
    assert opened.args == [record.id]


@pytest.mark.parametrize("desk_waiting", [True, False])
def test_a_lead_with_their_own_statement_to_write_gets_one_window_after_sign_in(
    qtbot: QtBot,
    session: Session,
    account_service: AccountService,
    make_shell: Callable[..., Shell],
    desk_waiting: bool,
) -> None:
    from incident_recorder.domain.model import StaffInvolvement, StaffPart
    from incident_recorder.services.sign_off import SignOffService
    from tests.gui.conftest import INCIDENT_DAY, explained

    tomasz = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    lead_staff = session.user.staff_id
    assert tomasz.user.staff_id is not None and lead_staff is not None
    pupil = next(iter(IncidentService(tomasz)._s.store.pupils.list()))
    details = complete_details(pupil.id, tomasz.user.staff_id, INCIDENT_DAY)
    named = (
        StaffInvolvement(tomasz.user.staff_id, StaffPart.CARRIED_OUT),
        StaffInvolvement(lead_staff, StaffPart.WITNESSED),  # the lead saw it
    )
    details = dataclasses.replace(details, who=dataclasses.replace(details.who, staff=named))
    service = IncidentService(tomasz)
    details = explained(details, service)
    record = service.submit(service.new_draft(details).id, details)
    tomasz.close()
    if not desk_waiting:
        SignOffService(session).sign_off(record.id)
    session.close()
    shell = make_shell()
    _sign_in(qtbot, shell, LEAD)
    main = shell.main
    assert main is not None and main.desk_actions is not None
    desk, statements = main.desk_actions, main.statement_actions
    qtbot.waitUntil(lambda: desk.count is not None, timeout=10_000)
    qtbot.wait(50)
    assert statements.count == 1  # the badge still says so
    opened_desk = desk.desk_window is not None and desk.desk_window.isVisible()
    opened_list = statements.list_window is not None and statements.list_window.isVisible()
    assert (opened_desk, opened_list) == (desk_waiting, not desk_waiting)
