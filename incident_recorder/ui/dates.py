"""Date and time boxes that may be left empty.

A QDateEdit or QTimeEdit always holds a value, which would quietly answer a question
nobody has answered yet. These are line edits instead: type ``23/11/2026`` or ``14:05``
(``1405`` and ``14.05`` work too), or press Alt+Down (or use the button) for a calendar.
A value that cannot be read shows a plain hint under the box and counts as empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.h]?\s*(\d{2})\s*$")


def parse_date(text: str) -> date | None:
    """``23/11/2026`` (or 23-11-26, 23.11.2026) as a date; None if it is not one."""
    m = _DATE.match(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """``14:05`` (or 1405, 14.05, 9:05) as a time; None if it is not one."""
    m = _TIME.match(text)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def date_text(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def time_text(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def _hint_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("formatHint")
    label.setWordWrap(True)
    label.hide()
    return label


class _Edit(QWidget):
    """A line edit plus a hint shown when the text cannot be read."""

    changed = Signal()
    placeholder = ""
    hint_text = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.placeholder)
        self.edit.setMaxLength(16)
        width = self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 24
        self.edit.setMaximumWidth(width)
        self.edit.setMinimumWidth(width)
        self._hint = _hint_label(self)
        self.setFocusProxy(self.edit)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.edit)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(self.row)
        outer.addWidget(self._hint)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    @Slot(str)
    def _on_edit_text_changed(self, text: str) -> None:
        bad = bool(text.strip()) and not self._readable(text)
        self._hint.setText(self.hint_text if bad else "")
        self._hint.setVisible(bad)
        self.edit.setAccessibleDescription(self.hint_text if bad else "")
        self.changed.emit()

    def _readable(self, text: str) -> bool:
        raise NotImplementedError

    def problem(self) -> str | None:
        text = self.edit.text()
        return self.hint_text if text.strip() and not self._readable(text) else None


class DateEdit(_Edit):
    placeholder = "dd/mm/yyyy"
    hint_text = "Type the date as dd/mm/yyyy, for example 23/11/2026."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit.setToolTip("Type the date as dd/mm/yyyy, or press Alt+Down for a calendar.")
        self._button = QToolButton(self)
        self._button.setText("Calendar…")
        self._button.setToolTip("Choose the date from a calendar (Alt+Down)")
        self._button.setAccessibleName("Open the calendar")
        self._button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._popup = QFrame(self, Qt.WindowType.Popup)
        self._popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self._popup)
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setAccessibleName("Calendar: arrow keys move, Enter chooses, Esc closes")
        popup_layout = QVBoxLayout(self._popup)
        popup_layout.setContentsMargins(2, 2, 2, 2)
        popup_layout.addWidget(self.calendar)
        self.row.addWidget(self._button)
        self.row.addStretch(1)
        self._shortcut = QShortcut(QKeySequence("Alt+Down"), self.edit)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._button.clicked.connect(self._on_shortcut_activated)
        self.calendar.activated.connect(self._on_calendar_activated)
        self.calendar.clicked.connect(self._on_calendar_activated)
        self._shortcut.activated.connect(self._on_shortcut_activated)

    def _readable(self, text: str) -> bool:
        return parse_date(text) is not None

    @Slot(QDate)
    def _on_calendar_activated(self, picked: QDate) -> None:
        self.set_value(date(picked.year(), picked.month(), picked.day()))
        self._popup.hide()
        self.edit.setFocus()

    @Slot()
    def _on_shortcut_activated(self) -> None:
        current = self.value()
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self._popup.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        self._popup.show()
        self.calendar.setFocus()

    def value(self) -> date | None:
        return parse_date(self.edit.text())

    def set_value(self, value: date | None) -> None:
        if value != self.value() or (value is None and self.edit.text()):
            self.edit.setText(date_text(value))


class TimeEdit(_Edit):
    placeholder = "HH:MM"
    hint_text = "Type the time as HH:MM on the 24-hour clock, for example 14:05."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit.setToolTip("Type the time as HH:MM on the 24-hour clock.")
        self.row.addStretch(1)

    def _readable(self, text: str) -> bool:
        return parse_time(text) is not None

    def value(self) -> time | None:
        return parse_time(self.edit.text())

    def set_value(self, value: time | None) -> None:
        if value != self.value() or (value is None and self.edit.text()):
            self.edit.setText(time_text(value))


class DateTimeEdit(QWidget):
    """A date box and a time box side by side; the value needs both."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = DateEdit(self)
        self.time_label = QLabel("at", self)
        self.time_edit = TimeEdit(self)
        self.time_label.setBuddy(self.time_edit)
        self._hint = _hint_label(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date_edit)
        row.addWidget(self.time_label)
        row.addWidget(self.time_edit)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(row)
        outer.addWidget(self._hint)
        self.setFocusProxy(self.date_edit)
        self.date_edit.changed.connect(self._on_part_changed)
        self.time_edit.changed.connect(self._on_part_changed)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.date_edit.setAccessibleName(f"{name}: date")
        self.time_edit.setAccessibleName(f"{name}: time")

    @Slot()
    def _on_part_changed(self) -> None:
        one_only = (self.date_edit.value() is None) != (self.time_edit.value() is None)
        self._hint.setText("Please enter both the date and the time." if one_only else "")
        self._hint.setVisible(one_only)
        self.changed.emit()

    def value(self) -> datetime | None:
        day, at = self.date_edit.value(), self.time_edit.value()
        if day is None or at is None:
            return None
        return datetime.combine(day, at)

    def set_value(self, value: datetime | None) -> None:
        self.date_edit.set_value(None if value is None else value.date())
        self.time_edit.set_value(None if value is None else value.time().replace(second=0))


def key_is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
