"""The SENCO's pupil review: who the pupil is and their plan, the key figures, a chart of
incidents per week or month with the plan's dates and the reviews held marked, the
breakdowns, and the timeline; Record a review…, and the one-page summary as a PDF or on
paper.

The figures are read once when the window opens and again on ``reload()`` (after a
review is recorded, or when a closed window is shown again)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.domain.review import PupilReview
from incident_recorder.services.review import ReviewService
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.review.breakdowns import Breakdowns
from incident_recorder.ui.review.chart_panel import ChartPanel
from incident_recorder.ui.review.header import ReviewHeader
from incident_recorder.ui.review.record_dialog import RecordReviewDialog
from incident_recorder.ui.review.timeline import Timeline
from incident_recorder.ui.style import message_label, show_message

# (parent, pdf bytes, proposed file name, dialog title, prompter) -> the path written, or
# None if cancelled or not written (the reason already shown).
SavePdf = Callable[[QWidget, bytes, str, str, Prompter], Path | None]
# (pdf bytes, parent, print job name, before_printing=audit) -> True once printed.
PrintPdf = Callable[..., bool]


def _save_pdf_as(
    parent: QWidget, data: bytes, proposed: str, title: str, prompter: Prompter
) -> Path | None:
    from incident_recorder.ui.printing import save_pdf_as

    return save_pdf_as(parent, data, proposed, title, prompter)


def _print_pdf(data: bytes, parent: QWidget, job_name: str, **options: Any) -> bool:
    from incident_recorder.ui.printing import print_pdf

    return print_pdf(data, parent, job_name, **options)


class PupilReviewWindow(QWidget):
    review_recorded = Signal(object)  # the saved PlanReviewRecord

    def __init__(
        self,
        reviews: ReviewService,
        pupil: Pupil,
        prompter: Prompter,
        open_record: Callable[[int], object],
        parent: QWidget | None = None,
        *,
        background: Background,
        save_pdf: SavePdf = _save_pdf_as,
        print_pdf: PrintPdf = _print_pdf,
        open_plan: Callable[[Pupil], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self._reviews = reviews
        self._background = background
        self.pupil = pupil
        self._prompter = prompter
        self._open_record = open_record
        self._save_pdf = save_pdf
        self._print_pdf = print_pdf
        self._open_plan = open_plan
        self.review: PupilReview | None = None
        self.record_dialog: RecordReviewDialog | None = None
        self.setWindowTitle(f"Pupil review — {pupil.display_name}")
        self._build()
        self._connect_signals()
        self.resize(1240, 820)
        self.reload()

    def _build(self) -> None:
        self.header = ReviewHeader(self.pupil, self)
        self.error = message_label("error", self)
        # Made from the outside in, each widget with the parent it keeps: moving built
        # widgets to another parent costs about as much again as making them (the style
        # sheet is worked out afresh for each), and the screen's target is 200 ms. The
        # pages are made in the tab widget's own page stack, where addTab puts them.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.chart_panel = ChartPanel(self.splitter)
        self.splitter.addWidget(self.chart_panel)
        self.tabs = QTabWidget(self.splitter)
        self.splitter.addWidget(self.tabs)
        pages = self.tabs.findChild(QStackedWidget) or self.tabs
        self.breakdowns = Breakdowns(pages)
        self.tabs.addTab(self.breakdowns, "&Breakdowns")
        self.timeline = Timeline(pages)
        self.tabs.addTab(self.timeline, "&Timeline")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.chart_panel.setMinimumHeight(260)
        self.tabs.setMinimumHeight(200)
        self.record_button = QPushButton("&Record a review…", self)
        self.save_button = QPushButton("&Save summary as PDF…", self)
        self.print_button = QPushButton("&Print summary…", self)
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        chain = [
            self.chart_panel.by_week,
            self.chart_panel.by_month,
            self.chart_panel.chart,
            self.tabs,
            self.tabs.tabBar(),
            *(table.view for table in self.breakdowns.tables),
            self.timeline.view,
            self.record_button,
            self.save_button,
            self.print_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)

    def _connect_signals(self) -> None:
        self.timeline.incident_activated.connect(self._on_timeline_incident_activated)
        self.record_button.clicked.connect(self._on_record_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.escape.activated.connect(self.close)

    # ------------------------------------------------------------------ behaviour

    def reload(self) -> None:
        """Read the pupil's figures again and show them."""
        try:
            review = self._reviews.pupil_review(self.pupil.id)
        except IncidentRecorderError as error:
            show_message(self.error, str(error))
            return
        show_message(self.error, "")
        self.review = review
        self.header.set_review(review)
        self.chart_panel.set_review(review)
        self.breakdowns.set_review(review)
        self.timeline.set_entries(review.timeline)

    def _summary_pdf(self) -> tuple[bytes, str] | None:
        """The summary's bytes and proposed file name, or None after saying what failed."""
        pupil_id = self.pupil.id
        task = Task(
            "making the pupil summary",
            lambda services, _progress: services.reviews.summary_pdf(pupil_id),
        )
        try:
            made = self._background.call(task)
            return made.data, made.file_name
        except IncidentRecorderError as error:
            self._prompter.warn("Pupil summary", str(error))
            return None

    def _printed(self, how: str) -> bool:
        try:
            self._reviews.summary_printed(self.pupil.id, how)
        except IncidentRecorderError as error:
            self._prompter.warn("Pupil summary", str(error))
            return False
        return True

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_timeline_incident_activated(self, incident_id: int) -> None:
        self._open_record(incident_id)

    @Slot()
    def _on_record_button_clicked(self) -> None:
        if self.review is None:
            return
        dialog = RecordReviewDialog(
            self._reviews,
            self.pupil,
            self.review,
            self,
            prompter=self._prompter,
            open_plan=self._open_plan,
        )
        dialog.review_recorded.connect(self._on_record_dialog_review_recorded)
        self.record_dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_record_dialog_review_recorded(self, record: object) -> None:
        self.reload()
        self.tabs.setCurrentWidget(self.timeline)
        self.review_recorded.emit(record)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        made = self._summary_pdf()
        if made is None:
            return
        data, proposed = made
        title = "Save the pupil summary as a PDF"
        path = self._save_pdf(self, data, proposed, title, self._prompter)
        if path is not None and self._printed("saved as PDF"):
            self._prompter.inform("PDF saved", f"The pupil summary was saved as {path.name}.")

    @Slot()
    def _on_print_button_clicked(self) -> None:
        made = self._summary_pdf()
        if made is None:
            return
        # Audited just before the pages go to the printer: the log may over-report a
        # print that then fails, never miss one.
        try:
            self._print_pdf(made[0], self, "Pupil summary", before_printing=self._audit_printing)
        except IncidentRecorderError as error:
            self._prompter.warn("Pupil summary", str(error))

    def _audit_printing(self) -> None:
        self._printed("printed")
