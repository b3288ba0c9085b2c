"""The frame every step page shares: labelled fields that show their findings.

A page is a column of :class:`FieldSlot` frames. Each slot has a visible label (the
buddy of its input), the input, a character counter under a text box that has a limit,
and under it the policy messages for that field. A warning that needs a written
explanation opens an explanation box right there, or, when the answer opens follow-on
questions ("Was the pupil injured? Yes" opens "What was the pupil's injury?"), after
the last of them (:attr:`StepPage.explanations_after`): the box comes after the
questions it explains, on screen and in the tab order.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import IncidentDetails
from incident_recorder.domain.policy import Finding, Severity, text_limit
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.explanation_box import ExplanationBox
from incident_recorder.ui.form.tab_order import accessible_target, last_tab_stop
from incident_recorder.ui.form.widgets import LengthCounter

EXPLANATION_PREFIX = "too_long:explanation."

BLOCKING_COLOUR = "#a3141e"
WARNING_COLOUR = "#8a4b00"
STYLE = f"""
QFrame#fieldSlot {{ border: 0px; border-left: 4px solid transparent; }}
QFrame#fieldSlot[attention="blocking"] {{ border: 0px; border-left: 4px solid {BLOCKING_COLOUR}; }}
QFrame#fieldSlot[attention="warning"] {{ border: 0px; border-left: 4px solid {WARNING_COLOUR}; }}
QLabel#fieldMessage[severity="blocking"] {{ color: {BLOCKING_COLOUR}; }}
QLabel#fieldMessage[severity="warning"] {{ color: {WARNING_COLOUR}; }}
QLabel#formatHint {{ color: {BLOCKING_COLOUR}; }}
QLabel#fieldHint {{ color: palette(placeholder-text); }}
QLabel#lengthCounter {{ color: palette(placeholder-text); }}
QLabel#lengthCounter[over="true"] {{ color: {BLOCKING_COLOUR}; }}
"""


def heading_font(base: QFont, scale: float = 1.35) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font


def connect_changed(widget: QWidget, slot: Callable[..., object]) -> None:
    """Connect whatever signal ``widget`` uses to say its value changed."""
    signal = getattr(widget, "changed", None)
    if signal is not None:
        signal.connect(slot)
    elif isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentTextChanged.connect(slot)
    elif isinstance(widget, QAbstractSpinBox):
        widget.valueChanged.connect(slot)  # type: ignore[attr-defined]
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(slot)
    else:
        raise TypeError(f"no change signal known for {type(widget).__name__}")


class FieldSlot(QFrame):
    """One labelled field with its messages and explanation boxes."""

    explanation_edited = Signal(str, str)

    def __init__(
        self,
        label: str,
        widget: QWidget,
        hint: str = "",
        focus: QWidget | None = None,
        parent: QWidget | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fieldSlot")
        self.input = widget
        self.focus_target = focus or widget
        self.label = QLabel(label, self)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.focus_target)
        plain = label.replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not widget.accessibleName():
            widget.setAccessibleName(plain.rstrip(":"))
        self.subject = plain.rstrip(":")
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.label)
        if hint:
            hint_label = QLabel(hint, self)
            hint_label.setObjectName("fieldHint")
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)
        if isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox):
            if isinstance(widget, QLineEdit):
                widget.setMinimumWidth(widget.fontMetrics().averageCharWidth() * 40)
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            layout.addWidget(widget)
        self.counter: LengthCounter | None = None
        if limit is not None and isinstance(widget, QPlainTextEdit):
            self.counter = LengthCounter(widget, limit, self)
            layout.addWidget(self.counter)
            self.counter.counted.connect(self._describe)
        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.boxes: dict[str, ExplanationBox] = {}
        # Where the explanation boxes go: here, or a frame after the follow-on questions.
        self._box_frame: QFrame | None = None
        self._box_after: FieldSlot | None = None
        self._spoken = ""
        self.setProperty("attention", "")
        self._describe()

    def place_explanations_after(self, frame: QFrame, after: FieldSlot) -> None:
        """Put this slot's explanation boxes in ``frame``, which follows ``after`` (the
        last follow-on question) on the page, and after it in the tab order."""
        self._box_frame = frame
        self._box_after = after
        QVBoxLayout(frame).setContentsMargins(8, 4, 4, 4)
        frame.hide()

    @Slot()
    def _describe(self) -> None:
        """The input's accessible description: its problem, the messages, the count."""
        parts = [self._spoken] if self._spoken else []
        if self.counter is not None:
            parts.append(self.counter.text())
        accessible_target(self.focus_target).setAccessibleDescription(" ".join(parts))

    def show_findings(self, findings: list[Finding], explanations: dict[str, str]) -> None:
        blocking = [f for f in findings if f.severity is Severity.BLOCKING]
        warnings = [f for f in findings if f.severity is Severity.WARNING]
        lines = [f.message for f in blocking] + [f.message for f in warnings]
        attention = "blocking" if blocking else ("warning" if warnings else "")
        self.message.setText("\n".join(lines))
        self.message.setVisible(bool(lines))
        self.message.setProperty("severity", attention)
        self.setProperty("attention", attention)
        for w in (self, self.message):
            w.style().unpolish(w)
            w.style().polish(w)
        problem = getattr(self.input, "problem", None)
        spoken = [problem()] if callable(problem) and problem() else []
        self._spoken = " ".join(spoken + lines)
        self._describe()
        wanted = {f.code: f for f in warnings if f.explanation_field is None}
        for code in wanted.keys() - set(self.boxes):
            self._add_box(code)
        for code, box in self.boxes.items():
            box.setVisible(code in wanted)
            if code in wanted:
                box.set_text(explanations.get(code, ""))
                box.set_reminder(wanted[code].message if self._box_frame is not None else "")
        if self._box_frame is not None:
            self._box_frame.setVisible(bool(wanted))
            self._box_frame.setProperty("attention", "warning" if wanted else "")
            self._box_frame.style().unpolish(self._box_frame)
            self._box_frame.style().polish(self._box_frame)

    def _add_box(self, code: str) -> None:
        home = self._box_frame or self
        box = ExplanationBox(code, self.subject, home)
        anchor: QWidget
        if self.boxes:
            anchor = list(self.boxes.values())[-1].edit
        elif self._box_after is not None:
            anchor = self._box_after.last_tab_stop()
        else:
            anchor = last_tab_stop(self.input)
        layout = home.layout()
        assert layout is not None
        layout.addWidget(box)
        QWidget.setTabOrder(anchor, box.edit)
        box.edited.connect(self.explanation_edited)
        self.boxes[code] = box

    def last_tab_stop(self) -> QWidget:
        """The last widget of this slot in the tab order (its input, or its last box)."""
        if self.boxes:
            return list(self.boxes.values())[-1].edit
        return last_tab_stop(self.input)


class StepPage(QWidget):
    """Base class of the step pages. Subclasses build their slots, then implement
    :meth:`load` and :meth:`apply`."""

    step: Step
    changed = Signal()
    explanation_edited = Signal(str, str)
    # A warning on slot X whose answer opens follow-on questions is explained after the
    # last of them, slot Y: ((X, Y), ...). The box comes after the questions it explains.
    explanations_after: tuple[tuple[str, str], ...] = ()

    def __init__(self, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: dict[str, FieldSlot] = {}
        self.body = QVBoxLayout(self)
        self.body.setSpacing(8)
        self.heading = QLabel(f"Step {self.step.number} of {len(Step)}: {self.step.heading}", self)
        self.heading.setFont(heading_font(self.font()))
        self.heading.setWordWrap(True)
        self.body.addWidget(self.heading)
        if intro:
            text = QLabel(intro, self)
            text.setWordWrap(True)
            self.body.addWidget(text)
        self.general = QLabel(self)
        self.general.setObjectName("fieldMessage")
        self.general.setWordWrap(True)
        self.general.hide()
        self.body.addWidget(self.general)

    # ------------------------------------------------------------------ building

    def add_slot(
        self,
        name: str,
        label: str,
        widget: QWidget,
        hint: str = "",
        focus: QWidget | None = None,
        layout: QBoxLayout | None = None,
    ) -> FieldSlot:
        limit = text_limit(f"{self.step.value}.{name}")
        slot = FieldSlot(label, widget, hint, focus, self, limit)
        if layout is None:
            self.body.addWidget(slot)
        else:
            layout.addWidget(slot, 0, Qt.AlignmentFlag.AlignTop)
        self.slots[name] = slot
        connect_changed(widget, self._on_input_changed)
        slot.explanation_edited.connect(self.explanation_edited)
        return slot

    def finish(self) -> None:
        for name, after in self.explanations_after:
            frame = QFrame(self)
            frame.setObjectName("fieldSlot")
            if not _insert_after(self.body, self.slots[after], frame):
                raise ValueError(f"the {after} slot is not on the {self.step.value} page")
            self.slots[name].place_explanations_after(frame, self.slots[after])
        self.body.addStretch(1)

    @Slot()
    def _on_input_changed(self) -> None:
        self.update_visibility()
        self.changed.emit()

    def update_visibility(self) -> None:
        """Show or hide follow-on questions; pages override."""

    # ------------------------------------------------------------------ values

    def load(self, details: IncidentDetails) -> None:
        raise NotImplementedError

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        raise NotImplementedError

    # ------------------------------------------------------------------ findings

    def slot_name(self, finding: Finding) -> str:
        target = finding.explanation_field or finding.field
        name = target.split(".", 1)[-1]
        return name if name in self.slots else ""

    def show_findings(self, findings: list[Finding], explanations: dict[str, str]) -> None:
        by_slot: dict[str, list[Finding]] = {name: [] for name in self.slots}
        loose: list[str] = []
        for finding in findings:
            name = self.slot_name(finding)
            if name:
                by_slot[name].append(finding)
            else:
                loose.append(finding.message)
        for name, slot in self.slots.items():
            slot.show_findings(by_slot[name], explanations)
        self.general.setText("\n".join(loose))
        self.general.setVisible(bool(loose))

    def focus_finding(self, finding: Finding) -> QWidget | None:
        """Move the focus to the input (or explanation box) a finding is about; returns
        the slot to scroll to, or None if the field is not on show."""
        slot = self.slots.get(self.slot_name(finding))
        if slot is None or not slot.isVisibleTo(self):
            return None
        code = finding.code
        explanation = code.startswith(EXPLANATION_PREFIX)  # an explanation that is too long
        box = slot.boxes.get(code.removeprefix(EXPLANATION_PREFIX))
        target: QWidget = slot.focus_target
        shown: QWidget = slot
        wants_box = finding.severity is Severity.WARNING or explanation
        if box is not None and box.isVisibleTo(self) and wants_box:
            target, shown = box.edit, box
        if not target.isEnabled():
            return None
        target.setFocus()
        return shown

    def first_input(self) -> QWidget | None:
        for slot in self.slots.values():
            if slot.isVisibleTo(self):
                return slot.focus_target
        return None

    def set_read_only(self, read_only: bool) -> None:
        for slot in self.slots.values():
            slot.input.setEnabled(not read_only)
            for box in slot.boxes.values():
                box.edit.setReadOnly(read_only)


def _insert_after(layout: QLayout, widget: QWidget, new: QWidget) -> bool:
    """Insert ``new`` just after ``widget`` in whichever box layout (inside ``layout``)
    holds it."""
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is widget and isinstance(layout, QBoxLayout):
            layout.insertWidget(index + 1, new)
            return True
        inner = item.layout()
        if inner is not None and _insert_after(inner, widget, new):
            return True
    return False
