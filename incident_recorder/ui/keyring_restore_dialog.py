"""Restore the keyring from a backup: when the data folder's keyring is missing or
damaged, put back only the backup's keyring, leaving the records as they are.

The same choosing and unlocking as "Restore from a backup" (ui/restore_dialog.py); then,
on a worker, the backup's key is checked against the records on this computer (read
only) and only when it opens them is the keyring written in place
(``RestoreService.restore_keyring``). Nothing to confirm: the records are not touched and
a keyring that was there is kept aside.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from incident_recorder.services.ports import Progress
from incident_recorder.services.restore import (
    KeyringRestoreOutcome,
    RestoreService,
    UnlockedBackup,
)
from incident_recorder.ui.background import Task
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.restore_dialog import RestoreDialog, when
from incident_recorder.ui.style import show_message

TITLE = "Restore the keyring from a backup"


class KeyringRestoreDialog(RestoreDialog):
    keyring_restored = Signal(object)  # KeyringRestoreOutcome

    def __init__(
        self,
        restore: RestoreService,
        also_in: str = "",
        username: str = "",
        reason: str = "",
        prompter: Prompter | None = None,
        choose_folder: Callable[[QWidget], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(restore, also_in, username, reason, prompter, choose_folder, parent)
        self.keyring_outcome: KeyringRestoreOutcome | None = None
        self.setWindowTitle(TITLE)
        self.title.setText(TITLE)
        self.intro.setText(
            "The keyring is the small file beside the records that unlocks them. This puts "
            "back only a backup's keyring: the records on this computer stay exactly as they "
            "are. The backup's key is checked against them first, and a keyring that is "
            "there now is kept aside in the data folder's 'replaced' folder."
        )
        self.restore_button.setText("Check and restore the &keyring")
        self.restore_button.setAccessibleName("Check and restore the keyring")

    def _check_and_restore(self, unlock: Callable[[], UnlockedBackup]) -> None:
        def work(progress: Progress) -> KeyringRestoreOutcome:
            progress.step(0, 2, "Unlocking the backup")
            unlocked = unlock()
            try:
                progress.step(1, 2, "Checking that its key opens the records")
                return self._restore.restore_keyring(unlocked)
            finally:
                unlocked.forget()

        show_message(self.message, "Unlocking the backup and checking its key…", "info")
        self._busy(True)
        self.background.run(
            Task.alone(
                "restoring the keyring",
                work,
                on_done=self._keyring_done,
                on_failed=self._unlock_failed,
                show_after_ms=800,
            )
        )

    def _keyring_done(self, outcome: KeyringRestoreOutcome) -> None:
        self._busy(False)
        self.passphrase.clear()
        self.code.clear()
        self.keyring_outcome = outcome
        kept = (
            f" The keyring that was there is kept in {outcome.replaced.folder}."
            if outcome.replaced.folder
            else ""
        )
        self._prompter.inform(
            "Keyring restored",
            f"The keyring of the backup of {when(outcome.generation.made_at)} is back in "
            "place. Sign in with a passphrase as it was when that backup was made; accounts "
            f"added or passphrases changed since then need setting again.{kept}",
        )
        self.keyring_restored.emit(outcome)
        self._accept_when_idle()
