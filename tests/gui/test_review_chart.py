"""The pupil review's chart on its own: whole-number axis, bars read from the keyboard
and on hover, labels thinned to fit, the week/month choice and the empty state."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, time

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from incident_recorder.domain.model import WhenWhere
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import (
    Marker,
    PeriodCount,
    PupilReview,
    ReviewIncident,
    pupil_review,
)
from incident_recorder.ui.review.chart import IncidentChart, nice_top
from incident_recorder.ui.review.chart_panel import NO_INCIDENTS, ChartPanel
from tests.fakes import complete_details
from tests.gui.form_support import key, tab_to

MONTHS = (
    PeriodCount(date(2026, 1, 1), date(2026, 1, 31), "January 2026", 3,
                (Marker(date(2026, 1, 5), "plan_start", 1),)),
    PeriodCount(date(2026, 2, 1), date(2026, 2, 28), "February 2026", 1),
    PeriodCount(date(2026, 3, 1), date(2026, 3, 31), "March 2026", 2),
)  # fmt: skip


def review_on(days: list[date], plans: list[BehaviourPlan] | None = None) -> PupilReview:
    incidents = []
    for n, day in enumerate(days, start=1):
        details = complete_details(1, 1, day)
        details = dataclasses.replace(
            details, when_where=WhenWhere(date=day, start=time(10, 0), location="Hall")
        )
        incidents.append(ReviewIncident(n, f"2026-{n:04d}", details))
    return pupil_review(incidents, plans or [])


def show_chart(qtbot: QtBot, periods: tuple[PeriodCount, ...], width: int = 600) -> IncidentChart:
    chart = IncidentChart()
    qtbot.addWidget(chart)
    chart.resize(width, 260)
    chart.set_periods(periods, "month")
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_the_axis_counts_in_whole_numbers() -> None:
    assert nice_top(0) == (1, 1)
    assert nice_top(3) == (3, 1)
    assert nice_top(5) == (5, 1)
    assert nice_top(7) == (8, 2)
    assert nice_top(13) == (15, 5)
    assert nice_top(48) == (50, 10)


def test_arrow_keys_move_the_highlighted_bar_and_say_what_it_shows(qtbot: QtBot) -> None:
    chart = show_chart(qtbot, MONTHS)
    said: list[str] = []
    chart.current_changed.connect(said.append)
    # The latest month with incidents is highlighted first.
    assert chart.accessibleDescription() == "March 2026: 2 incidents"
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.accessibleDescription() == "February 2026: 1 incident"
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.accessibleDescription() == (
        "January 2026: 3 incidents; Plan version 1 started on 05/01/2026"
    )
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # already at the first bar: stays
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert said[-1] == "March 2026: 2 incidents"
    assert chart.values() == [3, 1, 2]


def test_hovering_a_bar_shows_its_month_and_count(qtbot: QtBot) -> None:
    chart = show_chart(qtbot, MONTHS)
    middle = chart.bar_rect(1).center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, middle, chart.mapToGlobal(middle))
    QApplication.sendEvent(chart, event)
    assert QToolTip.text() == "February 2026: 1 incident"
    QToolTip.hideText()


def test_taller_bars_for_more_incidents_and_labels_that_never_overlap(qtbot: QtBot) -> None:
    chart = show_chart(qtbot, MONTHS)
    heights = [chart.bar_rect(i).height() for i in range(3)]
    assert heights[0] > heights[2] > heights[1] > 0

    weeks = review_on([date(2024, 4, 1), date(2026, 3, 16)]).weeks  # about two years
    chart.resize(400, 260)  # narrower than the bars want: the labels are thinned
    chart.set_periods(weeks, "week")
    labels = chart.x_labels()
    assert 2 < len(labels) < len(weeks)
    widest = max(chart.fontMetrics().horizontalAdvance(text) for _, text, _ in labels)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(labels)]
    assert min(gaps) * chart.slot() >= widest
    assert labels[0][2] == "2024" and any(year == "2025" for _, _, year in labels)


def test_the_panel_switches_between_weeks_and_months_and_scrolls_many_weeks(
    qtbot: QtBot,
) -> None:
    plan = BehaviourPlan(pupil_id=1, version=1, start_date=date(2024, 9, 2),
                         review_date=date(2025, 2, 3))  # fmt: skip
    review = review_on([date(2024, 4, 1), date(2024, 4, 3), date(2026, 3, 16)], [plan])
    panel = ChartPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 360)
    panel.set_review(review)
    panel.show()
    panel.activateWindow()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(panel.isActiveWindow)
    assert panel.chart.by == "month" and len(panel.chart.periods) == 24
    assert panel.chart.values()[0] == 2

    tab_to(qtbot, panel.chart)
    key(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # the mnemonic: By week
    qtbot.waitUntil(panel.by_week.isChecked)  # a mnemonic "clicks" shortly
    assert panel.chart.by == "week" and sum(panel.chart.values()) == 3
    assert panel.chart.values()[0] == 2 and len(panel.chart.periods) > 100
    marked = [m.kind for p in panel.chart.periods for m in p.markers]
    assert marked == ["plan_start", "plan_review"]
    # Two years of weeks do not fit in 800 pixels: the chart scrolls, showing the latest.
    bar = panel.scroll_area.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # laid out when the event loop runs
    assert bar.value() == bar.maximum()
    assert "Week 12 of 2026 (16/03/2026): 1 incident" in panel.described.text()
    tab_to(qtbot, panel.chart)
    key(qtbot, Qt.Key.Key_Home)
    assert bar.value() == 0
    assert panel.described.text().startswith("Week 14 of 2024 (01/04/2024): 2 incidents")


def test_no_incidents_shows_a_plain_sentence_instead_of_a_chart(qtbot: QtBot) -> None:
    panel = ChartPanel()
    qtbot.addWidget(panel)
    panel.set_review(review_on([]))
    panel.show()
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text() == NO_INCIDENTS == "No incidents recorded for this pupil."
    assert not panel.by_week.isEnabled()
