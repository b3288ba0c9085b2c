"""Backups made apart from any one session's windows: the automatic ones, and those
made as the app locks, signs out or closes.

The shell owns one :class:`BackupRunner`. Each backup runs on the background helper
(``ui/background.py``) as a task that needs no records of the helper's own: it is handed
a :class:`~incident_recorder.services.bundle.LaterServices`, taken from the session on
the GUI thread while it is still open, and opens its own connection on the worker. So
locking does not wait for the backup: the session closes and sign-in shows at once while
the worker goes on with its own connection (and its own copy of the key, zeroed when it
closes). One backup runs at a time; one asked for meanwhile waits its turn.

Closing the app waits for the backup (:meth:`BackupRunner.wait_before_closing`, with a
small window), but not for ever: after ``CLOSE_BUTTON_AFTER_MS`` the window offers to
close without waiting, and after ``GIVE_UP_AFTER_MS`` it closes by itself. A backup that
fails is logged (without personal data), audited by the service where it can be, and
said the next time someone signs in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from incident_recorder.domain.backups import AUTOMATIC, label_words
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.backups import BackupOutcome, BackupStatus
from incident_recorder.services.bundle import LaterServices
from incident_recorder.services.ports import Progress
from incident_recorder.ui.background import Background, Task

log = logging.getLogger("incident_recorder.ui")

CLOSE_BUTTON_AFTER_MS = 10_000
GIVE_UP_AFTER_MS = 180_000
NEVER_SHOWN = 24 * 60 * 60 * 1000  # no progress window: these run unseen


@dataclass
class _Asked:
    later: LaterServices
    label: str
    only_if_changed: bool


# Runners with a backup under way, kept alive until it ends (see BackupRunner.__init__).
_BUSY: set[BackupRunner] = set()


class BackupRunner(QObject):
    """See the module notes. ``backup_finished`` carries the BackupOutcome and the
    BackupStatus read on the worker straight after (None if it could not be read), so the
    status bar need not read the folders and the database on the GUI thread;
    ``backup_failed`` the label and the plain message; ``idle`` is emitted when nothing
    is left to do."""

    backup_finished = Signal(object, object)
    backup_failed = Signal(str, str)
    idle = Signal()

    def __init__(self) -> None:
        # No Qt parent: a window or shell deleted while a backup runs must not take the
        # running thread with it (Qt aborts the app); the runner lives while it is busy.
        super().__init__(None)
        self.background = Background(None)
        self.background.setParent(self)
        self._gave_up = False
        self.background.busy_changed.connect(self._on_background_busy_changed)
        self._waiting: list[_Asked] = []
        # What went wrong with the last backup nobody was watching (on lock, say), to
        # be shown at the next sign-in; "" when nothing did.
        self.last_problem = ""
        self.closing_window: ClosingWindow | None = None

    @property
    def busy(self) -> bool:
        return self.background.busy or bool(self._waiting)

    def back_up(self, later: LaterServices, label: str, only_if_changed: bool = True) -> None:
        """Make a backup with ``later`` (opened on the worker, closed when done), now or
        once the backup already running has finished."""
        asked = _Asked(later, label, only_if_changed)
        if self.background.busy:
            self._waiting.append(asked)
        else:
            self._start(asked)

    def _start(self, asked: _Asked) -> None:
        def work(progress: Progress) -> tuple[BackupOutcome, BackupStatus | None]:
            worker = asked.later.open()
            try:
                outcome = worker.backups.back_up(asked.label, progress, asked.only_if_changed)
                try:
                    status = worker.backups.status()
                except IncidentRecorderError:
                    status = None
                return outcome, status
            finally:
                worker.close()

        def done(result: tuple[BackupOutcome, BackupStatus | None]) -> None:
            outcome, status = result
            if outcome.made is not None:
                log.info("backup made (%s)", asked.label)
            self.backup_finished.emit(outcome, status)
            self._next()

        def failed(error: IncidentRecorderError) -> None:
            log.warning("a backup (%s) could not be made: %s", asked.label, type(error).__name__)
            message = str(error)
            if asked.label != AUTOMATIC:
                self.last_problem = f"{message} (This was the backup {label_words(asked.label)}.)"
            self.backup_failed.emit(asked.label, message)
            self._next()

        task: Task[tuple[BackupOutcome, BackupStatus | None]] = Task.alone(
            "making a backup", work, on_done=done, on_failed=failed, show_after_ms=NEVER_SHOWN
        )
        try:
            self.background.run(task)
        except IncidentRecorderError:  # the helper is stopping: the app is closing
            asked.later.forget()
            return
        _BUSY.add(self)

    def _next(self) -> None:
        if self._waiting:
            self._start(self._waiting.pop(0))

    def take_problem(self) -> str:
        """The last unseen failure (see ``last_problem``), forgotten once taken."""
        problem, self.last_problem = self.last_problem, ""
        return problem

    # ------------------------------------------------------------------ closing the app

    def wait_before_closing(
        self,
        close_button_after_ms: int = CLOSE_BUTTON_AFTER_MS,
        give_up_after_ms: int = GIVE_UP_AFTER_MS,
    ) -> bool:
        """Before the app closes: wait for the backups asked for, showing a small window
        (the window keeps painting; clicks elsewhere are not taken). True when they all
        ended; False when the person chose not to wait or it took too long (the backup
        is left unfinished: nothing is lost, and its half-made folder is never taken
        for a backup)."""
        if not self.busy or self._gave_up:
            return not self.busy
        window = self.closing_window = ClosingWindow()
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        window.close_now_button.clicked.connect(loop.quit)
        give_up = QTimer(self)
        give_up.setSingleShot(True)
        give_up.timeout.connect(loop.quit)
        give_up.start(give_up_after_ms)
        offer = QTimer(self)
        offer.setSingleShot(True)
        offer.timeout.connect(window.offer_to_close)
        offer.start(close_button_after_ms)
        window.show()
        if self.busy:
            loop.exec()
        give_up.stop()
        offer.stop()
        self.idle.disconnect(loop.quit)
        window.hide()
        window.deleteLater()
        self.closing_window = None
        ended = not self.busy
        if not ended:
            self._gave_up = True
            log.warning("the app closed before its backup had finished")
            for asked in self._waiting:
                asked.later.forget()
            self._waiting.clear()
        return ended

    @Slot(bool)
    def _on_background_busy_changed(self, busy: bool) -> None:
        if not busy and not self._waiting:
            _BUSY.discard(self)
            self.idle.emit()


class ClosingWindow(QDialog):
    """ "Making a backup before closing…", with Close without waiting after a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Closing Incident Recorder")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.text = QLabel(
            "Making a backup before closing…\n\nThis usually takes a few seconds. The "
            "records are already saved."
        )
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Making a backup before closing")
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setAccessibleName("Making the backup")
        self.close_now_button = QPushButton("&Close without waiting")
        self.close_now_button.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(bar)
        layout.addWidget(self.close_now_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(480)

    @Slot()
    def offer_to_close(self) -> None:
        self.text.setText(
            "Making a backup before closing…\n\nThis is taking longer than usual (a slow "
            "or disconnected second folder, perhaps). The records are already saved: you "
            "may close without waiting, and a backup is made next time."
        )
        self.close_now_button.setVisible(True)
        self.close_now_button.setFocus()
        self.adjustSize()

    def reject(self) -> None:  # Escape does not close it: Close without waiting does
        return


def finish_all(timeout_ms: int = 60_000) -> bool:
    """Wait, processing events, until no runner has a backup under way (for tests, where
    a backup made on lock must not run on into the next test); False after
    ``timeout_ms``."""
    import time

    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_ms / 1000
    while _BUSY and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    return not _BUSY
