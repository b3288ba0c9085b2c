"""Every window and dialog the app can open has a title: the taskbar, Alt+Tab and a
screen reader announce it. Each GUI test checks the windows it sees (tests/gui/
conftest.py); this one opens everything the menus, a record and the form can open,
for each kind of account. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPushButton, QWidget

from incident_recorder.domain.model import Incident
from incident_recorder.domain.steps import Step
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.quick_add import QuickAddPupilDialog, QuickAddStaffDialog
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, PASSPHRASE
from tests.gui.window_titles import ShownWindows

Submit = Callable[..., Incident]
ENDS_THE_SESSION = {"&Lock", "Sign &out", "&Quit"}


@pytest.fixture
def answering(windows_have_titles: ShownWindows) -> Iterator[ShownWindows]:
    """Every dialog is answered Cancel as soon as it shows (a modal one would wait)."""

    def cancel(dialog: QDialog) -> None:
        QTimer.singleShot(0, dialog.reject)

    windows_have_titles.on_dialog = cancel
    yield windows_have_titles
    windows_have_titles.on_dialog = None


def patient(prompter: ScriptedPrompter) -> ScriptedPrompter:
    """A prompter that answers No (and Cancel) to every question it is asked."""
    prompter.confirm_answers.extend([False] * 100)
    prompter.text_answers.extend([None] * 100)
    return prompter


def actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from actions(sub)
        elif not action.isSeparator() and action.isEnabled():
            yield action


def open_everything(qtbot: QtBot, window: MainWindow, record: Incident) -> list[str]:
    """Trigger every menu action, then every button of a record, and of the form."""
    triggered = []
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for action in actions(menu):
            if action.text() not in ENDS_THE_SESSION:
                triggered.append(action.text().replace("&", ""))
                action.trigger()
                qtbot.wait(20)
    view = window.windows.open_record(record.id)
    if view is None:  # an administrator reads no records
        return triggered
    for button in view.findChildren(QPushButton):
        if button.isVisible() and button.isEnabled() and button is not view.close_button:
            triggered.append(button.text().replace("&", ""))
            button.click()
            qtbot.wait(20)
    return triggered


def test_every_window_the_app_opens_has_a_title(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    account_service: AccountService,
    submit_record: Submit,
    answering: ShownWindows,
) -> None:
    record = submit_record("Leo Fernandes")
    sessions = [session, account_service.sign_in(ADMIN, PASSPHRASE)]
    for signed_in in sessions:
        window = MainWindow(
            services_for(signed_in, account_service.keyring), patient(prompter), autosave_ms=60_000
        )
        qtbot.addWidget(window)
        window.show()
        try:
            triggered = open_everything(qtbot, window, record)
            assert "User guide" in triggered and "About Incident Recorder" in triggered
            if signed_in is session:
                form = window.windows.new_incident()
                assert isinstance(form, IncidentForm)
                form.go_to(Step.WHO)
                form.who.pupil.add_button.click()
                form.who.new_staff_button.click()
                qtbot.wait(20)
        finally:
            window.shut_down()
    sessions[1].close()

    shown = {name for name, _ in answering.shown}
    for expected in (
        "MainWindow",
        "RecordView",
        "IncidentForm",
        "QuickAddPupilDialog",
        "QuickAddStaffDialog",
        "AboutDialog",
        "GuideDialog",
        "PupilsWindow",
        "AccountsWindow",
        "SchoolSettingsDialog",
        "LetterWordingDialog",
        "RecordCopyChooser",
    ):
        assert expected in shown, f"{expected} was not opened"
    assert answering.untitled() == []


def test_the_quick_add_dialogs_say_what_they_are_for(
    qtbot: QtBot, directory: DirectoryService
) -> None:
    pupil = QuickAddPupilDialog(directory)
    staff = QuickAddStaffDialog(directory)
    for dialog in (pupil, staff):
        qtbot.addWidget(dialog)
    assert pupil.windowTitle() == "Add a pupil who is not on the list"
    assert staff.windowTitle() == "Add someone who is not on the staff list"


def test_an_untitled_window_would_be_caught(
    qtbot: QtBot, windows_have_titles: ShownWindows
) -> None:
    """The check itself: a dialog without a title, and a titled one."""
    shown = ShownWindows()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(shown)
    try:
        untitled, titled = QDialog(), QDialog()
        titled.setWindowTitle("Titled")
        bare = QWidget()  # a test's own scaffolding: not counted
        for widget in (untitled, titled, bare):
            qtbot.addWidget(widget)
            widget.show()
    finally:
        app.removeEventFilter(shown)
    assert shown.shown == [("QDialog", ""), ("QDialog", "Titled")]
    assert shown.untitled() == ["QDialog"]
    assert windows_have_titles.untitled() == ["QDialog"]  # this test's own check saw it too
    windows_have_titles.shown.clear()
