"""The desk's parts shared by its window and the record view: a
section (an intro, a labelled table, a row of buttons) and the author's reply."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.desk import DeskService
from incident_recorder.ui.desk.models import _Rows
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.tables import read_only_table


class Section(QWidget):
    """An intro, a labelled table and a row of buttons."""

    def __init__(
        self, label: str, model: _Rows, name: str, parent: QWidget, stretch: tuple[int, ...]
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = read_only_table(self, model, name, stretch)
        caption = QLabel(label, self)
        caption.setBuddy(self.table)
        self.buttons = QHBoxLayout()
        self.open_button = self.add_button("&Open the record", "Open the chosen record")
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        self.buttons.insertWidget(max(0, self.buttons.count() - 1), button)
        return button

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def show_rows(self, rows: list[object], empty: str, intro: str) -> None:
        self.model.set_rows(list(rows))
        self.intro.setText(intro if rows else empty)
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.resizeRowsToContents()


def reply_to(service: DeskService, prompter: Prompter, request_id: int) -> bool:
    """Ask for the author's reply and keep it; False when none was given or kept."""
    text = prompter.ask_text(
        "Reply to the request", "Your reply (what you will change, or why not):", multiline=True
    )
    if text is None or not text.strip():
        return False
    try:
        service.reply(request_id, text)
    except IncidentRecorderError as error:
        prompter.warn("Reply to the request", str(error))
        return False
    return True
