"""Modal questions go through a Prompter, so tests can answer them.

Widgets never call QMessageBox or QInputDialog directly: they are given a Prompter.
``QtPrompter`` shows real dialogs; ``ScriptedPrompter`` (for tests) answers from a
queue and records what was asked.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompter(Protocol):
    def confirm(self, title: str, text: str, yes: str = "Yes", no: str = "No") -> bool: ...

    def ask_text(self, title: str, label: str, multiline: bool = False) -> str | None:
        """The text typed, or None if cancelled."""
        ...

    def inform(self, title: str, text: str) -> None: ...

    def warn(self, title: str, text: str) -> None: ...

    def choose(self, title: str, text: str, options: list[str]) -> int | None:
        """The index of the option chosen, or None if cancelled."""
        ...


class QtPrompter:
    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent

    def confirm(self, title: str, text: str, yes: str = "Yes", no: str = "No") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def ask_text(self, title: str, label: str, multiline: bool = False) -> str | None:
        if multiline:
            text, ok = QInputDialog.getMultiLineText(self._parent, title, label)
        else:
            text, ok = QInputDialog.getText(self._parent, title, label, QLineEdit.EchoMode.Normal)
        return text if ok else None

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self._parent, title, text)

    def choose(self, title: str, text: str, options: list[str]) -> int | None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options]
        cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return next((i for i, b in enumerate(buttons) if b is clicked), None)


class ScriptedPrompter:
    """Answers questions from queues; records every question asked (for tests)."""

    def __init__(self) -> None:
        self.confirm_answers: deque[bool] = deque()
        self.text_answers: deque[str | None] = deque()
        self.choice_answers: deque[int | None] = deque()
        self.asked: list[tuple[str, str, str]] = []  # (kind, title, text)

    def confirm(self, title: str, text: str, yes: str = "Yes", no: str = "No") -> bool:
        self.asked.append(("confirm", title, text))
        if not self.confirm_answers:
            raise AssertionError(f"unexpected confirmation asked: {title}: {text}")
        return self.confirm_answers.popleft()

    def ask_text(self, title: str, label: str, multiline: bool = False) -> str | None:
        self.asked.append(("ask_text", title, label))
        if not self.text_answers:
            raise AssertionError(f"unexpected question asked: {title}: {label}")
        return self.text_answers.popleft()

    def inform(self, title: str, text: str) -> None:
        self.asked.append(("inform", title, text))

    def choose(self, title: str, text: str, options: list[str]) -> int | None:
        self.asked.append(("choose", title, text))
        if not self.choice_answers:
            raise AssertionError(f"unexpected choice asked: {title}: {text}")
        return self.choice_answers.popleft()

    def warn(self, title: str, text: str) -> None:
        self.asked.append(("warn", title, text))
