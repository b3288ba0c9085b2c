"""Who took part in a review: a name and a role typed, Add puts them on a list, Remove
takes the chosen one off. Each person is kept as one line, "Name (role)"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from incident_recorder.ui.dates import key_is_enter


def participant_text(name: str, role: str) -> str:
    name, role = " ".join(name.split()), " ".join(role.split())
    return f"{name} ({role})" if role else name


class ParticipantsEditor(QWidget):
    """Name + role + Add, and the list of people added so far with Remove."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name of a person who took part")
        self.name.setPlaceholderText("e.g. Siân Griffiths")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Their role")
        self.role.setPlaceholderText("e.g. SENCO, class teacher, mum")
        name_label = QLabel("&Name:", self)
        name_label.setBuddy(self.name)
        role_label = QLabel("R&ole:", self)
        role_label.setBuddy(self.role)
        self.add_button = QPushButton("&Add person", self)
        self.add_button.setAutoDefault(False)
        self.add_button.setAccessibleName("Add this person to the list of who took part")
        self.list = QListWidget(self)
        self.list.setAccessibleName("People who took part")
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 4 + 8)
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.setAccessibleName("Remove the chosen person from the list")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(name_label, 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(role_label, 0, 2)
        grid.addWidget(self.role, 0, 3)
        grid.addWidget(self.add_button, 0, 4)
        grid.addWidget(self.list, 1, 0, 1, 4)
        grid.addWidget(self.remove_button, 1, 4, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        QWidget.setTabOrder(self.name, self.role)
        QWidget.setTabOrder(self.role, self.add_button)
        QWidget.setTabOrder(self.add_button, self.list)
        QWidget.setTabOrder(self.list, self.remove_button)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        # Enter in the name or role adds the person (and does not press Save).
        self.name.installEventFilter(self)
        self.role.installEventFilter(self)
        self.name.textChanged.connect(self._update_buttons)
        self.list.currentRowChanged.connect(self._update_buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.name, self.role)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and key_is_enter(event)
            and self.name.text().strip()
        ):
            self._on_add_button_clicked()
            return True
        return super().eventFilter(watched, event)

    def participants(self) -> tuple[str, ...]:
        """Everyone on the list, plus a name typed but not yet added."""
        people = [self.list.item(row).text() for row in range(self.list.count())]
        pending = self.pending()
        if pending:
            people.append(pending)
        return tuple(people)

    def pending(self) -> str:
        """A name typed but not added yet ("" if none)."""
        if not self.name.text().strip():
            return ""
        return participant_text(self.name.text(), self.role.text())

    def add(self, name: str, role: str = "") -> None:
        if name.strip():
            self.list.addItem(participant_text(name, role))
            self.changed.emit()
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.name.text().strip()))
        self.remove_button.setEnabled(self.list.currentRow() >= 0)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        if not self.name.text().strip():
            return
        self.add(self.name.text(), self.role.text())
        self.name.clear()
        self.role.clear()
        self.name.setFocus()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()
        self._update_buttons()
