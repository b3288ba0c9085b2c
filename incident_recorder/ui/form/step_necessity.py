"""Step 5: why intervention was necessary — the lawful grounds, the justification, and
the confirmation that force was not a punishment."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QCheckBox, QWidget

from incident_recorder.domain.model import IncidentDetails, LawfulGround, Necessity
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import CheckList, TextArea


class NecessityPage(StepPage):
    step = Step.NECESSITY

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Force may only be used for one of these reasons, and must be reasonable and "
            "proportionate.",
            parent,
        )
        self.grounds = CheckList(
            "Why intervention was necessary", [(g, g.label) for g in LawfulGround], self
        )
        self.add_slot("grounds", "&Why was it necessary? (tick all that apply)", self.grounds)
        self.justification = TextArea(5, self)
        self.add_slot(
            "justification",
            "&Justification: why was it necessary and proportionate at that moment?",
            self.justification,
        )
        self.not_punishment = QCheckBox("I confirm that force was not used as a punishment", self)
        self.add_slot("not_punishment", "&Confirmation:", self.not_punishment)
        self.finish()

    def load(self, details: IncidentDetails) -> None:
        n = details.necessity
        self.grounds.set_checked(sorted(n.grounds, key=list(LawfulGround).index))
        self.justification.set_text(n.justification)
        self.not_punishment.setChecked(n.not_punishment_confirmed)

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            necessity=Necessity(
                grounds=frozenset(self.grounds.checked()),
                justification=self.justification.text(),
                not_punishment_confirmed=self.not_punishment.isChecked(),
            ),
        )
