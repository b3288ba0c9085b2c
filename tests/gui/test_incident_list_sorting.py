"""Sorting the incident list: a header click (or the View menu) orders EVERY record, not
just the rows loaded so far, and the selection and the header follow sensibly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu

from incident_recorder.domain.errors import DatabaseDamaged
from incident_recorder.domain.model import (
    Incident,
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    IncidentSummary,
    Page,
)
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.incident_list import IncidentListPanel
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.incident_table import Column, IncidentTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import FakeClock, services_for

Submit = Callable[..., Incident]
PAGE = 3

# Zara Ahmed's record is the OLDEST, so it is not on the first page of the newest-first
# list; by last name she comes first of all.
RECORDS = [
    ("Zara Ahmed", date(2026, 3, 2)),
    ("Leo Fernandes", date(2026, 3, 9)),
    ("Oliver Bennett", date(2026, 3, 10)),
    ("Maya Chen", date(2026, 3, 16)),
    ("Leo Fernandes", date(2026, 3, 17)),
    ("Maya Chen", date(2026, 3, 18)),
    ("Oliver Bennett", date(2026, 3, 19)),
]
BY_LAST_NAME = sorted({name for name, _ in RECORDS}, key=lambda n: n.split()[1])


@pytest.fixture
def records(submit_record: Submit) -> dict[int, str]:
    """More records than one page: {id: pupil}."""
    return {submit_record(name, day=day).id: name for name, day in RECORDS}


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
        w = MainWindow(services_for(session), prompter, autosave_ms=60000, page_size=PAGE)
        qtbot.addWidget(w)
        for panel in (w.incidents, w.drafts):
            # Room for one row only: a view fetches more by itself while the last row
            # loaded is on screen, and these tests need rows that are NOT loaded.
            table = panel.table
            one_row = table.verticalHeader().defaultSectionSize()
            table.setFixedHeight(table.horizontalHeader().sizeHint().height() + one_row + 4)
        w.show()
        qtbot.waitExposed(w)
        qtbot.wait(20)  # let the views do any fetching they would do by themselves
        made.append(w)
        return w

    yield make
    for w in made:
        w.shut_down()


def click_header(qtbot: QtBot, panel: IncidentListPanel, column: Column) -> None:
    header: QHeaderView = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def names(panel: IncidentListPanel) -> list[str]:
    return [panel.model.summary(r).pupil_name for r in range(panel.model.rowCount())]


def indicator(panel: IncidentListPanel) -> tuple[int, Qt.SortOrder]:
    header = panel.table.horizontalHeader()
    return header.sortIndicatorSection(), header.sortIndicatorOrder()


# ------------------------------------------------------------------ the whole list


def test_the_list_starts_newest_first_and_says_so(
    window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    assert indicator(w.incidents) == (Column.DATE, Qt.SortOrder.DescendingOrder)
    assert names(w.incidents) == ["Oliver Bennett", "Maya Chen", "Leo Fernandes"]
    assert "Zara Ahmed" not in names(w.incidents)  # only one page is loaded


def test_clicking_pupil_sorts_every_record_not_just_the_loaded_ones(
    qtbot: QtBot, window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    panel = w.incidents
    assert panel.model.rowCount() == PAGE and "Zara Ahmed" not in names(panel)
    click_header(qtbot, panel, Column.PUPIL)
    qtbot.wait(20)
    assert indicator(panel) == (Column.PUPIL, Qt.SortOrder.AscendingOrder)
    assert panel.model.rowCount() == PAGE and panel.model.total == len(RECORDS)
    assert names(panel)[0] == "Zara Ahmed"  # from the last page of the date order
    assert panel.count.text() == "Showing 3 of 7 records. Scroll down to see more."
    # Scrolling down carries on in the same order, without repeats.
    bar = panel.table.verticalScrollBar()
    while panel.model.canFetchMore():
        loaded = panel.model.rowCount()
        qtbot.waitUntil(lambda: bar.maximum() > bar.value(), timeout=1000)  # laid out
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: panel.model.rowCount() > loaded, timeout=1000)  # noqa: B023
    ids = [panel.model.summary(r).id for r in range(panel.model.rowCount())]
    assert sorted(ids) == sorted(records)
    assert names(panel) == sorted(names(panel), key=lambda n: n.split()[1])

    click_header(qtbot, panel, Column.PUPIL)  # again: Z to A
    assert indicator(panel) == (Column.PUPIL, Qt.SortOrder.DescendingOrder)
    assert names(panel) == ["Leo Fernandes", "Leo Fernandes", "Maya Chen"]


def test_each_sortable_header_orders_the_whole_list(
    qtbot: QtBot,
    window: Callable[[], MainWindow],
    records: dict[int, str],
    incidents: IncidentService,
) -> None:
    w = window()
    panel = w.incidents
    for column in (Column.REFERENCE, Column.LOCATION, Column.RECORDED_BY, Column.DATE):
        click_header(qtbot, panel, column)
        sort = column.sort
        assert sort is not None
        order = indicator(panel)
        assert order[0] == column
        everything = incidents.search(
            IncidentQuery(sort=sort, descending=order[1] == Qt.SortOrder.DescendingOrder)
        )
        assert [panel.model.summary(r).id for r in range(PAGE)] == [
            row.id for row in everything.rows[:PAGE]
        ]
    # The first click on Date goes back to newest first; on the others, A to Z.
    assert indicator(panel) == (Column.DATE, Qt.SortOrder.DescendingOrder)
    assert names(panel)[0] == "Oliver Bennett"


def test_a_column_that_cannot_be_sorted_keeps_the_order(
    qtbot: QtBot, window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    panel = w.incidents
    click_header(qtbot, panel, Column.PUPIL)
    before = names(panel)
    for column in (Column.TIME, Column.STATUS, Column.FLAGS):
        click_header(qtbot, panel, column)
        assert indicator(panel) == (Column.PUPIL, Qt.SortOrder.AscendingOrder)
        assert names(panel) == before


def test_the_filters_keep_the_chosen_order(
    qtbot: QtBot, window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    click_header(qtbot, w.incidents, Column.PUPIL)
    w.filters.date_from.set_value(date(2026, 3, 9))
    assert names(w.incidents) == ["Oliver Bennett", "Oliver Bennett", "Maya Chen"]
    assert indicator(w.incidents) == (Column.PUPIL, Qt.SortOrder.AscendingOrder)
    w.refresh_action.trigger()
    assert names(w.incidents)[0] == "Oliver Bennett"


# ------------------------------------------------------------------ the selection


def test_the_selected_record_stays_selected_when_it_is_still_listed(
    qtbot: QtBot, window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    panel = w.incidents
    chen = panel.model.summary(1)
    assert chen.pupil_name == "Maya Chen"
    panel.table.selectRow(1)
    click_header(qtbot, panel, Column.PUPIL)  # Ahmed, Bennett, Bennett, Chen ...
    assert panel.current_id() is None  # the newest Chen record is on page two now
    assert not w.open_action.isEnabled()
    assert panel.table.verticalScrollBar().value() == 0

    bennett = panel.model.summary(2)
    assert (bennett.pupil_name, bennett.occurred_on) == ("Oliver Bennett", date(2026, 3, 19))
    panel.table.selectRow(2)
    assert w.open_action.isEnabled()
    click_header(qtbot, panel, Column.DATE)  # newest first: Bennett's is on top
    assert panel.current_id() == bennett.id
    assert panel.model.row_of(bennett.id) == 0
    assert w.open_action.isEnabled()


# ------------------------------------------------------------------ the keyboard


def test_the_view_menu_sorts_from_the_keyboard(
    window: Callable[[], MainWindow], records: dict[int, str]
) -> None:
    w = window()
    panel = w.incidents
    titles = [a.text() for a in panel.sort_menu.actions() if not a.isSeparator()]
    assert titles == [
        "Reference",
        "Date",
        "Pupil",
        "Location",
        "Recorded by",
        "&Ascending (A to Z, oldest first)",
        "D&escending (Z to A, newest first)",
    ]
    view_menu = w.menuBar().actions()[1].menu()
    assert isinstance(view_menu, QMenu)
    assert panel.sort_menu.menuAction() in view_menu.actions()
    by_pupil = next(a for a in panel.sort_menu.actions() if a.text() == "Pupil")
    by_pupil.trigger()
    assert names(panel)[0] == "Zara Ahmed"
    assert by_pupil.isChecked()
    assert indicator(panel) == (Column.PUPIL, Qt.SortOrder.AscendingOrder)
    descending = next(a for a in panel.sort_menu.actions() if a.text().startswith("D&esc"))
    descending.trigger()
    assert names(panel)[0] == "Leo Fernandes"
    assert indicator(panel) == (Column.PUPIL, Qt.SortOrder.DescendingOrder)
    # A header click ticks the menu too.
    panel.table.sortByColumn(Column.LOCATION, Qt.SortOrder.AscendingOrder)
    checked = [a.text() for a in panel.sort_menu.actions() if a.isChecked()]
    assert checked == ["Location", "&Ascending (A to Z, oldest first)"]


# ------------------------------------------------------------------ drafts


def test_drafts_are_newest_saved_first_and_sort_by_pupil(
    qtbot: QtBot,
    window: Callable[[], MainWindow],
    start_draft: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    made = {}
    for name in ("Maya Chen", "Zara Ahmed", "Leo Fernandes"):
        made[name] = start_draft(name)
        clock.advance(minutes=1)
    w = window()
    w.tabs.setCurrentIndex(1)
    panel = w.drafts
    assert indicator(panel) == (Column.SAVED, Qt.SortOrder.DescendingOrder)
    assert names(panel) == ["Leo Fernandes", "Zara Ahmed", "Maya Chen"]
    click_header(qtbot, panel, Column.PUPIL)
    assert names(panel) == ["Zara Ahmed", "Maya Chen", "Leo Fernandes"]
    titles = [a.text() for a in panel.sort_menu.actions()][:4]
    assert titles == ["Date", "Pupil", "Location", "Last saved"]
    # "Continue the most recent one" still means the draft saved last.
    w.offer_unfinished_drafts()
    assert panel.current_id() == made["Leo Fernandes"].id
    w.continue_button.click()
    assert list(w.windows.forms) == [made["Leo Fernandes"].id]


# ------------------------------------------------------------------ the model


def test_the_model_sorts_by_asking_again_and_passes_the_model_tester(
    qtmodeltester: ModelTester, incidents: IncidentService, records: dict[int, str]
) -> None:
    asked: list[IncidentQuery] = []

    def fetch(query: IncidentQuery) -> Page[IncidentSummary]:
        asked.append(query)
        return incidents.search(query)

    model = IncidentTableModel(fetch, page_size=2)
    model.sort(Column.PUPIL, Qt.SortOrder.AscendingOrder)  # nothing shown yet: no fetch
    assert asked == []
    model.set_query(IncidentQuery(status=IncidentStatus.SUBMITTED))
    assert (asked[-1].sort, asked[-1].descending) == (IncidentSort.PUPIL, False)
    qtmodeltester.check(model)
    model.fetchMore()
    model.sort(Column.LOCATION, Qt.SortOrder.DescendingOrder)
    assert (asked[-1].offset, asked[-1].sort, asked[-1].descending) == (
        0,
        IncidentSort.LOCATION,
        True,
    )
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    count = len(asked)
    model.sort(Column.LOCATION, Qt.SortOrder.DescendingOrder)  # the same order again
    model.sort(Column.FLAGS, Qt.SortOrder.AscendingOrder)  # not sortable
    model.sort(-1, Qt.SortOrder.AscendingOrder)
    assert len(asked) == count
    assert (model.sort_column, model.sort_order) == (Column.LOCATION, Qt.SortOrder.DescendingOrder)


def test_a_sort_that_cannot_be_fetched_keeps_the_rows_and_the_header(
    qtbot: QtBot, incidents: IncidentService, records: dict[int, str]
) -> None:
    broken = False

    def fetch(query: IncidentQuery) -> Page[IncidentSummary]:
        if broken:
            raise DatabaseDamaged("The database has been closed (the app was locked).")
        return incidents.search(query)

    panel = IncidentListPanel(IncidentTableModel(fetch, page_size=PAGE), "Incidents")
    qtbot.addWidget(panel)
    panel.show()
    panel.load(IncidentQuery())
    before = names(panel)
    broken = True
    with qtbot.waitSignal(panel.model.fetch_failed) as failed:
        click_header(qtbot, panel, Column.PUPIL)
    assert failed.args == ["The database has been closed (the app was locked)."]
    assert names(panel) == before
    assert indicator(panel) == (Column.DATE, Qt.SortOrder.DescendingOrder)
