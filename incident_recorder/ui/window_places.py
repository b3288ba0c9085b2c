"""Where a feature puts itself on the main window: an entry in the View menu, a badge
on the first toolbar, and work to do just after the window's first paint (a count that
reads many records waits until the list has shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget


def add_to_view_menu(window: QMainWindow, action: QAction, separator: bool = False) -> bool:
    """Adds ``action`` to the window's View menu (after a separator if asked); False
    when the window has no View menu."""
    bar = window.menuBar()
    menu = next((a.menu() for a in bar.actions() if a.text().replace("&", "") == "View"), None)
    if not isinstance(menu, QMenu):
        return False
    if separator:
        menu.addSeparator()
    menu.addAction(action)
    return True


def add_to_toolbar(window: QMainWindow, widget: QWidget) -> QAction | None:
    """Puts ``widget`` on the window's first toolbar, before its first separator or
    spacer; returns the toolbar's action for it (a toolbar's widget is shown and hidden
    through that action), or None when the window has no toolbar."""
    toolbars = window.findChildren(QToolBar)
    if not toolbars:
        return None
    first = toolbars[0]
    anchor = next((a for a in first.actions() if a.isSeparator() or not a.text()), None)
    return first.insertWidget(anchor, widget) if anchor is not None else first.addWidget(widget)


class AfterFirstPaint(QObject):
    """Calls ``then`` once, from the event loop, just after ``window`` first paints."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window: QWidget | None = window
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        window = self._window
        if window is not None and watched is window and event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            self._window = None
            QTimer.singleShot(0, self._then)
        return False
