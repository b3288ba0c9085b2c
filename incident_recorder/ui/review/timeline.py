"""The pupil review's timeline: incidents, plan versions and the reviews held, oldest
first, each kind named in its own column and colour. Enter or a double-click on an
incident opens its record (``incident_activated``)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.review import TimelineEntry
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

KINDS = {"incident": "Incident", "plan": "Plan", "review": "Review"}
KIND_COLOURS = {"plan": "#1e6b34", "review": "#7b2d8e"}
KIND_BACKGROUNDS = {"plan": "#eef6f0", "review": "#f5eef8"}
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class TimelineColumn(IntEnum):
    DATE = 0
    TIME = 1
    KIND = 2
    WHAT = 3
    DETAIL = 4


HEADERS = ("Date", "Time", "Kind", "What", "Details")


def cell_text(entry: TimelineEntry, column: int) -> str:
    if column == TimelineColumn.DATE:
        return f"{entry.on:%d/%m/%Y}"
    if column == TimelineColumn.TIME:
        return f"{entry.at:%H:%M}" if entry.at else ""
    if column == TimelineColumn.KIND:
        return KINDS.get(entry.kind, entry.kind.capitalize())
    if column == TimelineColumn.WHAT:
        return entry.title
    return entry.detail


class TimelineModel(ReadOnlyRowsModel):
    headers = HEADERS

    def set_entries(self, entries: tuple[TimelineEntry, ...]) -> None:
        self._replace_rows(list(entries))

    def entry(self, row: int) -> TimelineEntry:
        entry: TimelineEntry = self._rows[row]
        return entry

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self._row_at(index)
        if entry is None or not 0 <= index.column() < self.column_count:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = " Press Enter to open the record." if entry.kind == "incident" else ""
            return f"{entry.title}: {entry.detail}.{hint}"
        if role == Qt.ItemDataRole.ForegroundRole and entry.kind in KIND_COLOURS:
            return QBrush(QColor(KIND_COLOURS[entry.kind]))
        if role == Qt.ItemDataRole.BackgroundRole and entry.kind in KIND_BACKGROUNDS:
            return QBrush(QColor(KIND_BACKGROUNDS[entry.kind]))
        if role == ENTRY_ROLE:
            return entry
        return None


class Timeline(QWidget):
    incident_activated = Signal(int)  # the incident's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TimelineModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Timeline of incidents, plans and reviews")
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # The columns are sized from the texts when the entries arrive, not by the header
        # measuring every cell (ResizeToContents reads all rows at every layout).
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TimelineColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.hint = QLabel("&Open an incident's record with Enter or a double-click:", self)
        self.hint.setBuddy(self.view)
        self.hint.setProperty("role", "muted")
        self.empty = QLabel("Nothing on the timeline yet.", self)
        self.empty.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.view.activated.connect(self._on_view_activated)

    def set_entries(self, entries: tuple[TimelineEntry, ...]) -> None:
        self.model.set_entries(entries)
        self._size_columns(entries)
        self.empty.setVisible(not entries)
        if entries:
            self.view.selectRow(len(entries) - 1)  # the latest, as the chart does
            self.view.scrollToBottom()

    def _size_columns(self, entries: tuple[TimelineEntry, ...]) -> None:
        """Each column but the details as wide as its widest text: the fixed formats
        measured once, the kinds and titles from their distinct texts."""
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        header_metrics = header.fontMetrics()
        padding = 2 * self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 14
        samples = {
            TimelineColumn.DATE: {"00/00/0000"},
            TimelineColumn.TIME: {"00:00"},
            TimelineColumn.KIND: set(KINDS.values()) | {cell_text(e, 2) for e in entries},
            TimelineColumn.WHAT: {e.title for e in entries},
        }
        for column, texts in samples.items():
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            title = header_metrics.horizontalAdvance(HEADERS[column]) + 8
            header.resizeSection(column, max(widest, title) + padding)

    def entries(self) -> list[TimelineEntry]:
        return [self.model.entry(r) for r in range(self.model.rowCount())]

    @Slot()
    def _on_view_activated(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        entry = self.model.entry(index.row())
        if entry.kind == "incident" and entry.incident_id is not None:
            self.incident_activated.emit(entry.incident_id)
