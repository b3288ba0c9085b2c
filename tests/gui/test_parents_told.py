"""Tracking that parents were told, in the GUI: the record view's "Parents and carers"
tab (record a call: the status line changes) and the main window's "parents to tell"
list and badge (the list shrinks, the count updates). Everyone here is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Incident, ParentsContact, ParentsStatus
from incident_recorder.domain.parents_told import ContactEntryKind
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.session import Session
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.parents.dialogs import ContactDialog
from incident_recorder.ui.parents.supply import SupplyDialog
from incident_recorder.ui.parents.tab import ParentsTab
from incident_recorder.ui.parents.to_tell import ToTellWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.fakes import AFTER_THE_DUTY_BEGAN, DUTY_DAY, FakeClock, services_for

DAY = DUTY_DAY

NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET,
    not_yet_reason="No answer at lunchtime.",
    summary_for_parents="Your child was upset in class and was guided out for a few minutes.",
)


def answer(outcome_index: int = 0, method: str = "") -> Callable[[ContactDialog], bool]:
    """Fill the dialog once (a parent, the default time) and press Save."""
    calls: list[int] = []

    def run(dialog: ContactDialog) -> bool:
        if calls:
            return False
        calls.append(1)
        dialog.parent_name.setCurrentText("Mrs Anna Nowak")
        if method:
            dialog.method.setCurrentIndex(dialog.method.findData(method))
        if dialog.kind is ContactEntryKind.ATTEMPT:
            dialog.outcome.setCurrentIndex(outcome_index)
        dialog.at.set_value(datetime(2026, 4, 24, 15, 10))
        return True

    return run


def _parents_tab(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    record: Incident,
) -> tuple[RecordView, ParentsTab]:
    """The record view of ``record`` with its "Parents and carers" tab, filled in (the
    caller keeps the view: the tab goes with it)."""
    view = RecordView(incidents, directory, record.id, prompter, "Europe/London")
    qtbot.addWidget(view)
    tab = ParentsTab(ParentsService(session), record.id, view)
    view.add_tab(tab, "&Parents and carers")
    tab.refresh()
    return view, tab


def test_recording_a_call_changes_the_status_line(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    clock.set(AFTER_THE_DUTY_BEGAN)
    record = submit_record("Leo Fernandes", day=DAY, parents=NOT_YET)
    _view, tab = _parents_tab(qtbot, session, incidents, directory, prompter, record)
    assert tab.status.text().count("Not yet told")
    tab.run_dialog = answer(outcome_index=0)  # "Spoke to them and told them"
    with qtbot.waitSignal(tab.contacts_changed):
        assert tab.record(ContactEntryKind.ATTEMPT)
    text = tab.status.text()
    assert "Told the same day: Mrs Anna Nowak by phone at 15:10 by Siân Griffiths." in text
    assert "No letter sent yet." in text
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 0).data() == "24/04/2026 15:10"
    assert "Spoke to them" in tab.model.index(0, 4).data()


def test_the_to_tell_list_shrinks_and_the_badge_count_follows(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    clock.set(AFTER_THE_DUTY_BEGAN)
    first = submit_record("Leo Fernandes", day=DAY, parents=NOT_YET)
    submit_record("Maya Chen", day=DAY)  # told in the form, no letter yet
    withheld = dataclasses.replace(
        NOT_YET,
        status=ParentsStatus.WITHHELD,
        not_yet_reason="",
        summary_for_parents="",
        withheld_reason="A disclosure about home.",
        withheld_decided_by="Siân Griffiths, safeguarding lead",
        la_told_at=datetime(2026, 4, 24, 14, 0),
        la_told_who="Duty desk",
    )
    submit_record("Oliver Bennett", day=DAY, parents=withheld)  # never on the list
    w = MainWindow(services_for(session), prompter, autosave_ms=60000)
    qtbot.addWidget(w)
    actions = w.parents_actions
    assert actions.badge.text() == "Parents' duties"  # counted once the window has painted
    w.show()
    qtbot.waitUntil(lambda: actions.badge.text() == "Parents' duties (2)")
    listing = actions.show_to_tell()
    assert listing.model.rowCount() == 2
    assert listing.model.index(0, 0).data() == first.reference
    assert listing.model.index(0, 4).data() == ("Not told yet; no letter sent; record not supplied")

    # Double-click opens the record, with its Parents and carers tab.
    listing.table.activated.emit(listing.model.index(0, 0))  # double-click or Enter
    viewer = w.windows.viewers[first.id]
    tab = viewer.findChild(ParentsTab)
    assert isinstance(tab, ParentsTab)
    assert viewer.tabs.tabText(viewer.tabs.indexOf(tab)) == "&Parents and carers"

    tab.run_dialog = answer()  # a reply counts as told
    assert tab.record(ContactEntryKind.REPLY)
    tab.run_dialog = answer(method="handed")
    with qtbot.waitSignal(actions.count_changed) as blocker:
        assert tab.record(ContactEntryKind.LETTER_SENT)
    assert blocker.args == [2]  # the written record is still to go (issue 13)
    answers = iter([True, False])  # save with the dialog's defaults (handed over), once
    problems: list[str] = []

    def save_once(dialog: SupplyDialog) -> bool:
        problems.append(dialog.problem.text())
        dialog.parent_name.setEditText("Mrs Anna Nowak")
        return next(answers)

    tab.duties.run_dialog = save_once
    with qtbot.waitSignal(actions.count_changed) as blocker:
        saved = tab.duties.record_supplied()
        assert saved, problems
    assert blocker.args == [1], problems
    assert actions.badge.text() == "Parents' duties (1)"
    assert listing.model.rowCount() == 1
    assert listing.model.index(0, 1).data() == "Maya Chen"
    assert listing.model.data(listing.model.index(0, 0), Qt.ItemDataRole.UserRole) != first.id
    w.shut_down()


def test_both_parents_tables_pass_the_model_tester_with_their_titles(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    clock.set(AFTER_THE_DUTY_BEGAN)
    record = submit_record("Leo Fernandes", day=DAY, parents=NOT_YET)
    _view, tab = _parents_tab(qtbot, session, incidents, directory, prompter, record)
    tab.run_dialog = answer(outcome_index=1)  # "Left a message asking them to call back"
    assert tab.record(ContactEntryKind.ATTEMPT)
    qtmodeltester.check(tab.model)
    titles = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert titles == ["When", "What", "Parent or carer", "By whom", "Outcome", "Note"]
    note = tab.model.index(0, 4)
    assert note.data(Qt.ItemDataRole.ToolTipRole) == note.data()  # the whole text, on hover
    assert tab.model.headerData(6, Qt.Orientation.Horizontal) is None

    listing = ToTellWindow(lambda: datetime(2026, 3, 21, 9, 0))
    qtbot.addWidget(listing)
    listing.set_rows(ParentsService(session).to_tell(), 1)
    qtmodeltester.check(listing.model)
    assert [listing.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Reference",
        "Pupil",
        "Incident",
        "Hours since",
        "Still to do",
    ]
    assert listing.model.rows[0].incident_id == record.id
    assert listing.model.index(0, 0).data(Qt.ItemDataRole.UserRole) == record.id
