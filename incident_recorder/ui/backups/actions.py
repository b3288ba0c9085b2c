"""The main window's part in backups: Administration ▸ Backups… (administrators), the
status bar's line saying when the last backup and the last second copy were made, the
warning at sign-in (a kind banner), and the automatic backups while someone is signed in.

The automatic backup runs every ``every_minutes`` on the shell's :class:`BackupRunner`
(the background helper's worker, with a connection of its own: the window never waits
for it), only when something has changed since the last one, and not while other slow
work is running (it is tried again next time). A failure is said in the status bar and
logged without personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton

from incident_recorder.domain.backups import AUTOMATIC, Generation
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import BackupSettings
from incident_recorder.services.backups import BackupOutcome, BackupStatus
from incident_recorder.services.bundle import Services
from incident_recorder.ui.background import Background
from incident_recorder.ui.backups.runner import BackupRunner
from incident_recorder.ui.backups.window import BackupsWindow, FolderChooser, choose_folder
from incident_recorder.ui.backups.words import status_text
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.settings_dialog import admin_menu
from incident_recorder.ui.style import framed

log = logging.getLogger("incident_recorder.ui")

STATUS_MESSAGE_MS = 15_000


class BackupActions(QObject):
    """See the module notes. ``every_ms`` replaces the school's setting (for tests)."""

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        prompter: Prompter,
        background: Background,
        runner: BackupRunner | None = None,
        every_ms: int | None = None,
        choose: FolderChooser = choose_folder,
        restore: Callable[[Generation], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._backups = services.backups
        self._prompter = prompter
        self._background = background
        self.runner = runner if runner is not None else BackupRunner()
        self._every_ms = every_ms
        self._choose = choose
        self._restore = restore
        self.dialog: BackupsWindow | None = None
        self.status: BackupStatus | None = None
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Backups")
        self._build_banner()
        self.action: QAction | None = None
        if self._backups.may_manage:
            self.action = QAction("&Backups…", window)
            admin_menu(window).addAction(self.action)
        self.timer = QTimer(self)
        self._connect_signals()
        self._set_interval(self._backups.settings())
        self.timer.start()
        self.refresh_status()
        self._show_sign_in_warning()

    def _build_banner(self) -> None:
        self.banner = framed("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.open_button = QPushButton("Open &Backups…")
        self.open_button.setVisible(self._backups.may_manage)
        self.hide_button = QPushButton("Remind me next &time")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.hide_button)
        self.banner.setVisible(False)

    def _connect_signals(self) -> None:
        if self.action is not None:
            self.action.triggered.connect(self._on_action_triggered)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.runner.backup_finished.connect(self._on_runner_backup_finished)
        self.runner.backup_failed.connect(self._on_runner_backup_failed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.hide_button.clicked.connect(self._on_hide_button_clicked)

    # ------------------------------------------------------------------ behaviour

    @property
    def _open(self) -> bool:
        return not self._services.closed

    def refresh_status(self) -> None:
        """The status bar's line, read again."""
        if not self._open:
            return
        try:
            status = self._backups.status()
        except IncidentRecorderError as error:
            log.warning("the backups' status could not be read (%s)", type(error).__name__)
            return
        self.show_status(status)

    def show_status(self, status: BackupStatus) -> None:
        """The status bar's line from ``status`` (read on a worker after a backup)."""
        if not self._open:
            return
        self.status = status
        text = status_text(status, self._zone, self._today())
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)

    def _show_sign_in_warning(self) -> None:
        """A failed backup nobody saw (on lock or exit), then the service's warning
        (no second copy: the administrator at once, everyone after a week)."""
        parts = []
        try:
            failure = self._backups.last_failure()
        except IncidentRecorderError:
            failure = ""
        unseen = self.runner.take_problem()
        parts.append(failure or unseen)
        if self.status is not None:
            parts.append(self.status.warning)
        text = "\n\n".join(p for p in parts if p)
        if text:
            self.banner_text.setText(text)
            self.banner_text.setAccessibleName(text)
            self.banner.setVisible(True)
            log.info("a backup warning was shown at sign-in")

    def open_window(self) -> BackupsWindow:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = BackupsWindow(
            self._backups,
            self._background,
            self._prompter,
            self._zone,
            self._today,
            self._choose,
            self._restore,
            self._window,
        )
        dialog.status_read.connect(self._on_dialog_status_read)
        dialog.settings_saved.connect(self._on_dialog_settings_saved)
        self.dialog = dialog
        dialog.show()
        return dialog

    def back_up_now_if_changed(self) -> bool:
        """The automatic backup: started on the runner unless other slow work is running
        (or a backup already is). Returns whether one was started."""
        if not self._open or self._background.busy or self.runner.busy:
            log.debug("the automatic backup waits: other work is running")
            return False
        try:
            later = self._services.for_later()
        except IncidentRecorderError:
            return False
        self.runner.back_up(later, AUTOMATIC, only_if_changed=True)
        return True

    @property
    def _zone(self) -> str:
        return self._services.school_timezone if self._open else "Europe/London"

    def _today(self) -> date:
        return self._backups.local_today()

    def _set_interval(self, settings: BackupSettings) -> None:
        every = self._every_ms or max(1, settings.every_minutes) * 60_000
        self.timer.setInterval(every)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_action_triggered(self) -> None:
        self.open_window()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self.banner.setVisible(False)
        self.open_window()

    @Slot()
    def _on_hide_button_clicked(self) -> None:
        self.banner.setVisible(False)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.back_up_now_if_changed()

    @Slot(object, object)
    def _on_runner_backup_finished(self, outcome: BackupOutcome, status: object) -> None:
        if not self._open:
            return
        if isinstance(status, BackupStatus):
            self.show_status(status)
        if outcome.copy_problem:
            self._window.statusBar().showMessage(outcome.copy_problem, STATUS_MESSAGE_MS)
        if self.dialog is not None and self.dialog.isVisible() and outcome.made is not None:
            self.dialog.refresh()

    @Slot(str, str)
    def _on_runner_backup_failed(self, label: str, message: str) -> None:
        if not self._open:
            return
        what = "Automatic backup" if label == AUTOMATIC else "Backup"
        self._window.statusBar().showMessage(f"{what}: {message}", STATUS_MESSAGE_MS)

    @Slot(object)
    def _on_dialog_status_read(self, status: BackupStatus) -> None:
        self.show_status(status)

    @Slot(object)
    def _on_dialog_settings_saved(self, settings: BackupSettings) -> None:
        self._set_interval(settings)
