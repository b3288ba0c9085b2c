"""What each kind of intervention means, shown on the form where staff choose the kind
(issue 13): reasonable force; restraint with or without force; seclusion, and how it
differs from a supervised time out (which is not recorded as seclusion). In the
school's own words when the administrator has written them, else the shipped wording
(resources/definitions.toml)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from incident_recorder.domain.model import KindDefinitions, SchoolSettings
from incident_recorder.infra.definitions import shipped_definitions

HEADING = "What each kind means"


def definitions_html(words: KindDefinitions) -> str:
    items = "".join(
        f"<li>{escape(text)}</li>"
        for text in (words.reasonable_force, words.restraint, words.seclusion, words.time_out)
        if text.strip()
    )
    return f"<b>{HEADING}</b><ul style='margin-left:-20px'>{items}</ul>"


def kind_definitions_label(settings: SchoolSettings, parent: QWidget | None = None) -> QLabel:
    """The definitions as a quiet panel under the kind's choices."""
    words = settings.definitions.filled_from(shipped_definitions())
    label = QLabel(definitions_html(words), parent)
    label.setObjectName("kindDefinitions")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setAccessibleName(HEADING)
    label.setAccessibleDescription(
        " ".join((words.reasonable_force, words.restraint, words.seclusion, words.time_out))
    )
    label.setStyleSheet(
        "QLabel#kindDefinitions { background:#f3f2f1; border:1px solid #c8c6c4; "
        "border-radius:4px; padding:6px; color:#323130; }"
    )
    return label
