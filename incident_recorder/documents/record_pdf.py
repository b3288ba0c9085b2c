"""The printable record on A4: the full record for the school's files, or the copy for
parents and carers.

In: a :class:`RecordDocument` (already cut down for the parents' copy). Out: PDF bytes
(nothing is written to disk here). The record as it stands now prints first, section by
section in the form's order; then the history: who submitted it and when, and for each
amendment who made it, when, why and which fields changed (before and after). Every
page carries the school, the reference, which copy it is and "Page n of N". Long text
flows on to further pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from incident_recorder.documents.page_numbers import numbered_canvas
from incident_recorder.documents.styles import Styles, styles
from incident_recorder.domain.body_map import LEFT_RIGHT_NOTE
from incident_recorder.domain.documents import record_file_name as record_file_name
from incident_recorder.domain.model import IncidentVersion
from incident_recorder.domain.record_document import PARENTS_NOTE, RecordDocument
from incident_recorder.domain.record_sections import (
    BodyMapFigure,
    PrintedSection,
    Row,
    amendments,
    sections,
)

CONFIDENTIAL = "Confidential: contains personal data of a child"
HISTORY = "History of this record"
LINKED = "Other records from the same event"
LONG = 500  # characters: a longer answer prints below its label, free to flow on


def _text(value: str) -> str:
    return "<br/>".join(escape(line) for line in value.strip().splitlines())


def _local(doc: RecordDocument, version: IncidentVersion) -> str:
    from zoneinfo import ZoneInfo

    moment = version.saved_at.astimezone(ZoneInfo(doc.school.timezone))
    return moment.strftime("%d/%m/%Y at %H:%M")


def render_record(doc: RecordDocument) -> bytes:
    """The record as PDF bytes."""
    return render_record_pages(doc)[0]


def render_record_pages(doc: RecordDocument) -> tuple[bytes, int]:
    """The record as PDF bytes and its number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    style = styles()
    out = io.BytesIO()
    title = f"Record {doc.reference}: {doc.heading}"
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=doc.school.name,
        subject=doc.heading,
        creator="Incident Recorder",
    )
    pdf.build(_story(doc, style, pdf.width), canvasmaker=_numbered_canvas(doc, style))
    return out.getvalue(), int(pdf.page)


def _rows_table(rows: list[Row], style: Styles, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table(
        [[Paragraph(escape(k), style.label), Paragraph(_text(v), style.body)] for k, v in rows],
        colWidths=[width * 0.34, width * 0.66],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _grid(
    columns: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    style: Styles,
    width: float,
    shares: Sequence[float] = (),
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(escape(c), style.label) for c in columns]]
    data += [[Paragraph(_text(v), style.body) for v in row] for row in rows]
    widths = [width * s for s in shares] if shares else [width / len(columns)] * len(columns)
    # A row may split across pages: an amended 10,000-character account is one cell.
    table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _rows(rows: list[Row], style: Styles, width: float) -> list[Any]:
    """Short answers in a two-column table; a long answer below its label, as
    paragraphs that flow across pages."""
    from reportlab.platypus import Paragraph

    out: list[Any] = []
    short: list[Row] = []
    for label, value in rows:
        if len(value) <= LONG:
            short.append((label, value))
            continue
        if short:
            out.append(_rows_table(short, style, width))
            short = []
        out.append(Paragraph(escape(label), style.label))
        out += [Paragraph(escape(p), style.body) for p in value.strip().splitlines() if p.strip()]
    if short:
        out.append(_rows_table(short, style, width))
    return out


def _section(section: PrintedSection, style: Styles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    body: list[Any] = [CondPageBreak(30 * mm), Paragraph(escape(section.heading), style.heading)]
    rows = list(section.rows)
    body += _rows(rows[: section.table_after], style, width)
    if section.table is not None:
        body.append(Spacer(1, 1.5 * mm))
        if section.table.rows:
            body.append(_grid(section.table.columns, list(section.table.rows), style, width))
        else:
            body.append(Paragraph(escape(section.table.empty), style.body))
        body.append(Spacer(1, 1.5 * mm))
    body += _rows(rows[section.table_after :], style, width)
    for figure in section.body_maps:
        body += _body_map(figure, style, width)
    return body


def _body_map(figure: BodyMapFigure, style: Styles, width: float) -> list[Any]:
    """The front and back figures with the marked regions shaded and numbered, and the
    table of marks beside them; the note about left and right under the title."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    from incident_recorder.documents.body_map_drawing import body_map_drawing

    drawing = body_map_drawing(figure.marks, 88 * mm, style.body.fontName)
    beside = width - drawing.width - 4 * mm
    shares = (0.13, 0.37, 0.2, 0.3)
    marks = _grid(figure.table.columns, list(figure.table.rows), style, beside, shares)
    layout = Table(
        [[drawing, marks]],
        colWidths=[drawing.width + 4 * mm, beside],
        hAlign="LEFT",
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    return [
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                Paragraph(escape(figure.title), style.label),
                Paragraph(escape(LEFT_RIGHT_NOTE), style.small),
                layout,
            ]
        ),
    ]


def _story(doc: RecordDocument, style: Styles, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    latest = doc.latest
    story: list[Any] = [
        Paragraph(escape(doc.school.name), style.school),
        Paragraph(f"Record of reasonable force or restraint: {escape(doc.reference)}", style.title),
        Paragraph(f"<b>{escape(doc.heading)}</b>", style.heading),
    ]
    if doc.for_parents:
        story.append(Paragraph(escape(PARENTS_NOTE), style.body))
    first = doc.versions[0]
    facts: list[Row] = [
        ("Pupil", doc.pupil.display_name),
        ("Reference", doc.reference),
        ("Submitted", f"{_local(doc, first)} by {first.saved_by_name}"),
        ("Version printed", f"Version {latest.number} of {len(doc.versions)} (the latest)"),
    ]
    if latest.number > 1:
        facts.append(("Last amended", f"{_local(doc, latest)} by {latest.saved_by_name}"))
    if doc.printed_on is not None:
        facts.append(("Printed", f"{doc.printed_on:%d/%m/%Y at %H:%M} by {doc.printed_by}"))
    story += [Spacer(1, 6), _rows_table(facts, style, width)]
    for section in sections(doc, latest):
        story += _section(section, style, width)
    for extra in doc.later_sections:
        story += _section(PrintedSection(extra.heading, extra.rows), style, width)
    if doc.linked_references and not doc.for_parents:
        linked = PrintedSection(LINKED, (("References", ", ".join(doc.linked_references)),))
        story += _section(linked, style, width)
    story += _history(doc, style, width)
    return story


def _history(doc: RecordDocument, style: Styles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph

    first = doc.versions[0]
    out: list[Any] = [CondPageBreak(30 * mm), Paragraph(HISTORY, style.heading)]
    out.append(
        Paragraph(
            f"<b>Version 1</b>: submitted {_local(doc, first)} by {escape(first.saved_by_name)}.",
            style.body,
        )
    )
    found = amendments(doc)
    if not found:
        out.append(Paragraph("The record has not been amended since it was submitted.", style.body))
    for version, changed in found:
        out += [
            CondPageBreak(25 * mm),
            Paragraph(
                f"<b>Version {version.number}</b>: amended {_local(doc, version)} by "
                f"{escape(version.saved_by_name)}.",
                style.body,
            ),
            Paragraph(f"<b>Reason:</b> {_text(version.reason) or 'Not given'}", style.body),
        ]
        if changed:
            rows = [(f"{c.section}: {c.label}", c.before, c.after) for c in changed]
            out.append(_grid(("What changed", "Before", "After"), rows, style, width))
        else:
            note = (
                "No field that this copy shows was changed."
                if doc.for_parents
                else "No field was changed."
            )
            out.append(Paragraph(note, style.small))
    return out


def _numbered_canvas(doc: RecordDocument, style: Styles) -> Any:
    """The canvas for the record: on every page the school and the record at the top,
    and which copy it is and "Page n of N" at the foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    left, right = 18 * mm, A4[0] - 18 * mm
    school = doc.school.name if len(doc.school.name) <= 60 else doc.school.name[:59] + "…"
    header = f"Record {doc.reference} · {doc.heading}"
    footer = CONFIDENTIAL
    if doc.printed_on is not None:
        footer = f"Printed {doc.printed_on:%d/%m/%Y} · {CONFIDENTIAL}"

    def decorate(canvas: Any, number: int, total: int) -> None:
        canvas.setFillGray(0.3)
        canvas.setFont(style.small.fontName, 8.5)
        canvas.drawString(left, A4[1] - 12 * mm, school)
        canvas.drawRightString(right, A4[1] - 12 * mm, header)
        canvas.setStrokeGray(0.75)
        canvas.line(left, A4[1] - 14 * mm, right, A4[1] - 14 * mm)
        canvas.drawString(left, 11 * mm, footer)
        canvas.drawRightString(right, 11 * mm, f"Page {number} of {total}")

    return numbered_canvas(decorate)
