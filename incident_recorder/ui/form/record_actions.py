"""What the form's buttons do to the record: submit, save an amendment, start a linked
record for another pupil, quick-add a pupil or a member of staff, close.

A mixin of :class:`~incident_recorder.ui.form.window.IncidentForm`, kept apart so that
each module stays short. Every service error is shown in plain words and the form
keeps everything typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from incident_recorder.domain.errors import (
    CannotSubmit,
    DiskFull,
    IncidentRecorderError,
    StorageProblem,
)
from incident_recorder.domain.model import Incident, IncidentDetails, IncidentStatus
from incident_recorder.domain.steps import Step
from incident_recorder.ui.quick_add import QuickAddPupilDialog, QuickAddStaffDialog

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance
    from PySide6.QtWidgets import QLabel, QPushButton

    from incident_recorder.domain.policy import Finding
    from incident_recorder.services.incidents import DirectoryService, IncidentService
    from incident_recorder.ui.form.date_check import DateCheck
    from incident_recorder.ui.form.page import StepPage
    from incident_recorder.ui.form.step_review import ReviewPage
    from incident_recorder.ui.form.step_who import WhoPage
    from incident_recorder.ui.prompter import Prompter


class RecordActions:
    if TYPE_CHECKING:
        _incidents: IncidentService
        _directory: DirectoryService
        _prompter: Prompter
        _amend: bool
        _incident: Incident
        _saved: IncidentDetails
        _locked: bool
        _dialog: QWidget | None
        _autosave: QTimer
        _date_check: DateCheck
        title: QLabel
        save_status: QLabel
        pages: list[StepPage]
        review: ReviewPage
        who: WhoPage
        close_button: QPushButton
        incident_submitted: SignalInstance
        incident_amended: SignalInstance
        draft_saved: SignalInstance
        form_closed: SignalInstance

        def details(self) -> IncidentDetails: ...
        def go_to(self, step: Step, focus: bool = True) -> None: ...
        def _load(self, incident: Incident) -> None: ...
        def _refresh_findings(self) -> None: ...
        def focus_date(self) -> None: ...

    # ------------------------------------------------------------------ submit

    @Slot()
    def _on_review_submit_requested(self) -> None:
        if self._amend:
            self._save_amendment()
        else:
            self._submit()

    def _date_is_right(self, details: IncidentDetails) -> bool:
        """A date long ago is asked about before it goes in the bound book."""
        if self._date_check.may_save(details, self._incident):
            return True
        self.focus_date()
        return False

    def _submit(self) -> None:
        details = self.details()
        if not self._date_is_right(details):
            return
        if not self._prompter.confirm(
            "Submit this record?",
            "Once submitted, the record is locked and given a reference. Any later change "
            "is saved as an amendment, with the reason.",
            yes="Submit",
            no="Not yet",
        ):
            return
        try:
            done = self._incidents.submit(self._incident.id, details)
        except CannotSubmit as error:
            self._show_cannot_submit(error.findings)
            return
        except IncidentRecorderError as error:
            self._prompter.warn(
                "The record was not submitted", _not_saved(error, "press Submit again")
            )
            return
        self._saved = details
        self._incident = done
        self._lock()
        text = f"Submitted as {done.reference}. Thank you: the record is now locked."
        self.review.show_outcome(text)
        self.incident_submitted.emit(done.id)

    def _show_cannot_submit(self, findings: list[Finding]) -> None:
        self._refresh_findings()
        listed = "\n".join(f"• Step {f.step.number}: {f.message}" for f in findings)
        self._prompter.warn(
            "Not ready yet",
            f"A few things still need attention before this can be saved:\n{listed}",
        )
        self.go_to(Step.REVIEW, focus=False)
        self.review.todo.list.setFocus()

    def _lock(self) -> None:
        self._locked = True
        self._autosave.stop()
        for page in self.pages:
            page.set_read_only(True)
        self._show_title()

    # ------------------------------------------------------------------ amend

    def _save_amendment(self) -> None:
        details = self.details()
        if not self._date_is_right(details):
            return
        reason = self._prompter.ask_text(
            "Save amendment",
            "Why is this record being changed? The reason is kept with the new version.",
            multiline=True,
        )
        if reason is None:
            return
        try:
            done = self._incidents.amend(self._incident.id, details, reason)
        except CannotSubmit as error:
            self._show_cannot_submit(error.findings)
            return
        except IncidentRecorderError as error:
            self._prompter.warn(
                "The amendment was not saved", _not_saved(error, "save the amendment again")
            )
            return
        self._saved = details
        self._incident = done
        self.review.show_outcome(
            f"Saved as version {done.version} of {done.reference}. Earlier versions stay readable."
        )
        self.incident_amended.emit(done.id)

    # ------------------------------------------------------------------ another pupil

    @Slot()
    def _on_review_another_pupil_requested(self) -> None:
        if not self._save_if_changed():
            self._prompter.warn(
                "Please try again",
                "This record could not be saved just now, so no new record was started.",
            )
            return
        try:
            started = self._incidents.add_pupil_to_event(self._incident.id)
        except IncidentRecorderError as error:
            self._prompter.warn("No new record was started", str(error))
            return
        was = (
            f"submitted as {self._incident.reference}"
            if self._incident.status is IncidentStatus.SUBMITTED
            else "saved as a draft"
        )
        self._prompter.inform(
            "A record for another pupil",
            "A new record has been started for the other pupil, linked to this event. "
            "The time, place, staff and account have been copied: please choose the pupil "
            f"and complete their record. The record you were working on is {was}.",
        )
        self._load(started)
        self.go_to(Step.WHO)
        self.draft_saved.emit(started.id)

    # ------------------------------------------------------------------ quick add

    @Slot()
    def _on_who_add_pupil_requested(self) -> None:
        dialog = QuickAddPupilDialog(self._directory, self._as_widget())
        dialog.accepted.connect(self._on_pupil_dialog_accepted)
        self._dialog = dialog
        dialog.open()

    @Slot()
    def _on_pupil_dialog_accepted(self) -> None:
        dialog = self._dialog
        if isinstance(dialog, QuickAddPupilDialog) and dialog.pupil is not None:
            self.who.pupil_added(dialog.pupil)

    @Slot()
    def _on_who_add_staff_requested(self) -> None:
        dialog = QuickAddStaffDialog(self._directory, self._as_widget())
        dialog.accepted.connect(self._on_staff_dialog_accepted)
        self._dialog = dialog
        dialog.open()

    @Slot()
    def _on_staff_dialog_accepted(self) -> None:
        dialog = self._dialog
        if isinstance(dialog, QuickAddStaffDialog) and dialog.member is not None:
            self.who.staff_added(dialog.member)

    def quick_add_dialog(self) -> QWidget | None:
        """The quick-add dialog last opened (tests drive it)."""
        return self._dialog

    def _as_widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    # ------------------------------------------------------------------ saving the draft

    @Slot()
    def _on_autosave_timeout(self) -> None:
        self._save_if_changed()

    def flush(self) -> None:
        """Save unsaved typing as the draft now (no-op in amend mode or once submitted)."""
        self._save_if_changed()

    def _save_if_changed(self) -> bool:
        if self._amend or self._locked or self._incident.status is not IncidentStatus.DRAFT:
            return True
        details = self.details()
        if details == self._saved:
            return True
        try:
            self._incidents.save_draft(self._incident.id, details)
        except StorageProblem as error:
            # Tried again at the next autosave, so it is saved once the disk (or the
            # file) is free again, without closing the form.
            self.save_status.setText(_not_saved(error, "it will be saved by itself"))
            return False
        except IncidentRecorderError as error:
            self.save_status.setText(
                f"The draft could not be saved: {error} Everything you typed is still here."
            )
            return False
        self._saved = details
        try:
            at = self._directory.local_now().strftime("%H:%M")
        except IncidentRecorderError:
            at = ""
        self.save_status.setText(f"Draft saved {at}".strip())
        self.draft_saved.emit(self._incident.id)
        return True

    def _show_title(self) -> None:
        ref = self._incident.reference
        if self._amend:
            self.title.setText(f"Amending record {ref}")
            self.close_button.setText("Close without saving")
        elif self._locked:
            self.title.setText(f"Record {ref} (submitted)")
            self.close_button.setText("Close")
        else:
            self.title.setText("Incident record (draft)")
            self.close_button.setText("Save draft and close")

    # ------------------------------------------------------------------ close

    @Slot()
    def _on_close_button_clicked(self) -> None:
        if self._amend and self.details() != self._saved:
            leave = self._prompter.confirm(
                "Leave without saving?",
                "Your changes to this record have not been saved as an amendment. "
                "Leave anyway and lose them?",
                yes="Leave without saving",
                no="Keep editing",
            )
            if not leave:
                return
        elif not self._save_if_changed():
            leave = self._prompter.confirm(
                "The draft could not be saved",
                "Your latest typing could not be saved. Close anyway and lose it?",
                yes="Close anyway",
                no="Stay here",
            )
            if not leave:
                return
        self._autosave.stop()
        self.form_closed.emit()


def _not_saved(error: IncidentRecorderError, again: str) -> str:
    """A save's failure in the form's words: the disk or the file is named plainly, and
    the typing is kept."""
    if isinstance(error, DiskFull):
        return (
            "The disk is full, so this record could not be saved. Nothing you typed is "
            f"lost: free some space and {again}."
        )
    if isinstance(error, StorageProblem):
        return f"{error} Nothing you typed is lost: it is all still here in the form."
    return str(error)
