"""The ``incident-recorder`` command's first step.

Most of the time a member of staff is simply opening the app, so that path goes
straight to the sign-in window without loading the command line's sub-commands
(``cli.py``); anything else (a sub-command, ``--help``, ``--version``) is handed to
:func:`incident_recorder.cli.main`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from incident_recorder.domain.errors import IncidentRecorderError, InvalidInput

EXIT_EXPECTED = 2


def gui_data_dir(argv: list[str]) -> str | None:
    """For a plain "open the app" call, the ``--data-dir`` given ("" for the default);
    None when the arguments ask for anything else."""
    if not argv:
        return ""
    if len(argv) == 2 and argv[0] == "--data-dir" and argv[1] and not argv[1].startswith("-"):
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--data-dir=") and len(argv[0]) > 11:
        return argv[0].split("=", 1)[1]
    return None


def check_screen() -> None:
    """Say plainly (InvalidInput) when this computer cannot show the app's window: no
    desktop session, or system libraries that Qt's platform plugin needs are missing
    (incident_recorder/infra/qt_libraries.py reads them before Qt is loaded)."""
    if not sys.platform.startswith("linux"):
        return
    if (
        not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise InvalidInput(
            "There is no screen to show the app on (no desktop session was found). "
            "Run it from a desktop, or use the commands (see 'incident-recorder --help')."
        )
    from incident_recorder.infra.qt_libraries import window_problem

    problem = window_problem()
    if problem:
        raise InvalidInput(problem)


def open_gui(root: Path) -> int:
    """Start the app, or say plainly why this computer cannot show it."""
    check_screen()
    try:
        from incident_recorder.app import run_gui
    except ImportError as error:
        from incident_recorder.infra.qt_libraries import import_problem

        raise InvalidInput(import_problem(error)) from None
    return run_gui(root)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    folder = gui_data_dir(args)
    if folder is None:
        from incident_recorder.cli import main as command_line

        return command_line(args)
    from incident_recorder.infra.paths import resolve_data_dir

    try:
        return open_gui(resolve_data_dir(folder or None))
    except IncidentRecorderError as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return EXIT_EXPECTED
