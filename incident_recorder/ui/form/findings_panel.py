"""'Still missing': the policy findings for a step (or the whole record), each one a
link to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from incident_recorder.domain.policy import Finding, Severity
from incident_recorder.ui.form.page import BLOCKING_COLOUR, WARNING_COLOUR


class FindingsPanel(QWidget):
    """A titled list of findings. Enter or a click on one emits ``finding_chosen``."""

    finding_chosen = Signal(object)  # Finding

    def __init__(
        self,
        title: str,
        empty_text: str,
        show_step: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._show_step = show_step
        self._empty_text = empty_text
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAccessibleName(title.replace("&", ""))
        self.title.setBuddy(self.list)
        self.empty = QLabel(empty_text, self)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemClicked.connect(self._on_list_item_activated)
        self.show_findings([])

    @Slot(QListWidgetItem)
    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.finding_chosen.emit(finding)

    def show_findings(self, findings: list[Finding]) -> None:
        """Shows the outstanding findings; explained warnings are done and not listed."""
        current = self.list.currentRow()
        self.list.clear()
        for f in findings:
            if not f.outstanding:
                continue
            prefix = f"Step {f.step.number}: " if self._show_step else ""
            kind = "Explain: " if f.severity is Severity.WARNING else ""
            item = QListWidgetItem(f"{prefix}{kind}{f.message}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            colour = WARNING_COLOUR if f.severity is Severity.WARNING else BLOCKING_COLOUR
            item.setForeground(QBrush(QColor(colour)))
            self.list.addItem(item)
        count = self.list.count()
        self.list.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        if count and current >= 0:
            self.list.setCurrentRow(min(current, count - 1))

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
