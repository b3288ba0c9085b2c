"""Qt helpers for the in-process figures: the application, and waiting for a window to
be painted (offscreen, so no screen is needed)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages, less the offscreen platform's notes on every new window."""
    if "propagateSizeHints" not in message:
        print(f"Qt: {message}", file=sys.stderr)


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from incident_recorder.app import make_application

    qInstallMessageHandler(_quiet)
    return make_application(["incident-recorder-benchmark"])


class _PaintSpy(QObject):
    """Notes the first paint event on ``window()`` or any widget inside it."""

    def __init__(self, window: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._window = window
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            target = self._window()
            self.painted = target is not None and obj.window() is target
        return False


def until_painted(window: Callable[[], QWidget | None], action: Callable[[], None]) -> float:
    """Run ``action``, then process events until ``window()`` (looked up as events
    arrive: the action may create it) has been painted. Returns the milliseconds taken."""
    app = application()
    spy = _PaintSpy(window)
    app.installEventFilter(spy)
    try:
        started = time.perf_counter()
        action()
        while not spy.painted:
            app.processEvents()
            if time.perf_counter() - started > 30:
                raise RuntimeError("the window was never painted")
        return (time.perf_counter() - started) * 1000
    finally:
        app.removeEventFilter(spy)


def settle(ms: int = 50) -> None:
    """Let pending events (deferred deletes, timers) run, untimed."""
    app = application()
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        time.sleep(0.002)


def settle_background(window: Any, most_ms: int = 10_000) -> None:
    """Wait (untimed) until the window's worker jobs (the desk's count after sign-in)
    have finished and what they open has been built."""
    end = time.perf_counter() + most_ms / 1000
    background = getattr(window, "background", None)
    while background is not None and background.busy and time.perf_counter() < end:
        settle(10)
    settle()


class BenchClock:
    """A fixed afternoon that moves on with real time, so the records written during
    the benchmark sit after the generated history and the same-day rules hold."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)
