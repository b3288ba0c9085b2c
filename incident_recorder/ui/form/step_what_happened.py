"""Step 3: what happened — the kinds of thing that led up to it, what led up to it,
what the pupil did, the account."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QWidget

from incident_recorder.domain.model import IncidentDetails, SchoolSettings, WhatHappened
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.plan_note import PlanNote, PlanPart
from incident_recorder.ui.form.widgets import TextArea

KINDS_QUESTION = "What kind of thing led up to it? (tick any that apply)"
COLUMNS = 2


class KindTicks(QWidget):
    """The school's kinds of antecedent as tick boxes in a few columns (reading order,
    which is also the tab order). Space ticks the focused box. A kind ticked in an old
    record but no longer on the school's list is added, ticked, at the end."""

    changed = Signal()

    def __init__(self, kinds: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(KINDS_QUESTION)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for kind in kinds:
            self._add(kind)
        for column in range(COLUMNS):
            self._grid.setColumnStretch(column, 1)

    def _add(self, kind: str) -> QCheckBox:
        box = QCheckBox(kind, self)
        box.setAccessibleName(kind)
        box.setAccessibleDescription(KINDS_QUESTION)
        box.toggled.connect(self._on_box_toggled)
        row, column = divmod(len(self.boxes), COLUMNS)
        self._grid.addWidget(box, row, column)
        if self.boxes:
            QWidget.setTabOrder(list(self.boxes.values())[-1], box)
        else:
            self.setFocusProxy(box)
        self.boxes[kind] = box
        return box

    @Slot(bool)
    def _on_box_toggled(self, _checked: bool) -> None:
        self.changed.emit()

    def checked(self) -> tuple[str, ...]:
        """The ticked kinds, in the order they are shown (the school's list order)."""
        return tuple(kind for kind, box in self.boxes.items() if box.isChecked())

    def set_checked(self, kinds: Sequence[str]) -> None:
        wanted = set(kinds)
        for kind in kinds:
            if kind not in self.boxes:
                self._add(kind)  # no longer on the school's list: still shown
        for kind, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(kind in wanted)
            box.blockSignals(False)


class WhatHappenedPage(StepPage):
    step = Step.WHAT_HAPPENED

    def __init__(
        self, settings: SchoolSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Write what you saw and did, plainly and factually. Tab moves to the next box.",
            parent,
        )
        self.plan_note = PlanNote(PlanPart.WHAT_HAPPENED, self)
        self.body.addWidget(self.plan_note)
        school_kinds = settings.antecedent_types if settings is not None else ()
        # The free text first (the first thing the keyboard reaches), the kinds beside it.
        beside = QHBoxLayout()
        beside.setSpacing(4)
        self.body.addLayout(beside)
        self.antecedents = TextArea(4, self)
        self.add_slot(
            "antecedents",
            "What &led up to it (what was happening before; any triggers):",
            self.antecedents,
            layout=beside,
        )
        self.antecedent_types = KindTicks(school_kinds, self)
        kinds_slot = self.add_slot(
            "antecedent_types",
            KINDS_QUESTION.replace("What kind", "What &kind"),
            self.antecedent_types,
            layout=beside,
        )
        beside.setStretch(0, 3)
        beside.setStretch(1, 2)
        if not school_kinds:
            kinds_slot.hide()
        self._kinds_slot = kinds_slot
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
        self.antecedent_types.set_checked(w.antecedent_types)
        # Hidden when the school has no list, unless an old record has kinds ticked.
        self._kinds_slot.setVisible(bool(self.antecedent_types.boxes))
        self.antecedents.set_text(w.antecedents)
        self.pupil_behaviour.set_text(w.pupil_behaviour)
        self.account.set_text(w.account)

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            what_happened=WhatHappened(
                antecedents=self.antecedents.text(),
                antecedent_types=self.antecedent_types.checked(),
                pupil_behaviour=self.pupil_behaviour.text(),
                account=self.account.text(),
            ),
        )
