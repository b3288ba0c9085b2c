"""Add training… and Correct…: one entry of positive-handling training for a member of
staff (the course, the date trained, its own expiry if it has one, a note). A problem
is shown in the dialog in plain words and everything typed stays."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import StaffMember
from incident_recorder.domain.training import COURSE_LIMIT, NOTE_LIMIT, TrainingRecord
from incident_recorder.services.training import TrainingService
from incident_recorder.ui.dates import DateEdit
from incident_recorder.ui.style import message_label, show_message


class TrainingEntryDialog(QDialog):
    """``correcting``: the entry being put right (its person is fixed), or None to add."""

    def __init__(
        self,
        service: TrainingService,
        staff: list[StaffMember],
        chosen: StaffMember | None,
        courses: list[str],
        correcting: TrainingRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._correcting = correcting
        self.saved: TrainingRecord | None = None
        self.setWindowTitle("Correct a training entry" if correcting else "Add training")
        form = QFormLayout()
        self.staff = QComboBox(self)
        for member in staff:
            self.staff.addItem(member.full_name, member.id)
        if chosen is not None:
            self.staff.setCurrentIndex(max(0, self.staff.findData(chosen.id)))
        self.staff.setEnabled(correcting is None)
        self._add(form, "&Member of staff:", self.staff)
        self.course = QLineEdit(self)
        self.course.setMaxLength(COURSE_LIMIT)
        self.course.setPlaceholderText("e.g. the school's positive-handling scheme")
        completer = QCompleter(courses, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.course.setCompleter(completer)
        if courses and correcting is None:
            self.course.setText(courses[0])
        self._add(form, "&Course:", self.course)
        self.trained_on = DateEdit(self)
        self._add(form, "Date &trained (dd/mm/yyyy):", self.trained_on)
        months = service.valid_months
        self.own_expiry = QCheckBox(
            f"It has its own e&xpiry date (otherwise it lasts {months} months)", self
        )
        self.own_expiry.setAccessibleName("The training has its own expiry date")
        form.addRow("", self.own_expiry)
        self.expires_on = DateEdit(self)
        self._add(form, "&Valid until (dd/mm/yyyy):", self.expires_on)
        self.note = QLineEdit(self)
        self.note.setMaxLength(NOTE_LIMIT)
        self._add(form, "&Note (optional):", self.note)
        self.message = message_label("error", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        if correcting is not None:
            intro = QLabel(
                "The correction replaces the entry; the entry as first typed is kept in the "
                "history.",
                self,
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if correcting is not None:
            self.course.setText(correcting.course)
            self.trained_on.set_value(correcting.trained_on)
            self.own_expiry.setChecked(correcting.expires_on is not None)
            self.expires_on.set_value(correcting.expires_on)
            self.note.setText(correcting.note)
        self._on_own_expiry_toggled(self.own_expiry.isChecked())
        self._connect_signals()
        self.resize(520, self.sizeHint().height())

    def _add(self, form: QFormLayout, text: str, widget: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", "").rstrip(":"))
        form.addRow(label, widget)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.own_expiry.toggled.connect(self._on_own_expiry_toggled)

    def entry(self) -> TrainingRecord | None:
        """The entry as typed, or None (with the problem shown)."""
        staff_id = self.staff.currentData()
        trained_on = self.trained_on.value()
        if staff_id is None:
            show_message(self.message, "Please choose the member of staff.", "error")
            return None
        if trained_on is None:
            show_message(self.message, "Please enter the date trained, as dd/mm/yyyy.", "error")
            return None
        expires_on = None
        if self.own_expiry.isChecked():
            expires_on = self.expires_on.value()
            if expires_on is None:
                show_message(self.message, "Please enter the expiry date, as dd/mm/yyyy.", "error")
                return None
        return TrainingRecord(
            int(staff_id), self.course.text(), trained_on, expires_on, self.note.text()
        )

    @Slot(bool)
    def _on_own_expiry_toggled(self, on: bool) -> None:
        self.expires_on.setEnabled(on)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        entry = self.entry()
        if entry is None:
            return
        try:
            if self._correcting is not None and self._correcting.id is not None:
                self.saved = self._service.correct(self._correcting.id, entry)
            else:
                self.saved = self._service.add(entry)
        except IncidentRecorderError as error:
            show_message(self.message, str(error), "error")
            return
        self.accept()
