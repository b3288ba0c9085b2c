"""Step 2: who was involved — the pupil, the staff and their parts, other witnesses."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentSummary,
    Pupil,
    StaffInvolvement,
    StaffMember,
    Who,
)
from incident_recorder.domain.steps import Step
from incident_recorder.domain.training import StaffTraining
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.rows import Row, RowsEditor
from incident_recorder.ui.form.staff_row import StaffRow
from incident_recorder.ui.form.who_widgets import PupilChooser
from incident_recorder.ui.form.widgets import TextArea


class WhoPage(StepPage):
    step = Step.WHO
    add_pupil_requested = Signal()
    add_staff_requested = Signal()

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(
            "The pupil this record is about, and the adults who were there. If more than one "
            "pupil was held, each pupil has their own record, linked as one event.",
            parent,
        )
        self._plan_version: int | None = None
        self._directory = directory
        self._staff: list[StaffMember] = self._load_staff()
        self.pupil = PupilChooser(directory, self)
        self.add_slot("pupil", "&Pupil the intervention was used on:", self.pupil)
        self.pupil.add_button.setText("Add a pupil who is not on the &list…")
        self.linked = QLabel(self)
        self.linked.setWordWrap(True)
        self.linked.setAccessibleName("Other pupils in this event")
        self.linked.hide()
        self.body.addWidget(self.linked)
        self.staff = RowsEditor(
            "&Add a member of staff",
            self._make_staff_row,
            "No staff added yet. Add each adult who took part or saw it, with their part.",
            self,
        )
        self.add_slot("staff", "&Staff involved and their part:", self.staff)
        self.new_staff_button = QPushButton("Someone &else not on the staff list…", self)
        self.new_staff_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.new_staff_button)
        row.addStretch(1)
        self.staff.footer.addLayout(row)
        # Issue 13: the positive-handling training of each adult who held the pupil.
        self.training_note = QLabel(self)
        self.training_note.setWordWrap(True)
        self.training_note.setProperty("role", "muted")
        self.training_note.setAccessibleName("Training of the staff who held the pupil")
        self.training_note.hide()
        self.staff.footer.addWidget(self.training_note)
        self.other_witnesses = TextArea(2, self)
        self.add_slot(
            "other_witnesses",
            "&Other witnesses (pupils or adults not listed above):",
            self.other_witnesses,
        )
        self.finish()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.pupil.add_requested.connect(self.add_pupil_requested)
        self.new_staff_button.clicked.connect(self._on_new_staff_button_clicked)

    @Slot()
    def _on_new_staff_button_clicked(self) -> None:
        self.add_staff_requested.emit()

    def _load_staff(self) -> list[StaffMember]:
        try:
            return self._directory.staff_list()
        except IncidentRecorderError:
            return []

    def _make_staff_row(self, parent: QWidget) -> Row:
        return StaffRow(self._staff, parent)

    # ------------------------------------------------------------------ from the dialogs

    def pupil_added(self, pupil: Pupil) -> None:
        self.pupil.set_pupil(pupil)
        self.pupil.search.setFocus()

    def staff_added(self, member: StaffMember) -> None:
        """A new adult on the staff list: offer them in every row and fill a row."""
        self._staff = self._load_staff()
        rows = [r for r in self.staff.rows() if isinstance(r, StaffRow)]
        for each in rows:
            each.set_staff(self._staff)
        empty = [r for r in rows if not r.name.currentText().strip()]
        row = empty[0] if empty else self.staff.add_row()
        assert isinstance(row, StaffRow)
        row.set_value(member.id, member.full_name, row.value()[1])
        row.part.setFocus()

    def set_training(self, held: tuple[StaffTraining, ...]) -> None:
        """Show each adult who held the pupil with their training on the incident's date."""
        lines = [f"{t.name}: {t.on_day.text}" for t in held]
        text = "Positive-handling training on the day:\n" + "\n".join(lines) if lines else ""
        self.training_note.setText(text)
        self.training_note.setAccessibleDescription(text)
        self.training_note.setVisible(bool(lines))

    def set_linked(self, others: list[IncidentSummary]) -> None:
        names = [
            f"{s.pupil_name or 'pupil not chosen yet'} ({s.reference or 'draft'})" for s in others
        ]
        self.linked.setText(
            "Other pupils held in this event, each with their own record: " + "; ".join(names)
            if names
            else ""
        )
        self.linked.setVisible(bool(names))

    # ------------------------------------------------------------------ values

    def load(self, details: IncidentDetails) -> None:
        who = details.who
        self._plan_version = who.plan_version  # set by the service; kept as it was
        self.pupil.load(who.pupil_id)
        rows = self.staff.set_rows(len(who.staff))
        for row, involvement in zip(rows, who.staff, strict=True):
            assert isinstance(row, StaffRow)
            try:
                name = self._directory.staff(involvement.staff_id).full_name
            except IncidentRecorderError:
                name = f"Staff member no. {involvement.staff_id}"
            row.set_value(involvement.staff_id, name, involvement.part)
        self.other_witnesses.set_text(who.other_witnesses)

    def set_plan_version(self, version: int | None) -> None:
        """The version of the pupil's plan in force on the incident's date (the service
        sets it again at submit and amend)."""
        self._plan_version = version

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        staff: list[StaffInvolvement] = []
        for row in self.staff.rows():
            assert isinstance(row, StaffRow)
            staff_id, part = row.value()
            if staff_id is not None and part is not None:
                staff.append(StaffInvolvement(staff_id, part))
        return dataclasses.replace(
            details,
            who=Who(
                pupil_id=self.pupil.pupil_id(),
                staff=tuple(staff),
                other_witnesses=self.other_witnesses.text(),
                plan_version=self._plan_version,
            ),
        )

    def incomplete_staff_rows(self) -> list[int]:
        """Rows that cannot be saved yet (no name from the list, or no part)."""
        out = []
        for n, row in enumerate(self.staff.rows(), start=1):
            assert isinstance(row, StaffRow)
            staff_id, part = row.value()
            if (staff_id is None) != (part is None) or (
                staff_id is None and row.name.currentText().strip()
            ):
                out.append(n)
        return out
