"""The parents' duties list (once "parents to tell"): submitted records whose parents are
still to be told, sent the letter or given the written record, oldest first, with the
hours (from three days on, the days) since each incident. A pupil aged 20 or over is
never listed: the duty does not apply (section 93A)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.parents_told import ToTellRow, hours_since_text
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel
from incident_recorder.ui.tables import read_only_table

HEADERS = ("Reference", "Pupil", "Incident", "Hours since", "Still to do")
EMPTY = (
    "Every family has been told, sent the letter and given the written record. Nothing to do here."
)


class ToTellModel(ReadOnlyRowsModel):
    """The records as text cells, worked out when they arrive (the hours since each
    incident, at that moment), with each record's id for opening it."""

    headers = HEADERS

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now

    @property
    def rows(self) -> list[ToTellRow]:
        return [row for row, _ in self._rows]

    def set_rows(self, rows: list[ToTellRow]) -> None:
        now = self._now()
        self._replace_rows(
            [
                (
                    r,
                    (
                        r.reference,
                        r.pupil_name,
                        f"{r.occurred_on:%d/%m/%Y}"
                        + ("" if r.start_time is None else f" {r.start_time:%H:%M}"),
                        hours_since_text(r.hours_since(now)),
                        r.missing,
                    ),
                )
                for r in rows
            ]
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        found: tuple[ToTellRow, tuple[str, ...]] | None = self._row_at(index)
        if found is None:
            return None
        row, cells = found
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.incident_id
        return None


class ToTellWindow(QWidget):
    """A window of its own (or the school office's main content); double-click (or
    Enter) opens the record."""

    record_requested = Signal(int)

    def __init__(
        self, now: Callable[[], datetime], parent: QWidget | None = None, embedded: bool = False
    ) -> None:
        super().__init__(parent)
        # ``embedded``: the school office's main window shows the list as its content.
        self.setWindowFlag(Qt.WindowType.Window, not embedded)
        self.setWindowTitle("Parents' duties")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = ToTellModel(now, self)
        self.table = read_only_table(
            self, self.model, "Records with a duty to the parents still to do", tab_leaves=False
        )
        label = QLabel("&Records, oldest first (double-click or press Enter to open):", self)
        label.setBuddy(self.table)
        layout = QVBoxLayout(self)
        if embedded:
            layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.resize(760, 420)

    def _connect_signals(self) -> None:
        self.table.activated.connect(self._on_table_activated)

    def set_rows(self, rows: list[ToTellRow], total: int) -> None:
        self.model.set_rows(rows)
        if not rows:
            self.intro.setText(EMPTY)
        else:
            shown = "" if total <= len(rows) else f" (the oldest {len(rows):,} shown)"
            self.intro.setText(
                f"{total:,} record{'s' if total != 1 else ''} where parents are not yet "
                f"told, no letter has gone or the written record is not supplied{shown}. "
                "Parents should be told as soon as practicable, ideally the same day, and "
                "given the written record as soon as practicable."
            )
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        incident_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if isinstance(incident_id, int):
            self.record_requested.emit(incident_id)
