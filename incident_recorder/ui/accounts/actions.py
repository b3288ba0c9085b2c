"""The account actions of the main window's menus: "Change my passphrase…" for everyone
in File, and an Administration menu with "Accounts…" for administrators only."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from incident_recorder.domain.model import Role, User
from incident_recorder.services.accounts import UserAdminService
from incident_recorder.services.key_rotation import KeyRotationService
from incident_recorder.ui.accounts.accounts_window import AccountsWindow
from incident_recorder.ui.accounts.change_passphrase import ChangePassphraseDialog
from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import Prompter

CHANGED = "Your passphrase has been changed. Use the new one from now on."


class AccountActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        service: UserAdminService,
        me: User,
        prompter: Prompter,
        rotation: KeyRotationService | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._rotation = rotation
        self._background = background
        self._me = me
        self._prompter = prompter
        self.accounts_window: AccountsWindow | None = None
        self.passphrase_dialog: ChangePassphraseDialog | None = None
        self.change_passphrase_action = QAction("Change my &passphrase…", window)
        self.accounts_action = QAction("&Accounts…", window)
        self.admin_menu: QMenu | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.change_passphrase_action.triggered.connect(self._on_change_passphrase_action_triggered)
        self.accounts_action.triggered.connect(self._on_accounts_action_triggered)

    def install(self, file_menu: QMenu, before: QAction) -> None:
        """Put "Change my passphrase…" in ``file_menu`` above ``before`` and, for an
        administrator, add the Administration menu."""
        file_menu.insertAction(before, self.change_passphrase_action)
        file_menu.insertSeparator(before)
        if self._me.has(Role.ADMINISTRATOR):
            self.admin_menu = self._window.menuBar().addMenu("Ad&ministration")
            self.admin_menu.addAction(self.accounts_action)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_accounts_action_triggered(self) -> None:
        if self.accounts_window is None:
            self.accounts_window = AccountsWindow(
                self._service,
                self._me,
                self._prompter,
                self._window,
                rotation=self._rotation,
                background=self._background,
            )
            self.accounts_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.accounts_window.destroyed.connect(self._on_accounts_window_destroyed)
        self.accounts_window.show()
        self.accounts_window.raise_()
        self.accounts_window.activateWindow()

    @Slot()
    def _on_accounts_window_destroyed(self) -> None:
        self.accounts_window = None

    @Slot()
    def _on_change_passphrase_action_triggered(self) -> None:
        dialog = ChangePassphraseDialog(self._service, self._me.username, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.passphrase_changed.connect(self._on_passphrase_dialog_passphrase_changed)
        dialog.finished.connect(self._on_passphrase_dialog_finished)
        self.passphrase_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_passphrase_dialog_finished(self, _result: int) -> None:
        self.passphrase_dialog = None

    @Slot()
    def _on_passphrase_dialog_passphrase_changed(self) -> None:
        self._prompter.inform("Passphrase changed", CHANGED)
