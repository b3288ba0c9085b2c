"""Marking one person's injuries on the body map, in the injuries step.

Click a place on the figure, or choose it from the list of every region (the keyboard's
way, and what a screen reader reads), choose what kind of injury it is and add a note,
then add it to the numbered list. A mark is removed from the list the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.body_map import (
    LEFT_RIGHT_NOTE,
    MAX_MARKS,
    NOTE_LIMIT,
    REGIONS,
    InjuryKind,
    InjuryMark,
    numbered,
    region_label,
)
from incident_recorder.ui.body_map_figure import BodyFigure


def mark_line(n: int, mark: InjuryMark) -> str:
    kind = mark.kind.label if mark.kind else "Kind not chosen"
    note = f": {mark.note.strip()}" if mark.note.strip() else ""
    return f"{n}. {kind}, {region_label(mark.region)}{note}"


class BodyMapEditor(QWidget):
    """The marks on one person's body map. ``changed`` when a mark is added or removed."""

    changed = Signal()

    def __init__(self, whose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._whose = whose
        self._marks: list[InjuryMark] = []
        self.figure = BodyFigure(self)
        self.figure.setAccessibleName(f"Body map of {whose}, front and back")
        self.region_box = QComboBox(self)
        self.region_box.addItem("Choose where…", None)
        for r in REGIONS:
            self.region_box.addItem(region_label(r.code), r.code)
        self.region_box.setAccessibleName(f"Where on {whose}'s body")
        self.region_box.setMaxVisibleItems(20)
        self.kind_box = QComboBox(self)
        self.kind_box.addItem("Choose the kind…", None)
        for kind in InjuryKind:
            self.kind_box.addItem(kind.label, kind.value)
        self.kind_box.setAccessibleName("Kind of injury")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note about this injury")
        self.note.setPlaceholderText("For example: about 3 cm, faint (needed for 'Other')")
        self.note.setMaxLength(NOTE_LIMIT)
        self.add_button = QPushButton("&Add to the list", self)
        self.add_button.setAccessibleName(f"Add this injury to {whose}'s list")
        self.marks_list = QListWidget(self)
        self.marks_list.setAccessibleName(f"Injuries marked on {whose}")
        self.marks_list.setMaximumHeight(self.fontMetrics().height() * 7)
        self.remove_button = QPushButton("&Remove the chosen mark", self)
        self.remove_button.setAccessibleName(f"Remove the chosen mark from {whose}'s list")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self._layout()
        self._connect_signals()
        self._refresh()

    def _layout(self) -> None:
        note = QLabel(LEFT_RIGHT_NOTE, self)
        note.setWordWrap(True)
        note.setObjectName("fieldHint")
        form = QFormLayout()
        for text, widget in (
            ("W&here:", self.region_box),
            ("&Kind:", self.kind_box),
            ("N&ote:", self.note),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        marked = QLabel("Marked so far:", self)
        marked.setBuddy(self.marks_list)
        side.addWidget(marked)
        side.addWidget(self.marks_list)
        side.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addWidget(self.status)
        side.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.figure, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(side, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(note)
        outer.addLayout(row)
        QWidget.setTabOrder(self.region_box, self.kind_box)
        QWidget.setTabOrder(self.kind_box, self.note)
        QWidget.setTabOrder(self.note, self.add_button)
        QWidget.setTabOrder(self.add_button, self.marks_list)
        QWidget.setTabOrder(self.marks_list, self.remove_button)

    def _connect_signals(self) -> None:
        self.figure.region_clicked.connect(self._on_figure_region_clicked)
        self.region_box.currentIndexChanged.connect(self._on_region_box_changed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.marks_list.currentRowChanged.connect(self._on_marks_list_row_changed)

    # ------------------------------------------------------------------ values

    def value(self) -> tuple[InjuryMark, ...]:
        return tuple(self._marks)

    def set_value(self, marks: tuple[InjuryMark, ...]) -> None:
        self._marks = list(marks)
        self._refresh()

    def chosen_region(self) -> str | None:
        code = self.region_box.currentData()
        return code if isinstance(code, str) else None

    def _refresh(self) -> None:
        self.marks_list.clear()
        for n, mark in numbered(self._marks):
            item = QListWidgetItem(mark_line(n, mark))
            item.setData(Qt.ItemDataRole.UserRole, n - 1)
            self.marks_list.addItem(item)
        self.figure.set_marks(self._marks)
        full = len(self._marks) >= MAX_MARKS
        self.add_button.setEnabled(not full and self.chosen_region() is not None)
        self.remove_button.setEnabled(self.marks_list.currentRow() >= 0)
        if full:
            self.status.setText(
                f"{MAX_MARKS} marks is the most one body map takes: describe any more in "
                "the written description above."
            )
        elif not self._marks:
            self.status.setText(f"Nothing is marked on {self._whose}'s body map yet.")
        else:
            self.status.setText("")

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def _on_figure_region_clicked(self, code: str) -> None:
        index = self.region_box.findData(code)
        if index >= 0:
            self.region_box.setCurrentIndex(index)
            self.region_box.setFocus(Qt.FocusReason.MouseFocusReason)

    @Slot(int)
    def _on_region_box_changed(self, _index: int) -> None:
        self.figure.set_chosen(self.chosen_region())
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        full = len(self._marks) >= MAX_MARKS
        self.add_button.setEnabled(not full and self.chosen_region() is not None)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        code = self.chosen_region()
        if code is None or len(self._marks) >= MAX_MARKS:
            return
        kind_value = self.kind_box.currentData()
        kind = InjuryKind(kind_value) if isinstance(kind_value, str) else None
        self._marks.append(InjuryMark(code, kind, self.note.text().strip()))
        self.region_box.setCurrentIndex(0)
        self.kind_box.setCurrentIndex(0)
        self.note.clear()
        self._refresh()  # says so when the map is now full
        added = f"Added: {mark_line(len(self._marks), self._marks[-1])}."
        limit = self.status.text() if len(self._marks) >= MAX_MARKS else ""
        self.status.setText(f"{added} {limit}".strip())
        self.changed.emit()
        self.region_box.setFocus()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.marks_list.currentRow()
        if not 0 <= row < len(self._marks):
            return
        removed = self._marks.pop(row)
        self._refresh()
        self.status.setText(f"Removed: {region_label(removed.region)}.")
        self.changed.emit()

    @Slot(int)
    def _on_marks_list_row_changed(self, row: int) -> None:
        self.remove_button.setEnabled(row >= 0)
        if 0 <= row < len(self._marks):
            self.figure.set_chosen(self._marks[row].region)
