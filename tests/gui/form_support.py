"""Helpers for the incident form's GUI tests: show a form, and drive it with the
keyboard as the window system would (the data comes from tests/gui/conftest.py)."""

from __future__ import annotations

from typing import TypeVar

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from incident_recorder.domain.model import Incident
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.background import Background
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.rows import Row, RowsEditor
from incident_recorder.ui.prompter import Prompter, ScriptedPrompter
from tests.fakes import services_for

P = TypeVar("P", bound=StepPage)
R = TypeVar("R", bound=Row)


def show_form(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    incident: Incident,
    prompter: ScriptedPrompter,
    amend: bool = False,
    autosave_ms: int = 60_000,
) -> IncidentForm:
    """The form in its own active window, as the main window would show it."""
    form = IncidentForm(
        incidents, directory, incident, prompter, amend=amend, autosave_ms=autosave_ms
    )
    qtbot.addWidget(form)
    form.resize(1200, 850)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    qtbot.waitUntil(form.isActiveWindow)
    return form


def page(form: IncidentForm, kind: type[P]) -> P:
    """The form's page for ``kind``'s step (the form keeps them in step order), typed."""
    found = form.pages[list(Step).index(kind.step)]
    assert isinstance(found, kind), f"the {kind.step.name} page is a {type(found).__name__}"
    return found


def row(editor: RowsEditor, index: int, kind: type[R]) -> R:
    """Row ``index`` of a rows editor, typed as the kind of row it makes."""
    found = editor.rows()[index]
    assert isinstance(found, kind), f"row {index} is a {type(found).__name__}"
    return found


# --------------------------------------------------------------------------- keyboard


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def receiver() -> QWidget:
    """Where the window system delivers a key press: an open popup (a completer's list, a
    calendar) and the widget focused inside it first, else the focused widget."""
    popup = QApplication.activePopupWidget()
    widget = (popup.focusWidget() or popup) if popup is not None else QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _is(target: QWidget, widget: QWidget | None) -> bool:
    if widget is None:
        return False
    proxy = target
    while (inner := proxy.focusProxy()) is not None:
        proxy = inner
    return widget is target or widget is proxy


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 25) -> None:
    """Press Tab until ``target`` has the focus (proving it is reachable by keyboard)."""
    for _ in range(limit):
        if _is(target, focused()):
            return
        qtbot.keyClick(receiver(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target}")


def key(
    qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(receiver(), k, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(receiver(), text)


def signed_in(qtbot: QtBot, window: QWidget) -> None:
    """Wait while the sign-in window checks the passphrase on its worker thread."""
    qtbot.waitUntil(lambda: not getattr(window, "signing_in", False), timeout=10_000)


def background_for(session: Session, prompter: Prompter | None = None) -> Background:
    """The background helper a main window gives its screens, for ``session``."""
    return Background(services_for(session), prompter)
