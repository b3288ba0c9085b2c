"""Step 7: injuries to the pupil, staff or anyone else; first aid; property damage."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QLineEdit, QWidget

from incident_recorder.domain.model import IncidentDetails, Injuries
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.body_map_editor import BodyMapEditor
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import TextArea, yes_no


class InjuriesPage(StepPage):
    step = Step.INJURIES
    # "Someone was injured: tell the safeguarding lead" is explained once the injuries,
    # the first aid and any medical attention are written (they show for any injury).
    explanations_after = (("pupil_injured", "medical_attention"),)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Answer each question, even when nobody was hurt.", parent)
        self.pupil_injured = yes_no("Was the pupil injured?")
        self.add_slot("pupil_injured", "Was the &pupil injured?", self.pupil_injured)
        self.pupil_injury = TextArea(3, self)
        self.add_slot("pupil_injury", "&What was the pupil's injury?", self.pupil_injury)
        self.pupil_marks = BodyMapEditor("the pupil", self)
        self.add_slot(
            "pupil_marks",
            "Where was the pupil hurt? Mark each injury on the body map:",
            self.pupil_marks,
            hint="Click the place on the figure, or choose it from the list.",
            focus=self.pupil_marks.region_box,
        )
        self.staff_injured = yes_no("Was any member of staff injured?")
        self.add_slot("staff_injured", "Was any member of &staff injured?", self.staff_injured)
        self.staff_injury = TextArea(3, self)
        self.add_slot("staff_injury", "What was the injury to s&taff?", self.staff_injury)
        self.staff_marks = BodyMapEditor("the member of staff", self)
        self.add_slot(
            "staff_marks",
            "Where was the member of staff hurt? Mark each injury on the body map "
            "(say whose in the note if more than one adult was hurt):",
            self.staff_marks,
            hint="Click the place on the figure, or choose it from the list.",
            focus=self.staff_marks.region_box,
        )
        self.others_injured = yes_no("Was anyone else injured?")
        self.add_slot("others_injured", "Was anyone &else injured?", self.others_injured)
        self.others_injury = TextArea(3, self)
        self.add_slot("others_injury", "&Describe their injuries:", self.others_injury)
        self.first_aid = TextArea(2, self)
        self.add_slot(
            "first_aid",
            "&First aid given (or write 'none needed'):",
            self.first_aid,
        )
        self.first_aid_by = QLineEdit(self)
        self.add_slot("first_aid_by", "First aid given b&y:", self.first_aid_by)
        self.medical_attention = TextArea(2, self)
        self.add_slot(
            "medical_attention",
            "&Medical attention (for example: sent to A&&E, parent took to GP):",
            self.medical_attention,
        )
        self.property_damage = TextArea(2, self)
        self.add_slot(
            "property_damage",
            "Damage to p&roperty, if any:",
            self.property_damage,
        )
        self.finish()
        self.update_visibility()

    def update_visibility(self) -> None:
        pupil = self.pupil_injured.value() is True
        staff = self.staff_injured.value() is True
        others = self.others_injured.value() is True
        self.slots["pupil_injury"].setVisible(pupil)
        self.slots["pupil_marks"].setVisible(pupil)
        self.slots["staff_injury"].setVisible(staff)
        self.slots["staff_marks"].setVisible(staff)
        self.slots["others_injury"].setVisible(others)
        anyone = pupil or staff or others
        for name in ("first_aid", "first_aid_by", "medical_attention"):
            self.slots[name].setVisible(anyone)

    def load(self, details: IncidentDetails) -> None:
        j = details.injuries
        self.pupil_injured.set_value(j.pupil_injured)
        self.pupil_injury.set_text(j.pupil_injury)
        self.pupil_marks.set_value(j.pupil_marks)
        self.staff_injured.set_value(j.staff_injured)
        self.staff_injury.set_text(j.staff_injury)
        self.staff_marks.set_value(j.staff_marks)
        self.others_injured.set_value(j.others_injured)
        self.others_injury.set_text(j.others_injury)
        self.first_aid.set_text(j.first_aid)
        self.first_aid_by.setText(j.first_aid_by)
        self.medical_attention.set_text(j.medical_attention)
        self.property_damage.set_text(j.property_damage)
        self.update_visibility()

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        pupil, staff, others = (
            self.pupil_injured.value(),
            self.staff_injured.value(),
            self.others_injured.value(),
        )
        anyone = bool(pupil or staff or others)
        return dataclasses.replace(
            details,
            injuries=Injuries(
                pupil_injured=pupil,
                pupil_injury=self.pupil_injury.text() if pupil else "",
                staff_injured=staff,
                staff_injury=self.staff_injury.text() if staff else "",
                others_injured=others,
                others_injury=self.others_injury.text() if others else "",
                first_aid=self.first_aid.text() if anyone else "",
                first_aid_by=self.first_aid_by.text() if anyone else "",
                medical_attention=self.medical_attention.text() if anyone else "",
                property_damage=self.property_damage.text(),
                pupil_marks=self.pupil_marks.value() if pupil else (),
                staff_marks=self.staff_marks.value() if staff else (),
            ),
        )
