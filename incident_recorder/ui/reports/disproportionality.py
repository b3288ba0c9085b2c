"""The Disproportionality page: for each characteristic, each group's pupils on roll,
pupils with an incident and incidents, each as a rate per 100 pupils on roll, and the
risk ratio against all other pupils with its 95% confidence interval, read out in
plain words. A group is flagged (in words and colour) only where the whole interval
sits above 1; a group too small for a ratio says why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.oversight.disproportionality import ratio_text as printed_ratio
from incident_recorder.domain.oversight.figures import GroupRow, OversightReport, RiskRatio
from incident_recorder.domain.oversight.published import PublishedGroup, PublishedReport
from incident_recorder.ui.reports.models import MARK_LEGEND, ReportRowsModel, Row, rate_text, row
from incident_recorder.ui.reports.tables import TableSection

HEADERS = (
    "Group",
    "On roll",
    "With an\nincident",
    "Incidents",
    "With an incident\nper 100 on roll",
    "Incidents per\n100 on roll",
    "Risk ratio\n(95% CI)",
    "Flag",
    "What it means",
)
FLAG_COLUMN = HEADERS.index("Flag")
# Every characteristic's table has the same columns, in characters (a marked figure,
# "4 (on paper: fewer than 5)", wraps onto two lines); "What it means" takes the rest.
COLUMN_CHARS = (22, 14, 14, 14, 15, 15, 24, 11)
FLAG_TEXT = "Flagged: more likely"
INTRO = (
    "For each group: how many pupils were on roll at any time in the period, how many "
    "had at least one incident, and the rates per 100 pupils on roll (joiners and "
    "leavers count by their days on roll). The risk ratio compares the group's chance of "
    "at least one incident with all other pupils'; a group is flagged only where the "
    "whole 95% confidence interval is above 1."
)


def ratio_text(ratio: RiskRatio | None) -> str:
    """As paper prints it (two places where one would print 0.0 or "1.0 to 1.0")."""
    return "No ratio" if ratio is None else printed_ratio(ratio)


def group_row(group: GroupRow, paper: PublishedGroup | None) -> Row:
    flagged = group.ratio is not None and group.ratio.flagged
    reading = group.reading if group.ratio is not None else group.no_ratio_reason
    shown = (
        (None, paper.on_roll, paper.with_incident, paper.incidents,
         paper.rate_per_100, paper.incidents_per_100)
        if paper is not None else ()
    )  # fmt: skip
    return row(
        (
            group.group_label,
            f"{group.on_roll:,}",
            f"{group.with_incident:,}",
            f"{group.incidents:,}",
            rate_text(group.rate_per_100),
            rate_text(group.incidents_per_100),
            ratio_text(group.ratio),
            FLAG_TEXT if flagged else "",
            reading,
        ),
        shown,
        flagged=flagged,
        flag_column=FLAG_COLUMN,
    )


class DisproportionalityTab(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.page = QWidget(self)
        intro = QLabel(INTRO, self.page)
        intro.setWordWrap(True)
        legend = QLabel(MARK_LEGEND, self.page)
        legend.setWordWrap(True)
        legend.setProperty("role", "muted")
        self.sections: list[TableSection] = []
        self.column = QVBoxLayout()
        self.column.setSpacing(14)
        layout = QVBoxLayout(self.page)
        layout.addWidget(intro)
        layout.addWidget(legend)
        layout.addLayout(self.column)
        layout.addStretch(1)
        self.setWidget(self.page)

    def show_report(self, report: OversightReport, published: PublishedReport) -> None:
        for section in self.sections:
            self.column.removeWidget(section)
            section.deleteLater()
        self.sections = []
        papers = {c.key: c for c in published.disproportionality}
        for table in report.disproportionality:
            paper = papers.get(table.key)
            model = ReportRowsModel(HEADERS)
            model.numeric_to = FLAG_COLUMN
            section = TableSection(table.label, model, table.label, self.page, stretch=8)
            rows = [
                group_row(g, paper.groups[i] if paper and i < len(paper.groups) else None)
                for i, g in enumerate(table.groups)
            ]
            header = section.table.horizontalHeader()
            char = section.table.fontMetrics().averageCharWidth()
            for column, chars in enumerate(COLUMN_CHARS):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(column, chars * char + 12)
            section.table.set_rows(rows)
            section.table.fit_height(20)
            # Never taller than its caption and table: the page's stretch takes the rest.
            section.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            self.column.addWidget(section)
            self.sections.append(section)
