"""The ``incident-recorder`` command's first step.

Most of the time a member of staff is simply opening the app, so that path goes
straight to the sign-in window without loading the command line's sub-commands
(``cli.py``); anything else (a sub-command, ``--help``, ``--version``) is handed to
:func:`incident_recorder.cli.main`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.gui_start import open_gui

if TYPE_CHECKING:
    from incident_recorder.cli_commands.common import Entry
    from incident_recorder.services.ports import DocumentRenderer, KdfParams
    from incident_recorder.wiring import Composition

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


def cli_entry() -> Entry:
    """What the command line needs from the layers above it: the composition of a data
    folder (``wiring.py``), opening the window (``gui_start.py``) and the installation
    check (``selfcheck.py``), each imported only when a command uses it."""
    from incident_recorder.cli_commands.common import Entry
    from incident_recorder.gui_start import check_screen

    def compose(root: Path, kdf: KdfParams | None) -> Composition:
        from incident_recorder.wiring import Composition

        return Composition(root, kdf)

    def self_check(given: str | None) -> tuple[str, bool]:
        from incident_recorder import selfcheck
        from incident_recorder.infra.paths import resolve_data_dir

        folder = resolve_data_dir(given)
        return selfcheck.report(selfcheck.run_checks(folder, selfcheck.data_folder_source(given)))

    def renderer() -> DocumentRenderer:
        from incident_recorder.wiring import renderer as app_renderer

        return app_renderer()

    return Entry(compose, open_gui, check_screen, self_check, renderer)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    folder = gui_data_dir(args)
    if folder is None:
        from incident_recorder.cli import main as command_line

        return command_line(args, cli_entry())
    from incident_recorder.infra.paths import resolve_data_dir

    try:
        return open_gui(resolve_data_dir(folder or None))
    except IncidentRecorderError as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return EXIT_EXPECTED
