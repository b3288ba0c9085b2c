"""The incidents a review considered: a checkable list of the pupil's incidents (the most
recent first), with Tick all / Untick all and how many are ticked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.review import TimelineEntry

NO_INCIDENTS = "No incidents have been recorded for this pupil."


def incident_text(entry: TimelineEntry) -> str:
    at = f" {entry.at:%H:%M}" if entry.at else ""
    return f"{entry.on:%d/%m/%Y}{at} · {entry.title} · {entry.detail}"


class IncidentsConsidered(QWidget):
    def __init__(
        self,
        timeline: Sequence[TimelineEntry],
        ticked: Iterable[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Incidents considered")
        self.tick_all = QPushButton("&Tick all", self)
        self.untick_all = QPushButton("Untic&k all", self)
        self.count = QLabel(self)
        self.count.setProperty("role", "muted")
        for button in (self.tick_all, self.untick_all):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.tick_all)
        buttons.addWidget(self.untick_all)
        buttons.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.list, self.tick_all)
        QWidget.setTabOrder(self.tick_all, self.untick_all)
        self._fill(timeline, set(ticked))
        self._connect_signals()
        self._on_list_item_changed()

    def _fill(self, timeline: Sequence[TimelineEntry], ticked: set[int]) -> None:
        entries = [e for e in timeline if e.kind == "incident" and e.incident_id]
        for entry in reversed(entries):  # the most recent first
            item = QListWidgetItem(incident_text(entry), self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = entry.incident_id in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, entry.incident_id)
        self._total = len(entries)
        if not entries:
            item = QListWidgetItem(NO_INCIDENTS, self.list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _connect_signals(self) -> None:
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.tick_all.clicked.connect(self._on_tick_all_clicked)
        self.untick_all.clicked.connect(self._on_untick_all_clicked)

    def _items(self) -> list[QListWidgetItem]:
        items = [self.list.item(row) for row in range(self.list.count())]
        return [i for i in items if i.data(Qt.ItemDataRole.UserRole)]

    def ticked(self) -> tuple[int, ...]:
        on = [i for i in self._items() if i.checkState() is Qt.CheckState.Checked]
        return tuple(sorted(int(i.data(Qt.ItemDataRole.UserRole)) for i in on))

    def ticked_text(self) -> list[str]:
        return [i.text() for i in self._items() if i.checkState() is Qt.CheckState.Checked]

    def _tick_every(self, state: Qt.CheckState) -> None:
        for item in self._items():
            item.setCheckState(state)

    @Slot()
    def _on_list_item_changed(self) -> None:
        ticked = len(self.ticked())
        self.count.setText(f"{ticked} of {self._total} ticked" if self._total else "")
        self.tick_all.setEnabled(bool(self._total))
        self.untick_all.setEnabled(bool(self._total))

    @Slot()
    def _on_tick_all_clicked(self) -> None:
        self._tick_every(Qt.CheckState.Checked)

    @Slot()
    def _on_untick_all_clicked(self) -> None:
        self._tick_every(Qt.CheckState.Unchecked)
