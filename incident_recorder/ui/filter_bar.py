"""The search and filter controls above the incident list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentQuery, IncidentStatus, Pupil
from incident_recorder.services.incidents import DirectoryService

NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "Any date"
SEARCH_DELAY_MS = 300


def pupil_entry(pupil: Pupil) -> str:
    """How a pupil appears in the suggestions: unique enough to tell two pupils apart."""
    extra = ", ".join(x for x in (pupil.year_group, pupil.upn) if x)
    return f"{pupil.sorting_name} ({extra})" if extra else pupil.sorting_name


def _labelled(text: str, field: QWidget, name: str) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(name)
    return label


class DateFilter(QDateEdit):
    """A day, or no day at all ("Any date").

    Type a date as dd/mm/yyyy (typing on "Any date" starts from today); Ctrl+Delete, or
    Delete with the whole date selected, goes back to "Any date". Tab never gets stuck.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("Any date")
        self.setDate(NO_DATE)
        self.setToolTip("Type a date as dd/mm/yyyy. Ctrl+Delete shows any date again.")

    def value(self) -> date | None:
        chosen = self.date()
        if chosen == self.minimumDate():
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(NO_DATE if value is None else QDate(value.year, value.month, value.day))

    def focusNextPrevChild(self, forward: bool) -> bool:
        if self.value() is None:  # Qt would keep Tab inside "Any date"
            return QWidget.focusNextPrevChild(self, forward)
        return super().focusNextPrevChild(forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        line = self.lineEdit()
        everything = bool(line.text()) and line.selectedText() == line.text()
        clearing = key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            everything or event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if clearing:
            self.set_value(None)
            return
        if event.text() in ("/", ".", "-") and event.text():
            at = line.selectionStart() if line.hasSelectedText() else line.cursorPosition()
            if at > 0 and line.text()[at - 1] == "/":
                return  # already moved on to the next part: typing "05/03/2026" just works
        arrow = key in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        if self.value() is None and (event.text().isdigit() or arrow):
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.Section.DaySection)
            if arrow:
                return  # the first arrow press shows today
        super().keyPressEvent(event)


class FilterBar(QWidget):
    filters_changed = Signal()

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._pupil_id: int | None = None
        self._pupil_ids: dict[str, int] = {}

        self.search = QLineEdit()
        self.search.setPlaceholderText("Reference, pupil or location")
        self.search.setClearButtonEnabled(True)
        self.pupil = QLineEdit()
        self.pupil.setPlaceholderText("Any pupil: type a name")
        self.pupil.setClearButtonEnabled(True)
        self._suggestions = QStringListModel(self)
        self._completer = QCompleter(self._suggestions, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.pupil.setCompleter(self._completer)
        self.date_from = DateFilter()
        self.date_to = DateFilter()
        self.status = QComboBox()
        self.status.addItem("Submitted records", IncidentStatus.SUBMITTED.value)
        self.status.addItem("My drafts", IncidentStatus.DRAFT.value)
        self.clear_button = QPushButton("Clear filters")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        pairs: list[tuple[str, QWidget, str]] = [
            ("&Search:", self.search, "Search by reference, pupil or location"),
            ("&Pupil:", self.pupil, "Pupil"),
            ("&From:", self.date_from, "From date"),
            ("&To:", self.date_to, "To date"),
            ("St&atus:", self.status, "Status"),
        ]
        for text, field, name in pairs:
            layout.addWidget(_labelled(text, field, name))
            layout.addWidget(field, 3 if field in (self.search, self.pupil) else 0)
            layout.addSpacing(6)
        layout.addWidget(self.clear_button)
        self.clear_button.setAccessibleName("Clear filters")
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self._search_timer.timeout.connect(self.filters_changed)
        self.pupil.textEdited.connect(self._on_pupil_text_edited)
        self.pupil.editingFinished.connect(self._on_pupil_editing_finished)
        self._completer.activated.connect(self._on_completer_activated)
        self.date_from.dateChanged.connect(self._on_date_changed)
        self.date_to.dateChanged.connect(self._on_date_changed)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

    # ------------------------------------------------------------------ state

    def query(self) -> IncidentQuery:
        """The filters as a query (the list model adds the paging)."""
        return IncidentQuery(
            text=self.search.text().strip(),
            pupil_id=self._pupil_id,
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            status=IncidentStatus(self.status.currentData()),
        )

    @property
    def active(self) -> bool:
        q = self.query()
        return bool(q.text or q.pupil_id is not None or q.date_from or q.date_to) or (
            q.status is not IncidentStatus.SUBMITTED
        )

    def set_pupil(self, pupil: Pupil | None) -> None:
        """Filter by ``pupil`` (None: any pupil)."""
        if pupil is None:
            self.pupil.clear()
            changed = self._pupil_id is not None
            self._pupil_id = None
        else:
            entry = pupil_entry(pupil)
            self._pupil_ids[entry] = pupil.id
            self.pupil.setText(entry)
            changed = self._pupil_id != pupil.id
            self._pupil_id = pupil.id
        if changed:
            self.filters_changed.emit()

    def clear(self) -> None:
        widgets = (self.search, self.pupil, self.date_from, self.date_to, self.status)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        self.pupil.clear()
        self._pupil_id = None
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self.status.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self._search_timer.stop()
        self.filters_changed.emit()

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self._search_timer.start()

    @Slot(str)
    def _on_pupil_text_edited(self, text: str) -> None:
        text = text.strip()
        if self._pupil_id is not None:
            self._pupil_id = None
            self.filters_changed.emit()
        if not text:
            return
        try:
            pupils = self._directory.search_pupils(text.split(" (")[0].replace(",", " "), 20)
        except IncidentRecorderError:
            pupils = []
        self._pupil_ids.update({pupil_entry(p): p.id for p in pupils})
        self._suggestions.setStringList([pupil_entry(p) for p in pupils])

    @Slot()
    def _on_pupil_editing_finished(self) -> None:
        text = self.pupil.text().strip()
        if not text or self._pupil_id is not None:
            return
        if text in self._pupil_ids:
            self._choose(text)
            return
        matches = self._suggestions.stringList()
        if len(matches) == 1:
            self._choose(matches[0])

    @Slot(str)
    def _on_completer_activated(self, entry: str) -> None:
        self._choose(entry)

    def _choose(self, entry: str) -> None:
        pupil_id = self._pupil_ids.get(entry)
        if pupil_id is None:
            return
        if self.pupil.text() != entry:
            self.pupil.setText(entry)
        if pupil_id != self._pupil_id:
            self._pupil_id = pupil_id
            self.filters_changed.emit()

    @Slot(QDate)
    def _on_date_changed(self, _date: QDate) -> None:
        self.filters_changed.emit()

    @Slot(int)
    def _on_status_changed(self, _index: int) -> None:
        self.filters_changed.emit()

    @Slot()
    def _on_clear_button_clicked(self) -> None:
        self.clear()
