"""Opening the app's window, for both ways in: the launcher's plain "open the app"
path (launcher.py) and the sub-commands that end by opening it (``demo``, the parser's
default in cli.py). Standard library only until Qt is really wanted, so that the
launcher stays quick and a computer that cannot show a window is told so plainly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from incident_recorder.domain.errors import InvalidInput


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
