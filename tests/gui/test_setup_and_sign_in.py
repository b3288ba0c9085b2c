"""First run (the set-up wizard) and the sign-in screen, on real encrypted files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWizard

from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.session import Session
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.forgotten_passphrase import ForgottenPassphraseDialog
from incident_recorder.ui.setup import SetupWizard
from incident_recorder.ui.setup.pages import suggest_username
from incident_recorder.ui.sign_in import SignInWindow
from tests.fakes import FakeClock
from tests.gui.conftest import CHEAP_KDF, LEAD, NOW, PASSPHRASE, SCHOOL, make_accounts
from tests.gui.form_support import signed_in as finish_sign_in

NEW_PASSPHRASE = "copper meadow falcon 17"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def press_next(qtbot: QtBot, wizard: QWizard) -> None:
    """Return in a field presses the wizard's default button (Next, Create or Finish)."""
    focus = QApplication.focusWidget() or wizard
    qtbot.keyClick(focus, Qt.Key.Key_Return)


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "new"
    folder.mkdir()
    return folder


@pytest.fixture
def wizard(qtbot: QtBot, empty_folder: Path) -> SetupWizard:
    w = SetupWizard(make_accounts(empty_folder, FakeClock(NOW)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def test_set_up_from_the_keyboard_creates_the_database_and_a_working_recovery_code(
    qtbot: QtBot, wizard: SetupWizard, empty_folder: Path
) -> None:
    school = wizard.school_page
    press_next(qtbot, wizard)  # nothing typed yet
    assert wizard.currentPage() is school
    assert school.message.isVisible()
    assert "school's name" in school.message.text()

    qtbot.keyClicks(school.name, "Fictional Elm Academy")
    school.address.setFocus()
    qtbot.keyClicks(school.address, "3 Imaginary Road, Exampletown")
    school.name.setFocus()
    press_next(qtbot, wizard)
    admin = wizard.admin_page
    assert wizard.currentPage() is admin

    qtbot.keyClicks(admin.full_name, "Amara Okafor")
    assert admin.username.text() == "a.okafor"  # suggested from the name
    qtbot.keyClicks(admin.passphrase, "short")
    assert admin.meter.word.text() == "<b>Too weak</b>"
    assert "12 characters" in admin.meter.advice.text()
    admin.passphrase.setFocus()
    press_next(qtbot, wizard)
    assert wizard.currentPage() is admin
    assert "at least 12 characters" in admin.message.text()

    admin.passphrase.clear()
    qtbot.keyClicks(admin.passphrase, PASSPHRASE)
    assert admin.meter.current.acceptable
    qtbot.keyClicks(admin.confirm, PASSPHRASE + "x")
    admin.confirm.setFocus()
    press_next(qtbot, wizard)
    assert "not the same" in admin.message.text()
    assert admin.confirm.text() == ""

    qtbot.keyClicks(admin.confirm, PASSPHRASE)
    admin.signs_off.setFocus()
    qtbot.keyClick(admin.signs_off, Qt.Key.Key_Space)
    assert admin.signs_off.isChecked()
    admin.confirm.setFocus()
    press_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.confirm_page
    assert "cannot be" in wizard.confirm_page.findChildren(type(school.message))[0].text()
    assert files(empty_folder) == {}, "nothing is written before Create"

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.setup_completed) as completed:
        press_next(qtbot, wizard)  # Create
        recovery = wizard.recovery_page
        assert wizard.currentPage() is recovery
        assert {"keyring.json", "incidents.db"} <= set(files(empty_folder))
        code = recovery.code.text()
        assert len(code) >= 20
        assert not finish.isEnabled(), "the recovery code must be acknowledged first"
        wizard.reject()  # Escape does not lose the code
        assert wizard.isVisible()
        recovery.confirmed.setFocus()
        qtbot.keyClick(recovery.confirmed, Qt.Key.Key_Space)
        assert finish.isEnabled()
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)

    session = completed.args[0]
    assert isinstance(session, Session)
    assert session.user.username == "a.okafor"
    assert session.user.roles == {Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD}
    assert session.settings().school.name == "Fictional Elm Academy"
    key = bytes(session.data_key)
    session.close()
    vault = FileKeyVault(empty_folder, CHEAP_KDF)
    assert vault.unlock_with_recovery_code(code) == key


def test_usernames_are_suggested_in_plain_letters() -> None:
    assert suggest_username("Siân Griffiths") == "s.griffiths"
    assert suggest_username("  Zoë  ") == "zoe"
    assert suggest_username("Mary-Jane O'Neill") == "m.oneill"


def test_cancelling_set_up_writes_nothing(
    qtbot: QtBot, wizard: SetupWizard, empty_folder: Path
) -> None:
    qtbot.keyClicks(wizard.school_page.name, "Fictional Elm Academy")
    with qtbot.waitSignal(wizard.setup_cancelled):
        wizard.reject()
    assert files(empty_folder) == {}


def test_recovery_sheet_prints_from_memory(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    wizard.recovery_page.set_code("ABCD-EFGH-JKLM-NPQR", "Fictional Elm Academy")
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "sheet.pdf"))
    wizard.recovery_page.print_to(printer)
    text = " ".join(PdfReader(tmp_path / "sheet.pdf").pages[0].extract_text().split())
    assert "ABCD-EFGH-JKLM-NPQR" in text
    assert "Fictional Elm Academy" in text


# ------------------------------------------------------------------ sign-in


@pytest.fixture
def sign_in(qtbot: QtBot, account_service: AccountService) -> SignInWindow:
    window = SignInWindow(account_service, tick_ms=20)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def attempt(qtbot: QtBot, window: SignInWindow, username: str, passphrase: str) -> None:
    window.username.setText(username)
    window.passphrase.setFocus()
    qtbot.keyClicks(window.passphrase, passphrase)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    finish_sign_in(qtbot, window)


def test_sign_in_emits_a_session(qtbot: QtBot, sign_in: SignInWindow) -> None:
    assert not sign_in.demo.isVisible()
    with qtbot.waitSignal(sign_in.signed_in) as signed:
        attempt(qtbot, sign_in, LEAD, PASSPHRASE)
    session = signed.args[0]
    assert session.user.full_name == "Siân Griffiths"
    assert sign_in.passphrase.text() == ""
    session.close()


def test_wrong_passphrase_explains_clears_and_changes_nothing_on_disk(
    qtbot: QtBot, sign_in: SignInWindow, data_dir: Path
) -> None:
    before = files(data_dir)
    with qtbot.assertNotEmitted(sign_in.signed_in):
        attempt(qtbot, sign_in, LEAD, "not the right passphrase")
    assert sign_in.message.isVisible()
    assert "do not match" in sign_in.message.text()
    assert sign_in.passphrase.text() == ""
    assert QApplication.focusWidget() is sign_in.passphrase
    assert files(data_dir) == before


def test_repeated_failures_make_the_button_count_down(
    qtbot: QtBot, sign_in: SignInWindow, clock: FakeClock
) -> None:
    for _ in range(3):
        attempt(qtbot, sign_in, LEAD, "not the right passphrase")
    attempt(qtbot, sign_in, LEAD, PASSPHRASE)  # the service says: wait 2 seconds
    button = sign_in.sign_in_button
    assert not button.isEnabled()
    assert button.text() == "Please wait 2 seconds…"
    assert "unsuccessful attempts" in sign_in.message.text()
    assert sign_in.passphrase.text() == PASSPHRASE, "the typing is kept for the next try"
    qtbot.waitUntil(lambda: button.text() == "Please wait 1 second…", timeout=1000)
    qtbot.waitUntil(button.isEnabled, timeout=1000)
    assert "try again now" in sign_in.message.text()
    clock.advance(seconds=3)
    with qtbot.waitSignal(sign_in.signed_in) as signed:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    signed.args[0].close()


def test_demo_sign_in_is_shown_on_the_demo_database_only(qtbot: QtBot, tmp_path: Path) -> None:
    accounts = make_accounts(tmp_path / "demo", FakeClock(NOW))
    accounts.set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Amara Okafor",
            admin_username="demo.head",
            passphrase=PASSPHRASE,
            demo=True,
        )
    ).session.close()
    window = SignInWindow(accounts)
    qtbot.addWidget(window)
    window.show()
    assert window.demo.isVisible()
    assert "demo.head" in window.demo.text()
    assert PASSPHRASE in window.demo.text()


def test_forgotten_passphrase_is_replaced_with_the_recovery_code(
    qtbot: QtBot, tmp_path: Path
) -> None:
    accounts = make_accounts(tmp_path / "school", FakeClock(NOW))
    result = accounts.set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Amara Okafor",
            admin_username="a.okafor",
            passphrase=PASSPHRASE,
        )
    )
    result.session.close()
    dialog = ForgottenPassphraseDialog(accounts, "a.okafor")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    qtbot.keyClicks(dialog.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(dialog.confirm, NEW_PASSPHRASE)
    dialog.buttons.accepted.emit()
    assert "not right" in dialog.message.text()
    assert dialog.passphrase.text() == NEW_PASSPHRASE

    dialog.code.setText(result.recovery_code.lower())
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.accepted.emit()
    accounts.sign_in("a.okafor", NEW_PASSPHRASE).close()
