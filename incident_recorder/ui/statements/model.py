"""The statements tables' model: one row per request (RequestState), as text cells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt

from incident_recorder.domain.statements import RequestState, parts_text, status_text
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

MINE = ("Reference", "Pupil", "Your part", "Asked", "Status")
RECORD = ("Member of staff", "Part", "Asked", "Status")


class RequestsModel(ReadOnlyRowsModel):
    """``mine``: the person's own list (which record); otherwise a record's (who)."""

    def __init__(
        self, local: Callable[[datetime], datetime], mine: bool, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._local = local
        self._mine = mine
        self.headers = MINE if mine else RECORD

    def set_states(self, states: list[RequestState]) -> None:
        rows = []
        for s in states:
            asked = f"{self._local(s.request.requested_at):%d/%m/%Y %H:%M}"
            status = status_text(s, self._local)
            cells: tuple[str, ...]
            if self._mine:
                cells = (s.reference, s.pupil_name, parts_text(s.parts), asked, status)
            else:
                cells = (s.name, parts_text(s.parts), asked, status)
            rows.append((s, cells))
        self._replace_rows(rows)

    def state(self, row: int) -> RequestState | None:
        if 0 <= row < len(self._rows):
            found: RequestState = self._rows[row][0]
            return found
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        found: tuple[RequestState, tuple[str, ...]] | None = self._row_at(index)
        if found is None:
            return None
        state, cells = found
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return state.request.id
        return None
