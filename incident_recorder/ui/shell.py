"""Which screen is showing: set-up on first run, then sign-in, then the main window;
locking (Ctrl+L, or after a spell without use) and signing out go back to sign-in.

Locking saves every open form as an encrypted draft, closes the forms, record viewers
and dialogs, closes the session (the database connection, and the key is zeroed),
clears the clipboard if it holds text copied from the app, and shows sign-in, where
the same or another person may sign in.

At start-up the shell may be given a callable that builds the account service instead
of the service itself: sign-in then shows first, and the services are built just after
its first paint, while the person types (or at once, if they press Sign in sooner).

The shell never builds a service: ``open_services`` (the composition root's) turns a
signed-in session into its services, which the main window hands to each screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

from incident_recorder.domain.backups import EXIT, LOCK, SIGN_OUT
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.ui.idle import IdleWatcher
from incident_recorder.ui.sign_in import SignInWindow

if TYPE_CHECKING:
    # Imported when first needed, so the sign-in window shows sooner (docs/performance.md).
    from incident_recorder.services.accounts import AccountService
    from incident_recorder.services.bundle import Services
    from incident_recorder.services.restore import RestoreService
    from incident_recorder.services.session import Session
    from incident_recorder.ui.backups.runner import BackupRunner
    from incident_recorder.ui.child_windows import FormFactory
    from incident_recorder.ui.damage_check import DamageCheck
    from incident_recorder.ui.main_window import MainWindow
    from incident_recorder.ui.prompter import Prompter
    from incident_recorder.ui.restore_dialog import RestoreDialog
    from incident_recorder.ui.setup import SetupWizard

log = logging.getLogger("incident_recorder.ui")

# The lock screen ignores keys for this long after it appears, so that typing which
# was going into a record does not land in the passphrase box.
LOCK_GUARD_MS = 500
DAMAGED_REASON = (
    "The database file on this computer is damaged. Nothing more should be saved in it. "
    "Restore the newest backup that passes its checks: the damaged file is kept aside."
)

OLDER_COPY_REASON = (
    "The database in the data folder is an older copy of the school's records. Restoring "
    "the backup chosen below brings back what is missing; the older copy is kept aside."
)


class Shell(QObject):
    finished = Signal()  # the user quit (or cancelled set-up): the app should exit
    locked = Signal()
    first_window_shown = Signal()  # once: a moment for work that could wait (logs, imports)

    def __init__(
        self,
        accounts: AccountService | Callable[[], AccountService],
        open_services: Callable[[Session], Services],
        prompter: Prompter | None = None,
        idle_ms: int | None = None,
        autosave_ms: int = 5000,
        sign_in_tick_ms: int = 1000,
        form_factory: FormFactory | None = None,
        parent: QObject | None = None,
        restore: Callable[[], RestoreService] | None = None,
        check_in_background: bool = True,
    ) -> None:
        super().__init__(parent)
        self._restore = restore  # None: no "Restore from a backup…" (some tests)
        # The services, or a callable that builds them (see accounts()).
        self._accounts: AccountService | None = None if callable(accounts) else accounts
        self._build_accounts = accounts if callable(accounts) else None
        self._open_services = open_services
        self._shown = False
        self._prompter = prompter  # None: real dialogs (tests pass a ScriptedPrompter)
        self._idle_ms = idle_ms
        self._autosave_ms = autosave_ms
        self._tick_ms = sign_in_tick_ms
        self._form_factory = form_factory
        # The full check of the database after each sign-in (ui/damage_check.py), and
        # the seam the restore flow is wired to: called from the damage banner.
        self._check_in_background = check_in_background
        self.offer_restore: Callable[[], None] | None = (
            None if restore is None else self._restore_after_damage
        )
        self.damage_check: DamageCheck | None = None
        self.services: Services | None = None
        self.wizard: SetupWizard | None = None
        self.sign_in: SignInWindow | None = None
        self.main: MainWindow | None = None
        self.restore_dialog: QDialog | None = None
        self._school_name = ""
        self._copied_digest: bytes | None = None
        # Windows of an ended session, deleted at the next sign-in: a dialog dismissed by
        # locking may still be unwinding inside one of them.
        self._retired: list[QWidget] = []
        self.idle = IdleWatcher(10 * 60 * 1000, self)
        # Backups on lock, sign-out and exit, and the automatic ones (ui/backups/runner.py;
        # made at the first sign-in, which keeps start-up quick).
        self.backups: BackupRunner | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.idle.idle_timed_out.connect(self._on_idle_idle_timed_out)
        clipboard = QGuiApplication.clipboard()
        clipboard.dataChanged.connect(self._on_clipboard_data_changed)

    # ------------------------------------------------------------------ services

    def accounts(self) -> AccountService:
        """The account service, built now if it was not yet. Raises IncidentRecorderError
        when it cannot be built (the message says why)."""
        if self._accounts is None:
            assert self._build_accounts is not None
            self._accounts = self._build_accounts()
            if self.sign_in is not None:
                self.sign_in.show_demo_hint(self._accounts.demo_hint())
        return self._accounts

    @property
    def accounts_ready(self) -> bool:
        return self._accounts is not None

    # ------------------------------------------------------------------ screens

    def start(self, set_up: bool | None = None) -> None:
        """Show sign-in, or set-up on first run. ``set_up`` says whether the data folder
        is set up when the caller knows without the services; None asks the services."""
        if set_up is None:
            set_up = self.accounts().is_set_up()
        if not set_up and self.accounts().keyring_missing():
            # The records are here without their keyring: never set-up over them.
            from incident_recorder.domain.errors import KeyringMissing

            window = self.show_sign_in()
            window.keyring_lost(str(KeyringMissing()))
        elif set_up:
            self.show_sign_in()
        else:
            from incident_recorder.ui.setup import SetupWizard

            self.wizard = SetupWizard(self.accounts())
            self.wizard.setup_completed.connect(self._on_wizard_setup_completed)
            self.wizard.setup_cancelled.connect(self._on_wizard_setup_cancelled)
            if self._restore is not None:
                self.wizard.offer_restore()
                self.wizard.restore_requested.connect(self._on_sign_in_restore_requested)
            self.wizard.show()
            QTimer.singleShot(0, self._emit_first_window_shown)

    def show_sign_in(self, username: str = "", note: str = "", guard_ms: int = 0) -> SignInWindow:
        accounts = self._accounts if self._accounts is not None else self.accounts
        window = SignInWindow(
            accounts,
            self._school_name,
            username,
            note,
            tick_ms=self._tick_ms,
            guard_ms=guard_ms,
        )
        window.signed_in.connect(self._on_sign_in_signed_in)
        window.painted.connect(self._on_sign_in_painted)
        if self._restore is not None:
            window.offer_restore()
            window.restore_requested.connect(self._on_sign_in_restore_requested)
            window.keyring_restore_requested.connect(self._on_sign_in_keyring_restore_requested)
            window.damage_found.connect(self._on_sign_in_damage_found)
            window.older_copy_restore_requested.connect(
                self._on_sign_in_older_copy_restore_requested
            )
        window.resize(900, 640)
        window.show()
        window.activateWindow()
        self.sign_in = window
        return window

    def show_main(self, session: Session) -> MainWindow:
        services = self._open_services(session)
        self.services = services
        settings = services.settings.school_settings()
        self._school_name = settings.school.name
        from incident_recorder.ui.backups.runner import BackupRunner
        from incident_recorder.ui.main_window import MainWindow

        if self.backups is None:
            self.backups = BackupRunner()
        window = MainWindow(
            services,
            self._prompter,
            autosave_ms=self._autosave_ms,
            form_factory=self._form_factory,
            backup_runner=self.backups,
            can_restore=self._restore is not None,
        )
        window.lock_requested.connect(self._on_main_lock_requested)
        window.sign_out_requested.connect(self._on_main_sign_out_requested)
        window.quit_requested.connect(self._on_main_quit_requested)
        window.restore_requested.connect(self._on_main_restore_requested)
        window.show()
        window.offer_unfinished_drafts()
        self.main = window
        if self._check_in_background:
            from incident_recorder.ui.damage_check import DamageCheck

            self.damage_check = DamageCheck(window, window.background, self.offer_restore)
            self.damage_check.start()
        for old in (self.sign_in, self.wizard):
            if old is not None:
                old.hide()
                old.deleteLater()
        self.sign_in = self.wizard = None
        for retired in self._retired:
            retired.deleteLater()
        self._retired.clear()
        minutes = max(1, settings.idle_lock_minutes)
        self.idle.set_timeout_ms(self._idle_ms if self._idle_ms is not None else minutes * 60000)
        self.idle.start()
        return window

    # ------------------------------------------------------------------ restoring

    def restore_from_backup(self, reason: str = "", also_in: str = "") -> RestoreDialog | None:
        """Open "Restore from a backup". Signed in, the session is ended first (the
        database is swapped while no connection is open); the restore happens from the
        sign-in window. None when this shell cannot restore."""
        if self._restore is None:
            return None
        if self.main is not None:
            username = self.services.user.username if self.services else ""
            self._end_session(username, "Signed out to restore a backup.")
        if self.backups is not None and self.backups.busy:
            self.backups.wait_before_closing()  # the database is not swapped under it
        from incident_recorder.ui.restore_dialog import RestoreDialog

        sign_in = self.sign_in
        try:
            restore = self._restore()
        except IncidentRecorderError as error:
            if sign_in is not None:
                sign_in.show_error(str(error))
            return None
        username = sign_in.username.text().strip() if sign_in is not None else ""
        parent = sign_in if sign_in is not None else self.wizard
        dialog = RestoreDialog(restore, also_in, username, reason, self._prompter, parent=parent)
        dialog.restored.connect(self._on_restore_dialog_restored)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.restore_dialog = dialog
        return dialog

    def restore_keyring_from_backup(self) -> QDialog | None:
        """Open "Restore the keyring from a backup" from the sign-in window (None when
        this shell cannot restore)."""
        if self._restore is None or self.sign_in is None:
            return None
        from incident_recorder.ui.keyring_restore_dialog import KeyringRestoreDialog

        sign_in = self.sign_in
        try:
            restore = self._restore()
        except IncidentRecorderError as error:
            sign_in.show_error(str(error))
            return None
        username = sign_in.username.text().strip()
        dialog = KeyringRestoreDialog(restore, "", username, "", self._prompter, parent=sign_in)
        dialog.keyring_restored.connect(self._on_keyring_dialog_keyring_restored)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.restore_dialog = dialog
        return dialog

    # ------------------------------------------------------------------ ending a session

    def lock(self) -> None:
        """Save, close everything of this session and show sign-in for anyone to sign in."""
        username = self.services.user.username if self.services else ""
        self._end_session(
            username,
            "Locked. Your unfinished records were saved. Sign in to carry on.",
            guard_ms=LOCK_GUARD_MS,
            backup=LOCK,
        )
        self.locked.emit()

    def sign_out(self) -> None:
        self._end_session("", "You have signed out.", backup=SIGN_OUT)

    def quit(self) -> None:
        self._end_session(None, "", backup=EXIT)
        self.finish_backups()
        self.finished.emit()

    def finish_backups(self) -> bool:
        """Before the app closes: wait (with a small window, not for ever) for the backups
        still being made. False when one was left unfinished."""
        return self.backups is None or self.backups.wait_before_closing()

    def _end_session(
        self, username: str | None, note: str, guard_ms: int = 0, backup: str = ""
    ) -> None:
        self.idle.stop()
        main, services = self.main, self.services
        self.main = self.services = None
        if main is not None:
            # Work still running on a worker thread is asked to stop (where stopping is
            # safe) or waited for; its connection is closed and its key zeroed.
            main.background.stop_all()
            main.windows.flush_all()  # then, while everything is still open
            _close_dialogs()
            main.shut_down()
            self._retired.append(main)
        later = None
        if services is not None and backup:
            # Taken while the session is open; the worker opens its own connection with
            # it once this one is closed, so locking does not wait for the backup.
            try:
                later = services.for_later()
            except IncidentRecorderError:
                log.warning("no backup on %s: the session could not be handed on", backup)
        if services is not None:
            services.close()
            log.info("session closed")
        if later is not None and self.backups is not None:
            self.backups.back_up(later, backup, only_if_changed=True)
        self._clear_clipboard()
        if username is not None:
            self.show_sign_in(username, note, guard_ms)

    def _clear_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        text = clipboard.text()
        ours = clipboard.ownsClipboard() or (
            self._copied_digest is not None and _digest(text) == self._copied_digest
        )
        if text and ours:
            clipboard.clear(QClipboard.Mode.Clipboard)
            if clipboard.supportsSelection():
                clipboard.clear(QClipboard.Mode.Selection)
        self._copied_digest = None

    # ------------------------------------------------------------------ slots

    @Slot(object)
    def _on_wizard_setup_completed(self, session: Session) -> None:
        self.show_main(session)

    @Slot()
    def _on_wizard_setup_cancelled(self) -> None:
        self.finished.emit()

    @Slot(object)
    def _on_sign_in_signed_in(self, session: Session) -> None:
        self.show_main(session)

    @Slot()
    def _on_sign_in_painted(self) -> None:
        self._emit_first_window_shown()
        if self._accounts is not None or self.sign_in is None:
            return
        try:
            self.accounts()
        except IncidentRecorderError as error:
            log.warning("the services could not be built at start-up")
            self.sign_in.show_error(str(error))  # and again if they press Sign in

    def _emit_first_window_shown(self) -> None:
        if not self._shown:
            self._shown = True
            self.first_window_shown.emit()

    @Slot()
    def _on_sign_in_restore_requested(self) -> None:
        self.restore_from_backup()

    @Slot()
    def _on_sign_in_keyring_restore_requested(self) -> None:
        self.restore_keyring_from_backup()

    @Slot(object)
    def _on_keyring_dialog_keyring_restored(self, _outcome: object) -> None:
        log.info("the keyring was restored from a backup")
        if self.sign_in is not None:
            self.sign_in.keyring_back(
                "The keyring is back in place. Sign in with your passphrase as it was when "
                "that backup was made."
            )

    @Slot(object)
    def _on_main_restore_requested(self, generation: object) -> None:
        from incident_recorder.domain.backups import Generation

        if not isinstance(generation, Generation):
            return
        dialog = self.restore_from_backup(also_in=generation.location)
        if dialog is not None:
            dialog.select(generation.name)

    @Slot(object)
    def _on_sign_in_older_copy_restore_requested(self, generation: object) -> None:
        from incident_recorder.domain.backups import Generation

        if not isinstance(generation, Generation):
            return
        dialog = self.restore_from_backup(OLDER_COPY_REASON, also_in=generation.location)
        if dialog is not None:
            dialog.select(generation.name)

    @Slot(str)
    def _on_sign_in_damage_found(self, _message: str) -> None:
        self.restore_from_backup(DAMAGED_REASON)

    def _restore_after_damage(self) -> None:
        self.restore_from_backup(DAMAGED_REASON)

    @Slot(object)
    def _on_restore_dialog_restored(self, _outcome: object) -> None:
        log.info("a backup was restored")
        if self.wizard is not None:  # restored on a new PC instead of setting up
            wizard, self.wizard = self.wizard, None
            wizard.close_for_restore()
            wizard.deleteLater()
            self.show_sign_in()
        if self.sign_in is not None:
            self.sign_in.passphrase.clear()
            self.sign_in.show_note("The backup is back in place. Sign in to carry on.")

    @Slot()
    def _on_main_lock_requested(self) -> None:
        self.lock()

    @Slot()
    def _on_main_sign_out_requested(self) -> None:
        self.sign_out()

    @Slot()
    def _on_main_quit_requested(self) -> None:
        self.quit()

    @Slot()
    def _on_idle_idle_timed_out(self) -> None:
        if self.main is not None:
            log.info("locked after a spell without use")
            self.lock()

    @Slot()
    def _on_clipboard_data_changed(self) -> None:
        clipboard = QGuiApplication.clipboard()
        active = QApplication.activeWindow() is not None
        if self.main is not None and (active or clipboard.ownsClipboard()):
            self._copied_digest = _digest(clipboard.text())


def _digest(text: str) -> bytes:
    import hashlib  # not at start-up (docs/performance.md)

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _close_dialogs() -> None:
    """Dismiss open dialogs and menus, as if the user had chosen Cancel."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
        elif isinstance(widget, QMenu) and widget.isVisible():
            widget.close()
