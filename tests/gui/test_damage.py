"""A damaged database in the app: sign-in says the file is damaged (never that the
passphrase is wrong) and shows no records; damage the quick check at sign-in cannot see
is found by the full check in the background, and the main window says so plainly.

Real encrypted files in ``tmp_path``, real widgets offscreen. Everyone is fictional.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pytestqt.qtbot import QtBot

from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.shell import Shell
from tests.gui.conftest import CHEAP_KDF, LEAD, PASSPHRASE
from tests.gui.form_support import signed_in as finish_sign_in

PAGE = 4096


def _digest(folder: Path) -> str:
    return hashlib.sha256((folder / DATABASE_NAME).read_bytes()).hexdigest()


def _flip(folder: Path, page: int) -> None:
    path = folder / DATABASE_NAME
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE + 1000] ^= 0x5A
    path.write_bytes(bytes(data))


def _root_page(folder: Path, index: str) -> int:
    key = FileKeyVault(folder, CHEAP_KDF).unlock(LEAD, PASSPHRASE)
    db = Connection.open(folder / DATABASE_NAME, key)
    try:
        return int(db.scalar("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)))
    finally:
        db.close()


def _sign_in(qtbot: QtBot, shell: Shell) -> None:
    window = shell.sign_in
    assert window is not None
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)


def test_a_damaged_file_at_sign_in_is_damage_not_a_wrong_passphrase(
    qtbot: QtBot, shell: Shell, data_dir: Path
) -> None:
    _flip(data_dir, _root_page(data_dir, "audit"))  # read by the quick check at opening
    before = _digest(data_dir)
    window = shell.sign_in
    assert window is not None
    found: list[str] = []
    window.damage_found.connect(found.append)
    _sign_in(qtbot, shell)
    text = window.message.text()
    assert text.startswith("The database file is damaged")
    assert "Nothing was changed" in text and "Administration ▸ Backups" in text
    assert "do not match" not in text and "Caps Lock" not in text
    assert found == [text]
    assert shell.main is None and window.isVisible()  # no records shown
    assert window.passphrase.text() == ""
    assert _digest(data_dir) == before  # no sign-in entry written


def test_damage_the_quick_check_cannot_see_is_found_in_the_background(
    qtbot: QtBot, shell: Shell, data_dir: Path
) -> None:
    # An index page that signing in and the first screen never read.
    _flip(data_dir, _root_page(data_dir, "plan_reviews_pupil"))
    restores: list[str] = []
    shell.offer_restore = lambda: restores.append("offered")
    _sign_in(qtbot, shell)
    main, check = shell.main, shell.damage_check
    assert main is not None and check is not None
    qtbot.waitUntil(lambda: check.finished, timeout=20_000)
    problems = check.problems
    assert any("tamper check" in p for p in problems)
    assert check.banner.isVisible() and check.banner.window() is main
    assert "The database file is damaged" in check.text.text()
    assert "save nothing more" in check.text.text()
    assert "Administration ▸ Backups" in check.text.text()
    assert not main.background.dialogs  # quiet: no progress window for this check
    assert check.restore_button.isVisible()
    check.restore_button.click()
    assert restores == ["offered"]


def test_a_sound_database_shows_no_banner(qtbot: QtBot, shell: Shell) -> None:
    _sign_in(qtbot, shell)
    check = shell.damage_check
    assert check is not None
    qtbot.waitUntil(lambda: check.finished, timeout=20_000)
    assert not check.damaged and not check.banner.isVisible()
