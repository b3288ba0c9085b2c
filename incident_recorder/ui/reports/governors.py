"""The Governors' report page: the head's three text boxes, "Make the governors'
report…", and the reports made earlier, each to print or save again (the PDF kept is
the very one governors saw: its hash is checked as it is read back)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.services.session import to_local
from incident_recorder.ui.reports.models import ReportRowsModel, Row
from incident_recorder.ui.reports.port import SavedLike
from incident_recorder.ui.reports.tables import TableSection

BOXES = (
    ("impact", "&Impact on children and families", "What difference has the school's work made?"),
    ("actions_taken", "Actions &taken", "What the school did in the period, and why."),
    ("actions_planned", "Actions p&lanned", "What the school will do next, and by when."),
)
INTRO = (
    "The governors' report is a PDF of this period's figures with no pupil names, small "
    "numbers shown as “fewer than 5”, and your words below. Each report made is kept, "
    "so it can be printed again and shown to be the one governors saw."
)


def saved_row(saved: SavedLike, zone: str) -> Row:
    period = saved.period.label or f"{saved.period.start:%d/%m/%Y} to {saved.period.end:%d/%m/%Y}"
    made = to_local(saved.made_at, zone)
    return Row(
        (str(saved.id), period, f"{made:%d/%m/%Y %H:%M}", saved.made_by_name,
         saved.pdf_sha256[:16])
    )  # fmt: skip


class GovernorsTab(QWidget):
    make_requested = Signal()
    print_again_requested = Signal(int)
    save_again_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.boxes: dict[str, QPlainTextEdit] = {}
        for column, (key, caption, hint) in enumerate(BOXES):
            label = QLabel(caption, self)
            box = QPlainTextEdit(self)
            box.setAccessibleName(caption.replace("&", ""))
            box.setAccessibleDescription(hint)
            box.setPlaceholderText(hint)
            box.setTabChangesFocus(True)
            label.setBuddy(box)
            grid.addWidget(label, 0, column)
            grid.addWidget(box, 1, column)
            self.boxes[key] = box
        self.make_button = QPushButton("&Make the governors' report…", self)
        self.make_button.setAccessibleName("Make the governors' report")
        self.make_button.setEnabled(False)
        self.make_button.setToolTip("Show the figures for a period first.")
        self.saved_model = ReportRowsModel(
            ("Number", "Period", "Made", "Made by", "PDF fingerprint (SHA-256, first 16)"), 9
        )
        self.saved = TableSection(
            "Reports made &earlier", self.saved_model, "Governors' reports made earlier", self, 1
        )
        self.saved.table.select_first = True
        self.print_again = QPushButton("&Print again…", self)
        self.print_again.setAccessibleName("Print the chosen report again")
        self.save_again = QPushButton("Save again as P&DF…", self)
        self.save_again.setAccessibleName("Save the chosen report again as a PDF")
        self.for_period = QLabel("Show the figures for a period first.", self)
        self.for_period.setProperty("role", "muted")
        make_row = QHBoxLayout()
        make_row.addWidget(self.make_button)
        make_row.addWidget(self.for_period, 1)
        again_row = QHBoxLayout()
        again_row.addWidget(self.print_again)
        again_row.addWidget(self.save_again)
        again_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 2)
        layout.addLayout(make_row)
        layout.addWidget(self.saved, 1)
        layout.addLayout(again_row)
        self.make_button.clicked.connect(self.make_requested)
        self.print_again.clicked.connect(self._on_print_again_clicked)
        self.save_again.clicked.connect(self._on_save_again_clicked)
        self.saved.table.opened.connect(self._on_saved_opened)
        self._enable_again()

    def ready_for(self, label: str) -> None:
        """The figures shown are for ``label``: the report will be made from them."""
        self.make_button.setEnabled(True)
        self.make_button.setToolTip(f"A PDF for {label}")
        self.for_period.setText(f"From the figures shown: {label}.")

    def texts(self) -> GovernorsTexts:
        words = {key: box.toPlainText().strip() for key, box in self.boxes.items()}
        return GovernorsTexts(**words)

    def show_saved(self, saved: Sequence[SavedLike], zone: str) -> None:
        self.saved.table.set_rows([saved_row(s, zone) for s in saved])
        self.saved.set_note("" if saved else "No governors' report has been made yet.")
        self._enable_again()

    def chosen_id(self) -> int | None:
        found = self.saved.table.current_row()
        return int(found.cells[0]) if found is not None else None

    def _enable_again(self) -> None:
        has = self.saved_model.rowCount() > 0
        self.print_again.setEnabled(has)
        self.save_again.setEnabled(has)

    @Slot()
    def _on_print_again_clicked(self) -> None:
        chosen = self.chosen_id()
        if chosen is not None:
            self.print_again_requested.emit(chosen)

    @Slot()
    def _on_save_again_clicked(self) -> None:
        chosen = self.chosen_id()
        if chosen is not None:
            self.save_again_requested.emit(chosen)

    @Slot(object)
    def _on_saved_opened(self, _row: Row) -> None:
        self._on_print_again_clicked()
