"""The full check of the database, run quietly in the background after sign-in, and the
banner the main window shows if it finds the file damaged.

Signing in makes only the quick check (a few milliseconds, store/integrity.py). This one
reads everything (every page against the tamper check, SQLite's integrity check, the
schema against the migrations, the audit chain) on the background helper's worker, with
a connection of its own, and shows no progress window: nobody waits for it. Locking or
signing out stops it between its steps.

If it finds damage, a banner at the top of the main window says so plainly and kindly:
the file is damaged, nothing more should be saved, and an administrator should restore
the newest backup. ``offer_restore`` is the seam for the restore flow: when given, the
banner has a button that calls it; until then the message names Administration ▸
Backups.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from incident_recorder.domain.errors import DatabaseDamaged, IncidentRecorderError
from incident_recorder.ui.style import framed

if TYPE_CHECKING:
    from incident_recorder.services.bundle import Services
    from incident_recorder.services.integrity import IntegrityReport
    from incident_recorder.services.ports import Progress
    from incident_recorder.ui.background import Background, Job

log = logging.getLogger("incident_recorder.ui")

DAMAGED_TEXT = (
    "<b>The database file is damaged.</b> Incident Recorder found parts of it that cannot "
    "be read back as they were saved, so the records shown may be incomplete. Please save "
    "nothing more for now: anything new could be lost. An administrator should restore the "
    "newest backup (Administration ▸ Backups, or 'incident-recorder restore'); nothing has "
    "been changed by this check."
)


def _check(services: Services, progress: Progress) -> IntegrityReport:
    return services.integrity.check(progress.cancelled)


class DamageCheck(QObject):
    """Runs the full check once on ``background`` and shows ``banner`` in ``window`` if
    the database is damaged."""

    damage_found = Signal(object)  # the problems found (a tuple of plain sentences)
    checked = Signal()  # the check ended (damage or not): for tests and the status bar

    def __init__(
        self,
        window: QWidget,
        background: Background,
        offer_restore: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._background = background
        self.offer_restore = offer_restore
        self.problems: tuple[str, ...] = ()
        self.job: Job | None = None
        self.finished = False  # the check has ended (damage or not)
        self.banner = framed("warning")
        self.banner.setAccessibleName("The database file is damaged")
        self.text = QLabel(DAMAGED_TEXT)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("The database file is damaged")
        self.restore_button = QPushButton("&Restore the newest backup…")
        self.restore_button.setAccessibleName("Restore the newest backup")
        self.details_button = QPushButton("What was &found")
        self.details_button.setAccessibleName("What the check found")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.text, 1)
        row.addWidget(self.details_button)
        row.addWidget(self.restore_button)
        self.banner.setVisible(False)
        _place_at_top(window, self.banner)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.details_button.clicked.connect(self._on_details_button_clicked)

    def start(self) -> Job:
        from incident_recorder.ui.background import Task

        self.job = self._background.run(
            Task(
                "checking the database",
                _check,
                on_done=self._on_checked,
                on_failed=self._on_failed,
                cancellable=True,
                quiet=True,
            )
        )
        return self.job

    @property
    def damaged(self) -> bool:
        return bool(self.problems)

    def show_damage(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        self.restore_button.setVisible(self.offer_restore is not None)
        self.banner.setVisible(True)
        self.damage_found.emit(problems)

    def _on_checked(self, report: IntegrityReport) -> None:
        if report.problems:
            log.warning("the background check found %d problems", len(report.problems))
            self.show_damage(report.problems)
        else:
            log.info("the background check found the database sound")
        self.finished = True
        self.checked.emit()

    def _on_failed(self, error: IncidentRecorderError) -> None:
        if isinstance(error, DatabaseDamaged):  # the worker's own opening found it
            log.warning("the background check could not open the database")
            self.show_damage((getattr(error, "detail", "") or str(error),))
        else:
            log.warning("the background check did not finish")
        self.finished = True
        self.checked.emit()

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        if self.offer_restore is not None:
            self.offer_restore()

    @Slot()
    def _on_details_button_clicked(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self.banner.window())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("What the check found")
        box.setText(DAMAGED_TEXT)
        box.setInformativeText("\n\n".join(self.problems))
        box.open()
        self.details_box = box


def _place_at_top(window: QWidget, banner: QWidget) -> None:
    """Put ``banner`` first in ``window``'s central layout (a QMainWindow's)."""
    central = getattr(window, "centralWidget", None)
    host = central() if callable(central) else None
    layout = host.layout() if isinstance(host, QWidget) else None
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, banner)
    else:
        banner.setParent(window)
