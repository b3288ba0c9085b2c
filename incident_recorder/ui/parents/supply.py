"""The parents' duties on the record view (issue 13): told the same day, the letter,
and the written record supplied "as soon as practicable", each in words with its state;
every copy supplied; and the buttons to record a copy supplied, or that an amended
version need not go. A dialog of its own for the copy supplied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.parents_copy import CopyHow, DutyState
from incident_recorder.services.parents import ParentsService, ParentsView
from incident_recorder.ui.parents.dialogs import EntryDialog
from incident_recorder.ui.prompter import Prompter

_COLOURS = {
    DutyState.DONE: "#107c10",
    DutyState.DONE_LATE: "#8a5a00",
    DutyState.DUE: "#a4262c",
    DutyState.OVERDUE: "#a4262c",
    DutyState.NOT_REQUIRED: "#605e5c",
    DutyState.WITHHELD: "#605e5c",
}
TITLE = "The written record supplied to parents"
NOT_NEEDED_TITLE = "The amended record need not go"


@dataclass(frozen=True, slots=True)
class SupplyInput:
    at: datetime | None
    how: CopyHow
    parent: str
    by_whom: str
    note: str


class SupplyDialog(EntryDialog):
    """When and how the copy of the record for parents went, to whom, by whom."""

    def __init__(
        self,
        parent_names: tuple[str, ...],
        version: int,
        now: datetime,
        by_whom: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            TITLE,
            f"The copy for parents of version {version} of the record (the latest). "
            "Record it once it has gone: handed over, posted with the letter, or emailed "
            "from the school's own email system.",
            parent_names,
            parent,
        )
        self.how = QComboBox(self)
        for how in CopyHow:
            self.how.addItem(how.label, how.value)
        self._row(self.form, "&How it went:", self.how, "How it went")
        self._finish(now, by_whom, note_height=64, width=500)

    def values(self) -> SupplyInput:
        return SupplyInput(
            at=self.at.value(),
            how=CopyHow(str(self.how.currentData())),
            parent=self.parent_name.currentText().strip(),
            by_whom=self.by_whom.text().strip(),
            note=self.note.toPlainText().strip(),
        )


def _run(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class DutiesPanel(QWidget):
    """The duties in words and the copy's buttons, on the Parents and carers tab."""

    changed = Signal(int)  # a copy supplied, or a decision, recorded on this record

    def __init__(
        self,
        service: ParentsService,
        incident_id: int,
        prompter: Prompter | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._prompter = prompter
        self.incident_id = incident_id
        self.view_data: ParentsView | None = None
        self.run_dialog: Callable[[SupplyDialog], bool] = _run  # tests answer through it
        self.duties = QLabel(self)
        self.duties.setWordWrap(True)
        self.duties.setTextFormat(Qt.TextFormat.RichText)
        self.duties.setAccessibleName("The parents' duties")
        self.copies = QLabel(self)
        self.copies.setWordWrap(True)
        self.copies.setAccessibleName("Copies of the record supplied to parents")
        self.supply_button = QPushButton("Record the written record &supplied…", self)
        self.not_needed_button = QPushButton("The amended record need &not go…", self)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.supply_button)
        buttons.addWidget(self.not_needed_button)
        buttons.addStretch(1)
        heading = QLabel("<b>The parents' duties</b>", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.duties)
        layout.addWidget(self.copies)
        layout.addLayout(buttons)
        self.supply_button.clicked.connect(self._on_supply_button_clicked)
        self.not_needed_button.clicked.connect(self._on_not_needed_button_clicked)

    def show_view(self, view: ParentsView) -> None:
        self.view_data = view
        rows = "".join(
            f"<tr><td style='padding-right:8px'><b>{escape(d.duty.label)}</b></td>"
            f"<td style='color:{_COLOURS[d.state]}'><b>{escape(d.state.label)}</b>: "
            f"{escape(d.text)}</td></tr>"
            for d in view.duties
        )
        self.duties.setText(f"<table>{rows}</table>")
        lines = [s.line() for s in view.supplies]
        self.copies.setText(
            "\n".join(
                f"{s.at:%d/%m/%Y %H:%M}  {line}"
                for s, line in zip(view.supplies, lines, strict=True)
            )
            or "No copy of the record has gone to the parents yet."
        )
        withheld = view.summary.withheld
        may = view.may_record and not withheld
        self.supply_button.setEnabled(may)
        self.supply_button.setVisible(not withheld)
        due = view.copy is not None and view.copy.newer_due
        self.not_needed_button.setVisible(may and due)

    def record_supplied(self) -> bool:
        """Ask when and how the copy went; save it. True if saved."""
        view = self.view_data
        names = () if view is None else view.parent_names
        version = 1 if view is None or view.copy is None else view.copy.latest_version
        dialog = SupplyDialog(
            names, version, self._service.local_now(), self._service.user_name, self
        )
        try:
            while self.run_dialog(dialog):
                v = dialog.values()
                try:
                    self._service.record_copy_supplied(
                        self.incident_id, v.at or datetime.min, v.how, v.parent, v.by_whom, v.note
                    )
                except IncidentRecorderError as error:
                    dialog.show_problem(str(error))
                    continue
                self.changed.emit(self.incident_id)
                return True
            return False
        finally:
            dialog.deleteLater()

    def record_not_needed(self) -> bool:
        """Ask why the amended version need not go to the parents; save it."""
        if self._prompter is None:
            return False
        reason = self._prompter.ask_text(
            NOT_NEEDED_TITLE,
            "Why need the amended record not go to the parents? (for example, it "
            "corrected a spelling only)",
            multiline=True,
        )
        if reason is None or not reason.strip():
            return False
        try:
            self._service.decline_amended_copy(self.incident_id, reason)
        except IncidentRecorderError as error:
            self._prompter.warn(NOT_NEEDED_TITLE, str(error))
            return False
        self.changed.emit(self.incident_id)
        return True

    @Slot()
    def _on_supply_button_clicked(self) -> None:
        self.record_supplied()

    @Slot()
    def _on_not_needed_button_clicked(self) -> None:
        self.record_not_needed()
