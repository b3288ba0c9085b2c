"""Backups in the window (issue 12): Administration ▸ Backups…, the status bar's line,
the warning at sign-in, the automatic backups, and the backups made on lock, sign-out
and exit. Real encrypted files in each test's data folder."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

import shiboken6
from PySide6.QtCore import Qt

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.model import Incident, IncidentDetails
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.bundle import Services
from incident_recorder.services.session import Session
from incident_recorder.ui.backups.window import NO_FOLDER, BackupsWindow
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.backup_table import BackupColumn, BackupRow, BackupTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import services_for, services_opener
from tests.gui.conftest import ADMIN, LEAD, PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import signed_in as finish_sign_in

WAIT_MS = 20_000


def generations(data_dir: Path) -> list[dict[str, object]]:
    """What the backups folder holds, from each backup's own description, oldest first
    (the tests' clock stands still, so two backups can share a time: then the one whose
    audit log runs further is the newer)."""
    folder = data_dir / "backups"
    found = [json.loads(p.read_text("utf-8")) for p in folder.glob("*/backup.json")]
    return sorted(found, key=lambda g: (str(g["made_at"]), int(g["audit_seq"])))


@pytest.fixture
def admin_session(account_service: AccountService) -> Iterator[Session]:
    signed_in = account_service.sign_in(ADMIN, PASSPHRASE)
    yield signed_in
    signed_in.close()


@pytest.fixture
def admin_main(
    qtbot: QtBot,
    admin_session: Session,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> Iterator[MainWindow]:
    window = MainWindow(
        services_for(admin_session, account_service.keyring), prompter, autosave_ms=60_000
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.background.stop_all(WAIT_MS)
    window.backup_actions.runner.wait_before_closing(WAIT_MS, WAIT_MS)
    if shiboken6.isValid(window):
        window.shut_down()  # its close button alone asks the shell to quit


def open_backups(qtbot: QtBot, main: MainWindow, chosen: list[str] | None = None) -> BackupsWindow:
    actions = main.backup_actions
    if chosen is not None:
        actions._choose = lambda _parent, _start: chosen.pop(0)
    assert actions.action is not None, "administrators have Administration ▸ Backups…"
    assert actions.action.text() == "&Backups…"
    actions.action.trigger()
    dialog = actions.dialog
    assert dialog is not None and dialog.isVisible()
    # The folders are read on the worker: the list comes a moment later.
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    return dialog


def cell(dialog: BackupsWindow, row: int, column: BackupColumn) -> str:
    return str(dialog.proxy.index(row, column).data())


def back_up_now(qtbot: QtBot, dialog: BackupsWindow) -> None:
    with qtbot.waitSignal(dialog.backup_made, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass


# ---------------------------------------------------------------------- the Backups screen


def test_back_up_now_makes_a_backup_listed_in_the_table(
    qtbot: QtBot, admin_main: MainWindow, data_dir: Path
) -> None:
    dialog = open_backups(qtbot, admin_main)
    assert dialog.proxy.rowCount() == 0
    assert "No backup yet" in dialog.summary.text()

    back_up_now(qtbot, dialog)

    (made,) = generations(data_dir)
    assert made["label"] == "manual"
    assert dialog.proxy.rowCount() == 1
    assert cell(dialog, 0, BackupColumn.MADE) == "today 15:30"
    assert cell(dialog, 0, BackupColumn.WHY) == "Made by hand"
    assert cell(dialog, 0, BackupColumn.WHERE) == "This PC"
    assert cell(dialog, 0, BackupColumn.SCHEMA) == str(made["schema"])
    assert cell(dialog, 0, BackupColumn.SIZE).endswith("KB")
    assert "A backup was made (today 15:30" in dialog.message.text()
    # The main window's status bar says so too.
    status = admin_main.backup_actions.status_label.text()
    assert status == "Last backup today 15:30 · no second copy yet"


def test_check_all_backups_reports_each_one(qtbot: QtBot, admin_main: MainWindow) -> None:
    dialog = open_backups(qtbot, admin_main)
    back_up_now(qtbot, dialog)
    back_up_now(qtbot, dialog)
    assert cell(dialog, 0, BackupColumn.CHECK) == "Not checked yet"
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "checked" in dialog.message.text(), timeout=WAIT_MS)
    assert "All 2 backups were opened and checked" in dialog.message.text()
    assert [cell(dialog, r, BackupColumn.CHECK) for r in range(2)] == ["Sound", "Sound"]


def test_a_damaged_backup_is_named_by_the_check(
    qtbot: QtBot, admin_main: MainWindow, data_dir: Path
) -> None:
    dialog = open_backups(qtbot, admin_main)
    back_up_now(qtbot, dialog)
    (folder,) = [p for p in (data_dir / "backups").iterdir() if p.is_dir()]
    database = folder / "incidents.db"
    data = bytearray(database.read_bytes())
    for at in range(4096 + 100, 4096 + 200):  # a stretch of the second page
        data[at] ^= 0xFF
    database.write_bytes(bytes(data))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "problems" in dialog.message.text(), timeout=WAIT_MS)
    assert "1 of 1 backups have problems" in dialog.message.text()
    assert cell(dialog, 0, BackupColumn.CHECK) not in ("Sound", "Not checked yet")


def test_out_of_range_settings_get_a_plain_message_and_keep_the_typing(
    qtbot: QtBot, admin_main: MainWindow, admin_session: Session
) -> None:
    dialog = open_backups(qtbot, admin_main)
    assert dialog.every.value() == 30
    dialog.every.selectAll()
    qtbot.keyClicks(dialog.every, "2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.settings_message.isVisible()
    assert (
        dialog.settings_message.text()
        == "The minutes between automatic backups must be between 5 and 1440."
    )
    assert dialog.every.value() == 2, "what was typed stays, to be put right"
    assert services_for(admin_session).backups.settings().every_minutes == 30

    dialog.every.setValue(60)
    dialog.monthly.setValue(24)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.settings_message.text() == "The settings are saved."
    saved = services_for(admin_session).backups.settings()
    assert (saved.every_minutes, saved.monthly) == (60, 24)
    assert admin_main.backup_actions.timer.interval() == 60 * 60_000


def test_the_second_folder_is_refused_inside_the_data_folder_and_when_unreachable(
    qtbot: QtBot, admin_main: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    inside = data_dir / "copies"
    inside.mkdir()
    usb = tmp_path / "usb drive"
    usb.mkdir()
    chosen = [str(inside), str(tmp_path / "not plugged in"), str(usb)]
    dialog = open_backups(qtbot, admin_main, chosen)

    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert "must be somewhere else" in dialog.folder_message.text()
    assert dialog.folder.text() == NO_FOLDER

    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert "cannot be written to" in dialog.folder_message.text()
    assert dialog.folder.text() == NO_FOLDER

    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.folder.text() == str(usb)
    assert f"Backups will now be copied to {usb}" in dialog.folder_message.text()
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    back_up_now(qtbot, dialog)
    assert sorted(cell(dialog, r, BackupColumn.WHERE) for r in range(2)) == [
        "Second folder",
        "This PC",
    ]
    assert "and copied to the second folder" in dialog.message.text()
    assert len(list(usb.glob("*/backup.json"))) == 1
    status = admin_main.backup_actions.status_label.text()
    assert status == "Last backup today 15:30 · second copy today 15:30"


def test_restore_is_offered_only_when_there_is_a_way_to_restore(
    qtbot: QtBot, admin_main: MainWindow, prompter: ScriptedPrompter
) -> None:
    dialog = open_backups(qtbot, admin_main)
    assert dialog.restore_button is None
    back_up_now(qtbot, dialog)
    asked: list[Generation] = []
    actions = admin_main.backup_actions
    dialog.close()
    actions._restore = asked.append
    offered = open_backups(qtbot, admin_main)
    assert offered is not dialog and offered.restore_button is not None
    assert offered.restore_button.isEnabled()
    qtbot.mouseClick(offered.restore_button, Qt.MouseButton.LeftButton)
    assert [g.label for g in asked] == ["manual"]


def test_every_input_has_an_accessible_name_and_a_label(
    qtbot: QtBot, admin_main: MainWindow
) -> None:
    dialog = open_backups(qtbot, admin_main)
    for spin in (dialog.every, dialog.daily, dialog.weekly, dialog.monthly):
        assert spin.accessibleName()
    assert dialog.folder.accessibleName() == "Second folder"
    assert dialog.table.accessibleName() == "Backups"
    # Keyboard: Alt+U is Back up now.
    with qtbot.waitSignal(dialog.backup_made, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)


def test_the_backup_table_model_is_sound(qtmodeltester: ModelTester) -> None:
    from datetime import UTC, datetime

    model = BackupTableModel("Europe/London")
    made = datetime(2026, 3, 19, 9, 12, tzinfo=UTC)
    generation = Generation("20260319-091200-schema0009-lock", made, "lock", 9, 1204, 88, "ab")
    model.set_rows(
        [BackupRow(generation, False), BackupRow(generation, True, "Sound")],
        today=made.date(),
    )
    qtmodeltester.check(model)
    assert model.index(0, BackupColumn.WHY).data() == "On lock"
    assert model.index(0, BackupColumn.MADE).data() == "today 09:12"
    assert model.index(0, BackupColumn.RECORDS).data() == "1,204"


# ---------------------------------------------------------------------- sign-in and status


def test_the_administrator_is_warned_at_sign_in_when_there_is_no_second_copy(
    admin_main: MainWindow,
) -> None:
    actions = admin_main.backup_actions
    assert actions.banner.isVisible()
    assert "No second copy of the backups is set up" in actions.banner_text.text()
    assert actions.open_button.isVisible()
    assert actions.status_label.text() == "No backup yet · no second copy yet"


def test_staff_are_not_warned_in_the_first_week_and_have_no_backups_screen(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> None:
    session = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        window = MainWindow(services_for(session), prompter, autosave_ms=60_000)
        qtbot.addWidget(window)
        window.show()
        actions = window.backup_actions
        assert actions.action is None
        assert not actions.banner.isVisible()
        assert actions.status_label.text() == "No backup yet · no second copy yet"
        window.shut_down()
    finally:
        session.close()


# ---------------------------------------------------------------------- automatic backups


def test_the_automatic_backup_is_made_on_the_worker_only_when_something_changed(
    qtbot: QtBot,
    admin_main: MainWindow,
    data_dir: Path,
    admin_session: Session,
    session: Session,
) -> None:
    actions = admin_main.backup_actions
    threads: list[int] = []
    real = Services.for_later

    def noted(services: Services) -> object:
        later = real(services)
        opened = later.open

        def open_noted() -> Services:
            threads.append(threading.get_ident())
            return opened()

        later.open = open_noted  # type: ignore[method-assign]
        return later

    Services.for_later = noted  # type: ignore[method-assign, assignment]
    try:
        actions.timer.setInterval(50)
        qtbot.waitUntil(lambda: len(generations(data_dir)) == 1, timeout=WAIT_MS)
        assert generations(data_dir)[0]["label"] == "automatic"
        qtbot.waitUntil(lambda: not actions.runner.busy, timeout=WAIT_MS)
        assert actions.status_label.text() == "Last backup today 15:30 · no second copy yet"
        qtbot.wait(400)  # several more ticks: nothing has changed
        assert len(generations(data_dir)) == 1

        services_for(admin_session).settings.school_settings()  # reading is no change
        qtbot.wait(200)
        assert len(generations(data_dir)) == 1
        from incident_recorder.services.incidents import IncidentService

        IncidentService(session).new_draft(IncidentDetails())  # now something changed
        qtbot.waitUntil(lambda: len(generations(data_dir)) == 2, timeout=WAIT_MS)
        qtbot.wait(300)
        assert len(generations(data_dir)) == 2
    finally:
        Services.for_later = real  # type: ignore[method-assign]
        actions.timer.stop()
    assert threads and threading.get_ident() not in threads, "opened on the worker"


def test_the_automatic_backup_waits_while_other_work_runs(
    qtbot: QtBot, admin_main: MainWindow, data_dir: Path
) -> None:
    from incident_recorder.ui.background import Task

    release = threading.Event()
    job = admin_main.background.run(Task.alone("waiting", lambda _p: release.wait(10)))
    actions = admin_main.backup_actions
    actions.timer.setInterval(30)
    qtbot.wait(300)
    assert generations(data_dir) == []
    release.set()
    admin_main.background.wait(job)
    qtbot.waitUntil(lambda: len(generations(data_dir)) == 1, timeout=WAIT_MS)
    actions.timer.stop()


# ---------------------------------------------------------------------- lock, sign-out, exit


MakeShell = Callable[..., Shell]


@pytest.fixture
def make_shell(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> Iterator[MakeShell]:
    made: list[Shell] = []

    def make() -> Shell:
        shell = Shell(
            account_service, services_opener(account_service), prompter, idle_ms=600_000,
            autosave_ms=60_000,
        )  # fmt: skip
        shell.start()
        made.append(shell)
        return shell

    yield make
    for shell in made:
        if shell.main is not None:
            shell.quit()
        runner = shell.backups
        if runner is not None:  # no thread left running when the tests end
            qtbot.waitUntil(lambda r=runner: not r.busy, timeout=WAIT_MS)  # type: ignore[misc]
        if shell.sign_in is not None:
            shell.sign_in.close()


def sign_in(qtbot: QtBot, shell: Shell, username: str = LEAD) -> MainWindow:
    window = shell.sign_in
    assert window is not None
    window.username.setText(username)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    assert shell.main is not None
    return shell.main


def test_locking_makes_a_backup_without_waiting_for_it(
    qtbot: QtBot, make_shell: MakeShell, data_dir: Path
) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    main.windows.new_incident()  # something to back up
    started = time.perf_counter()
    shell.lock()
    took = time.perf_counter() - started
    assert shell.sign_in is not None and shell.sign_in.isVisible()
    assert took < 2.0
    runner = shell.backups
    assert runner is not None
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    (made,) = generations(data_dir)
    assert made["label"] == "lock"
    # The backup holds what was saved as the app locked.
    again = sign_in(qtbot, shell)
    assert again.backup_actions.status_label.text().startswith("Last backup today 15:30")


def test_signing_in_and_reading_a_record_then_locking_makes_no_new_backup(
    qtbot: QtBot,
    make_shell: MakeShell,
    data_dir: Path,
    submit_record: Callable[..., Incident],
) -> None:
    done = submit_record("Leo Fernandes")
    shell = make_shell()

    def lock() -> None:
        shell.lock()
        runner = shell.backups
        assert runner is not None
        qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)

    sign_in(qtbot, shell)
    lock()
    assert [g["label"] for g in generations(data_dir)] == ["lock"], "the first one"
    stamp = (data_dir / "backups").stat().st_mtime_ns

    main = sign_in(qtbot, shell)  # signed in again, and the record read
    viewer = main.windows.open_record(done.id)
    assert viewer is not None and viewer.isVisible()
    lock()
    assert len(generations(data_dir)) == 1, "reading changes nothing to back up"
    assert (data_dir / "backups").stat().st_mtime_ns == stamp

    main = sign_in(qtbot, shell)
    assert main.backup_actions.status_label.text().startswith("Last backup today 15:30")
    main.windows.new_incident()  # a record started: something to back up
    lock()
    assert [g["label"] for g in generations(data_dir)] == ["lock", "lock"]


def test_signing_out_and_closing_make_backups(
    qtbot: QtBot, make_shell: MakeShell, data_dir: Path
) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    main.windows.new_incident()
    shell.sign_out()
    runner = shell.backups
    assert runner is not None
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    main = sign_in(qtbot, shell, STAFF_ONLY)
    main.windows.new_incident()
    with qtbot.waitSignal(shell.finished, timeout=WAIT_MS):
        shell.quit()
    assert not runner.busy, "closing waits for the backup"
    assert [g["label"] for g in generations(data_dir)] == ["sign-out", "exit"]


def test_a_backup_that_fails_on_lock_is_said_at_the_next_sign_in(
    qtbot: QtBot, make_shell: MakeShell, data_dir: Path
) -> None:
    (data_dir / "backups").write_text("not a folder")  # the backups cannot be written
    shell = make_shell()
    main = sign_in(qtbot, shell)
    main.windows.new_incident()
    shell.lock()
    assert shell.sign_in is not None and shell.sign_in.isVisible(), "the lock still happens"
    runner = shell.backups
    assert runner is not None
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    again = sign_in(qtbot, shell)
    banner = again.backup_actions.banner_text.text()
    assert again.backup_actions.banner.isVisible()
    assert banner.startswith("The backup on lock on 20/03/2026 at 15:30 could not be made")
    assert "The records themselves are as they were" in banner


def test_closing_does_not_wait_for_ever(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell()
    sign_in(qtbot, shell)
    runner = shell.backups
    assert runner is not None
    release = threading.Event()
    from incident_recorder.ui.background import Task

    runner.background.run(Task.alone("a stuck backup", lambda _p: release.wait(30)))
    started = time.perf_counter()
    shown: list[bool] = []

    def look() -> None:
        window = runner.closing_window
        shown.append(window is not None and window.isVisible())

    from PySide6.QtCore import QTimer

    QTimer.singleShot(100, look)
    assert runner.wait_before_closing(close_button_after_ms=50, give_up_after_ms=400) is False
    assert time.perf_counter() - started < 5
    assert shown == [True], "a small window says a backup is being made"
    release.set()
    qtbot.waitUntil(lambda: not runner.background.busy, timeout=WAIT_MS)
