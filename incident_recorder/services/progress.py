"""How a long job says how far it has got, and hears that it should stop.

A service that can take long takes a :class:`~incident_recorder.services.ports.Progress`
(the GUI's background helper gives one that moves a progress bar and carries Cancel;
the command line and the tests give :data:`NO_PROGRESS`). A job stops by raising
:class:`~incident_recorder.domain.errors.Cancelled` at a point where stopping keeps
nothing half done (before its one transaction commits, say).
"""

from __future__ import annotations

from incident_recorder.domain.errors import Cancelled
from incident_recorder.services.ports import Progress


class _NoProgress:
    """Progress that goes nowhere and never asks to stop."""

    def step(self, done: int, total: int, text: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return False


NO_PROGRESS: Progress = _NoProgress()


def stop_if_asked(progress: Progress, what: str = "It") -> None:
    """Raise Cancelled when the person (or a lock) asked the job to stop."""
    if progress.cancelled():
        raise Cancelled(what)
