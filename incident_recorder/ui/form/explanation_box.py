"""The box where staff explain a warning (on the step, and again on the review page)."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from incident_recorder.domain.policy import EXPLANATION_LIMIT
from incident_recorder.ui.form.widgets import LengthCounter, TextArea


class ExplanationBox(QWidget):
    """Where staff write why a warning happened; required before submit.

    A box shown away from its warning (after the follow-on questions) repeats the
    warning above it (``reminder``), so it can be understood on its own."""

    edited = Signal(str, str)  # code, text

    def __init__(self, code: str, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.reminder = QLabel(self)
        self.reminder.setObjectName("fieldMessage")
        self.reminder.setProperty("severity", "warning")
        self.reminder.setWordWrap(True)
        self.reminder.hide()
        self.label = QLabel("Your explanation (needed before you can submit):", self)
        self.edit = TextArea(3, self)
        self.edit.setAccessibleName(f"Explanation: {subject}")
        self.label.setBuddy(self.edit)
        self.counter = LengthCounter(self.edit, EXPLANATION_LIMIT.limit, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.reminder)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.counter)
        self._describe()
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.counter.counted.connect(self._describe)

    @Slot()
    def _on_edit_text_changed(self) -> None:
        self.edited.emit(self.code, self.edit.toPlainText())

    @Slot()
    def _describe(self) -> None:
        parts = [self.reminder.text()] if self.reminder.text() else []
        self.edit.setAccessibleDescription(" ".join([*parts, self.counter.text()]))

    def set_reminder(self, message: str) -> None:
        if message != self.reminder.text():
            self.reminder.setText(message)
            self.reminder.setVisible(bool(message))
            self._describe()

    def set_text(self, text: str) -> None:
        if text != self.edit.toPlainText():
            self.edit.blockSignals(True)
            self.edit.setPlainText(text)
            self.edit.blockSignals(False)
