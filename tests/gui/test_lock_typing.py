"""Locking while someone types: the rest of their sentence must not land in the lock
screen's passphrase box (nor Enter try it as a passphrase). The lock screen starts
empty and ignores keys for half a second after it appears; then typing works."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.shell import LOCK_GUARD_MS, Shell
from incident_recorder.ui.sign_in import SignInWindow
from tests.gui.conftest import LEAD, PASSPHRASE
from tests.gui.form_support import signed_in as finish_sign_in


def signed_in(qtbot: QtBot, shell: Shell) -> MainWindow:
    window = shell.sign_in
    assert window is not None
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    main = shell.main
    assert main is not None
    with qtbot.waitActive(main):
        main.activateWindow()
    return main


def lock_screen(qtbot: QtBot, shell: Shell) -> SignInWindow:
    window = shell.sign_in
    assert window is not None and window.isVisible()
    return window


def test_typing_into_a_record_as_it_locks_does_not_reach_the_passphrase(
    qtbot: QtBot, shell: Shell
) -> None:
    main = signed_in(qtbot, shell)
    qtbot.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    (form,) = main.windows.forms.values()
    form.go_to(form.pages[2].step)  # type: ignore[attr-defined]
    box = form.pages[2].antecedents  # type: ignore[attr-defined]
    qtbot.keyClicks(box, "The pupil was")

    with qtbot.waitSignal(shell.locked):
        qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    window = lock_screen(qtbot, shell)
    assert window.passphrase.text() == ""
    assert window.guarding

    # The rest of the sentence, and the Enter at its end, arrive at the lock screen.
    target = QApplication.focusWidget() or window.passphrase
    qtbot.keyClicks(target, " upset after lunch")
    qtbot.keyClicks(window.passphrase, " and kicked")
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert window.passphrase.text() == ""
    assert window.username.text() == LEAD
    assert window.message.text() == "", "Enter did not try a passphrase"
    assert shell.services is None

    # After half a second the person can sign in again as usual.
    qtbot.waitUntil(lambda: not window.guarding, timeout=LOCK_GUARD_MS + 1000)
    window.passphrase.setFocus()
    qtbot.keyClicks(window.passphrase, PASSPHRASE)
    assert window.passphrase.text() == PASSPHRASE
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    finish_sign_in(qtbot, window)
    assert shell.main is not None, "signed in again"


def test_the_guard_is_only_for_locking(qtbot: QtBot, shell: Shell) -> None:
    """At start-up and after signing out the sign-in screen takes keys at once."""
    window = lock_screen(qtbot, shell)
    assert not window.guarding
    window.username.setFocus()
    qtbot.keyClicks(window.username, "t.nowak")
    assert window.username.text() == "t.nowak"

    signed_in(qtbot, shell)
    shell.sign_out()
    window = lock_screen(qtbot, shell)
    assert not window.guarding
    qtbot.keyClicks(window.passphrase, "abc")
    assert window.passphrase.text() == "abc"


def test_the_guard_starts_when_the_lock_screen_appears(qtbot: QtBot, shell: Shell) -> None:
    signed_in(qtbot, shell)
    shell.lock()
    window = lock_screen(qtbot, shell)
    qtbot.wait(LOCK_GUARD_MS // 2)
    qtbot.keyClicks(window.passphrase, "typed too soon")
    assert window.passphrase.text() == ""
    qtbot.wait(LOCK_GUARD_MS // 2 + 100)
    qtbot.keyClicks(window.passphrase, "x")
    assert window.passphrase.text() == "x"
