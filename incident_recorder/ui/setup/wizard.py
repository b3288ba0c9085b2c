"""First run: the school, the first administrator, a plain warning, then the recovery
code. Nothing is written to disk until the user chooses Create."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QWidget, QWizard

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import (
    AccountService,
    SetupRequest,
    SetupResult,
    normalise_username,
)
from incident_recorder.ui.setup.pages import AdminPage, ConfirmPage, SchoolPage
from incident_recorder.ui.setup.recovery import RecoveryPage


class SetupWizard(QWizard):
    setup_completed = Signal(object)  # the signed-in Session
    setup_cancelled = Signal()
    restore_requested = Signal()  # "Restore from a backup…" (shown by offer_restore)

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.result_: SetupResult | None = None
        self._finished = False
        self.setWindowTitle("Set up Incident Recorder")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.school_page = SchoolPage()
        self.admin_page = AdminPage()
        self.confirm_page = ConfirmPage()
        self.recovery_page = RecoveryPage()
        self.confirm_page.creator = self.create_database
        for page in (self.school_page, self.admin_page, self.confirm_page, self.recovery_page):
            self.addPage(page)
        self.resize(720, 560)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.currentIdChanged.connect(self._on_self_current_id_changed)
        self.school_page.restore_button.clicked.connect(self.restore_requested)

    def offer_restore(self) -> None:
        """Offer to restore a backup instead (a new PC, a failed disk)."""
        self.school_page.restore_note.setVisible(True)
        self.school_page.restore_button.setVisible(True)

    def close_for_restore(self) -> None:
        """A backup was restored instead: close without cancelling the app."""
        self._finished = True
        self.hide()

    @property
    def created(self) -> bool:
        return self.result_ is not None

    def request(self) -> SetupRequest:
        admin = self.admin_page
        return SetupRequest(
            school=self.school_page.school(),
            admin_full_name=admin.full_name.text().strip(),
            admin_username=admin.username.text(),
            passphrase=admin.passphrase.text(),
            admin_job_title=admin.job_title.text().strip(),
            extra_roles=admin.extra_roles(),
        )

    def create_database(self) -> str:
        """Create the keyring and database. Returns a plain error message, or ""."""
        if self.result_ is not None:
            return ""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_ = self._accounts.set_up(self.request())
        except IncidentRecorderError as error:
            return str(error)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.admin_page.passphrase.clear()
        self.admin_page.confirm.clear()
        self.recovery_page.set_code(self.result_.recovery_code, self.school_page.school().name)
        return ""

    def accept(self) -> None:
        if self.result_ is None or not self.recovery_page.isComplete():
            return
        self._finished = True
        super().accept()
        self.setup_completed.emit(self.result_.session)

    def reject(self) -> None:
        if self.created:
            return  # the recovery code must be acknowledged first
        super().reject()
        self.setup_cancelled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.created and not self._finished:
            event.ignore()
            return
        super().closeEvent(event)

    @Slot(int)
    def _on_self_current_id_changed(self, _page_id: int) -> None:
        if self.currentPage() is self.confirm_page:
            request = self.request()
            roles = frozenset({Role.ADMINISTRATOR}) | request.extra_roles
            labels = [_lower(r.label) for r in sorted(roles, key=list(Role).index)]
            roles_text = (
                labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
            )
            self.confirm_page.set_summary(
                request.school.name,
                request.admin_full_name,
                normalise_username(request.admin_username),
                roles_text,
            )


def _lower(label: str) -> str:
    """ "Administrator" -> "administrator", but "SENCO" stays as it is."""
    return label if label.split(" ")[0].isupper() else label[:1].lower() + label[1:]
