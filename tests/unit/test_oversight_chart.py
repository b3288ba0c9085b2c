"""The arithmetic of the oversight charts: what a bar is drawn from (the published text,
never a hidden count), the scale, and where term starts fall."""

from __future__ import annotations

from datetime import date
from typing import Any

from incident_recorder.documents.oversight_chart import (
    HIDDEN,
    boundary_positions,
    category_chart,
    hidden_mark,
    point_start,
    scale_top,
    series_chart,
    shown_count,
)
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.published import (
    PublishedPatternRow,
    PublishedSeriesPoint,
    Shown,
)

YEAR = Period(date(2026, 9, 1), date(2027, 8, 31), "School year 2026 to 2027")


def test_a_bar_is_drawn_only_from_a_shown_count() -> None:
    assert shown_count(Shown("12")) == 12
    assert shown_count(Shown("1,204")) == 1204
    assert shown_count(Shown("0")) == 0
    assert shown_count(Shown("fewer than 5", hidden=True)) is None
    assert shown_count(Shown("12", hidden=True)) is None  # hidden by secondary suppression
    assert shown_count(Shown("not shown", hidden=True)) is None
    assert hidden_mark(Shown("fewer than 5", True)) == "<5"
    assert hidden_mark(Shown("not shown", True)) == "n/s"


def test_the_scale_is_round_and_never_below_five() -> None:
    assert scale_top(0) == 5 and scale_top(3) == 5 and scale_top(5) == 5
    assert scale_top(7) == 8 and scale_top(16) == 20 and scale_top(41) == 50
    assert scale_top(210) == 250 and scale_top(330) == 400
    for peak in range(0, 3000, 7):
        assert scale_top(peak) >= peak


def test_points_know_their_first_day_from_the_label_when_not_given() -> None:
    assert point_start(PublishedSeriesPoint("31/08", Shown("0"), Shown("0")), YEAR) == date(
        2026, 8, 31
    )
    assert point_start(PublishedSeriesPoint("04/01", Shown("0"), Shown("0")), YEAR) == date(
        2027, 1, 4
    )
    assert point_start(PublishedSeriesPoint("Feb 2027", Shown("0"), Shown("0")), YEAR) == date(
        2027, 2, 1
    )
    given = PublishedSeriesPoint("whatever", Shown("0"), Shown("0"), date(2026, 9, 7))
    assert point_start(given, YEAR) == date(2026, 9, 7)


def test_term_starts_fall_inside_their_week_or_month() -> None:
    weeks = [
        PublishedSeriesPoint(f"{d:%d/%m}", Shown("5"), Shown("5"))
        for d in (date(2026, 8, 31), date(2026, 9, 7), date(2026, 9, 14))
    ]
    found = boundary_positions(
        weeks, [date(2026, 9, 3), date(2026, 9, 16), date(2027, 1, 5)], YEAR, 7
    )
    assert [(round(at, 3), day) for at, day in found] == [
        (round(0 + 3.5 / 7, 3), date(2026, 9, 3)),
        (round(2 + 2.5 / 7, 3), date(2026, 9, 16)),
    ]
    months = [
        PublishedSeriesPoint(label, Shown("5"), Shown("5")) for label in ("Sep 2026", "Oct 2026")
    ]
    ((at, day),) = boundary_positions(months, [date(2026, 10, 16)], YEAR, 0)
    assert day == date(2026, 10, 16) and round(at, 3) == round(1 + 15.5 / 31, 3)


def _rects(drawing: Any) -> list[Any]:
    from reportlab.graphics.shapes import Rect

    return [s for s in drawing.contents if isinstance(s, Rect)]


def test_a_hidden_bar_is_the_same_size_whatever_the_scale() -> None:
    # The hatched stub for "fewer than 5" is as tall beside a peak of 10 as of 400.
    from reportlab.lib import colors

    def hidden_heights(peak: str) -> list[float]:
        points = [
            PublishedSeriesPoint("Sep 2026", Shown("fewer than 5", True), Shown("0")),
            PublishedSeriesPoint("Oct 2026", Shown(peak), Shown("0")),
        ]
        drawing = series_chart(points, YEAR, (), 400, 150, weekly=False)
        grey = colors.HexColor(HIDDEN)
        return [r.height for r in _rects(drawing) if r.fillColor == grey and r.y > 5]

    assert hidden_heights("10") == hidden_heights("400") != []

    rows = [PublishedPatternRow("Corridor", Shown("fewer than 5", True), Shown("12"))]
    chart = category_chart(rows, 400)
    grey = colors.HexColor(HIDDEN)
    assert any(r.fillColor == grey for r in _rects(chart))


def test_a_long_breakdown_charts_its_largest_rows_in_the_tables_order() -> None:
    from incident_recorder.documents.oversight_chart import MAX_CATEGORY_BARS, largest_rows

    rows = [PublishedPatternRow(f"Place {i}", Shown(str(100 - i)), Shown("0")) for i in range(14)]
    rows.insert(3, PublishedPatternRow("Minibus", Shown("fewer than 5", True), Shown("0")))
    rows.append(PublishedPatternRow("Place not recorded", Shown("363"), Shown("0")))
    chosen = [r.label for r in largest_rows(rows)]
    assert len(chosen) == MAX_CATEGORY_BARS
    assert "Minibus" not in chosen and "Place 13" not in chosen
    assert chosen[0] == "Place 0" and chosen[-1] == "Place not recorded"
