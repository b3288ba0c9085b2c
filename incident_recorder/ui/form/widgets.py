"""Small input widgets the form's pages share.

Every question that has a safety meaning starts unanswered: a radio group with no
choice made, a number box showing "—" and an empty text box. Nothing is pre-ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.policy import length

NOT_ENTERED = "—"


class ChoiceGroup(QWidget):
    """Radio buttons for one question, with an unanswered state (value None).

    Tab enters the group and Space chooses the focused choice; the arrow keys move
    between the choices (and, once one is chosen, move the choice with them). Each
    button's accessible name carries the question, e.g. "Was the pupil injured? Yes".
    """

    changed = Signal()

    def __init__(
        self,
        question: str,
        options: Sequence[tuple[Any, str]],
        vertical: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(question)
        layout: QBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._values: list[Any] = []
        self.buttons: list[QRadioButton] = []
        for value, label in options:
            button = QRadioButton(label, self)
            button.setAccessibleName(f"{question} {label}")
            self._group.addButton(button, len(self._values))
            self._values.append(value)
            self.buttons.append(button)
            layout.addWidget(button)
        if not vertical:
            layout.addStretch(1)
        self.setFocusProxy(self.buttons[0])
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._group.buttonToggled.connect(self._on_group_button_toggled)

    @Slot(QAbstractButton, bool)
    def _on_group_button_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.setFocusProxy(button)
            self.changed.emit()

    def value(self) -> Any:
        index = self._group.checkedId()
        return None if index < 0 else self._values[index]

    def set_value(self, value: Any) -> None:
        if value is None:
            if self._group.checkedId() < 0:
                return
            self._group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self._group.setExclusive(True)
            self.setFocusProxy(self.buttons[0])
            self.changed.emit()
            return
        self.buttons[self._values.index(value)].setChecked(True)

    def button_for(self, value: Any) -> QRadioButton:
        return self.buttons[self._values.index(value)]


def yes_no(question: str, yes: str = "Yes", no: str = "No") -> ChoiceGroup:
    return ChoiceGroup(question, [(True, yes), (False, no)])


class CheckList(QWidget):
    """A column of tick boxes whose value is the set of ticked keys."""

    changed = Signal()

    def __init__(
        self, name: str, options: Sequence[tuple[Any, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Any, QCheckBox] = {}
        self._spare: list[QCheckBox] = []  # hidden boxes left over by set_options
        for key, label in options:
            self.add_option(key, label)

    def add_option(self, key: Any, label: str) -> QCheckBox:
        box = QCheckBox(label, self)
        box.setAccessibleName(label)
        box.setAccessibleDescription(self.accessibleName())
        box.toggled.connect(self._on_box_toggled)
        self._column.addWidget(box)
        self.boxes[key] = box
        if len(self.boxes) == 1:
            self.setFocusProxy(box)
        return box

    @Slot(bool)
    def _on_box_toggled(self, _checked: bool) -> None:
        self.changed.emit()

    def checked(self) -> list[Any]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def set_options(self, options: Sequence[tuple[Any, str]]) -> None:
        """Show ``options`` in this order, keeping what is ticked. The tick boxes stay
        where they are in the tab order; only their keys and labels move."""
        ticked = set(self.checked())
        wanted = list(options) + [
            (key, str(key)) for key in self.checked() if key not in {k for k, _ in options}
        ]
        boxes = list(self.boxes.values()) + self._spare
        while len(boxes) < len(wanted):
            box = QCheckBox(self)
            box.setAccessibleDescription(self.accessibleName())
            box.toggled.connect(self._on_box_toggled)
            self._column.addWidget(box)
            if boxes:
                QWidget.setTabOrder(boxes[-1], box)
            boxes.append(box)
        self.boxes = {}
        for box, (key, label) in zip(boxes, wanted, strict=False):
            box.blockSignals(True)
            box.setText(label)
            box.setAccessibleName(label)
            box.setChecked(key in ticked)
            box.blockSignals(False)
            box.setVisible(True)
            self.boxes[key] = box
        self._spare = boxes[len(wanted) :]
        for box in self._spare:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
            box.hide()
        if boxes:
            self.setFocusProxy(boxes[0])

    def set_checked(self, keys: Sequence[Any]) -> None:
        wanted = set(keys)
        for key in wanted - set(self.boxes):
            self.add_option(key, str(key))  # a value no longer on the school's list
        for key, box in self.boxes.items():
            box.setChecked(key in wanted)


class OptionalSpin(QSpinBox):
    """A whole number that may be left blank ("—", value None)."""

    def __init__(self, maximum: int = 999, suffix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(-1, maximum)
        self.setSpecialValueText(NOT_ENTERED)
        self.setSuffix(suffix)
        self.setValue(-1)
        self.setAccelerated(True)
        sample = f"{maximum}{suffix}"
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(sample) * 2 + 24)

    def number(self) -> int | None:
        value = self.value()
        return None if value < 0 else value

    def set_number(self, value: int | None) -> None:
        self.setValue(-1 if value is None else value)


class TextArea(QPlainTextEdit):
    """Multi-line text whose height follows the font (``lines`` of text).

    Tab moves to the next field, as in every other box of the form.
    """

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setTabChangesFocus(True)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(), self.sizePolicy().Policy.Minimum)

    def _height_for(self, lines: int) -> int:
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        return lines * self.fontMetrics().lineSpacing() + frame + 4

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height_for(self._lines))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height_for(min(self._lines, 2)))

    def text(self) -> str:
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)


class LengthCounter(QLabel):
    """How much is typed in a text box against its limit: "1,234 / 8,000 characters",
    in the warning colour with "(2,165 over the limit)" when over. Nothing is ever cut
    off: the policy's finding under it blocks Submit until the text is shortened.
    ``counted`` says the words changed (for the box's accessible description)."""

    counted = Signal()

    def __init__(self, edit: QPlainTextEdit, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lengthCounter")
        self.setWordWrap(True)
        self.setProperty("over", False)
        self.limit = limit
        self._edit = edit
        self._count = -1
        edit.textChanged.connect(self._on_edit_text_changed)
        self._on_edit_text_changed()

    def count(self) -> int:
        return length(self._edit.toPlainText())

    @property
    def over(self) -> bool:
        return self._count > self.limit

    @Slot()
    def _on_edit_text_changed(self) -> None:
        count = self.count()
        if count == self._count:
            return
        was_over, self._count = self.over, count
        text = f"{count:,} / {self.limit:,} characters"
        if self.over:
            text += f" ({count - self.limit:,} over the limit)"
        self.setText(text)
        if self.over != was_over:
            self.setProperty("over", self.over)
            self.style().unpolish(self)
            self.style().polish(self)
        self.counted.emit()


def set_placeholder(combo: QComboBox, text: str) -> None:
    """Placeholder text for an editable combo box."""
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


class DurationInput(QWidget):
    """How long something lasted, as minutes and seconds (value in seconds, or None).

    Both boxes start unanswered ("—"); entering either fills the other with 0, and
    clearing either clears both. A hold released at once can be entered as 0 min 20 s.
    """

    changed = Signal()

    def __init__(self, max_minutes: int = 240, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.minutes = OptionalSpin(max_minutes, " min", self)
        self.seconds = OptionalSpin(59, " s", self)
        layout.addWidget(self.minutes)
        layout.addWidget(self.seconds)
        layout.addStretch(1)
        self.setFocusProxy(self.minutes)
        self.setAccessibleName("How long")
        self.minutes.valueChanged.connect(self._on_minutes_value_changed)
        self.seconds.valueChanged.connect(self._on_seconds_value_changed)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.minutes.setAccessibleName(f"{name}: minutes")
        self.seconds.setAccessibleName(f"{name}: seconds")

    @Slot(int)
    def _on_minutes_value_changed(self, value: int) -> None:
        self._follow(self.seconds, value)

    @Slot(int)
    def _on_seconds_value_changed(self, value: int) -> None:
        self._follow(self.minutes, value)

    def _follow(self, other: OptionalSpin, value: int) -> None:
        wanted = -1 if value < 0 else max(other.value(), 0)
        if other.value() != wanted:
            other.blockSignals(True)
            other.setValue(wanted)
            other.blockSignals(False)
        self.changed.emit()

    def total_seconds(self) -> int | None:
        minutes, seconds = self.minutes.number(), self.seconds.number()
        if minutes is None and seconds is None:
            return None
        return (minutes or 0) * 60 + (seconds or 0)

    def set_total_seconds(self, value: int | None) -> None:
        for box, number in (
            (self.minutes, None if value is None else value // 60),
            (self.seconds, None if value is None else value % 60),
        ):
            box.blockSignals(True)
            box.set_number(number)
            box.blockSignals(False)
        self.changed.emit()


def focus_first(widget: QWidget) -> None:
    """Put the keyboard focus on ``widget`` (or its focus proxy)."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
