"""At start-up and sign-in: a data folder that can only be read, and a database written by a
newer version of the app. Each is a plain message, never the crash dialog, and nothing in
the folder changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlcipher3
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QMessageBox

from incident_recorder import app as app_module
from incident_recorder.services.accounts import AccountService
from incident_recorder.store.migrate import MigrationSet
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import services_opener
from tests.gui.conftest import CHEAP_KDF, LEAD, PASSPHRASE
from tests.integration.faults.mounts import read_only_view

LATEST = MigrationSet.bundled().latest


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _no_crash_dialog(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _p, title, text, *_a: shown.append((title, text))
    )
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, title, text, *_a: shown.append((title, text))
    )
    return shown


def test_the_app_refuses_a_read_only_folder_plainly_and_changes_nothing(
    qapp: QApplication, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _no_crash_dialog(monkeypatch)
    with read_only_view(data_dir, tmp_path / "media") as view:
        before = sorted(p.name for p in view.iterdir()), _files(view)
        assert app_module.run_gui(view) == 1
        after = sorted(p.name for p in view.iterdir()), _files(view)
    assert after == before  # no lock file, log, -wal or -shm made; every byte the same
    ((title, text),) = shown
    assert title == "The data folder can only be read"
    assert f"The data folder {view} can only be read, not written to" in text
    assert "Something went wrong" not in title + text
    assert "copy the whole folder to this PC" in text


def _make_newer(folder: Path, by: int) -> None:
    """The database as a newer version of the app would leave it: its schema number
    past what this version knows."""
    key = FileKeyVault(folder, CHEAP_KDF).unlock(LEAD, PASSPHRASE)
    conn = sqlcipher3.connect(str(folder / "incidents.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA user_version = {LATEST + by}")
    conn.close()


def test_sign_in_to_a_database_from_a_newer_version_names_both_versions(
    qtbot: QtBot, account_service: AccountService, data_dir: Path, prompter: ScriptedPrompter
) -> None:
    _make_newer(data_dir, 3)
    before = _files(data_dir)
    shell = Shell(account_service, services_opener(account_service), prompter=prompter)
    shell.start(set_up=True)
    window = shell.sign_in
    assert window is not None
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    qtbot.waitUntil(lambda: "newer version" in window.message.text(), timeout=10_000)
    text = window.message.text()
    assert f"schema version {LATEST + 3}" in text
    assert f"up to {LATEST}" in text
    assert "install the newer version of Incident Recorder" in text
    assert "passphrase" not in text.lower()  # never mistaken for a wrong passphrase
    assert shell.main is None  # nothing shown of the records
    assert _files(data_dir) == before
    window.close()
