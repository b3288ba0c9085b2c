"""The "Letter to parents…" button on each record view (installed by the main window
through ``ChildWindows.record_view_extras``)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QDialog, QPushButton

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.letters import NOT_A_MAKER, LetterService, not_possible_reason
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView

BUTTON_TEXT = "&Letter to parents…"


class LetterActions:
    """Adds the button to a record view; opens a LetterDialog when it is pressed."""

    def __init__(
        self,
        service: LetterService,
        prompter: Prompter,
        background: Background,
        zone: str = "Europe/London",
    ) -> None:
        self._service = service
        self._background = background
        self._prompter = prompter
        self._zone = zone
        self.last_dialog: QDialog | None = None  # the dialog opened last (for tests)

    def install(self, view: RecordView) -> None:
        button = QPushButton(BUTTON_TEXT, view)
        button.setObjectName("letter_button")
        button.setAccessibleName("Letter to parents and carers")
        view.add_action_button(button)
        button.clicked.connect(partial(self.open_letter, view))
        view.record_reloaded.connect(partial(self._refresh, view, button))
        self._refresh(view, button)

    def _refresh(self, view: RecordView, button: QPushButton, _incident_id: int = 0) -> None:
        incident = view.incident
        reason = "" if incident is None else not_possible_reason(incident)
        if not self._service.may_make_letters:
            reason = NOT_A_MAKER
        button.setEnabled(incident is not None and not reason)
        button.setToolTip(
            reason or "Make, preview, print or save the letter to parents and carers."
        )

    def open_letter(self, view: RecordView) -> None:
        from incident_recorder.ui.letters.letter_dialog import TITLE, LetterDialog

        incident_id = view.incident_id
        task = Task(
            "preparing the letter",
            lambda services, _progress: services.letters.prepare(incident_id),
        )
        try:
            draft = self._background.call(task)
        except IncidentRecorderError as error:
            self._prompter.warn(TITLE, str(error))
            return
        dialog = LetterDialog(
            self._service, draft, self._prompter, self._background, self._zone, view
        )
        self.last_dialog = dialog
        dialog.open()
