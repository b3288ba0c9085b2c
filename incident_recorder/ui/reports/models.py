"""The Reports screen's tables: one read-only model whose rows carry their cells, which
cells paper would hide (true figures marked on screen), the records behind the row
(for opening them) and whether the row is flagged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from incident_recorder.domain.oversight.published import Shown
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

HIDDEN_BACKGROUND = QColor("#fff4ce")  # the banner's yellow: shown here, not on paper
FLAG_BACKGROUND = QColor("#fde7e9")  # the warning's red
FLAG_TEXT_COLOUR = QColor("#a4262c")
REFERENCES_ROLE = Qt.ItemDataRole.UserRole + 1
HIDDEN_ROLE = Qt.ItemDataRole.UserRole + 2
MARK_LEGEND = (
    "A figure marked “on paper: …” is the true count, shown only here: the governors' "
    "report and the exported data show it as written, so that no child can be identified."
)


def on_paper(shown: Shown | None) -> str:
    """The words added to a true figure that paper would not show ("" when it would)."""
    if shown is None or not shown.hidden:
        return ""
    return f"on paper: {shown.text}"


def marked(text: str, shown: Shown | None) -> str:
    note = on_paper(shown)
    return f"{text} ({note})" if note else text


def percent_text(value: float | None) -> str:
    """Whole percentages, with one decimal under 10% so a few in thousands is not 0%."""
    if value is None:
        return "—"
    return f"{value:.1f}%" if 0 < value < 10 else f"{value:.0f}%"


def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    hidden: tuple[bool, ...] = ()  # per cell: paper would not show this figure
    references: tuple[str, ...] = ()
    flagged: bool = False
    flag_column: int = -1  # the cell coloured when flagged (-1: the whole row)

    def is_hidden(self, column: int) -> bool:
        return column < len(self.hidden) and self.hidden[column]


def row(
    cells: Sequence[str],
    shown: Sequence[Shown | None] = (),
    references: Sequence[str] = (),
    flagged: bool = False,
    flag_column: int = -1,
) -> Row:
    """A row whose figure cells are marked where their ``shown`` (same place) is hidden."""
    hidden = tuple(bool(s is not None and s.hidden) for s in shown)
    texts = tuple(
        marked(text, shown[i] if i < len(shown) else None) for i, text in enumerate(cells)
    )
    return Row(texts, hidden, tuple(references), flagged, flag_column)


class ReportRowsModel(ReadOnlyRowsModel):
    """Rows of :class:`Row` under ``headers``; columns from ``numeric_from`` on are
    figures (right-aligned)."""

    def __init__(
        self, headers: Sequence[str], numeric_from: int = 1, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self.numeric_from = numeric_from
        self.numeric_to = len(self.headers)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self._replace_rows(list(rows))

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_value(self, index: int) -> Row | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        found: Row | None = self._row_at(index)
        column = index.column()
        if found is None or not 0 <= column < self.column_count:
            return None
        text = found.cells[column] if column < len(found.cells) else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.numeric_from <= column < self.numeric_to:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if found.flagged and found.flag_column in (-1, column):
                return QBrush(FLAG_BACKGROUND)
            if found.is_hidden(column):
                return QBrush(HIDDEN_BACKGROUND)
            return None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and found.flagged
            and found.flag_column in (-1, column)
        ):
            return QBrush(FLAG_TEXT_COLOUR)
        if role == Qt.ItemDataRole.FontRole and found.flagged and found.flag_column == column:
            font = QFont()
            font.setBold(True)
            return font
        if role == REFERENCES_ROLE:
            return found.references
        if role == HIDDEN_ROLE:
            return found.is_hidden(column)
        return None
