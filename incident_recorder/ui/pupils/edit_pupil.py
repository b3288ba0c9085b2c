"""Editing a pupil's details and parents and carers (SENCOs and administrators)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.model import Contact, Pupil, SenStatus
from incident_recorder.services.pupils import PupilService
from incident_recorder.ui.dates import DateEdit
from incident_recorder.ui.pupils.contact_editor import ContactEditor
from incident_recorder.ui.style import ERROR_COLOUR

ERROR_STYLE = f"color: {ERROR_COLOUR};"

W = TypeVar("W", bound=QWidget)
FLAGS = (
    ("looked_after", "Looked after by the local authority"),
    ("previously_looked_after", "Previously looked after (adopted, special guardianship)"),
    ("kinship_care", "Kinship care"),
    ("child_in_need", "Child in need"),
    ("child_protection_plan", "Child protection plan"),
    ("free_school_meals", "Free school meals"),
    ("pupil_premium", "Pupil premium"),
    ("eal", "English as an additional language"),
)


class EditPupilDialog(QDialog):
    """Emits ``pupil_saved(Pupil)`` once the changes are saved."""

    pupil_saved = Signal(object)

    def __init__(self, service: PupilService, pupil: Pupil, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._pupil = pupil
        self.setWindowTitle(f"Edit {pupil.display_name}")
        self.form = QFormLayout()
        self.first_name = self._field("&First name (legal):", QLineEdit(pupil.first_name))
        self.last_name = self._field("&Last name (legal):", QLineEdit(pupil.last_name))
        self.preferred_name = self._field("&Preferred name:", QLineEdit(pupil.preferred_name))
        self.upn = self._field("&UPN:", QLineEdit(pupil.upn))
        self.upn.setPlaceholderText("13 characters, e.g. A123456789012")
        self.date_of_birth = self._field("&Date of birth:", DateEdit())
        self.date_of_birth.set_value(pupil.date_of_birth)
        self.year_group = self._field("&Year group:", QLineEdit(pupil.year_group))
        self.class_name = self._field("&Class:", QLineEdit(pupil.class_name))
        self.sex = self._field("&Sex:", QComboBox())
        for text, code in (("Not recorded", ""), ("Female", "F"), ("Male", "M")):
            self.sex.addItem(text, code)
        self.sex.setCurrentIndex(max(self.sex.findData(pupil.sex), 0))
        self.ethnicity = self._field("E&thnicity:", QComboBox())
        self.ethnicity.addItem("Not recorded", "")
        for code, (description, _group) in ETHNICITY_CODES.items():
            self.ethnicity.addItem(f"{description} ({code})", code)
        if pupil.ethnicity and self.ethnicity.findData(pupil.ethnicity) < 0:
            self.ethnicity.addItem(pupil.ethnicity, pupil.ethnicity)
        self.ethnicity.setCurrentIndex(max(self.ethnicity.findData(pupil.ethnicity), 0))
        self.sen_status = self._field("S&EN status:", QComboBox())
        for status in SenStatus:
            self.sen_status.addItem(status.label, status.value)
        self.sen_status.setCurrentIndex(self.sen_status.findData(pupil.sen_status.value))
        self.primary_need = self._field("Primary &need:", QLineEdit(pupil.primary_need))
        self.first_language = self._field("First lan&guage:", QLineEdit(pupil.first_language))
        self.flags: dict[str, QCheckBox] = {}
        for name, text in FLAGS:
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.setChecked(bool(getattr(pupil, name)))
            self.form.addRow("", box)
            self.flags[name] = box
        self.contact_editors: list[ContactEditor] = []
        self.contacts_layout = QVBoxLayout()
        for contact in pupil.contacts:
            self._add_contact_editor(contact)
        self.add_contact_button = QPushButton("&Add a parent or carer")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._build()
        self._connect_signals()

    def _field(self, label: str, widget: W) -> W:
        text = QLabel(label)
        text.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.form.addRow(text, widget)
        return widget

    def _build(self) -> None:
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(self.form)
        heading = QLabel("<b>Parents and carers</b>")
        inner.addWidget(heading)
        inner.addLayout(self.contacts_layout)
        inner.addWidget(self.add_contact_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 760)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.add_contact_button.clicked.connect(self._on_add_contact_button_clicked)

    def _add_contact_editor(self, contact: Contact | None = None) -> ContactEditor:
        editor = ContactEditor(len(self.contact_editors) + 1, contact)
        editor.remove_requested.connect(self._on_editor_remove_requested)
        self.contact_editors.append(editor)
        self.contacts_layout.addWidget(editor)
        return editor

    def edited(self) -> Pupil:
        flags: dict[str, Any] = {name: box.isChecked() for name, box in self.flags.items()}
        return dataclasses.replace(
            self._pupil,
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            preferred_name=self.preferred_name.text(),
            upn=self.upn.text(),
            date_of_birth=self.date_of_birth.value(),
            year_group=self.year_group.text().strip(),
            class_name=self.class_name.text().strip(),
            sex=str(self.sex.currentData()),
            ethnicity=str(self.ethnicity.currentData()),
            sen_status=SenStatus(self.sen_status.currentData()),
            primary_need=self.primary_need.text().strip(),
            first_language=self.first_language.text().strip(),
            contacts=tuple(editor.contact() for editor in self.contact_editors),
            **flags,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleDescription(message)
        self.error.show()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem = self.date_of_birth.problem()
        if problem:
            self.show_error(problem)
            return
        try:
            saved = self._service.update(self.edited())
        except IncidentRecorderError as error:
            self.show_error(str(error))
            return
        self.pupil_saved.emit(saved)
        self.accept()

    @Slot()
    def _on_add_contact_button_clicked(self) -> None:
        self._add_contact_editor().name.setFocus()

    @Slot(object)
    def _on_editor_remove_requested(self, editor: ContactEditor) -> None:
        self.contact_editors.remove(editor)
        editor.deleteLater()
        for number, remaining in enumerate(self.contact_editors, start=1):
            remaining.renumber(number)
        self.add_contact_button.setFocus()
