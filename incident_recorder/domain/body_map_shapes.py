"""The body map's figure as plain numbers: one polygon per named region, in a box
:data:`WIDTH` wide and :data:`HEIGHT` tall (y grows downwards), for each view.

The screen (QPainter) and the printed record (reportlab) both draw from these, so a
mark shaded on paper sits where it was clicked. The figure is a simple, gender-neutral
standing outline, arms a little away from the body. Drawn as: every region's outline in
a thick line, then every region filled over it (which leaves only the outline of the
whole figure), then thin lines between the regions.

The front view is drawn as seen from in front, so the person's right side is on the
viewer's left; the back view is its mirror image, so their right side is on the
viewer's right. Pure: standard library only.
"""

from __future__ import annotations

import math

from incident_recorder.domain.body_map import REGIONS, BodyView

WIDTH = 160.0
HEIGHT = 410.0
Point = tuple[float, float]
Polygon = tuple[Point, ...]


def _ellipse(cx: float, cy: float, rx: float, ry: float, steps: int = 28) -> Polygon:
    return tuple(
        (
            round(cx + rx * math.cos(2 * math.pi * k / steps), 2),
            round(cy + ry * math.sin(2 * math.pi * k / steps), 2),
        )
        for k in range(steps)
    )


def _segment(a: Point, wa: float, b: Point, wb: float) -> Polygon:
    """The four corners of a limb between two cross-sections (centre, half-width)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    px, py = dy / length, -dx / length  # perpendicular, pointing to the viewer's right

    def at(c: Point, w: float, sign: int) -> Point:
        return (round(c[0] + sign * px * w, 2), round(c[1] + sign * py * w, 2))

    return (at(a, wa, -1), at(a, wa, 1), at(b, wb, 1), at(b, wb, -1))


# The arm and leg of the side on the viewer's left, as (centre, half-width) sections.
_ARM = (((40.0, 104.0), 10.0), ((34.0, 150.0), 8.0), ((32.0, 164.0), 7.5), ((26.0, 206.0), 5.5))
_WRIST_END = ((25.0, 216.0), 5.5)
_LEG = (((66.0, 211.0), 15.0), ((64.0, 292.0), 10.0), ((64.0, 310.0), 9.5), ((64.0, 382.0), 6.0))

# Shapes of the viewer's left side, by code stem, drawn in the front view.
_SIDE: dict[str, Polygon] = {
    "shoulder": (
        (70.0, 70.0),
        (58.0, 72.0),
        (46.0, 77.0),
        (37.0, 86.0),
        (30.08, 102.7),
        (49.92, 105.3),
        (54.0, 92.0),
        (70.0, 84.0),
    ),
    "upper_arm": _segment(_ARM[0][0], _ARM[0][1], _ARM[1][0], _ARM[1][1]),
    "elbow": _segment(_ARM[1][0], _ARM[1][1], _ARM[2][0], _ARM[2][1]),
    "forearm": _segment(_ARM[2][0], _ARM[2][1], _ARM[3][0], _ARM[3][1]),
    "wrist": _segment(_ARM[3][0], _ARM[3][1], _WRIST_END[0], _WRIST_END[1]),
    "hand": (
        (19.5, 215.5),
        (30.5, 216.5),
        (32.0, 226.0),
        (31.0, 238.0),
        (27.0, 247.0),
        (22.0, 249.0),
        (17.0, 245.0),
        (15.5, 234.0),
        (16.5, 223.0),
    ),
    "hip": ((54.0, 172.0), (80.0, 172.0), (80.0, 214.0), (51.0, 212.0), (49.0, 194.0)),
    "thigh": _segment(_LEG[0][0], _LEG[0][1], _LEG[1][0], _LEG[1][1]),
    "knee": _segment(_LEG[1][0], _LEG[1][1], _LEG[2][0], _LEG[2][1]),
    "shin": _segment(_LEG[2][0], _LEG[2][1], _LEG[3][0], _LEG[3][1]),
    "foot": (
        (58.0, 382.0),
        (70.0, 382.0),
        (71.0, 394.0),
        (69.0, 401.0),
        (54.0, 402.0),
        (50.0, 398.0),
        (54.0, 392.0),
    ),
}
# The leg's thigh starts at the hip's lower edge: both sides of the body meet at x=80.
_MIDDLE: dict[str, Polygon] = {
    "head": _ellipse(80.0, 30.0, 19.0, 24.0),
    "neck": ((71.0, 50.0), (89.0, 50.0), (90.0, 70.0), (80.0, 77.0), (70.0, 70.0)),
    "chest": (
        (70.0, 70.0),
        (80.0, 77.0),
        (90.0, 70.0),
        (90.0, 84.0),
        (106.0, 92.0),
        (110.08, 105.3),
        (108.0, 140.0),
        (52.0, 140.0),
        (49.92, 105.3),
        (54.0, 92.0),
        (70.0, 84.0),
    ),
    "belly": ((52.0, 140.0), (108.0, 140.0), (106.0, 172.0), (54.0, 172.0)),
}
_MIDDLE_OF = {
    "face": "head",
    "head": "head",
    "neck": "neck",
    "chest": "chest",
    "upper_back": "chest",
    "stomach": "belly",
    "lower_back": "belly",
}
_SIDE_OF = {"buttock": "hip", "calf": "shin", "heel": "foot"}


def _mirror(shape: Polygon) -> Polygon:
    return tuple((round(WIDTH - x, 2), y) for x, y in shape)


def _shape(code: str) -> Polygon:
    view, rest = code.split("_", 1)
    side, _, stem = rest.partition("_")
    if side in ("right", "left"):
        base = _SIDE[_SIDE_OF.get(stem, stem)]
        # Front: the right side is on the viewer's left; back: on the viewer's right.
        on_viewer_left = (side == "right") == (view == BodyView.FRONT.value)
        return base if on_viewer_left else _mirror(base)
    return _MIDDLE[_MIDDLE_OF[rest]]


SHAPES: dict[str, Polygon] = {r.code: _shape(r.code) for r in REGIONS}


def shape(code: str) -> Polygon:
    return SHAPES[code]


def centre(code: str) -> Point:
    """Where a mark's number is drawn: the middle of the region's corners."""
    points = SHAPES[code]
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def label_point(code: str) -> Point:
    """Where a mark's number goes: beside a region of an arm or a leg (outwards, away
    from the middle of the body, so the shading stays visible, with a line to it), in
    the middle of the head, neck and body."""
    x, y = centre(code)
    points = SHAPES[code]
    if code.split("_")[1] not in ("right", "left"):
        return (x, y)
    half = (max(p[0] for p in points) - min(p[0] for p in points)) / 2
    outward = -1.0 if x < WIDTH / 2 else 1.0
    return (round(min(max(x + outward * (half + 9.0), 7.0), WIDTH - 7.0), 2), y)


def _inside(point: Point, polygon: Polygon) -> bool:
    x, y = point
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def region_at(view: BodyView, point: Point) -> str | None:
    """The code of the region under ``point`` (figure units) in ``view``, or None."""
    for r in REGIONS:
        if r.view is view and _inside(point, SHAPES[r.code]):
            return r.code
    return None
