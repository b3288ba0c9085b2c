"""How the form greets staff: the cursor ready in the first field, every step in view."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.prompter import ScriptedPrompter


def _in_own_window(qtbot: QtBot, form: IncidentForm) -> QWidget:
    """As the main window does: the form is built first, then given a window."""
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(form)
    window.resize(1100, 700)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_a_new_record_starts_with_the_cursor_in_the_date(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = IncidentForm(incidents, directory, incidents.new_draft(), prompter)
    window = _in_own_window(qtbot, form)  # noqa: F841 - keeps the window alive
    first = form.pages[0].first_input()
    assert first is not None
    proxy = first
    while (inner := proxy.focusProxy()) is not None:
        proxy = inner

    def date_has_focus() -> bool:
        return QApplication.focusWidget() in (first, proxy)

    qtbot.waitUntil(date_has_focus, timeout=2000)


def test_every_step_is_listed_without_scrolling(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = IncidentForm(incidents, directory, incidents.new_draft(), prompter)
    window = _in_own_window(qtbot, form)  # noqa: F841 - keeps the window alive
    sidebar = form.sidebar
    last = sidebar.visualItemRect(sidebar.item(sidebar.count() - 1))
    assert last.bottom() <= sidebar.viewport().height()
    assert not sidebar.verticalScrollBar().isVisible()
