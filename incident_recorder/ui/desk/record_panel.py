"""The record view's side of the desk: "Request an amendment…" for a safeguarding lead,
and an "Amendment requests" tab (the lead and the record's author) listing each request
with its reply and status, with Reply… for the author and Close the request… for a lead."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.desk import DeskService
from incident_recorder.services.session import to_local
from incident_recorder.ui.desk.models import REQUEST_ROLE, AmendmentsModel
from incident_recorder.ui.desk.parts import reply_to
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.tables import read_only_table

REQUEST_TITLE = "Request an amendment"
TAB_TITLE = "A&mendment requests"


class AmendmentRequestsPanel(QObject):
    """Installed on one record view of a submitted record."""

    requests_changed = Signal(int)

    def __init__(self, view: RecordView, service: DeskService, prompter: Prompter) -> None:
        super().__init__(view)
        self._view = view
        self._service = service
        self._prompter = prompter
        self.request_button: QPushButton | None = None
        if service.is_lead:
            self.request_button = QPushButton("Re&quest an amendment…", view)
            self.request_button.setAccessibleName("Ask the author to amend this record")
            view.add_action_button(self.request_button)
            self.request_button.clicked.connect(self._on_request_button_clicked)
        zone = service.timezone

        def local(moment: datetime) -> datetime:
            return to_local(moment, zone)

        self.page = QWidget(view)
        self.intro = QLabel(self.page)
        self.intro.setWordWrap(True)
        self.model = AmendmentsModel(local, self.page)
        self.table = read_only_table(
            self.page, self.model, "Amendment requests about this record", (3, 4)
        )
        self.table.setColumnHidden(0, True)  # the record's reference and pupil: this one
        self.table.setColumnHidden(1, True)
        caption = QLabel("&Requests, newest first:", self.page)
        caption.setBuddy(self.table)
        self.reply_button = QPushButton("Repl&y…", self.page)
        self.reply_button.setAccessibleName("Reply to the chosen amendment request")
        self.close_button = QPushButton("Clo&se the request…", self.page)
        self.close_button.setAccessibleName("Close the chosen amendment request")
        self.close_button.setVisible(service.is_lead)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reply_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.page)
        layout.addWidget(self.intro)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        view.add_tab(self.page, TAB_TITLE)
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        view.record_reloaded.connect(self._on_view_record_reloaded)
        self.refresh()

    @classmethod
    def install_on(
        cls, view: RecordView, service: DeskService, prompter: Prompter
    ) -> AmendmentRequestsPanel | None:
        incident = view.incident
        if incident is None or incident.reference is None:
            return None  # a draft: nothing to amend yet
        if not service.may_see_requests(incident.id):
            return None
        return cls(view, service, prompter)

    @Slot(int)
    def _on_view_record_reloaded(self, _incident_id: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        try:
            threads = self._service.requests_for(self._view.incident_id)
        except IncidentRecorderError:
            threads = []
        self.model.set_rows(list(threads))
        self.table.resizeRowsToContents()
        mine = self._view.incident is not None and any(
            t.author_id == self._service.user_id for t in threads
        )
        open_ones = [t for t in threads if t.state.open]
        self.reply_button.setVisible(mine)
        self.reply_button.setEnabled(bool(open_ones))
        self.close_button.setEnabled(bool(open_ones))
        if not threads:
            self.intro.setText("No amendment has been asked for on this record.")
        elif mine and open_ones:
            self.intro.setText(
                "A safeguarding lead asked you to amend this record. Reply to say what you "
                "will do, then amend it: the request closes when the record is amended."
            )
        else:
            self.intro.setText(f"{len(open_ones)} of {len(threads)} requests open.")
        if threads and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _chosen(self) -> int | None:
        index = self.table.currentIndex()
        value = index.data(REQUEST_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    def request_amendment(self) -> bool:
        text = self._prompter.ask_text(
            REQUEST_TITLE,
            "What should the author amend, and why? They see this and can reply.",
            multiline=True,
        )
        if text is None or not text.strip():
            return False
        try:
            self._service.request_amendment(self._view.incident_id, text)
        except IncidentRecorderError as error:
            self._prompter.warn(REQUEST_TITLE, str(error))
            return False
        self.refresh()
        self.requests_changed.emit(self._view.incident_id)
        return True

    @Slot()
    def _on_request_button_clicked(self) -> None:
        self.request_amendment()

    @Slot()
    def _on_reply_button_clicked(self) -> None:
        request_id = self._chosen()
        if request_id is not None and reply_to(self._service, self._prompter, request_id):
            self.refresh()
            self.requests_changed.emit(self._view.incident_id)

    @Slot()
    def _on_close_button_clicked(self) -> None:
        request_id = self._chosen()
        if request_id is None:
            return
        try:
            self._service.close_request(request_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Close the request", str(error))
            return
        self.refresh()
        self.requests_changed.emit(self._view.incident_id)
