"""The pupil review's chart: incidents per week or per month as bars, drawn with
QPainter (no QtCharts), with the plan's start and review dates and the reviews held
marked as vertical lines.

The chart takes the keyboard focus: Left and Right (Home, End) move a highlighted bar,
whose words ("March 2026: 4 incidents") go to the chart's accessible description and to
``current_changed`` for a label under the chart. Hovering a bar shows the same words.
With many weeks the bars keep a minimum width and the chart scrolls sideways; the whole
numbers of the y axis stay in view beside it (``chart_panel.ChartAxis``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QToolTip, QWidget

from incident_recorder.domain.review import Marker, PeriodCount

BAR_COLOUR = QColor("#7f9bb8")
CURRENT_COLOUR = QColor("#2f5f8a")
GRID_COLOUR = QColor("#e1e6eb")
AXIS_COLOUR = QColor("#6b7785")
TEXT_COLOUR = QColor("#333333")

# kind -> (legend words, colour, pen style)
MARKER_STYLES: dict[str, tuple[str, QColor, Qt.PenStyle]] = {
    "plan_start": ("Plan started", QColor("#1e6b34"), Qt.PenStyle.SolidLine),
    "plan_review": ("Plan review date", QColor("#c2410c"), Qt.PenStyle.DashLine),
    "review": ("Review held", QColor("#7b2d8e"), Qt.PenStyle.DotLine),
}
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MIN_SLOT = {"week": 12.0, "month": 30.0}
MAX_BAR = 46.0
MAX_SLOT = 72.0  # a few bars stay together on the left rather than spread thinly
TOP, BOTTOM, SIDE = 12, 40, 8  # margins around the plot, in pixels


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def bar_text(period: PeriodCount) -> str:
    """What a bar says: "March 2026: 4 incidents", with the dates marked in it."""
    text = f"{period.label}: {plural(period.incidents, 'incident')}"
    for marker in period.markers:
        text += f"; {marker.label} on {marker.on:%d/%m/%Y}"
    return text


def nice_top(largest: int) -> tuple[int, int]:
    """The axis's top value and step: whole numbers, at most about five steps."""
    if largest <= 0:
        return 1, 1
    step = 1
    for factor in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        step = factor
        if math.ceil(largest / factor) <= 5:
            break
    return step * math.ceil(largest / step), step


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


class IncidentChart(QWidget):
    current_changed = Signal(str)  # the words of the highlighted bar
    geometry_changed = Signal()  # the plot's height or scale changed (for the axis)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.periods: tuple[PeriodCount, ...] = ()
        self.by = "month"
        self.current = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart of incidents per month")

    # ------------------------------------------------------------------ data

    def set_periods(self, periods: Sequence[PeriodCount], by: str) -> None:
        """Show ``periods`` (weeks or months, ``by`` is "week" or "month"); the last bar
        with incidents is highlighted."""
        self.periods = tuple(periods)
        self.by = by
        self.setAccessibleName(f"Chart of incidents per {by}")
        busy = [i for i, p in enumerate(self.periods) if p.incidents]
        self.current = busy[-1] if busy else len(self.periods) - 1
        self.updateGeometry()
        self.update()
        self.geometry_changed.emit()
        self._announce()

    def values(self) -> list[int]:
        return [p.incidents for p in self.periods]

    def current_text(self) -> str:
        if not 0 <= self.current < len(self.periods):
            return ""
        return bar_text(self.periods[self.current])

    def set_current(self, index: int) -> None:
        if not self.periods:
            return
        index = max(0, min(index, len(self.periods) - 1))
        if index != self.current:
            self.current = index
            self.update()
            self._announce()
        self.ensure_current_visible()

    def _announce(self) -> None:
        text = self.current_text()
        self.setAccessibleDescription(text)
        self.current_changed.emit(text)

    def ensure_current_visible(self) -> None:
        """Scroll an enclosing scroll area sideways so the highlighted bar is in view."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if not isinstance(area, QScrollArea) or not 0 <= self.current < len(self.periods):
            return
        bar = self.bar_rect(self.current)
        margin = self.slot() * 2
        bar_left, bar_right = bar.left() - margin, bar.right() + margin
        scroll = area.horizontalScrollBar()
        if bar_left < scroll.value():
            scroll.setValue(int(bar_left))
        elif bar_right > scroll.value() + viewport.width():  # type: ignore[union-attr]
            scroll.setValue(int(bar_right - viewport.width()))  # type: ignore[union-attr]

    # ------------------------------------------------------------------ geometry

    def minimum_plot_width(self) -> float:
        return len(self.periods) * MIN_SLOT.get(self.by, 12.0)

    def sizeHint(self) -> QSize:
        return QSize(max(400, int(self.minimum_plot_width()) + 2 * SIDE), 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self.minimum_plot_width()) + 2 * SIDE, 120)

    def plot_rect(self) -> QRectF:
        return QRectF(SIDE, TOP, self.width() - 2 * SIDE, max(20, self.height() - TOP - BOTTOM))

    def slot(self) -> float:
        if not self.periods:
            return 0.0
        return min(self.plot_rect().width() / len(self.periods), MAX_SLOT)

    def scale(self) -> tuple[int, int]:
        return nice_top(max(self.values(), default=0))

    def ticks(self) -> list[Tick]:
        top, step = self.scale()
        plot = self.plot_rect()
        return [Tick(v, plot.bottom() - plot.height() * v / top) for v in range(0, top + 1, step)]

    def bar_rect(self, index: int) -> QRectF:
        plot, slot = self.plot_rect(), self.slot()
        top, _ = self.scale()
        width = min(slot * 0.72, MAX_BAR)
        height = plot.height() * self.periods[index].incidents / top
        left = plot.left() + slot * index + (slot - width) / 2
        return QRectF(left, plot.bottom() - height, width, height)

    def bar_at(self, x: float) -> int:
        slot = self.slot()
        if not slot:
            return -1
        index = int((x - self.plot_rect().left()) // slot)
        return index if 0 <= index < len(self.periods) else -1

    def marker_x(self, index: int, marker: Marker) -> float:
        period = self.periods[index]
        days = (period.end - period.start).days + 1
        into = ((marker.on - period.start).days + 0.5) / days
        return self.plot_rect().left() + self.slot() * (index + into)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.geometry_changed.emit()

    # ------------------------------------------------------------------ input

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {
            Qt.Key.Key_Left: self.current - 1,
            Qt.Key.Key_Right: self.current + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: len(self.periods) - 1,
        }
        key = Qt.Key(event.key())
        if key in moves and self.periods:
            self.set_current(moves[key])
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().x())
        if index >= 0:
            self.set_current(index)
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.bar_at(event.pos().x())
            if index >= 0:
                QToolTip.showText(event.globalPos(), bar_text(self.periods[index]), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.ensure_current_visible()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # ------------------------------------------------------------------ drawing

    def x_labels(self) -> list[tuple[int, str, str]]:
        """(bar index, label, year line) for the bars labelled, thinned so labels never
        overlap; the year is shown under the first label and when it changes."""
        if not self.periods:
            return []
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(self._short(p)) for p in self.periods) + 10
        every = max(1, math.ceil(widest / max(self.slot(), 1.0)))
        if self.by == "month" and every > 1:
            every = next((n for n in (2, 3, 4, 6, 12) if n >= every), every)
        out, year = [], None
        for index in range(0, len(self.periods), every):
            start = self.periods[index].start
            out.append(
                (
                    index,
                    self._short(self.periods[index]),
                    "" if start.year == year else str(start.year),
                )
            )
            year = start.year
        return out

    def _short(self, period: PeriodCount) -> str:
        month = SHORT_MONTHS[period.start.month - 1]
        return month if self.by == "month" else f"{period.start.day} {month}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        plot = self.plot_rect()
        painter.fillRect(self.rect(), self.palette().base())
        for tick in self.ticks():
            painter.setPen(QPen(GRID_COLOUR if tick.value else AXIS_COLOUR, 1))
            painter.drawLine(QPointF(plot.left(), tick.y), QPointF(plot.right(), tick.y))
        for index in range(len(self.periods)):
            colour = CURRENT_COLOUR if index == self.current else BAR_COLOUR
            painter.fillRect(self.bar_rect(index), colour)
        self._draw_markers(painter, plot)
        self._draw_labels(painter, plot)
        if self.hasFocus() and 0 <= self.current < len(self.periods):
            slot = self.slot()
            box = QRectF(plot.left() + slot * self.current, plot.top(), slot, plot.height())
            painter.setPen(QPen(CURRENT_COLOUR, 1, Qt.PenStyle.DashLine))
            painter.drawRect(box.adjusted(0.5, -4, -0.5, 2))
        painter.end()

    def _draw_markers(self, painter: QPainter, plot: QRectF) -> None:
        for index, period in enumerate(self.periods):
            for marker in period.markers:
                _, colour, style = MARKER_STYLES.get(marker.kind, MARKER_STYLES["review"])
                x = self.marker_x(index, marker)
                painter.setPen(QPen(colour, 2, style))
                painter.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()))

    def _draw_labels(self, painter: QPainter, plot: QRectF) -> None:
        painter.setPen(TEXT_COLOUR)
        line = self.fontMetrics().height()
        slot = self.slot()
        for index, label, year in self.x_labels():
            centre = plot.left() + slot * (index + 0.5)
            painter.setPen(AXIS_COLOUR)
            painter.drawLine(QPointF(centre, plot.bottom()), QPointF(centre, plot.bottom() + 3))
            painter.setPen(TEXT_COLOUR)
            for row, text in enumerate((label, year)):
                if text:
                    box = QRectF(centre - 40, plot.bottom() + 4 + row * line, 80, line)
                    painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, text)
