"""The Reports screen's period: this term, last term, this school year, last school
year (from the school's calendar) or custom dates typed as dd/mm/yyyy."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from incident_recorder.domain.oversight.facts import Period
from incident_recorder.ui.dates import DateEdit, date_text

CUSTOM = "Custom dates"
PeriodChoices = Callable[[], Sequence[Period]]


def custom_label(period: Period) -> str:
    return f"{date_text(period.start)} to {date_text(period.end)}"


class PeriodPicker(QWidget):
    """A list of the calendar's periods and "Custom dates", whose two date boxes show
    only when chosen. :meth:`period` gives the period chosen, or None with
    :attr:`problem` saying in plain words what is wrong."""

    changed = Signal()

    def __init__(self, choices: PeriodChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.periods: tuple[Period, ...] = tuple(choices())
        self.problem = ""
        self.label = QLabel("&Period:", self)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Period")
        self.label.setBuddy(self.choice)
        for period in self.periods:
            self.choice.addItem(period.label or custom_label(period))
        self.choice.addItem(CUSTOM)
        self.from_label = QLabel("&From:", self)
        self.from_date = DateEdit(self)
        self.from_date.setAccessibleName("From (dd/mm/yyyy)")
        self.from_label.setBuddy(self.from_date.edit)
        self.to_label = QLabel("&To:", self)
        self.to_date = DateEdit(self)
        self.to_date.setAccessibleName("To (dd/mm/yyyy)")
        self.to_label.setBuddy(self.to_date.edit)
        if self.periods:
            self.from_date.set_value(self.periods[0].start)
            self.to_date.set_value(self.periods[0].end)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.choice, self.from_label, self.from_date):
            layout.addWidget(widget)
        layout.addWidget(self.to_label)
        layout.addWidget(self.to_date)
        layout.addStretch(1)
        self.setTabOrder(self.choice, self.from_date.edit)
        self.setTabOrder(self.from_date.edit, self.to_date.edit)
        self.choice.currentIndexChanged.connect(self._on_choice_current_index_changed)
        self.from_date.changed.connect(self.changed)
        self.to_date.changed.connect(self.changed)
        self._show_custom()

    @property
    def custom(self) -> bool:
        return self.choice.currentIndex() >= len(self.periods)

    def choose(self, label: str) -> None:
        """Choose by the words shown in the list ("Last term", "Custom dates")."""
        for index in range(self.choice.count()):
            if self.choice.itemText(index).startswith(label):
                self.choice.setCurrentIndex(index)
                return
        raise ValueError(label)

    def period(self) -> Period | None:
        self.problem = ""
        if not self.custom:
            return self.periods[self.choice.currentIndex()]
        start, end = self.from_date.value(), self.to_date.value()
        if start is None or end is None:
            missing = "From" if start is None else "To"
            self.problem = f"Type the {missing} date as dd/mm/yyyy, for example 01/09/2026."
            return None
        if start > end:
            self.problem = "The From date must not be after the To date."
            return None
        period = Period(start, end)
        return Period(start, end, custom_label(period))

    def _show_custom(self) -> None:
        custom = self.custom
        for widget in (self.from_label, self.from_date, self.to_label, self.to_date):
            widget.setVisible(custom)

    @Slot(int)
    def _on_choice_current_index_changed(self, _index: int) -> None:
        self._show_custom()
        self.changed.emit()
