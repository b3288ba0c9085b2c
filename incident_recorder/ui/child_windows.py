"""The incident forms and record viewers the main window has open.

One window per record: asking for a record that is already open brings its window to
the front. Locking, signing out and quitting go through :meth:`ChildWindows.close_all`,
which first saves every form's unsaved typing as an encrypted draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QPushButton, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Incident
from incident_recorder.services.changes import Changes
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView

log = logging.getLogger("incident_recorder.ui")

FormFactory = Callable[[Incident, bool], QWidget]


class ChildWindows(QObject):
    status_reported = Signal(str)

    def __init__(
        self,
        incidents: IncidentService,
        directory: DirectoryService,
        prompter: Prompter,
        owner: QWidget,
        background: Background,
        zone: str = "Europe/London",
        autosave_ms: int = 5000,
        form_factory: FormFactory | None = None,
    ) -> None:
        super().__init__(owner)
        self._incidents = incidents
        self._directory = directory
        self._prompter = prompter
        self._owner = owner
        self._background = background
        self._zone = zone
        self._autosave_ms = autosave_ms
        self._form_factory = form_factory or self._make_form
        self.forms: dict[int, QWidget] = {}
        self.viewers: dict[int, RecordView] = {}
        # Called with each record view as it opens, to add actions and pages (issue 5:
        # letters, the printable record, contacts with parents).
        self.record_view_extras: list[Callable[[RecordView], None]] = []
        self._closing = False

    # ------------------------------------------------------------------ forms

    def _make_form(self, incident: Incident, amend: bool) -> QWidget:
        # Imported when first needed, which keeps start-up quick.
        from incident_recorder.ui.form.window import IncidentForm

        form = IncidentForm(
            self._incidents,
            self._directory,
            incident,
            self._prompter,
            amend=amend,
            autosave_ms=self._autosave_ms,
            parent=self._owner,
        )
        return form

    def open_form(self, incident: Incident, amend: bool = False) -> QWidget:
        existing = self.forms.get(incident.id)
        if existing is not None:
            _raise(existing)
            return existing
        form: Any = self._form_factory(incident, amend)  # an IncidentForm (or a test double)
        form.incident_submitted.connect(self._on_form_incident_submitted)
        form.incident_amended.connect(self._on_form_incident_amended)
        form.draft_saved.connect(self._on_form_draft_saved)
        form.form_closed.connect(partial(self._on_form_closed, form))
        form.installEventFilter(self)
        form.setWindowFlag(Qt.WindowType.Window, True)
        form.setWindowTitle(f"Amend {incident.reference}" if amend else "New incident")
        form.resize(1120, 800)
        self.forms[incident.id] = form
        _raise(form)
        return form  # type: ignore[no-any-return]

    def new_incident(self) -> QWidget | None:
        try:
            draft = self._incidents.new_draft()
        except IncidentRecorderError as error:
            self._prompter.warn("Could not start a new record", str(error))
            return None
        self._background.announce(Changes(records=True))
        return self.open_form(draft)

    def open_draft(self, incident_id: int) -> QWidget | None:
        if incident_id in self.forms:
            return self._front(incident_id)
        try:
            incident = self._incidents.open(incident_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not open the draft", str(error))
            return None
        return self.open_form(incident)

    def _front(self, incident_id: int) -> QWidget:
        form = self.forms[incident_id]
        _raise(form)
        return form

    def amend(self, incident_id: int) -> QWidget | None:
        if incident_id in self.forms:
            return self._front(incident_id)
        try:
            incident = self._incidents.open(incident_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not open the record", str(error))
            return None
        return self.open_form(incident, amend=True)

    # ------------------------------------------------------------------ viewers

    def open_record(self, incident_id: int) -> RecordView | None:
        viewer = self.viewers.get(incident_id)
        if viewer is not None:
            _raise(viewer)
            return viewer
        try:
            viewer = RecordView(
                self._incidents,
                self._directory,
                incident_id,
                self._prompter,
                self._zone,
                parent=self._owner,
            )
        except IncidentRecorderError as error:
            self._prompter.warn("Could not open the record", str(error))
            return None
        for extra in self.record_view_extras:
            extra(viewer)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        viewer.amend_requested.connect(self._on_viewer_amend_requested)
        viewer.linked_draft_created.connect(self._on_viewer_linked_draft_created)
        viewer.record_requested.connect(self._on_viewer_record_requested)
        viewer.view_closed.connect(self._on_viewer_view_closed)
        self.viewers[incident_id] = viewer
        _raise(viewer)
        return viewer

    # ------------------------------------------------------------------ closing

    def flush_all(self) -> None:
        """Save every form's unsaved typing as an encrypted draft, now."""
        for incident_id, form in list(self.forms.items()):
            flush = getattr(form, "flush", None)
            if flush is None:
                continue
            try:
                flush()
            except IncidentRecorderError:
                log.warning("could not save the draft of incident %s", incident_id)

    def close_all(self) -> None:
        """Save, then close every form and viewer (locking, signing out, quitting)."""
        self.flush_all()
        self._closing = True
        try:
            for form in list(self.forms.values()):
                _retire(form)
        finally:
            self._closing = False
        self.forms.clear()
        for viewer in list(self.viewers.values()):
            viewer.blockSignals(True)
            viewer.close()
        self.viewers.clear()

    def close_form(self, incident_id: int) -> None:
        """Close a form without saving (its draft is about to be discarded)."""
        form = self.forms.pop(incident_id, None)
        if form is None:
            return
        form.removeEventFilter(self)
        _retire(form)

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_form_incident_submitted(self, incident_id: int) -> None:
        self._background.announce(Changes(records=True))
        self.status_reported.emit("The record has been submitted and locked.")

    @Slot(int)
    def _on_form_incident_amended(self, incident_id: int) -> None:
        self._background.announce(Changes(records=True))
        viewer = self.viewers.get(incident_id)
        if viewer is not None:
            try:
                viewer.reload()
            except IncidentRecorderError as error:
                self.status_reported.emit(str(error))
        self.status_reported.emit("The amendment has been saved as a new version.")

    @Slot(int)
    def _on_form_draft_saved(self, incident_id: int) -> None:
        # A form may move on to a new linked record (another pupil from the same event):
        # keep it filed under the record it now shows.
        form = self.sender()
        if isinstance(form, QWidget) and self.forms.get(incident_id) is not form:
            self._forget(form)
            self.forms.setdefault(incident_id, form)
        self._background.announce(Changes(drafts=True))

    def _on_form_closed(self, form: QWidget) -> None:
        self._forget(form)
        form.removeEventFilter(self)
        _retire(form)
        self._background.announce(Changes(records=True))

    def _forget(self, form: QWidget) -> None:
        for key, value in list(self.forms.items()):
            if value is form:
                del self.forms[key]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window's own close button goes through the form's Close, which saves the
        draft (or asks before dropping an unsaved amendment)."""
        if (
            event.type() == QEvent.Type.Close
            and not self._closing
            and watched in self.forms.values()
        ):
            event.ignore()
            button = getattr(watched, "close_button", None)
            if isinstance(button, QPushButton):
                button.click()
            return True
        return False

    @Slot(int)
    def _on_viewer_amend_requested(self, incident_id: int) -> None:
        self.amend(incident_id)

    @Slot(int)
    def _on_viewer_linked_draft_created(self, incident_id: int) -> None:
        self._background.announce(Changes(records=True))
        self.open_draft(incident_id)

    @Slot(int)
    def _on_viewer_record_requested(self, incident_id: int) -> None:
        self.open_record(incident_id)

    @Slot(int)
    def _on_viewer_view_closed(self, incident_id: int) -> None:
        self.viewers.pop(incident_id, None)


def _retire(form: QWidget) -> None:
    """Close a form for good: no more signals, and its timers (autosave, checks) stop now,
    not when Qt gets round to deleting it, since the session is about to close."""
    form.blockSignals(True)
    for timer in form.findChildren(QTimer):
        timer.stop()
    form.close()
    form.deleteLater()


def _raise(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
