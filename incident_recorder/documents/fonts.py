"""The embedded DejaVu Sans family, so that accented names (Zoë, Łukasiewicz, Siân)
print correctly whatever fonts the school's PC has. The TTF files and their licence
live in ``resources/fonts``."""

from __future__ import annotations

from pathlib import Path

from incident_recorder.infra.paths import resources_dir

FAMILY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {
    FAMILY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> str:
    """Register the family with reportlab once per process; returns the family name
    for paragraph styles (``<b>`` and ``<i>`` map to the bold and oblique faces)."""
    global _registered
    if not _registered:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = fonts_dir()
        for name, file in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping(FAMILY, 0, 0, FAMILY)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD)  # no bold-oblique face shipped: bold reads well
        _registered = True
    return FAMILY


# Scripts written right to left: reportlab lays text out left to right without joining
# letters, so Arabic or Hebrew would print in the wrong order even where the font has
# the glyphs.
_RIGHT_TO_LEFT = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def unprintable_characters(*texts: str) -> list[str]:
    """The characters in ``texts`` that the embedded font cannot print correctly (no
    glyph, or a right-to-left script), each once, in the order found. Spaces, line
    breaks and other control characters are never counted."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    glyphs: dict[int, object] = pdfmetrics.getFont(FAMILY).face.charToGlyph
    found: list[str] = []
    for text in texts:
        for ch in text:
            code = ord(ch)
            if ch in found or ch.isspace() or code < 0x20:
                continue
            if code not in glyphs or any(lo <= code <= hi for lo, hi in _RIGHT_TO_LEFT):
                found.append(ch)
    return found
