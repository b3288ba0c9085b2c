"""Every version of a submitted record, and what changed between any two of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.diff import FieldChange
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentVersion
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import to_local
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

CHANGE_HEADINGS = ("Section", "Field", "Before", "After")


def version_label(version: IncidentVersion, zone: str) -> str:
    when = to_local(version.saved_at, zone).strftime("%d/%m/%Y %H:%M")
    kind = "submitted" if version.number == 1 else "amended"
    return f"Version {version.number}: {kind} {when} by {version.saved_by_name}"


class FieldChangeModel(ReadOnlyRowsModel):
    """The changed fields between two versions: Section, Field, Before, After."""

    headers = CHANGE_HEADINGS

    def set_changes(self, changes: Sequence[FieldChange]) -> None:
        self._replace_rows(list(changes))

    def change(self, row: int) -> FieldChange:
        change: FieldChange = self._rows[row]
        return change

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1  # the changes are numbered
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        change: FieldChange | None = self._row_at(index)
        if change is None:
            return None
        values = (change.section, change.label, change.before, change.after)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return values[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{CHANGE_HEADINGS[index.column()]}: {values[index.column()]}"
        return None


class VersionCompare(QWidget):
    """The version list, two version pickers and the table of changed fields."""

    def __init__(self, incidents: IncidentService, zone: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._incidents = incidents
        self._zone = zone
        self._versions: list[IncidentVersion] = []
        self.versions = QTableWidget(0, 4)
        self.versions.setHorizontalHeaderLabels(["Version", "Saved", "By", "Reason"])
        self.versions.setAccessibleName("Versions")
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.versions.setTabKeyNavigation(False)
        self.versions.verticalHeader().setVisible(False)
        self.versions.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.before = QComboBox()
        self.after = QComboBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.model = FieldChangeModel(self)
        self.changes = QTableView()
        self.changes.setModel(self.model)
        self.changes.setAccessibleName("Changed fields")
        self.changes.setWordWrap(True)
        self.changes.setStyleSheet("QTableView::item { padding: 3px 4px; }")
        self.changes.setTabKeyNavigation(False)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes.verticalHeader().setVisible(False)
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.changes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        versions_label = QLabel("&Versions (select two to compare them):")
        versions_label.setBuddy(self.versions)
        pick = QHBoxLayout()
        for text, combo, name in (
            ("Compare &version:", self.before, "Compare version"),
            ("&with version:", self.after, "With version"),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            combo.setAccessibleName(name)
            pick.addWidget(label)
            pick.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(versions_label)
        layout.addWidget(self.versions, 1)
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(self.changes, 3)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.versions.itemSelectionChanged.connect(self._on_versions_item_selection_changed)
        self.before.currentIndexChanged.connect(self._on_combo_changed)
        self.after.currentIndexChanged.connect(self._on_combo_changed)

    def set_versions(self, versions: Sequence[IncidentVersion]) -> None:
        self._versions = list(versions)
        self.versions.setRowCount(len(self._versions))
        for row, v in enumerate(self._versions):
            when = to_local(v.saved_at, self._zone).strftime("%d/%m/%Y %H:%M")
            reason = v.reason or "First submitted"
            for column, text in enumerate((str(v.number), when, v.saved_by_name, reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.versions.setItem(row, column, item)
        self.versions.resizeColumnsToContents()
        self.versions.horizontalHeader().setStretchLastSection(True)
        shown_rows = min(max(len(self._versions), 2), 6)
        self.versions.setMaximumHeight(
            self.versions.horizontalHeader().height()
            + shown_rows * self.versions.verticalHeader().defaultSectionSize()
            + 2 * self.versions.frameWidth()
            + 2
        )
        for combo in (self.before, self.after):
            combo.blockSignals(True)
            combo.clear()
            for v in self._versions:
                combo.addItem(version_label(v, self._zone), v.number)
            combo.blockSignals(False)
        if len(self._versions) > 1:
            self.compare(self._versions[-2].number, self._versions[-1].number)
        else:
            self.model.set_changes([])
            self.summary.setText(
                "This record has not been amended: there is only the version that was submitted."
            )

    def compare(self, before: int, after: int) -> None:
        """Show what changed from version ``before`` to version ``after``."""
        for combo, number in ((self.before, before), (self.after, after)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(number)))
            combo.blockSignals(False)
        self._show_changes()

    def _show_changes(self) -> None:
        by_number = {v.number: v for v in self._versions}
        first = by_number.get(self.before.currentData())
        second = by_number.get(self.after.currentData())
        if first is None or second is None:
            return
        if first.number == second.number:
            self.model.set_changes([])
            self.summary.setText("Choose two different versions to see what changed.")
            return
        try:
            changes = self._incidents.compare(first, second)
        except IncidentRecorderError as error:
            self.model.set_changes([])
            self.summary.setText(str(error))
            return
        self.model.set_changes(changes)
        n = len(changes)
        if n == 0:
            text = f"Nothing differs between version {first.number} and version {second.number}."
        else:
            fields = "field" if n == 1 else "fields"
            text = f"{n} {fields} changed from version {first.number} to version {second.number}."
            if second.reason and second.number == first.number + 1:
                text += f" Reason given: “{second.reason}”"
        self.summary.setText(text)

    @Slot()
    def _on_versions_item_selection_changed(self) -> None:
        rows = sorted({i.row() for i in self.versions.selectedIndexes()})
        if len(rows) == 2:
            self.compare(self._versions[rows[0]].number, self._versions[rows[1]].number)

    @Slot(int)
    def _on_combo_changed(self, _index: int) -> None:
        self._show_changes()
