"""Administration ▸ School details and letters…: the school's name, address, phone and
email (the letterhead), who signs the letters to parents and carers, and whom parents
may talk to. Administrators only; a problem is shown in the dialog in plain words and
everything typed stays."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal, Slot
from PySide6.QtGui import QAction, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
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
LOGO_MAX_W, LOGO_MAX_H = 600, 300  # pixels; letters print it at most 40 x 24 mm
NO_LOGO = "No logo: letters print the school's name and address only."
_UNCHANGED = b""


def logo_png(image: QImage) -> bytes:
    """``image`` as PNG bytes, scaled down to fit 600 x 300 pixels if larger."""
    if image.width() > LOGO_MAX_W or image.height() > LOGO_MAX_H:
        image = image.scaled(
            LOGO_MAX_W,
            LOGO_MAX_H,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; Qt wants str
    buffer.close()
    return bytes(data.data())


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
        # The logo: bytes once chosen, None once removed, _UNCHANGED until then.
        self._logo: bytes | None = _UNCHANGED
        self.logo_preview = QLabel(self)
        self.logo_preview.setMinimumHeight(64)
        self.choose_logo_button = QPushButton("Choose a &file…", self)
        self.choose_logo_button.setAccessibleName("Choose the school's logo")
        self.remove_logo_button = QPushButton("Remo&ve", self)
        self.remove_logo_button.setAccessibleName("Remove the logo")
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview, 1)
        logo_row.addWidget(self.choose_logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_label = QLabel("&Logo:", self)
        logo_label.setBuddy(self.choose_logo_button)
        school_form.addRow(logo_label, logo_row)
        # Issue 13: the safeguarding desk marks a record overdue for signing off.
        desk_box = QGroupBox("The safeguarding desk", self)
        desk_form = QFormLayout(desk_box)
        self.overdue_days = QSpinBox(self)
        self.overdue_days.setRange(1, 20)
        self.overdue_days.setSuffix(" school days")
        self._add(desk_form, "Signing off is overd&ue after:", self.overdue_days)
        # Issue 14: the smallest group the Reports screen gives a risk ratio.
        reports_box = QGroupBox("Reports: the smallest group given a risk ratio", self)
        reports_form = QFormLayout(reports_box)
        self.min_on_roll = QSpinBox(self)
        self.min_on_roll.setRange(2, 100)
        self.min_on_roll.setSuffix(" pupils")
        self._add(reports_form, "Pup&ils on roll, at least:", self.min_on_roll)
        self.min_with_incident = QSpinBox(self)
        self.min_with_incident.setRange(1, 50)
        self.min_with_incident.setSuffix(" pupils")
        self._add(reports_form, "With an incident, at lea&st:", self.min_with_incident)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(school_box)
        layout.addWidget(letters_box)
        layout.addWidget(desk_box)
        layout.addWidget(reports_box)
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
        self.choose_logo_button.clicked.connect(self._on_choose_logo_button_clicked)
        self.remove_logo_button.clicked.connect(self._on_remove_logo_button_clicked)

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
        self._show_logo(self._service.logo())
        settings = self._service.school_settings()
        self.overdue_days.setValue(settings.sign_off_overdue_school_days)
        self.min_on_roll.setValue(settings.report_min_on_roll)
        self.min_with_incident.setValue(settings.report_min_with_incident)

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

    # ------------------------------------------------------------------ the logo

    def _show_logo(self, png: bytes | None) -> None:
        pixmap = QPixmap()
        if png and pixmap.loadFromData(png):
            height = min(pixmap.height(), 64)
            self.logo_preview.setPixmap(
                pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
            )
            self.logo_preview.setAccessibleName("The school's logo")
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(NO_LOGO)
            self.logo_preview.setAccessibleName(NO_LOGO)
        self.remove_logo_button.setEnabled(bool(png))

    def choose_logo_file(self, path: Path) -> bool:
        """Read a PNG or JPEG as the new logo (saved with Save); False, with the reason
        shown, if it cannot be read."""
        image = QImage(str(path))
        if image.isNull():
            show_message(
                self.message,
                "That file could not be read as a picture. Please choose a PNG or JPEG file.",
                "error",
            )
            return False
        self._logo = logo_png(image)
        show_message(self.message, "")
        self._show_logo(self._logo)
        return True

    def chosen_logo(self) -> bytes | None:
        """The logo to save: PNG bytes, None (remove it) or b"" (no change)."""
        return self._logo

    @Slot()
    def _on_choose_logo_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the school's logo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if name:
            self.choose_logo_file(Path(name))

    @Slot()
    def _on_remove_logo_button_clicked(self) -> None:
        self._logo = None
        self._show_logo(None)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self._service.save_school_and_letters(self.school(), self.letters())
            self._service.save_sign_off_overdue_days(self.overdue_days.value())
            self._service.save_report_minimums(
                self.min_on_roll.value(), self.min_with_incident.value()
            )
            if self._logo is None:
                self._service.clear_logo()
            elif self._logo != _UNCHANGED:
                self._service.set_logo(self._logo)
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
        admin_menu(window).addAction(actions.action)
        return actions

    @Slot()
    def _on_action_triggered(self) -> None:
        self.dialog = SchoolSettingsDialog(self._service, self._window)
        self.dialog.open()


def admin_menu(window: QMainWindow) -> QMenu:
    """The Administration menu of ``window``, made if need be."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == ADMIN_MENU_TITLE:
            return menu
    return window.menuBar().addMenu(ADMIN_MENU_TITLE)
