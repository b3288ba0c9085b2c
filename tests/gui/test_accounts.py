"""Accounts from the app: an administrator adds an account (for someone new or for an
adult already on the staff list) and switches one off; everyone may change their own
passphrase. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from incident_recorder.domain.errors import WrongPassphrase
from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import AccountService, UserAdminService
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.services.session import Session
from incident_recorder.ui.accounts.accounts_window import AccountsWindow
from incident_recorder.ui.accounts.add_account import AddAccountDialog
from incident_recorder.ui.accounts.change_passphrase import WRONG_CURRENT, ChangePassphraseDialog
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.account_table import AccountColumn, AccountTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import services_for, services_opener
from tests.gui.conftest import ADMIN, LEAD, PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import signed_in as finish_sign_in

NEW_PASSPHRASE = "copper kettle harbour 17"

MakeWindow = Callable[[str], MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> Iterator[MakeWindow]:
    """The main window for ``username``, signed in, with its account actions."""
    made: list[tuple[MainWindow, Session]] = []

    def make(username: str) -> MainWindow:
        session = account_service.sign_in(username, PASSPHRASE)
        window = MainWindow(
            services_for(session, account_service.keyring), prompter, autosave_ms=60_000
        )
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        made.append((window, session))
        return window

    yield make
    for window, session in made:
        window.shut_down()
        session.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_in(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(qtbot: QtBot, key: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(focused(), key)


def open_accounts(qtbot: QtBot, window: MainWindow) -> AccountsWindow:
    actions = window.account_actions
    assert actions is not None and actions.admin_menu is not None
    actions.accounts_action.trigger()
    accounts = actions.accounts_window
    assert accounts is not None
    qtbot.waitUntil(accounts.isActiveWindow)
    return accounts


def open_add_dialog(qtbot: QtBot, accounts: AccountsWindow) -> AddAccountDialog:
    qtbot.keyClick(accounts, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Add account…
    qtbot.waitUntil(lambda: accounts.add_dialog is not None)  # a mnemonic "clicks" shortly
    dialog = accounts.add_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def shown_accounts(accounts: AccountsWindow) -> dict[str, list[str]]:
    model = accounts.model
    return {
        model.account(row).user.username: [
            model.index(row, column).data() for column in AccountColumn
        ]
        for row in range(model.rowCount())
    }


def fill_new_account(
    qtbot: QtBot, dialog: AddAccountDialog, username: str, passphrase: str, confirm: str
) -> None:
    """Someone new, typed from the keyboard: full name, job title, username, Staff and
    SENCO, the passphrase twice."""
    assert focused() is dialog.staff_entry  # Priya Shah is on the list without an account
    press(qtbot, Qt.Key.Key_Tab)
    type_in(qtbot, "Gwen Parry")
    press(qtbot, Qt.Key.Key_Tab)
    type_in(qtbot, "Cover supervisor")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.username and dialog.username.text() == "g.parry"
    if username != "g.parry":
        dialog.username.selectAll()
        type_in(qtbot, username)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.role_boxes[Role.STAFF]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)  # SENCO
    press(qtbot, Qt.Key.Key_Tab, 4)  # past lead, administrator and school office
    assert focused() is dialog.new_passphrase.passphrase
    type_in(qtbot, passphrase)
    press(qtbot, Qt.Key.Key_Tab)
    type_in(qtbot, confirm)


def test_an_administrator_adds_an_account_from_the_keyboard(
    qtbot: QtBot, make_window: MakeWindow, account_service: AccountService
) -> None:
    accounts = open_accounts(qtbot, make_window(ADMIN))
    dialog = open_add_dialog(qtbot, accounts)
    fill_new_account(qtbot, dialog, "g.parry", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert dialog.new_passphrase.meter.word.text()  # the strength is shown as they type
    with qtbot.waitSignal(dialog.account_added):
        press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    assert shown_accounts(accounts)["g.parry"] == [
        "Gwen Parry",
        "g.parry",
        "Staff, SENCO",
        "Gwen Parry (Cover supervisor)",
        "Yes",
    ]
    assert accounts.selected_account() is not None
    assert accounts.selected_account().user.username == "g.parry"  # type: ignore[union-attr]
    assert "Account added for Gwen Parry" in accounts.message.text()
    session = account_service.sign_in("g.parry", NEW_PASSPHRASE)
    try:
        assert session.user.roles == frozenset({Role.STAFF, Role.SENCO})
        assert session.user.full_name == "Gwen Parry"
    finally:
        session.close()


def test_an_adult_already_on_the_staff_list_gets_an_account(
    qtbot: QtBot, make_window: MakeWindow, account_service: AccountService
) -> None:
    accounts = open_accounts(qtbot, make_window(ADMIN))
    dialog = open_add_dialog(qtbot, accounts)
    press(qtbot, Qt.Key.Key_Down)  # Priya Shah, added by quick-add, has no account yet
    assert dialog.staff_entry.currentText() == "Priya Shah (Midday supervisor)"
    assert dialog.full_name.text() == "Priya Shah" and dialog.full_name.isReadOnly()
    assert dialog.username.text() == "p.shah"
    dialog.role_boxes[Role.STAFF].setChecked(True)
    dialog.new_passphrase.passphrase.setText(NEW_PASSPHRASE)
    dialog.new_passphrase.confirm.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.account_added):
        dialog.add_button.click()
    assert shown_accounts(accounts)["p.shah"][3] == "Priya Shah (Midday supervisor)"
    session = account_service.sign_in("p.shah", NEW_PASSPHRASE)
    try:
        staff = DirectoryService(session).staff_list()
        assert [m.full_name for m in staff].count("Priya Shah") == 1
        priya = next(m for m in staff if m.full_name == "Priya Shah")
        assert session.user.staff_id == priya.id
    finally:
        session.close()


@pytest.mark.parametrize(
    ("username", "passphrase", "confirm", "message", "field"),
    [
        ("t.nowak", NEW_PASSPHRASE, NEW_PASSPHRASE, "already an account called 't.nowak'", "u"),
        ("g.parry", "too short", "too short", "at least 12 characters", "p"),
        ("g.parry", NEW_PASSPHRASE, "copper kettle", "two passphrases are not the same", "c"),
    ],
)
def test_a_problem_is_explained_and_the_typing_is_kept(
    qtbot: QtBot,
    make_window: MakeWindow,
    account_service: AccountService,
    username: str,
    passphrase: str,
    confirm: str,
    message: str,
    field: str,
) -> None:
    accounts = open_accounts(qtbot, make_window(ADMIN))
    before = shown_accounts(accounts)
    dialog = open_add_dialog(qtbot, accounts)
    fill_new_account(qtbot, dialog, username, passphrase, confirm)
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.message.isVisible() and message in dialog.message.text()
    fields = {"u": dialog.username, "p": dialog.new_passphrase.passphrase}
    assert focused() is fields.get(field, dialog.new_passphrase.confirm)
    assert dialog.full_name.text() == "Gwen Parry"
    assert dialog.job_title.text() == "Cover supervisor"
    assert dialog.username.text() == username
    assert dialog.new_passphrase.text() == passphrase
    assert dialog.roles() == frozenset({Role.STAFF, Role.SENCO})
    assert shown_accounts(accounts) == before
    with pytest.raises(WrongPassphrase):
        account_service.sign_in(username if username != "t.nowak" else "g.parry", passphrase)


def test_an_account_needs_a_role(qtbot: QtBot, make_window: MakeWindow) -> None:
    accounts = open_accounts(qtbot, make_window(ADMIN))
    dialog = open_add_dialog(qtbot, accounts)
    qtbot.keyClicks(dialog.full_name, "Gwen Parry")
    dialog.new_passphrase.passphrase.setText(NEW_PASSPHRASE)
    dialog.new_passphrase.confirm.setText(NEW_PASSPHRASE)
    dialog.add_button.click()
    assert dialog.message.text() == "Choose at least one role for the account."
    assert focused() is dialog.role_boxes[Role.STAFF]
    assert "g.parry" not in shown_accounts(accounts)


def test_each_role_is_explained(qtbot: QtBot, make_window: MakeWindow) -> None:
    dialog = open_add_dialog(qtbot, open_accounts(qtbot, make_window(ADMIN)))
    for role, box in dialog.role_boxes.items():
        assert box.text().replace("&", "") == role.label
        assert box.accessibleDescription()  # the one-line explanation, read out too
    assert "every record" in dialog.role_boxes[Role.SENCO].accessibleDescription()


def test_only_an_administrator_sees_the_accounts_menu(make_window: MakeWindow) -> None:
    for username in (LEAD, STAFF_ONLY):
        window = make_window(username)
        actions = window.account_actions
        assert actions is not None and actions.admin_menu is None
        titles = [a.text() for a in window.menuBar().actions()]
        assert "Ad&ministration" not in titles
        assert actions.change_passphrase_action in window.file_menu.actions()
    admin = make_window(ADMIN)
    assert "Ad&ministration" in [a.text() for a in admin.menuBar().actions()]


def test_the_accounts_table_and_switching_an_account_off(
    qtbot: QtBot,
    make_window: MakeWindow,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    accounts = open_accounts(qtbot, make_window(ADMIN))
    rows = shown_accounts(accounts)
    assert rows["a.okafor"] == [
        "Amara Okafor",
        "a.okafor",
        "Administrator",
        "Amara Okafor (Head teacher)",
        "Yes",
    ]
    assert rows["s.griffiths"][2] == "Staff, SENCO, Safeguarding lead / senior leader"
    accounts.select(accounts.model.account(0).user.id)  # Amara Okafor: herself
    assert not accounts.switch_off_button.isEnabled()

    model = accounts.model
    nowak = next(
        model.account(r).user
        for r in range(model.rowCount())
        if model.account(r).user.username == STAFF_ONLY
    )
    accounts.select(nowak.id)
    assert accounts.switch_off_button.isEnabled()
    prompter.confirm_answers.append(True)
    accounts.switch_off_button.click()
    assert prompter.asked[-1][1] == "Switch off this account?"
    assert shown_accounts(accounts)[STAFF_ONLY][4] == "No: switched off"
    assert not accounts.switch_off_button.isEnabled()
    with pytest.raises(WrongPassphrase):
        account_service.sign_in(STAFF_ONLY, PASSPHRASE)


def test_the_account_model(qtmodeltester: ModelTester, admin_service: UserAdminService) -> None:
    model = AccountTableModel()
    model.set_accounts(admin_service.accounts())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Can sign in"
    model.set_accounts([])
    qtmodeltester.check(model, force_py=True)


# --------------------------------------------------------------------------- passphrase


def open_change_dialog(qtbot: QtBot, window: MainWindow) -> ChangePassphraseDialog:
    assert window.account_actions is not None
    window.account_actions.change_passphrase_action.trigger()
    dialog = window.account_actions.passphrase_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focused() is dialog.current
    return dialog


def test_changing_my_passphrase_from_the_keyboard(
    qtbot: QtBot,
    make_window: MakeWindow,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    dialog = open_change_dialog(qtbot, make_window(STAFF_ONLY))
    type_in(qtbot, PASSPHRASE)
    press(qtbot, Qt.Key.Key_Tab)
    type_in(qtbot, NEW_PASSPHRASE)
    press(qtbot, Qt.Key.Key_Tab)
    type_in(qtbot, NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.passphrase_changed):
        press(qtbot, Qt.Key.Key_Return)
    assert prompter.asked[-1][:2] == ("inform", "Passphrase changed")
    with pytest.raises(WrongPassphrase):
        account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    account_service.sign_in(STAFF_ONLY, NEW_PASSPHRASE).close()


def test_a_wrong_current_passphrase_changes_nothing(
    qtbot: QtBot, make_window: MakeWindow, account_service: AccountService
) -> None:
    dialog = open_change_dialog(qtbot, make_window(LEAD))
    type_in(qtbot, "not my passphrase at all")
    dialog.new_passphrase.passphrase.setText(NEW_PASSPHRASE)
    dialog.new_passphrase.confirm.setText(NEW_PASSPHRASE)
    dialog.change_button.click()
    assert dialog.isVisible()
    assert dialog.message.text() == WRONG_CURRENT
    assert focused() is dialog.current
    assert dialog.new_passphrase.text() == NEW_PASSPHRASE
    with pytest.raises(WrongPassphrase):
        account_service.sign_in(LEAD, NEW_PASSPHRASE)
    account_service.sign_in(LEAD, PASSPHRASE).close()


def test_a_weak_new_passphrase_is_refused(qtbot: QtBot, make_window: MakeWindow) -> None:
    dialog = open_change_dialog(qtbot, make_window(STAFF_ONLY))
    type_in(qtbot, PASSPHRASE)
    dialog.new_passphrase.passphrase.setText("tiny")
    dialog.new_passphrase.confirm.setText("tiny")
    dialog.change_button.click()
    assert "at least 12 characters" in dialog.message.text()
    assert focused() is dialog.new_passphrase.passphrase


# --------------------------------------------------------------------------- the shell


@pytest.fixture
def admin_service(account_service: AccountService) -> Iterator[UserAdminService]:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    yield account_service.user_admin(session)
    session.close()


def test_the_shell_gives_the_signed_in_administrator_the_accounts_window(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> None:
    shell = Shell(
        account_service,
        services_opener(account_service),
        prompter,
        idle_ms=60_000,
        autosave_ms=60_000,
    )
    shell.start()
    try:
        sign_in = shell.sign_in
        assert sign_in is not None
        sign_in.username.setText(ADMIN)
        sign_in.passphrase.setText(PASSPHRASE)
        sign_in.sign_in_button.click()
        finish_sign_in(qtbot, sign_in)
        main = shell.main
        assert main is not None
        with qtbot.waitActive(main):
            main.activateWindow()
        accounts = open_accounts(qtbot, main)
        assert ADMIN in shown_accounts(accounts)
        shell.lock()  # locking closes the accounts window with the session
        assert not accounts.isVisible()
        assert shell.sign_in is not None and shell.sign_in.isVisible()
    finally:
        if shell.main is not None:
            shell.quit()
        if shell.sign_in is not None:
            shell.sign_in.close()
