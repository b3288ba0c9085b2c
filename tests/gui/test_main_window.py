"""The main window: the incident list, its filters, drafts apart, opening records."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from incident_recorder.domain.model import (
    Incident,
    IncidentQuery,
    IncidentStatus,
    IncidentSummary,
    Injuries,
    Page,
    Pupil,
)
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.main_window import (
    EMPTY_ADMIN,
    EMPTY_FILTERED,
    EMPTY_INCIDENTS,
    MainWindow,
)
from incident_recorder.ui.models.incident_table import Column, IncidentTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, PASSPHRASE

Submit = Callable[..., Incident]


@pytest.fixture
def window(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> Iterator[Callable[[], MainWindow]]:
    made: list[MainWindow] = []

    def make() -> MainWindow:
        w = MainWindow(services_for(session), prompter, autosave_ms=60000)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):
            w.show()
            w.activateWindow()
        made.append(w)
        return w

    yield make
    for w in made:
        w.shut_down()  # a plain close() asks the shell to quit instead


def shown(w: MainWindow) -> list[str]:
    model = w.incidents.model
    return [model.summary(r).pupil_name for r in range(model.rowCount())]


def test_title_and_the_signed_in_person(window: Callable[[], MainWindow]) -> None:
    w = window()
    assert w.windowTitle() == "Incident Recorder — Fictional Oak Primary School"
    assert "Siân Griffiths" in w.user_label.text()
    assert "Safeguarding lead" in w.user_label.text()


def test_empty_list_says_what_to_do(window: Callable[[], MainWindow]) -> None:
    w = window()
    assert not w.incidents.showing_table
    assert w.incidents.empty.text() == EMPTY_INCIDENTS
    assert w.tabs.tabText(1) == "My &drafts"


def test_submitted_records_are_listed_and_drafts_apart(
    window: Callable[[], MainWindow], submit_record: Submit, start_draft: Callable[..., Incident]
) -> None:
    first = submit_record("Leo Fernandes", injuries=Injuries(False, "", False, "", False, ""))
    submit_record("Maya Chen", day=date(2026, 3, 18))
    draft = start_draft("Zara Ahmed")
    w = window()
    assert w.incidents.showing_table
    assert sorted(shown(w)) == ["Leo Fernandes", "Maya Chen"]
    model = w.incidents.model
    row = model.row_of(first.id)
    assert row is not None
    assert model.index(row, Column.REFERENCE).data() == first.reference
    assert model.index(row, Column.DATE).data() == "20/03/2026"
    assert model.index(row, Column.TIME).data() == "10:05"
    assert model.index(row, Column.STATUS).data() == "Submitted"
    assert w.tabs.tabText(1) == "My &drafts (1)"
    assert w.drafts.model.rowCount() == 1
    assert w.drafts.model.summary(0).id == draft.id
    assert w.incidents.count.text() == "2 records"


def test_flags_show_injury_and_floor_holds(
    window: Callable[[], MainWindow], submit_record: Submit, incidents: IncidentService
) -> None:
    hurt = submit_record("Leo Fernandes")
    details = dataclasses.replace(
        hurt.details,
        injuries=Injuries(
            pupil_injured=True,
            pupil_injury="Graze to the left knee",
            staff_injured=False,
            others_injured=False,
            first_aid="Cleaned and a plaster",
            first_aid_by="Priya Shah",
        ),
    )
    from tests.gui.conftest import explained

    incidents.amend(hurt.id, explained(details, incidents), "The graze was found later.")
    w = window()
    model = w.incidents.model
    row = model.row_of(hurt.id)
    assert row is not None
    assert model.index(row, Column.FLAGS).data() == "Injury"
    assert model.index(row, Column.STATUS).data() == "Submitted, amended"
    assert model.index(row, Column.VERSION).data() == "2"


def test_search_box_narrows_the_list(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    submit_record("Leo Fernandes")
    maya = submit_record("Maya Chen")
    w = window()
    qtbot.keyClicks(w.filters.search, "chen")
    qtbot.waitUntil(lambda: shown(w) == ["Maya Chen"], timeout=2000)
    w.filters.search.clear()
    qtbot.keyClicks(w.filters.search, maya.reference or "")
    qtbot.waitUntil(lambda: shown(w) == ["Maya Chen"], timeout=2000)
    qtbot.keyClicks(w.filters.search, "zzz")
    qtbot.waitUntil(lambda: not w.incidents.showing_table, timeout=2000)
    assert w.incidents.empty.text() == EMPTY_FILTERED


def test_pupil_filter_suggests_names_as_you_type(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    submit_record("Leo Fernandes")
    submit_record("Maya Chen")
    submit_record("Maya Chen", day=date(2026, 3, 19))
    w = window()
    qtbot.keyClicks(w.filters.pupil, "che")
    assert w.filters._suggestions.stringList() == ["Chen, Maya (Year 5)"]
    qtbot.keyClick(w.filters.pupil, Qt.Key.Key_Return)  # the only match is chosen
    assert shown(w) == ["Maya Chen", "Maya Chen"]
    w.filters.pupil.clear()
    w.filters.pupil.textEdited.emit("")  # as the field's clear button does
    assert sorted(shown(w)) == ["Leo Fernandes", "Maya Chen", "Maya Chen"]


def test_date_range_narrows_the_list_and_clears(
    window: Callable[[], MainWindow], submit_record: Submit, pupils: dict[str, Pupil]
) -> None:
    submit_record("Leo Fernandes", day=date(2026, 3, 2))
    submit_record("Maya Chen", day=date(2026, 3, 10))
    submit_record("Oliver Bennett", day=date(2026, 3, 18))
    w = window()
    w.filters.date_from.set_value(date(2026, 3, 5))
    w.filters.date_to.set_value(date(2026, 3, 15))
    assert shown(w) == ["Maya Chen"]
    assert w.filters.date_from.text() == "05/03/2026"
    w.filters.date_to.set_value(None)
    assert w.filters.date_to.text() == "Any date"
    assert sorted(shown(w)) == ["Maya Chen", "Oliver Bennett"]
    w.filters.set_pupil(pupils["Oliver Bennett"])
    assert shown(w) == ["Oliver Bennett"]
    w.filters.clear_button.click()
    assert len(shown(w)) == 3


def test_table_model_passes_the_model_tester(
    qtmodeltester: ModelTester, incidents: IncidentService, submit_record: Submit
) -> None:
    for name in ("Leo Fernandes", "Maya Chen", "Oliver Bennett"):
        submit_record(name)
    model = IncidentTableModel(incidents.search, page_size=2)
    model.set_query(IncidentQuery())
    qtmodeltester.check(model)
    model.fetchMore()
    qtmodeltester.check(model)


def test_the_list_is_fetched_a_page_at_a_time(
    incidents: IncidentService, submit_record: Submit
) -> None:
    for day in range(2, 7):
        submit_record("Leo Fernandes", day=date(2026, 3, day))
    asked: list[IncidentQuery] = []

    def fetch(query: IncidentQuery) -> Page[IncidentSummary]:
        asked.append(query)
        return incidents.search(query)

    model = IncidentTableModel(fetch, page_size=2)
    model.set_query(IncidentQuery(status=IncidentStatus.SUBMITTED))
    assert (model.rowCount(), model.total) == (2, 5)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 5
    assert not model.canFetchMore()
    assert [(q.offset, q.limit) for q in asked] == [(0, 2), (2, 2), (4, 2)]
    ids = [model.summary(r).id for r in range(5)]
    assert len(set(ids)) == 5


def test_enter_on_a_submitted_record_opens_the_viewer(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    record = submit_record("Leo Fernandes")
    w = window()
    table = w.incidents.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    viewer = w.windows.viewers[record.id]
    assert isinstance(viewer, RecordView)
    assert viewer.isVisible()
    assert viewer.windowTitle() == f"Record {record.reference}"


def test_a_draft_opens_in_the_form_and_ctrl_n_starts_one(
    qtbot: QtBot, window: Callable[[], MainWindow], start_draft: Callable[..., Incident]
) -> None:
    draft = start_draft("Zara Ahmed")
    w = window()
    w.tabs.setCurrentIndex(1)
    w.drafts.table.selectRow(0)
    w.drafts.table.incident_activated.emit(draft.id)
    assert draft.id in w.windows.forms
    assert w.windows.forms[draft.id].windowTitle() == "New incident"
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(w.windows.forms) == 2
    assert w.tabs.tabText(1) == "My &drafts (2)"


def test_unfinished_drafts_are_offered_at_sign_in(
    window: Callable[[], MainWindow], start_draft: Callable[..., Incident]
) -> None:
    draft = start_draft("Zara Ahmed")
    w = window()
    w.offer_unfinished_drafts()
    assert w.banner.isVisible()
    assert "You have 1 unfinished record" in w.banner_text.text()
    assert w.tabs.currentIndex() == 1
    w.continue_button.click()
    assert not w.banner.isVisible()
    assert draft.id in w.windows.forms


def test_discarding_a_draft_asks_first(
    window: Callable[[], MainWindow],
    start_draft: Callable[..., Incident],
    prompter: ScriptedPrompter,
    incidents: IncidentService,
) -> None:
    start_draft("Zara Ahmed")
    w = window()
    w.tabs.setCurrentIndex(1)
    w.drafts.table.selectRow(0)
    assert w.discard_action.isEnabled()
    prompter.confirm_answers.append(False)
    w.discard_action.trigger()
    assert len(incidents.drafts()) == 1
    assert "Zara Ahmed" in prompter.asked[-1][2]
    prompter.confirm_answers.append(True)
    w.discard_action.trigger()
    assert incidents.drafts() == []
    assert w.tabs.tabText(1) == "My &drafts"
    assert w.drafts.empty.isVisible()


def test_amend_from_the_viewer_opens_the_form_in_amend_mode(
    window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    record = submit_record("Leo Fernandes")
    w = window()
    w.open_incident(record.id)
    viewer = w.windows.viewers[record.id]
    viewer.amend_button.click()
    form = w.windows.forms[record.id]
    assert form.windowTitle() == f"Amend {record.reference}"
    assert "Amending record" in form.title.text()  # type: ignore[attr-defined]


def focus_widget() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def test_tab_moves_through_the_filters_to_the_list(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    submit_record("Leo Fernandes")
    w = window()
    f = w.filters
    order = [f.search, f.pupil, f.date_from, f.date_to, f.status, f.clear_button]
    f.search.setFocus()
    for current, expected in zip(order, [*order[1:], w.incidents.table], strict=True):
        for _ in range(3):  # in a date, Tab first moves on to the month and the year
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focused = focus_widget()
            if focused is not current and not current.isAncestorOf(focused):
                break
        assert focused is expected or expected.isAncestorOf(focused)


def test_dates_are_typed_and_cleared_from_the_keyboard(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    submit_record("Leo Fernandes", day=date(2026, 3, 2))
    submit_record("Maya Chen", day=date(2026, 3, 10))
    w = window()
    edit = w.filters.date_from
    edit.setFocus()
    qtbot.keyClicks(edit, "05/03/2026")
    assert edit.value() == date(2026, 3, 5)
    assert shown(w) == ["Maya Chen"]
    qtbot.keyClick(edit, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert edit.value() is None
    assert edit.text() == "Any date"
    assert len(shown(w)) == 2


def test_an_administrator_only_account_is_told_why_the_list_is_empty(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> None:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    w = MainWindow(services_for(session), prompter)
    qtbot.addWidget(w)
    assert w.incidents.empty.text() == EMPTY_ADMIN
    assert not w.new_action.isEnabled()
    w.shut_down()
    session.close()


def test_autosaving_a_draft_leaves_the_incident_list_where_it_was(
    qtbot: QtBot, window: Callable[[], MainWindow], submit_record: Submit
) -> None:
    submit_record("Leo Fernandes")
    w = window()
    w.new_action.trigger()
    (form,) = w.windows.forms.values()
    unchanged = qtbot.assertNotEmitted(w.incidents.model.modelReset)
    with unchanged, qtbot.waitSignal(w.drafts.model.modelReset):
        form.draft_saved.emit(next(iter(w.windows.forms)))  # type: ignore[attr-defined]
