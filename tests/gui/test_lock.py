"""Locking (Ctrl+L and after a spell without use), signing out, quitting, and one copy
of the app per data folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from incident_recorder import app as app_module
from incident_recorder.domain.errors import DataFolderInUse
from incident_recorder.domain.model import Pupil, StaffInvolvement, StaffMember, StaffPart
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import DataFolder
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import IncidentService
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import FakeClock, complete_details, services_opener
from tests.gui.conftest import INCIDENT_DAY, LEAD, PASSPHRASE, STAFF_ONLY, explained
from tests.gui.form_support import signed_in as finish_sign_in

MakeShell = Callable[..., Shell]


@pytest.fixture
def make_shell(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> Iterator[MakeShell]:
    made: list[Shell] = []

    def make(idle_ms: int = 60_000) -> Shell:
        shell = Shell(
            account_service,
            services_opener(account_service),
            prompter,
            idle_ms=idle_ms,
            autosave_ms=60_000,
        )
        shell.start()
        made.append(shell)
        return shell

    yield make
    for shell in made:
        if shell.main is not None:
            shell.quit()
        if shell.sign_in is not None:
            shell.sign_in.close()


def sign_in(qtbot: QtBot, shell: Shell, username: str = LEAD) -> MainWindow:
    window = shell.sign_in
    assert window is not None and window.isVisible()
    window.username.setText(username)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    main = shell.main
    assert main is not None
    with qtbot.waitActive(main):
        main.activateWindow()
    return main


def test_ctrl_l_saves_the_typing_closes_the_session_and_shows_sign_in(
    qtbot: QtBot, make_shell: MakeShell
) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    session = shell.services
    assert session is not None
    qtbot.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    (form,) = main.windows.forms.values()
    form.go_to(form.pages[2].step)  # type: ignore[attr-defined]
    antecedents = form.pages[2].antecedents  # type: ignore[attr-defined]
    qtbot.keyClicks(antecedents, "Unsettled after a fire drill")

    with qtbot.waitSignal(shell.locked):
        qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert session.closed
    assert session.key_forgotten, "the key is zeroed"
    assert shell.main is None and not main.isVisible()
    assert not form.isVisible()
    sign_in_window = shell.sign_in
    assert sign_in_window is not None and sign_in_window.isVisible()
    assert sign_in_window.username.text() == LEAD
    assert "Locked" in sign_in_window.note.text()

    again = sign_in(qtbot, shell)
    assert again.banner.isVisible(), "the unfinished record is offered"
    assert shell.services is not None
    (draft,) = shell.services.incidents.drafts()
    saved = shell.services.incidents.open(draft.id)
    assert saved.details.what_happened.antecedents == "Unsettled after a fire drill"


def test_a_spell_without_use_locks(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell(idle_ms=150)
    sign_in(qtbot, shell)
    with qtbot.waitSignal(shell.locked, timeout=2000):
        pass
    assert shell.services is None
    assert shell.sign_in is not None and shell.sign_in.isVisible()


def test_activity_keeps_it_unlocked(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell(idle_ms=400)
    main = sign_in(qtbot, shell)
    for _ in range(5):
        qtbot.wait(150)
        qtbot.keyClick(main.filters.search, Qt.Key.Key_Shift)
    assert shell.main is main, "still unlocked after 750 ms of typing"
    with qtbot.waitSignal(shell.locked, timeout=2000):
        pass


def test_another_person_may_sign_in_after_locking(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell()
    sign_in(qtbot, shell)
    shell.lock()
    main = sign_in(qtbot, shell, STAFF_ONLY)
    assert "Tomasz Nowak" in main.user_label.text()


def test_lock_clears_text_copied_from_the_app(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    clipboard = QGuiApplication.clipboard()
    main.filters.search.setText("Copied from a record")
    main.filters.search.selectAll()
    main.filters.search.copy()
    assert clipboard.text() == "Copied from a record"
    shell.lock()
    assert clipboard.text() == ""


def test_sign_out_and_quit_close_the_session(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    session = shell.services
    assert session is not None
    main.sign_out_action.trigger()
    assert session.closed
    assert shell.sign_in is not None and shell.sign_in.username.text() == ""
    main = sign_in(qtbot, shell)
    session = shell.services
    assert session is not None
    with qtbot.waitSignal(shell.finished):
        main.close()  # the window's close button quits, saving first
    assert session.closed


def test_a_second_lock_on_the_folder_names_who_holds_it(data_dir: Path) -> None:
    path = DataFolder(data_dir).lock_file
    with DataFolderLock(path), pytest.raises(DataFolderInUse) as raised:
        DataFolderLock(path).acquire()
    assert "opened by" in raised.value.holder
    assert "already open" in str(raised.value)
    DataFolderLock(path).acquire()  # released: free again


def test_the_app_refuses_a_folder_in_use_and_touches_nothing(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    database = (data_dir / "incidents.db").read_bytes()
    with DataFolderLock(DataFolder(data_dir).lock_file):
        assert app_module.run_gui(data_dir) == 1
    assert "already open on this data folder (opened by" in shown[0]
    assert (data_dir / "incidents.db").read_bytes() == database
    assert not (data_dir / "incident-recorder.log").exists()


def test_a_sync_folder_is_warned_about_without_stopping_work(qapp: QApplication) -> None:
    app_module._warn_about_folder(DataFolder(Path("/home/head/OneDrive/Incident Recorder")))
    box = app_module._kept[-1]
    assert box.isVisible() and not box.isModal()
    assert "OneDrive" in box.text()
    box.close()


def test_locking_while_a_search_waits_to_run_is_safe(qtbot: QtBot, make_shell: MakeShell) -> None:
    shell = make_shell()
    main = sign_in(qtbot, shell)
    qtbot.keyClicks(main.filters.search, "Leo")
    shell.lock()
    qtbot.wait(400)  # past the search delay: nothing may touch the closed database
    assert shell.sign_in is not None and shell.sign_in.isVisible()


def test_locking_leaves_the_database_file_complete_on_its_own(
    qtbot: QtBot, make_shell: MakeShell, data_dir: Path, tmp_path: Path, clock: FakeClock
) -> None:
    import shutil

    from incident_recorder.store.database import DATABASE_NAME
    from tests.gui.conftest import make_accounts

    shell = make_shell()
    main = sign_in(qtbot, shell)
    session = shell.services
    assert session is not None
    # A connection of another's (as a backup worker's would be) stays open, so the
    # checkpoint SQLite makes when the last connection closes is not what empties the log.
    main.new_action.trigger()
    (form,) = main.windows.forms.values()
    form.go_to(form.pages[2].step)  # type: ignore[attr-defined]
    qtbot.keyClicks(form.pages[2].antecedents, "Upset after a wet play")  # type: ignore[attr-defined]
    other = session.on_new_connection()
    try:
        wal = data_dir / f"{DATABASE_NAME}-wal"
        with qtbot.waitSignal(shell.locked):
            main.lock_action.trigger()
        # Emptied: nothing, or the log's 32-byte header alone, which holds no page (a
        # worker's connection opening as the app locks may write it again).
        assert not wal.exists() or wal.stat().st_size <= 32
    finally:
        other.close()
    # The database file alone (no -wal, no -shm) holds the draft that locking saved.
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy2(data_dir / DATABASE_NAME, alone / DATABASE_NAME)
    shutil.copy2(data_dir / "keyring.json", alone / "keyring.json")
    copy = make_accounts(alone, clock).sign_in(LEAD, PASSPHRASE)
    try:
        (draft,) = copy.store.incidents.drafts(copy.user.id)
        saved = copy.store.incidents.get(draft.id)
        assert saved.details.what_happened.antecedents == "Upset after a wet play"
    finally:
        copy.close()


def test_locking_keeps_a_statement_being_written_and_brings_it_back(
    qtbot: QtBot, make_shell: MakeShell, incidents: IncidentService, pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:  # fmt: skip
    details = complete_details(pupils["Leo Fernandes"].id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    named = (
        StaffInvolvement(staff["Siân Griffiths"].id, StaffPart.CARRIED_OUT),
        StaffInvolvement(staff["Tomasz Nowak"].id, StaffPart.WITNESSED),
    )
    details = explained(replace(details, who=replace(details.who, staff=named)), incidents)
    incidents.submit(incidents.new_draft(details).id, details)
    shell = make_shell()
    main = sign_in(qtbot, shell, STAFF_ONLY)
    actions = main.statement_actions
    assert actions is not None
    request_id = actions._service.my_requests()[0].request.id or 0
    editor = actions.open_editor(request_id)
    assert editor is not None
    typed = "I was at the door. Leo climbed on the desk at 10:05 and"
    qtbot.keyClicks(editor.account, typed)
    with qtbot.waitSignal(shell.locked):
        main.lock_action.trigger()  # before the draft's timer: locking keeps it
    assert not editor.isVisible()

    main = sign_in(qtbot, shell, STAFF_ONLY)
    actions = main.statement_actions
    assert actions is not None
    again = actions.open_editor(request_id)
    assert again is not None
    assert again.account.toPlainText() == typed
    assert "The words you typed on" in again.version_note.text()
    assert "not saved as your statement until you choose Save" in again.version_note.text()
    # Typing on keeps it a moment after typing stops; saving makes the statement and
    # the draft goes with it.
    qtbot.keyClicks(again.account, " then he climbed down.")
    qtbot.waitUntil(lambda: actions._service.context(request_id).draft.endswith("down."))
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=2000)
    context = actions._service.context(request_id)
    assert context.draft == "" and context.latest is not None
    assert context.latest.text == f"{typed} then he climbed down."
    third = actions.open_editor(request_id)
    assert third is not None and "were kept" not in third.version_note.text()
    third.reject()  # closing unchanged keeps no draft
    assert actions._service.context(request_id).draft == ""
