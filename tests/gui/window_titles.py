"""Every window the app shows has a title (the taskbar, Alt+Tab and a screen reader
announce it): a recorder of the windows shown during a test, for the check that
tests/gui/conftest.py makes after every GUI test."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

# The app's widgets that tests show bare, on their own: in the app they are always
# inside a window (the form gets its window and title in ui/child_windows.py).
PARTS_SHOWN_BARE = frozenset({"IncidentForm", "IncidentListPanel", "IncidentChart", "ChartPanel"})


class ShownWindows(QObject):
    """Records each window as it is shown, with the title it had then.

    Counted: every dialog (message boxes, file dialogs and wizards too), main windows,
    the app's windows made from a widget with a parent (a record, the pupil list) and
    the app's own top-level windows (sign-in). Not counted: popups and tool tips, and a
    widget a test shows on its own (PARTS_SHOWN_BARE, or a plain Qt widget).
    ``on_dialog`` is called with each dialog shown (a test may close it)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []  # (class name, title)
        self.on_dialog: Callable[[QDialog], None] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and _is_app_window(watched)
        ):
            self.shown.append((type(watched).__name__, watched.windowTitle()))
            if isinstance(watched, QDialog) and self.on_dialog is not None:
                self.on_dialog(watched)
        return False

    def untitled(self) -> list[str]:
        return sorted({name for name, title in self.shown if not title.strip()})


def _is_app_window(widget: QWidget) -> bool:
    if widget.windowType() not in (Qt.WindowType.Window, Qt.WindowType.Dialog):
        return False
    if isinstance(widget, QDialog | QMainWindow) or widget.parentWidget() is not None:
        return True
    kind = type(widget)
    return kind.__module__.startswith("incident_recorder.") and (
        kind.__name__ not in PARTS_SHOWN_BARE
    )
