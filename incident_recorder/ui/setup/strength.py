"""A live passphrase strength indicator: a coloured bar, a word and the advice text."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from incident_recorder.domain.passphrase import Strength, strength
from incident_recorder.ui.style import STRENGTH_COLOURS


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.bar.setAccessibleName("Passphrase strength")
        self.word = QLabel()
        self.word.setMinimumWidth(90)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setProperty("role", "muted")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.word)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.advice)
        self.current: Strength = strength("")
        self.update_for("")

    def update_for(self, passphrase: str) -> Strength:
        s = strength(passphrase)
        self.current = s
        # An empty or unusable passphrase shows a sliver of red, never an empty bar.
        self.bar.setValue(max(s.score, 1) if passphrase else 0)
        colour = STRENGTH_COLOURS[s.score if s.acceptable else 0]
        self.bar.setStyleSheet(
            "QProgressBar { border: 1px solid #b8c2cc; border-radius: 4px; background: #eef1f4; }"
            f"QProgressBar::chunk {{ background: {colour}; border-radius: 3px; }}"
        )
        self.word.setText(f"<b>{s.label}</b>" if s.label else "")
        self.advice.setText(s.advice)
        described = f"{s.label}. {s.advice}" if s.label else s.advice
        self.bar.setAccessibleDescription(described)
        self.bar.setToolTip(described)
        return s
