"""Administration ▸ School details and letters…: an administrator types the school's
letterhead and the letter settings, saves, and sees them again; others have no such
menu item. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QLabel, QMenu

from incident_recorder.domain.model import SignatoryRole
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.session import Session
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.settings_dialog import SchoolSettingsDialog
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, LEAD, PASSPHRASE


@pytest.fixture
def admin(account_service: AccountService) -> Iterator[Session]:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    yield session
    session.close()


def open_dialog(qtbot: QtBot, session: Session) -> SchoolSettingsDialog:
    dialog = SchoolSettingsDialog(SettingsService(session))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_every_input_has_a_label_and_an_accessible_name(qtbot: QtBot, admin: Session) -> None:
    dialog = open_dialog(qtbot, admin)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for field in (dialog.school_name, dialog.address, dialog.signatory_role, dialog.contact_email):
        assert field in buddies
        assert field.accessibleName()


def test_the_dialog_saves_and_shows_the_settings_again(qtbot: QtBot, admin: Session) -> None:
    dialog = open_dialog(qtbot, admin)
    dialog.address.setPlainText("1 Orchard Lane\nCamden\nNW1 0AA")
    dialog.phone.setText("020 7946 0000")
    dialog.signatory_name.setText("Ms Adaeze Mensah")
    dialog.signatory_role.setCurrentIndex(
        dialog.signatory_role.findData(SignatoryRole.SAFEGUARDING_LEAD.value)
    )
    dialog.contact_name.setText("Mr Gethin Evans")
    dialog.contact_role.setText("Deputy headteacher")
    dialog.contact_email.setText("g.evans@larkfield.example.org")
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.buttons.accepted.emit()
    again = open_dialog(qtbot, admin)
    assert again.address.toPlainText() == "1 Orchard Lane\nCamden\nNW1 0AA"
    assert again.signatory_name.text() == "Ms Adaeze Mensah"
    assert again.signatory_role.currentData() == SignatoryRole.SAFEGUARDING_LEAD.value
    assert again.contact_email.text() == "g.evans@larkfield.example.org"
    assert again.contact_role.text() == "Deputy headteacher"


def test_the_desks_overdue_days_are_saved_and_audited(qtbot: QtBot, admin: Session) -> None:
    dialog = open_dialog(qtbot, admin)
    assert dialog.overdue_days.value() == 2 and dialog.overdue_days.accessibleName()
    dialog.address.setPlainText("1 Orchard Lane")
    dialog.signatory_name.setText("Ms Adaeze Mensah")
    dialog.contact_name.setText("Mr Gethin Evans")
    dialog.contact_email.setText("g.evans@larkfield.example.org")
    dialog.overdue_days.setValue(3)
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.buttons.accepted.emit()
    assert admin.settings().sign_off_overdue_school_days == 3
    assert open_dialog(qtbot, admin).overdue_days.value() == 3
    entries = [e for e in admin.store.audit.entries() if e.action == "settings_changed"]
    assert "sign-off overdue days" in {e.detail for e in entries}


def test_a_problem_is_shown_and_the_typing_stays(qtbot: QtBot, admin: Session) -> None:
    dialog = open_dialog(qtbot, admin)
    dialog.signatory_name.setText("")
    dialog.contact_name.setText("Mr Gethin Evans")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert "signs the letters" in dialog.message.text()
    assert dialog.contact_name.text() == "Mr Gethin Evans"


def _menu_texts(window: MainWindow) -> list[str]:
    texts = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [a.text() for a in menu.actions()]
    return texts


@pytest.mark.parametrize(("username", "shown"), [(ADMIN, True), (LEAD, False)])
def test_only_administrators_have_the_menu_item(
    qtbot: QtBot,
    account_service: AccountService,
    prompter: ScriptedPrompter,
    username: str,
    shown: bool,
) -> None:
    session = account_service.sign_in(username, PASSPHRASE)
    window = MainWindow(services_for(session), prompter, 60_000)
    qtbot.addWidget(window)
    try:
        assert ("School details and &letters…" in _menu_texts(window)) is shown
    finally:
        window.shut_down()
        session.close()


def test_the_reports_smallest_group_is_saved_and_audited(qtbot: QtBot, admin: Session) -> None:
    dialog = open_dialog(qtbot, admin)
    assert (dialog.min_on_roll.value(), dialog.min_with_incident.value()) == (10, 5)
    assert dialog.min_on_roll.accessibleName() == "Pupils on roll, at least"
    assert dialog.min_with_incident.accessibleName() == "With an incident, at least"
    dialog.address.setPlainText("1 Orchard Lane")
    dialog.signatory_name.setText("Ms Adaeze Mensah")
    dialog.contact_name.setText("Mr Gethin Evans")
    dialog.contact_email.setText("g.evans@larkfield.example.org")
    dialog.min_on_roll.setValue(20)
    dialog.min_with_incident.setValue(3)
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.buttons.accepted.emit()
    settings = admin.settings()
    assert (settings.report_min_on_roll, settings.report_min_with_incident) == (20, 3)
    again = open_dialog(qtbot, admin)
    assert (again.min_on_roll.value(), again.min_with_incident.value()) == (20, 3)
    entries = [e for e in admin.store.audit.entries() if e.action == "settings_changed"]
    assert "report group minimums 20 on roll, 3 with an incident" in {e.detail for e in entries}
