"""The one-page pupil summary for a review meeting, on A4.

In: a ``PupilSummary`` (the pupil, the school, the current plan, the review figures, who
prints it and when). Out: PDF bytes (nothing is written to disk here).

It is always exactly one page, however many incidents there are: every list shows its
five largest entries and "and N more", long names are cut short with an ellipsis, and
as a last resort the whole page is scaled down to fit.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from incident_recorder.documents.styles import styles
from incident_recorder.documents.summary_layout import story
from incident_recorder.documents.summary_words import CONFIDENTIAL, TITLE, clip

if TYPE_CHECKING:
    from incident_recorder.domain.review import PupilSummary


def render_summary(summary: PupilSummary) -> bytes:
    """The summary as PDF bytes: always exactly one A4 page."""
    return render_summary_pages(summary)[0]


def render_summary_pages(summary: PupilSummary) -> tuple[bytes, int]:
    """The summary as PDF bytes and its number of pages (one)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Frame, KeepInFrame, PageTemplate
    from reportlab.platypus.doctemplate import BaseDocTemplate

    style = styles()
    out = io.BytesIO()
    margin = 14 * mm
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        title=TITLE,
        author=summary.school.name,
        subject=TITLE,
        creator="Incident Recorder",
    )
    footer = f"Printed {summary.printed_on:%d/%m/%Y} by {clip(summary.printed_by, 60)} · "
    footer += CONFIDENTIAL

    def on_page(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(style.small.fontName, 8)
        canvas.setFillGray(0.35)
        canvas.drawString(margin, 9 * mm, footer)
        canvas.restoreState()

    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, 0, 0, 0, 0, id="page")
    doc.addPageTemplates([PageTemplate(id="summary", frames=[frame], onPage=on_page)])
    # KeepInFrame(shrink) is the guarantee of one page: the caps above keep the content
    # well inside the page, and anything that still overflows is scaled down.
    body = story(summary, style, doc.width)
    doc.build([KeepInFrame(doc.width, doc.height, body, mode="shrink")])
    return out.getvalue(), int(doc.page)
