"""The chart with what goes around it: the "By week / By month" choice, the legend, the
sideways scrolling, the line that reads out the highlighted bar, and the empty state."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.review import PupilReview
from incident_recorder.ui.review.chart import (
    BAR_COLOUR,
    MARKER_STYLES,
    TEXT_COLOUR,
    IncidentChart,
)

NO_INCIDENTS = "No incidents recorded for this pupil."
KEYS_HINT = "Click the chart or tab to it, then use the Left and Right arrow keys to read each bar."


class ChartAxis(QWidget):
    """The whole numbers of the chart's y axis, kept in view while the bars scroll."""

    def __init__(self, chart: IncidentChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart = chart
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0000") + 12)
        chart.geometry_changed.connect(self.update)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(TEXT_COLOUR)
        height = self.fontMetrics().height()
        for tick in self._chart.ticks():
            box = QRectF(0, tick.y - height / 2, self.width() - 6, height)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick.value)
            )
        painter.end()


class LegendSwatch(QWidget):
    """A short sample of a bar or a marker line, drawn as on the chart."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setFixedSize(QSize(22, 14))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._kind == "bar":
            painter.fillRect(4, 2, 14, 12, BAR_COLOUR)
        else:
            _, colour, style = MARKER_STYLES[self._kind]
            painter.setPen(QPen(colour, 2, style))
            painter.drawLine(QPointF(11, 0), QPointF(11, 14))
        painter.end()


def legend_row(parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(4)
    entries = [("bar", "Incidents")] + [(k, v[0]) for k, v in MARKER_STYLES.items()]
    for kind, words in entries:
        row.addWidget(LegendSwatch(kind, parent))
        label = QLabel(words, parent)
        label.setProperty("role", "muted")
        row.addWidget(label)
        row.addSpacing(12)
    row.addStretch(1)
    return row


class ChartPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._review: PupilReview | None = None
        self.by_week = QRadioButton("By &week", self)
        self.by_month = QRadioButton("By &month", self)
        self.by_week.setAccessibleName("Show incidents per week")
        self.by_month.setAccessibleName("Show incidents per month")
        self.by_month.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.addButton(self.by_week)
        self.group.addButton(self.by_month)
        self.chart = IncidentChart()
        self.axis = ChartAxis(self.chart, self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.chart)
        self.described = QLabel(self)
        self.described.setWordWrap(True)
        self.described.setAccessibleName("The highlighted bar")
        self.empty = QLabel(NO_INCIDENTS, self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        self.empty.setAccessibleName(NO_INCIDENTS)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        choice = QHBoxLayout()
        title = QLabel("<b>Incidents over time</b>", self)
        choice.addWidget(title)
        choice.addSpacing(16)
        choice.addWidget(self.by_week)
        choice.addWidget(self.by_month)
        choice.addStretch(1)
        plot = QWidget(self)
        plot_row = QHBoxLayout(plot)
        plot_row.setContentsMargins(0, 0, 0, 0)
        plot_row.setSpacing(0)
        plot_row.addWidget(self.axis)
        plot_row.addWidget(self.scroll_area, 1)
        shown = QWidget(self)
        shown_layout = QVBoxLayout(shown)
        shown_layout.setContentsMargins(0, 0, 0, 0)
        shown_layout.addWidget(plot, 1)
        shown_layout.addLayout(legend_row(shown))
        shown_layout.addWidget(self.described)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(shown)
        self.stack.addWidget(self.empty)
        self.shown = shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choice)
        layout.addWidget(self.stack, 1)
        QWidget.setTabOrder(self.by_week, self.by_month)
        QWidget.setTabOrder(self.by_month, self.chart)

    def _connect_signals(self) -> None:
        self.by_week.toggled.connect(self._on_by_week_toggled)
        self.chart.current_changed.connect(self._on_chart_current_changed)
        self.scroll_area.horizontalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)

    def set_review(self, review: PupilReview) -> None:
        self._review = review
        has_bars = bool(review.months)
        self.stack.setCurrentWidget(self.shown if has_bars else self.empty)
        self.by_week.setEnabled(has_bars)
        self.by_month.setEnabled(has_bars)
        self._show()

    def _show(self) -> None:
        if self._review is None:
            return
        weekly = self.by_week.isChecked()
        periods = self._review.weeks if weekly else self._review.months
        self.chart.set_periods(periods, "week" if weekly else "month")
        self.chart.ensure_current_visible()

    @Slot(bool)
    def _on_by_week_toggled(self, _checked: bool) -> None:
        self._show()

    @Slot()
    def _on_scroll_range_changed(self) -> None:
        self.chart.ensure_current_visible()  # the bars were laid out anew

    @Slot(str)
    def _on_chart_current_changed(self, text: str) -> None:
        self.described.setText(f"{text}. {KEYS_HINT}" if text else "")
