"""Restore from a backup: choose one, unlock it, see what it holds, and put it back.

Opened from the sign-in window (a damaged or missing database, an older copy put back,
a new PC) and from the administrator's Backups screen (after signing out). The backup
is unlocked with a passphrase as it was when it was made, or the recovery code; it is
checked and described (its records, what it would replace) on a worker before the
person is asked; only then is it put in place, the current records kept aside.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.backups import Generation, label_words, size_words
from incident_recorder.domain.errors import IncidentRecorderError, WrongPassphrase
from incident_recorder.services.ports import Progress
from incident_recorder.services.restore import (
    RestoreOutcome,
    RestorePreview,
    RestoreService,
    UnlockedBackup,
    unlock_error,
)
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import Prompter, QtPrompter
from incident_recorder.ui.style import heading, message_label, show_message


def when(moment: datetime) -> str:
    return f"{moment.astimezone():%d/%m/%Y at %H:%M}"


def describe(generation: Generation, where: str) -> str:
    records = f"{generation.records} record{'s' if generation.records != 1 else ''}"
    return (
        f"{when(generation.made_at)} · {label_words(generation.label)} · {records} · "
        f"{size_words(generation.size_bytes)} · {where}"
    )


class RestoreDialog(QDialog):
    restored = Signal(object)  # RestoreOutcome

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
        super().__init__(parent)
        self._restore = restore
        self._prompter = prompter or QtPrompter(self)
        self._choose_folder = choose_folder or _choose_folder
        self._extra: list[str] = [also_in] if also_in else []
        self.background = Background(None, self._prompter, self)
        self.outcome: RestoreOutcome | None = None
        self.setWindowTitle("Restore from a backup")
        self.title = heading("Restore from a backup", 1.3)
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.reason.setProperty("role", "warning")
        self.intro = intro = QLabel(
            "Restoring puts a backup in place of the records on this computer. The backup is "
            "checked first; the records as they are now are kept aside in the data folder's "
            "'replaced' folder, never deleted."
        )
        intro.setWordWrap(True)
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups")
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups.setMinimumHeight(160)
        backups_label = QLabel("&Backups, newest first:")
        backups_label.setBuddy(self.backups)
        self.look_elsewhere = QPushButton("&Look in another folder…")
        self.look_elsewhere.setToolTip("A USB drive, another disk or the school's server share")
        self.by_passphrase = QRadioButton("With an account's pass&phrase")
        self.by_code = QRadioButton("With the recovery co&de")
        self.by_passphrase.setChecked(True)
        self.username = QLineEdit(username)
        self.username.setAccessibleName("Username")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.code = QLineEdit()
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("for example ABCDE-FGHJK-…")
        self.form = QFormLayout()
        self._rows: dict[QWidget, QLabel] = {}
        for text, field in (
            ("&Username:", self.username),
            ("&Passphrase (as it was when the backup was made):", self.passphrase),
            ("Recovery &code:", self.code),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            self._rows[field] = label
            self.form.addRow(label, field)
        self.message = message_label()
        self.restore_button = QPushButton("Check and &restore…")
        self.restore_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self._layout(intro, backups_label)
        self.setMinimumWidth(620)
        self._connect_signals()
        self._show_unlock_fields()
        self.reload()

    def _layout(self, intro: QLabel, backups_label: QLabel) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(intro)
        layout.addWidget(backups_label)
        layout.addWidget(self.backups)
        row = QHBoxLayout()
        row.addWidget(self.look_elsewhere)
        row.addStretch(1)
        layout.addLayout(row)
        unlock = QLabel("Unlock the backup:")
        layout.addWidget(unlock)
        choice = QHBoxLayout()
        choice.addWidget(self.by_passphrase)
        choice.addWidget(self.by_code)
        choice.addStretch(1)
        layout.addLayout(choice)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.look_elsewhere.clicked.connect(self._on_look_elsewhere_clicked)
        self.by_passphrase.toggled.connect(self._on_by_passphrase_toggled)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ the list

    def reload(self) -> None:
        self.backups.clear()
        seen: set[tuple[str, str]] = set()
        found: list[Generation] = []
        for folder in ["", *self._extra]:
            for generation in self._restore.backups(folder):
                key = (generation.location, generation.name)
                if key not in seen:
                    seen.add(key)
                    found.append(generation)
        found.sort(key=lambda g: (g.made_at, g.name), reverse=True)
        for generation in found:
            item = QListWidgetItem(describe(generation, self._restore.where(generation)))
            item.setData(Qt.ItemDataRole.UserRole, generation)
            self.backups.addItem(item)
        if found:
            self.backups.setCurrentRow(0)
            show_message(self.message, "")
        else:
            show_message(
                self.message,
                "There are no backups in the data folder. If they are on a USB drive or a "
                "server share, choose Look in another folder.",
                "info",
            )

    def select(self, name: str) -> None:
        """Choose the backup called ``name`` (as the Backups screen did)."""
        for row in range(self.backups.count()):
            generation = self.backups.item(row).data(Qt.ItemDataRole.UserRole)
            if isinstance(generation, Generation) and generation.name == name:
                self.backups.setCurrentRow(row)
                return

    def chosen(self) -> Generation | None:
        item = self.backups.currentItem()
        if item is None:
            return None
        generation = item.data(Qt.ItemDataRole.UserRole)
        return generation if isinstance(generation, Generation) else None

    @Slot()
    def _on_look_elsewhere_clicked(self) -> None:
        folder = self._choose_folder(self)
        if not folder:
            return
        try:
            generation = self._restore.find(folder)
        except IncidentRecorderError:
            generation = None
        place = str(generation.location) if generation is not None else folder
        if not self._restore.backups(place):
            show_message(
                self.message, f"There are no Incident Recorder backups in {folder}.", "error"
            )
            return
        if place not in self._extra:
            self._extra.append(place)
        self.reload()

    @Slot(bool)
    def _on_by_passphrase_toggled(self, _checked: bool) -> None:
        self._show_unlock_fields()

    def _show_unlock_fields(self) -> None:
        with_passphrase = self.by_passphrase.isChecked()
        for field, shown in (
            (self.username, with_passphrase),
            (self.passphrase, with_passphrase),
            (self.code, not with_passphrase),
        ):
            field.setVisible(shown)
            self._rows[field].setVisible(shown)

    # ------------------------------------------------------------------ restoring

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        if self.background.busy:
            return
        unlock = self._unlocker()
        if unlock is not None:
            self._check_and_restore(unlock)

    def _unlocker(self) -> Callable[[], UnlockedBackup] | None:
        """How to unlock the chosen backup with what was typed (None: something is
        missing, and the message says what)."""
        generation = self.chosen()
        if generation is None:
            self._problem("Please choose a backup.", self.backups)
            return None
        if self.by_passphrase.isChecked():
            username, passphrase = self.username.text().strip(), self.passphrase.text()
            if not username:
                self._problem("Please enter a username.", self.username)
                return None
            if not passphrase:
                self._problem("Please enter the passphrase.", self.passphrase)
                return None

            def unlock() -> UnlockedBackup:
                return self._restore.unlock(generation, username, passphrase)
        else:
            code = self.code.text().strip()
            if not code:
                self._problem("Please type the recovery code.", self.code)
                return None

            def unlock() -> UnlockedBackup:
                return self._restore.unlock_with_recovery_code(generation, code)

        return unlock

    def _check_and_restore(self, unlock: Callable[[], UnlockedBackup]) -> None:
        def work(progress: Progress) -> tuple[UnlockedBackup, RestorePreview]:
            progress.step(0, 2, "Unlocking the backup")
            unlocked = unlock()
            progress.step(1, 2, "Checking the backup")
            return unlocked, self._restore.preview(unlocked)

        show_message(self.message, "Unlocking and checking the backup…", "info")
        self._busy(True)
        self.background.run(
            Task.alone(
                "checking the backup",
                work,
                on_done=self._checked,
                on_failed=self._unlock_failed,
                show_after_ms=800,
            )
        )

    def _unlock_failed(self, error: IncidentRecorderError) -> None:
        self._busy(False)
        if isinstance(error, WrongPassphrase):
            field = self.passphrase if self.by_passphrase.isChecked() else self.code
            field.clear()
            self._problem(unlock_error(error), field)
            return
        self._problem(str(error), self.backups)

    def _checked(self, result: tuple[UnlockedBackup, RestorePreview]) -> None:
        unlocked, preview = result
        self._busy(False)
        self.passphrase.clear()
        self.code.clear()
        if preview.problems:
            unlocked.forget()
            self._problem(
                "This backup cannot be restored, so nothing was changed: "
                + " ".join(preview.problems)
                + " Choose an older backup.",
                self.backups,
            )
            return
        show_message(self.message, "")
        if not self._prompter.confirm(
            "Restore this backup?", _question(unlocked, preview), "Restore", "Cancel"
        ):
            unlocked.forget()
            show_message(self.message, "Nothing was changed.", "info")
            return
        self._busy(True)

        def work(progress: Progress) -> RestoreOutcome:
            try:
                return self._restore.restore(unlocked, progress)
            finally:
                unlocked.forget()

        self.background.run(
            Task.alone(
                "restoring the backup",
                work,
                on_done=self._done,
                on_failed=self._restore_failed,
                note="The records as they are now are kept aside before the backup is put "
                "in place.",
                show_after_ms=0,
            )
        )

    def _restore_failed(self, error: IncidentRecorderError) -> None:
        self._busy(False)
        self._problem(str(error), self.backups)

    def _done(self, outcome: RestoreOutcome) -> None:
        self._busy(False)
        self.outcome = outcome
        kept = (
            f" The records as they were are kept in {outcome.replaced.folder}."
            if outcome.replaced.folder
            else ""
        )
        keyring = (
            " Sign in with a passphrase that worked when the backup was made."
            if outcome.keyring_replaced
            else ""
        )
        self._prompter.inform(
            "Backup restored",
            f"The backup of {when(outcome.generation.made_at)} is back in place: "
            f"{outcome.restored.records} records.{kept}{keyring}",
        )
        self.restored.emit(outcome)
        self._accept_when_idle()

    def _accept_when_idle(self) -> None:
        """Close once the worker thread has ended: the dialog is deleted on close, and
        its worker (a child of it) must not be deleted while still running."""
        if not self.background.busy:
            self.accept()
            return
        self.background.busy_changed.connect(self._on_background_busy_changed)

    @Slot(bool)
    def _on_background_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.accept()

    def _busy(self, busy: bool) -> None:
        for widget in (self.restore_button, self.look_elsewhere, self.backups):
            widget.setEnabled(not busy)

    def _problem(self, text: str, field: QWidget) -> None:
        show_message(self.message, text, "error")
        field.setFocus()

    def reject(self) -> None:
        if self.background.busy:
            return  # a restore is never left half done by closing its window
        super().reject()


def _question(unlocked: UnlockedBackup, preview: RestorePreview) -> str:
    g = unlocked.generation
    holds = preview.restored.records if preview.restored is not None else g.records
    text = (
        f"Put the backup of {when(g.made_at)} ({holds} records) in place of the records on "
        "this computer?"
    )
    if preview.current is not None:
        diff = preview.current.records - holds
        now = f" The records on this computer now hold {preview.current.records} records"
        if diff > 0:
            now += f": {diff} more than the backup, which would be gone from the app"
        text += now + " (they are kept aside, not deleted)."
    elif preview.current_exists:
        text += " The database on this computer cannot be read; it is kept aside, not deleted."
    return text


def _choose_folder(parent: QWidget) -> str:
    return QFileDialog.getExistingDirectory(parent, "Choose the folder holding the backups")
