"""The Reports screen's charts: incidents per week or per month as bars (the pupil
review's chart, ui/review/chart.py), with the same period last year as a dark tick on
each bar's place and the first day of each term as a dashed line. The table beside
each chart holds the same numbers for screen-reader users."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from incident_recorder.domain.oversight.figures import SeriesPoint
from incident_recorder.domain.review import PeriodCount
from incident_recorder.ui.review.chart import AXIS_COLOUR, TEXT_COLOUR, IncidentChart, plural

LAST_YEAR_COLOUR = QColor("#333333")
TERM_COLOUR = QColor("#1e6b34")


def _end(point: SeriesPoint, by: str) -> date:
    if by == "week":
        return point.start + timedelta(days=6)
    last = calendar.monthrange(point.start.year, point.start.month)[1]
    return point.start.replace(day=last)


def point_text(point: SeriesPoint, by: str) -> str:
    when = f"Week of {point.start:%d/%m/%Y}" if by == "week" else f"{point.start:%B %Y}"
    return f"{when}: {plural(point.count, 'incident')} (same {by} last year: {point.last_year})"


class SeriesChart(IncidentChart):
    """Bars with last year's ticks and the term boundaries (see the module notes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: tuple[SeriesPoint, ...] = ()
        self.term_starts: tuple[date, ...] = ()

    def set_series(
        self, points: Sequence[SeriesPoint], by: str, term_starts: Sequence[date]
    ) -> None:
        self.points = tuple(points)
        self.term_starts = tuple(term_starts)
        periods = [PeriodCount(p.start, _end(p, by), p.label, p.count) for p in self.points]
        self.set_periods(periods, by)
        self.setAccessibleName(f"Chart of incidents per {by}, with the same {by} last year")

    def values(self) -> list[int]:
        return [max(p.count, p.last_year) for p in self.points]

    def current_text(self) -> str:
        if not 0 <= self.current < len(self.points):
            return ""
        point = self.points[self.current]
        text = point_text(point, self.by)
        starts = [d for d in self.term_starts if point.start <= d <= _end(point, self.by)]
        return text + "".join(f"; a term starts on {d:%d/%m/%Y}" for d in starts)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.bar_at(event.pos().x())
            if 0 <= index < len(self.points):
                QToolTip.showText(event.globalPos(), point_text(self.points[index], self.by), self)
                return True
        return super().event(event)

    def term_x(self, day: date) -> float | None:
        for index, point in enumerate(self.points):
            end = _end(point, self.by)
            if point.start <= day <= end:
                into = (day - point.start).days / ((end - point.start).days + 1)
                return self.plot_rect().left() + self.slot() * (index + into)
        return None

    def _draw_labels(self, painter: QPainter, plot: QRectF) -> None:
        """As the pupil review's chart, each label kept inside the widget (the first
        week's "31 Aug" is not cut to "1 Aug")."""
        line = self.fontMetrics().height()
        slot = self.slot()
        for index, label, year in self.x_labels():
            centre = plot.left() + slot * (index + 0.5)
            painter.setPen(AXIS_COLOUR)
            painter.drawLine(QPointF(centre, plot.bottom()), QPointF(centre, plot.bottom() + 3))
            painter.setPen(TEXT_COLOUR)
            metrics = self.fontMetrics()
            for row, text in enumerate((label, year)):
                if text:
                    width = metrics.horizontalAdvance(text) + 2
                    left = min(max(0.0, centre - width / 2), self.width() - width)
                    box = QRectF(left, plot.bottom() + 4 + row * line, width, line)
                    painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, text)

    def _draw_markers(self, painter: QPainter, plot: QRectF) -> None:
        top, _ = self.scale()
        painter.setPen(QPen(LAST_YEAR_COLOUR, 2))
        for index, point in enumerate(self.points):
            y = plot.bottom() - plot.height() * point.last_year / top
            bar = self.bar_rect(index)
            if point.last_year:
                painter.drawLine(QPointF(bar.left() - 2, y), QPointF(bar.right() + 2, y))
        painter.setPen(QPen(TERM_COLOUR, 2, Qt.PenStyle.DashLine))
        for day in self.term_starts:
            x = self.term_x(day)
            if x is not None:
                painter.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()))
