"""Editing one parent or carer inside the pupil dialog."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from incident_recorder.domain.model import Contact

W = TypeVar("W", bound=QWidget)


class ContactEditor(QGroupBox):
    """Emits ``remove_requested(self)`` when its Remove button is pressed."""

    remove_requested = Signal(object)

    def __init__(self, number: int, contact: Contact | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._number = number
        self.form = QFormLayout(self)
        self.name = self._field("Name:", QLineEdit(), "name")
        self.relationship = self._field("Relationship:", QLineEdit(), "relationship")
        self.relationship.setPlaceholderText("e.g. Mother, Grandparent, Foster carer")
        self.address = self._field("Address:", QLineEdit(), "address")
        self.phone = self._field("Phone:", QLineEdit(), "phone")
        self.email = self._field("Email:", QLineEdit(), "email")
        self.language = self._field("Preferred language:", QLineEdit(), "preferred language")
        self.responsibility = QCheckBox("Has parental responsibility")
        self.correspondence = QCheckBox("Receives letters from school")
        self.remove_button = QPushButton("Remove")
        for box in (self.responsibility, self.correspondence, self.remove_button):
            self.form.addRow("", box)
        self.renumber(number)
        if contact is not None:
            self.name.setText(contact.name)
            self.relationship.setText(contact.relationship)
            self.address.setText(contact.address)
            self.phone.setText(contact.phone)
            self.email.setText(contact.email)
            self.language.setText(contact.preferred_language)
            self.responsibility.setChecked(contact.parental_responsibility)
            self.correspondence.setChecked(contact.receives_correspondence)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def _field(self, label: str, widget: W, part: str) -> W:
        text = QLabel(label)
        text.setBuddy(widget)
        widget.setProperty("part", part)
        self.form.addRow(text, widget)
        return widget

    def renumber(self, number: int) -> None:
        self._number = number
        who = f"parent or carer {number}"
        self.setTitle(f"Parent or carer {number}")
        for widget in (self.name, self.relationship, self.address, self.phone, self.email):
            widget.setAccessibleName(f"{widget.property('part').capitalize()} of {who}")
        self.language.setAccessibleName(f"Preferred language of {who}")
        self.responsibility.setAccessibleName(f"{who.capitalize()} has parental responsibility")
        self.correspondence.setAccessibleName(f"{who.capitalize()} receives letters")
        self.remove_button.setAccessibleName(f"Remove {who}")

    def contact(self) -> Contact:
        return Contact(
            name=self.name.text(),
            relationship=self.relationship.text().strip(),
            parental_responsibility=self.responsibility.isChecked(),
            address=self.address.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            preferred_language=self.language.text().strip(),
            receives_correspondence=self.correspondence.isChecked(),
        )

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)
