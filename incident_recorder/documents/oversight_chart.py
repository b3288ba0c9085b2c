"""The charts of the governors' and the trust's reports, drawn with reportlab graphics.

Every bar is drawn from the *published* figure (``Shown``), never from a true count: a
count that is suppressed ("fewer than 5", or hidden so that it cannot be worked out)
is drawn as a short hatched grey stub of the same size whatever the true count, with
"<5" or "n/s" above it, so a chart can no more give a small number away than the
table beside it.

The arithmetic (``shown_count``, ``scale_top``, ``boundary_positions``) is kept apart
from the drawing so that it can be tested without reading a picture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from incident_recorder.documents.fonts import BOLD, FAMILY, register_fonts
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.published import (
    PublishedPatternRow,
    PublishedSeriesPoint,
    Shown,
)

BAR = "#3C6E9F"
LAST_YEAR = "#A9A9A9"
HIDDEN = "#BDBDBD"
HATCH = "#6E6E6E"
BOUNDARY = "#B35C00"
GRID = "#DDDDDD"
INK = "#333333"
MUTED = "#777777"

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HIDDEN_LEGEND = "hatched: fewer than 5 or not shown (not to scale)"
MAX_CATEGORY_BARS = 14  # a longer breakdown charts its largest rows; its table lists all


def shown_count(shown: Shown) -> int | None:
    """The count a published figure prints, or None where it is hidden or not a count."""
    if shown.hidden:
        return None
    digits = shown.text.replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


def hidden_mark(shown: Shown) -> str:
    """What a hidden bar carries above it: "<5" for "fewer than 5", "n/s" otherwise."""
    return "<5" if shown.text.lower().startswith("fewer than") else "n/s"


def scale_top(peak: int) -> int:
    """A round top for the scale, never below 5, in steps that divide into 4 or 5."""
    if peak <= 5:
        return 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak <= step * 5:
            top = step * 5 if peak > step * 4 else step * 4
            return max(top, peak)
    return peak


def _ticks(top: int) -> list[int]:
    parts = 5 if top % 5 == 0 else 4
    return [top * i // parts for i in range(parts + 1)]


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})")
_MONTH_YEAR = re.compile(r"^\s*([A-Za-z]{3})[A-Za-z]*\s+(\d{4})")


def point_start(point: PublishedSeriesPoint, period: Period) -> date | None:
    """The first day a point stands for: its ``start``, else worked out from its label
    ("07/09" for a week beginning inside or just before the period, "Sep 2026")."""
    if point.start is not None:
        return point.start
    found = _MONTH_YEAR.match(point.label)
    if found and found.group(1).title() in MONTHS:
        return date(int(found.group(2)), MONTHS.index(found.group(1).title()) + 1, 1)
    found = _DAY_MONTH.match(point.label)
    if found:
        day, month = int(found.group(1)), int(found.group(2))
        for year in (period.start.year, period.start.year + 1, period.end.year):
            try:
                day_of = date(year, month, day)
            except ValueError:
                continue
            if period.start - timedelta(days=6) <= day_of <= period.end:
                return day_of
    return None


def boundary_positions(
    points: Sequence[PublishedSeriesPoint], term_starts: Sequence[date], period: Period, days: int
) -> list[tuple[float, date]]:
    """Where each term start falls along the series, in bars from the left edge (a
    start on the Wednesday of the third week is at 2 + 2.5/7), for points ``days``
    long (7 for weeks; months use their own length). Starts outside it are left out."""
    starts = [point_start(p, period) for p in points]
    found: list[tuple[float, date]] = []
    for term in term_starts:
        for index, begun in enumerate(starts):
            if begun is None:
                continue
            length = days
            if days <= 0:  # months
                following = date(begun.year + begun.month // 12, begun.month % 12 + 1, 1)
                length = (following - begun).days
            offset = (term - begun).days
            if 0 <= offset < length:
                found.append((index + (offset + 0.5) / length, term))
                break
    return found


def _hatched(drawing: Any, x: float, y: float, w: float, h: float) -> None:
    from reportlab.graphics.shapes import Line, Rect
    from reportlab.lib import colors

    drawing.add(
        Rect(
            x,
            y,
            w,
            h,
            fillColor=colors.HexColor(HIDDEN),
            strokeColor=colors.HexColor(HATCH),
            strokeWidth=0.4,
        )
    )
    step = 2.6
    start = -h
    while start < w:
        x0, y0 = x + max(start, 0.0), y + max(-start, 0.0)
        x1 = min(x + start + h, x + w)
        y1 = y + (x1 - (x + start))
        drawing.add(Line(x0, y0, x1, y1, strokeColor=colors.HexColor(HATCH), strokeWidth=0.4))
        start += step


def _text(drawing: Any, x: float, y: float, text: str, size: float = 6.5, **kw: Any) -> None:
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    font = kw.pop("font", FAMILY)
    colour = kw.pop("colour", MUTED)
    drawing.add(
        String(x, y, text, fontName=font, fontSize=size, fillColor=colors.HexColor(colour), **kw)
    )


def _legend(drawing: Any, y: float, entries: Sequence[tuple[str, str]], left: float) -> None:
    """A one-line legend: (kind, words) with kind "bar", "last", "hidden" or "boundary"."""
    from reportlab.graphics.shapes import Line, Rect
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x = left
    for kind, words in entries:
        if kind == "hidden":
            _hatched(drawing, x, y - 1, 9, 7)
        elif kind == "boundary":
            drawing.add(Line(x + 4, y - 2, x + 4, y + 7, strokeColor=colors.HexColor(BOUNDARY),
                             strokeWidth=1, strokeDashArray=[2, 1.5]))  # fmt: skip
        elif kind == "tick":
            drawing.add(Line(x, y + 2.5, x + 9, y + 2.5, strokeColor=colors.HexColor(INK),
                             strokeWidth=1.3))  # fmt: skip
        else:
            colour = BAR if kind == "bar" else LAST_YEAR
            drawing.add(Rect(x, y - 1, 9, 7, fillColor=colors.HexColor(colour), strokeColor=None))
        _text(drawing, x + 12, y, words)
        x += 12 + stringWidth(words, FAMILY, 6.5) + 12


def series_chart(
    points: Sequence[PublishedSeriesPoint],
    period: Period,
    term_starts: Sequence[date],
    width: float,
    height: float,
    weekly: bool,
) -> Any:
    """Incidents per week (with the same week last year as a short dark tick) or per
    month (with last year's bar beside it), term starts marked by dashed lines."""
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors

    register_fonts()
    drawing = Drawing(width, height)
    left, right, bottom, legend_h, top_pad = 24.0, 6.0, 14.0, 12.0, 12.0
    plot_w = width - left - right
    plot_h = height - bottom - legend_h - top_pad
    base = bottom + legend_h
    counts = [shown_count(p.count) for p in points]
    lasts = [shown_count(p.last_year) for p in points]
    top = scale_top(max([c or 0 for c in counts + lasts] + [0]))
    step = plot_w / max(len(points), 1)
    stub = min(plot_h * 0.12, 11.0)

    for tick in _ticks(top):
        y = base + plot_h * tick / top
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor(GRID)))
        _text(drawing, left - 3, y - 2.3, str(tick), textAnchor="end")

    every = max(1, round(len(points) / 13)) if weekly else max(1, round(len(points) / 14))
    for index, point in enumerate(points):
        x = left + index * step
        if weekly:
            bar_x, bar_w = x + step * 0.15, step * 0.7
        else:
            bar_x, bar_w = x + step * 0.12, step * 0.42
        count = counts[index]
        if point.count.hidden:
            _hatched(drawing, bar_x, base, bar_w, stub)
            _text(drawing, bar_x + bar_w / 2, base + stub + 1.5, hidden_mark(point.count),
                  size=5.5, textAnchor="middle", colour=INK)  # fmt: skip
        elif count:
            h = plot_h * count / top
            drawing.add(Rect(bar_x, base, bar_w, h, strokeColor=None,
                             fillColor=colors.HexColor(BAR)))  # fmt: skip
            if not weekly or len(points) <= 20:
                _text(drawing, bar_x + bar_w / 2, base + h + 1.5, str(count), size=6,
                      textAnchor="middle", font=BOLD, colour=INK)  # fmt: skip
        last = lasts[index]
        if weekly:
            if point.last_year.hidden:  # a small hatched box at the foot, never to scale
                _hatched(drawing, x + step * 0.3, base + 0.5, step * 0.4, 3)
            elif last is not None:
                y = base + plot_h * last / top
                drawing.add(Line(x + step * 0.05, y, x + step * 0.95, y,
                                 strokeColor=colors.HexColor(INK), strokeWidth=1.3))  # fmt: skip
        else:
            lx, lw = x + step * 0.54, step * 0.34
            if point.last_year.hidden:
                _hatched(drawing, lx, base, lw, stub)
            elif last:
                h = plot_h * last / top
                drawing.add(Rect(lx, base, lw, h, strokeColor=None,
                                 fillColor=colors.HexColor(LAST_YEAR)))  # fmt: skip
        if index % every == 0:
            _text(drawing, x + step / 2, base - 9, point.label, size=6, textAnchor="middle")

    drawing.add(Line(left, base, left + plot_w, base, strokeColor=colors.HexColor(MUTED)))
    for at, day in boundary_positions(points, term_starts, period, 7 if weekly else 0):
        x = left + at * step
        drawing.add(Line(x, base, x, base + plot_h + 4, strokeColor=colors.HexColor(BOUNDARY),
                         strokeWidth=1, strokeDashArray=[2, 1.5]))  # fmt: skip
        _text(drawing, x + 2, base + plot_h + 5, f"term {day:%d/%m}", size=5.5,
              colour=BOUNDARY)  # fmt: skip

    legend: list[tuple[str, str]] = [("bar", "this period")]
    legend.append(("tick", "same week last year") if weekly else ("last", "same month last year"))
    if term_starts:
        legend.append(("boundary", "a term starts"))
    if any(p.count.hidden or p.last_year.hidden for p in points):
        legend.append(("hidden", HIDDEN_LEGEND))
    _legend(drawing, 2, legend, 0)
    return drawing


def _clip(text: str, room: float, size: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, FAMILY, size) <= room:
        return text
    while text and stringWidth(text + "…", FAMILY, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def largest_rows(rows: Sequence[PublishedPatternRow]) -> list[PublishedPatternRow]:
    """The ``MAX_CATEGORY_BARS`` rows with the largest shown counts (a hidden count
    counts as none), kept in the table's order."""
    if len(rows) <= MAX_CATEGORY_BARS:
        return list(rows)
    ranked = sorted(range(len(rows)), key=lambda i: (-(shown_count(rows[i].count) or 0), i))
    return [rows[i] for i in sorted(ranked[:MAX_CATEGORY_BARS])]


def category_chart(rows: Sequence[PublishedPatternRow], width: float) -> Any:
    """A horizontal bar for each row (this period, last year's thinner bar beneath),
    the largest ``MAX_CATEGORY_BARS`` rows in the table's order."""
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors

    register_fonts()
    shown = largest_rows(rows)
    row_h, legend_h, axis_h = 17.0, 14.0, 10.0
    height = legend_h + axis_h + row_h * max(len(shown), 1) + 4
    drawing = Drawing(width, height)
    label_w = min(150.0, width * 0.34)
    left = label_w + 6
    plot_w = width - left - 30
    counts = [shown_count(r.count) for r in shown]
    lasts = [shown_count(r.last_year) for r in shown]
    top = scale_top(max([c or 0 for c in counts + lasts] + [0]))
    base = legend_h + axis_h
    stub = min(plot_w * 0.04, 14.0)

    for tick in _ticks(top):
        x = left + plot_w * tick / top
        drawing.add(Line(x, base, x, height - 2, strokeColor=colors.HexColor(GRID)))
        _text(drawing, x, base - 8, str(tick), textAnchor="middle")
    for index, row in enumerate(shown):
        y = height - 4 - row_h * (index + 1)
        _text(drawing, label_w, y + 6, _clip(row.label, label_w, 7), size=7, textAnchor="end",
              colour=INK)  # fmt: skip
        count, last = counts[index], lasts[index]
        if row.count.hidden:
            _hatched(drawing, left, y + 6, stub, 8)
            _text(drawing, left + stub + 3, y + 7.5, hidden_mark(row.count), size=6, colour=INK)
        elif count:
            w = plot_w * count / top
            drawing.add(Rect(left, y + 6, w, 8, fillColor=colors.HexColor(BAR), strokeColor=None))
            _text(drawing, left + w + 3, y + 7.5, str(count), size=6, font=BOLD, colour=INK)
        if row.last_year.hidden:
            _hatched(drawing, left, y + 2, stub, 3.5)
        elif last:
            w = plot_w * last / top
            drawing.add(Rect(left, y + 2, w, 3.5, fillColor=colors.HexColor(LAST_YEAR),
                             strokeColor=None))  # fmt: skip
    drawing.add(Line(left, base, left, height - 2, strokeColor=colors.HexColor(MUTED)))
    legend: list[tuple[str, str]] = [("bar", "this period"), ("last", "same period last year")]
    if any(r.count.hidden or r.last_year.hidden for r in shown):
        legend.append(("hidden", HIDDEN_LEGEND))
    _legend(drawing, 2, legend, 0)
    return drawing
