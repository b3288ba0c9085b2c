"""The trust's (or local authority's) roll-up of several schools' anonymised exports, on
A4.

In: a ``PublishedReport`` for the whole trust, with ``schools`` holding one published
report per school (small numbers already suppressed in each), and when it was made.
Out: PDF bytes.

The same figures as the governors' report, overall and school by school side by side
where they fit: the headline figures and the compliance figures per school (up to
three schools beside the trust's own column, then the next three), incidents per month
per school, then the trust's charts and its disproportionality tables. No pupil is
named: the exports hold none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from incident_recorder.documents.oversight_layout import (
    MARGIN,
    NO_PUPIL_NAMED,
    CellStyles,
    build_pdf,
    cell_styles,
    chart_sections,
    clip,
    compliance_table,
    disproportionality_sections,
    document_styles,
    footer,
    grid,
    how_to_read,
    made_words,
    period_dates,
    period_heading,
    summary_sentences,
)
from incident_recorder.domain.oversight.published import PublishedReport, Shown

if TYPE_CHECKING:
    from incident_recorder.documents.styles import Styles

TITLE = "Restrictive interventions: report across schools"
ALL_SCHOOLS = "All schools"
SCHOOLS_PER_TABLE = 3
BY_SCHOOL = "School by school"
COMPLIANCE = "Recording and telling parents, school by school"
MONTHLY = "Incidents per month, school by school"
PATTERNS = "Patterns across all schools"
DISPROPORTIONALITY = "Who it happens to, across all schools"


def render_trust_report(published: PublishedReport, made_at: datetime) -> bytes:
    """The trust's report as PDF bytes."""
    return render_trust_report_pages(published, made_at)[0]


def render_trust_report_pages(published: PublishedReport, made_at: datetime) -> tuple[bytes, int]:
    """The trust's report as PDF bytes and its number of pages."""
    style, _cells = document_styles()
    first_line = f"{clip(published.school, 50)} · Report across schools · {made_at:%d/%m/%Y}"
    decorate = footer(style, first_line, "", header=clip(period_heading(published), 90))
    return build_pdf(_story(published, made_at, style), TITLE, published.school, made_at, decorate)


def _chunks(schools: Sequence[PublishedReport]) -> list[Sequence[PublishedReport]]:
    if not schools:
        return [()]
    return [schools[i : i + SCHOOLS_PER_TABLE] for i in range(0, len(schools), SCHOOLS_PER_TABLE)]


def headline_table(published: PublishedReport, cells: CellStyles, width: float) -> Any:
    """One row per school and the trust's total: the headline figures."""
    header = (
        "School",
        "Incidents",
        "Same period last year",
        "Pupils with an incident",
        "Pupils with more than one",
        "Pupils on roll",
    )
    rows: list[tuple[str, ...]] = []
    for report in (*published.schools, published):
        name = ALL_SCHOOLS if report is published else report.school
        rows.append(
            (
                name,
                report.incidents.text,
                report.last_year_incidents.text,
                report.pupils_with_incident.text,
                report.repeated_pupils.text,
                report.pupils_on_roll.text,
            )
        )
    shares = (0.3, 0.13, 0.15, 0.15, 0.14, 0.13)
    last = len(rows)
    extra = [("FONTNAME", (0, last), (-1, last), cells.head.fontName)]
    return grid(header, rows, [width * s for s in shares], cells, numeric=(1, 2, 3, 4, 5),
                extra=[*extra, ("LINEABOVE", (0, last), (-1, last), 1, "#555555")])  # fmt: skip


def _figure_cell(count: Shown, of: Shown, percent: Shown, cells: CellStyles) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(
        f"<b>{escape(percent.text)}</b><br/>"
        f"<font size=7.5>{escape(count.text)} of {escape(of.text)}</font>",
        cells.number,
    )


def compliance_by_school(published: PublishedReport, cells: CellStyles, width: float) -> list[Any]:
    """The compliance figures with the trust's column first and up to three schools
    beside it; more schools continue in further tables."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    out: list[Any] = []
    for chunk in _chunks(published.schools):
        reports = (published, *chunk)
        header = ["Figure", ALL_SCHOOLS, *(r.school for r in chunk)]
        label_w = width * 0.34
        each = (width - label_w) / len(reports)
        rows: list[list[Any]] = []
        for index, item in enumerate(published.compliance):
            row: list[Any] = [item.label]
            for report in reports:
                found = next((c for c in report.compliance if c.key == item.key), None)
                if found is None and index < len(report.compliance):
                    found = report.compliance[index]
                row.append(
                    _figure_cell(found.count, found.of, found.percent, cells) if found else "–"
                )
            rows.append(row)
        numeric = tuple(range(1, len(reports) + 1))
        out += [
            grid(header, rows, [label_w, *([each] * len(reports))], cells, numeric=numeric),
            Spacer(1, 4 * mm),
        ]
    return out


def monthly_by_school(published: PublishedReport, cells: CellStyles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    out: list[Any] = []
    for chunk in _chunks(published.schools):
        reports = (published, *chunk)
        header = ["Month", ALL_SCHOOLS, *(r.school for r in chunk)]
        label_w = width * 0.2
        each = (width - label_w) / len(reports)
        rows: list[list[str]] = []
        for index, point in enumerate(published.monthly):
            row = [point.label]
            for report in reports:
                same = next((p for p in report.monthly if p.label == point.label), None)
                if same is None and index < len(report.monthly):
                    same = report.monthly[index]
                row.append(same.count.text if same else "–")
            rows.append(row)
        numeric = tuple(range(1, len(reports) + 1))
        out += [
            grid(header, rows, [label_w, *([each] * len(reports))], cells, numeric=numeric),
            Spacer(1, 4 * mm),
        ]
    return out


def _story(published: PublishedReport, made_at: datetime, style: Styles) -> list[Any]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer

    width = A4[0] - 2 * MARGIN * mm
    cells = cell_styles(style)
    names = ", ".join(r.school for r in published.schools) or "none"
    story: list[Any] = [
        Spacer(1, 30 * mm),
        Paragraph(escape(published.school), style.school),
        Paragraph(TITLE, style.title),
        Paragraph(escape(period_heading(published)), style.heading),
        Spacer(1, 6 * mm),
        Paragraph(f"<b>Dates:</b> {escape(period_dates(published))}", style.body),
        Paragraph(f"<b>Made:</b> {escape(made_words(made_at))}", style.body),
        Paragraph(
            f"<b>Schools ({len(published.schools)}):</b> {escape(names)}",
            style.body,
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            f"{NO_PUPIL_NAMED} It is made from each school's anonymised export: no names, "
            "no UPNs and no free text left any school. Counts from 1 to 4 are shown as "
            "\u201cfewer than 5\u201d, in each school's figures and the total alike.",
            style.body,
        ),
        PageBreak(),
        Paragraph("Summary", style.heading),
    ]
    story += [Paragraph(escape(s), style.body) for s in summary_sentences(published)]
    story += [
        Paragraph(BY_SCHOOL, style.label),
        headline_table(published, cells, width),
        Spacer(1, 2 * mm),
    ]
    story += how_to_read(style, published.rules)
    story += [CondPageBreak(90 * mm), Paragraph(COMPLIANCE, style.heading)]
    if published.schools:
        story += compliance_by_school(published, cells, width)
    else:
        story.append(compliance_table(published.compliance, cells, width))
    if published.schools and published.monthly:
        block = [Paragraph(MONTHLY, style.heading), *monthly_by_school(published, cells, width)]
        story.append(KeepTogether(block))
    story += [PageBreak(), Paragraph(PATTERNS, style.heading)]
    story += chart_sections(published, style, width)
    story += [PageBreak(), Paragraph(DISPROPORTIONALITY, style.heading)]
    story += disproportionality_sections(published, style, width)
    return story
