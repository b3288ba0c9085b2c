"""Administration ▸ Staff training…: everyone on the staff list with their
positive-handling training today and when it runs out; Add training…, Correct…,
Remove… and Import from CSV… for those who may change it; how many months training
lasts (administrators); and "Only training due in the next 60 days" (expired shown in
red with the word "expired", never colour alone). A member of staff without those
rights sees their own training only."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.training import DUE_DAYS, VALID_MONTHS_RANGE
from incident_recorder.services.training import ImportDone, TrainingService
from incident_recorder.ui.models.training_table import (
    SORT_ROLE,
    DueFilter,
    TrainingColumn,
    TrainingRow,
    TrainingTableModel,
)
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import heading, message_label, show_message
from incident_recorder.ui.training.entry_dialog import TrainingEntryDialog
from incident_recorder.ui.training.import_dialog import TrainingImportDialog


class StaffTrainingWindow(QWidget):
    def __init__(
        self, service: TrainingService, prompter: Prompter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self.setWindowTitle("Staff training" if service.may_see_all else "My training")
        self.setWindowFlag(Qt.WindowType.Window)
        self._build()
        self._connect_signals()
        self.resize(1000, 560)
        self.reload()

    def _build(self) -> None:
        title = heading(self.windowTitle(), 1.4, self)
        self.months = QSpinBox(self)
        self.months.setRange(*VALID_MONTHS_RANGE)
        self.months.setKeyboardTracking(False)
        self.months.setValue(self._service.valid_months)
        self.months.setEnabled(self._service.may_set_months)
        self.months.setAccessibleName(
            "Training lasts this many months unless it has its own expiry"
        )
        before = QLabel("Training &lasts", self)
        before.setBuddy(self.months)
        after = QLabel("months unless an entry has its own expiry date.", self)
        months_row = QHBoxLayout()
        for widget in (before, self.months, after):
            months_row.addWidget(widget)
        months_row.addStretch(1)
        self.only_due = QCheckBox(
            f"Show only training &due in the next {DUE_DAYS} days, expired or missing", self
        )
        self.only_due.setAccessibleName(f"Show only training due in the next {DUE_DAYS} days")
        months_row.addWidget(self.only_due)
        self.error = message_label("error", self)
        self.count = QLabel(self)
        self.count.setAccessibleName("How many people's training is due")
        self.model = TrainingTableModel(self)
        self.proxy = DueFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Staff and their positive-handling training")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TrainingColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TrainingColumn.COURSE, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add training…", self)
        self.correct_button = QPushButton("&Correct…", self)
        self.remove_button = QPushButton("Re&move…", self)
        self.import_button = QPushButton("&Import from CSV…", self)
        self.history_button = QPushButton("&History…", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.history_button)
        for button in (
            self.add_button,
            self.correct_button,
            self.remove_button,
            self.import_button,
        ):
            button.setVisible(self._service.may_edit)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(months_row)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        chain = [
            self.months,
            self.only_due,
            self.table,
            self.history_button,
            self.add_button,
            self.correct_button,
            self.remove_button,
            self.import_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.months.valueChanged.connect(self._on_months_value_changed)
        self.only_due.toggled.connect(self._on_only_due_toggled)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ behaviour

    def reload(self) -> None:
        try:
            overview = self._service.overview()
        except IncidentRecorderError as error:
            show_message(self.error, str(error), "error")
            return
        show_message(self.error, "")
        self._overview = overview
        rows = [TrainingRow(o.staff, o.today, DUE_DAYS) for o in overview]
        self.model.set_rows(rows)
        due = sum(1 for r in rows if r.due)
        self.count.setText(
            f"{len(rows)} on the staff list; {due} with training due, expired or missing."
            if self._service.may_see_all
            else ""
        )
        if rows:
            self.table.selectRow(0)
        self._update_buttons()

    def rows(self) -> list[TrainingRow]:
        """The rows in the order shown."""
        shown = range(self.proxy.rowCount())
        return [self.model.row(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in shown]

    def current_row(self) -> TrainingRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row(self.proxy.mapToSource(index).row())

    def select_staff(self, name: str) -> None:
        for n, row in enumerate(self.rows()):
            if row.staff.full_name == name:
                self.table.selectRow(n)
                return
        raise LookupError(name)

    @Slot()
    def _update_buttons(self) -> None:
        row = self.current_row()
        has_entry = row is not None and row.record is not None
        self.correct_button.setEnabled(has_entry)
        self.remove_button.setEnabled(has_entry)
        self.add_button.setEnabled(bool(self._overview))
        self.history_button.setEnabled(row is not None)

    def entry_dialog(self, correcting: bool = False) -> TrainingEntryDialog:
        row = self.current_row()
        courses: list[str] = []
        for o in self._overview:
            for e in o.entries:
                if e.course not in courses:
                    courses.append(e.course)
        return TrainingEntryDialog(
            self._service,
            [o.staff for o in self._overview],
            None if row is None else row.staff,
            courses,
            row.record if correcting and row is not None else None,
            self,
        )

    def import_dialog(self, path: Path) -> TrainingImportDialog | None:
        """The preview of ``path`` (None, with the reason shown, if it cannot be read)."""
        try:
            preview = self._service.import_csv(path)
        except IncidentRecorderError as error:
            show_message(self.error, str(error), "error")
            self._prompter.warn("The file could not be imported", str(error))
            return None
        show_message(self.error, "")
        dialog = TrainingImportDialog(self._service, preview, self)
        dialog.accepted.connect(self._on_import_dialog_accepted)
        return dialog

    def history_text(self) -> str:
        """Every entry, correction and removal for the person chosen, oldest first."""
        row = self.current_row()
        if row is None:
            return ""
        lines = []
        for kind, entry, note in self._service.history(row.staff.id):
            when = f"{entry.recorded_at:%d/%m/%Y}" if entry.recorded_at else ""
            what = f"{entry.course}, trained {entry.trained_on:%d/%m/%Y}"
            if entry.expires_on is not None:
                what += f", valid until {entry.expires_on:%d/%m/%Y}"
            if kind == "removal":
                lines.append(f"Removed ({what}): {note}")
            elif entry.replaces is not None:
                lines.append(f"{when} corrected by {entry.recorded_by_name}: {what}")
            else:
                lines.append(f"{when} added by {entry.recorded_by_name}: {what}")
        return "\n".join(lines) or "No training has been recorded for this person."

    def remove_current(self) -> bool:
        row = self.current_row()
        if row is None or row.record is None or row.record.id is None:
            return False
        reason = self._prompter.ask_text(
            "Remove a training entry",
            f"Why is {row.staff.full_name}'s {row.record.course} training (trained "
            f"{row.record.trained_on:%d/%m/%Y}) being removed? The entry stays in the history.",
        )
        if not reason or not reason.strip():
            return False
        try:
            self._service.remove(row.record.id, reason)
        except IncidentRecorderError as error:
            show_message(self.error, str(error), "error")
            return False
        self.reload()
        return True

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_months_value_changed(self, value: int) -> None:
        try:
            self._service.set_valid_months(value)
        except IncidentRecorderError as error:
            show_message(self.error, str(error), "error")
            return
        self.reload()

    @Slot(bool)
    def _on_only_due_toggled(self, on: bool) -> None:
        self.proxy.set_only_due(on)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        dialog = self.entry_dialog()
        dialog.accepted.connect(self.reload)
        dialog.open()

    @Slot()
    def _on_correct_button_clicked(self) -> None:
        dialog = self.entry_dialog(correcting=True)
        dialog.accepted.connect(self.reload)
        dialog.open()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_current()

    @Slot()
    def _on_history_button_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            self._prompter.inform(f"Training history: {row.staff.full_name}", self.history_text())

    @Slot()
    def _on_table_activated(self) -> None:
        """Enter or a double-click: correct the entry shown (or add one)."""
        row = self.current_row()
        if row is None or not self._service.may_edit:
            return
        dialog = self.entry_dialog(correcting=row.record is not None)
        dialog.accepted.connect(self.reload)
        dialog.open()

    @Slot()
    def _on_import_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import training from a CSV file", "", "CSV files (*.csv *.txt)"
        )
        if name:
            dialog = self.import_dialog(Path(name))
            if dialog is not None:
                dialog.open()

    @Slot()
    def _on_import_dialog_accepted(self) -> None:
        dialog = self.sender()
        self.reload()
        if isinstance(dialog, TrainingImportDialog) and dialog.done_result is not None:
            done: ImportDone = dialog.done_result
            text = f"{done.added} training {'entry' if done.added == 1 else 'entries'} imported"
            if done.staff_added:
                text += f"; {done.staff_added} added to the staff list"
            if done.skipped:
                text += f"; {done.skipped} rows for people not on the staff list left out"
            show_message(self.error, text + ".", "ok")
