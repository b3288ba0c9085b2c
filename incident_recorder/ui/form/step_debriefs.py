"""Step 8: the pupil's voice and debriefs."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QLineEdit, QWidget

from incident_recorder.domain.model import Debriefs, IncidentDetails
from incident_recorder.domain.steps import Step
from incident_recorder.ui.dates import DateTimeEdit
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import TextArea, yes_no


class DebriefsPage(StepPage):
    step = Step.DEBRIEFS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "After the pupil is calm, an adult they trust talks with them about what happened. "
            "Record their view in their own words.",
            parent,
        )
        self.debriefed = yes_no("Has the pupil been debriefed?")
        self.add_slot("pupil_debriefed", "Has the pupil been &debriefed?", self.debriefed)
        self.debrief_at = DateTimeEdit(self)
        self.add_slot("pupil_debrief_at", "&When?", self.debrief_at)
        self.debrief_by = QLineEdit(self)
        self.add_slot("pupil_debrief_by", "B&y whom?", self.debrief_by)
        self.pupil_voice = TextArea(5, self)
        self.add_slot(
            "pupil_voice",
            "What the pupil said, in their &own words:",
            self.pupil_voice,
            hint="Write their words as they said them. If they chose not to say anything, "
            "write that.",
        )
        self.not_debriefed_reason = TextArea(3, self)
        self.add_slot(
            "pupil_not_debriefed_reason",
            "&Reason the pupil has not been debriefed yet:",
            self.not_debriefed_reason,
        )
        self.staff_debrief = TextArea(3, self)
        self.add_slot(
            "staff_debrief",
            "&Staff debrief (who took part, when, what was learned):",
            self.staff_debrief,
        )
        self.staff_support = TextArea(3, self)
        self.add_slot("staff_support", "Support offered to s&taff involved:", self.staff_support)
        self.finish()
        self.update_visibility()

    def update_visibility(self) -> None:
        answer = self.debriefed.value()
        for name in ("pupil_debrief_at", "pupil_debrief_by", "pupil_voice"):
            self.slots[name].setVisible(answer is True)
        self.slots["pupil_not_debriefed_reason"].setVisible(answer is False)

    def load(self, details: IncidentDetails) -> None:
        b = details.debriefs
        self.debriefed.set_value(b.pupil_debriefed)
        self.debrief_at.set_value(b.pupil_debrief_at)
        self.debrief_by.setText(b.pupil_debrief_by)
        self.pupil_voice.set_text(b.pupil_voice)
        self.not_debriefed_reason.set_text(b.pupil_not_debriefed_reason)
        self.staff_debrief.set_text(b.staff_debrief)
        self.staff_support.set_text(b.staff_support)
        self.update_visibility()

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        answer = self.debriefed.value()
        yes, no = answer is True, answer is False
        return dataclasses.replace(
            details,
            debriefs=Debriefs(
                pupil_debriefed=answer,
                pupil_debrief_at=self.debrief_at.value() if yes else None,
                pupil_debrief_by=self.debrief_by.text() if yes else "",
                pupil_voice=self.pupil_voice.text() if yes else "",
                pupil_not_debriefed_reason=self.not_debriefed_reason.text() if no else "",
                staff_debrief=self.staff_debrief.text(),
                staff_support=self.staff_support.text(),
            ),
        )
