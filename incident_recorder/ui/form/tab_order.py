"""Where the keyboard focus really goes: focus proxies and the tab stops inside a
compound input (a date-and-time box, a group of radio buttons)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def accessible_target(widget: QWidget) -> QWidget:
    """The widget that really takes the focus (following focus proxies)."""
    proxy = widget.focusProxy()
    while proxy is not None:
        widget, proxy = proxy, proxy.focusProxy()
    return widget


def tab_stops(widget: QWidget) -> list[QWidget]:
    """The widgets Tab stops at inside ``widget`` (itself, its focus proxy, or the
    inputs of a compound widget such as a date-and-time box), in focus-chain order.

    QWidget.setTabOrder ignores a widget that takes no focus (a scroll bar, a plain
    container), so a tab order must be built from these."""
    proxy = accessible_target(widget)
    if proxy is not widget and not widget.isAncestorOf(proxy):
        return [proxy]
    found: list[QWidget] = []
    current: QWidget | None = widget
    while current is not None:
        takes_tab = bool(current.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and current.focusProxy() is None:
            found.append(current)
        current = current.nextInFocusChain()
        if current is widget or current is None or not widget.isAncestorOf(current):
            break
    return found or [proxy]


def last_tab_stop(widget: QWidget) -> QWidget:
    """The last widget inside ``widget`` that Tab stops at."""
    return tab_stops(widget)[-1]
