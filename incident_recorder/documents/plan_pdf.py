"""A pupil's behaviour support plan on A4, for the class team and for parents.

In: the plan, the pupil and the school's details. Out: PDF bytes (nothing is written
to disk here). Long sections flow on to further pages; every page carries
"Page n of m".
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from incident_recorder.documents.page_numbers import numbered_canvas
from incident_recorder.documents.styles import Styles, styles
from incident_recorder.domain.documents import plan_file_name as domain_plan_file_name
from incident_recorder.domain.model import Pupil, SchoolDetails
from incident_recorder.domain.plans import BehaviourPlan

TITLE = "Behaviour support plan"
NOTHING = "Nothing recorded."

# The plan's sections in the order they print: (heading, text lines or list items).
SECTION_HEADINGS = (
    "Known triggers",
    "Early warning signs",
    "What helps",
    "What to avoid",
    "Communication needs",
    "Approved physical interventions",
    "Medical or physical considerations",
    "Techniques ruled out for medical or physical reasons",
)


def plan_file_name(plan: BehaviourPlan) -> str:
    """The name the app proposes when saving (see domain/documents.py)."""
    return domain_plan_file_name(plan.version)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "not set"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _text(value: str) -> str:
    """Escaped for a reportlab paragraph, keeping the writer's line breaks."""
    lines = [escape(line) for line in value.strip().splitlines()]
    return "<br/>".join(lines)


def sections(plan: BehaviourPlan) -> list[tuple[str, list[str], tuple[str, ...]]]:
    """(heading, paragraphs, bullet items) for each section, in print order."""

    def paras(*texts: str) -> list[str]:
        return [t for t in texts if t.strip()]

    return [
        ("Known triggers", paras(plan.triggers), ()),
        ("Early warning signs", paras(plan.early_warning_signs), ()),
        ("What helps", paras(plan.helpful_other), plan.helpful_strategies),
        ("What to avoid", paras(plan.to_avoid), ()),
        ("Communication needs", paras(plan.communication_needs), ()),
        ("Approved physical interventions", [], plan.approved_techniques),
        ("Medical or physical considerations", paras(plan.medical_notes), ()),
        (
            "Techniques ruled out for medical or physical reasons",
            [],
            plan.ruled_out_techniques,
        ),
    ]


def render_plan(
    plan: BehaviourPlan,
    pupil: Pupil,
    school: SchoolDetails,
    printed_on: date | None = None,
) -> bytes:
    """The plan as PDF bytes."""
    return render_plan_pages(plan, pupil, school, printed_on)[0]


def render_plan_pages(
    plan: BehaviourPlan,
    pupil: Pupil,
    school: SchoolDetails,
    printed_on: date | None = None,
) -> tuple[bytes, int]:
    """The plan as PDF bytes and its number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    style = styles()
    out = io.BytesIO()
    footer = f"{TITLE}, version {plan.version}"
    if printed_on is not None:
        footer += f". Printed {printed_on.strftime('%d/%m/%Y')}"
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=TITLE,
        author=school.name,
        subject=TITLE,
        creator="Incident Recorder",
    )
    doc.build(_story(plan, pupil, school, style), canvasmaker=_footer(footer, style))
    return out.getvalue(), int(doc.page)


def _story(plan: BehaviourPlan, pupil: Pupil, school: SchoolDetails, style: Styles) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        ListFlowable,
        ListItem,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    story: list[Any] = [
        Paragraph(escape(school.name), style.school),
        Paragraph(TITLE, style.title),
    ]
    year_class = ", ".join(p for p in (pupil.year_group, pupil.class_name) if p) or "not recorded"
    rows = [
        ("Pupil", pupil.display_name),
        ("Year and class", year_class),
        ("Plan version", str(plan.version)),
        ("Start date", _day(plan.start_date)),
        ("Review date", _day(plan.review_date)),
        ("Written by", plan.written_by or "not recorded"),
        ("The pupil contributed", _yes_no(plan.pupil_contributed)),
        ("Parents or carers contributed", _yes_no(plan.parents_contributed)),
    ]
    table = Table(
        [[Paragraph(k, style.label), Paragraph(_text(v), style.body)] for k, v in rows],
        colWidths=[68 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    for heading, paragraphs, items in sections(plan):
        body: list[Any] = []
        if items:
            body.append(
                ListFlowable(
                    [ListItem(Paragraph(escape(i), style.body), leftIndent=12) for i in items],
                    bulletType="bullet",
                    start="•",
                    bulletFontName=style.body.fontName,
                    leftIndent=12,
                )
            )
        body += [Paragraph(_text(p), style.body) for p in paragraphs]
        if not body:
            body.append(Paragraph(NOTHING, style.small))
        # A heading never sits alone at the foot of a page; long text still flows on
        # from the page it starts on (no half-empty page before it).
        story += [CondPageBreak(28 * mm), Paragraph(escape(heading), style.heading), *body]
    return story


def _footer(footer: str, style: Styles) -> Any:
    """Each page's footer: the plan and its version on the left, "Page n of m" right."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def decorate(canvas: Any, number: int, total: int) -> None:
        canvas.setFont(style.small.fontName, 8.5)
        canvas.setFillGray(0.35)
        canvas.drawString(20 * mm, 11 * mm, footer)
        canvas.drawRightString(A4[0] - 20 * mm, 11 * mm, f"Page {number} of {total}")

    return numbered_canvas(decorate)
