"""Restore from a backup, from the sign-in window: choose the backup, unlock it, see
what it would replace, and it is back in place; a wrong passphrase and a damaged backup
change nothing. Real encrypted files; everyone here is fictional."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.backups import MANUAL
from incident_recorder.domain.model import Incident
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.backups import BackupService
from incident_recorder.services.session import Session
from incident_recorder.store.database import SqlStore
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.restore_dialog import RestoreDialog
from incident_recorder.ui.shell import Shell
from tests.fakes import FakeClock, services_opener
from tests.gui.conftest import ADMIN, PASSPHRASE, make_accounts, restorer_for


def records_in(folder: Path, account_service: AccountService) -> int:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        store = session.store
        assert isinstance(store, SqlStore)
        return int(store.connection.scalar("SELECT count(*) FROM incidents") or 0)
    finally:
        session.close()


@pytest.fixture
def shell(make_shell: Callable[..., Shell]) -> Shell:
    return make_shell(restore=True)


def backed_up(session: Session) -> str:
    made = BackupService(session).back_up(MANUAL).made
    assert made is not None
    return made.name


def open_dialog(qtbot: QtBot, shell: Shell) -> RestoreDialog:
    window = shell.sign_in
    assert window is not None
    assert window.restore_button.isVisible()
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    dialog = shell.restore_dialog
    assert isinstance(dialog, RestoreDialog)
    return dialog


def test_a_backup_is_restored_from_the_sign_in_window(
    qtbot: QtBot,
    shell: Shell,
    session: Session,
    submit_record: Callable[..., Incident],
    data_dir: Path,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    submit_record("Leo Fernandes")
    name = backed_up(session)
    submit_record("Maya Chen", day=date(2026, 3, 19))
    submit_record("Zara Ahmed", day=date(2026, 3, 18))
    session.close()
    assert records_in(data_dir, account_service) == 3

    dialog = open_dialog(qtbot, shell)
    assert dialog.backups.count() == 1
    assert "1 record" in dialog.backups.item(0).text()
    assert dialog.chosen() is not None and dialog.chosen().name == name  # type: ignore[union-attr]
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    prompter.confirm_answers.append(True)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15_000)

    question = next(text for kind, _title, text in prompter.asked if kind == "confirm")
    assert "(1 records)" in question and "now hold 3 records: 2 more than the backup" in question
    assert any(kind == "inform" and "back in place" in text for kind, _t, text in prompter.asked)
    assert shell.sign_in is not None
    assert "back in place" in shell.sign_in.message.text()
    assert records_in(data_dir, account_service) == 1
    kept = list((data_dir / "replaced").iterdir())
    assert len(kept) == 1


def test_a_wrong_passphrase_says_so_and_changes_nothing(
    qtbot: QtBot, shell: Shell, session: Session, data_dir: Path, prompter: ScriptedPrompter
) -> None:
    backed_up(session)
    session.close()
    before = hashlib.sha256((data_dir / "incidents.db").read_bytes()).hexdigest()
    dialog = open_dialog(qtbot, shell)
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText("not the passphrase at all")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: not dialog.background.busy, timeout=10_000)
    qtbot.waitUntil(lambda: "do not open this backup" in dialog.message.text(), timeout=5_000)
    assert dialog.passphrase.text() == ""
    assert not [a for a in prompter.asked if a[0] == "confirm"]
    assert hashlib.sha256((data_dir / "incidents.db").read_bytes()).hexdigest() == before
    assert not (data_dir / "replaced").exists()


def test_a_damaged_backup_is_named_and_never_restored(
    qtbot: QtBot, shell: Shell, session: Session, data_dir: Path, prompter: ScriptedPrompter
) -> None:
    name = backed_up(session)
    session.close()
    copy = data_dir / "backups" / name / "incidents.db"
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    dialog = open_dialog(qtbot, shell)
    dialog.by_code.setChecked(True)
    assert dialog.code.isVisibleTo(dialog) and not dialog.passphrase.isVisibleTo(dialog)
    dialog.by_passphrase.setChecked(True)
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "cannot be restored" in dialog.message.text(), timeout=10_000)
    assert "nothing was changed" in dialog.message.text()
    assert not [a for a in prompter.asked if a[0] == "confirm"]
    assert not (data_dir / "replaced").exists()


def test_empty_fields_are_named(qtbot: QtBot, shell: Shell, session: Session) -> None:
    backed_up(session)
    session.close()
    dialog = open_dialog(qtbot, shell)
    dialog.username.clear()
    dialog.restore_button.click()
    assert dialog.message.text() == "Please enter a username."
    dialog.username.setText(ADMIN)
    dialog.restore_button.click()
    assert dialog.message.text() == "Please enter the passphrase."
    dialog.by_code.setChecked(True)
    dialog.restore_button.click()
    assert dialog.message.text() == "Please type the recovery code."
    for widget in (dialog.backups, dialog.username, dialog.passphrase, dialog.code):
        assert widget.accessibleName()


def test_a_new_pc_restores_from_the_usb_drive_instead_of_setting_up(
    qtbot: QtBot,
    tmp_path: Path,
    session: Session,
    clock: FakeClock,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backups = BackupService(session)
    made = backups.back_up(MANUAL).made
    assert made is not None
    backups.copy_to(made, str(usb))
    session.close()
    new_pc = tmp_path / "new-pc"
    accounts = make_accounts(new_pc, clock)
    shell = Shell(
        accounts,
        services_opener(accounts),
        prompter,
        autosave_ms=60_000,
        restore=lambda: restorer_for(new_pc),
    )
    shell.start(set_up=False)
    try:
        wizard = shell.wizard
        assert wizard is not None
        button = wizard.school_page.restore_button
        assert button.isVisible()
        button.click()
        dialog = shell.restore_dialog
        assert isinstance(dialog, RestoreDialog)
        assert dialog.backups.count() == 0
        assert "Look in another folder" in dialog.message.text()
        monkeypatch.setattr(dialog, "_choose_folder", lambda _parent: str(usb))
        dialog.look_elsewhere.click()
        assert dialog.backups.count() == 1
        assert f"in {usb}" in dialog.backups.item(0).text()
        dialog.username.setText(ADMIN)
        dialog.passphrase.setText(PASSPHRASE)
        prompter.confirm_answers.append(True)
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: shell.sign_in is not None, timeout=15_000)
        assert shell.wizard is None
        assert (new_pc / "incidents.db").is_file() and (new_pc / "keyring.json").is_file()
        assert "back in place" in shell.sign_in.message.text()  # type: ignore[union-attr]
        assert accounts.is_set_up()
    finally:
        if shell.sign_in is not None:
            shell.sign_in.close()


def test_restore_from_the_backups_screen_signs_out_first(
    qtbot: QtBot, shell: Shell, session: Session, prompter: ScriptedPrompter
) -> None:
    name = backed_up(session)
    session.close()
    window = shell.sign_in
    assert window is not None
    window.username.setText(ADMIN)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10_000)
    main = shell.main
    assert main is not None
    screen = main.backup_actions.open_window()
    assert screen.restore_button is not None
    qtbot.waitUntil(lambda: screen.table.model().rowCount() > 0, timeout=10_000)
    screen.table.selectRow(0)
    screen.restore_button.click()
    qtbot.waitUntil(lambda: shell.restore_dialog is not None, timeout=10_000)
    assert shell.main is None and shell.services is None  # signed out: no connection open
    dialog = shell.restore_dialog
    assert isinstance(dialog, RestoreDialog)
    chosen = dialog.chosen()
    assert chosen is not None and chosen.name == name
    assert dialog.username.text() == ADMIN
