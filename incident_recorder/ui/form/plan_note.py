"""The pupil's behaviour support plan, beside the steps it helps with: triggers and
early warning signs on "What happened", what helps and what to avoid on
"De-escalation", approved techniques and medical cautions on "The intervention".

Read-only and compact; it shows the version in force on the incident's date.
"""

from __future__ import annotations

from enum import Enum
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from incident_recorder.domain.plans import BehaviourPlan

NO_PLAN = "No behaviour support plan on record for this pupil."


class PlanPart(Enum):
    WHAT_HAPPENED = "what_happened"
    DEESCALATION = "deescalation"
    INTERVENTION = "intervention"


def _rows(plan: BehaviourPlan, part: PlanPart) -> list[tuple[str, str]]:
    if part is PlanPart.WHAT_HAPPENED:
        return [
            ("Known triggers", plan.triggers),
            ("Early warning signs", plan.early_warning_signs),
        ]
    if part is PlanPart.DEESCALATION:
        helps = "; ".join(plan.helpful_strategies)
        if plan.helpful_other.strip():
            helps = f"{helps}; {plan.helpful_other.strip()}" if helps else plan.helpful_other
        return [
            ("What helps", helps),
            ("What to avoid", plan.to_avoid),
            ("Communication needs", plan.communication_needs),
        ]
    return [
        ("Approved techniques", "; ".join(plan.approved_techniques) or "None approved"),
        ("Medical or physical cautions", plan.medical_notes),
        ("Ruled out for this pupil", "; ".join(plan.ruled_out_techniques)),
    ]


def plan_heading(plan: BehaviourPlan) -> str:
    review = plan.review_date.strftime("%d/%m/%Y") if plan.review_date else "not set"
    return f"Behaviour support plan, version {plan.version} (review due {review})"


class PlanNote(QFrame):
    """A small panel with the parts of the plan that matter on one step."""

    def __init__(self, part: PlanPart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setProperty("role", "panel")
        self.setObjectName("planNote")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setAccessibleName("The pupil's behaviour support plan")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        self.plan: BehaviourPlan | None = None
        self._plain = ""
        self.hide()

    def set_plan(self, plan: BehaviourPlan | None, pupil_chosen: bool) -> None:
        """Show ``plan``; with no plan, one line saying so; nothing before a pupil is
        chosen."""
        self.plan = plan
        if not pupil_chosen:
            self.text.clear()
            self._plain = ""
            self.hide()
            return
        if plan is None:
            plain = [NO_PLAN]
            rich = [escape(NO_PLAN)]
        else:
            plain = [plan_heading(plan)]
            rich = [f"<b>{escape(plan_heading(plan))}</b>"]
            for label, value in _rows(plan, self.part):
                if value.strip():
                    plain.append(f"{label}: {value.strip()}")
                    body = escape(value.strip()).replace("\n", "<br>")
                    rich.append(f"<b>{escape(label)}:</b> {body}")
        self._plain = "\n".join(plain)
        self.text.setText("<br>".join(rich))
        self.text.setAccessibleDescription(self._plain)
        self.show()

    def plain_text(self) -> str:
        """What the panel says, without markup."""
        return self._plain
