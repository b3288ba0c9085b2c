"""The SENCO's pupil review window over a real encrypted store: the figures shown match
hand-counted ones, the chart, breakdowns and timeline agree, a recorded review shows
up, the summary PDF is saved or printed and audited. Everyone named here is fictional."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import Deescalation, Incident, Pupil, WhenWhere
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.review.breakdowns import CountsModel
from incident_recorder.ui.review.timeline import TimelineModel
from incident_recorder.ui.review.window import PupilReviewWindow
from tests.fakes import RENDERER
from tests.gui.conftest import PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import background_for, key, tab_to
from tests.gui.test_plans import save_plan
from tests.gui.test_review_chart import review_on

# Leo's incidents, hand-counted: January 3, February 1, March 2.
DAYS = (
    date(2026, 1, 6),  # Tuesday, 12:30 in the hall: "Lunchtime"
    date(2026, 1, 13),  # Tuesday, hall
    date(2026, 1, 27),  # Tuesday; only "Offered choices" tried
    date(2026, 2, 10),  # Tuesday; only "Offered choices" tried
    date(2026, 3, 3),  # Tuesday; no strategy ticked
    date(2026, 3, 17),  # Tuesday
)


class Opened:
    def __init__(self) -> None:
        self.ids: list[int] = []

    def __call__(self, incident_id: int) -> None:
        self.ids.append(incident_id)


@pytest.fixture
def leo_incidents(
    session: Session, pupils: dict[str, Pupil], submit_record: Callable[..., Incident]
) -> list[Incident]:
    save_plan(session, pupils["Leo Fernandes"])  # from 05/01/2026, review by 05/07/2026
    made = []
    for n, day in enumerate(DAYS):
        changes: dict[str, object] = {}
        if n < 2:
            start = time(12, 30) if n == 0 else time(10, 5)
            changes["when_where"] = WhenWhere(day, start, time(12, 45), "Hall")
        if n in (2, 3):
            changes["deescalation"] = Deescalation(strategies=("Offered choices",))
        if n == 4:
            changes["deescalation"] = Deescalation(other="Sat quietly with a key adult.")
        made.append(submit_record("Leo Fernandes", day, **changes))
    return made


def open_window(
    qtbot: QtBot,
    session: Session,
    pupil: Pupil,
    prompter: ScriptedPrompter,
    opened: Callable[[int], None] | None = None,
    **seams: object,
) -> PupilReviewWindow:
    window = PupilReviewWindow(
        ReviewService(session, RENDERER),
        pupil,
        prompter,
        opened or Opened(),
        background=background_for(session, prompter),
        **seams,  # type: ignore[arg-type]
    )
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    return window


def rows_of(table: object) -> dict[str, tuple[object, ...]]:
    return {str(row[0]): tuple(row[1:]) for row in table.rows()}  # type: ignore[attr-defined]


def test_the_figures_chart_and_breakdowns_match_the_hand_count(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    leo_incidents: list[Incident],
) -> None:
    window = open_window(qtbot, session, pupils["Leo Fernandes"], prompter)

    assert window.windowTitle() == "Pupil review — Leo Fernandes"
    header = window.header
    assert "Year 4" in header.facts.text() and "Class Rowan" in header.facts.text()
    assert header.plan.text() == (
        "Behaviour support plan version 1, in force from 05/01/2026; review due by 05/07/2026."
    )
    shown = {k: label.text() for k, label in header.values.items()}
    assert shown == {
        "incidents": "6",
        "with_hold": "6",
        "injuries": "0",
        "floor": "0",
        "first": "06/01/2026",
        "last": "17/03/2026",
    }
    assert header.not_reviewed.text() == "6 incidents not yet reviewed."

    chart = window.chart_panel.chart
    assert chart.by == "month"
    assert [p.label for p in chart.periods] == ["January 2026", "February 2026", "March 2026"]
    assert chart.values() == [3, 1, 2]
    assert [(m.kind, m.on) for m in chart.periods[0].markers] == [("plan_start", date(2026, 1, 5))]

    breakdowns = window.breakdowns
    assert rows_of(breakdowns.location) == {"Classroom": (4,), "Hall": (2,)}
    assert rows_of(breakdowns.weekday)["Tuesday"] == (6,)
    assert rows_of(breakdowns.time_of_day)["Lunchtime, 12:00 to 13:15"] == (1,)
    assert rows_of(breakdowns.time_of_day)["09:00 to 10:30"] == (5,)
    assert rows_of(breakdowns.techniques) == {
        "Friendly hold (standing)": (6, 6, "18 min"),
        "Single elbow": (6, 6, "12 min"),
    }
    assert rows_of(breakdowns.strategies) == {
        "Offered choices": (5, 5, "100%"),
        "Calm, quiet voice and reassurance": (3, 3, "100%"),
    }
    assert "no strategy recorded: 1" in breakdowns.strategies.note.text()
    assert rows_of(breakdowns.injuries)["Anyone"] == (0,)


def test_weeks_and_the_keyboard_on_the_chart(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    leo_incidents: list[Incident],
) -> None:
    window = open_window(qtbot, session, pupils["Leo Fernandes"], prompter)
    panel = window.chart_panel
    assert panel.described.text().startswith("March 2026: 2 incidents.")

    tab_to(qtbot, panel.chart)
    key(qtbot, Qt.Key.Key_Left)
    assert panel.chart.accessibleDescription() == "February 2026: 1 incident"
    assert panel.described.text().startswith("February 2026: 1 incident.")

    key(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.by_week.isChecked)
    weeks = panel.chart.periods
    assert weeks[0].start == date(2026, 1, 5) and weeks[-1].start == date(2026, 3, 16)
    assert sum(panel.chart.values()) == 6 and max(panel.chart.values()) == 1
    assert panel.chart.accessibleDescription() == "Week 12 of 2026 (16/03/2026): 1 incident"


def test_the_timeline_opens_an_incident_with_enter(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    leo_incidents: list[Incident],
) -> None:
    opened = Opened()
    window = open_window(qtbot, session, pupils["Leo Fernandes"], prompter, opened)
    entries = window.timeline.entries()
    assert [e.kind for e in entries] == ["plan"] + ["incident"] * 6
    assert entries[0].on == date(2026, 1, 5)
    assert [e.incident_id for e in entries[1:]] == [i.id for i in leo_incidents]

    window.tabs.setCurrentWidget(window.timeline)
    tab_to(qtbot, window.timeline.view)
    window.timeline.view.selectRow(0)  # the plan: nothing to open
    key(qtbot, Qt.Key.Key_Return)
    window.timeline.view.selectRow(4)
    key(qtbot, Qt.Key.Key_Return)
    assert opened.ids == [leo_incidents[3].id]
    model = window.timeline.model
    assert model.index(4, 0).data() == "10/02/2026"
    assert model.index(0, 2).data() == "Plan" and model.index(4, 2).data() == "Incident"


def test_a_recorded_review_reloads_the_figures_and_joins_the_timeline(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    leo_incidents: list[Incident],
) -> None:
    leo = pupils["Leo Fernandes"]
    window = open_window(qtbot, session, leo, prompter)
    emitted: list[object] = []
    window.review_recorded.connect(emitted.append)

    window.record_button.click()
    dialog = window.record_dialog
    assert dialog is not None and dialog.isVisible()
    saved = ReviewService(session, RENDERER).record_review(
        PlanReviewRecord(
            pupil_id=leo.id,
            held_on=date(2026, 3, 18),
            outcome=ReviewOutcome.NO_CHANGE,
            reason="The plan is working; fewer incidents since February.",
            participants=("Siân Griffiths (SENCO)",),
            incident_ids=tuple(i.id for i in leo_incidents[:4]),
            next_review=date(2026, 5, 1),
        )
    )
    dialog.review_recorded.emit(saved)  # as the dialog does once it has saved
    dialog.close()

    assert emitted == [saved]
    assert window.header.not_reviewed.text() == "2 incidents not yet reviewed."
    assert window.header.plan.text() == (
        "Behaviour support plan version 1, in force from 05/01/2026; last reviewed on "
        "18/03/2026, next review by 01/05/2026."
    )
    assert window.tabs.currentWidget() is window.timeline
    kinds = [e.kind for e in window.timeline.entries()]
    assert kinds.count("review") == 1 and kinds[-1] == "review"  # 18/03, after 17/03
    review_markers = [m for p in window.chart_panel.chart.periods for m in p.markers]
    assert ("review", date(2026, 3, 18)) in [(m.kind, m.on) for m in review_markers]


def test_the_summary_is_saved_as_a_pdf_or_printed_and_audited(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    leo_incidents: list[Incident],
    tmp_path: Path,
) -> None:
    leo = pupils["Leo Fernandes"]
    proposed: list[str] = []
    printed: list[bytes] = []
    printer_answers = [False, True]  # cancelled once, then printed

    def save_pdf(
        _parent: QWidget, data: bytes, name: str, _title: str, _prompter: object
    ) -> Path | None:
        proposed.append(name)
        target = tmp_path / "summary.pdf"
        target.write_bytes(data)
        return target

    def print_pdf(
        data: bytes, _parent: QWidget, _job: str, before_printing: Callable[[], None]
    ) -> bool:
        printed.append(data)
        answer = printer_answers.pop(0)
        if answer:  # the user pressed Print in the dialog
            before_printing()
        return answer

    window = open_window(qtbot, session, leo, prompter, save_pdf=save_pdf, print_pdf=print_pdf)
    window.save_button.click()

    assert proposed and "Leo" not in proposed[0] and proposed[0].endswith(".pdf")
    reader = PdfReader(io.BytesIO((tmp_path / "summary.pdf").read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Leo Fernandes" in text
    assert prompter.asked[-1][:2] == ("inform", "PDF saved")
    details = [e.detail for e in session.store.audit.entries()]
    assert any(f"pupil {leo.id}" in d and "saved as PDF" in d for d in details)

    window.print_button.click()  # the print dialog is cancelled: nothing audited
    assert not any("printed" in d for d in (e.detail for e in session.store.audit.entries()))
    window.print_button.click()
    assert len(printed) == 2 and printed[1].startswith(b"%PDF")
    details = [e.detail for e in session.store.audit.entries()]
    assert any(f"pupil {leo.id}" in d and "printed" in d for d in details)


def test_a_pupil_with_no_incidents_gets_plain_empty_states(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, pupils: dict[str, Pupil]
) -> None:
    window = open_window(qtbot, session, pupils["Zara Ahmed"], prompter)
    panel = window.chart_panel
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text() == "No incidents recorded for this pupil."
    assert window.header.values["incidents"].text() == "0"
    assert window.header.plan.text() == "There is no behaviour support plan for this pupil yet."
    assert window.timeline.entries() == [] and not window.timeline.empty.isHidden()


def test_someone_who_may_not_review_sees_a_plain_message(
    qtbot: QtBot,
    account_service: AccountService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
) -> None:
    staff_session = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        window = open_window(qtbot, staff_session, pupils["Leo Fernandes"], prompter)
        assert window.error.isVisible()
        assert window.error.text() == (
            "Only a SENCO or the safeguarding lead can see pupil reviews."
        )
    finally:
        staff_session.close()


def test_the_breakdown_and_timeline_models_pass_the_model_tester(qtmodeltester: object) -> None:
    counts = CountsModel(("Place", "Incidents"))
    counts.set_rows([("Hall", 2), ("Classroom", 4)])
    qtmodeltester.check(counts)  # type: ignore[attr-defined]
    assert counts.index(1, 1).data(Qt.ItemDataRole.TextAlignmentRole) is not None
    timeline = TimelineModel()
    timeline.set_entries(review_on(list(DAYS)).timeline)
    qtmodeltester.check(timeline)  # type: ignore[attr-defined]
    assert timeline.index(0, 0).data() == "06/01/2026"
    assert timeline.index(0, 3).data() == "Incident 2026-0001"
