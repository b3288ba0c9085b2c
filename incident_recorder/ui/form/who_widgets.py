"""The pupil chooser (search as you type) and a staff-involved row."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
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
from incident_recorder.domain.model import Pupil, StaffMember, StaffPart
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.ui.form.rows import Row
from incident_recorder.ui.form.widgets import set_placeholder


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
        changed = (pupil.id if pupil else None) != self.pupil_id()
        self._pupil = pupil
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


class StaffRow(Row):
    """A member of staff (typed with completion from the staff list) and their part."""

    noun = "staff member"

    def __init__(self, staff: list[StaffMember], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.setMinimumContentsLength(20)
        set_placeholder(self.name, "Type a name")
        completer = QCompleter(self.name.model(), self.name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.name.setCompleter(completer)
        self.set_staff(staff)
        self.part = QComboBox(self)
        self.part.setPlaceholderText("Choose their part")
        for part in StaffPart:
            self.part.addItem(part.label, part.value)
        self.part.setCurrentIndex(-1)
        self.add_input("Name:", self.name, 1)
        self.add_input("Part:", self.part)
        self.problem = QLabel(self)
        self.problem.setObjectName("formatHint")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.line.addWidget(self.problem, 1)
        self.name.currentTextChanged.connect(self._on_input_text_changed)
        self.part.currentTextChanged.connect(self._on_input_text_changed)

    def set_staff(self, staff: list[StaffMember]) -> None:
        keep = self.name.currentText()
        self.name.blockSignals(True)
        self.name.clear()
        for member in staff:
            self.name.addItem(member.full_name, member.id)
        self.name.setCurrentIndex(-1)
        self.name.setEditText(keep)
        self.name.blockSignals(False)

    @Slot(str)
    def _on_input_text_changed(self, _text: str) -> None:
        staff_id, part = self.value()
        problem = ""
        if self.name.currentText().strip() and staff_id is None:
            problem = "Not on the staff list: choose a name from the list, or add them."
        elif staff_id is not None and part is None:
            problem = "Choose their part."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.problem.setAccessibleName(problem)

    def staff_id(self) -> int | None:
        text = self.name.currentText().strip()
        index = self.name.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        data = self.name.itemData(index) if index >= 0 else None
        return data if isinstance(data, int) else None

    def set_value(self, staff_id: int, name: str, part: StaffPart | None) -> None:
        index = self.name.findData(staff_id)
        if index < 0:
            self.name.addItem(name, staff_id)
            index = self.name.count() - 1
        self.name.setCurrentIndex(index)
        self.part.setCurrentIndex(-1 if part is None else self.part.findData(part.value))

    def value(self) -> tuple[int | None, StaffPart | None]:
        part = self.part.currentData()
        return self.staff_id(), StaffPart(part) if part else None
