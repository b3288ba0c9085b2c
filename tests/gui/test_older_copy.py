"""An older copy of the database put back beside today's keyring, met at the sign-in
window: a plain window says what was found, how many entries are missing, when the newer
state was seen and which backup holds it; "Restore this backup…" opens the restore
dialog on it, "Keep using this copy" signs in (audited, not asked again), Cancel opens
nothing. Real encrypted files; everyone here is fictional."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from incident_recorder.domain.backups import MANUAL
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.backups import BackupService
from incident_recorder.ui.older_copy_dialog import OlderCopyDialog
from incident_recorder.ui.restore_dialog import RestoreDialog
from incident_recorder.ui.shell import Shell
from tests.gui.conftest import ADMIN, PASSPHRASE
from tests.gui.form_support import signed_in as finish_sign_in


@pytest.fixture
def shell(make_shell: Callable[..., Shell]) -> Shell:
    return make_shell(restore=True)


def _older_copy_put_back(data_dir: Path, accounts: AccountService, tmp_path: Path) -> str:
    """Work done, the database copied aside, more work and a backup, then the old copy
    put back. Returns the backup's name."""
    aside = tmp_path / "last-week.db"
    shutil.copy2(data_dir / "incidents.db", aside)
    session = accounts.sign_in(ADMIN, PASSPHRASE)
    for _ in range(3):
        session.audit("view")
    made = BackupService(session).back_up(MANUAL).made
    assert made is not None
    session.close()
    shutil.copy2(aside, data_dir / "incidents.db")
    return made.name


def _digest(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / "incidents.db").read_bytes()).hexdigest()


def _sign_in(qtbot: QtBot, shell: Shell) -> OlderCopyDialog:
    window = shell.sign_in
    assert window is not None
    window.username.setText(ADMIN)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    dialog = window.older_copy
    assert isinstance(dialog, OlderCopyDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def test_keeping_the_older_copy_signs_in_and_is_not_asked_again(
    qtbot: QtBot,
    shell: Shell,
    data_dir: Path,
    account_service: AccountService,
    tmp_path: Path,
) -> None:
    backup = _older_copy_put_back(data_dir, account_service, tmp_path)
    before = _digest(data_dir)
    dialog = _sign_in(qtbot, shell)
    text = dialog.text.text()
    # three views, a backup entry and a sign-in: five entries the old copy lacks
    assert "so 5 entries of the log" in text
    assert backup in text and "The newest backup that holds them" in text
    assert dialog.restore_button.isVisible() and dialog.keep_button.isVisible()
    assert shell.main is None and _digest(data_dir) == before  # nothing opened or written

    dialog.keep_button.click()
    assert shell.sign_in is not None
    finish_sign_in(qtbot, shell.sign_in)
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
    assert shell.services is not None
    shell.sign_out()
    session = account_service.sign_in(ADMIN, PASSPHRASE)  # not asked again
    try:
        actions = [e.action for e in session.store.audit.entries(limit=10)]
        assert "older_copy_accepted" in actions
    finally:
        session.close()


def test_restore_this_backup_opens_the_restore_dialog_on_it(
    qtbot: QtBot,
    shell: Shell,
    data_dir: Path,
    account_service: AccountService,
    tmp_path: Path,
) -> None:
    backup = _older_copy_put_back(data_dir, account_service, tmp_path)
    dialog = _sign_in(qtbot, shell)
    dialog.restore_button.click()
    restore = shell.restore_dialog
    assert isinstance(restore, RestoreDialog)
    chosen = restore.chosen()
    assert chosen is not None and chosen.name == backup
    assert "older copy" in restore.reason.text()
    assert shell.sign_in is not None and shell.sign_in.passphrase.text() == ""
    restore.reject()


def test_cancel_opens_nothing_and_changes_nothing(
    qtbot: QtBot,
    shell: Shell,
    data_dir: Path,
    account_service: AccountService,
    tmp_path: Path,
) -> None:
    _older_copy_put_back(data_dir, account_service, tmp_path)
    before = _digest(data_dir)
    dialog = _sign_in(qtbot, shell)
    dialog.cancel_button.click()
    assert shell.main is None and shell.restore_dialog is None
    assert shell.sign_in is not None
    assert "Nothing was opened or changed" in shell.sign_in.message.text()
    assert _digest(data_dir) == before
