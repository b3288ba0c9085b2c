"""The ``incident-recorder`` command's first step.

Most of the time a member of staff is simply opening the app, so that path goes
straight to the sign-in window without loading the command line's sub-commands
(``cli.py``); anything else (a sub-command, ``--help``, ``--version``) is handed to
:func:`incident_recorder.cli.main`.
"""

from __future__ import annotations

import sys

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.gui_start import open_gui

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
