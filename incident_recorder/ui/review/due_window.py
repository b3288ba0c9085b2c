"""Pupils ▸ Plan reviews due: every pupil whose behaviour support plan needs a review
(past its review date, N or more incidents since the last review, incidents but no
plan, SEND, an EHCP or looked after with incidents and no plan). Enter or a double-click
opens that pupil's review."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.domain.review import ReviewDue
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.services.review import THRESHOLD_RANGE, ReviewService
from incident_recorder.ui.models.due_table import SORT_ROLE, DueColumn, DueRow, DueTableModel
from incident_recorder.ui.style import heading, message_label, show_message

NOTHING_DUE = (
    "No plan reviews are due. Every pupil with incidents has a behaviour support plan, "
    "no plan is past its review date, and no pupil has reached the number of incidents "
    "chosen above since their last review."
)


def count_text(rows: list[ReviewDue]) -> str:
    pupils = len({r.pupil_id for r in rows})
    if not pupils:
        return "No pupils need a review."
    who = "1 pupil needs a review" if pupils == 1 else f"{pupils} pupils need a review"
    if len(rows) > pupils:
        who += f" ({len(rows)} reasons in all)"
    return who + "."


class ReviewsDueWindow(QWidget):
    def __init__(
        self,
        reviews: ReviewService,
        directory: DirectoryService,
        open_review: Callable[[Pupil], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reviews = reviews
        self._directory = directory
        self._open_review = open_review
        self._pupils: dict[int, Pupil | None] = {}
        self.setWindowTitle("Plan reviews due")
        self.setWindowFlag(Qt.WindowType.Window)
        self._build()
        self._connect_signals()
        self.resize(1100, 600)
        self.reload()

    def _build(self) -> None:
        title = heading("Plan reviews due", 1.4, self)
        self.threshold = QSpinBox(self)
        self.threshold.setRange(*THRESHOLD_RANGE)
        self.threshold.setKeyboardTracking(False)  # typed numbers count on Enter or Tab
        self.threshold.setAccessibleName(
            "List pupils with at least this many incidents since their last review"
        )
        self.threshold.setValue(self._reviews.threshold)
        self.threshold.setEnabled(self._reviews.may_set_threshold)
        before = QLabel("&List pupils with at least", self)
        before.setBuddy(self.threshold)
        after = QLabel("incidents since their last review.", self)
        self.refresh_button = QPushButton("&Refresh", self)
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(before)
        threshold_row.addWidget(self.threshold)
        threshold_row.addWidget(after)
        threshold_row.addStretch(1)
        threshold_row.addWidget(self.refresh_button)
        self.error = message_label("error", self)
        self.count = QLabel(self)
        self.count.setAccessibleName("How many pupils need a review")
        self.model = DueTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Pupils whose plan needs a review")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DueColumn.REASON, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)  # the details are a sentence: show all of it
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DueColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(NOTHING_DUE, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setProperty("role", "muted")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.open_button = QPushButton("&Open the pupil review", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(threshold_row)
        layout.addWidget(self.error)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        chain = [self.threshold, self.refresh_button, self.table, self.open_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.threshold.valueChanged.connect(self._on_threshold_value_changed)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ behaviour

    def reload(self) -> None:
        """Read the list again (e.g. after a review was recorded)."""
        try:
            due = self._reviews.reviews_due()
        except IncidentRecorderError as error:
            show_message(self.error, str(error))
            return
        show_message(self.error, "")
        self._pupils = {}  # names may have changed since the last look
        self.model.set_rows([DueRow(d, self._pupil(d.pupil_id)) for d in due])
        self.count.setText(count_text(due))
        self.stack.setCurrentWidget(self.table if due else self.empty)
        if due:
            self.table.selectRow(0)
        self._update_buttons()

    def _pupil(self, pupil_id: int) -> Pupil | None:
        if pupil_id not in self._pupils:
            try:
                self._pupils[pupil_id] = self._directory.pupil(pupil_id)
            except IncidentRecorderError:
                self._pupils[pupil_id] = None
        return self._pupils[pupil_id]

    def rows(self) -> list[DueRow]:
        """The rows in the order shown."""
        shown = range(self.proxy.rowCount())
        source = [self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in shown]
        return [self.model.row(row) for row in source]

    def current_row(self) -> DueRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row(self.proxy.mapToSource(index).row())

    @Slot()
    def _update_buttons(self) -> None:
        row = self.current_row()
        self.open_button.setEnabled(row is not None and row.pupil is not None)

    def _open_current(self) -> None:
        row = self.current_row()
        if row is not None and row.pupil is not None:
            self._open_review(row.pupil)

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_threshold_value_changed(self, value: int) -> None:
        try:
            self._reviews.set_threshold(value)
        except IncidentRecorderError as error:
            show_message(self.error, str(error))
            return
        self.reload()

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.reload()

    @Slot()
    def _on_table_activated(self) -> None:
        self._open_current()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self._open_current()
