"""A missing or damaged keyring at start-up: the records are never offered set-up; the
sign-in window says what is missing and "Restore the keyring from a backup…" puts the
backup's keyring back (only when its key opens the records here). Real encrypted files;
everyone here is fictional."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from shiboken6 import isValid

from incident_recorder.domain.backups import MANUAL
from incident_recorder.domain.model import Incident, SchoolDetails
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.backups import BackupService
from incident_recorder.services.session import Session
from incident_recorder.ui.keyring_restore_dialog import KeyringRestoreDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import FakeClock
from tests.gui.conftest import ADMIN, PASSPHRASE, make_accounts
from tests.gui.test_restore_dialog import records_in

MISSING = "the keyring file (keyring.json) that unlocks them is missing"


@pytest.fixture
def keyring_lost(session: Session, submit_record: Callable[..., Incident], data_dir: Path) -> str:
    """A record, a backup, then the keyring deleted: the name of the backup."""
    submit_record("Leo Fernandes")
    made = BackupService(session).back_up(MANUAL).made
    assert made is not None
    session.close()
    (data_dir / "keyring.json").unlink()
    return made.name


@pytest.fixture
def shell(make_shell: Callable[..., Shell]) -> Shell:
    return make_shell(restore=True, start=False)


def _open_dialog(qtbot: QtBot, shell: Shell) -> KeyringRestoreDialog:
    window = shell.sign_in
    assert window is not None
    assert window.keyring_button.isVisible() and window.restore_button.isVisible()
    assert window.keyring_button.accessibleName() == "Restore the keyring from a backup"
    qtbot.mouseClick(window.keyring_button, Qt.MouseButton.LeftButton)
    dialog = shell.restore_dialog
    assert isinstance(dialog, KeyringRestoreDialog)
    return dialog


def test_a_missing_keyring_shows_sign_in_with_the_remedy_not_set_up(
    qtbot: QtBot, keyring_lost: str, shell: Shell
) -> None:
    shell.start(set_up=False)  # as the app decides from the files
    assert shell.wizard is None
    window = shell.sign_in
    assert window is not None and window.isVisible()
    assert MISSING in window.message.text()
    assert "set-up" not in window.message.text().lower()
    # Signing in cannot work until the keyring is back: only the remedies are offered,
    # with the keyboard on the keyring's.
    assert not window.username.isEnabled() and not window.passphrase.isEnabled()
    assert not window.sign_in_button.isEnabled()
    assert window.keyring_button.isVisible() and window.keyring_button.isEnabled()
    assert window.restore_button.isVisible()
    qtbot.waitUntil(window.keyring_button.hasFocus, timeout=5_000)
    assert shell.main is None


def test_the_keyring_remedy_is_not_offered_when_the_keyring_is_fine(
    qtbot: QtBot, shell: Shell
) -> None:
    shell.start()
    window = shell.sign_in
    assert window is not None
    assert window.restore_button.isVisible()
    assert not window.keyring_button.isVisible()
    assert window.username.isEnabled() and window.sign_in_button.isEnabled()


def test_a_damaged_entry_at_sign_in_offers_the_keyring_from_a_backup(
    qtbot: QtBot, shell: Shell, data_dir: Path
) -> None:
    doc = json.loads((data_dir / "keyring.json").read_text("utf-8"))
    entry = next(e for e in doc["users"] if e["username"] == ADMIN)
    entry["salt"] = "not base64!"
    (data_dir / "keyring.json").write_text(json.dumps(doc), "utf-8")
    shell.start()
    window = shell.sign_in
    assert window is not None
    window.username.setText(ADMIN)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    qtbot.waitUntil(lambda: "entry in the keyring is damaged" in window.message.text(),
                    timeout=15_000)  # fmt: skip
    assert "passphrase is wrong" not in window.message.text().lower()
    assert window.keyring_button.isVisible()
    assert window.username.isEnabled()  # every other account can still sign in here


def test_the_keyring_is_restored_from_the_sign_in_window_then_sign_in_works(
    qtbot: QtBot,
    keyring_lost: str,
    shell: Shell,
    data_dir: Path,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    shell.start()
    dialog = _open_dialog(qtbot, shell)
    assert dialog.windowTitle() == "Restore the keyring from a backup"
    assert dialog.chosen() is not None and dialog.chosen().name == keyring_lost  # type: ignore[union-attr]
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText("not the passphrase")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "do not open this backup" in dialog.message.text(), timeout=15_000)
    qtbot.waitUntil(lambda: not dialog.background.busy, timeout=15_000)
    assert not (data_dir / "keyring.json").exists()

    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.keyring_outcome is not None, timeout=15_000)
    # Closed (and deleted) once its worker has ended.
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=15_000)
    assert any(kind == "inform" and "back in place" in text for kind, _t, text in prompter.asked)
    assert (data_dir / "keyring.json").is_file()
    window = shell.sign_in
    assert window is not None and "keyring is back" in window.message.text()
    assert window.username.isEnabled() and window.sign_in_button.isEnabled()
    assert not window.keyring_button.isVisible()
    assert records_in(data_dir, account_service) == 1  # the records, as they were


def test_a_backup_whose_key_does_not_open_the_records_is_refused(
    qtbot: QtBot,
    keyring_lost: str,
    shell: Shell,
    data_dir: Path,
    clock: FakeClock,
) -> None:
    # The database here replaced by another school's: a key the backup does not hold.
    other = data_dir.parent / "other-school"
    make_accounts(other, clock).set_up(
        SetupRequest(
            school=SchoolDetails(name="Fictional Willow Academy", address="9 Imaginary Lane"),
            admin_full_name="Wren Osei",
            admin_username="w.osei",
            passphrase="another long fictional passphrase",
        )
    ).session.close()
    shutil.copyfile(other / "incidents.db", data_dir / "incidents.db")
    shell.start()
    dialog = _open_dialog(qtbot, shell)
    dialog.by_code.setChecked(True)
    assert dialog.code.isVisible() and not dialog.passphrase.isVisible()
    dialog.by_passphrase.setChecked(True)
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "does not unlock the records" in dialog.message.text(), timeout=15_000)
    assert "nothing was changed" in dialog.message.text()
    assert not (data_dir / "keyring.json").exists()
    assert not (data_dir / "replaced").exists()
    assert dialog.keyring_outcome is None
