"""Start-up shows sign-in before the services exist (docs/performance.md, "cold start"):
the shell builds them just after the window's first paint, or at once when Sign in is
pressed sooner, and the demo sign-in appears once they are built."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.ui.shell import Shell
from tests.fakes import FakeClock, services_for
from tests.gui.conftest import LEAD, NOW, PASSPHRASE, SCHOOL, make_accounts
from tests.gui.form_support import signed_in as finish_sign_in


class Builder:
    """Builds the real services on demand and counts how often it was asked."""

    def __init__(self, data_dir: Path, fail: bool = False) -> None:
        self.data_dir = data_dir
        self.fail = fail
        self.calls = 0

    def __call__(self) -> AccountService:
        self.calls += 1
        if self.fail:
            raise InvalidInput("The pick-lists file could not be read.")
        return make_accounts(self.data_dir, FakeClock(NOW))


@pytest.fixture
def shells() -> Iterator[list[Shell]]:
    made: list[Shell] = []
    yield made
    for shell in made:
        if shell.main is not None:
            shell.quit()
        if shell.sign_in is not None:
            shell.sign_in.close()


def start(shells: list[Shell], build: Callable[[], AccountService]) -> Shell:
    shell = Shell(build, services_for, idle_ms=60_000, autosave_ms=60_000)
    shells.append(shell)
    shell.start(set_up=True)
    return shell


def test_sign_in_shows_first_and_the_services_are_built_after_its_first_paint(
    qtbot: QtBot, data_dir: Path, shells: list[Shell]
) -> None:
    build = Builder(data_dir)
    shell = start(shells, build)
    window = shell.sign_in
    assert window is not None and window.isVisible()
    assert build.calls == 0 and not shell.accounts_ready
    with qtbot.waitSignal(shell.first_window_shown, timeout=2000):
        qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: shell.accounts_ready, timeout=2000)
    assert build.calls == 1
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    assert shell.main is not None and shell.main.isVisible()
    assert build.calls == 1


def test_sign_in_pressed_before_the_services_are_ready_builds_them_then_signs_in(
    qtbot: QtBot, data_dir: Path, shells: list[Shell]
) -> None:
    build = Builder(data_dir)
    shell = start(shells, build)
    window = shell.sign_in
    assert window is not None
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()  # no event processed yet: nothing was painted
    assert build.calls == 1
    finish_sign_in(qtbot, window)
    assert shell.main is not None and shell.main.isVisible()
    assert shell.services is not None and shell.services.user.username == LEAD


def test_the_demo_sign_in_appears_once_the_services_are_built(
    qtbot: QtBot, tmp_path: Path, shells: list[Shell]
) -> None:
    folder = tmp_path / "demo"
    make_accounts(folder, FakeClock(NOW)).set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Amara Okafor",
            admin_username="demo.head",
            passphrase=PASSPHRASE,
            demo=True,
        )
    ).session.close()
    shell = start(shells, Builder(folder))
    window = shell.sign_in
    assert window is not None
    assert not window.demo.isVisible()  # not known before the services are built
    qtbot.waitUntil(lambda: window.demo.isVisible(), timeout=2000)
    assert "demo.head" in window.demo.text()
    assert PASSPHRASE in window.demo.text()


def test_services_that_cannot_be_built_are_explained_on_the_sign_in_window(
    qtbot: QtBot, data_dir: Path, shells: list[Shell]
) -> None:
    build = Builder(data_dir, fail=True)
    shell = start(shells, build)
    window = shell.sign_in
    assert window is not None
    qtbot.waitUntil(lambda: build.calls == 1, timeout=2000)
    assert "pick-lists file could not be read" in window.message.text()
    window.message.clear()
    window.username.setText(LEAD)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    assert build.calls == 2
    assert "pick-lists file could not be read" in window.message.text()
    assert shell.main is None
