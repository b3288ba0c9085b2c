"""The fields of a behaviour support plan, in two columns: what staff should know on
the left, the agreed physical interventions and the people involved on the right."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.model import SchoolSettings
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.ui.dates import DateEdit
from incident_recorder.ui.form.widgets import CheckList, TextArea


def _labelled(layout: QVBoxLayout, text: str, widget: QWidget, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setBuddy(widget)
    widget.setAccessibleName(name)
    if layout.count():
        layout.addSpacing(8)
    layout.addWidget(label)
    layout.addWidget(widget)
    return label


def _options(items: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(i, i) for i in items]


class PlanFields(QWidget):
    """Everything a plan holds; :meth:`plan` reads it back as a BehaviourPlan."""

    def __init__(self, settings: SchoolSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        left, right = QVBoxLayout(), QVBoxLayout()
        self.triggers = TextArea(3, self)
        _labelled(left, "Known &triggers:", self.triggers, "Known triggers")
        self.early_signs = TextArea(3, self)
        _labelled(left, "&Early warning signs:", self.early_signs, "Early warning signs")
        self.helpful = CheckList(
            "What helps: strategies that work", _options(settings.deescalation_strategies), self
        )
        _labelled(
            left,
            "What &helps (the school's de-escalation strategies that work for this pupil):",
            self.helpful,
            "What helps: strategies that work",
        )
        self.helpful_other = TextArea(2, self)
        _labelled(left, "Other things that hel&p:", self.helpful_other, "Other things that help")
        self.to_avoid = TextArea(2, self)
        _labelled(left, "What to &avoid:", self.to_avoid, "What to avoid")
        self.communication = TextArea(2, self)
        _labelled(left, "C&ommunication needs:", self.communication, "Communication needs")
        left.addStretch(1)

        self.written_by = QLineEdit(self)
        _labelled(right, "&Written by:", self.written_by, "Written by")
        self.pupil_contributed = QCheckBox("The p&upil contributed to this plan", self)
        self.parents_contributed = QCheckBox("Parents or &carers contributed to this plan", self)
        self.start = DateEdit(self)
        _labelled(right, "&Start date (dd/mm/yyyy):", self.start, "Start date")
        self.review = DateEdit(self)
        _labelled(right, "Re&view date (dd/mm/yyyy):", self.review, "Review date")
        right.addSpacing(8)
        right.addWidget(self.pupil_contributed)
        right.addWidget(self.parents_contributed)
        self.approved = CheckList(
            "Approved physical interventions", _options(settings.techniques), self
        )
        _labelled(
            right,
            "Appro&ved physical interventions (the school's techniques):",
            self.approved,
            "Approved physical interventions",
        )
        self.medical = TextArea(2, self)
        _labelled(
            right,
            "&Medical or physical considerations (for example asthma):",
            self.medical,
            "Medical or physical considerations",
        )
        self.ruled_out = CheckList(
            "Techniques ruled out for medical reasons", _options(settings.techniques), self
        )
        _labelled(
            right,
            "Techniques &ruled out for medical or physical reasons:",
            self.ruled_out,
            "Techniques ruled out for medical reasons",
        )
        right.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def load(self, plan: BehaviourPlan) -> None:
        self.triggers.set_text(plan.triggers)
        self.early_signs.set_text(plan.early_warning_signs)
        self.helpful.set_checked(list(plan.helpful_strategies))
        self.helpful_other.set_text(plan.helpful_other)
        self.to_avoid.set_text(plan.to_avoid)
        self.communication.set_text(plan.communication_needs)
        self.approved.set_checked(list(plan.approved_techniques))
        self.medical.set_text(plan.medical_notes)
        self.ruled_out.set_checked(list(plan.ruled_out_techniques))
        self.written_by.setText(plan.written_by)
        self.pupil_contributed.setChecked(plan.pupil_contributed)
        self.parents_contributed.setChecked(plan.parents_contributed)
        self.start.set_value(plan.start_date)
        self.review.set_value(plan.review_date)

    def plan(self, pupil_id: int) -> BehaviourPlan:
        return BehaviourPlan(
            pupil_id=pupil_id,
            triggers=self.triggers.text(),
            early_warning_signs=self.early_signs.text(),
            helpful_strategies=tuple(self.helpful.checked()),
            helpful_other=self.helpful_other.text(),
            to_avoid=self.to_avoid.text(),
            approved_techniques=tuple(self.approved.checked()),
            medical_notes=self.medical.text(),
            ruled_out_techniques=tuple(self.ruled_out.checked()),
            communication_needs=self.communication.text(),
            written_by=self.written_by.text(),
            pupil_contributed=self.pupil_contributed.isChecked(),
            parents_contributed=self.parents_contributed.isChecked(),
            start_date=self.start.value(),
            review_date=self.review.value(),
        )

    def date_problems(self) -> list[str]:
        """Dates typed in a form the app cannot read."""
        out = []
        for name, edit in (("start date", self.start), ("review date", self.review)):
            if edit.problem():
                out.append(f"The {name} is not a date: type it as dd/mm/yyyy.")
        return out

    def set_read_only(self, read_only: bool) -> None:
        for widget in (
            self.triggers,
            self.early_signs,
            self.helpful_other,
            self.to_avoid,
            self.communication,
            self.medical,
        ):
            widget.setReadOnly(read_only)
        self.written_by.setReadOnly(read_only)
        choices: tuple[QWidget, ...] = (
            self.helpful,
            self.approved,
            self.ruled_out,
            self.pupil_contributed,
            self.parents_contributed,
            self.start,
            self.review,
        )
        for choice in choices:
            choice.setEnabled(not read_only)
