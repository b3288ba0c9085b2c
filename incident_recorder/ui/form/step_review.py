"""Step 11: review and submit — the whole record, what is still to do, the
explanations warnings need, then Submit (or Save amendment…)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import IncidentDetails
from incident_recorder.domain.policy import Finding, Severity, outstanding
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.explanation_box import ExplanationBox
from incident_recorder.ui.form.findings_panel import FindingsPanel
from incident_recorder.ui.form.page import StepPage, heading_font


class _Summary(QTextBrowser):
    """The record; tall enough to read a good part of it without scrolling."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 22)


class ReviewPage(StepPage):
    step = Step.REVIEW
    submit_requested = Signal()
    another_pupil_requested = Signal()

    def __init__(self, amend: bool, parent: QWidget | None = None) -> None:
        super().__init__(
            "Read the record through. Anything still to do is listed under it: choose an item "
            "to go to its field.",
            parent,
        )
        self._amend = amend
        self.summary = _Summary(self)
        self.summary.setAccessibleName("The whole record")
        self.summary.setOpenLinks(False)
        summary_label = QLabel("The &record as it stands:", self)
        summary_label.setBuddy(self.summary)
        self.body.addWidget(summary_label)
        self.body.addWidget(self.summary, 3)
        self.todo = FindingsPanel(
            "Still &to do before you can submit:",
            "Nothing is missing: the record is ready.",
            show_step=True,
            parent=self,
        )
        if amend:
            self.todo.title.setText("Still &to do before you can save the amendment:")
        self.body.addWidget(self.todo, 1)
        self.explain_title = QLabel("Explanations the policy asks for", self)
        self.explain_title.setFont(heading_font(self.font(), 1.0))
        self.body.addWidget(self.explain_title)
        self.explain_area = QVBoxLayout()
        self.body.addLayout(self.explain_area)
        self.boxes: dict[str, tuple[QLabel, ExplanationBox]] = {}
        self.another_pupil = QPushButton("Another pupil was held in this event…", self)
        self.another_pupil.setAutoDefault(False)
        self.another_pupil.setVisible(not amend)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setFont(heading_font(self.font(), 1.1))
        self.outcome.setAccessibleName("Outcome")
        self.outcome.hide()
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.submit = QPushButton("Save amendment…" if amend else "&Submit", self)
        self.submit.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.another_pupil)
        row.addStretch(1)
        row.addWidget(self.reason, 2)
        row.addWidget(self.submit)
        self.body.addWidget(self.outcome)
        self.body.addLayout(row)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.submit.clicked.connect(self._on_submit_clicked)
        self.another_pupil.clicked.connect(self._on_another_pupil_clicked)

    @Slot()
    def _on_submit_clicked(self) -> None:
        self.submit_requested.emit()

    @Slot()
    def _on_another_pupil_clicked(self) -> None:
        self.another_pupil_requested.emit()

    def load(self, details: IncidentDetails) -> None:
        """The review page holds no fields of its own."""

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return details

    def set_html(self, html: str) -> None:
        if html != getattr(self, "_html", None):
            self._html = html
            bar = self.summary.verticalScrollBar()
            position = bar.value()
            self.summary.setHtml(html)
            bar.setValue(position)

    def show_findings(self, findings: list[Finding], explanations: dict[str, str]) -> None:
        self.todo.show_findings(findings)
        warnings = [
            f for f in findings if f.severity is Severity.WARNING and f.explanation_field is None
        ]
        wanted = {f.code: f for f in warnings}
        added = False
        for code, finding in wanted.items():
            if code not in self.boxes:
                message = QLabel(finding.message, self)
                message.setWordWrap(True)
                message.setObjectName("fieldMessage")
                message.setProperty("severity", "warning")
                box = ExplanationBox(code, finding.message, self)
                box.edited.connect(self.explanation_edited)
                self.explain_area.addWidget(message)
                self.explain_area.addWidget(box)
                self.boxes[code] = (message, box)
                added = True
        for code, (message, box) in self.boxes.items():
            message.setVisible(code in wanted)
            box.setVisible(code in wanted)
            box.set_text(explanations.get(code, ""))
        self.explain_title.setVisible(bool(wanted))
        if added:
            chain = [
                self.todo.list,
                *(box.edit for _, box in self.boxes.values()),
                self.another_pupil,
                self.submit,
            ]
            for first, second in itertools.pairwise(chain):
                QWidget.setTabOrder(first, second)
        left = len(outstanding(findings))
        self.body.setStretchFactor(self.todo, 1 if left else 0)
        self.submit.setEnabled(left == 0)
        self.reason.setText(
            ""
            if left == 0
            else f"You can {'save the amendment' if self._amend else 'submit'} once the "
            f"{left} item{'s' if left != 1 else ''} above {'are' if left != 1 else 'is'} done."
        )
        self.submit.setAccessibleDescription(self.reason.text())

    def focus_finding(self, finding: Finding) -> QWidget | None:
        entry = self.boxes.get(finding.code)
        if entry is None or not entry[1].isVisibleTo(self):
            return None
        entry[1].edit.setFocus()
        return entry[1]

    def show_outcome(self, text: str) -> None:
        self.outcome.setText(text)
        self.outcome.show()

    def set_read_only(self, read_only: bool) -> None:
        for _, box in self.boxes.values():
            box.edit.setReadOnly(read_only)
        self.submit.setVisible(not read_only)
        self.reason.setVisible(not read_only)
