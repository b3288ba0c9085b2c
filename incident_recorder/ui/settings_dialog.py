"""Administration ▸ School details and letters…: the school's name, address, phone and
email (the letterhead), who signs the letters to parents and carers, and whom parents
may talk to. Administrators only; a problem is shown in the dialog in plain words and
everything typed stays."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    LetterSettings,
    Role,
    SchoolDetails,
    SignatoryRole,
    User,
)
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.style import message_label, show_message

ADMIN_MENU_TITLE = "Ad&ministration"


class SchoolSettingsDialog(QDialog):
    """``settings_saved`` is emitted once the details are saved."""

    settings_saved = Signal()

    def __init__(self, service: SettingsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle("School details and letters")
        self.message = message_label("error", self)
        school_box = QGroupBox("The school (printed at the top of every letter)", self)
        school_form = QFormLayout(school_box)
        self.school_name = self._line(school_form, "School &name:")
        self.address = QPlainTextEdit(self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self._add(school_form, "&Address (one line each):", self.address)
        self.phone = self._line(school_form, "&Phone:")
        self.email = self._line(school_form, "&Email:")
        letters_box = QGroupBox("Letters to parents and carers", self)
        letters_form = QFormLayout(letters_box)
        self.signatory_name = self._line(letters_form, "Letters are si&gned by:")
        self.signatory_role = QComboBox(self)
        for role in SignatoryRole:
            self.signatory_role.addItem(role.label, role.value)
        self._add(letters_form, "Their &role:", self.signatory_role)
        self.contact_name = self._line(letters_form, "Parents can &talk to:")
        self.contact_role = self._line(letters_form, "That person's r&ole:")
        self.contact_phone = self._line(letters_form, "Their p&hone number:")
        self.contact_email = self._line(letters_form, "Their e&mail address:")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(school_box)
        layout.addWidget(letters_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._load()
        self._connect_signals()
        self.resize(560, self.sizeHint().height())

    # ------------------------------------------------------------------ building

    def _add(self, form: QFormLayout, text: str, widget: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", "").rstrip(":"))
        form.addRow(label, widget)

    def _line(self, form: QFormLayout, text: str) -> QLineEdit:
        edit = QLineEdit(self)
        self._add(form, text, edit)
        return edit

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        school = self._service.school_details()
        letters = self._service.letter_settings()
        self.school_name.setText(school.name)
        self.address.setPlainText(school.address)
        self.phone.setText(school.phone)
        self.email.setText(school.email)
        self.signatory_name.setText(letters.signatory_name)
        self.signatory_role.setCurrentIndex(
            self.signatory_role.findData(letters.signatory_role.value)
        )
        self.contact_name.setText(letters.contact_name)
        self.contact_role.setText(letters.contact_role)
        self.contact_phone.setText(letters.contact_phone)
        self.contact_email.setText(letters.contact_email)

    # ------------------------------------------------------------------ values

    def school(self) -> SchoolDetails:
        current = self._service.school_details()
        return SchoolDetails(
            name=self.school_name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            email=self.email.text(),
            timezone=current.timezone,
        )

    def letters(self) -> LetterSettings:
        return LetterSettings(
            signatory_name=self.signatory_name.text(),
            signatory_role=SignatoryRole(self.signatory_role.currentData()),
            contact_name=self.contact_name.text(),
            contact_role=self.contact_role.text(),
            contact_phone=self.contact_phone.text(),
            contact_email=self.contact_email.text(),
        )

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self._service.save_school_and_letters(self.school(), self.letters())
        except IncidentRecorderError as error:
            show_message(self.message, str(error), "error")
            return
        show_message(self.message, "")
        self.settings_saved.emit()
        self.accept()


class SchoolSettingsActions:
    """Administration ▸ School details and letters… (administrators only)."""

    def __init__(self, window: QMainWindow, service: SettingsService) -> None:
        self._window = window
        self._service = service
        self.action = QAction("School details and &letters…", window)
        self.action.triggered.connect(self._on_action_triggered)
        self.dialog: SchoolSettingsDialog | None = None

    @classmethod
    def install(
        cls, window: QMainWindow, service: SettingsService, user: User
    ) -> SchoolSettingsActions | None:
        """For an administrator, the action in the Administration menu (made if need
        be); None for anyone else."""
        if not user.has(Role.ADMINISTRATOR):
            return None
        actions = cls(window, service)
        _admin_menu(window).addAction(actions.action)
        return actions

    @Slot()
    def _on_action_triggered(self) -> None:
        self.dialog = SchoolSettingsDialog(self._service, self._window)
        self.dialog.open()


def _admin_menu(window: QMainWindow) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == ADMIN_MENU_TITLE:
            return menu
    return window.menuBar().addMenu(ADMIN_MENU_TITLE)
