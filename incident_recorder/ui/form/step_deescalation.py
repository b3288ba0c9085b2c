"""Step 4: de-escalation tried — the school's checklist, other strategies, or why
there was no time."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import Deescalation, IncidentDetails, SchoolSettings
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import CheckList, TextArea


class DeescalationPage(StepPage):
    step = Step.DEESCALATION

    def __init__(self, settings: SchoolSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            "Force should be the last resort. Tick everything that was tried before the "
            "intervention.",
            parent,
        )
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
