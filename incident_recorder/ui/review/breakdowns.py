"""The pupil review's breakdowns: small read-only tables (time of day, day of week,
place, kind of antecedent, technique, injuries, floor positions, de-escalation
strategies), laid out in a grid that scrolls rather than clips."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.durations import duration_text, short_duration
from incident_recorder.domain.review import Count, PupilReview
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

Cell = str | int
COLUMNS = 3  # tables side by side


class CountsModel(ReadOnlyRowsModel):
    """Rows of a label and numbers; the numbers are right-aligned."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)

    def set_rows(self, rows: Sequence[tuple[Cell, ...]]) -> None:
        self._replace_rows(list(rows))

    def rows(self) -> list[tuple[Cell, ...]]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self._row_at(index)
        if row is None or not 0 <= index.column() < self.column_count:
            return None
        value = row[index.column()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BreakdownTable(QGroupBox):
    """A titled table sized to its rows (no inner scroll bar), with an optional note."""

    def __init__(self, title: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.model = CountsModel(headers, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(title)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # The number columns are sized once per set_rows (ResizeToContents would measure
        # every cell again at each layout); the label column takes the rest.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        self.note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_rows(self, rows: Sequence[tuple[Cell, ...]], note: str = "") -> None:
        self.model.set_rows(rows)
        for column in range(1, self.model.column_count):
            self.view.resizeColumnToContents(column)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        rows_height = sum(self.view.rowHeight(r) for r in range(self.model.rowCount()))
        header = self.view.horizontalHeader().sizeHint().height()
        self.view.setFixedHeight(header + rows_height + 2 * self.view.frameWidth() + 2)

    def rows(self) -> list[tuple[Cell, ...]]:
        return self.model.rows()


def _counts(counts: Sequence[Count]) -> list[tuple[Cell, ...]]:
    return [(c.label, c.incidents) for c in counts]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


class Breakdowns(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Built from the outside in: each table is made inside the (already placed)
        # scrolled body, since moving a built tree of widgets to a new parent costs as
        # much again as making it (the style sheet is worked out afresh for each).
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.scroll_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.time_of_day = BreakdownTable("Time of day", ("Time", "Incidents"), body)
        self.weekday = BreakdownTable("Day of the week", ("Day", "Incidents"), body)
        self.location = BreakdownTable("Place", ("Place", "Incidents"), body)
        self.antecedents = BreakdownTable("What led up to it", ("Kind", "Incidents"), body)
        self.techniques = BreakdownTable(
            "Techniques", ("Technique", "Uses", "Incidents", "Time held"), body
        )
        self.injuries = BreakdownTable("Injuries", ("Who was hurt", "Incidents"), body)
        self.floor = BreakdownTable("Floor positions", ("Position", "Incidents"), body)
        self.strategies = BreakdownTable(
            "De-escalation strategies", ("Strategy", "Tried", "Then held", "%"), body
        )
        self.strategies.setToolTip(
            "Tried: incidents in which the strategy was tried. Then held: of those, the "
            "incidents that still ended in a hold. %: how often trying it preceded a hold."
        )
        grid = QGridLayout(body)
        order = [
            self.strategies,
            self.techniques,
            self.time_of_day,
            self.weekday,
            self.location,
            self.antecedents,
            self.injuries,
            self.floor,
        ]
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(order[0], 0, 0, 1, 2, top)  # the widest, and the question asked most
        grid.addWidget(order[1], 0, 2, top)
        for n, table in enumerate(order[2:], start=3):
            grid.addWidget(table, n // COLUMNS, n % COLUMNS, top)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(grid.rowCount(), 1)
        self.tables = order

    def set_review(self, review: PupilReview) -> None:
        total = review.incidents
        self.time_of_day.set_rows(_counts(review.time_of_day))
        undated = f"{review.undated} undated incident(s) left out." if review.undated else ""
        self.weekday.set_rows(_counts(review.weekday), undated)
        self.location.set_rows(_counts(review.location))
        self.antecedents.set_rows(
            _counts(review.antecedents),
            "" if review.antecedents else "No kinds of antecedent recorded.",
        )
        self.techniques.set_rows(
            [
                (t.technique, t.holds, t.incidents, short_duration(t.seconds) or "—")
                for t in review.techniques
            ],
            _untimed(review) or ("" if review.techniques else "No holds recorded."),
        )
        injuries = review.injuries
        self.injuries.set_rows(
            [
                ("The pupil", injuries.pupil),
                ("Staff", injuries.staff),
                ("Others", injuries.others),
                ("Anyone", injuries.any),
            ],
            f"{_percent(injuries.any, total)} of incidents involved an injury." if total else "",
        )
        floor = review.floor
        self.floor.set_rows(
            [*_counts(floor.positions), ("Any floor position", floor.incidents)],
            f"{duration_text(floor.seconds)} on the floor recorded in all."
            if floor.incidents
            else "",
        )
        self.strategies.set_rows(
            [(s.strategy, s.tried, s.then_held, f"{s.percent_held}%") for s in review.strategies],
            f"Incidents with no strategy recorded: {review.no_strategy}. "
            "Then held: incidents in which the strategy was tried and a hold followed.",
        )


def _untimed(review: PupilReview) -> str:
    untimed = sum(t.untimed for t in review.techniques)
    if not untimed:
        return ""
    return f"{untimed} use(s) with no time recorded are not in the time held."
