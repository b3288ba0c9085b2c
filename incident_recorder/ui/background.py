"""Slow work off the GUI thread, and one signal that says what changed.

In the spirit of Anki's ``aqt/operations``: a screen hands :meth:`Background.run` a
:class:`Task`, a use case to run on a worker thread. The worker opens its own database
connection (connections are per thread) and builds the same services over it, runs the
work, and closes the connection, zeroing its copy of the key. Meanwhile the window stays
responsive; if the work takes more than a moment a progress window says what is
happening (with Cancel where stopping is safe). The result comes back on the GUI thread
to the task's ``on_done``; an expected failure becomes a plain message to ``on_failed``
(or a warning), an unexpected one a plain message and a log line without personal data.
What the work changed is announced on :attr:`Background.changed`, the one signal the
views listen to.

Locking or signing out calls :meth:`Background.stop_all`: cancellable work is asked to
stop, the rest is waited for, and nothing is delivered afterwards.

Python's cyclic garbage collector is paused while any worker runs. Left on, it can run
on the worker thread (whatever thread allocates) and free the last reference to a Qt
object of the GUI thread there: Qt then deletes it on the wrong thread, its timers stay
registered with the GUI thread, and the next one to fire crashes the app (seen in the
tests, as a segmentation fault in a timer event). Reference counting still frees almost
everything at once; the collector runs again, on the GUI thread, once the workers end.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from incident_recorder.domain.errors import Cancelled, IncidentRecorderError
from incident_recorder.services.bundle import Services
from incident_recorder.services.changes import NOTHING, Changes
from incident_recorder.services.ports import Progress
from incident_recorder.ui.prompter import Prompter

log = logging.getLogger("incident_recorder.ui")

T = TypeVar("T")

SHOW_AFTER_MS = 400  # no progress window for work that is over before a person notices
UNEXPECTED = (
    "Something went wrong while {what}. Nothing was changed. The log in the data folder "
    "says what happened (it holds no personal data)."
)


@dataclass
class Task(Generic[T]):
    """One piece of slow work.

    ``work`` runs on the worker thread and is given the same services over the worker's
    own database connection, and a Progress (a task made with :meth:`alone` needs no
    records, and gets only the Progress: signing in, say). ``on_done``
    gets its result on the GUI thread. ``changes`` (or a function of the result) says
    what to announce. ``what`` finishes "Something went wrong while ..." and titles the
    progress window; ``note`` is shown in it (e.g. that nothing is lost if the PC is
    switched off)."""

    what: str
    work: Callable[[Services, Progress], T] | None = None
    on_done: Callable[[T], None] = field(default=lambda _result: None)
    on_failed: Callable[[IncidentRecorderError], None] | None = None
    changes: Changes | Callable[[T], Changes] = NOTHING
    cancellable: bool = False
    note: str = ""
    show_after_ms: int | None = None  # None: the helper's usual moment
    without_records: Callable[[Progress], T] | None = None
    quiet: bool = False  # True: never a progress window (a check nobody waits for)

    @classmethod
    def alone(cls, what: str, work: Callable[[Progress], T], **options: Any) -> Task[T]:
        """A task that opens no database connection of its own."""
        return cls(what, None, without_records=work, **options)


class _Progress:
    """The worker's side of a Progress: thread-safe, read by the GUI thread."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._stop = threading.Event()

    def step(self, done: int, total: int, text: str = "") -> None:
        self._job.progressed.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def ask_to_stop(self) -> None:
        self._stop.set()


class _PausedCollector:
    """Python's cyclic garbage collector, paused while any job runs (see the notes)."""

    def __init__(self) -> None:
        self._holders = 0
        self._was_enabled = True

    def hold(self) -> None:
        if self._holders == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
        self._holders += 1

    def release(self) -> None:
        self._holders = max(0, self._holders - 1)
        if self._holders == 0 and self._was_enabled:
            gc.enable()


_COLLECTOR = _PausedCollector()  # used on the GUI thread only


class Job(QThread):
    """A task running on its own thread (see the module notes)."""

    succeeded = Signal(object)
    failed = Signal(object)  # an IncidentRecorderError (expected or worded for the user)
    progressed = Signal(int, int, str)

    def __init__(self, task: Task[Any], services: Services | None, parent: QObject) -> None:
        super().__init__(parent)
        self.task = task
        self._services = services
        self.progress = _Progress(self)
        self.delivered = False
        self.stopped = False
        self.last_step: tuple[int, int, str] | None = None  # for a progress window shown late
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.released = True  # whether it no longer holds the garbage collector paused
        # The worker's own services, kept so a test can see their key was forgotten.
        self.worker_services: Services | None = None

    def run(self) -> None:
        task = self.task
        worker: Services | None = None
        try:
            if task.without_records is not None:
                result = task.without_records(self.progress)
            else:
                if self._services is None or task.work is None:
                    raise IncidentRecorderError("There are no records open.")
                worker = self._services.on_new_connection()
                self.worker_services = worker
                result = task.work(worker, self.progress)
        except IncidentRecorderError as error:
            self.failed.emit(error)
        except Exception as error:  # never let a worker die silently
            log.exception("background work failed: %s (%s)", task.what, type(error).__name__)
            self.failed.emit(IncidentRecorderError(UNEXPECTED.format(what=task.what)))
        else:
            self.succeeded.emit(result)
        finally:
            if worker is not None:
                worker.close()

    def cancel(self) -> None:
        self.progress.ask_to_stop()


class Background(QObject):
    """Runs tasks for one signed-in session and announces what changed."""

    changed = Signal(object)  # Changes: the one signal the views refresh on
    busy_changed = Signal(bool)

    def __init__(
        self,
        services: Services | None,
        prompter: Prompter | None = None,
        window: QWidget | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._prompter = prompter
        self._window = window
        self._show_after_ms = show_after_ms
        self.jobs: list[Job] = []
        self.dialogs: dict[Job, QProgressDialog] = {}
        self._stopping = False

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def announce(self, changes: Changes) -> None:
        """Tell the views what changed (also for work done on the GUI thread)."""
        if changes.anything:
            self.changed.emit(changes)

    def run(self, task: Task[T]) -> Job:
        """Start ``task`` on a worker thread; returns its job at once."""
        if self._stopping:
            raise IncidentRecorderError("Incident Recorder is locking: try again after signing in.")
        job = Job(task, self._services, self)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.progressed.connect(self._on_job_progressed)
        job.finished.connect(self._on_job_finished)
        self.jobs.append(job)
        if len(self.jobs) == 1:
            self.busy_changed.emit(True)
        after = self._show_after_ms if task.show_after_ms is None else task.show_after_ms
        # A timer of the job's own (not a free single shot): it goes with the job.
        job.progress_timer.timeout.connect(self._on_progress_timer_timeout)
        job.progress_timer.start(after)
        _COLLECTOR.hold()
        job.released = False
        job.start()
        return job

    def call(self, task: Task[T]) -> T:
        """Run ``task`` on a worker and wait here for its result, the window still
        painting and its timers running (a local event loop that takes no clicks or
        keys, so nothing else can start meanwhile; a cancellable task's progress window
        shows at once and takes its Cancel). Raises the task's error."""
        from PySide6.QtCore import QEventLoop

        box: dict[str, Any] = {}
        done, failed = task.on_done, task.on_failed

        def keep(result: Any) -> None:
            box["result"] = result
            done(result)

        def fail(error: IncidentRecorderError) -> None:
            box["error"] = error

        waiting = Task(
            task.what, task.work, keep, fail, task.changes, task.cancellable, task.note,
            0 if task.cancellable else task.show_after_ms, task.without_records,
        )  # fmt: skip
        loop = QEventLoop()
        job = self.run(waiting)
        job.finished.connect(loop.quit)
        if job.isRunning():
            flags = QEventLoop.ProcessEventsFlag.AllEvents
            if not task.cancellable:
                flags = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
            loop.exec(flags)
        while not (job.delivered or job.stopped):
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if "error" in box:
            if failed is not None:
                failed(box["error"])
            raise box["error"]
        if job.stopped:
            raise Cancelled(task.what[:1].upper() + task.what[1:])
        return box["result"]  # type: ignore[no-any-return]

    def wait(self, job: Job, timeout_ms: int = 60_000) -> bool:
        """Block until ``job`` has finished and delivered its result (for the command
        line's way of working and for tests); False if it took longer."""
        if not job.wait(timeout_ms):
            return False
        from PySide6.QtCore import QCoreApplication

        while not job.delivered and not job.stopped:
            QCoreApplication.processEvents()
        return True

    def stop_all(self, timeout_ms: int = 120_000) -> bool:
        """Before locking, signing out or quitting: ask cancellable jobs to stop, wait for
        every job to end (their connections closed, their keys zeroed), deliver nothing.
        False if a job was still running after ``timeout_ms``."""
        self._stopping = True
        finished = True
        for job in list(self.jobs):
            job.stopped = True
            if job.task.cancellable:
                job.cancel()
        for job in list(self.jobs):
            ended = job.wait(timeout_ms)
            finished = ended and finished
            self._close_dialog(job)
            if ended and not job.released:
                job.released = True
                _COLLECTOR.release()
        self.jobs = [j for j in self.jobs if j.isRunning()]
        return finished

    # ------------------------------------------------------------------ progress window

    def _show_progress(self, job: Job) -> None:
        if job not in self.jobs or job.delivered or job.stopped or self._window is None:
            return
        if job.task.quiet:
            return
        task = job.task
        dialog = QProgressDialog(self._window)
        dialog.setWindowTitle(task.what[:1].upper() + task.what[1:])
        label = QLabel(dialog)
        label.setWordWrap(True)
        dialog.setLabel(label)
        dialog.setMinimumWidth(460)
        text = f"{task.what[:1].upper() + task.what[1:]}…"
        dialog.setLabelText(f"{text}\n\n{task.note}" if task.note else text)
        dialog.setAccessibleName(text)
        dialog.setRange(0, 0)  # busy until the work says how far it has got
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if task.cancellable:
            dialog.setCancelButtonText("Cancel")
            dialog.canceled.connect(job.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        self.dialogs[job] = dialog
        if job.last_step is not None:
            self._show_step(job, dialog, *job.last_step)

    def _close_dialog(self, job: Job) -> None:
        dialog = self.dialogs.pop(job, None)
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()

    # ------------------------------------------------------------------ slots

    def _job(self) -> Job | None:
        sender = self.sender()
        return sender if isinstance(sender, Job) else None

    @Slot(object)
    def _on_job_succeeded(self, result: object) -> None:
        job = self._job()
        if job is None or job.stopped:
            return
        job.delivered = True
        self._close_dialog(job)
        task = job.task
        changes = task.changes(result) if callable(task.changes) else task.changes
        try:
            task.on_done(result)
        finally:
            self.announce(changes)

    @Slot(object)
    def _on_job_failed(self, error: object) -> None:
        job = self._job()
        if job is None or job.stopped:
            return
        job.delivered = True
        self._close_dialog(job)
        assert isinstance(error, IncidentRecorderError)
        if job.task.on_failed is not None:
            job.task.on_failed(error)
        elif not isinstance(error, Cancelled) and self._prompter is not None:
            self._prompter.warn("Could not finish", str(error))
        elif not isinstance(error, Cancelled):
            log.warning("background work failed with nobody to tell: %s", job.task.what)

    @Slot()
    def _on_progress_timer_timeout(self) -> None:
        timer = self.sender()
        job = timer.parent() if isinstance(timer, QTimer) else None
        if isinstance(job, Job):
            self._show_progress(job)

    @Slot(int, int, str)
    def _on_job_progressed(self, done: int, total: int, text: str) -> None:
        job = self._job()
        if job is None:
            return
        job.last_step = (done, total, text)
        dialog = self.dialogs.get(job)
        if dialog is not None:
            self._show_step(job, dialog, done, total, text)

    @staticmethod
    def _show_step(job: Job, dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        if total > 0:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
        if text:
            note = f"\n\n{job.task.note}" if job.task.note else ""
            dialog.setLabelText(f"{text}…{note}")

    @Slot()
    def _on_job_finished(self) -> None:
        job = self._job()
        if job is None:
            return
        self._close_dialog(job)
        job.progress_timer.stop()
        if not job.released:
            job.released = True
            _COLLECTOR.release()
        if job in self.jobs:
            self.jobs.remove(job)
            if not self.jobs:
                self.busy_changed.emit(False)
        job.deleteLater()
