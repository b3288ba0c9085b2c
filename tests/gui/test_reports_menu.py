"""View ▸ Reports… on the real main window over real encrypted files: there for a
Safeguarding lead or Senior leader, and for nobody else (staff, a SENCO, the school
office, an administrator). Everyone named here is fictional."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QMenu

from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import AccountService, UserAdminService
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.reports.window import ReportsWindow
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, CHEAP_KDF, LEAD, PASSPHRASE, STAFF_ONLY

EXTRA = {
    "r.senco": ("Rhian Parry", frozenset({Role.STAFF, Role.SENCO}), "SENCO"),
    "d.office": ("Dana Whitlow", frozenset({Role.OFFICE}), "School office manager"),
}


def _view_entries(window: MainWindow) -> list[str]:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view, QMenu)
    return [a.text().replace("&", "") for a in view.actions() if a.isVisible()]


@pytest.mark.parametrize(
    ("username", "sees"),
    [(LEAD, True), (STAFF_ONLY, False), ("r.senco", False), ("d.office", False), (ADMIN, False)],
)
def test_view_reports_is_there_only_for_leads_and_senior_leaders(
    qtbot: QtBot,
    data_dir: Path,
    account_service: AccountService,
    prompter: ScriptedPrompter,
    username: str,
    sees: bool,
) -> None:
    if username in EXTRA:
        name, roles, title = EXTRA[username]
        admin = account_service.sign_in(ADMIN, PASSPHRASE)
        try:
            UserAdminService(admin, FileKeyVault(data_dir, CHEAP_KDF)).add_user(
                name, username, PASSPHRASE, roles, title
            )
        finally:
            admin.close()
    session = account_service.sign_in(username, PASSPHRASE)
    window = MainWindow(services_for(session), prompter, autosave_ms=60_000)
    qtbot.addWidget(window)
    try:
        assert ("Reports…" in _view_entries(window)) is sees
        if sees:
            assert window.reports_actions is not None
            window.reports_actions.action.trigger()
            reports = window.reports_actions.reports_window
            assert isinstance(reports, ReportsWindow) and reports.isVisible()
            # The periods come from the school's calendar (the standard English one).
            labels = [
                reports.picker.choice.itemText(i) for i in range(reports.picker.choice.count())
            ]
            assert labels[-1] == "Custom dates" and len(labels) == 5
            assert labels[0].startswith("This term")
        else:
            assert window.reports_actions is None
    finally:
        window.shut_down()
        session.close()
