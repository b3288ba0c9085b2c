"""The Reports screen driven with qtbot over a fake report service (tests/gui/
reports_support.py): picking a period, the figures worked out on a worker thread
(a late answer never overwriting a newer one), each page's figures with paper's
suppression marked, the records behind a figure, the governors' report made, kept and
printed again, and the export for the local authority or trust. Everyone named here
is fictional."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, cast

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.reports.actions import ReportsActions
from incident_recorder.ui.reports.disproportionality import FLAG_COLUMN, FLAG_TEXT
from incident_recorder.ui.reports.models import (
    FLAG_BACKGROUND,
    HIDDEN_BACKGROUND,
    ReportRowsModel,
    row,
)
from incident_recorder.ui.reports.window import ReportsWindow
from tests.gui.reports_support import (
    CHOICES,
    LAST_TERM,
    THIS_TERM,
    FakeReports,
    FakeServices,
    shown,
)


class Seams:
    def __init__(self, tmp_path: Path) -> None:
        self.saved: list[tuple[bytes, str]] = []
        self.printed: list[tuple[bytes, str]] = []
        self.opened: list[int] = []
        self.csv_path: Path | None = tmp_path / "trust.csv"

    def save_pdf(self, _parent: QWidget, data: bytes, proposed: str, _t: str, _p: Any) -> Path:
        self.saved.append((data, proposed))
        return Path(proposed)

    def print_pdf(self, data: bytes, _parent: QWidget, job: str, **_options: Any) -> bool:
        self.printed.append((data, job))
        return True

    def choose_csv(self, _parent: QWidget, _proposed: str, _title: str) -> Path | None:
        return self.csv_path


@pytest.fixture
def fake() -> FakeReports:
    return FakeReports()


@pytest.fixture
def seams(tmp_path: Path) -> Seams:
    return Seams(tmp_path)


@pytest.fixture
def make_window(qtbot: QtBot, fake: FakeReports, seams: Seams, prompter: ScriptedPrompter) -> Any:
    made: list[tuple[ReportsWindow, Background]] = []

    def make() -> ReportsWindow:
        background = Background(cast(Any, FakeServices(fake)), prompter, None, show_after_ms=0)
        window = ReportsWindow(
            fake, background, lambda: CHOICES, seams.opened.append, prompter,
            worker_reports=lambda services: cast(Any, services).reports,
            save_pdf_file=seams.save_pdf, choose_csv=seams.choose_csv,
            print_file=seams.print_pdf,
        )  # fmt: skip
        qtbot.addWidget(window)
        window.show()
        made.append((window, background))
        return window

    yield make
    for window, background in made:
        for event in fake.hold.values():
            event.set()
        background.stop_all(5000)
        window.close()


def shown_figures(qtbot: QtBot, window: ReportsWindow) -> None:
    qtbot.mouseClick(window.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.text().startswith("Figures for"), timeout=5000)


def cells(model: ReportRowsModel) -> list[tuple[str, ...]]:
    return [r.cells for r in model.rows]


def test_the_period_list_holds_the_calendars_choices_and_custom_dates(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    window = make_window()
    picker = window.picker
    labels = [picker.choice.itemText(i) for i in range(picker.choice.count())]
    assert labels == [p.label for p in CHOICES] + ["Custom dates"]
    assert not picker.from_date.isVisible()
    picker.choose("Custom dates")
    assert picker.from_date.isVisible() and picker.to_date.isVisible()
    picker.from_date.edit.setText("20/12/2026")
    picker.to_date.edit.setText("01/09/2026")
    qtbot.mouseClick(window.show_button, Qt.MouseButton.LeftButton)
    assert window.error.text() == "The From date must not be after the To date."
    assert fake.computed == []
    picker.from_date.edit.setText("01/09/2026")
    picker.to_date.edit.setText("")
    window.show_button.click()
    assert "Type the To date as dd/mm/yyyy" in window.error.text()
    picker.to_date.edit.setText("20/12/2026")
    shown_figures(qtbot, window)
    assert not window.error.isVisible()
    asked = fake.computed[-1]
    assert (asked.start.isoformat(), asked.end.isoformat()) == ("2026-09-01", "2026-12-20")
    assert asked.label == "01/09/2026 to 20/12/2026"


def test_show_figures_works_them_out_on_a_worker_and_fills_the_summary(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    window = make_window()
    assert not window.tabs.isTabEnabled(0)  # nothing to read before the figures
    fake.hold[THIS_TERM.label] = threading.Event()
    window.show_button.click()
    assert window.status.text().startswith("Working out the figures…")
    assert window.busy.isVisible()
    # The service's own words about how far it has got replace the first ones.
    qtbot.waitUntil(lambda: window.status.text() == "Counting the fictional records…")
    qtbot.wait(50)
    assert window.show_button.isEnabled()  # the window stays usable meanwhile
    fake.hold[THIS_TERM.label].set()
    qtbot.waitUntil(lambda: window.status.text().startswith("Figures for"), timeout=5000)
    assert not window.busy.isVisible()
    assert window.tabs.currentWidget() is window.summary
    assert "60 incidents involving 31 pupils; 18 more than the same period last year (42)" in (
        window.summary.headline.text()
    )
    assert cells(window.summary.model)[0] == ("Incidents", "60", "42")
    assert window.governors.make_button.isEnabled()


def test_an_answer_that_arrives_late_never_overwrites_a_newer_one(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    window = make_window()
    slow = fake.hold[THIS_TERM.label] = threading.Event()
    window.show_button.click()  # this term: held back
    window.picker.choose("Last term")
    shown_figures(qtbot, window)  # last term answers first
    assert window.result is not None and window.result.report.period == LAST_TERM
    slow.set()  # now the older answer arrives
    qtbot.waitUntil(lambda: len(fake.computed) == 2 and not window._background.busy, timeout=5000)
    qtbot.wait(50)
    assert window.result.report.period == LAST_TERM
    assert window.status.text() == f"Figures for {LAST_TERM.label}."


def test_a_failure_is_said_in_plain_words(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    window = make_window()
    fake.fail_with = IncidentRecorderError("The records could not be read just now.")
    window.show_button.click()
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=5000)
    assert window.error.text() == "The records could not be read just now."
    assert not window.busy.isVisible()


def test_compliance_shows_each_figure_and_marks_what_paper_would_hide(
    qtbot: QtBot, make_window: Any
) -> None:
    window = make_window()
    shown_figures(qtbot, window)
    rows = cells(window.compliance.model)
    assert rows[0] == ("Recorded the same day", "52", "60", "87%", "higher", "")
    floor = next(r for r in window.compliance.model.rows if r.cells[0].startswith("Ground"))
    assert floor.cells[1] == "2 (on paper: fewer than 5)"
    row_number = window.compliance.model.rows.index(floor)
    brush = window.compliance.model.index(row_number, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == HIDDEN_BACKGROUND
    training = rows[-1]
    assert training[3] == "—" and training[5] == "No training has been recorded yet"


def test_a_figure_opens_the_records_behind_it_and_a_record_opens_from_there(
    qtbot: QtBot, make_window: Any, fake: FakeReports, seams: Seams
) -> None:
    window = make_window()
    shown_figures(qtbot, window)
    window.tabs.setCurrentWidget(window.compliance)
    table = window.compliance.section.table
    labels = [r.cells[0] for r in window.compliance.model.rows]
    injuries = labels.index("Injuries to pupils")
    figure = window.compliance.model.rows[injuries]
    fake.hidden.add(figure.references[0])  # a record this viewer may not see
    table.setFocus()
    table.setCurrentIndex(window.compliance.model.index(injuries, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = window.records_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.model.rowCount() == 3
    assert (
        "3 records behind “Injuries to pupils”. 1 more record is not yours to see."
        in dialog.intro.text()
    )
    assert dialog.model.rows[0].cells[0] == figure.references[1]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert seams.opened == [2]  # the fake numbers records in the order asked for
    dialog.close()


def test_patterns_have_charts_with_their_tables_and_last_years_column(
    qtbot: QtBot, make_window: Any, seams: Seams
) -> None:
    window = make_window()
    shown_figures(qtbot, window)
    window.tabs.setCurrentWidget(window.patterns)
    weekly = window.patterns.weekly
    assert len(weekly.chart.points) == 16 and weekly.model.rowCount() == 16
    assert cells(weekly.model)[0] == (
        "31/08/2026",
        "2 (on paper: fewer than 5)",
        "1 (on paper: fewer than 5)",
    )
    assert weekly.chart.term_x(weekly.chart.term_starts[1]) is not None
    weekly.chart.setFocus()
    qtbot.keyClick(weekly.chart, Qt.Key.Key_Home)
    assert weekly.described.text().startswith(
        "Week of 31/08/2026: 2 incidents (same week last year: 1); a term starts on 01/09/2026."
    )
    monthly = cells(window.patterns.monthly.model)
    assert monthly[0] == ("September 2026", "16", "10")
    titles = [s.table.accessibleName() for s in window.patterns.sections]
    assert titles == [
        "Incidents by place",
        "Incidents by time of day",
        "Incidents by day of week",
        "Incidents by kind of intervention",
        "Incidents by technique",
        "Incidents by antecedent",
    ]
    place = window.patterns.sections[0]
    assert cells(place.table.report_model)[0] == ("Classroom", "24", "19")
    assert "more than one row" in window.patterns.sections[4].note.text()
    repeated = cells(window.patterns.repeated_model)
    assert repeated[0] == ("Leo Fernandes", "7")


def test_repeated_pupils_are_not_named_for_those_who_may_not_see_names(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    fake.names = False
    window = make_window()
    shown_figures(qtbot, window)
    repeated = cells(window.patterns.repeated_model)
    assert [r[0] for r in repeated] == ["Pupil A", "Pupil B", "Pupil C", "Pupil D", "Pupil E"]
    assert "Leo" not in " ".join(" ".join(r) for r in repeated)


def test_disproportionality_reads_each_ratio_and_flags_only_a_whole_interval_above_one(
    qtbot: QtBot, make_window: Any
) -> None:
    window = make_window()
    shown_figures(qtbot, window)
    sections = {s.table.accessibleName(): s for s in window.disproportionality.sections}
    sen = sections["Special educational needs"].table.report_model
    ehcp, support, _none = sen.rows
    assert ehcp.cells[:7] == ("EHCP", "18", "9", "24", "50.0", "133.3", "4.2 (95% CI 2.9 to 6.1)")
    assert ehcp.cells[FLAG_COLUMN] == FLAG_TEXT
    assert "4.2 times as likely to be restrained" in ehcp.cells[-1]
    brush = sen.index(0, FLAG_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == FLAG_BACKGROUND
    assert support.cells[FLAG_COLUMN] == ""  # 1.9, but the interval reaches below 1
    assert sen.index(1, FLAG_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is None
    looked_after = sections["Looked-after children"].table.report_model.rows[0]
    assert looked_after.cells[6] == "No ratio"
    assert looked_after.cells[-1].startswith("Fewer than 10 pupils on roll")
    assert looked_after.cells[1] == "6"  # 6 on roll is not hidden here; 3 with an incident is
    assert looked_after.cells[2] == "3 (on paper: fewer than 5)"


def test_the_governors_report_is_made_kept_saved_and_printed_again(
    qtbot: QtBot, make_window: Any, fake: FakeReports, seams: Seams, prompter: ScriptedPrompter
) -> None:
    window = make_window()
    page = window.governors
    assert not page.make_button.isEnabled()  # no figures yet
    assert page.saved.note.text() == "No governors' report has been made yet."
    shown_figures(qtbot, window)
    window.tabs.setCurrentWidget(page)
    qtbot.keyClicks(page.boxes["impact"], "Fewer pupils were held for long.")
    qtbot.keyClicks(page.boxes["actions_taken"], "Training refreshed for all midday staff.")
    qtbot.keyClicks(page.boxes["actions_planned"], "A calm room by Easter.")
    prompter.choice_answers.append(0)  # Save as PDF…
    qtbot.mouseClick(page.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seams.saved), timeout=5000)
    result, texts = fake.made[0]
    assert result is window.result
    assert texts.impact == "Fewer pupils were held for long."
    assert texts.actions_planned == "A calm room by Easter."
    data, name = seams.saved[0]
    assert data == fake.pdfs[1]
    assert name == "Governors' report 2026-09-01 to 2026-12-18 (number 1).pdf"
    assert (
        "choose",
        "The governors' report",
        "Report number 1 has been made and kept. Save it as a PDF, print it or look at it first?",
    ) in prompter.asked
    assert cells(page.saved_model) == [
        ("1", THIS_TERM.label, "07/12/2026 16:05", "Siân Griffiths", "01" * 8)
    ]
    qtbot.mouseClick(page.print_again, Qt.MouseButton.LeftButton)
    assert seams.printed == [(fake.pdfs[1], "Governors' report number 1")]


def test_empty_text_boxes_are_asked_about_first(
    qtbot: QtBot, make_window: Any, fake: FakeReports, prompter: ScriptedPrompter
) -> None:
    window = make_window()
    shown_figures(qtbot, window)
    prompter.confirm_answers.append(False)
    window.governors.make_button.click()
    qtbot.wait(50)
    assert fake.made == []


def test_the_data_for_the_local_authority_is_saved_where_chosen(
    qtbot: QtBot, make_window: Any, fake: FakeReports, seams: Seams, prompter: ScriptedPrompter
) -> None:
    window = make_window()
    window.picker.choose("Last term")
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert seams.csv_path is not None
    qtbot.waitUntil(seams.csv_path.exists, timeout=5000)
    assert seams.csv_path.read_bytes() == b"pupil_key,date,year_group\nk1,2026-09-07,Year 4\n"
    assert fake.exported == [LAST_TERM]
    assert any(kind == "inform" and "no names, UPNs" in text for kind, _t, text in prompter.asked)


def test_cancelling_the_save_makes_no_export(
    qtbot: QtBot, make_window: Any, fake: FakeReports, seams: Seams
) -> None:
    window = make_window()
    seams.csv_path = None
    window.export_button.click()
    qtbot.wait(50)
    assert fake.exported == []


@pytest.mark.parametrize("lead", [True, False])
def test_only_leads_and_senior_leaders_see_view_reports(
    qtbot: QtBot, lead: bool, prompter: ScriptedPrompter
) -> None:
    main = QMainWindow()
    qtbot.addWidget(main)
    view = main.menuBar().addMenu("&View")
    fake = FakeReports(lead=lead)
    background = Background(cast(Any, FakeServices(fake)), prompter, main)
    actions = ReportsActions.install(main, fake, background, lambda: CHOICES, print, prompter)
    titles = [a.text() for a in view.actions()]
    if not lead:
        assert actions is None and "&Reports…" not in titles
        return
    assert actions is not None and "&Reports…" in titles
    actions.action.trigger()
    window = actions.reports_window
    assert window is not None and window.isVisible()
    actions.action.trigger()
    assert actions.reports_window is window  # the one window, brought forward
    window.close()


def test_the_report_table_model_is_a_sound_qt_model(qtmodeltester: ModelTester) -> None:
    model = ReportRowsModel(("Figure", "Count", "Of"))
    model.set_rows([row(("Prone holds", "3", "60"), (None, shown(3), shown(60)), ("INC-1",)),
                    row(("Injuries", "12", "60"), (None, shown(12), shown(60)))])  # fmt: skip
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "3 (on paper: fewer than 5)"


def test_the_screen_works_from_the_keyboard(
    qtbot: QtBot, make_window: Any, fake: FakeReports
) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    picker = window.picker
    picker.choice.setFocus()
    qtbot.keyClick(picker.choice, Qt.Key.Key_End)  # Custom dates
    assert picker.custom and picker.from_date.isVisible()
    qtbot.keyClick(picker.choice, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker.from_date.edit
    qtbot.keyClicks(picker.from_date.edit, "02/09/2026")
    qtbot.keyClick(picker.from_date.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker.to_date.edit
    qtbot.keyClicks(picker.to_date.edit, "30/09/2026")
    qtbot.keyClick(picker.to_date.edit, Qt.Key.Key_Return)  # Enter shows the figures
    qtbot.waitUntil(lambda: window.status.text().startswith("Figures for"), timeout=5000)
    assert fake.computed[-1].label == "02/09/2026 to 30/09/2026"
    qtbot.keyClick(picker.to_date.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.show_button
