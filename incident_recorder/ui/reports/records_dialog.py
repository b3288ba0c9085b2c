"""The records behind a figure: a list (only those the viewer may see) from which a
record opens the usual way, in its own record view."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from incident_recorder.domain.model import IncidentSummary
from incident_recorder.ui.reports.models import ReportRowsModel, Row
from incident_recorder.ui.reports.tables import ReportTable
from incident_recorder.ui.review.chart import plural


def summary_row(summary: IncidentSummary) -> Row:
    day = "" if summary.occurred_on is None else f"{summary.occurred_on:%d/%m/%Y}"
    start = "" if summary.start is None else f"{summary.start:%H:%M}"
    return Row(
        (summary.reference or "", day, start, summary.pupil_name, summary.location,
         summary.author_name),
        references=(str(summary.id),),
    )  # fmt: skip


class RecordsDialog(QDialog):
    def __init__(
        self,
        title: str,
        records: Sequence[IncidentSummary],
        asked_for: int,
        open_record: Callable[[int], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_record = open_record
        self.setWindowTitle(f"Records behind: {title}")
        self.model = ReportRowsModel(
            ("Reference", "Date", "Time", "Pupil", "Place", "Recorded by"), 9
        )
        self.table = ReportTable(self.model, f"Records behind {title}", self, stretch=4)
        self.table.select_first = True
        self.table.set_rows([summary_row(r) for r in records])
        words = f"{plural(len(records), 'record')} behind “{title}”."
        if len(records) < asked_for:
            more = asked_for - len(records)
            verb = "is" if more == 1 else "are"
            words += f" {plural(more, 'more record')} {verb} not yours to see."
        words += " Press Enter or double-click to open one."
        self.intro = QLabel(words, self)
        self.intro.setWordWrap(True)
        self.intro.setBuddy(self.table)
        self.open_button = QPushButton("&Open the record", self)
        self.open_button.setAccessibleName("Open the chosen record")
        self.open_button.setEnabled(bool(records))
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(860, 480)
        self.table.opened.connect(self._on_table_opened)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.table.setFocus()

    def open_current(self) -> None:
        found = self.table.current_row()
        if found is not None:
            self._open_record(int(found.references[0]))

    @Slot(object)
    def _on_table_opened(self, _row: Row) -> None:
        self.open_current()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self.open_current()
