"""Add account: a new sign-in for someone new to the staff list, or for an adult who is
already on it (for example added by quick-add while a record was written).

A problem (a username already taken, a weak passphrase, no role) is shown in the
dialog in plain words, the field to fix gets the focus and everything typed stays.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError, WeakPassphrase
from incident_recorder.domain.model import Role, StaffMember, User
from incident_recorder.services.accounts import UserAdminService, check_username
from incident_recorder.ui.accounts.passphrase_fields import NewPassphraseFields
from incident_recorder.ui.setup.pages import suggest_username
from incident_recorder.ui.style import message_label, show_message

# One line each, from docs/permissions.md.
ROLE_EXPLANATIONS = {
    Role.STAFF: "Records incidents; sees their own drafts and the records they are named on.",
    Role.SENCO: "Everything Staff may do, and sees and amends every record.",
    Role.SAFEGUARDING_LEAD: "Records incidents, and sees and amends every record.",
    Role.ADMINISTRATOR: "Adds accounts and runs the app; sees records only with another role.",
    Role.OFFICE: (
        "Tells parents and gives them the written record: sees the parents' duties list "
        "and each record's copy for parents, not the full record."
    ),
}
ROLE_MNEMONICS = {
    Role.STAFF: "&Staff",
    Role.SENCO: "S&ENCO",
    Role.SAFEGUARDING_LEAD: "Safeguarding &lead / senior leader",
    Role.ADMINISTRATOR: "&Administrator",
    Role.OFFICE: "School off&ice",
}
NEW_STAFF_ENTRY = "Someone new: add them to the staff list"
READ_ONLY_STYLE = "QLineEdit { background: #eef1f4; color: #333333; }"


class AddAccountDialog(QDialog):
    """``account_added`` carries the new :class:`User` once the account is saved."""

    account_added = Signal(object)

    def __init__(self, service: UserAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._username_touched = False
        self._members: dict[int, StaffMember] = {}
        self.user: User | None = None
        self.setWindowTitle("Add an account")
        intro = QLabel(
            "Give the person a username and a first passphrase. Tell them both in person, "
            "and ask them to choose their own passphrase when they first sign in "
            "(File, then Change my passphrase)."
        )
        intro.setWordWrap(True)
        self.staff_entry = QComboBox()
        self.full_name = QLineEdit()
        self.job_title = QLineEdit()
        self.username = QLineEdit()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        _row(self.form, "&On the staff list:", self.staff_entry, "On the staff list")
        _row(self.form, "&Full name:", self.full_name, "Full name")
        _row(self.form, "&Job title (optional):", self.job_title, "Job title, optional")
        _row(self.form, "&Username:", self.username, "Username")
        self.roles_box = QGroupBox("Roles (one or more)")
        self.role_boxes = self._build_roles(self.roles_box)
        self.form.addRow(self.roles_box)
        self.new_passphrase = NewPassphraseFields(
            self.form, "First &passphrase:", "&Confirm passphrase:", "First passphrase", self
        )
        self.message = message_label()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.add_button = QPushButton("A&dd account")
        self.add_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fill_staff_entries()
        chain: list[QWidget] = [self.staff_entry, self.full_name, self.job_title, self.username]
        chain += list(self.role_boxes.values()) + self.new_passphrase.widgets
        chain += [self.add_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # Start on the staff list when someone on it has no account yet.
        has_entries = self.staff_entry.count() > 1
        self.staff_entry.setEnabled(has_entries)
        (self.staff_entry if has_entries else self.full_name).setFocus()
        hint = self.sizeHint()
        self.resize(max(620, hint.width()), hint.height())
        self._connect_signals()

    def _build_roles(self, box: QGroupBox) -> dict[Role, QCheckBox]:
        boxes: dict[Role, QCheckBox] = {}
        layout = QVBoxLayout(box)
        layout.setSpacing(2)
        for role in Role:
            check = QCheckBox(ROLE_MNEMONICS[role])
            check.setAccessibleName(role.label)
            check.setAccessibleDescription(ROLE_EXPLANATIONS[role])
            explanation = QLabel(ROLE_EXPLANATIONS[role])
            explanation.setProperty("role", "muted")
            explanation.setWordWrap(True)
            explanation.setContentsMargins(check.sizeHint().height() + 4, 0, 0, 6)
            layout.addWidget(check)
            layout.addWidget(explanation)
            boxes[role] = check
        return boxes

    def _fill_staff_entries(self) -> None:
        self.staff_entry.addItem(NEW_STAFF_ENTRY, None)
        try:
            members = self._service.staff_without_account()
        except IncidentRecorderError as error:
            show_message(self.message, str(error))
            return
        for member in members:
            self._members[member.id] = member
            title = f" ({member.job_title})" if member.job_title else ""
            self.staff_entry.addItem(f"{member.full_name}{title}", member.id)

    def _connect_signals(self) -> None:
        self.staff_entry.currentIndexChanged.connect(self._on_staff_entry_current_index_changed)
        self.full_name.textEdited.connect(self._on_full_name_text_edited)
        self.username.textEdited.connect(self._on_username_text_edited)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ reading the form

    def staff_id(self) -> int | None:
        value = self.staff_entry.currentData()
        return int(value) if value is not None else None

    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.role_boxes.items() if box.isChecked())

    def problem(self) -> tuple[str, QWidget | None]:
        """The first thing to put right, in the order of the form, or ("", None)."""
        if not self.full_name.text().strip():
            return "Please enter the person's full name.", self.full_name
        try:
            check_username(self.username.text())
        except IncidentRecorderError as error:
            return str(error), self.username
        if not self.roles():
            return "Choose at least one role for the account.", self.role_boxes[Role.STAFF]
        return self.new_passphrase.problem()

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem, field = self.problem()
        if not problem:
            field = self.username
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.user = self._service.add_user(
                    self.full_name.text(),
                    self.username.text(),
                    self.new_passphrase.text(),
                    self.roles(),
                    job_title=self.job_title.text(),
                    staff_id=self.staff_id(),
                )
            except WeakPassphrase as error:
                problem, field = str(error), self.new_passphrase.passphrase
            except IncidentRecorderError as error:
                problem = str(error)
            finally:
                QGuiApplication.restoreOverrideCursor()
        show_message(self.message, problem)
        if problem:
            if field is not None:
                field.setFocus()
            return
        self.new_passphrase.clear()
        self.accept()
        self.account_added.emit(self.user)

    @Slot(int)
    def _on_staff_entry_current_index_changed(self, _index: int) -> None:
        staff_id = self.staff_id()
        linked = staff_id is not None
        if staff_id is not None:
            member = self._members[staff_id]
            self.full_name.setText(member.full_name)
            self.job_title.setText(member.job_title)
            if not self._username_touched:
                self.username.setText(suggest_username(member.full_name))
        elif self.full_name.isReadOnly():  # back from an entry: its details are not theirs
            self.full_name.clear()
            self.job_title.clear()
            if not self._username_touched:
                self.username.clear()
        # A linked account takes the name and job title of its staff-list entry: shown,
        # readable, but not typed here.
        for field in (self.full_name, self.job_title):
            field.setReadOnly(linked)
            field.setStyleSheet(READ_ONLY_STYLE if linked else "")

    @Slot(str)
    def _on_full_name_text_edited(self, text: str) -> None:
        if not self._username_touched:
            self.username.setText(suggest_username(text))

    @Slot(str)
    def _on_username_text_edited(self, text: str) -> None:
        self._username_touched = bool(text)


def _row(form: QFormLayout, text: str, field: QWidget, name: str) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(name)
    form.addRow(label, field)
    return label
