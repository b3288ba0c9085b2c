"""What each kind of intervention means (issue 13): the form shows the definitions where
staff choose the kind (the shipped wording until the administrator writes the school's
own), Administration ▸ What each kind means… edits them, only for administrators, and
"Use the shipped wording" puts the shipped text back. Everyone here is fictional."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QLabel, QMenu, QPlainTextEdit

from incident_recorder.domain.model import KindDefinitions
from incident_recorder.infra.definitions import shipped_definitions
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.session import Session
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.definitions_dialog import DefinitionsDialog
from incident_recorder.ui.form.step_intervention import InterventionPage
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, LEAD, PASSPHRASE

SHOTS = os.environ.get("SUPPLIED_SHOTS")  # a folder for the PNGs, when looking


@pytest.fixture
def admin(account_service: AccountService) -> Iterator[Session]:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    yield session
    session.close()


def test_the_form_shows_the_shipped_definitions_where_the_kind_is_chosen(
    qtbot: QtBot, admin: Session
) -> None:
    page = InterventionPage(admin.settings())
    qtbot.addWidget(page)
    label = page.definitions
    assert isinstance(label, QLabel) and label.accessibleName() == "What each kind means"
    text = label.text()
    shipped = shipped_definitions()
    for words in (shipped.reasonable_force, shipped.restraint, shipped.seclusion):
        assert words[:40] in text
    assert "not seclusion" in shipped.time_out and "supervised time out" in text
    assert "with force" in shipped.restraint and "without force" in shipped.restraint
    page.setWindowTitle("Incident form: the intervention")
    page.show()
    if SHOTS:
        page.resize(760, 900)
        QApplication.processEvents()
        page.grab().save(os.path.join(SHOTS, "13-supplied-form-definitions.png"))


def test_the_administrator_writes_the_schools_words_and_can_put_the_shipped_back(
    qtbot: QtBot, admin: Session
) -> None:
    service = SettingsService(admin)
    dialog = DefinitionsDialog(service)
    qtbot.addWidget(dialog)
    edits = dialog.findChildren(QPlainTextEdit)
    assert len(edits) == 4 and all(e.accessibleName() for e in edits)
    assert dialog.edits["seclusion"].toPlainText() == shipped_definitions().seclusion
    dialog.edits["seclusion"].setPlainText(
        "Seclusion at Fictional Oak: a child kept alone in the quiet room with the door shut."
    )
    if SHOTS:
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(os.path.join(SHOTS, "13-supplied-definitions-dialog.png"))
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.accepted.emit()
    saved = service.kind_definitions()
    # Only what differs from the shipped wording is kept; the rest follows the shipped.
    assert saved == KindDefinitions(
        seclusion="Seclusion at Fictional Oak: a child kept alone in the quiet room with the "
        "door shut."
    )
    assert any(e.action == "settings_changed" for e in admin.store.audit.entries())
    page = InterventionPage(admin.settings())
    qtbot.addWidget(page)
    assert "quiet room with the door shut" in page.definitions.text()
    assert shipped_definitions().reasonable_force[:40] in page.definitions.text()

    again = DefinitionsDialog(service)
    qtbot.addWidget(again)
    again.shipped_button.click()
    again.buttons.accepted.emit()
    assert service.kind_definitions() == KindDefinitions()


def _menu_texts(window: MainWindow) -> list[str]:
    texts: list[str] = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [a.text() for a in menu.actions()]
    return texts


@pytest.mark.parametrize(("username", "shown"), [(ADMIN, True), (LEAD, False)])
def test_only_administrators_may_edit_the_definitions(
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
        assert ("What each &kind means…" in _menu_texts(window)) is shown
        if not shown:
            from incident_recorder.domain.errors import NotAllowed

            with pytest.raises(NotAllowed):
                SettingsService(session).save_kind_definitions(
                    KindDefinitions(seclusion="Other words"), shipped_definitions()
                )
    finally:
        window.shut_down()
        session.close()
