"""The GUI's composition root: with ``wiring.py`` (which builds the services, and which
the command line shares), the one module that knows every layer.

It takes the data folder's single-writer lock, sends the log to the data folder,
builds the Qt application and the composition (the key vault, the database factory,
the account service, and each signed-in session's services), and hands them to the
shell, which shows set-up, sign-in and the main window.

Start-up is lean (docs/performance.md): this module imports only Qt and what is needed
to take the lock and find the data folder, and the sign-in window shows before the
services exist. Just after its first paint the log is set up and the services are built
(the shell does that, or at once if Sign in is pressed sooner); the rest of the app is
imported a moment later, while the person types. A test keeps the heavy modules out of
this module's imports (tests/architecture/test_startup_imports.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from incident_recorder import __version__
from incident_recorder.domain.errors import (
    DataFolderInUse,
    DataFolderReadOnly,
    IncidentRecorderError,
)
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import APP_NAME, DataFolder, resources_dir
from incident_recorder.ui.shell import Shell
from incident_recorder.ui.style import apply_style

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from incident_recorder.services.accounts import AccountService
    from incident_recorder.services.bundle import Services
    from incident_recorder.services.ports import KdfParams
    from incident_recorder.services.restore import RestoreService
    from incident_recorder.services.session import Session
    from incident_recorder.wiring import Composition

log = logging.getLogger("incident_recorder")

AUTOSAVE_MS = 5000  # an open form saves its draft this often (and at each step change)
# For the tests only: a shorter autosave interval, so a test that kills the app mid-form
# need not wait five seconds for the first save (tests/e2e/test_gui_process.py).
ENV_AUTOSAVE_MS = "INCIDENT_RECORDER_AUTOSAVE_MS"


def build_accounts(data_dir: Path, kdf: KdfParams | None = None) -> AccountService:
    """The account service over the real keyring and encrypted database in ``data_dir``."""
    return LazyComposition(data_dir, kdf).accounts()


class LazyComposition:
    """The composition of ``data_dir`` (``wiring.Composition``), built when first asked
    for: after the sign-in window's first paint, so that the window shows sooner."""

    def __init__(self, data_dir: Path, kdf: KdfParams | None = None) -> None:
        self._data_dir, self._kdf = data_dir, kdf
        self._built: Composition | None = None

    def _composition(self) -> Composition:
        if self._built is None:
            from incident_recorder.wiring import Composition

            self._built = Composition(self._data_dir, self._kdf)
        return self._built

    def accounts(self) -> AccountService:
        return self._composition().accounts

    def restore(self) -> RestoreService:
        return self._composition().restore

    def services(self, session: Session) -> Services:
        return self._composition().services(session)


def autosave_ms() -> int:
    """The autosave interval: :data:`AUTOSAVE_MS`, unless a test set ``ENV_AUTOSAVE_MS``."""
    try:
        return max(50, int(os.environ.get(ENV_AUTOSAVE_MS, "")))
    except ValueError:
        return AUTOSAVE_MS


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else new_application(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName("incident-recorder")
    icon = resources_dir() / "icons" / "incident-recorder.png"
    if icon.is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    apply_style(app)
    return app


EXIT_NO_WINDOW = 2  # as the command line's plain messages


def new_application(argv: list[str]) -> QApplication:
    """``QApplication(argv)``, with Qt's one unrecoverable start-up failure said plainly.

    When no platform plugin can start (a system library is missing, or the screen cannot
    be reached), Qt prints its raw messages, the first often misleading ("xcb-cursor0 is
    needed"), and aborts the process. The launcher checks the libraries before Qt is
    loaded (infra/qt_libraries.py); should Qt fail all the same, this says which
    libraries are missing, or which screen could not be reached, on one line, and exits 2.
    Qt's other messages while it starts are printed as Qt prints them."""
    said: list[tuple[str, str]] = []  # (category, message)

    def on_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            _stop_without_window(said)
        said.append((context.category or "", message))

    previous = qInstallMessageHandler(on_message)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    for category, message in said:
        sys.stderr.write(
            f"{category}: {message}\n" if category not in ("", "default") else message + "\n"
        )
    return app


def _stop_without_window(said: list[tuple[str, str]]) -> NoReturn:
    from incident_recorder.infra.qt_libraries import window_problem

    problem = window_problem()
    if problem is None:
        screen = ", ".join(
            f"{name}={os.environ[name]}"
            for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")
            if os.environ.get(name)
        )
        # What the platform said ("could not connect to display :5"), not the plugin
        # loader's guesses ("xcb-cursor0 is needed", "Reinstalling … may fix this").
        qt_said = [m.strip() for c, m in said if c not in ("qt.qpa.plugin", "default")]
        qt_said = [m for m in qt_said if m] or ["no platform plugin could start"]
        problem = (
            f"The app cannot open its window on this screen ({screen or 'none set'}). Start "
            "it from a desktop session, or ask your IT support to check the display. Qt "
            f"(its window toolkit) said: {'; '.join(qt_said)}"
        )
    sys.stdout.flush()
    sys.stderr.write(" ".join(problem.split()) + "\n")
    sys.stderr.flush()
    os._exit(EXIT_NO_WINDOW)  # Qt aborts the process straight after this handler


def run_gui(data_dir: Path, argv: list[str] | None = None) -> int:
    """Open the app on ``data_dir``. Returns the process exit code."""
    folder = DataFolder(Path(data_dir))
    app = make_application(argv)
    try:
        folder.ensure()
    except OSError as error:
        reason = error.strerror or str(error)
        _message_box().critical(
            None, APP_NAME, f"The data folder {folder.root} cannot be used: {reason}"
        )
        return 1
    lock = DataFolderLock(folder.lock_file)
    try:
        lock.acquire()
    except DataFolderInUse as error:
        _message_box().warning(None, "Incident Recorder is already open", str(error))
        return 1
    except DataFolderReadOnly as error:
        # Signing in writes to the audit log, so a folder this account cannot write to
        # (its permissions, read-only media) is refused plainly; nothing is made in it.
        _message_box().critical(None, "The data folder can only be read", str(error))
        return 1
    try:
        _install_excepthook(folder)
        composition = LazyComposition(folder.root)
        shell = Shell(
            composition.accounts,
            composition.services,
            autosave_ms=autosave_ms(),
            restore=composition.restore,
        )
        shell.finished.connect(app.quit)
        shell.first_window_shown.connect(lambda: _after_first_window(folder))
        try:
            # The same test as AccountService.is_set_up, without building the services.
            shell.start(set_up=folder.keyring.is_file() and folder.database.is_file())
        except IncidentRecorderError as error:  # first run: the services could not be built
            _message_box().critical(None, APP_NAME, str(error))
            return 1
        code = app.exec()
        if shell.main is not None:  # the window system closed us: still save and lock
            shell.quit()
        if not shell.finish_backups():
            # A backup left unfinished (it took too long, or the person chose not to
            # wait): end here, or Qt would abort on its still-running thread. Its
            # half-made folder is never taken for a backup.
            lock.release()
            logging.shutdown()
            os._exit(code)
        log.info("stopped")
        return code
    finally:
        lock.release()


def _message_box() -> type[QMessageBox]:
    from PySide6.QtWidgets import QMessageBox  # only on the paths that show one

    return QMessageBox


def _after_first_window(folder: DataFolder) -> None:
    """What can wait until the first window is on screen (the shell builds the services
    straight after this)."""
    _start_logging(folder)
    QTimer.singleShot(0, lambda: _warn_about_folder(folder))
    QTimer.singleShot(PRELOAD_AFTER_MS, _preload)


_logging_to: set[Path] = set()


def _start_logging(folder: DataFolder) -> None:
    """Send the log to the data folder, once (at the first window, or at a crash before)."""
    if folder.log_file in _logging_to:
        return
    _logging_to.clear()
    _logging_to.add(folder.log_file)
    from incident_recorder.infra import logs

    logs.configure(folder.log_file)
    log.info("started version %s", __version__)


# Start-up imports only what the sign-in window needs; the rest is imported a moment after
# it shows, while the person types their passphrase (see docs/performance.md).
PRELOAD_AFTER_MS = 300
PRELOAD = (
    "argon2.low_level",
    "cryptography.hazmat.primitives.ciphers.aead",
    "incident_recorder.store.connection",
    "incident_recorder.store.migrate",
    "incident_recorder.store.backup",
    "incident_recorder.store.audit",
    "incident_recorder.store.incidents",
    "incident_recorder.store.pupils",
    "incident_recorder.store.settings",
    "incident_recorder.store.staff",
    "incident_recorder.store.users",
    "incident_recorder.services.incidents",
    "incident_recorder.ui.main_window",
)


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)


def _warn_about_folder(folder: DataFolder) -> None:
    """A sync folder or network share is unsafe for the database: say so once, without
    stopping the person from working."""
    from PySide6.QtWidgets import QMessageBox

    from incident_recorder.infra.paths import data_folder_warnings

    warnings = data_folder_warnings(folder.root)
    if not warnings:
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Where the records are kept",
        "\n\n".join(w.message for w in warnings)
        + f"\n\nData folder: {folder.root}\nAsk your IT support to move it.",
    )
    box.setModal(False)
    box.show()
    _kept.append(box)  # a window without a parent needs a reference to stay open


_kept: list[QMessageBox] = []


def _install_excepthook(folder: DataFolder) -> None:
    """An unexpected error is logged (where, never what) and explained kindly."""
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        from PySide6.QtWidgets import QMessageBox

        from incident_recorder.infra import logs

        with contextlib.suppress(OSError):
            _start_logging(folder)  # a crash before the first window is logged too
        logs.log_uncaught(exc_type, exc, tb)
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            QMessageBox.critical(
                None,
                "Something went wrong",
                "Sorry, something went wrong in Incident Recorder. What you were typing is "
                "saved as a draft every few seconds, so little should be lost.\n\n"
                "If this keeps happening, please tell your IT support. The details are in "
                f"the log file:\n{folder.log_file}",
            )
        finally:
            showing = False

    sys.excepthook = hook
