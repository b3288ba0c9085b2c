"""The copy for parents as HTML, for reading on screen in the parents' view (the school
office's way into a record): the same content as the printed copy for parents
(documents/record_pdf.py), section by section from the same
:class:`~incident_recorder.domain.record_document.RecordDocument`, which the service
has already cut down (no other children's names, no internal account)."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from incident_recorder.domain.body_map import LEFT_RIGHT_NOTE
from incident_recorder.domain.model import IncidentVersion
from incident_recorder.domain.record_document import PARENTS_NOTE, RecordDocument
from incident_recorder.domain.record_sections import (
    BodyMapFigure,
    PrintedSection,
    Row,
    Table,
    amendments,
    sections,
)
from incident_recorder.ui.body_map_figure import figure_png_base64

_LABEL = "color:#444; padding:3px 12px 3px 0; vertical-align:top; border-bottom:1px solid #ccc"
_CELL = "padding:3px 6px; vertical-align:top; border-bottom:1px solid #ccc"
NO_FIELD_CHANGED = "No field that this copy shows was changed."
_HEAD = "padding:3px 6px; background:#e8eef5; font-weight:bold"


def _text(value: str) -> str:
    return "<br>".join(escape(line) for line in value.strip().splitlines())


def _local(doc: RecordDocument, version: IncidentVersion) -> str:
    moment = version.saved_at.astimezone(ZoneInfo(doc.school.timezone))
    return moment.strftime("%d/%m/%Y at %H:%M")


def _rows(rows: tuple[Row, ...] | list[Row]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td width='34%' style='{_LABEL}'><b>{escape(label)}</b></td>"
        f"<td style='{_CELL}'>{_text(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table width='100%' cellspacing='0'>{body}</table>"


def _grid(table: Table) -> str:
    if not table.rows:
        return f"<p><i>{escape(table.empty)}</i></p>"
    head = "".join(f"<th style='{_HEAD}' align='left'>{escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td style='{_CELL}'>{_text(v)}</td>" for v in row) + "</tr>"
        for row in table.rows
    )
    return f"<table cellspacing='0' width='100%'><tr>{head}</tr>{body}</table>"


def _body_map(figure: BodyMapFigure) -> str:
    image = figure_png_base64(figure.marks, 260)
    return (
        f"<p><b>{escape(figure.title)}</b><br><small>{escape(LEFT_RIGHT_NOTE)}</small></p>"
        f"<p><img src='data:image/png;base64,{image}' alt='{escape(figure.title)}'></p>"
        + _grid(figure.table)
    )


def _section(section: PrintedSection) -> str:
    rows = list(section.rows)
    out = [f"<h3>{escape(section.heading)}</h3>", _rows(rows[: section.table_after])]
    if section.table is not None:
        out.append(_grid(section.table))
    out.append(_rows(rows[section.table_after :]))
    out += [_body_map(f) for f in section.body_maps]
    return "".join(out)


def _history(doc: RecordDocument) -> str:
    first = doc.versions[0]
    out = [
        "<h3>History of this record</h3>",
        f"<p><b>Version 1</b>: submitted {_local(doc, first)} by "
        f"{escape(first.saved_by_name)}.</p>",
    ]
    found = amendments(doc)
    if not found:
        out.append("<p>The record has not been amended since it was submitted.</p>")
    for version, changed in found:
        out.append(
            f"<p><b>Version {version.number}</b>: amended {_local(doc, version)} by "
            f"{escape(version.saved_by_name)}.<br><b>Reason:</b> "
            f"{_text(version.reason) or 'Not given'}</p>"
        )
        rows = tuple((f"{c.section}: {c.label}", c.before, c.after) for c in changed)
        table = Table(
            ("What changed", "Before", "After"), rows, "No field that this copy shows was changed."
        )
        out.append(_grid(table))
    return "".join(out)


def parents_copy_html(doc: RecordDocument) -> str:
    """The copy for parents of ``doc`` (made with ``for_parents``) as HTML."""
    latest, first = doc.latest, doc.versions[0]
    facts: list[Row] = [
        ("Pupil", doc.pupil.display_name),
        ("Reference", doc.reference),
        ("Submitted", f"{_local(doc, first)} by {first.saved_by_name}"),
        ("Version shown", f"Version {latest.number} of {len(doc.versions)} (the latest)"),
    ]
    if latest.number > 1:
        facts.append(("Last amended", f"{_local(doc, latest)} by {latest.saved_by_name}"))
    parts = [
        f"<p style='color:#444'>{escape(doc.school.name)}</p>",
        f"<h2>Record of reasonable force or restraint: {escape(doc.reference)}</h2>",
        f"<p><b>{escape(doc.heading)}</b></p>",
        f"<p>{escape(PARENTS_NOTE)}</p>" if doc.for_parents else "",
        _rows(facts),
    ]
    parts += [_section(s) for s in sections(doc, latest)]
    parts += [_section(PrintedSection(s.heading, s.rows)) for s in doc.later_sections]
    parts.append(_history(doc))
    return "<html><body>" + "".join(parts) + "</body></html>"
