"""The set-up wizard's first three pages: the school, the first administrator, and the
plain warning before the encrypted database is created."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from html import escape
from typing import cast

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Role, SchoolDetails
from incident_recorder.services.accounts import check_passphrase, check_username
from incident_recorder.ui.setup.strength import StrengthMeter
from incident_recorder.ui.style import framed, message_label, show_message


def suggest_username(full_name: str) -> str:
    """ "Siân Griffiths" -> "s.griffiths": plain letters, first initial and last name."""
    plain = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    words = [re.sub(r"[^a-z0-9-]", "", w.lower()) for w in plain.split()]
    words = [w for w in words if w]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:32]
    return f"{words[0][0]}.{words[-1]}"[:32]


def _add_row(form: QFormLayout, text: str, field: QWidget, name: str) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(name)
    form.addRow(label, field)
    return label


class SchoolPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your school")
        self.setSubTitle(
            "Welcome to Incident Recorder. First, tell us about your school. These details "
            "appear on records and letters."
        )
        self.name = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 4 + 14)
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.message = message_label()
        form = QFormLayout()
        _add_row(form, "School &name:", self.name, "School name")
        _add_row(form, "&Address:", self.address, "School address")
        _add_row(form, "&Telephone (optional):", self.phone, "School telephone, optional")
        _add_row(form, "&Email (optional):", self.email, "School email, optional")
        self.restore_note = QLabel(
            "Moving Incident Recorder to a new PC, or putting back the records after a "
            "disk failure? Restore them from a backup instead of setting up afresh."
        )
        self.restore_note.setWordWrap(True)
        self.restore_button = QPushButton("&Restore from a backup…")
        self.restore_button.setAccessibleName("Restore from a backup")
        for widget in (self.restore_note, self.restore_button):
            widget.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.restore_note)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)

    def school(self) -> SchoolDetails:
        return SchoolDetails(
            name=self.name.text().strip(),
            address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
        )

    def validatePage(self) -> bool:
        school = self.school()
        problem, field = "", cast(QWidget | None, None)
        if not school.name:
            problem, field = "Please enter the school's name.", self.name
        elif not school.address:
            problem, field = "Please enter the school's address.", self.address
        elif school.email and "@" not in school.email:
            problem, field = "That email address does not look right.", self.email
        show_message(self.message, problem)
        if field is not None:
            field.setFocus()
        return not problem


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your account")
        self.setSubTitle(
            "This is the first administrator: the person who adds the other staff accounts. "
            "Choose a passphrase of at least 12 characters: a few unrelated words are "
            "strong and easy to remember."
        )
        self.full_name = QLineEdit()
        self.job_title = QLineEdit()
        self.username = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_passphrase = QCheckBox("&Show the passphrase as I type")
        self.meter = StrengthMeter()
        self.signs_off = QCheckBox("I also sign off &records (safeguarding lead / senior leader)")
        self.records = QCheckBox("I also &record incidents")
        self.office = QCheckBox(
            "I also tell parents for the school &office (the parents' duties, the copy for parents)"
        )
        self.message = message_label()
        self._username_touched = False

        form = QFormLayout()
        _add_row(form, "&Full name:", self.full_name, "Full name")
        _add_row(form, "&Job title:", self.job_title, "Job title")
        _add_row(form, "&Username:", self.username, "Username")
        _add_row(form, "&Passphrase:", self.passphrase, "Passphrase")
        form.addRow("", self.meter)
        _add_row(form, "&Confirm passphrase:", self.confirm, "Confirm passphrase")
        form.addRow("", self.show_passphrase)
        self.show_passphrase.setAccessibleName("Show the passphrase as I type")
        for box in (self.signs_off, self.records, self.office):
            box.setAccessibleName(box.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.signs_off)
        layout.addWidget(self.records)
        layout.addWidget(self.office)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.full_name.textEdited.connect(self._on_full_name_text_edited)
        self.username.textEdited.connect(self._on_username_text_edited)
        self.passphrase.textChanged.connect(self._on_passphrase_text_changed)
        self.show_passphrase.toggled.connect(self._on_show_passphrase_toggled)

    def extra_roles(self) -> frozenset[Role]:
        roles = set()
        if self.signs_off.isChecked():
            roles.add(Role.SAFEGUARDING_LEAD)
        if self.records.isChecked():
            roles.add(Role.STAFF)
        if self.office.isChecked():
            roles.add(Role.OFFICE)
        return frozenset(roles)

    def validatePage(self) -> bool:
        problem, field = "", None
        try:
            if not self.full_name.text().strip():
                problem, field = "Please enter your full name.", self.full_name
            else:
                field = self.username
                check_username(self.username.text())
                field = self.passphrase
                check_passphrase(self.passphrase.text())
                if self.confirm.text() != self.passphrase.text():
                    field = self.confirm
                    problem = "The two passphrases are not the same. Please type it again."
                    self.confirm.clear()
        except IncidentRecorderError as error:
            problem = str(error)
        show_message(self.message, problem)
        if problem and field is not None:
            field.setFocus()
        return not problem

    @Slot(str)
    def _on_full_name_text_edited(self, text: str) -> None:
        if not self._username_touched:
            self.username.setText(suggest_username(text))

    @Slot(str)
    def _on_username_text_edited(self, text: str) -> None:
        self._username_touched = bool(text)

    @Slot(str)
    def _on_passphrase_text_changed(self, text: str) -> None:
        self.meter.update_for(text)

    @Slot(bool)
    def _on_show_passphrase_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)


class ConfirmPage(QWizardPage):
    """The last page before anything is written: says plainly what losing the keys means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Keeping the records safe")
        self.setSubTitle("Please read this before the database is created.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Create")
        warning = framed("warning")
        text = QLabel(
            "<p><b>Every record is encrypted on this computer.</b> Nobody can read the "
            "records without a passphrase or the recovery code: not your IT support, and "
            "not the makers of this software.</p>"
            "<p><b>If every passphrase and the recovery code are lost, the records cannot be "
            "recovered.</b></p>"
            "<p>On the next page you will see the recovery code. Print it or write it down, "
            "and keep it somewhere safe away from this computer, such as the school safe.</p>"
        )
        text.setWordWrap(True)
        inner = QVBoxLayout(warning)
        inner.setContentsMargins(14, 10, 14, 10)
        inner.addWidget(text)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = message_label()
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.creator: Callable[[], str] = lambda: ""

    def set_summary(self, school: str, person: str, username: str, roles: str) -> None:
        school, person, username = escape(school), escape(person), escape(username)
        self.summary.setText(
            f"Choose <b>Create</b> to create the encrypted database for <b>{school}</b>, "
            f"with <b>{person}</b> (username <b>{username}</b>) as {escape(roles)}."
        )

    def validatePage(self) -> bool:
        """Create the database now; an error is shown here and nothing is created."""
        problem = self.creator()
        show_message(self.message, problem)
        return not problem
