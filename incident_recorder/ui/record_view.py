"""A submitted record, read-only: the record itself (any version), who submitted and
amended it, what changed, and the other records from the same event.

Opening it calls ``IncidentService.open``, so every view is written to the audit log.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Incident, IncidentStatus, IncidentVersion
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import to_local
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_summary import record_html
from incident_recorder.ui.style import heading
from incident_recorder.ui.version_compare import VersionCompare, version_label


class RecordView(QWidget):
    amend_requested = Signal(int)
    linked_draft_created = Signal(int)  # a new draft for another pupil from this event
    record_requested = Signal(int)  # the user chose a linked record
    view_closed = Signal(int)
    record_reloaded = Signal(int)  # read again (opened, or amended): extras refresh

    def __init__(
        self,
        incidents: IncidentService,
        directory: DirectoryService,
        incident_id: int,
        prompter: Prompter,
        zone: str = "Europe/London",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._incidents = incidents
        self._directory = directory
        self._prompter = prompter
        self._zone = zone
        self.incident_id = incident_id
        self._incident: Incident | None = None
        self._versions: list[IncidentVersion] = []
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.title = heading("Record")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.linked = QLabel()
        self.linked.setWordWrap(True)
        self.linked.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.linked.setAccessibleName("Other records from this event")
        self.amend_button = QPushButton("&Amend…")
        self.add_pupil_button = QPushButton("Add another &pupil from this event")
        self.close_button = QPushButton("&Close")
        self.version_choice = QComboBox()
        self.version_choice.setAccessibleName("Version shown")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("The record")
        self.browser.setOpenLinks(False)
        self.compare = VersionCompare(incidents, zone)
        self.tabs = QTabWidget()
        self._layout()
        self._connect_signals()
        self.reload()
        self.resize(980, 760)

    def _layout(self) -> None:
        record_tab = QWidget()
        pick = QHBoxLayout()
        label = QLabel("&Showing:")
        label.setBuddy(self.version_choice)
        pick.addWidget(label)
        pick.addWidget(self.version_choice, 1)
        record_layout = QVBoxLayout(record_tab)
        record_layout.addLayout(pick)
        record_layout.addWidget(self.browser, 1)
        self.tabs.addTab(record_tab, "&Record")
        self.tabs.addTab(self.compare, "&Versions and changes")
        buttons = QHBoxLayout()
        buttons.addWidget(self.amend_button)
        buttons.addWidget(self.add_pupil_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self._buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addWidget(self.linked)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.amend_button.clicked.connect(self._on_amend_button_clicked)
        self.add_pupil_button.clicked.connect(self._on_add_pupil_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.version_choice.currentIndexChanged.connect(self._on_version_choice_changed)
        self.linked.linkActivated.connect(self._on_linked_link_activated)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def add_action_button(self, button: QPushButton) -> None:
        """Put another action (letters, printing) in the row of buttons, before the
        space that separates Close."""
        self._buttons.insertWidget(self._buttons.count() - 2, button)

    def add_status_line(self, line: QLabel) -> None:
        """Show another line about the record (e.g. its sign-off) under the facts."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.linked) + 1, line)

    def add_tab(self, page: QWidget, title: str) -> None:
        """Add a page beside the record and its versions (e.g. contacts with parents)."""
        self.tabs.addTab(page, title)

    def reload(self) -> None:
        """Read the record again (after an amendment). Raises IncidentRecorderError."""
        incident = self._incidents.open(self.incident_id)
        self._incident = incident
        self._versions = self._incidents.versions(incident.id)
        self.setWindowTitle(f"Record {incident.reference or ''}".strip())
        self.title.setText(self._title(incident))
        self.info.setText(self._info(incident))
        self._show_linked(incident)
        may_amend = self._incidents.may_amend(incident)
        self.amend_button.setEnabled(may_amend)
        self.amend_button.setToolTip("" if may_amend else "Your account cannot amend this record.")
        self.version_choice.blockSignals(True)
        self.version_choice.clear()
        for version in reversed(self._versions):
            suffix = " (latest)" if version is self._versions[-1] else ""
            self.version_choice.addItem(version_label(version, self._zone) + suffix, version.number)
        self.version_choice.blockSignals(False)
        self._show_version(self._versions[-1] if self._versions else None)
        self.compare.set_versions(self._versions)
        self.record_reloaded.emit(incident.id)

    def _title(self, incident: Incident) -> str:
        pupil = ""
        if incident.details.who.pupil_id is not None:
            try:
                pupil = self._directory.pupil(incident.details.who.pupil_id).display_name
            except IncidentRecorderError:
                pupil = ""
        reference = f"Record {incident.reference}" if incident.reference else "Record"
        return f"{reference}: {pupil}" if pupil else reference

    def _local(self, version: IncidentVersion) -> str:
        return to_local(version.saved_at, self._zone).strftime("%d/%m/%Y %H:%M")

    def _info(self, incident: Incident) -> str:
        status = incident.status.label
        if incident.status is IncidentStatus.SUBMITTED and incident.version > 1:
            status = "Submitted and amended"
        parts = [f"<b>{status}</b>", f"version {incident.version} of {len(self._versions)}"]
        if self._versions:
            first, last = self._versions[0], self._versions[-1]
            parts.append(f"submitted by {escape(first.saved_by_name)} on {self._local(first)}")
            if last.number > 1:
                parts.append(f"last amended by {escape(last.saved_by_name)} on {self._local(last)}")
        return " · ".join(parts)

    def _show_linked(self, incident: Incident) -> None:
        try:
            others = self._incidents.linked(incident)
        except IncidentRecorderError:
            others = []
        if not others:
            self.linked.setText("No other pupil was recorded for this event.")
            return
        links = []
        for other in others:
            name = escape(other.pupil_name or "pupil not chosen yet")
            if other.status is IncidentStatus.SUBMITTED and other.reference:
                links.append(f"<a href='incident:{other.id}'>{other.reference}</a> ({name})")
            else:
                links.append(f"a draft by {escape(other.author_name)} ({name})")
        self.linked.setText("Also from this event: " + "; ".join(links))

    def _show_version(self, version: IncidentVersion | None) -> None:
        if version is None:
            self.browser.clear()
            return
        try:
            html = record_html(version.details, self._incidents, self._directory)
        except IncidentRecorderError as error:
            html = f"<p>{escape(str(error))}</p>"
        if version.reason:
            note = (
                f"<p style='background:#fff4ce; padding:6px'><b>Version {version.number}</b>, "
                f"amended {self._local(version)} by {escape(version.saved_by_name)}. "
                f"Reason: {escape(version.reason)}</p>"
            )
            html = note + html
        self.browser.setHtml(html)

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_version_choice_changed(self, _index: int) -> None:
        number = self.version_choice.currentData()
        chosen = next((v for v in self._versions if v.number == number), None)
        self._show_version(chosen)

    @Slot()
    def _on_amend_button_clicked(self) -> None:
        self.amend_requested.emit(self.incident_id)

    @Slot()
    def _on_add_pupil_button_clicked(self) -> None:
        try:
            draft = self._incidents.add_pupil_to_event(self.incident_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not add another pupil", str(error))
            return
        self.linked_draft_created.emit(draft.id)

    @Slot(str)
    def _on_linked_link_activated(self, link: str) -> None:
        if link.startswith("incident:"):
            self.record_requested.emit(int(link.split(":", 1)[1]))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view_closed.emit(self.incident_id)
        super().closeEvent(event)
