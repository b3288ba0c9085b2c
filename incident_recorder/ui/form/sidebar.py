"""The list of steps beside the form: where you are and what each step still needs."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QWidget,
)

from incident_recorder.domain.policy import Finding, Severity, outstanding
from incident_recorder.domain.steps import Step

COMPLETE = "✓"
WARNING = "!"


def step_state(findings: list[Finding], step: Step) -> tuple[str, str]:
    """(marker, words) for a step: ✓ when nothing is outstanding, else the number of
    blocking items and ! for warnings that still need an explanation."""
    if step is Step.REVIEW:
        left = len(outstanding(findings))
        if not left:
            return COMPLETE, "ready to submit"
        return "", f"{left} item{'s' if left != 1 else ''} to do before submit"
    mine = [f for f in outstanding(findings) if f.step is step]
    blocking = sum(1 for f in mine if f.severity is Severity.BLOCKING)
    warnings = sum(1 for f in mine if f.severity is Severity.WARNING)
    if not mine:
        return COMPLETE, "complete"
    marker, words = [], []
    if blocking:
        marker.append(f"{blocking} to do")
        words.append(f"{blocking} item{'s' if blocking != 1 else ''} missing")
    if warnings:
        marker.append(WARNING)
        words.append(f"{warnings} warning{'s' if warnings != 1 else ''} to explain")
    return " ".join(marker), ", ".join(words)


class StepSidebar(QListWidget):
    """Steps with their number and state. Arrow keys or a click choose a step."""

    step_chosen = Signal(Step)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Steps of the form")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setWordWrap(True)
        for step in Step:
            item = QListWidgetItem(self._label(step, ""))
            item.setData(Qt.ItemDataRole.UserRole, step)
            self.addItem(item)
        self.setCurrentRow(0)
        # Every step is always in view: the list takes the height its rows need and never
        # scrolls (the "still missing" panel below it takes what is left).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        longest = max(
            self.fontMetrics().horizontalAdvance(self._label(s, "9 to do !")) for s in Step
        )
        self.setMinimumWidth(longest + 2 * self.frameWidth() + 16)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Fixed)
        self.currentRowChanged.connect(self._on_current_row_changed)

    def sizeHint(self) -> QSize:
        rows = sum(self.sizeHintForRow(r) for r in range(self.count()))
        return QSize(super().sizeHint().width(), rows + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Wrapped rows grow taller as the list narrows: ask for the height again.
        if self.height() != self.sizeHint().height():
            self.updateGeometry()

    @staticmethod
    def _label(step: Step, marker: str) -> str:
        text = f"{step.number}. {step.heading}"
        return f"{text}   {marker}" if marker else text

    @Slot(int)
    def _on_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.step_chosen.emit(list(Step)[row])

    def show_step(self, step: Step) -> None:
        """Select ``step`` without announcing it as a choice."""
        self.blockSignals(True)
        self.setCurrentRow(list(Step).index(step))
        self.blockSignals(False)

    def update_states(self, findings: list[Finding]) -> None:
        for row, step in enumerate(Step):
            marker, words = step_state(findings, step)
            item = self.item(row)
            item.setText(self._label(step, marker))
            spoken = f"Step {step.number}, {step.heading}: {words}"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setToolTip(spoken)
        self.updateGeometry()

    def marker(self, step: Step) -> str:
        """The state marker shown for ``step`` (for tests and the review page)."""
        text = self.item(list(Step).index(step)).text()
        base = f"{step.number}. {step.heading}"
        return text[len(base) :].strip()
