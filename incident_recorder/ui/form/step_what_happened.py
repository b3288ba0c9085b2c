"""Step 3: what happened — what led up to it, what the pupil did, the account."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import IncidentDetails, WhatHappened
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.plan_note import PlanNote, PlanPart
from incident_recorder.ui.form.widgets import TextArea


class WhatHappenedPage(StepPage):
    step = Step.WHAT_HAPPENED

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Write what you saw and did, plainly and factually. Tab moves to the next box.",
            parent,
        )
        self.plan_note = PlanNote(PlanPart.WHAT_HAPPENED, self)
        self.body.addWidget(self.plan_note)
        self.antecedents = TextArea(4, self)
        self.add_slot(
            "antecedents",
            "What &led up to it (what was happening before; any triggers):",
            self.antecedents,
        )
        self.pupil_behaviour = TextArea(4, self)
        self.add_slot(
            "pupil_behaviour",
            "What the &pupil did:",
            self.pupil_behaviour,
            hint="Describe the behaviour itself, for example: kicked the door, ran towards the "
            "road, hit another pupil.",
        )
        self.account = TextArea(7, self)
        self.add_slot(
            "account",
            "The &incident in time order:",
            self.account,
            hint="From the start of the intervention to its end: who did what, and what was said.",
        )
        self.finish()

    def set_plan(self, plan: BehaviourPlan | None, pupil_chosen: bool) -> None:
        self.plan_note.set_plan(plan, pupil_chosen)

    def load(self, details: IncidentDetails) -> None:
        w = details.what_happened
        self.antecedents.set_text(w.antecedents)
        self.pupil_behaviour.set_text(w.pupil_behaviour)
        self.account.set_text(w.account)

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            what_happened=WhatHappened(
                antecedents=self.antecedents.text(),
                pupil_behaviour=self.pupil_behaviour.text(),
                account=self.account.text(),
            ),
        )
