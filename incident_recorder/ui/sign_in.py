"""The sign-in (and lock) screen.

A wrong passphrase shows a plain message, clears the field and changes nothing on
disk. After repeated failures the service makes the next try wait; the button then
counts down. On the demo database only, the demo sign-in is shown.

At start-up the window shows before the services exist (docs/performance.md): it is
then given a callable that returns them, building them first if need be, and the demo
hint once they are built (:meth:`SignInWindow.show_demo_hint`).

As the lock screen (``guard_ms``, see Shell.lock) it starts with the passphrase box
empty and ignores the keys that arrive in the first ``guard_ms`` after it appears:
someone typing in a record when the app locks would otherwise type the rest of their
sentence into the passphrase box (and Enter would try it as a passphrase).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import (
    DatabaseFileDamaged,
    IncidentRecorderError,
    KeyringDamaged,
    KeyringMissing,
    OlderCopyFound,
    SignInDelayed,
    WrongPassphrase,
)
from incident_recorder.ui.style import framed, heading, message_label, show_message

if TYPE_CHECKING:
    from incident_recorder.services.accounts import AccountService, Unlocked
    from incident_recorder.services.ports import DemoHint
    from incident_recorder.ui.background import Background
    from incident_recorder.ui.older_copy_dialog import OlderCopyDialog

SIGN_IN = "&Sign in"
UPGRADE_NOTE = (
    "If this is a new version of Incident Recorder, the records are being updated for it. "
    "This can take a minute with many records. Nothing is lost if the PC is switched off: "
    "the update starts again next time."
)


class SignInWindow(QWidget):
    signed_in = Signal(object)  # the new Session
    painted = Signal()  # once, just after the window's first paint
    restore_requested = Signal()  # "Restore from a backup…" (shown by offer_restore)
    keyring_restore_requested = Signal()  # "Restore the keyring from a backup…" (likewise)
    # The key was right but the database file is damaged (the message is shown): the
    # seam for offering the newest backup from here.
    damage_found = Signal(str)
    # An older copy was found and "Restore this backup…" chosen: the Generation to restore.
    older_copy_restore_requested = Signal(object)

    def __init__(
        self,
        accounts: AccountService | Callable[[], AccountService],
        school_name: str = "",
        username: str = "",
        note: str = "",
        tick_ms: int = 1000,
        parent: QWidget | None = None,
        guard_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        # The services, or a callable returning them (building them first if need be).
        self._accounts = accounts
        self._wait_left = 0
        self.working: Background | None = None  # signing in, on a worker thread
        self.older_copy: OlderCopyDialog | None = None  # shown when an older copy is found
        self._restore_offered = False
        self._keyring_trouble = False  # the keyring missing, or an entry in it damaged
        self._painted = False
        self._guard_ms = guard_ms
        self._guard: Callable[[], int] | None = None  # ms since shown, while guarding
        self._guarded: tuple[QEvent.Type, ...] = ()  # the events ignored meanwhile
        self.setWindowTitle(
            f"Incident Recorder — {school_name}" if school_name else "Incident Recorder"
        )
        self.title = heading("Incident Recorder", 1.8)
        self.school = heading(school_name, 1.25)
        self.school.setVisible(bool(school_name))
        self.note = QLabel(note or "Sign in to record or read incidents.")
        self.note.setWordWrap(True)
        self.username = QLineEdit(username)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = message_label()
        self.sign_in_button = QPushButton(SIGN_IN)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.sign_in_button.setAccessibleName("Sign in")
        self.forgotten_button = QPushButton("&Forgotten your passphrase?")
        self.forgotten_button.setProperty("role", "link")
        self.forgotten_button.setAccessibleName("Forgotten your passphrase?")
        self.restore_button = QPushButton("Restore from a &backup…")
        self.restore_button.setProperty("role", "link")
        self.restore_button.setAccessibleName("Restore from a backup")
        self.restore_button.setVisible(False)
        self.keyring_button = QPushButton("Restore the &keyring from a backup…")
        self.keyring_button.setProperty("role", "link")
        self.keyring_button.setAccessibleName("Restore the keyring from a backup")
        self.keyring_button.setVisible(False)
        self.demo = QLabel()
        self.demo.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._layout()
        self.show_demo_hint(None if callable(accounts) else accounts.demo_hint())
        self._connect_signals()
        (self.passphrase if username else self.username).setFocus()

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, name in (
            ("&Username:", self.username, "Username"),
            ("&Passphrase:", self.passphrase, "Passphrase"),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(name)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgotten_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        card = framed("panel")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.school)
        inner.addWidget(self.note)
        inner.addSpacing(6)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        for button in (self.restore_button, self.keyring_button):
            restore_row = QHBoxLayout()  # one a line: both fit a narrow window whole
            restore_row.addWidget(button)
            restore_row.addStretch(1)
            inner.addLayout(restore_row)
        self._demo_frame = framed("banner")
        demo_layout = QVBoxLayout(self._demo_frame)
        demo_layout.setContentsMargins(12, 8, 12, 8)
        demo_layout.addWidget(self.demo)
        inner.addWidget(self._demo_frame)
        card.setMaximumWidth(520)
        card.setMinimumWidth(440)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.username, self.passphrase)
        self.setTabOrder(self.passphrase, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.forgotten_button)
        self.setTabOrder(self.forgotten_button, self.restore_button)
        self.setTabOrder(self.restore_button, self.keyring_button)

    def _connect_signals(self) -> None:
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.username.returnPressed.connect(self._on_sign_in_button_clicked)
        self.passphrase.returnPressed.connect(self._on_sign_in_button_clicked)
        self.forgotten_button.clicked.connect(self._on_forgotten_button_clicked)
        self.restore_button.clicked.connect(self.restore_requested)
        self.keyring_button.clicked.connect(self.keyring_restore_requested)
        self._timer.timeout.connect(self._on_timer_timeout)

    def show_demo_hint(self, hint: DemoHint | None) -> None:
        """Show the demo sign-in (the demo database only), or hide it for ``None``."""
        self._demo_frame.setVisible(hint is not None)
        if hint is not None:
            from html import escape

            self.demo.setText(
                "<b>This is the demo database</b>, with a fictional school and pupils.<br>"
                f"Username: <b>{escape(hint.username)}</b><br>"
                f"Passphrase: <b>{escape(hint.passphrase)}</b>"
            )

    def show_error(self, text: str) -> None:
        show_message(self.message, text, "error")

    def offer_restore(self, offered: bool = True) -> None:
        """Show "Restore from a backup…" (the shell knows how to restore); "Restore the
        keyring from a backup…" is shown too once the keyring is found missing or an
        entry in it damaged (:meth:`keyring_lost`)."""
        self._restore_offered = offered
        self.restore_button.setVisible(offered)
        self.keyring_button.setVisible(offered and self._keyring_trouble)

    def keyring_lost(self, text: str) -> None:
        """The keyring is missing: say so, and offer only what can help (signing in
        cannot work until the keyring is back), with the keyboard on the remedy."""
        self._keyring_trouble = True
        show_message(self.message, text, "error")
        for widget in (self.username, self.passphrase, self.sign_in_button):
            widget.setEnabled(False)
        self.forgotten_button.setEnabled(False)
        self.keyring_button.setVisible(self._restore_offered)
        if self._restore_offered:
            self.keyring_button.setDefault(True)
            self.keyring_button.setFocus()

    def keyring_back(self, text: str) -> None:
        """The keyring is in place again: signing in works."""
        self._keyring_trouble = False
        for widget in (self.username, self.passphrase, self.sign_in_button):
            widget.setEnabled(True)
        self.forgotten_button.setEnabled(True)
        self.keyring_button.setVisible(False)
        self.keyring_button.setDefault(False)
        self.passphrase.clear()
        show_message(self.message, text, "ok")
        self.username.setFocus()

    def show_note(self, text: str, role: str = "ok") -> None:
        show_message(self.message, text, role)

    # ------------------------------------------------------------------ the lock guard

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._guard_ms > 0 and self._guard is None:
            from PySide6.QtCore import QCoreApplication, QElapsedTimer

            self.passphrase.clear()
            clock = QElapsedTimer()
            clock.start()
            self._guard = clock.elapsed
            self._guarded = (
                QEvent.Type.KeyPress,
                QEvent.Type.KeyRelease,
                QEvent.Type.ShortcutOverride,
                QEvent.Type.InputMethod,
                QEvent.Type.FocusIn,
            )
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            QTimer.singleShot(self._guard_ms + 50, self._end_guard)

    @property
    def guarding(self) -> bool:
        """True in the first ``guard_ms`` after the lock screen appeared."""
        return self._guard is not None and self._guard() < self._guard_ms

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._guard is None or event.type() not in self._guarded:
            return super().eventFilter(watched, event)
        if isinstance(watched, QWidget) and watched.window() is self and self.guarding:
            if event.type() == QEvent.Type.FocusIn:
                if watched is self.passphrase:
                    self.passphrase.clear()
                return False
            event.accept()  # a shortcut override taken: no mnemonic or shortcut fires
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def _end_guard(self) -> None:
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._guard = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._finish_after_first_paint)  # once this paint is on screen

    def _finish_after_first_paint(self) -> None:
        # Set only now: in PySide6 the first use of the Qt namespace builds all its enums
        # (~16 ms), and these matter only once the person can point at the window.
        from PySide6.QtCore import Qt

        self.forgotten_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.painted.emit()

    @property
    def signing_in(self) -> bool:
        """Whether a sign-in is being checked on the worker thread just now."""
        return self.working is not None and self.working.busy

    @property
    def waiting(self) -> bool:
        return self._wait_left > 0

    def _services(self) -> AccountService:
        accounts = self._accounts
        return accounts() if callable(accounts) else accounts

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_sign_in_button_clicked(self) -> None:
        self._start_sign_in()

    def _start_sign_in(self, accept_older_copy: bool = False) -> None:
        if self.waiting or self.signing_in:
            return
        username = self.username.text().strip()
        if not username:
            show_message(self.message, "Please enter your username.", "error")
            self.username.setFocus()
            return
        if not self.passphrase.text():
            show_message(self.message, "Please enter your passphrase.", "error")
            self.passphrase.setFocus()
            return
        try:
            accounts = self._services()
        except IncidentRecorderError as error:
            show_message(self.message, str(error), "error")
            return
        from PySide6.QtCore import Qt

        from incident_recorder.ui.background import Background, Task

        passphrase = self.passphrase.text()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.sign_in_button.setEnabled(False)
        self.working = Background(None, None, self)
        self.working.run(
            Task.alone(
                "signing in",
                lambda progress: accounts.unlock(username, passphrase, progress),
                on_done=lambda unlocked: self._signed_in(accounts, unlocked, accept_older_copy),
                on_failed=self._sign_in_failed,
                note=UPGRADE_NOTE,
                show_after_ms=1500,  # checking a passphrase takes about half a second
            )
        )

    def _signed_in(
        self, accounts: AccountService, unlocked: Unlocked, accept_older_copy: bool = False
    ) -> None:
        """The passphrase was right (and the database is up to date): open it here, on
        the thread that will use it."""
        try:
            session = accounts.open_session(unlocked, accept_older_copy=accept_older_copy)
        except IncidentRecorderError as error:
            self._sign_in_failed(error)
            return
        self._stop_working()
        self.passphrase.clear()
        show_message(self.message, "")
        self.signed_in.emit(session)

    def _sign_in_failed(self, error: IncidentRecorderError) -> None:
        self._stop_working()
        if isinstance(error, SignInDelayed):
            self._start_wait(error.seconds)
            return
        if isinstance(error, KeyringMissing):
            self.keyring_lost(str(error))
            return
        show_message(self.message, str(error), "error")
        if isinstance(error, WrongPassphrase):
            self.passphrase.clear()
            self.passphrase.setFocus()
        elif isinstance(error, DatabaseFileDamaged):  # never "wrong passphrase"
            self.passphrase.clear()
            self.damage_found.emit(str(error))
        elif isinstance(error, OlderCopyFound):
            self._show_older_copy(error)
        elif isinstance(error, KeyringDamaged):  # the keyring, or this account's entry
            self.passphrase.clear()
            self._keyring_trouble = True
            self.keyring_button.setVisible(self._restore_offered)

    def _show_older_copy(self, error: OlderCopyFound) -> None:
        """Say what was found, in a window in front, with the ways on (the passphrase is
        kept meanwhile, so "Keep using this copy" can sign in without asking again)."""
        from incident_recorder.ui.older_copy_dialog import OlderCopyDialog

        show_message(
            self.message,
            "An older copy was found, so nothing was opened. The window in front says "
            "what was found and what can be done.",
            "error",
        )
        dialog = OlderCopyDialog(error.found, self)
        if not self._restore_offered:  # this window cannot restore (some tests)
            dialog.restore_button.setVisible(False)
        dialog.keep_chosen.connect(self._on_older_copy_keep_chosen)
        dialog.restore_chosen.connect(self._on_older_copy_restore_chosen)
        dialog.rejected.connect(self._on_older_copy_rejected)
        self.older_copy = dialog
        dialog.open()

    @Slot()
    def _on_older_copy_keep_chosen(self) -> None:
        self.older_copy = None
        self._start_sign_in(accept_older_copy=True)

    @Slot(object)
    def _on_older_copy_restore_chosen(self, generation: object) -> None:
        self.older_copy = None
        self.passphrase.clear()
        show_message(self.message, "")
        self.older_copy_restore_requested.emit(generation)

    @Slot()
    def _on_older_copy_rejected(self) -> None:
        self.older_copy = None
        self.passphrase.clear()
        show_message(self.message, "Nothing was opened or changed.", "muted")
        self.passphrase.setFocus()

    def _stop_working(self) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.sign_in_button.setEnabled(not self.waiting)

    def _start_wait(self, seconds: float) -> None:
        self._wait_left = max(1, math.ceil(seconds))
        show_message(
            self.message,
            "There have been several unsuccessful attempts, so the next one must wait a "
            "little. This keeps the records safe from guessing.",
            "error",
        )
        self.sign_in_button.setEnabled(False)
        self._show_wait()
        self._timer.start()

    def _show_wait(self) -> None:
        s = "" if self._wait_left == 1 else "s"
        text = f"Please wait {self._wait_left} second{s}…"
        self.sign_in_button.setText(text)
        self.sign_in_button.setAccessibleDescription(text)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_wait()
            return
        self._timer.stop()
        self.sign_in_button.setText(SIGN_IN)
        self.sign_in_button.setAccessibleDescription("")
        self.sign_in_button.setEnabled(True)
        show_message(self.message, "You can try again now.", "muted")
        self.passphrase.setFocus()

    @Slot()
    def _on_forgotten_button_clicked(self) -> None:
        from incident_recorder.ui.forgotten_passphrase import ForgottenPassphraseDialog

        try:
            accounts = self._services()
        except IncidentRecorderError as error:
            show_message(self.message, str(error), "error")
            return
        dialog = ForgottenPassphraseDialog(accounts, self.username.text().strip(), self)
        if dialog.exec():
            self.username.setText(dialog.username.text().strip())
            self.passphrase.clear()
            self.passphrase.setFocus()
            show_message(self.message, "Your new passphrase is ready. Sign in with it now.", "ok")
