"""The Summary and Compliance pages of the Reports screen: totals with the same period
last year beside them, and each duty's count of the incidents it applies to (a row
opens the records behind it)."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.ui.reports.models import (
    MARK_LEGEND,
    ReportRowsModel,
    Row,
    percent_text,
    row,
)
from incident_recorder.ui.reports.tables import TableSection


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def headline(report: OversightReport) -> str:
    totals = report.totals
    where = f" at {report.school}" if report.school else ""
    change = totals.incidents - totals.last_year_incidents
    if change > 0:
        compared = (
            f"{change:,} more than the same period last year ({totals.last_year_incidents:,})"
        )
    elif change < 0:
        compared = (
            f"{-change:,} fewer than the same period last year ({totals.last_year_incidents:,})"
        )
    else:
        compared = "the same as the same period last year"
    return (
        f"{report.period.label}{where}: {_count(totals.incidents, 'incident')} involving "
        f"{_count(totals.pupils_with_incident, 'pupil')}; {compared}."
    )


class SummaryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Summary")
        self.model = ReportRowsModel(("Figure", "This period", "Same period last year"))
        self.section = TableSection("&Totals", self.model, "Totals", self, stretch=0)
        self.legend = QLabel(MARK_LEGEND, self)
        self.legend.setWordWrap(True)
        self.legend.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.section)
        layout.addWidget(self.legend)
        layout.addStretch(1)

    def show_report(self, report: OversightReport, published: PublishedReport) -> None:
        totals, p = report.totals, published
        self.headline.setText(headline(report))
        repeated = len(report.repeated)
        self.section.table.set_rows(
            [
                row(
                    ("Incidents", f"{totals.incidents:,}", f"{totals.last_year_incidents:,}"),
                    (None, p.incidents, p.last_year_incidents),
                ),
                row(("Pupils with an incident", f"{totals.pupils_with_incident:,}", "—"),
                    (None, p.pupils_with_incident)),
                row(("Pupils with more than one incident", f"{repeated:,}", "—"),
                    (None, p.repeated_pupils)),
                row(("Pupils on roll at any time in the period", f"{totals.pupils_on_roll:,}", "—"),
                    (None, p.pupils_on_roll)),
            ]
        )  # fmt: skip
        self.section.table.fit_height()


class ComplianceTab(QWidget):
    records_wanted = Signal(str, object)  # (what they are, the references)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReportRowsModel(("Figure", "Count", "Of", "%", "Better when", "Note"))
        self.model.numeric_to = 4
        self.section = TableSection(
            "&Compliance", self.model, "Compliance figures", self, stretch=5
        )
        self.section.set_note(
            "Each count is of the incidents the question applies to. Double-click a row, "
            "or press Enter, to see the records behind it."
        )
        self.legend = QLabel(MARK_LEGEND, self)
        self.legend.setWordWrap(True)
        self.legend.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.section, 1)
        layout.addWidget(self.legend)
        self.section.table.opened.connect(self._on_table_opened)

    def show_report(self, report: OversightReport, published: PublishedReport) -> None:
        papers = {c.key: c for c in published.compliance}
        rows = []
        for figure in report.compliance:
            paper = papers.get(figure.key)
            rows.append(
                row(
                    (
                        figure.label,
                        f"{figure.count:,}",
                        f"{figure.of:,}",
                        percent_text(figure.percent),
                        "higher" if figure.good_when_high else "lower",
                        figure.note,
                    ),
                    (None, paper.count, paper.of, paper.percent) if paper else (),
                    figure.references,
                )
            )
        self.section.table.set_rows(rows)

    @Slot(object)
    def _on_table_opened(self, found: Row) -> None:
        self.records_wanted.emit(found.cells[0], found.references)
