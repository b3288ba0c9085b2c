"""Step 10: follow-up — support for the pupil, reviews, referrals and actions."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QLineEdit, QWidget

from incident_recorder.domain.model import (
    FollowUp,
    FollowUpAction,
    IncidentDetails,
    Referral,
)
from incident_recorder.domain.steps import Step
from incident_recorder.ui.dates import DateEdit
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.rows import Row, RowsEditor
from incident_recorder.ui.form.widgets import CheckList, TextArea, yes_no


class ActionRow(Row):
    noun = "action"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.description = QLineEdit(self)
        self.description.setPlaceholderText("What needs doing")
        self.owner = QLineEdit(self)
        self.owner.setPlaceholderText("Who will do it")
        self.due = DateEdit(self)
        self.add_input("Description:", self.description, 3)
        self.add_input("Owner:", self.owner, 1)
        self.add_input("Due:", self.due)

    def value(self) -> FollowUpAction:
        return FollowUpAction(self.description.text(), self.owner.text(), self.due.value())

    def set_value(self, action: FollowUpAction) -> None:
        self.description.setText(action.description)
        self.owner.setText(action.owner)
        self.due.set_value(action.due)


class FollowUpPage(StepPage):
    step = Step.FOLLOW_UP

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What happens next, for the pupil and for the school.", parent)
        self.how_child_is_now = TextArea(3, self)
        self.add_slot(
            "how_child_is_now",
            "How is the pupil &now?",
            self.how_child_is_now,
            hint="For example: calm, back in class and eating lunch with friends.",
        )
        self.pupil_support = TextArea(3, self)
        self.add_slot("pupil_support", "&Support the pupil will have:", self.pupil_support)
        self.plan_review = yes_no("Does the pupil's behaviour support plan need review?")
        self.add_slot(
            "plan_review",
            "Does the pupil's behaviour support &plan need review?",
            self.plan_review,
        )
        self.risk_review = yes_no("Does the risk assessment need review?")
        self.add_slot("risk_review", "Does the &risk assessment need review?", self.risk_review)
        self.referrals = CheckList("Referrals made", [(r, r.label) for r in Referral], self)
        self.add_slot("referrals", "Re&ferrals made (tick all that apply):", self.referrals)
        self.action_rows = RowsEditor("&Add an action", ActionRow, "No actions added.", self)
        self.add_slot(
            "actions",
            "Ac&tions, each with an owner and a due date:",
            self.action_rows,
        )
        self.finish()

    def load(self, details: IncidentDetails) -> None:
        f = details.follow_up
        self.how_child_is_now.set_text(f.how_child_is_now)
        self.pupil_support.set_text(f.pupil_support)
        self.plan_review.set_value(f.plan_review_needed)
        self.risk_review.set_value(f.risk_assessment_review_needed)
        self.referrals.set_checked(sorted(f.referrals, key=list(Referral).index))
        rows = self.action_rows.set_rows(len(f.actions))
        for row, action in zip(rows, f.actions, strict=True):
            assert isinstance(row, ActionRow)
            row.set_value(action)

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            follow_up=FollowUp(
                pupil_support=self.pupil_support.text(),
                plan_review_needed=self.plan_review.value(),
                risk_assessment_review_needed=self.risk_review.value(),
                referrals=frozenset(self.referrals.checked()),
                actions=tuple(
                    r.value() for r in self.action_rows.rows() if isinstance(r, ActionRow)
                ),
                how_child_is_now=self.how_child_is_now.text(),
            ),
        )
