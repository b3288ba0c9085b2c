"""The body map for the printed record: the front and back figures side by side (a
reportlab Drawing), the marked regions shaded and numbered, from the same shapes the
screen draws (domain/body_map_shapes.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from incident_recorder.domain.body_map import REGIONS, BodyView, InjuryMark, numbered, region
from incident_recorder.domain.body_map_shapes import HEIGHT, WIDTH, centre, label_point, shape

OUTLINE = "#3A3A3A"
INNER = "#C4C4C4"
SKIN = "#FFFFFF"
SHADE = "#F2B8A2"
NUMBER = "#8A1C00"


def body_map_drawing(marks: Sequence[InjuryMark], height: float, font: str) -> Any:
    """Front and back, ``height`` points tall, with labels above each figure."""
    from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, String
    from reportlab.lib.colors import HexColor

    label_space = 22.0
    scale = (height - label_space) / HEIGHT
    gap = 18.0
    width = 2 * WIDTH * scale + gap
    drawing = Drawing(width, height)
    numbers = numbered(marks)
    for index, view in enumerate((BodyView.FRONT, BodyView.BACK)):
        left = index * (WIDTH * scale + gap)
        group = Group()
        # y grows downwards in the shapes, upwards in reportlab: flip inside the group.
        group.transform = (scale, 0, 0, -scale, left, height - label_space)
        codes = [r.code for r in REGIONS if r.view is view]
        marked = {m.region for _, m in numbers if (r := region(m.region)) and r.view is view}

        def polygon(code: str, fill: str | None, stroke: str | None, line: float) -> Any:
            points = [v for p in shape(code) for v in p]
            return Polygon(
                points,
                fillColor=HexColor(fill) if fill else None,
                strokeColor=HexColor(stroke) if stroke else None,
                strokeWidth=line,
                strokeLineJoin=1,
            )

        for code in codes:  # thick outlines, then fills over them: the figure's outline
            group.add(polygon(code, None, OUTLINE, 2.6))
        for code in codes:
            group.add(polygon(code, SHADE if code in marked else SKIN, None, 0))
        for code in codes:
            group.add(polygon(code, None, INNER, 0.5))
        drawing.add(group)
        caption = (view.label, f"their right is on your {'left' if index == 0 else 'right'}")
        for line, (words, size) in enumerate(((caption[0], 8.5), (caption[1], 6.5))):
            drawing.add(
                String(
                    left + WIDTH * scale / 2,
                    height - 9 - line * 9,
                    words,
                    fontName=font,
                    fontSize=size,
                    textAnchor="middle",
                )
            )
        for n, mark in numbers:
            found = region(mark.region)
            if found is None or found.view is not view:
                continue
            x, y = centre(mark.region)
            lx, ly = label_point(mark.region)
            cx, cy = left + lx * scale, height - label_space - ly * scale
            if (lx, ly) != (x, y):
                drawing.add(
                    Line(
                        left + x * scale,
                        height - label_space - y * scale,
                        cx,
                        cy,
                        strokeColor=HexColor(NUMBER),
                        strokeWidth=0.6,
                    )
                )
            drawing.add(Circle(cx, cy, 5.2, fillColor=HexColor(SKIN), strokeColor=HexColor(NUMBER)))
            drawing.add(
                String(
                    cx,
                    cy - 2.6,
                    str(n),
                    fontName=font,
                    fontSize=7,
                    fillColor=HexColor(NUMBER),
                    textAnchor="middle",
                )
            )
    return drawing
