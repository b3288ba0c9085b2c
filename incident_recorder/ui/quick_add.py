"""Quick-add dialogs: a pupil or a member of staff who is not on the list yet.

Until pupils are imported from the school's MIS, staff add a pupil here while
recording. A problem (a UPN with a typing slip, a missing name) is shown in the
dialog in plain words and everything typed stays where it was.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import NewPupil, Pupil, SenStatus, StaffMember
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.ui.dates import DateEdit

ERROR_STYLE = "color: #a3141e;"


W = TypeVar("W", bound=QWidget)


def _field(form: QFormLayout, label: str, widget: W, name: str) -> W:
    text = QLabel(label)
    text.setBuddy(widget)
    widget.setAccessibleName(name)
    form.addRow(text, widget)
    return widget


class _QuickAddDialog(QDialog):
    """Shared frame: a form, an error line, and Add / Cancel buttons."""

    def __init__(self, title: str, intro: str, add_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        intro_label = QLabel(intro, self)
        intro_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.save()
        except IncidentRecorderError as error:
            self.show_error(str(error))
            return
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.error.setAccessibleDescription(message)

    def save(self) -> None:
        raise NotImplementedError


class QuickAddPupilDialog(_QuickAddDialog):
    """Adds a pupil to the school's list. ``pupil`` holds the result once accepted."""

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a pupil who is not on the list",
            "Add a pupil who is not on the list yet. Only the names are needed now; "
            "the UPN can be added later.",
            "&Add pupil",
            parent,
        )
        self._directory = directory
        self.pupil: Pupil | None = None
        self.first_name = _field(self.form, "&First name:", QLineEdit(), "First name")
        self.last_name = _field(self.form, "&Last name:", QLineEdit(), "Last name")
        self.preferred_name = _field(
            self.form, "&Preferred name (if different):", QLineEdit(), "Preferred name"
        )
        self.upn = _field(self.form, "&UPN (if known):", QLineEdit(), "Unique pupil number")
        self.upn.setPlaceholderText("13 characters, e.g. A123456789012")
        self.date_of_birth = _field(self.form, "&Date of birth:", DateEdit(), "Date of birth")
        self.year_group = _field(self.form, "&Year group:", QLineEdit(), "Year group")
        self.year_group.setPlaceholderText("e.g. Year 5")
        self.class_name = _field(self.form, "&Class:", QLineEdit(), "Class")
        self.sen_status = QComboBox()
        for status in SenStatus:
            self.sen_status.addItem(status.label, status.value)
        _field(self.form, "&SEN status:", self.sen_status, "SEN status")
        self.looked_after = QCheckBox("Looked after by the local authority")
        self.looked_after.setAccessibleName("Looked after by the local authority")
        self.form.addRow("", self.looked_after)

    def save(self) -> None:
        status = self.sen_status.currentData()
        self.pupil = self._directory.quick_add_pupil(
            NewPupil(
                first_name=self.first_name.text(),
                last_name=self.last_name.text(),
                upn=self.upn.text(),
                preferred_name=self.preferred_name.text(),
                date_of_birth=self.date_of_birth.value(),
                year_group=self.year_group.text().strip(),
                class_name=self.class_name.text().strip(),
                sen_status=SenStatus(status) if status else SenStatus.NONE,
                looked_after=self.looked_after.isChecked(),
            )
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.date_of_birth.problem():
            self.show_error(self.date_of_birth.problem() or "")
            return
        super()._on_buttons_accepted()


class QuickAddStaffDialog(_QuickAddDialog):
    """Adds an adult to the staff list. ``member`` holds the result once accepted."""

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add someone who is not on the staff list",
            "Add an adult who is not on the staff list yet (not everyone has an account).",
            "&Add member of staff",
            parent,
        )
        self._directory = directory
        self.member: StaffMember | None = None
        self.full_name = _field(self.form, "&Full name:", QLineEdit(), "Full name")
        self.job_title = _field(self.form, "&Job title (optional):", QLineEdit(), "Job title")

    def save(self) -> None:
        self.member = self._directory.quick_add_staff(self.full_name.text(), self.job_title.text())
