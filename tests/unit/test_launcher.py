"""`incident-recorder` alone (or with --data-dir) opens the app at once; anything else
goes to the command line's sub-commands."""

from __future__ import annotations

import pytest

from incident_recorder.launcher import gui_data_dir


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ""),
        (["--data-dir", "D:/Records"], "D:/Records"),
        (["--data-dir=D:/Records"], "D:/Records"),
        (["--data-dir"], None),  # missing value: the command line explains
        (["--data-dir="], None),
        (["--data-dir", "--version"], None),
        (["--version"], None),
        (["--help"], None),
        (["list"], None),
        (["--data-dir", "D:/Records", "verify"], None),
        (["demo", "--no-gui"], None),
    ],
)
def test_which_calls_open_the_app_straight_away(argv: list[str], expected: str | None) -> None:
    assert gui_data_dir(argv) == expected
