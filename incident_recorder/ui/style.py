"""A small, calm look shared by every screen, and helpers for the labels screens repeat.

Sizes are relative to the system font, so text scales with the user's settings.
Widgets mark themselves with a ``role`` property ("error", "banner", "muted", …) and the
application style sheet gives each role its colours.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

ERROR_COLOUR = "#a4262c"
OK_COLOUR = "#1e6b34"
STRENGTH_COLOURS = ("#a4262c", "#c2410c", "#b7791f", "#3f7d3a", "#1e6b34")

STYLE_SHEET = f"""
QLabel[role="error"] {{ color: {ERROR_COLOUR}; }}
QLabel[role="ok"] {{ color: {OK_COLOUR}; }}
QLabel[role="muted"] {{ color: #555555; }}
QFrame[role="banner"] {{
    background: #fff4ce; border: 1px solid #e0c46c; border-radius: 4px;
}}
QFrame[role="warning"] {{
    background: #fde7e9; border: 1px solid #e8a3a9; border-radius: 4px;
}}
QFrame[role="panel"] {{
    background: #f3f6f9; border: 1px solid #d5dde5; border-radius: 4px;
}}
QLabel[role="code"] {{
    background: #ffffff; border: 2px solid #4a6785; border-radius: 6px; padding: 12px;
}}
QPushButton[role="link"] {{
    border: none; color: #1a5fb4; text-decoration: underline; text-align: left;
    padding: 2px 0px;
}}
QPushButton[role="link"]:focus {{ outline: 1px dotted #1a5fb4; }}
"""


def apply_style(app: QApplication) -> None:
    """Fusion (the same on every platform), a light palette and the role colours."""
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, "#2f5f8a")
    palette.setColor(QPalette.ColorRole.HighlightedText, "#ffffff")
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def heading(text: str, factor: float = 1.5, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label, factor, bold=True))
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def message_label(role: str = "error", parent: QWidget | None = None) -> QLabel:
    """An inline message (errors in plain words); hidden while empty."""
    label = QLabel(parent)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_message(label: QLabel, text: str, role: str | None = None) -> None:
    if role is not None and label.property("role") != role:
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setText(text)
    label.setAccessibleName(text)
    label.setVisible(bool(text))


def framed(role: str, parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setProperty("role", role)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    return frame


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
