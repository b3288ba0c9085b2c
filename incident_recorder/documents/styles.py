"""Paragraph styles shared by the app's documents: plain, readable, A4."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from incident_recorder.documents.fonts import BOLD, register_fonts


@dataclass(frozen=True, slots=True)
class Styles:
    title: Any
    school: Any
    heading: Any
    body: Any
    label: Any
    small: Any


def styles() -> Styles:
    """The styles, with the embedded fonts registered first."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    family = register_fonts()
    body = ParagraphStyle("body", fontName=family, fontSize=10.5, leading=14, spaceAfter=4)
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=17, leading=21, spaceAfter=6
        ),
        school=ParagraphStyle(
            "school", parent=body, fontSize=11, textColor=colors.HexColor("#444444")
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=3,
            textColor=colors.HexColor("#1F3A5F"),
        ),
        body=body,
        label=ParagraphStyle("label", parent=body, fontName=BOLD),
        small=ParagraphStyle(
            "small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")
        ),
    )
