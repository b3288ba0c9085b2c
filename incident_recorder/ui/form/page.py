"""The frame every step page shares: labelled fields that show their findings.

A page is a column of :class:`FieldSlot` frames. Each slot has a visible label (the
buddy of its input), the input, and under it the policy messages for that field;
a warning that needs a written explanation opens an explanation box right there.
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
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import IncidentDetails
from incident_recorder.domain.policy import Finding, Severity
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.widgets import TextArea

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


def accessible_target(widget: QWidget) -> QWidget:
    """The widget that really takes the focus (following focus proxies)."""
    proxy = widget.focusProxy()
    while proxy is not None:
        widget, proxy = proxy, proxy.focusProxy()
    return widget


def last_in_focus_chain(widget: QWidget) -> QWidget:
    """The last widget inside ``widget`` in the tab order (or the widget itself)."""
    last, current = widget, widget.nextInFocusChain()
    while current is not None and current is not widget and widget.isAncestorOf(current):
        last, current = current, current.nextInFocusChain()
    return last


class ExplanationBox(QWidget):
    """Where staff write why a warning happened; required before submit."""

    edited = Signal(str, str)  # code, text

    def __init__(self, code: str, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.label = QLabel("Your explanation (needed before you can submit):", self)
        self.edit = TextArea(3, self)
        self.edit.setAccessibleName(f"Explanation: {subject}")
        self.label.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    @Slot()
    def _on_edit_text_changed(self) -> None:
        self.edited.emit(self.code, self.edit.toPlainText())

    def set_text(self, text: str) -> None:
        if text != self.edit.toPlainText():
            self.edit.blockSignals(True)
            self.edit.setPlainText(text)
            self.edit.blockSignals(False)


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
        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.boxes: dict[str, ExplanationBox] = {}
        self.setProperty("attention", "")

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
        accessible_target(self.focus_target).setAccessibleDescription(" ".join(spoken + lines))
        wanted = {f.code for f in warnings if f.explanation_field is None}
        for code in wanted - set(self.boxes):
            self._add_box(code)
        for code, box in self.boxes.items():
            box.setVisible(code in wanted)
            if code in wanted:
                box.set_text(explanations.get(code, ""))

    def _add_box(self, code: str) -> None:
        box = ExplanationBox(code, self.subject, self)
        anchor = last_in_focus_chain(self.input)
        if self.boxes:
            anchor = list(self.boxes.values())[-1].edit
        self._layout.addWidget(box)
        QWidget.setTabOrder(anchor, box.edit)
        box.edited.connect(self.explanation_edited)
        self.boxes[code] = box


class StepPage(QWidget):
    """Base class of the step pages. Subclasses build their slots, then implement
    :meth:`load` and :meth:`apply`."""

    step: Step
    changed = Signal()
    explanation_edited = Signal(str, str)

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
        slot = FieldSlot(label, widget, hint, focus, self)
        if layout is None:
            self.body.addWidget(slot)
        else:
            layout.addWidget(slot, 0, Qt.AlignmentFlag.AlignTop)
        self.slots[name] = slot
        connect_changed(widget, self._on_input_changed)
        slot.explanation_edited.connect(self.explanation_edited)
        return slot

    def finish(self) -> None:
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
        box = slot.boxes.get(finding.code)
        target = box.edit if box is not None and box.isVisibleTo(self) else slot.focus_target
        if finding.severity is Severity.BLOCKING or box is None:
            target = slot.focus_target
        if not target.isEnabled():
            return None
        target.setFocus()
        return slot

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
