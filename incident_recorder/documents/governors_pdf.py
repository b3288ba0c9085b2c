"""The governors' report on restrictive interventions, on A4.

In: a ``GovernorsReportDocument`` (the published figures, small numbers already
suppressed, no pupil names; the head's three texts; who made it, when; the inputs'
fingerprint; the report's number). Out: PDF bytes (nothing is written to disk here).

Pages: the cover; the summary in plain words; how to read the report; the compliance
table; the charts, each followed by its table; the disproportionality tables; the
head's texts, which flow across pages however long. Every page carries the school, the
report's number, the inputs' fingerprint and "Page n of N".

The same document always gives the same bytes (reportlab's invariant mode, the PDF's
creation date set to ``made_at``), so a kept report can be shown to be the one the
governors saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from incident_recorder.documents.oversight_layout import (
    NO_PUPIL_NAMED,
    build_pdf,
    chart_sections,
    clip,
    compliance_table,
    disproportionality_sections,
    document_styles,
    footer,
    how_to_read,
    made_words,
    period_dates,
    period_heading,
    summary_sentences,
    summary_table,
)

if TYPE_CHECKING:
    from incident_recorder.documents.styles import Styles
    from incident_recorder.domain.oversight.governors import GovernorsReportDocument

TITLE = "Restrictive interventions: report to governors"
SUMMARY = "Summary"
COMPLIANCE = "Recording and telling parents"
PATTERNS = "Patterns"
DISPROPORTIONALITY = "Who it happens to"
IMPACT = "Impact on children and families"
ACTIONS_TAKEN = "Actions taken"
ACTIONS_PLANNED = "Actions planned"
NOTHING_WRITTEN = "Nothing was written here."
DRAFT = "Draft: not kept (a preview)"
FINGERPRINT = "Inputs fingerprint"
COMPLIANCE_NOTE = (
    "How often each duty was met, and how often the practices governors should watch "
    "were used. Each percentage is of the incidents in the \u201cof\u201d column."
)
DISPROPORTIONALITY_NOTE = (
    "For each characteristic of pupils: how many of each group were on roll, how many had "
    "at least one incident, and how likely they were to have had one compared with all "
    "other pupils. A row is flagged, and shaded, only where the whole 95% interval sits "
    "above 1."
)


def report_number_words(number: int) -> str:
    return f"Report number {number}" if number > 0 else DRAFT


def render_governors_report(doc: GovernorsReportDocument) -> bytes:
    """The report as PDF bytes."""
    return render_governors_report_pages(doc)[0]


def render_governors_report_pages(doc: GovernorsReportDocument) -> tuple[bytes, int]:
    """The report as PDF bytes and its number of pages."""
    style, _cells = document_styles()
    report = doc.published
    number = f"report {doc.report_number}" if doc.report_number > 0 else "draft"
    first_line = f"{clip(report.school, 50)} · Report to governors · {number}"
    decorate = footer(style, first_line, doc.fingerprint, header=clip(period_heading(report), 90))
    return build_pdf(_story(doc, style), TITLE, report.school, doc.made_at, decorate)


def texts_section(title: str, value: str, style: Styles) -> list[Any]:
    """A heading and the head's words, one paragraph per line, free to flow on."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph

    out: list[Any] = [CondPageBreak(25 * mm), Paragraph(escape(title), style.heading)]
    paragraphs = [p.strip() for p in value.strip().splitlines() if p.strip()]
    if not paragraphs:
        return [*out, Paragraph(NOTHING_WRITTEN, style.small)]
    return out + [Paragraph(escape(p), style.body) for p in paragraphs]


def _cover(doc: GovernorsReportDocument, style: Styles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    report = doc.published
    facts = [
        ("School", report.school),
        ("Period", report.period.label or period_dates(report)),
        ("Dates", period_dates(report)),
        ("Made", made_words(doc.made_at, doc.made_by)),
        ("Report", report_number_words(doc.report_number)),
        (FINGERPRINT, doc.fingerprint or "none"),
    ]
    return [
        Spacer(1, 30 * mm),
        Paragraph(escape(report.school), style.school),
        Paragraph(TITLE, style.title),
        Paragraph(escape(period_heading(report)), style.heading),
        Spacer(1, 8 * mm),
        _facts(facts, style, width),
        Spacer(1, 8 * mm),
        Paragraph(
            f"{NO_PUPIL_NAMED} Counts from 1 to 4 are shown as \u201cfewer than 5\u201d, and "
            "a figure from which such a count could be worked out is not shown.",
            style.body,
        ),
        Paragraph(
            "The inputs fingerprint identifies exactly the records this report was made "
            "from: the same fingerprint means the same figures. The school keeps each "
            "report made, so it can be printed again and shown to be this one.",
            style.small,
        ),
        PageBreak(),
    ]


def _facts(rows: list[tuple[str, str]], style: Styles, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table(
        [
            [
                Paragraph(escape(k), style.label),
                # The fingerprint on one line: 64 hex digits fit at the small size.
                Paragraph(escape(v), style.small if k == FINGERPRINT else style.body),
            ]
            for k, v in rows
        ],
        colWidths=[width * 0.26, width * 0.74],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _story(doc: GovernorsReportDocument, style: Styles) -> list[Any]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

    from incident_recorder.documents.oversight_layout import MARGIN, cell_styles

    width = A4[0] - 2 * MARGIN * mm
    report = doc.published
    cells = cell_styles(style)
    story = _cover(doc, style, width)
    story.append(Paragraph(SUMMARY, style.heading))
    story += [Paragraph(escape(s), style.body) for s in summary_sentences(report)]
    story += [Spacer(1, 2 * mm), summary_table(report, cells, width), Spacer(1, 2 * mm)]
    story += how_to_read(style, report.rules)
    story.append(
        KeepTogether(
            [
                Paragraph(COMPLIANCE, style.heading),
                Paragraph(COMPLIANCE_NOTE, style.small),
                compliance_table(report.compliance, cells, width),
            ]
        )
    )
    story += [PageBreak(), Paragraph(PATTERNS, style.heading)]
    story += chart_sections(report, style, width)
    story += [PageBreak(), Paragraph(DISPROPORTIONALITY, style.heading)]
    story += [Paragraph(DISPROPORTIONALITY_NOTE, style.small), Spacer(1, 2 * mm)]
    story += disproportionality_sections(report, style, width)
    story.append(PageBreak())
    story += texts_section(IMPACT, doc.texts.impact, style)
    story += texts_section(ACTIONS_TAKEN, doc.texts.actions_taken, style)
    story += texts_section(ACTIONS_PLANNED, doc.texts.actions_planned, style)
    return story
