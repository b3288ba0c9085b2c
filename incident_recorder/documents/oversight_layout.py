"""The parts the governors' report and the trust's report share: the summary in plain
words, the compliance table, each chart followed by its table, the disproportionality
tables, "How to read this report", and a deterministic A4 document with the inputs'
fingerprint and "Page n of N" on every page.

Everything printed comes from a ``PublishedReport``: the small numbers are already
suppressed there, and nothing here looks at a true count or a pupil's name.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from incident_recorder.documents.oversight_chart import category_chart, series_chart
from incident_recorder.documents.page_numbers import numbered_canvas
from incident_recorder.documents.styles import Styles, styles
from incident_recorder.domain.oversight.facts import SuppressionRules
from incident_recorder.domain.oversight.published import (
    PublishedCharacteristic,
    PublishedCompliance,
    PublishedGroup,
    PublishedPattern,
    PublishedReport,
    PublishedSeriesPoint,
    Shown,
)

HOW_TO_READ = "How to read this report"
NO_PUPIL_NAMED = "This report names no pupil."
MULTI_NOTE = (
    "One incident may count under more than one heading here, so these figures need not "
    "add up to the number of incidents."
)
HOW_TO_READ_PARAGRAPHS = (
    (
        "Rates per 100 pupils",
        "A rate is the number of pupils in a group who had at least one incident for every "
        "100 pupils of that group on roll (or, in the next column, the number of incidents "
        "for every 100 pupils). Pupils who joined or left during the period count for the "
        "part of the period they were on roll: a pupil on roll for half of it counts as half "
        "a pupil.",
    ),
    (
        "Risk ratio",
        "A group's rate divided by the rate of all other pupils on roll. 1 means the same "
        "likelihood as other pupils; 2 means twice as likely to have had an incident; 0.5 "
        "half as likely.",
    ),
    (
        "The 95% interval",
        "With small numbers a ratio is uncertain. The 95% confidence interval (worked out "
        "by the log method) is the range of ratios that the figures are consistent with. A "
        "group is flagged only where the whole interval sits above 1, because then the "
        "difference is unlikely to be chance alone. An interval that includes 1 is not "
        "evidence of a difference either way. A group too small to compare (fewer than "
        "{min_on_roll} pupils on roll or fewer than {min_with_incident} with an incident) "
        "has no ratio, and the table says why.",
    ),
    (
        "\u201cFewer than {hide_below}\u201d",
        "So that no child can be recognised, every count from 1 to {last_hidden} is "
        "printed as \u201cfewer than {hide_below}\u201d. Where such a count could be "
        "worked out from a total or a "
        "neighbouring figure, that figure is hidden too (\u201cnot shown\u201d). Charts draw "
        "a hidden figure as a short hatched grey bar that is not to scale.",
    ),
    (
        "Percentages",
        "Each compliance percentage is of the incidents the question applies to (the "
        "\u201cof\u201d column): for example, a duty that began part way through the period "
        "counts only the incidents after it began.",
    ),
)
FLAGGED = "Yes: more likely"
NOT_FLAGGED = "No"
NO_RATIO = "–"


def text(value: str) -> str:
    """Plain text made safe for a Paragraph, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.strip().splitlines())


def period_dates(report: PublishedReport) -> str:
    return f"{report.period.start:%d/%m/%Y} to {report.period.end:%d/%m/%Y}"


def period_heading(report: PublishedReport) -> str:
    """The period's name with its dates ("Autumn term 2026: 01/09/2026 to 18/12/2026")."""
    dates = period_dates(report)
    label = report.period.label.strip()
    if not label or dates in label:
        return label or dates
    return f"{label}: {dates}"


def _withheld(shown: Shown) -> bool:
    """Hidden by secondary suppression: not even "fewer than 5" may be said."""
    return shown.hidden and not shown.text.lower().startswith("fewer than")


def _count(shown: Shown, one: str, many: str) -> str:
    """ "12 incidents", "fewer than 5 incidents", "no incidents"."""
    if shown.text == "0":
        return f"no {many}"
    if shown.text == "1":
        return f"1 {one}"
    return f"{shown.text} {many}"


WITHHELD = "(so that a small number elsewhere cannot be worked out)"


def summary_sentences(report: PublishedReport) -> list[str]:
    """The headline figures in plain words; a figure that is not shown is said to be so."""
    dates = f"From {report.period.start:%d/%m/%Y} to {report.period.end:%d/%m/%Y}"
    roll = _count(report.pupils_on_roll, "pupil", "pupils")
    out = []
    if _withheld(report.incidents):
        out.append(f"{dates}, the number of incidents of restrictive intervention is not "
                   f"shown {WITHHELD}.")  # fmt: skip
    else:
        incidents = _count(report.incidents, "incident", "incidents")
        out.append(f"{dates} there were {incidents} of restrictive intervention.")
    if _withheld(report.pupils_with_incident):
        pupils = f"The number of pupils who had at least one incident is not shown {WITHHELD}"
    else:
        had = _count(report.pupils_with_incident, "pupil", "pupils")
        pupils = f"{had[0].upper()}{had[1:]} had at least one incident"
    out.append(f"{pupils}, of {roll} on roll at some time in the period.")
    if _withheld(report.repeated_pupils):
        out.append("The number of pupils who had more than one incident is not shown.")
    else:
        repeated = _count(report.repeated_pupils, "pupil", "pupils")
        out.append(f"{repeated[0].upper()}{repeated[1:]} had more than one incident.")
    if _withheld(report.last_year_incidents):
        out.append("The number in the same period last year is not shown.")
    else:
        last = _count(report.last_year_incidents, "incident", "incidents")
        out.append(f"In the same period last year there were {last}.")
    return out


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class CellStyles:
    head: Any
    small_head: Any
    cell: Any
    number: Any
    note: Any


def cell_styles(style: Styles) -> CellStyles:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    cell = ParagraphStyle("cell", parent=style.body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return CellStyles(
        head=ParagraphStyle("cell-head", parent=cell, fontName=style.label.fontName),
        small_head=ParagraphStyle(
            "cell-small-head", parent=cell, fontName=style.label.fontName, fontSize=7.5, leading=9
        ),
        cell=cell,
        number=ParagraphStyle("cell-number", parent=cell, alignment=TA_RIGHT),
        note=ParagraphStyle(
            "cell-note", parent=cell, fontSize=7.5, leading=9, textColor=style.small.textColor
        ),
    )


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    cells: CellStyles,
    numeric: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    head: Any = None,
) -> Any:
    """A table with a shaded header row repeated on each page. Strings become
    Paragraphs (right-aligned in the ``numeric`` columns); a cell already a flowable is
    used as it is. ``extra`` are more TableStyle commands."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    def para(value: Any, column: int) -> Any:
        if not isinstance(value, str) or not value:
            return value  # a flowable as it is; nothing as nothing (no zero-width paragraph)
        return Paragraph(text(value), cells.number if column in numeric else cells.cell)

    head = head or cells.head
    data: list[list[Any]] = [
        [
            Paragraph(escape(h), head if i not in numeric else _right(head)) if h else ""
            for i, h in enumerate(header)
        ]
    ]
    data += [[para(v, i) for i, v in enumerate(row)] for row in rows]
    table = Table(data, colWidths=list(widths), hAlign="LEFT", repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


def _right(base: Any) -> Any:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(base.name + "-right", parent=base, alignment=TA_RIGHT)


def summary_table(report: PublishedReport, cells: CellStyles, width: float) -> Any:
    rows = [
        ("Incidents", report.incidents.text, report.last_year_incidents.text),
        ("Pupils with at least one incident", report.pupils_with_incident.text, ""),
        ("Pupils with more than one incident", report.repeated_pupils.text, ""),
        ("Pupils on roll at some time in the period", report.pupils_on_roll.text, ""),
    ]
    return grid(("Figure", "This period", "Same period last year"), rows,
                (width * 0.5, width * 0.25, width * 0.25), cells, numeric=(1, 2))  # fmt: skip


def compliance_table(items: Sequence[PublishedCompliance], cells: CellStyles, width: float) -> Any:
    from reportlab.platypus import Paragraph

    rows = []
    for item in items:
        label: Any = text(item.label)
        if item.note:
            label = [
                Paragraph(text(item.label), cells.cell),
                Paragraph(text(item.note), cells.note),
            ]
        rows.append((label, item.count.text, item.of.text, item.percent.text))
    widths = (width * 0.55, width * 0.15, width * 0.15, width * 0.15)
    return grid(("Figure", "Count", "Of", "%"), rows, widths, cells, numeric=(1, 2, 3))


def series_table(
    points: Sequence[PublishedSeriesPoint], cells: CellStyles, width: float, first: str, last: str
) -> Any:
    """The chart's figures, in up to three blocks side by side so that a year of weeks
    takes a third of a page."""
    blocks = 3 if len(points) > 16 else (2 if len(points) > 6 else 1)
    per = -(-len(points) // blocks) if points else 0
    header: list[str] = []
    widths: list[float] = []
    gap = 6.0
    block_w = (width - gap * (blocks - 1)) / blocks
    numeric: list[int] = []
    for b in range(blocks):
        if b:
            header.append("")
            widths.append(gap)
        base = len(header)
        header += [first, "Incidents", last]
        widths += [block_w * 0.27, block_w * 0.365, block_w * 0.365]
        numeric += [base + 1, base + 2]
    rows: list[list[str]] = []
    for r in range(per):
        row: list[str] = []
        for b in range(blocks):
            if b:
                row.append("")
            index = b * per + r
            if index < len(points):
                p = points[index]
                row += [p.label, p.count.text, p.last_year.text]
            else:
                row += ["", "", ""]
        rows.append(row)
    extra: list[tuple[Any, ...]] = []
    for b in range(1, blocks):
        column = b * 4 - 1
        extra += [
            ("GRID", (column, 0), (column, -1), 0, "white"),
            ("LINEBEFORE", (column, 0), (column, -1), 0.4, "#BBBBBB"),
            ("LINEAFTER", (column, 0), (column, -1), 0.4, "#BBBBBB"),
            ("BACKGROUND", (column, 0), (column, 0), "white"),
            ("LEFTPADDING", (column, 0), (column, -1), 0),
            ("RIGHTPADDING", (column, 0), (column, -1), 0),
        ]
    extra.append(("LEFTPADDING", (0, 0), (-1, -1), 2))
    extra.append(("RIGHTPADDING", (0, 0), (-1, -1), 2))
    return grid(header, rows, widths, cells, numeric=numeric, extra=extra)


def pattern_table(pattern: PublishedPattern, cells: CellStyles, width: float) -> Any:
    rows = [(r.label, r.count.text, r.last_year.text) for r in pattern.rows]
    widths = (width * 0.56, width * 0.2, width * 0.24)
    return grid((pattern.title, "This period", "Same period last year"), rows, widths, cells,
                numeric=(1, 2))  # fmt: skip


def _flag_words(group: PublishedGroup) -> str:
    """ "Yes: more likely" where the whole interval sits above 1, "No" for any other
    ratio, "–" where there is no ratio to judge."""
    if group.flagged:
        return FLAGGED
    return NOT_FLAGGED if group.ratio.text[:1].isdigit() and not group.ratio.hidden else NO_RATIO


def characteristic_table(
    characteristic: PublishedCharacteristic, cells: CellStyles, width: float
) -> Any:
    """One characteristic: a row per group, its reading in words on the row beneath."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph

    header = (
        "Group",
        "On roll",
        "Pupils with an incident",
        "Incidents",
        "Pupils with an incident per 100 on roll",
        "Incidents per 100 on roll",
        "Risk ratio against other pupils (95% CI)",
        "Flagged",
    )
    shares = (0.18, 0.075, 0.1, 0.095, 0.11, 0.1, 0.24, 0.1)
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for group in characteristic.groups:
        rows.append(
            [
                group.group_label,
                group.on_roll.text,
                group.with_incident.text,
                group.incidents.text,
                group.rate_per_100.text,
                group.incidents_per_100.text,
                group.ratio.text,
                _flag_words(group),
            ]
        )
        at = len(rows)  # the data row's index in the table (the header is row 0)
        if group.flagged:
            extra.append(("BACKGROUND", (0, at), (-1, at), colors.HexColor("#FCEBD9")))
        if group.reading:
            rows.append([Paragraph(text(group.reading), cells.note)] + [""] * 7)
            extra += [
                ("SPAN", (0, at + 1), (-1, at + 1)),
                ("TOPPADDING", (0, at + 1), (-1, at + 1), 0),
            ]
    widths = [width * s for s in shares]
    return grid(header, rows, widths, cells, numeric=(1, 2, 3, 4, 5), extra=extra,
                head=cells.small_head)  # fmt: skip


# --------------------------------------------------------------------------- sections


def how_to_read(style: Styles, rules: SuppressionRules) -> list[Any]:
    """The notes on reading the figures, with the school's own rules (the smallest
    group given a ratio, the threshold below which a count is hidden)."""
    from reportlab.platypus import Paragraph

    numbers = {
        "min_on_roll": rules.min_on_roll,
        "min_with_incident": rules.min_with_incident,
        "hide_below": rules.hide_below,
        "last_hidden": rules.hide_below - 1,
    }
    out: list[Any] = [Paragraph(HOW_TO_READ, style.heading)]
    for title, words in HOW_TO_READ_PARAGRAPHS:
        shown_title, shown = title.format(**numbers), words.format(**numbers)
        out.append(Paragraph(f"<b>{escape(shown_title)}.</b> {escape(shown)}", style.body))
    return out


def chart_sections(report: PublishedReport, style: Styles, width: float) -> list[Any]:
    """Incidents per week and per month, then each breakdown: every chart followed by
    its table."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

    cells = cell_styles(style)
    out: list[Any] = []

    def block(title: str, drawing: Any, table: Any, note: str = "") -> None:
        head: list[Any] = [Paragraph(escape(title), style.label)]
        if note:
            head.append(Paragraph(escape(note), style.small))
        out.append(CondPageBreak(70 * mm))
        # A short table stays with its chart; a long one starts beside it and flows on.
        if len(getattr(table, "_cellvalues", ())) <= 18:
            out.append(KeepTogether([*head, drawing, Spacer(1, 2 * mm), table]))
        else:
            out.extend([KeepTogether([*head, drawing]), Spacer(1, 2 * mm), table])
        out.append(Spacer(1, 5 * mm))

    if report.weekly:
        drawing = series_chart(report.weekly, report.period, report.term_starts, width, 150,
                               weekly=True)  # fmt: skip
        table = series_table(report.weekly, cells, width, "Week of", "Last year")
        block("Incidents per week", drawing, table)
    if report.monthly:
        drawing = series_chart(report.monthly, report.period, report.term_starts, width, 140,
                               weekly=False)  # fmt: skip
        table = series_table(report.monthly, cells, width, "Month", "Last year")
        block("Incidents per month", drawing, table)
    for pattern in report.patterns:
        if not pattern.rows:
            out += [Paragraph(escape(pattern.title), style.label),
                    Paragraph("None in this period.", style.small)]  # fmt: skip
            continue
        note = MULTI_NOTE if pattern.multi else ""
        if len(pattern.rows) > 14:
            note = (
                note + " " if note else ""
            ) + "The chart shows the 14 largest; the table lists all."
        chart = category_chart(pattern.rows, width)
        block(pattern.title, chart, pattern_table(pattern, cells, width), note)
    return out


def disproportionality_sections(report: PublishedReport, style: Styles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    cells = cell_styles(style)
    out: list[Any] = []
    if not report.disproportionality:
        return [Paragraph("No characteristics of pupils were available.", style.body)]
    for characteristic in report.disproportionality:
        out += [
            CondPageBreak(45 * mm),
            Paragraph(escape(characteristic.label), style.label),
            characteristic_table(characteristic, cells, width),
            Spacer(1, 4 * mm),
        ]
    return out


# --------------------------------------------------------------------------- the document


class _Stamp:
    """A fixed creation date for the PDF's information (what reportlab's ``TimeStamp``
    gives it), so that the same report makes the same bytes."""

    def __init__(self, moment: datetime) -> None:
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        self.t = 0.0
        self.YMDhms = (moment.year, moment.month, moment.day, moment.hour, moment.minute,
                       moment.second)  # fmt: skip
        self.dhh = int(minutes / 60)
        self.dmm = abs(minutes) % 60
        self.tzname = "UTC"


Decorate = Callable[[Any, int, int], None]


def build_pdf(
    story: list[Any], title: str, author: str, made_at: datetime, decorate: Decorate
) -> tuple[bytes, int]:
    """The story as A4 PDF bytes and its page count: the same story and moment give
    the same bytes (reportlab's invariant mode, the creation date set to ``made_at``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN * mm,
        rightMargin=MARGIN * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=title,
        creator="Incident Recorder",
        invariant=1,
    )
    base = numbered_canvas(decorate)

    class FixedCanvas(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _Stamp(made_at)

    pdf.build(story, canvasmaker=FixedCanvas)
    return out.getvalue(), int(pdf.page)


MARGIN = 18  # mm, left and right


def footer(style: Styles, first_line: str, fingerprint: str, header: str = "") -> Decorate:
    """The furniture of every page: ``header`` at the top right (not on the cover),
    ``first_line`` and the inputs' fingerprint at the foot, "Page n of N" beside them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    left, right = MARGIN * mm, A4[0] - MARGIN * mm

    def decorate(canvas: Any, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFillGray(0.3)
        canvas.setStrokeGray(0.75)
        if header and number > 1:
            canvas.setFont(style.small.fontName, 8)
            canvas.drawRightString(right, A4[1] - 11 * mm, header)
            canvas.line(left, A4[1] - 12.5 * mm, right, A4[1] - 12.5 * mm)
        canvas.line(left, 15 * mm, right, 15 * mm)
        canvas.setFont(style.small.fontName, 8)
        canvas.drawString(left, 11 * mm, first_line)
        canvas.drawRightString(right, 11 * mm, f"Page {number} of {total}")
        if fingerprint:
            canvas.setFont(style.small.fontName, 6.5)
            canvas.drawString(left, 7.5 * mm, f"Inputs fingerprint (SHA-256): {fingerprint}")
        canvas.restoreState()

    return decorate


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def made_words(made_at: datetime, made_by: str = "") -> str:
    moment = f"{made_at:%d/%m/%Y} at {made_at:%H:%M}"
    return f"{moment} by {made_by}" if made_by else moment


def on_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def document_styles() -> tuple[Styles, CellStyles]:
    style = styles()
    return style, cell_styles(style)
