"""The pupil chooser: search as you type, Enter chooses. Choosing a pupil clears the
search and its list, so a stray Enter cannot choose another child. (A staff-involved
row is in staff_row.py.)"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.services.incidents import DirectoryService


def pupil_line(pupil: Pupil) -> str:
    year = pupil.year_group or "year group not recorded"
    upn = f"UPN {pupil.upn}" if pupil.upn else "no UPN"
    left = f" (left {pupil.left_on.strftime('%d/%m/%Y')})" if pupil.left_on else ""
    return f"{pupil.display_name} — {year} — {upn}{left}"


class PupilChooser(QWidget):
    """Type part of a name or UPN; the matches appear below. Enter (or Down, then
    Enter) chooses one."""

    changed = Signal()
    add_requested = Signal()

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._pupil: Pupil | None = None
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type part of the pupil's name or UPN")
        self.search.setAccessibleName("Search for the pupil")
        self.search.setClearButtonEnabled(True)
        self.results_label = QLabel("&Matching pupils (Enter chooses):", self)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Matching pupils")
        self.results_label.setBuddy(self.results)
        lines = self.results.fontMetrics().lineSpacing()
        self.results.setMaximumHeight(lines * 6 + 8)
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.chosen.setAccessibleName("Chosen pupil")
        self.add_button = QPushButton("&Add a pupil who is not on the list…", self)
        self.add_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results_label)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen)
        layout.addLayout(buttons)
        self.setFocusProxy(self.search)
        self._show_chosen()
        self._set_results_visible(False)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.itemClicked.connect(self._on_results_item_activated)
        self.add_button.clicked.connect(self.add_requested)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.results.count()
        ):
            self.results.setFocus()
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    def _set_results_visible(self, visible: bool) -> None:
        self.results.setVisible(visible)
        self.results_label.setVisible(visible)

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self.results.clear()
        if not text.strip():
            self._set_results_visible(False)
            return
        try:
            found = self._directory.search_pupils(text, 20)
        except IncidentRecorderError as error:
            found = []
            self.results.addItem(str(error))
        for pupil in found:
            item = QListWidgetItem(pupil_line(pupil))
            item.setData(Qt.ItemDataRole.UserRole, pupil)
            self.results.addItem(item)
        if not found:
            self.results.addItem("No pupil matches. Check the spelling, or add the pupil.")
        self.results.setCurrentRow(0)
        self._set_results_visible(True)

    @Slot()
    def _on_search_return_pressed(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._on_results_item_activated(item)

    @Slot(QListWidgetItem)
    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        pupil = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(pupil, Pupil):
            self.set_pupil(pupil)
            self.search.setFocus()

    def set_pupil(self, pupil: Pupil | None) -> None:
        """Show ``pupil`` as chosen. The search and its list are cleared, so that
        nothing is left highlighted for a stray Enter to choose."""
        changed = (pupil.id if pupil else None) != self.pupil_id()
        self._pupil = pupil
        self.search.clear()  # hides the list
        self._show_chosen()
        if changed:
            self.changed.emit()

    def load(self, pupil_id: int | None) -> None:
        pupil = None
        if pupil_id is not None:
            try:
                pupil = self._directory.pupil(pupil_id)
            except IncidentRecorderError:
                pupil = Pupil(id=pupil_id, upn="", first_name="Pupil", last_name=str(pupil_id))
        self.search.clear()
        self.set_pupil(pupil)

    def _show_chosen(self) -> None:
        text = f"Chosen: {pupil_line(self._pupil)}" if self._pupil else "No pupil chosen yet."
        self.chosen.setText(text)
        self.search.setAccessibleDescription(text)

    def pupil_id(self) -> int | None:
        return self._pupil.id if self._pupil else None
