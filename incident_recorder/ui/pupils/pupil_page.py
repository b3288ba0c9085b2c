"""A pupil's page: everything the school holds about them, their parents and carers,
and the incident records about them. SENCOs and administrators can edit it.

Other screens (e.g. the behaviour support plan) add themselves with ``add_section``.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.ethnicity import ethnicity_label
from incident_recorder.domain.model import Contact, IncidentQuery, IncidentSummary, Pupil
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.pupils import PupilService
from incident_recorder.ui.pupils.edit_pupil import EditPupilDialog

NO_INCIDENTS = "No incident records about this pupil that you can see."
SEX = {"F": "Female", "M": "Male", "": "Not recorded"}


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def day_text(value: object) -> str:
    return "Not recorded" if value is None else f"{value:%d/%m/%Y}"


def pupil_facts(pupil: Pupil) -> list[tuple[str, str]]:
    return [
        ("UPN", pupil.upn or "Not recorded"),
        ("Legal name", f"{pupil.first_name} {pupil.last_name}"),
        ("Preferred name", pupil.preferred_name or "—"),
        ("Date of birth", day_text(pupil.date_of_birth)),
        ("Year group", pupil.year_group or "—"),
        ("Class", pupil.class_name or "—"),
        ("Sex", SEX.get(pupil.sex, pupil.sex)),
        ("Ethnicity", ethnicity_label(pupil.ethnicity) or "Not recorded"),
        ("SEN status", pupil.sen_status.label),
        ("Primary need", pupil.primary_need or "—"),
        ("Looked after", yes_no(pupil.looked_after)),
        ("Previously looked after", yes_no(pupil.previously_looked_after)),
        ("Kinship care", yes_no(pupil.kinship_care)),
        ("Child in need", yes_no(pupil.child_in_need)),
        ("Child protection plan", yes_no(pupil.child_protection_plan)),
        ("Free school meals", yes_no(pupil.free_school_meals)),
        ("Pupil premium", yes_no(pupil.pupil_premium)),
        ("English as an additional language", yes_no(pupil.eal)),
        ("First language", pupil.first_language or "—"),
        ("On roll", "Yes" if pupil.left_on is None else f"Left on {pupil.left_on:%d/%m/%Y}"),
    ]


def contact_text(contact: Contact) -> str:
    lines = [f"<b>{escape(contact.name)}</b>"]
    if contact.relationship:
        lines[0] += f" ({escape(contact.relationship)})"
    lines.append(
        "Has parental responsibility"
        if contact.parental_responsibility
        else "No parental responsibility recorded"
    )
    lines.append(
        "Receives letters" if contact.receives_correspondence else "Does not receive letters"
    )
    for label, value in (
        ("Address", contact.address),
        ("Phone", contact.phone),
        ("Email", contact.email),
        ("Preferred language", contact.preferred_language),
    ):
        if value:
            lines.append(f"{label}: {escape(value)}")
    return "<br>".join(lines)


def incident_text(summary: IncidentSummary) -> str:
    when = day_text(summary.occurred_on) if summary.occurred_on else "Date not given"
    reference = summary.reference or "Draft"
    where = f" · {summary.location}" if summary.location else ""
    return f"{when} · {reference}{where} · recorded by {summary.author_name}"


class PupilPage(QWidget):
    """Emits ``record_requested(incident_id)`` to open a record, ``pupil_changed`` after
    an edit is saved."""

    record_requested = Signal(int)
    pupil_changed = Signal(int)

    def __init__(
        self,
        pupil: Pupil,
        pupils: PupilService,
        incidents: IncidentService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pupil = pupil
        self._pupils = pupils
        self._incidents = incidents
        self.edit_dialog: EditPupilDialog | None = None
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setAccessibleName("Edit this pupil's details")
        self.edit_button.setVisible(pupils.may_edit)
        self.facts = QFormLayout()
        self.contacts = QVBoxLayout()
        self.incident_list = QListWidget()
        self.incident_list.setAccessibleName("Incident records about this pupil")
        self._build()
        self._connect_signals()
        self.show_pupil(pupil)
        self.resize(760, 820)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit_button)
        details = QGroupBox("Details")
        details.setLayout(self.facts)
        contacts = QGroupBox("Parents and carers")
        contacts.setLayout(self.contacts)
        records = QGroupBox("Incident records")
        records_layout = QVBoxLayout(records)
        hint = QLabel("&Open a record with Enter or a double-click:")
        hint.setBuddy(self.incident_list)
        records_layout.addWidget(hint)
        records_layout.addWidget(self.incident_list)
        self.incident_list.setMinimumHeight(140)
        body = QWidget()
        self.sections = QVBoxLayout(body)
        self.sections.addLayout(top)
        for box in (details, contacts, records):
            self.sections.addWidget(box)
        self.sections.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.incident_list.itemActivated.connect(self._on_incident_list_item_activated)

    def add_section(self, widget: QWidget) -> None:
        """Add a section (e.g. the behaviour support plan) below the incident records."""
        self.sections.insertWidget(self.sections.count() - 1, widget)

    def show_pupil(self, pupil: Pupil) -> None:
        self.pupil = pupil
        self.setWindowTitle(f"{pupil.display_name} — pupil")
        left = "" if pupil.left_on is None else " <i>(has left)</i>"
        self.heading.setText(f"<h2>{escape(pupil.display_name)}{left}</h2>")
        self.heading.setAccessibleName(f"Pupil: {pupil.display_name}")
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in pupil_facts(pupil):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(f"{label}: {value}")
            self.facts.addRow(f"{label}:", shown)
        while self.contacts.count():
            item = self.contacts.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for contact in pupil.contacts:
            shown = QLabel(contact_text(contact))
            shown.setTextFormat(Qt.TextFormat.RichText)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(f"Parent or carer: {contact.name}")
            self.contacts.addWidget(shown)
        if not pupil.contacts:
            self.contacts.addWidget(QLabel("No parents or carers recorded."))
        self.load_incidents()

    def load_incidents(self) -> None:
        self.incident_list.clear()
        try:
            page = self._incidents.search(IncidentQuery(pupil_id=self.pupil.id, limit=500))
        except IncidentRecorderError as error:
            self.incident_list.addItem(str(error))
            return
        for summary in page.rows:
            item = QListWidgetItem(incident_text(summary))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.incident_list.addItem(item)
        if not page.rows:
            self.incident_list.addItem(NO_INCIDENTS)

    @Slot(QListWidgetItem)
    def _on_incident_list_item_activated(self, item: QListWidgetItem) -> None:
        incident_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(incident_id, int):
            self.record_requested.emit(incident_id)

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        dialog = EditPupilDialog(self._pupils, self.pupil, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.pupil_saved.connect(self._on_edit_dialog_pupil_saved)
        dialog.finished.connect(self._on_edit_dialog_finished)
        self.edit_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_edit_dialog_finished(self, _result: int) -> None:
        self.edit_dialog = None

    @Slot(object)
    def _on_edit_dialog_pupil_saved(self, pupil: Pupil) -> None:
        self.show_pupil(pupil)
        self.pupil_changed.emit(pupil.id)
