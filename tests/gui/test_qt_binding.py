"""Guards against a broken Qt binding release.

PySide6 6.12.0 dropped one reference to Python's None on every Qt call that returns
nothing; after a few thousand keystrokes' worth of calls the interpreter aborted
("Fatal Python error: none_dealloc"), which would crash the app mid-record.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_void_qt_calls_do_not_leak_references_to_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    before = sys.getrefcount(None)
    for _ in range(2000):
        edit.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"the Qt binding lost {lost} references to None in 2,000 calls"
