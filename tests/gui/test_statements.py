"""Each adult's own account (issue 13) on screen: the list that opens after signing in
while statements wait, its badge and count, the statement editor (typed into, saved
twice: versions 1 and 2; nothing to add), the record view's "Staff statements" tab,
and a safeguarding lead recording one given on paper. Everyone is fictional."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTabWidget, QToolBar, QWidget

from incident_recorder.domain.model import Incident, Pupil, StaffInvolvement, StaffMember
from incident_recorder.domain.model import StaffPart as P
from incident_recorder.domain.statements import EMPTY_ACCOUNT, RequestStatus
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.services.statements import StatementService
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.statements.actions import StatementActions
from incident_recorder.ui.statements.editor import StatementEditor
from incident_recorder.ui.statements.tab import StatementsTab
from tests.fakes import complete_details, services_for
from tests.gui.conftest import INCIDENT_DAY, PASSPHRASE, STAFF_ONLY, explained

SHOTS = Path(os.environ.get("STATEMENT_SCREENSHOTS", "/nonexistent"))
ACCOUNT = "I was at the classroom door. I saw Leo climb on the desk at 10:05."
ZONE = "Europe/London"


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def record(
    incidents: IncidentService, pupils: dict[str, Pupil], staff: dict[str, StaffMember]
) -> Incident:
    """Siân's record naming Tomasz (witnessed) and Priya Shah (assisted; no account)."""
    details = complete_details(pupils["Leo Fernandes"].id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    named = (
        StaffInvolvement(staff["Siân Griffiths"].id, P.CARRIED_OUT),
        StaffInvolvement(staff["Tomasz Nowak"].id, P.WITNESSED),
        StaffInvolvement(staff["Priya Shah"].id, P.ASSISTED),
    )
    details = dataclasses.replace(details, who=dataclasses.replace(details.who, staff=named))
    details = explained(details, incidents)
    return incidents.submit(incidents.new_draft(details).id, details)


@pytest.fixture
def tomasz(account_service: AccountService) -> Iterator[Session]:
    signed_in = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    yield signed_in
    signed_in.close()


def _window_with_actions(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, opened: list[int]
) -> tuple[QMainWindow, StatementActions]:
    window = QMainWindow()
    window.setWindowTitle("Main")
    qtbot.addWidget(window)
    window.menuBar().addMenu("&View")
    window.addToolBar(QToolBar("Actions", window))
    actions = StatementActions.install(
        window, StatementService(session), prompter, opened.append, open_when_waiting=False
    )
    return window, actions


def _record_view(
    qtbot: QtBot, session: Session, incident_id: int, prompter: ScriptedPrompter
) -> RecordView:
    view = RecordView(
        IncidentService(session), DirectoryService(session), incident_id, prompter, ZONE
    )
    qtbot.addWidget(view)
    return view


def _tab(view: RecordView) -> StatementsTab:
    tab = view.findChild(StatementsTab)
    assert isinstance(tab, StatementsTab)
    tabs = next(t for t in view.findChildren(QTabWidget) if t.indexOf(tab) >= 0)
    tabs.setCurrentWidget(tab)
    return tab


def test_the_witness_writes_in_the_tab_and_saves_a_second_version(
    qtbot: QtBot, tomasz: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    _window, actions = _window_with_actions(qtbot, tomasz, prompter, [])
    actions.refresh()
    assert actions.count == 1 and actions.badge.text() == "Statements to write (1)"
    assert actions.action.text() == "Your &statements to write (1)…"
    view = _record_view(qtbot, tomasz, record.id, prompter)
    actions.install_record_view(view)
    view.show()
    tab = _tab(view)
    assert tab.model.rowCount() == 2
    assert tab.model.index(0, 0).data() == "Tomasz Nowak"
    assert tab.model.index(0, 1).data() == "witnessed"
    assert tab.model.index(1, 3).data() == (
        "Asked on 20/03/2026 at 15:30, not yet given (no account: ask them in person)."
    )
    assert not tab.paper_button.isVisible()  # Staff may not record paper statements
    assert tab.write_button.isVisible()
    qtbot.mouseClick(tab.write_button, Qt.MouseButton.LeftButton)
    editor = actions.editor
    assert isinstance(editor, StatementEditor) and editor.isVisible()
    assert editor.account.accessibleName() == "Your account, in your own words"
    assert editor.author_account.isReadOnly()
    assert editor.author_account.toPlainText() == record.details.what_happened.account
    assert f"record {record.reference}" in editor.windowTitle()
    # Saving an empty statement says what to do, and keeps the editor open.
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.message.text() == EMPTY_ACCOUNT
    qtbot.keyClicks(editor.account, ACCOUNT)
    _shot(editor, "statement-editor")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=2000)
    assert tab.model.index(0, 3).data() == "Written on 20/03/2026 at 15:30 (version 1)."
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    assert ACCOUNT in tab.text.toPlainText()
    assert actions.count == 0 and actions.badge_action is not None
    assert not actions.badge_action.isVisible()
    assert tab.write_button.text() == "Add to &my statement…"
    # A second save is version 2; version 1 is kept.
    qtbot.mouseClick(tab.write_button, Qt.MouseButton.LeftButton)
    second = actions.editor
    assert second is not editor and second is not None
    assert second.account.toPlainText() == ACCOUNT
    assert "Saving makes version 2" in second.version_note.text()
    second.account.moveCursor(second.account.textCursor().MoveOperation.End)
    qtbot.keyClicks(second.account, " Then I fetched Mrs Griffiths.")
    qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not second.isVisible(), timeout=2000)
    state = StatementService(tomasz).my_request_for(record.id)
    assert state is not None and [s.version for s in state.statements] == [1, 2]
    assert state.statements[1].text.endswith("Then I fetched Mrs Griffiths.")
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    assert "Version 1," in tab.text.toPlainText() and "Version 2," in tab.text.toPlainText()
    _shot(view, "statements-tab")


def test_nothing_to_add_asks_first_when_something_was_typed(
    qtbot: QtBot, tomasz: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    _window, actions = _window_with_actions(qtbot, tomasz, prompter, [])
    request_id = StatementService(tomasz).my_requests()[0].request.id or 0
    editor = actions.open_editor(request_id)
    assert editor is not None
    qtbot.keyClicks(editor.account, "A half-written line")
    prompter.confirm_answers.append(False)  # no, go back
    qtbot.mouseClick(editor.nothing_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    prompter.confirm_answers.append(True)
    qtbot.mouseClick(editor.nothing_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=2000)
    assert StatementService(tomasz).my_requests()[0].status is RequestStatus.NOTHING_TO_ADD
    assert actions.count == 0


def test_the_list_opens_after_sign_in_and_writes_from_it(
    qtbot: QtBot, tomasz: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    window = MainWindow(services_for(tomasz), prompter, autosave_ms=60000)
    qtbot.addWidget(window)
    window.show()
    actions = window.statement_actions
    qtbot.waitUntil(
        lambda: actions.list_window is not None and actions.list_window.isVisible(),
        timeout=3000,
    )
    assert not actions.list_window.isModal()  # type: ignore[union-attr]
    listed = actions.list_window
    assert listed is not None
    assert "1 statement to write." in listed.intro.text()
    assert listed.model.index(0, 0).data() == record.reference
    assert listed.model.index(0, 1).data() == "Leo Fernandes"
    assert listed.model.index(0, 2).data() == "witnessed"
    qtbot.waitUntil(actions.badge.isVisible, timeout=2000)  # the toolbar lays it out
    assert actions.badge.text() == "Statements to write (1)"
    _shot(listed, "statements-list")
    qtbot.wait(100)
    _shot(window, "main-window-badge")
    qtbot.mouseClick(listed.write_button, Qt.MouseButton.LeftButton)
    editor = actions.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.account, ACCOUNT)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: listed.model.index(0, 4).data().startswith("Written on"))
    assert "You have given every statement" in listed.intro.text()
    assert actions.badge_action is not None and not actions.badge_action.isVisible()
    assert "(0)" in actions.action.text()
    window.shut_down()


def test_the_list_stays_shut_for_someone_with_nothing_waiting(
    qtbot: QtBot, session: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    window = MainWindow(services_for(session), prompter, autosave_ms=60000)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(200)
    assert window.statement_actions.list_window is None  # Siân wrote the record
    assert not window.statement_actions.badge.isVisible()
    window.shut_down()


def test_a_lead_records_a_statement_given_on_paper(
    qtbot: QtBot, session: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    _window, actions = _window_with_actions(qtbot, session, prompter, [])
    view = _record_view(qtbot, session, record.id, prompter)
    actions.install_record_view(view)
    view.show()
    tab = _tab(view)
    assert tab.paper_button.isVisible() and not tab.write_button.isVisible()
    tab.table.setCurrentIndex(tab.model.index(1, 0))  # Priya Shah: no account
    assert tab.paper_button.isEnabled()
    prompter.text_answers.append("Leo's safeguarding file, office cabinet")
    qtbot.mouseClick(tab.paper_button, Qt.MouseButton.LeftButton)
    assert tab.model.index(1, 3).data().startswith("Given on paper; recorded by Siân Griffiths")
    tab.table.setCurrentIndex(tab.model.index(1, 0))
    assert not tab.paper_button.isEnabled()
    assert "Filed: Leo's safeguarding file, office cabinet" in tab.text.toPlainText()
    _shot(view, "statements-tab-lead")


def test_the_tab_and_the_editor_work_from_the_keyboard(
    qtbot: QtBot, tomasz: Session, record: Incident, prompter: ScriptedPrompter
) -> None:
    _window, actions = _window_with_actions(qtbot, tomasz, prompter, [])
    view = _record_view(qtbot, tomasz, record.id, prompter)
    actions.install_record_view(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    tabs = next(t for t in view.findChildren(QTabWidget) if t.indexOf(_tab(view)) >= 0)
    tabs.setCurrentIndex(0)
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # Sta&ff statements
    qtbot.waitUntil(lambda: tabs.currentWidget() is _tab_only(view), timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Write &my statement
    qtbot.waitUntil(lambda: actions.editor is not None and actions.editor.isVisible())
    editor = actions.editor
    assert editor is not None
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    assert editor.focusWidget() is editor.account  # the box to type in has the focus
    qtbot.keyClicks(editor.account, ACCOUNT)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Save
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=2000)
    state = StatementService(tomasz).my_request_for(record.id)
    assert state is not None and state.status is RequestStatus.WRITTEN


def _tab_only(view: RecordView) -> StatementsTab:
    tab = view.findChild(StatementsTab)
    assert isinstance(tab, StatementsTab)
    return tab


def test_the_statements_models_pass_the_model_tester(
    qtmodeltester: ModelTester, tomasz: Session, session: Session, record: Incident
) -> None:
    from incident_recorder.ui.statements.model import RequestsModel

    service = StatementService(tomasz)
    mine = RequestsModel(service.local, mine=True)
    mine.set_states(service.my_requests())
    everyone = RequestsModel(service.local, mine=False)
    everyone.set_states(StatementService(session).for_record(record.id))
    assert (mine.rowCount(), mine.columnCount(), everyone.rowCount()) == (1, 5, 2)
    for model in (mine, everyone):
        qtmodeltester.check(model, force_py=True)
