"""Step 4: de-escalation tried — the school's checklist, other strategies, or why
there was no time."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import Deescalation, IncidentDetails, SchoolSettings
from incident_recorder.domain.plans import BehaviourPlan, strategies_first
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.plan_note import PlanNote, PlanPart
from incident_recorder.ui.form.widgets import CheckList, TextArea


class DeescalationPage(StepPage):
    step = Step.DEESCALATION

    def __init__(self, settings: SchoolSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            "Force should be the last resort. Tick everything that was tried before the "
            "intervention.",
            parent,
        )
        self._school_list = settings.deescalation_strategies
        self.plan_note = PlanNote(PlanPart.DEESCALATION, self)
        self.body.addWidget(self.plan_note)
        self.strategies = CheckList(
            "De-escalation tried", [(s, s) for s in settings.deescalation_strategies], self
        )
        self.add_slot("strategies", "&De-escalation tried (tick all that apply):", self.strategies)
        self.other = TextArea(3, self)
        self.add_slot("other", "&Other de-escalation tried:", self.other)
        self.no_time_reason = TextArea(3, self)
        self.add_slot(
            "no_time_reason",
            "If there was no &time to try de-escalation, say why:",
            self.no_time_reason,
            hint="For example: the pupil ran straight towards the road.",
        )
        self.finish()

    def set_plan(self, plan: BehaviourPlan | None, pupil_chosen: bool) -> None:
        """Show the plan, and list its strategies first, marked as in the plan."""
        self.plan_note.set_plan(plan, pupil_chosen)
        in_plan = set(plan.helpful_strategies) if plan is not None else set()
        self.strategies.set_options(
            [
                (s, f"{s}  (in the plan)" if s in in_plan else s)
                for s in strategies_first(self._school_list, plan)
            ]
        )

    def load(self, details: IncidentDetails) -> None:
        d = details.deescalation
        self.strategies.set_checked(list(d.strategies))
        self.other.set_text(d.other)
        self.no_time_reason.set_text(d.no_time_reason)

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            deescalation=Deescalation(
                strategies=tuple(self.strategies.checked()),
                other=self.other.text(),
                no_time_reason=self.no_time_reason.text(),
            ),
        )
