"""Step 9: parents or carers — told (who, how, when, by whom), not yet (why), or
withheld because telling them would put the pupil at risk (then the local authority)."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from incident_recorder.domain.model import (
    ContactMethod,
    IncidentDetails,
    ParentsContact,
    ParentsStatus,
)
from incident_recorder.domain.steps import Step
from incident_recorder.ui.dates import DateTimeEdit
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import ChoiceGroup, TextArea

STATUS_LABELS = {
    ParentsStatus.TOLD: "Yes, they have been told",
    ParentsStatus.NOT_YET: "Not yet",
    ParentsStatus.WITHHELD: ("No: telling them would put the pupil at risk of significant harm"),
}


class ParentsPage(StepPage):
    step = Step.PARENTS
    # "Not told by the end of the day" is explained after who, how and when (or the
    # reason they have not been told yet), whichever the answer opened.
    explanations_after = (("status", "la_told_who"),)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Parents or carers should be told as soon as practicable, ideally the same day.",
            parent,
        )
        self.status = ChoiceGroup(
            "Have the pupil's parents or carers been told?",
            list(STATUS_LABELS.items()),
            vertical=True,
        )
        self.add_slot("status", "&Have the pupil's parents or carers been told?", self.status)
        self.told_who = QLineEdit(self)
        self.add_slot("told_who", "&Which parent or carer was told?", self.told_who)
        self.told_how = QComboBox(self)
        self.told_how.setPlaceholderText("Choose how")
        for method in ContactMethod:
            self.told_how.addItem(method.label, method.value)
        self.told_how.setCurrentIndex(-1)
        self.add_slot("told_how", "How were they &told?", self.told_how)
        self.told_at = DateTimeEdit(self)
        self.add_slot("told_at", "Wh&en?", self.told_at)
        self.told_by = QLineEdit(self)
        self.add_slot("told_by", "B&y whom?", self.told_by)
        self.not_yet_reason = TextArea(3, self)
        self.add_slot("not_yet_reason", "&Reason they have not been told yet:", self.not_yet_reason)
        self.withheld_reason = TextArea(4, self)
        self.add_slot(
            "withheld_reason",
            "Why would telling them put the pupil at ris&k of significant harm?",
            self.withheld_reason,
        )
        self.withheld_decided_by = QLineEdit(self)
        self.add_slot(
            "withheld_decided_by",
            "Who &decided? (name and role)",
            self.withheld_decided_by,
        )
        self.la_told_at = DateTimeEdit(self)
        self.add_slot("la_told_at", "When was the &local authority told?", self.la_told_at)
        self.la_told_who = QLineEdit(self)
        self.add_slot("la_told_who", "Who at the local authority was t&old?", self.la_told_who)
        self.summary_for_parents = TextArea(5, self)
        self.add_slot(
            "summary_for_parents",
            "&Summary for parents and carers (printed in their letter: do not name other children)",
            self.summary_for_parents,
            hint="A few kind, plain sentences about what happened, for the pupil's family. "
            "Say 'another pupil' rather than a name.",
        )
        self.finish()
        self.update_visibility()

    def update_visibility(self) -> None:
        status = self.status.value()
        for name in ("told_who", "told_how", "told_at", "told_by"):
            self.slots[name].setVisible(status is ParentsStatus.TOLD)
        self.slots["not_yet_reason"].setVisible(status is ParentsStatus.NOT_YET)
        for name in ("withheld_reason", "withheld_decided_by", "la_told_at", "la_told_who"):
            self.slots[name].setVisible(status is ParentsStatus.WITHHELD)
        self.slots["summary_for_parents"].setVisible(status is not ParentsStatus.WITHHELD)

    def load(self, details: IncidentDetails) -> None:
        p = details.parents
        self.status.set_value(p.status)
        self.told_who.setText(p.told_who)
        self.told_how.setCurrentIndex(
            -1 if p.told_how is None else self.told_how.findData(p.told_how)
        )
        self.told_at.set_value(p.told_at)
        self.told_by.setText(p.told_by)
        self.not_yet_reason.set_text(p.not_yet_reason)
        self.withheld_reason.set_text(p.withheld_reason)
        self.withheld_decided_by.setText(p.withheld_decided_by)
        self.la_told_at.set_value(p.la_told_at)
        self.la_told_who.setText(p.la_told_who)
        self.summary_for_parents.set_text(p.summary_for_parents)
        self.update_visibility()

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        status = self.status.value()
        told = status is ParentsStatus.TOLD
        withheld = status is ParentsStatus.WITHHELD
        how = self.told_how.currentData()
        return dataclasses.replace(
            details,
            parents=ParentsContact(
                status=status if isinstance(status, ParentsStatus) else None,
                told_who=self.told_who.text() if told else "",
                told_how=ContactMethod(how) if told and how else None,
                told_at=self.told_at.value() if told else None,
                told_by=self.told_by.text() if told else "",
                not_yet_reason=(
                    self.not_yet_reason.text() if status is ParentsStatus.NOT_YET else ""
                ),
                withheld_reason=self.withheld_reason.text() if withheld else "",
                withheld_decided_by=self.withheld_decided_by.text() if withheld else "",
                la_told_at=self.la_told_at.value() if withheld else None,
                la_told_who=self.la_told_who.text() if withheld else "",
                summary_for_parents="" if withheld else self.summary_for_parents.text(),
            ),
        )
