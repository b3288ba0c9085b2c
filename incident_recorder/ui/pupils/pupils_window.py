"""The pupil list: find a pupil, open their page, add one by hand, import from the MIS."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.services.pupils import PupilService
from incident_recorder.ui.models.pupil_table import PupilColumn, PupilTableModel


class PupilsWindow(QWidget):
    """Emits ``pupil_opened(Pupil)``, ``add_requested`` and ``import_requested``; the
    owner (PupilActions) opens the page or dialog."""

    pupil_opened = Signal(object)
    add_requested = Signal()
    import_requested = Signal()

    def __init__(self, service: PupilService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle("Pupils")
        self.model = PupilTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, UPN, year or class")
        self.search.setAccessibleName("Find a pupil")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("&Find a pupil:")
        search_label.setBuddy(self.search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Pupils")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PupilColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            PupilColumn.NAME, QHeaderView.ResizeMode.Stretch
        )
        self.count = QLabel()
        self.open_button = QPushButton("&Open")
        self.add_button = QPushButton("&Add pupil…")
        self.import_button = QPushButton("&Import from a CSV file…")
        for button in (self.add_button, self.import_button):
            button.setVisible(service.may_edit)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        for button in (self.open_button, self.add_button, self.import_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._connect_signals()
        self.resize(900, 600)
        self.refresh()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.table.activated.connect(self._on_table_activated)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.add_button.clicked.connect(self.add_requested)
        self.import_button.clicked.connect(self.import_requested)

    def refresh(self) -> None:
        try:
            pupils = self._service.search("")
        except IncidentRecorderError as error:
            self.count.setText(str(error))
            return
        self.model.set_pupils(pupils)
        self._update_count()

    def visible_pupils(self) -> list[Pupil]:
        rows = range(self.proxy.rowCount())
        return [
            self.model.pupil(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in rows
        ]

    def current_pupil(self) -> Pupil | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.pupil(self.proxy.mapToSource(index).row())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            text = "No pupils yet. Import them from a CSV file or add one by hand."
        elif shown == total:
            text = f"{total} pupil{'s' if total != 1 else ''}"
        else:
            text = f"{shown} of {total} pupils match"
        self.count.setText(text)

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        pupil = self.current_pupil()
        if pupil is not None:
            self.pupil_opened.emit(pupil)

    @Slot()
    def _on_table_activated(self) -> None:
        self._on_open_button_clicked()
