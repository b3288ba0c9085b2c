"""The small bar chart on the pupil summary: incidents in each of the last twelve months,
with the plan's start and review dates and the review meetings marked on it.

Pure arithmetic (``last_twelve_months``, ``marks``) is kept apart from the drawing so
that it can be tested without reading a picture.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from incident_recorder.documents.fonts import BOLD, FAMILY
from incident_recorder.domain.review import Marker, PeriodCount

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# What each kind of mark means, and its colour on the chart.
PLAN_START = "plan_start"
PLAN_REVIEW = "plan_review"
MEETING = "meeting"
MARK_COLOURS = {PLAN_START: "#1F6F43", PLAN_REVIEW: "#B35C00", MEETING: "#7A2E8E"}
MARK_LEGEND = {
    PLAN_START: "plan version started",
    PLAN_REVIEW: "plan review date",
    MEETING: "review meeting held",
}
BAR_COLOUR = "#3C6E9F"


@dataclass(frozen=True, slots=True)
class MonthBar:
    year: int
    month: int
    incidents: int

    @property
    def label(self) -> str:
        return MONTH_ABBR[self.month - 1]


@dataclass(frozen=True, slots=True)
class Mark:
    at: float  # position in months from the left edge of the first bar (0.0 to 12.0)
    kind: str  # PLAN_START, PLAN_REVIEW or MEETING
    text: str  # e.g. "v2"


def last_twelve_months(months: Sequence[PeriodCount], today: date) -> list[MonthBar]:
    """The twelve calendar months ending with ``today``'s month, oldest first, with the
    incidents counted in each (zero where the review has no such month)."""
    counts = {(p.start.year, p.start.month): p.incidents for p in months}
    bars = []
    for back in range(11, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        year, month = divmod(index, 12)
        bars.append(MonthBar(year, month + 1, counts.get((year, month + 1), 0)))
    return bars


def _position(bars: Sequence[MonthBar], day: date) -> float | None:
    for index, bar in enumerate(bars):
        if (bar.year, bar.month) == (day.year, day.month):
            days = calendar.monthrange(day.year, day.month)[1]
            return index + (day.day - 0.5) / days
    return None


def marks(
    bars: Sequence[MonthBar], markers: Iterable[Marker], meetings: Iterable[date]
) -> list[Mark]:
    """The plan dates and review meetings that fall inside the chart's months."""
    found = []
    for marker in markers:
        if marker.kind not in (PLAN_START, PLAN_REVIEW):
            continue  # review meetings come from ``meetings``, drawn once
        at = _position(bars, marker.on)
        if at is not None:
            found.append(Mark(at, marker.kind, f"v{marker.plan_version}"))
    for held in meetings:
        at = _position(bars, held)
        if at is not None:
            found.append(Mark(at, MEETING, ""))
    return sorted(found, key=lambda m: m.at)


def draw_chart(bars: Sequence[MonthBar], found: Sequence[Mark], width: float, height: float) -> Any:
    """A reportlab Drawing of the bars, the marks and a one-line legend."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    left, right, bottom, legend_h, top_pad = 22.0, 4.0, 14.0, 11.0, 10.0
    plot_w = width - left - right
    plot_h = height - bottom - legend_h - top_pad
    base = bottom + legend_h
    peak = max((b.incidents for b in bars), default=0)
    scale_top = max(4, peak + (-peak % 2))  # an even number of steps, never less than 4
    step = plot_w / max(len(bars), 1)
    grey = colors.HexColor("#888888")

    # Horizontal grid lines with their counts on the left.
    for tick in (0, scale_top // 2, scale_top):
        y = base + plot_h * tick / scale_top
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor("#DDDDDD")))
        drawing.add(String(left - 3, y - 2.5, str(tick), fontName=FAMILY, fontSize=6.5,
                           fillColor=grey, textAnchor="end"))  # fmt: skip
    for index, bar in enumerate(bars):
        x = left + index * step
        h = plot_h * bar.incidents / scale_top
        if bar.incidents:
            drawing.add(Rect(x + step * 0.18, base, step * 0.64, h, strokeColor=None,
                             fillColor=colors.HexColor(BAR_COLOUR)))  # fmt: skip
            drawing.add(String(x + step / 2, base + h + 1.5, str(bar.incidents), fontName=BOLD,
                               fontSize=6.5, textAnchor="middle"))  # fmt: skip
        label = bar.label if bar.month != 1 and index else f"{bar.label} {bar.year % 100:02d}"
        drawing.add(String(x + step / 2, bottom + legend_h - 9, label, fontName=FAMILY,
                           fontSize=6.5, fillColor=grey, textAnchor="middle"))  # fmt: skip

    for mark in found:
        x = left + mark.at * step
        colour = colors.HexColor(MARK_COLOURS[mark.kind])
        dash = None if mark.kind == PLAN_START else [2, 1.5]
        drawing.add(Line(x, base, x, base + plot_h + 3, strokeColor=colour, strokeWidth=1,
                         strokeDashArray=dash))  # fmt: skip
        if mark.text:
            drawing.add(String(x, base + plot_h + 4.5, mark.text, fontName=BOLD, fontSize=6,
                               fillColor=colour, textAnchor="middle"))  # fmt: skip

    # The legend, along the bottom edge.
    x = left
    for kind, words in MARK_LEGEND.items():
        colour = colors.HexColor(MARK_COLOURS[kind])
        dash = None if kind == PLAN_START else [2, 1.5]
        drawing.add(Line(x, 3, x + 10, 3, strokeColor=colour, strokeWidth=1.2,
                         strokeDashArray=dash))  # fmt: skip
        drawing.add(String(x + 13, 1, words, fontName=FAMILY, fontSize=6.5, fillColor=grey))
        x += 13 + len(words) * 3.4 + 12
    return drawing
