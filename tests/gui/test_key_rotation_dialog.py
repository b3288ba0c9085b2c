"""Changing the school's key from the Accounts window, on real encrypted files: switching
an account off offers it, with the reason in plain words; it runs on the background
helper; the summary says what was done and deletes the backups still under the old key.
Everyone named here is fictional."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.services.bundle import Services
from incident_recorder.store.backup import DATABASE_FILE
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.accounts.accounts_window import AccountsWindow
from incident_recorder.ui.accounts.key_rotation import KeyRotationDialog
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.integration.rotation_school import (
    ADMIN,
    ADMIN_PASS,
    CHEAP,
    LEAVER,
    STAFF,
    STAFF_PASS,
    RotationSchool,
    build_school,
    make_older_form,
    opens,
)


def accounts_window(qtbot: QtBot, services: Services, prompter: ScriptedPrompter) -> AccountsWindow:
    assert services.user_admin is not None
    background = Background(services, prompter, None, show_after_ms=0)
    window = AccountsWindow(
        services.user_admin,
        services.user,
        prompter,
        None,
        rotation=services.key_rotation,
        background=background,
    )
    qtbot.addWidget(window)
    window.show()
    return window


def switch_off(qtbot: QtBot, window: AccountsWindow, school: RotationSchool) -> KeyRotationDialog:
    leaver = school.services._session.store.users.by_username(LEAVER)
    assert leaver is not None
    window.select(leaver.id)
    qtbot.mouseClick(window.switch_off_button, Qt.MouseButton.LeftButton)
    dialog = window.rotation_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_switching_an_account_off_offers_to_change_the_key(qtbot: QtBot, tmp_path: Path) -> None:
    school = build_school(tmp_path, switch_off=False)
    prompter = ScriptedPrompter()
    prompter.confirm_answers.append(True)  # "Switch off this account?"
    window = accounts_window(qtbot, school.services, prompter)
    dialog = switch_off(qtbot, window, school)

    why = dialog.why.text()
    assert "Cara Nguyen can no longer sign in" in why
    assert "their old passphrase may still open older copies of the records" in why
    assert f"the 2 backups in the data folder and the 2 copies in {school.second}" in why
    assert dialog.temporary == {}  # every remaining account can receive the new key
    assert dialog.change_button.isDefault()
    assert dialog.fresh_code.accessibleName() == "Also make a new recovery code"

    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=30_000)
    summary = dialog.summary.text()
    assert "The records and 4 backups are now under a new key" in summary
    assert f"{STAFF}, {ADMIN}" in summary
    assert not dialog.recovery_code.isVisible()
    assert not dialog.delete_button.isVisible()  # nothing left under the old key
    assert dialog.windowTitle() == "The school's key has been changed"

    # The files changed key, and the window carries on over the new one.
    new_key = FileKeyVault(school.data_dir, CHEAP).unlock(STAFF, STAFF_PASS)
    assert not opens(school.data_dir / DATABASE_FILE, school.old_key)
    assert opens(school.generation_folders()[0] / DATABASE_FILE, new_key)
    window.refresh()
    assert window.model.rowCount() == 3
    assert not window.message.text().startswith("The database")
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert window.rotation_dialog is None


def test_older_accounts_get_a_temporary_passphrase_and_old_backups_can_be_deleted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    school = build_school(tmp_path, switch_off=False)
    school.services.close()
    make_older_form(
        school.data_dir,
        school.old_key,
        {ADMIN: ADMIN_PASS, STAFF: STAFF_PASS, LEAVER: "violet harbour stone eleven"},
        school.recovery_code,
    )
    session = school.composition.accounts.sign_in(ADMIN, ADMIN_PASS)  # upgrades this entry
    services = school.composition.services(session)
    school.services = services
    # A backup under a key the school no longer has (another school's stands in for it).
    other = tmp_path / "other"
    other.mkdir()
    kept = build_school(other).generation_folders()[0]
    stale = school.data_dir / "backups" / kept.name.replace("20261102", "20261001")
    shutil.copytree(kept, stale)

    prompter = ScriptedPrompter()
    prompter.confirm_answers.append(True)  # switch off
    window = accounts_window(qtbot, services, prompter)
    dialog = switch_off(qtbot, window, school)
    assert list(dialog.temporary) == [STAFF]
    field = dialog.temporary[STAFF]
    assert field.accessibleName() == "Temporary passphrase for Ben Okafor"
    assert "A new recovery code will be made" in dialog.notes.text()

    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)  # no passphrase yet
    assert "need a temporary passphrase" in dialog.message.text()
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(field, "amber willow chalk ninety")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=30_000)

    summary = dialog.summary.text()
    assert f"Tell {STAFF} their temporary passphrase in person." in summary
    code = dialog.recovery_code.text()
    assert dialog.recovery_code.isVisible() and len(code) == 35
    assert "the old one no longer works" in summary
    vault = FileKeyVault(school.data_dir, CHEAP)
    assert vault.unlock_with_recovery_code(code) == vault.unlock(STAFF, "amber willow chalk ninety")
    assert dialog.old_list.count() == 1 and dialog.old_list.item(0).text() == str(stale)
    assert "earlier key" in dialog.old_list.item(0).toolTip()

    prompter.confirm_answers.append(True)  # "Delete these backups?"
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert prompter.asked[-1][1] == "Delete these backups?"
    assert not stale.exists()
    assert dialog.old_list.count() == 0
    assert dialog.message.text() == "The backups under the old key were deleted."
    services.close()


def test_the_key_is_not_changed_while_other_work_is_running(qtbot: QtBot, tmp_path: Path) -> None:
    school = build_school(tmp_path)
    prompter = ScriptedPrompter()
    background = Background(school.services, prompter, None, show_after_ms=60_000)
    assert school.services.key_rotation is not None
    dialog = KeyRotationDialog(school.services.key_rotation, background, prompter, "Cara Nguyen")
    qtbot.addWidget(dialog)
    dialog.show()
    release = threading.Event()
    job = background.run(Task.alone("making a backup", lambda _progress: release.wait(10)))
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert "still finishing something else" in dialog.message.text()
    assert dialog.pages.currentIndex() == 0
    assert opens(school.data_dir / DATABASE_FILE, school.old_key)  # nothing was changed
    release.set()
    assert background.wait(job)
    school.services.close()
