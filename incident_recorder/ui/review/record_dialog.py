"""Record a review of a pupil's behaviour support plan: the date, the outcome and why,
who took part, the incidents considered and the next review date.

A saved review is a record and cannot be changed, so the dialog says so before Save.
The next review defaults to six weeks after the review: about one half-term, the usual
cycle for reviewing a behaviour support plan (and for SEN support's assess, plan, do,
review), so a plan that has just needed attention is looked at again within the term.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.review import PupilReview
from incident_recorder.services.review import ReviewService
from incident_recorder.ui.dates import DateEdit
from incident_recorder.ui.form.widgets import TextArea
from incident_recorder.ui.prompter import Prompter, QtPrompter
from incident_recorder.ui.review.considered import IncidentsConsidered
from incident_recorder.ui.review.participants import ParticipantsEditor
from incident_recorder.ui.style import heading, message_label, show_message

NEXT_REVIEW_AFTER = timedelta(weeks=6)
REASON_LABELS = {
    None: "&Reason:",
    ReviewOutcome.PLAN_UPDATED: "&Reason: what changed in the plan, and why:",
    ReviewOutcome.NO_CHANGE: "&Reason: why the plan does not need to change:",
}


class RecordReviewDialog(QDialog):
    review_recorded = Signal(object)  # the saved PlanReviewRecord

    def __init__(
        self,
        reviews: ReviewService,
        pupil: Pupil,
        review: PupilReview,
        parent: QWidget | None = None,
        *,
        prompter: Prompter | None = None,
        open_plan: Callable[[Pupil], object] | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._reviews = reviews
        self._pupil = pupil
        self._prompter: Prompter = prompter or QtPrompter(self)
        self._open_plan = open_plan
        self._today = today or reviews.local_today()
        self._next_suggested: date | None = None
        self.saved: PlanReviewRecord | None = None
        self.setWindowTitle(f"Record a review — {pupil.display_name}")
        self._build(review)
        self._connect_signals()
        self.held_on.set_value(self._today)
        self._on_outcome_changed()
        self.resize(720, 760)

    # ------------------------------------------------------------------ building

    def _build(self, review: PupilReview) -> None:
        title = heading(f"Review of {self._pupil.display_name}'s plan", 1.3, self)
        intro = QLabel(
            "Record the meeting that reviewed the behaviour support plan. Once saved, a "
            "review is kept as a record and cannot be changed.",
            self,
        )
        intro.setWordWrap(True)
        self.error = message_label("error", self)
        self.held_on = DateEdit(self)
        self.held_on.setAccessibleName("Date of the review")
        self.updated = QRadioButton("Plan &updated", self)
        self.no_change = QRadioButton("No c&hange to the plan", self)
        self.outcome = QButtonGroup(self)
        self.outcome.addButton(self.updated)
        self.outcome.addButton(self.no_change)
        self.updated.setAccessibleName("Outcome: plan updated")
        self.no_change.setAccessibleName("Outcome: no change to the plan")
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.updated)
        outcome_row.addWidget(self.no_change)
        outcome_row.addStretch(1)
        self.reason = TextArea(4, self)
        self.reason.setAccessibleName("Reason")
        self.reason_label = QLabel(REASON_LABELS[None], self)
        self.reason_label.setBuddy(self.reason)
        self.reason_label.setWordWrap(True)
        self.people = ParticipantsEditor(self)
        self.pupil_took_part = QCheckBox("The &pupil took part", self)
        self.parents_took_part = QCheckBox("Parents or &carers took part", self)
        self.considered = IncidentsConsidered(review.timeline, review.not_yet_reviewed, self)
        self.next_review = DateEdit(self)
        self.next_review.setAccessibleName("Date of the next review")
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("&Save the review", self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._buddy("&Date of the review:", self.held_on), self.held_on)
        outcome_label = QLabel("Outcome:", self)
        outcome_label.setBuddy(self.updated)
        form.addRow(outcome_label, outcome_row)
        form.addRow(self.reason_label)
        form.addRow(self.reason)
        form.addRow(QLabel("Who took part (add each person with their role):", self))
        form.addRow(self.people)
        took_part = QHBoxLayout()
        took_part.addWidget(self.pupil_took_part)
        took_part.addWidget(self.parents_took_part)
        took_part.addStretch(1)
        form.addRow(took_part)
        incidents_label = self._buddy(
            "&Incidents considered (the pupil's incidents not yet reviewed are ticked):",
            self.considered.list,
        )
        incidents_label.setWordWrap(True)
        form.addRow(incidents_label)
        form.addRow(self.considered)
        form.addRow(self._buddy("Ne&xt review:", self.next_review), self.next_review)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.error)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        chain = [self.held_on, self.updated, self.no_change, self.reason, self.people.name]
        chain += [self.people.role, self.people.add_button, self.people.list]
        chain += [self.people.remove_button, self.pupil_took_part, self.parents_took_part]
        c = self.considered
        chain += [c.list, c.tick_all, c.untick_all, self.next_review]
        chain += [self.save_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _connect_signals(self) -> None:
        self.outcome.buttonToggled.connect(self._on_outcome_changed)
        self.held_on.changed.connect(self._on_held_on_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ reading

    def chosen_outcome(self) -> ReviewOutcome | None:
        if self.updated.isChecked():
            return ReviewOutcome.PLAN_UPDATED
        if self.no_change.isChecked():
            return ReviewOutcome.NO_CHANGE
        return None

    def record(self) -> PlanReviewRecord:
        return PlanReviewRecord(
            pupil_id=self._pupil.id,
            held_on=self.held_on.value(),
            outcome=self.chosen_outcome(),
            reason=self.reason.text().strip(),
            participants=self.people.participants(),
            pupil_took_part=self.pupil_took_part.isChecked(),
            parents_took_part=self.parents_took_part.isChecked(),
            incident_ids=self.considered.ticked(),
            next_review=self.next_review.value(),
        )

    def has_typing(self) -> bool:
        empty = PlanReviewRecord(pupil_id=self._pupil.id)
        typed = dataclasses.replace(self.record(), held_on=None, next_review=None, incident_ids=())
        return typed != empty

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_outcome_changed(self) -> None:
        self.reason_label.setText(REASON_LABELS[self.chosen_outcome()])
        self.reason.setAccessibleName(self.reason_label.text().replace("&", "").rstrip(":"))

    @Slot()
    def _on_held_on_changed(self) -> None:
        """The next review follows the review date until it is changed by hand."""
        held_on = self.held_on.value()
        current = self.next_review.value()
        if held_on is None or (current is not None and current != self._next_suggested):
            return
        self._next_suggested = held_on + NEXT_REVIEW_AFTER
        self.next_review.set_value(self._next_suggested)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem = self.held_on.problem() or self.next_review.problem()
        if problem:
            show_message(self.error, problem)
            return
        try:
            saved = self._reviews.record_review(self.record())
        except IncidentRecorderError as error:
            show_message(self.error, str(error).replace(". ", ".\n"))  # one problem a line
            return
        show_message(self.error, "")
        self.saved = saved
        self.review_recorded.emit(saved)
        self.accept()
        self._confirm(saved)

    def _confirm(self, saved: PlanReviewRecord) -> None:
        name = self._pupil.display_name
        done = f"The review of {name}'s plan has been saved."
        if saved.outcome is not ReviewOutcome.PLAN_UPDATED:
            self._prompter.inform("Review saved", done)
            return
        change = (
            f"{done} The plan itself is changed in the behaviour support plan editor: "
            "save the new version there."
        )
        if self._open_plan is None:
            self._prompter.inform("Review saved", change)
        elif self._prompter.confirm(
            "Review saved", f"{change} Open the plan now?", yes="Open the plan", no="Not now"
        ):
            self._open_plan(self._pupil)

    def reject(self) -> None:
        if (
            self.saved is None
            and self.has_typing()
            and not self._prompter.confirm(
                "Discard this review?",
                "What you have typed about this review will be lost.",
                yes="Discard it",
                no="Keep editing",
            )
        ):
            return
        super().reject()
