"""Step 6: the intervention — kind, holds and how long each lasted (minutes and
seconds), staff, any floor position, and airway, breathing and circulation."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from incident_recorder.domain.durations import duration_text
from incident_recorder.domain.model import (
    FloorPosition,
    HoldUse,
    IncidentDetails,
    Intervention,
    InterventionKind,
    SchoolSettings,
)
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form.definitions import kind_definitions_label
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.plan_note import PlanNote, PlanPart
from incident_recorder.ui.form.rows import Row, RowsEditor
from incident_recorder.ui.form.widgets import (
    CheckList,
    ChoiceGroup,
    DurationInput,
    OptionalSpin,
    TextArea,
    set_placeholder,
    yes_no,
)


class HoldRow(Row):
    noun = "hold"

    def __init__(self, techniques: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.technique = QComboBox(self)
        self.technique.setEditable(True)
        self.technique.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.technique.addItems(list(techniques))
        self.technique.setCurrentIndex(-1)
        self.technique.setMinimumContentsLength(22)
        set_placeholder(self.technique, "Choose or type the technique")
        self.duration = DurationInput(240, self)
        self.add_input("Technique:", self.technique, 1)
        self.add_input("How long:", self.duration)

    def value(self) -> HoldUse:
        return HoldUse(self.technique.currentText().strip(), self.duration.total_seconds())

    def set_value(self, hold: HoldUse) -> None:
        index = self.technique.findText(hold.technique)
        self.technique.setCurrentIndex(index)
        if index < 0:
            self.technique.setEditText(hold.technique)
        self.duration.set_total_seconds(hold.seconds)


class InterventionPage(StepPage):
    step = Step.INTERVENTION
    # The floor position and airway warnings: explained after their follow-on questions.
    explanations_after = (("floor_position", "floor_release"), ("abc", "abc_details"))

    def __init__(self, settings: SchoolSettings, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._techniques = settings.techniques
        self.plan_note = PlanNote(PlanPart.INTERVENTION, self)
        self.body.addWidget(self.plan_note)
        self.kind = ChoiceGroup(
            "Kind of intervention", [(k, k.label) for k in InterventionKind], vertical=True
        )
        self.add_slot("kind", "&Kind of intervention:", self.kind)
        self.definitions = kind_definitions_label(settings, self)
        self.body.addWidget(self.definitions)
        self.holds = RowsEditor(
            "Add a hold or &technique", self._make_hold_row, "No holds added yet.", self
        )
        self.add_slot("holds", "&Holds or techniques used, and how long each lasted:", self.holds)
        self.total = QLabel(self)
        self.total.setAccessibleName("Total time held")
        self.holds.footer.addWidget(self.total)
        self.staff_count = OptionalSpin(30, "", self)
        self.add_slot("staff_count", "Number of &staff who took part:", self.staff_count)
        self.floor = yes_no("Was the pupil on the ground, prone or supine at any point?")
        self.add_slot(
            "floor_position",
            "Was the pupil on the &ground, prone or supine at any point?",
            self.floor,
        )
        self.floor_positions = CheckList(
            "Which floor positions", [(p, p.label) for p in FloorPosition], self
        )
        self.add_slot("floor_positions", "Which &position or positions?", self.floor_positions)
        self.floor_how = TextArea(3, self)
        self.add_slot("floor_how", "Ho&w did the floor position come about?", self.floor_how)
        self.floor_duration = DurationInput(240, self)
        self.add_slot(
            "floor_seconds",
            "How &long did it last? (minutes and seconds)",
            self.floor_duration,
            focus=self.floor_duration.minutes,
        )
        self.floor_release = TextArea(3, self)
        self.add_slot("floor_release", "How was the pupil &released?", self.floor_release)
        self.abc = ChoiceGroup(
            "Airway, breathing and circulation",
            [
                (True, "Yes: airway, breathing and circulation were never restricted"),
                (False, "No, or not sure: describe what happened"),
            ],
            vertical=True,
        )
        self.add_slot(
            "abc",
            "&Airway, breathing and circulation: can you confirm they were never restricted?",
            self.abc,
        )
        self.abc_details = TextArea(3, self)
        self.add_slot(
            "abc_details",
            "&Describe what happened to airway, breathing or circulation:",
            self.abc_details,
        )
        self.finish()
        self.update_visibility()

    def _make_hold_row(self, parent: QWidget) -> Row:
        return HoldRow(self._techniques, parent)

    def update_visibility(self) -> None:
        floor = self.floor.value() is True
        for name in ("floor_positions", "floor_how", "floor_seconds", "floor_release"):
            self.slots[name].setVisible(floor)
        self.slots["abc_details"].setVisible(self.abc.value() is False)
        total = self._intervention().total_hold_seconds
        self.total.setText(f"Total time held: {duration_text(total)}" if total else "")
        self.total.setVisible(bool(total))

    def _intervention(self) -> Intervention:
        floor = self.floor.value()
        abc = self.abc.value()
        kind = self.kind.value()
        return Intervention(
            kind=kind if isinstance(kind, InterventionKind) else None,
            holds=tuple(r.value() for r in self.holds.rows() if isinstance(r, HoldRow)),
            staff_count=self.staff_count.number(),
            floor_position=floor,
            floor_positions=frozenset(self.floor_positions.checked()) if floor else frozenset(),
            floor_how=self.floor_how.text() if floor else "",
            floor_seconds=self.floor_duration.total_seconds() if floor else None,
            floor_release=self.floor_release.text() if floor else "",
            abc_never_restricted=abc,
            abc_details=self.abc_details.text() if abc is False else "",
        )

    def set_plan(self, plan: BehaviourPlan | None, pupil_chosen: bool) -> None:
        self.plan_note.set_plan(plan, pupil_chosen)

    def load(self, details: IncidentDetails) -> None:
        i = details.intervention
        self.kind.set_value(i.kind)
        rows = self.holds.set_rows(len(i.holds))
        for row, hold in zip(rows, i.holds, strict=True):
            assert isinstance(row, HoldRow)
            row.set_value(hold)
        self.staff_count.set_number(i.staff_count)
        self.floor.set_value(i.floor_position)
        self.floor_positions.set_checked(sorted(i.floor_positions, key=list(FloorPosition).index))
        self.floor_how.set_text(i.floor_how)
        self.floor_duration.set_total_seconds(i.floor_seconds)
        self.floor_release.set_text(i.floor_release)
        self.abc.set_value(i.abc_never_restricted)
        self.abc_details.set_text(i.abc_details)
        self.update_visibility()

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(details, intervention=self._intervention())
