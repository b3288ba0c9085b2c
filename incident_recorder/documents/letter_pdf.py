"""The letter to parents and carers on A4 (issue 5).

In: :class:`~incident_recorder.domain.letters.LetterContent`. Out: PDF bytes (nothing is
written to disk here). Page 1: the school's letterhead, the recipient's name and address
where a windowed envelope shows it, the date and reference, "Dear ...", the letter.
Later pages: a small running header (school, reference). Every page: "Page n of N".
reportlab is imported only when a letter is made.

Envelope window (UK): the common DL window envelope (110 x 220 mm) has a 90 x 35 mm
window 20 mm from the left and 15 mm from the bottom; an A4 sheet folded in three sits
in it with the address panel 50-90 mm from the sheet's top edge (the same place the
usual C5 window, 90 x 45 mm at 20 mm from the left, shows). The address block is
therefore 25-105 mm from the left (inside the window with a 5 mm margin) and 53-87 mm
from the top. Fold marks at 99 and 198 mm show where to fold for a DL envelope.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape

from incident_recorder.documents.fonts import BOLD, ITALIC
from incident_recorder.documents.page_numbers import numbered_canvas
from incident_recorder.documents.styles import styles
from incident_recorder.domain.documents import letter_file_name as letter_file_name
from incident_recorder.domain.letter_draft import LetterDraft
from incident_recorder.domain.letters import BlockKind, LetterBlock, LetterContent, long_date

TITLE = "Letter to parents and carers"
NAVY = "#1F3A5F"
GREY = "#555555"
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_MM = 20.0
# The address window (see the module notes), in mm from the page's top-left corner.
WINDOW_LEFT_MM, WINDOW_TOP_MM, WINDOW_W_MM, WINDOW_H_MM = 25.0, 53.0, 80.0, 34.0
BODY_TOP_FIRST_MM = 90.0  # page 1's text starts below the window
BODY_TOP_LATER_MM = 24.0
BODY_BOTTOM_MM = 18.0
BODY_BOTTOM_COMPACT_MM = 14.0  # a letter set closer to fit one page (footer at 9 mm)
FOLDS_MM = (99.0, 198.0)


def letter_date_text(content: LetterContent) -> str:
    """ "17 November 2026" (no weekday: the usual date at the top of a UK letter)."""
    return long_date(content.letter_date).split(" ", 1)[1]


def _markup(text: str) -> str:
    """Escaped for a reportlab paragraph, keeping the writer's line breaks."""
    return "<br/>".join(escape(line) for line in text.strip().split("\n"))


def render_letter(content: LetterContent) -> bytes:
    """The letter as PDF bytes (see :func:`render_letter_pages`)."""
    return render_letter_pages(content)[0]


def render_letter_pages(content: LetterContent) -> tuple[bytes, int]:
    """The letter as PDF bytes and its number of pages: on one page when it can be (set
    a little closer, never smaller than 9.5 point), else over as many as it needs at
    the usual size."""
    pdf, pages = _render(content, compact=False)
    if pages == 2:
        tighter, fitted = _render(content, compact=True)
        if fitted == 1:
            return tighter, 1
    return pdf, pages


def _render(content: LetterContent, compact: bool) -> tuple[bytes, int]:
    """The letter and how many pages it took."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    letter_styles = _styles(compact)
    bottom_mm = BODY_BOTTOM_COMPACT_MM if compact else BODY_BOTTOM_MM
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=BODY_TOP_LATER_MM * mm,
        bottomMargin=bottom_mm * mm,
        title=TITLE,
        author=content.letterhead.school_name,
        subject=f"Reference {content.reference}",
        creator="Incident Recorder",
    )
    width = (PAGE_W_MM - 2 * MARGIN_MM) * mm

    def frame(top_mm: float, name: str) -> Any:
        height = (PAGE_H_MM - top_mm - bottom_mm) * mm
        return Frame(
            MARGIN_MM * mm, bottom_mm * mm, width, height, id=name, leftPadding=0,
            rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip

    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                frames=[frame(BODY_TOP_FIRST_MM, "first")],
                onPage=lambda canvas, _doc: _first_page(canvas, content, letter_styles),
                autoNextPageTemplate="later",
            ),
            PageTemplate(
                "later",
                frames=[frame(BODY_TOP_LATER_MM, "later")],
                onPage=lambda canvas, _doc: _running_header(canvas, content),
            ),
        ]
    )
    doc.build(_story(content, letter_styles), canvasmaker=numbered_canvas(_page_number))
    return out.getvalue(), int(doc.page)


def _styles(compact: bool = False) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    base = styles()
    size, leading, after = (9.5, 12.2, 2) if compact else (10, 13.5, 4)
    body = ParagraphStyle(
        "letter", parent=base.body, fontSize=size, leading=leading, spaceAfter=after
    )
    return {
        "body": body,
        "heading": ParagraphStyle(
            "letter-heading", parent=body, fontName=BOLD, fontSize=size + 1,
            leading=leading + 0.5, spaceBefore=3 if compact else 6,
            spaceAfter=1 if compact else 1.5, textColor=colors.HexColor(NAVY),
        ),
        "quote": ParagraphStyle(
            "letter-quote", parent=body, leftIndent=8 * mm, rightIndent=8 * mm,
            fontName=ITALIC, textColor=colors.HexColor("#333333"), spaceBefore=1,
        ),
        "bullet": ParagraphStyle("letter-bullet", parent=body, spaceAfter=1 if compact else 2),
        "sign_space": (9 if compact else 12) * mm,
        "keep_with_heading": (16 if compact else 24) * mm,
        "school": ParagraphStyle(
            "letter-school", parent=body, fontName=BOLD, fontSize=15, leading=18,
            alignment=TA_RIGHT, textColor=colors.HexColor(NAVY), spaceAfter=1,
        ),
        "contact": ParagraphStyle(
            "letter-contact", parent=body, fontSize=8.5, leading=11, alignment=TA_RIGHT,
            textColor=colors.HexColor(GREY), spaceAfter=0,
        ),
        "address": ParagraphStyle("letter-address", parent=body, spaceAfter=0),
        "right": ParagraphStyle("letter-right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "small": ParagraphStyle(
            "letter-small", parent=body, fontSize=8, leading=10, fontName=BOLD,
            textColor=colors.HexColor(GREY), spaceAfter=2,
        ),
    }  # fmt: skip


def _block_flowables(block: LetterBlock, style: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import ListFlowable, ListItem, Paragraph

    if block.kind is BlockKind.HEADING:
        return [Paragraph(_markup(block.text), style["heading"])]
    if block.kind is BlockKind.BULLETS:
        items = [
            ListItem(Paragraph(_markup(i), style["bullet"]), leftIndent=14) for i in block.items
        ]
        bullets = ListFlowable(
            items, bulletType="bullet", start="•", bulletFontName=style["body"].fontName,
            leftIndent=14, spaceAfter=4,
        )  # fmt: skip
        return [bullets]
    if block.kind is BlockKind.QUOTE:
        return [Paragraph(_markup(block.text), style["quote"])]
    return [Paragraph(_markup(block.text), style["body"])]


def _story(content: LetterContent, style: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

    story: list[Any] = [Paragraph(escape(content.salutation) + ",", style["body"])]
    blocks = list(content.blocks)
    for index, block in enumerate(blocks):
        flowables = _block_flowables(block, style)
        if block.kind is BlockKind.HEADING:
            # A heading never sits alone at the foot of a page.
            story += [CondPageBreak(style["keep_with_heading"]), *flowables]
        elif index == len(blocks) - 1:
            # The last paragraph (and its heading) stay with "Yours sincerely".
            if index and blocks[index - 1].kind is BlockKind.HEADING:
                flowables = [story.pop(), *flowables]
            story.append(KeepTogether([*flowables, *_closing(content, style)]))
            return story
        else:
            story += flowables
    story.append(KeepTogether([Spacer(1, 0), *_closing(content, style)]))
    return story


def _closing(content: LetterContent, style: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    closing: list[Any] = [
        Spacer(1, 3 * mm),
        Paragraph("Yours sincerely,", style["body"]),
        Spacer(1, style["sign_space"]),  # room to sign
        Paragraph(f"<b>{escape(content.signatory_name)}</b>", style["address"]),
    ]
    if content.signatory_role.strip():
        closing.append(Paragraph(escape(content.signatory_role), style["address"]))
    return closing


def _draw_paragraph(
    canvas: Any, text: str, style: Any, x: float, top: float, width: float
) -> float:
    """Draws a paragraph whose top-left corner is at (x, top); returns its height."""
    from reportlab.platypus import Paragraph

    paragraph = Paragraph(text, style)
    _, height = paragraph.wrap(width, 1000)
    paragraph.drawOn(canvas, x, top - height)
    return float(height)


def _first_page(canvas: Any, content: LetterContent, style: dict[str, Any]) -> None:
    from reportlab.lib.units import mm

    page_top = PAGE_H_MM * mm
    head = content.letterhead
    canvas.saveState()
    logo_w = 0.0
    if head.logo_png:
        logo_w = _draw_logo(canvas, head.logo_png, MARGIN_MM * mm, page_top - 14 * mm)
    text_w = (PAGE_W_MM - 2 * MARGIN_MM) * mm - logo_w - (6 * mm if logo_w else 0)
    x = PAGE_W_MM * mm - MARGIN_MM * mm - text_w
    top = page_top - 14 * mm
    top -= _draw_paragraph(canvas, escape(head.school_name), style["school"], x, top, text_w)
    phone_email = [f"Telephone {head.phone}" if head.phone else "", f"Email {head.email}"]
    if not head.email:
        phone_email.pop()
    for line in (", ".join(head.address_lines), "  ·  ".join(p for p in phone_email if p)):
        if line:
            top -= _draw_paragraph(canvas, escape(line), style["contact"], x, top, text_w)
    canvas.setStrokeColorRGB(0.75, 0.78, 0.83)
    canvas.setLineWidth(0.6)
    rule_y = min(top - 3 * mm, page_top - 38 * mm)
    canvas.line(MARGIN_MM * mm, rule_y, PAGE_W_MM * mm - MARGIN_MM * mm, rule_y)
    _draw_address(canvas, content, style)
    right_w = 60 * mm
    right_x = PAGE_W_MM * mm - MARGIN_MM * mm - right_w
    top = page_top - WINDOW_TOP_MM * mm
    date_text = escape(letter_date_text(content))
    top -= _draw_paragraph(canvas, date_text, style["right"], right_x, top, right_w)
    ref = f"Our reference: {escape(content.reference)}"
    _draw_paragraph(canvas, ref, style["right"], right_x, top - 1 * mm, right_w)
    canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
    for fold in FOLDS_MM:
        y = page_top - fold * mm
        canvas.line(4 * mm, y, 8 * mm, y)
    canvas.restoreState()


def _draw_address(canvas: Any, content: LetterContent, style: dict[str, Any]) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    recipient = content.recipient
    lines = [recipient.addressee, *recipient.address_lines]
    text = "<br/>".join(escape(line) for line in lines if line.strip())
    width, room = WINDOW_W_MM * mm, (WINDOW_H_MM - 5) * mm
    address_style = style["address"]
    for size in (10.5, 9.5, 8.5, 7.5):  # smaller type only if a long address needs it
        address_style = ParagraphStyle("fit", parent=style["address"], fontSize=size,
                                       leading=size * 1.3)  # fmt: skip
        if Paragraph(text, address_style).wrap(width, 1000)[1] <= room:
            break
    x, top = WINDOW_LEFT_MM * mm, PAGE_H_MM * mm - WINDOW_TOP_MM * mm
    top -= _draw_paragraph(canvas, "PRIVATE AND CONFIDENTIAL", style["small"], x, top, width)
    _draw_paragraph(canvas, text, address_style, x, top - 1 * mm, width)


def _draw_logo(canvas: Any, png: bytes, x: float, top: float) -> float:
    """The logo, at most 40 x 24 mm, its top-left at (x, top); returns its width."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(io.BytesIO(png))
        w, h = image.getSize()
    except Exception:  # a damaged logo must not stop a letter: print without it
        return 0.0
    scale = min(40 * mm / w, 24 * mm / h)
    canvas.drawImage(image, x, top - h * scale, w * scale, h * scale, mask="auto")
    return float(w * scale)


def _running_header(canvas: Any, content: LetterContent) -> None:
    from reportlab.lib.units import mm

    canvas.saveState()
    y = PAGE_H_MM * mm - 13 * mm
    canvas.setFont(styles().small.fontName, 8.5)
    canvas.setFillGray(0.35)
    canvas.drawString(MARGIN_MM * mm, y, content.letterhead.school_name)
    canvas.drawRightString(PAGE_W_MM * mm - MARGIN_MM * mm, y, f"Reference {content.reference}")
    canvas.setStrokeColorRGB(0.75, 0.78, 0.83)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_MM * mm, y - 2.5 * mm, PAGE_W_MM * mm - MARGIN_MM * mm, y - 2.5 * mm)
    canvas.restoreState()


def _page_number(canvas: Any, number: int, total: int) -> None:
    from reportlab.lib.units import mm

    canvas.setFont(styles().small.fontName, 8.5)
    canvas.setFillGray(0.35)
    canvas.drawCentredString(PAGE_W_MM * mm / 2, 9 * mm, f"Page {number} of {total}")


def unprintable_warning(content: LetterContent) -> str:
    """A plain warning when the letter holds characters its font cannot print correctly
    (a name in Chinese characters or Arabic script, say); "" when it prints as written."""
    from incident_recorder.documents.fonts import unprintable_characters

    texts = [
        content.recipient.addressee,
        content.recipient.salutation,
        *content.recipient.address_lines,
        content.signatory_name,
        content.signatory_role,
        content.letterhead.school_name,
        *content.letterhead.address_lines,
    ]
    for block in content.blocks:
        texts.append(block.text)
        texts.extend(block.items)
    found = unprintable_characters(*texts)
    if not found:
        return ""
    shown = " ".join(found[:12]) + (" …" if len(found) > 12 else "")
    return (
        f"This letter holds characters its font cannot print correctly ({shown}): they "
        "would come out as empty boxes, or in the wrong order for right-to-left scripts. "
        "Please check the names and wording, for example using the spelling in Latin "
        "letters that the family uses, before the letter goes out."
    )


def with_font_warning(draft: LetterDraft) -> LetterDraft:
    """``draft`` with the font warning added when any copy needs it."""
    for content in draft.copies:
        warning = unprintable_warning(content)
        if warning:
            return replace(draft, warnings=(*draft.warnings, warning))
    return draft
