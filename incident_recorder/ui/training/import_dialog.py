"""Import from CSV…: the preview of a file of training before anything is saved. Each
row says what will happen to it (added, for someone not on the staff list, already
recorded); the rows with a problem are listed with their row numbers; people not on
the staff list are added to it only if the box is ticked. Import saves it all at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.training import ImportRow, TrainingImport
from incident_recorder.services.training import ImportDone, TrainingService
from incident_recorder.ui.style import heading, message_label, show_message

WILL_ADD = "Will be added"
NOT_ON_LIST = "Not on the staff list: left out"
ADD_TO_LIST = "Will be added, with the person added to the staff list"
COLUMNS = ("Row", "Name", "Course", "Trained", "Valid until", "What happens")


def _date_cell(row: ImportRow) -> str:
    return "" if row.expires_on is None else f"{row.expires_on:%d/%m/%Y}"


class TrainingImportDialog(QDialog):
    def __init__(
        self, service: TrainingService, preview: TrainingImport, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._preview = preview
        self.done_result: ImportDone | None = None
        self.setWindowTitle("Import training from a CSV file")
        self.summary = QLabel(preview.summary + " Nothing is saved until you choose Import.", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the file would add")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("The rows of the file and what happens to each")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setTabChangesFocus(True)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setAccessibleName("Rows with a problem, left out")
        self.problems.setPlainText("\n".join(preview.problems))
        self.problems.setVisible(bool(preview.problems))
        self.problems.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        names = preview.unknown_names
        self.add_unknown = QCheckBox(
            f"&Add {'this person' if len(names) == 1 else f'these {len(names)} people'} to "
            f"the staff list and import their training: {', '.join(names)}",
            self,
        )
        self.add_unknown.setAccessibleName("Add the people not on the staff list")
        self.add_unknown.setVisible(bool(names))
        self.message = message_label("error", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton("&Import", self)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Check the training before it is imported", 1.2, self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        if preview.problems:
            problems_label = QLabel(
                "&Rows with a problem (left out; put them right and import again):", self
            )
            problems_label.setBuddy(self.problems)
            layout.addWidget(problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.add_unknown)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._fill()
        self._update_button()
        self._connect_signals()
        self.resize(820, 520)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.add_unknown.toggled.connect(self._on_add_unknown_toggled)

    def _fill(self) -> None:
        p = self._preview
        rows = (
            [(r, WILL_ADD) for r in p.rows]
            + [(r, NOT_ON_LIST) for r in p.unknown]
            + [(r, "Already recorded: left out") for r in p.already]
        )
        rows.sort(key=lambda pair: pair[0].row)
        self.table.setRowCount(len(rows))
        for n, (row, what) in enumerate(rows):
            cells = (
                str(row.row),
                row.name,
                row.course,
                f"{row.trained_on:%d/%m/%Y}",
                _date_cell(row),
                what,
            )
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None
        return item

    def what_happens(self) -> list[tuple[int, str]]:
        """(row number, what happens) as shown."""
        return [
            (int(self._cell(r, 0).text()), self._cell(r, 5).text())
            for r in range(self.table.rowCount())
        ]

    def _update_button(self) -> None:
        count = len(self._preview.rows) + (
            len(self._preview.unknown) if self.add_unknown.isChecked() else 0
        )
        self.import_button.setEnabled(count > 0)
        self.import_button.setText(f"&Import {count} {'entry' if count == 1 else 'entries'}")

    def _on_add_unknown_toggled(self, on: bool) -> None:
        for r in range(self.table.rowCount()):
            item = self._cell(r, 5)
            if item.text() in (NOT_ON_LIST, ADD_TO_LIST):
                item.setText(ADD_TO_LIST if on else NOT_ON_LIST)
        self._update_button()

    def _on_buttons_accepted(self) -> None:
        try:
            self.done_result = self._service.apply(self._preview, self.add_unknown.isChecked())
        except IncidentRecorderError as error:
            show_message(self.message, str(error), "error")
            return
        self.accept()
