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


def open_gui(root: Path) -> int:
    """Start the app, or say plainly why this computer cannot show it."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise InvalidInput(
            "There is no screen to show the app on (no desktop session was found). "
            "Run it from a desktop, or use the commands (see 'incident-recorder --help')."
        )
    try:
        from incident_recorder.app import run_gui
    except ImportError as error:
        raise InvalidInput(
            f"The app's window toolkit (Qt) could not start: {error}. On Debian or Ubuntu, "
            "install its system libraries with: sudo apt-get install -y libgl1 libegl1 "
            "libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3 "
            "libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
            "libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libx11-xcb1"
        ) from None
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
