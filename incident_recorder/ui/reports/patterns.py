"""The Patterns page: incidents per week and per month (a chart with the same numbers
in a table beside it), the breakdowns by place, time of day, day of week, kind,
technique and antecedent with last year's column, and the pupils with more than one
incident (named only for those who may see names). Rows open the records behind them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.oversight.figures import OversightReport, SeriesPoint
from incident_recorder.domain.oversight.published import PublishedReport, PublishedSeriesPoint
from incident_recorder.ui.reports.chart import LAST_YEAR_COLOUR, TERM_COLOUR, SeriesChart
from incident_recorder.ui.reports.models import MARK_LEGEND, ReportRowsModel, Row, row
from incident_recorder.ui.reports.tables import TableSection
from incident_recorder.ui.review.chart_panel import ChartAxis

KEYS = "Tab to the chart, then use the Left and Right arrow keys to read each bar."
COLUMNS = 2  # breakdown tables side by side


def _legend(parent: QWidget) -> QLabel:
    bar, tick, term = "#7f9bb8", LAST_YEAR_COLOUR.name(), TERM_COLOUR.name()
    label = QLabel(
        f"<span style='color:{bar}'>■</span> This period &nbsp; "
        f"<span style='color:{tick}'>▬</span> Same period last year &nbsp; "
        f"<span style='color:{term}'>┆</span> A term starts",
        parent,
    )
    label.setProperty("role", "muted")
    label.setAccessibleName("Key: bars this period, ticks last year, dashed lines term starts")
    return label


class ChartBlock(QWidget):
    """A chart (scrolling sideways, its axis kept in view) and its table beside it."""

    def __init__(self, title: str, by: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by = by
        self.chart = SeriesChart()
        self.axis = ChartAxis(self.chart, self)
        self.area = QScrollArea(self)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.area.setWidget(self.chart)
        self.area.setMinimumHeight(240)
        self.described = QLabel(self)
        self.described.setWordWrap(True)
        self.described.setAccessibleName(f"The highlighted {by}")
        heading = "Week starting" if by == "week" else "Month"
        words = title.replace("&", "")
        self.model = ReportRowsModel((heading, "Incidents", "Last year"))
        self.section = TableSection(f"{words}: table", self.model, f"{words}: table", self)
        self.section.setMinimumWidth(380)
        plot = QHBoxLayout()
        plot.setSpacing(0)
        plot.addWidget(self.axis)
        plot.addWidget(self.area, 1)
        left = QVBoxLayout()
        caption = QLabel(f"<b>{title}</b>", self)
        caption.setBuddy(self.chart)
        left.addWidget(caption)
        left.addLayout(plot, 1)
        left.addWidget(_legend(self))
        left.addWidget(self.described)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addWidget(self.section, 2)
        self.chart.current_changed.connect(self._on_chart_current_changed)

    def show_series(
        self,
        points: Sequence[SeriesPoint],
        shown: Sequence[PublishedSeriesPoint],
        term_starts: Sequence[date],
    ) -> None:
        self.chart.set_series(points, self.by, term_starts)
        rows = []
        for i, point in enumerate(points):
            paper = shown[i] if i < len(shown) else None
            when = f"{point.start:%d/%m/%Y}" if self.by == "week" else f"{point.start:%B %Y}"
            rows.append(
                row(
                    (when, f"{point.count:,}", f"{point.last_year:,}"),
                    (None, paper.count, paper.last_year) if paper else (),
                )
            )
        self.section.table.set_rows(rows)
        self.section.table.setMinimumHeight(240)

    @Slot(str)
    def _on_chart_current_changed(self, text: str) -> None:
        self.described.setText(f"{text}. {KEYS}" if text else "")


class PatternsTab(QScrollArea):
    records_wanted = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget(self)
        self.weekly = ChartBlock("Incidents per &week", "week", page)
        self.monthly = ChartBlock("Incidents per &month", "month", page)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(14)
        self.sections: list[TableSection] = []
        self.repeated_model = ReportRowsModel(("Pupil", "Incidents"))
        self.repeated = TableSection(
            "Pupils with more than one incident", self.repeated_model, "Repeated pupils", page
        )
        self.repeated.table.opened.connect(self._on_table_opened)
        legend = QLabel(MARK_LEGEND, page)
        legend.setWordWrap(True)
        legend.setProperty("role", "muted")
        layout = QVBoxLayout(page)
        layout.addWidget(self.weekly)
        layout.addWidget(self.monthly)
        layout.addLayout(self.grid)
        layout.addWidget(self.repeated)
        layout.addWidget(legend)
        layout.addStretch(1)
        self.setWidget(page)
        self.page = page

    def show_report(self, report: OversightReport, published: PublishedReport) -> None:
        self.weekly.show_series(report.weekly, published.weekly, report.term_starts)
        self.monthly.show_series(report.monthly, published.monthly, report.term_starts)
        papers = {p.key: p for p in published.patterns}
        for section in self.sections:
            self.grid.removeWidget(section)
            section.deleteLater()
        self.sections = []
        for number, table in enumerate(report.patterns):
            paper = papers.get(table.key)
            model = ReportRowsModel(
                (_row_heading(table.title), "This period", "Same period last year")
            )
            section = TableSection(table.title, model, table.title, self.page)
            if table.multi:
                section.set_note("One incident may count in more than one row.")
            rows: list[Row] = []
            for i, pattern_row in enumerate(table.rows):
                shown = paper.rows[i] if paper and i < len(paper.rows) else None
                rows.append(
                    row(
                        (pattern_row.label, f"{pattern_row.count:,}", f"{pattern_row.last_year:,}"),
                        (None, shown.count, shown.last_year) if shown else (),
                        pattern_row.references,
                    )
                )
            section.table.set_rows(rows)
            section.table.fit_height()
            section.table.opened.connect(self._on_table_opened)
            self.grid.addWidget(
                section, number // COLUMNS, number % COLUMNS, Qt.AlignmentFlag.AlignTop
            )
            self.sections.append(section)
        self._show_repeated(report)

    def _show_repeated(self, report: OversightReport) -> None:
        rows = []
        for number, pupil in enumerate(report.repeated):
            name = pupil.name if report.names_shown and pupil.name else _letter_name(number)
            rows.append(row((name, f"{pupil.incidents:,}"), (), pupil.references))
        self.repeated.table.set_rows(rows)
        self.repeated.table.fit_height(10)
        self.repeated.set_note(
            "" if report.names_shown else "Names are shown only to those whose role may see them."
        )

    @Slot(object)
    def _on_table_opened(self, found: Row) -> None:
        if found.references:
            self.records_wanted.emit(found.cells[0], found.references)


def _row_heading(title: str) -> str:
    """ "Incidents by place" or "By place" -> "Place"."""
    words = title.split(" by ", 1)[-1] if " by " in title else title.removeprefix("By ")
    return words[:1].upper() + words[1:]


def _letter_name(number: int) -> str:
    letters = ""
    n = number
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return f"Pupil {letters}"
