"""The body map drawn with QPainter: front and back figures from the domain's shapes
(domain/body_map_shapes.py), marked regions shaded and numbered, and the region under
the mouse or chosen in the list outlined. :class:`BodyFigure` is the clickable widget;
:func:`figure_image` draws the same picture into an image for the record view."""

from __future__ import annotations

import base64
from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from incident_recorder.domain.body_map import (
    REGIONS,
    BodyView,
    InjuryMark,
    numbered,
    region,
    region_label,
)
from incident_recorder.domain.body_map_shapes import (
    HEIGHT,
    WIDTH,
    centre,
    label_point,
    region_at,
    shape,
)

OUTLINE = QColor("#3A3A3A")
INNER = QColor("#C4C4C4")
SKIN = QColor("#FFFFFF")
SHADE = QColor("#F2B8A2")
NUMBER = QColor("#8A1C00")
CHOSEN = QColor("#1F5FA8")
GAP = 24.0  # figure units between the front and the back
CAPTION = 30.0  # figure units above the figures for their captions
TOTAL_WIDTH = 2 * WIDTH + GAP
TOTAL_HEIGHT = HEIGHT + CAPTION

_PATHS: dict[str, QPainterPath] = {}


def region_path(code: str) -> QPainterPath:
    """The region's shape as a path in figure units (front or back at its own place)."""
    if code not in _PATHS:
        found = region(code)
        dx = WIDTH + GAP if found is not None and found.view is BodyView.BACK else 0.0
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(x + dx, y + CAPTION) for x, y in shape(code)]))
        path.closeSubpath()
        _PATHS[code] = path
    return _PATHS[code]


def paint_figure(
    painter: QPainter,
    target: QRectF,
    marks: Sequence[InjuryMark],
    chosen: str | None = None,
    hovered: str | None = None,
) -> float:
    """Draw both figures fitted into ``target``; returns the scale used."""
    scale = min(target.width() / TOTAL_WIDTH, target.height() / TOTAL_HEIGHT)
    left = target.left() + (target.width() - TOTAL_WIDTH * scale) / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(left, target.top())
    painter.scale(scale, scale)
    marked = {m.region for m in marks}
    codes = [r.code for r in REGIONS]
    # A thick outline round every region, then the fills over it: only the outline of
    # the whole figure is left; then thin lines between the regions.
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(
        QPen(
            OUTLINE, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
    )
    for code in codes:
        painter.drawPath(region_path(code))
    painter.setPen(Qt.PenStyle.NoPen)
    for code in codes:
        painter.setBrush(QBrush(SHADE if code in marked else SKIN))
        painter.drawPath(region_path(code))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(INNER, 0.6))
    for code in codes:
        painter.drawPath(region_path(code))
    for outlined, width, style in (
        (hovered, 1.4, Qt.PenStyle.DashLine),
        (chosen, 2.2, Qt.PenStyle.SolidLine),
    ):
        if outlined and region(outlined) is not None:
            painter.setPen(QPen(CHOSEN, width, style))
            painter.drawPath(region_path(outlined))
    font = QFont(painter.font())
    font.setPixelSize(11)
    painter.setFont(font)
    painter.setPen(QPen(QColor("#202020")))
    for index, (title, note) in enumerate(
        (("Front", "their right is on your left"), ("Back", "their right is on your right"))
    ):
        box = QRectF(index * (WIDTH + GAP), 0, WIDTH, 14)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, title)
        small = QFont(font)
        small.setPixelSize(9)
        painter.setFont(small)
        painter.drawText(QRectF(box.left(), 13, WIDTH, 12), Qt.AlignmentFlag.AlignCenter, note)
        painter.setFont(font)
    number_font = QFont(font)
    number_font.setPixelSize(9)
    number_font.setBold(True)
    painter.setFont(number_font)
    for n, mark in numbered(marks):
        found = region(mark.region)
        if found is None:
            continue
        x, y = centre(mark.region)
        lx, ly = label_point(mark.region)
        dx = WIDTH + GAP if found.view is BodyView.BACK else 0.0
        spot = QPointF(lx + dx, ly + CAPTION)
        painter.setPen(QPen(NUMBER, 0.8))
        painter.drawLine(QPointF(x + dx, y + CAPTION), spot)
        painter.setPen(QPen(NUMBER, 1.0))
        painter.setBrush(QBrush(SKIN))
        painter.drawEllipse(spot, 6.5, 6.5)
        painter.drawText(
            QRectF(spot.x() - 7, spot.y() - 7, 14, 14), Qt.AlignmentFlag.AlignCenter, str(n)
        )
    painter.restore()
    return scale


def figure_image(marks: Sequence[InjuryMark], height: int = 360) -> QImage:
    """The figures with ``marks`` as an image ``height`` pixels tall (white behind)."""
    width = int(height * TOTAL_WIDTH / TOTAL_HEIGHT)
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_figure(painter, QRectF(0, 0, width, height), marks)
    painter.end()
    return image


def figure_png_base64(marks: Sequence[InjuryMark], height: int = 300) -> str:
    """The figures as a PNG in base64, for an <img src="data:..."> in the record view
    (kept in memory only: nothing is written to disk)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    figure_image(marks, height).save(buffer, "PNG")  # type: ignore[call-overload]  # Qt wants str
    buffer.close()
    return base64.b64encode(bytes(data.data())).decode("ascii")


class BodyFigure(QWidget):
    """The front and back figures; a click on a region says which (``region_clicked``).
    Keyboard users choose the region from the list beside it instead."""

    region_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: tuple[InjuryMark, ...] = ()
        self._chosen: str | None = None
        self._hovered: str | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the list is the keyboard's way in
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Body map, front and back")
        self._describe()

    def sizeHint(self) -> QSize:
        height = max(360, self.fontMetrics().height() * 24)
        return QSize(int(height * TOTAL_WIDTH / TOTAL_HEIGHT), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_marks(self, marks: Sequence[InjuryMark]) -> None:
        self._marks = tuple(marks)
        self._describe()
        self.update()

    def set_chosen(self, code: str | None) -> None:
        self._chosen = code
        self._describe()
        self.update()

    def _describe(self) -> None:
        parts = []
        if self._chosen:
            parts.append(f"Chosen: {region_label(self._chosen)}.")
        marked = [f"{n}: {region_label(m.region)}" for n, m in numbered(self._marks)]
        parts.append("Marked: " + "; ".join(marked) + "." if marked else "Nothing marked yet.")
        self.setAccessibleDescription(" ".join(parts))

    # ------------------------------------------------------------------ geometry

    def _area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(2, 2, -2, -2)

    def region_at_pixel(self, point: QPointF) -> str | None:
        area = self._area()
        scale = min(area.width() / TOTAL_WIDTH, area.height() / TOTAL_HEIGHT)
        left = area.left() + (area.width() - TOTAL_WIDTH * scale) / 2
        x = (point.x() - left) / scale
        y = (point.y() - area.top()) / scale - CAPTION
        if x > WIDTH + GAP:
            return region_at(BodyView.BACK, (x - WIDTH - GAP, y))
        return region_at(BodyView.FRONT, (x, y))

    def pixel_of(self, code: str) -> QPointF:
        """Where on the widget the middle of a region is drawn (for tests and tools)."""
        area = self._area()
        scale = min(area.width() / TOTAL_WIDTH, area.height() / TOTAL_HEIGHT)
        left = area.left() + (area.width() - TOTAL_WIDTH * scale) / 2
        x, y = centre(code)
        found = region(code)
        dx = WIDTH + GAP if found is not None and found.view is BodyView.BACK else 0.0
        return QPointF(left + (x + dx) * scale, area.top() + (y + CAPTION) * scale)

    # ------------------------------------------------------------------ events

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_figure(painter, self._area(), self._marks, self._chosen, self._hovered)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        code = self.region_at_pixel(event.position())
        if code != self._hovered:
            self._hovered = code
            self.setToolTip(region_label(code) if code else "")
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if code else Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hovered = None
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.isEnabled():
            code = self.region_at_pixel(event.position())
            if code is not None:
                self.region_clicked.emit(code)
                return
        super().mousePressEvent(event)
