"""Administration ▸ School calendar… (issue 14): the administrator sees the standard
English dates until the school keeps its own, adds an INSET day and a term from the
keyboard, is told plainly what cannot be saved, puts the standard dates for a school
year in, saves (audited) and goes back to the standard dates. Only administrators have
the menu item. Everyone here is fictional."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPushButton, QTableView

from incident_recorder.domain.calendar import Closure
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.calendar import CalendarService
from incident_recorder.services.session import Session
from incident_recorder.ui.calendar.dialog import SchoolCalendarDialog
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


def _cells(table: QTableView, row: int) -> list[str]:
    model = table.model()
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def _rows(table: QTableView) -> list[list[str]]:
    return [_cells(table, r) for r in range(table.model().rowCount())]


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_the_administrator_keeps_the_schools_calendar(
    qtbot: QtBot, admin: Session, prompter: ScriptedPrompter
) -> None:
    service = CalendarService(admin)
    dialog = SchoolCalendarDialog(service, prompter)
    qtbot.addWidget(dialog)
    dialog.show()
    # Friday 20/03/2026: the standard dates for 2024/25 to 2026/27 are shown.
    assert "standard English term dates are in use" in dialog.state.text()
    terms = _rows(dialog.terms.table)
    assert terms[6][:3] == ["Autumn 1", "03/09/2025", "24/10/2025"]
    assert ["Autumn 1", "02/09/2026", "23/10/2026"] in [row[:3] for row in terms]
    assert dialog.problem.text() == ""
    assert "2025/26: " in dialog.summary.text()
    # Every input is named for screen readers.
    for widget in dialog.findChildren(QLineEdit) + dialog.findChildren(QPushButton):
        if widget.isVisibleTo(dialog) and widget.objectName() != "qt_spinbox_lineedit":
            assert widget.accessibleName() or widget.text(), widget

    # An INSET day, typed and added from the keyboard.
    closures = dialog.closures
    _type(qtbot, closures.day.edit, "14/09/2026")
    _type(qtbot, closures.reason, "INSET day")
    closures.add_button.setFocus()
    qtbot.keyClick(closures.add_button, Qt.Key.Key_Space)
    assert ["14/09/2026", "Monday", "INSET day"] in _rows(closures.table)
    # A closure in the half term is refused, in plain words, before saving.
    _type(qtbot, closures.day.edit, "28/10/2026")
    _type(qtbot, closures.reason, "Training")
    closures.add_button.click()
    assert "28/10/2026 is not in any term" in dialog.problem.text()
    row = [r[0] for r in _rows(closures.table)].index("28/10/2026")
    closures.table.selectRow(row)
    closures.table.setFocus()
    qtbot.keyClick(closures.table, Qt.Key.Key_Delete)
    assert "28/10/2026" not in [r[0] for r in _rows(closures.table)]
    assert dialog.problem.text() == ""

    # A term overlapping another is shown as a problem, and Save refuses it.
    panel = dialog.terms
    _type(qtbot, panel.name, "Extra week")
    _type(qtbot, panel.first.edit, "19/10/2026")
    _type(qtbot, panel.last.edit, "23/10/2026")
    panel.add_button.click()
    assert "overlaps Autumn 1" in dialog.problem.text()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and service.is_standard()
    # Changed instead into the half term's week... still overlapping nothing else? No:
    # remove it.
    row = [r[0] for r in _rows(panel.table)].index("Extra week")
    panel.table.selectRow(row)
    assert panel.name.text() == "Extra week"  # choosing a row fills the fields
    panel.remove_button.click()
    assert dialog.problem.text() == ""
    # A term is changed: choose it, change its last day.
    row = [r[1] for r in _rows(panel.table)].index("02/09/2026")
    panel.table.selectRow(row)
    _type(qtbot, panel.last.edit, "22/10/2026")
    panel.change_button.click()
    assert ["Autumn 1", "02/09/2026", "22/10/2026"] in [r[:3] for r in _rows(panel.table)]
    if SHOTS:
        QApplication.processEvents()
        dialog.grab().save(os.path.join(SHOTS, "14-school-calendar-dialog.png"))

    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.accepted.emit()
    kept = service.calendar()
    assert not service.is_standard()
    assert Closure(date(2026, 9, 14), "INSET day") in kept.closures
    assert not kept.is_school_day(date(2026, 10, 23))
    entry = admin.store.audit.entries()[0]  # the newest
    assert entry.action == "settings_changed" and entry.detail.startswith("school calendar")

    # Reopened: the school's own dates; the standard for 2027/28 put in; then going back.
    again = SchoolCalendarDialog(service, prompter)
    qtbot.addWidget(again)
    assert again.state.text() == "The school's own dates are in use."
    again.year_choice.setCurrentIndex(again.year_choice.findText("2027/28"))
    assert again.standard_button.text() == "&Use standard English term dates for 2027/28"
    again.standard_button.click()
    assert ["Summer 2", "05/06/2028", "21/07/2028"] in [r[:3] for r in _rows(again.terms.table)]
    assert again.problem.text() == ""
    prompter.confirm_answers.append(True)
    again.reset_button.click()
    assert service.is_standard()
    assert "standard English term dates are in use" in again.state.text()
    assert not again.reset_button.isEnabled()


def _menu_texts(window: MainWindow) -> list[str]:
    texts: list[str] = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [a.text() for a in menu.actions()]
    return texts


@pytest.mark.parametrize(("username", "shown"), [(ADMIN, True), (LEAD, False)])
def test_only_administrators_have_the_school_calendar(
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
        assert ("School &calendar…" in _menu_texts(window)) is shown
    finally:
        window.shut_down()
        session.close()
