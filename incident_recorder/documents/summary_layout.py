"""The flowables of the one-page pupil summary (summary_pdf.py shapes the words; this
module places them on the page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from incident_recorder.documents.fonts import BOLD
from incident_recorder.documents.styles import Styles
from incident_recorder.documents.summary_chart import draw_chart, last_twelve_months, marks
from incident_recorder.documents.summary_words import (
    FIGURE_LABELS,
    NO_INCIDENTS,
    NO_PLAN,
    NO_REVIEW,
    TITLE,
    breakdowns,
    clip,
    figure_values,
    plan_rows,
    pupil_rows,
)

if TYPE_CHECKING:
    from incident_recorder.domain.plan_reviews import PlanReviewRecord
    from incident_recorder.domain.review import PupilSummary

RULE = "#C8CED6"
INK = "#1F3A5F"
SHADE = "#F2F5F8"


class _Cells:
    """The small paragraph styles used inside the summary's tables."""

    def __init__(self, style: Styles) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        base = style.body
        self.text = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0)
        self.label = ParagraphStyle("cell-label", parent=self.text, fontName=BOLD)
        self.value = ParagraphStyle("cell-value", parent=self.text, alignment=2)
        self.unit = ParagraphStyle(
            "cell-unit",
            parent=self.value,
            fontSize=7,
            leading=8.5,
            textColor=colors.HexColor("#666666"),
        )
        self.more = ParagraphStyle(
            "cell-more", parent=self.text, textColor=colors.HexColor("#666666")
        )
        self.heading = ParagraphStyle(
            "box-heading",
            parent=base,
            fontName=BOLD,
            fontSize=10,
            leading=12.5,
            spaceBefore=0,
            spaceAfter=2,
            textColor=colors.HexColor(INK),
        )
        self.figure = ParagraphStyle(
            "figure", parent=base, fontName=BOLD, fontSize=13, leading=15, alignment=1
        )
        self.figure_label = ParagraphStyle(
            "figure-label", parent=self.text, fontSize=7.5, leading=9, alignment=1
        )


def fit(text: str, style: Any, width: float) -> str:
    """``text`` on one line, cut with an ellipsis to fit ``width`` points in ``style``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    flat = " ".join(text.split())
    if stringWidth(flat, style.fontName, style.fontSize) <= width:
        return flat
    while flat and stringWidth(flat + "…", style.fontName, style.fontSize) > width:
        flat = flat[:-1]
    return flat.rstrip() + "…"


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _facts(rows: Sequence[tuple[str, str]], cells: _Cells, width: float, limit: int) -> Any:
    """Label and value rows, the labels in a column 33 mm wide."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    data = [[_p(k, cells.label), _p(clip(v, limit), cells.text)] for k, v in rows]
    table = Table(data, colWidths=[33 * mm, width - 33 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _side_by_side(left: list[Any], right: list[Any], width: float, gap: float) -> Any:
    from reportlab.platypus import Table, TableStyle

    half = (width - gap) / 2
    table = Table([[left, "", right]], colWidths=[half, gap, half], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _figures(values: Sequence[str], cells: _Cells, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    # The two dates need wider cells than the counts.
    weights = [1.8 if "/" in v else 1.0 for v in values]
    weights[-1] = 1.3  # "Not yet reviewed" on one line
    widths = [width * w / sum(weights) for w in weights]
    data = [
        [_p(v, cells.figure) for v in values],
        [_p(label, cells.figure_label) for label in FIGURE_LABELS],
    ]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(SHADE)),
                ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 4),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
                ("TOPPADDING", (0, -1), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _breakdown(
    heading: str, unit: str, rows: Sequence[tuple[str, str]], cells: _Cells, width: float
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    if not rows:
        return [_p(heading, cells.heading), _p("None recorded.", cells.more)]
    data = [["", _p(unit, cells.unit)]]
    for label, value in rows:
        if not value and label.startswith("and "):
            data.append([_p(label, cells.more), ""])
        else:
            data.append(
                [_p(fit(label, cells.text, width * 0.63 - 3), cells.text), _p(value, cells.value)]
            )
    table = Table(data, colWidths=[width * 0.63, width * 0.37], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [_p(heading, cells.heading), table]


def _grid(boxes: Sequence[list[Any]], width: float, columns: int, gap: float) -> Any:
    from reportlab.platypus import Table, TableStyle

    cell = (width - gap * (columns - 1)) / columns
    rows: list[list[Any]] = []
    widths: list[float] = []
    for c in range(columns):
        widths += [cell] if c == 0 else [gap, cell]
    for start in range(0, len(boxes), columns):
        row: list[Any] = []
        for c, box in enumerate(boxes[start : start + columns]):
            row += [box] if c == 0 else ["", box]
        rows.append(row)
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _last_review(review: PlanReviewRecord, cells: _Cells, width: float) -> Any:
    held = f"{review.held_on:%d/%m/%Y}" if review.held_on else "—"
    following = f"{review.next_review:%d/%m/%Y}" if review.next_review else "not set"
    outcome = review.outcome.label if review.outcome else "not recorded"
    if review.plan_version:
        outcome += f" (plan version {review.plan_version} at the time)"
    who = "; ".join(p for p in review.participants if p.strip()) or "not recorded"
    also = [
        words
        for took_part, words in (
            (review.pupil_took_part, "the pupil"),
            (review.parents_took_part, "parents or carers"),
        )
        if took_part
    ]
    if also:
        who += " — with " + " and ".join(also)
    rows = [
        ("Held on", held),
        ("Outcome", outcome),
        ("Next review", following),
        ("Who took part", who),
        ("Why", review.reason),
    ]
    return _facts(rows, cells, width, 200)


def story(summary: PupilSummary, style: Styles, width: float) -> list[Any]:
    """Every flowable of the page, top to bottom."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, Spacer

    cells = _Cells(style)
    review = summary.review
    gap = 7 * mm
    half = (width - gap) / 2
    out: list[Any] = [
        Paragraph(escape(clip(summary.school.name, 90)), style.school),
        Paragraph(TITLE, style.title),
        Paragraph(escape(clip(summary.pupil.display_name, 60)), cells.heading),
        HRFlowable(width="100%", thickness=0.8, color=colors.HexColor(INK), spaceAfter=5),
    ]
    about = [
        _p("About the pupil", cells.heading),
        _facts(pupil_rows(summary.pupil), cells, half, 60),
    ]
    if summary.plan is None:
        plan: list[Any] = [_p(NO_PLAN, cells.text)]
    else:
        plan = [_facts(plan_rows(summary.plan), cells, half, 100)]
    out += [
        _side_by_side(about, [_p("Behaviour support plan", cells.heading), *plan], width, gap),
        Spacer(1, 5 * mm),
        _figures(figure_values(review), cells, width),
        Spacer(1, 4 * mm),
        _p("Incidents in each of the last 12 months", cells.heading),
    ]
    bars = last_twelve_months(review.months, summary.printed_on)
    meetings = [r.held_on for r in review.reviews if r.held_on is not None]
    if review.incidents:
        out += [
            draw_chart(bars, marks(bars, review.markers, meetings), width, 40 * mm),
            Spacer(1, 3 * mm),
        ]
        box = (width - 2 * gap) / 3
        boxes = [_breakdown(h, u, rows, cells, box) for h, u, rows in breakdowns(review)]
        out.append(_grid(boxes, width, 3, gap))
    else:
        out += [_p(NO_INCIDENTS, cells.text), Spacer(1, 3 * mm)]
    out.append(_p("Last recorded review", cells.heading))
    if review.reviews:
        out.append(_last_review(review.reviews[0], cells, width))
    else:
        out.append(_p(NO_REVIEW, cells.text))
    return out
