"""Help ▸ User guide (F1, bundled, local files only) and Help ▸ About Incident Recorder
(version, licence, SQLCipher, encryption, data folder, audit chain head, Copy details)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from incident_recorder import __version__
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.about_dialog import AboutDialog
from incident_recorder.ui.help.guide_dialog import GuideDialog
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import services_for

SHOTS = os.environ.get("INCIDENT_RECORDER_SCREENSHOTS")


@pytest.fixture
def window(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> Iterator[Callable[[], MainWindow]]:
    made: list[MainWindow] = []

    def make() -> MainWindow:
        w = MainWindow(services_for(session), prompter, autosave_ms=60000)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):
            w.show()
            w.activateWindow()
        made.append(w)
        return w

    yield make
    for w in made:
        w.shut_down()


def _help_menu_titles(w: MainWindow) -> list[str]:
    for action in w.menuBar().actions():
        menu = action.menu()
        if action.text() == "&Help" and isinstance(menu, QMenu):
            return [a.text() for a in menu.actions()]
    return []


def test_the_help_menu_is_last_and_offers_the_guide_and_about(
    window: Callable[[], MainWindow],
) -> None:
    w = window()
    assert w.menuBar().actions()[-1].text() == "&Help"
    assert _help_menu_titles(w) == ["&User guide", "&About Incident Recorder"]


def test_f1_opens_the_bundled_guide_from_local_files(
    qtbot: QtBot, window: Callable[[], MainWindow]
) -> None:
    w = window()
    qtbot.keyClick(w, Qt.Key.Key_F1)
    guide = w.help_actions.guide
    assert guide is not None and guide.isVisible()
    source = guide.browser.source()
    assert source.isLocalFile() and source.toLocalFile().endswith("help/index.html")
    text = guide.browser.toPlainText()
    for heading in (
        "Signing in",
        "Recording an incident",
        "Amendments and sign-off",
        "Pupils and plans",
        "Letters to parents and carers",
        "Backups",
        "A forgotten passphrase",
    ):
        assert heading in text
    assert "recovery code" in text
    if SHOTS:
        guide.grab().save(str(Path(SHOTS) / "help-guide.png"))


def test_the_guide_follows_its_own_links_and_ignores_the_web(qtbot: QtBot) -> None:
    guide = GuideDialog()
    qtbot.addWidget(guide)
    start = guide.browser.source()
    guide._on_browser_anchor_clicked(QUrl("https://example.org/help"))
    assert guide.browser.source() == start
    guide._on_browser_anchor_clicked(QUrl("#backups"))
    assert guide.browser.source() == start


def test_a_missing_guide_says_so_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    guide = GuideDialog(tmp_path / "help" / "index.html")
    qtbot.addWidget(guide)
    assert "The user guide is missing" in guide.browser.toPlainText()


def test_about_shows_what_the_it_technician_needs_and_copies_it(
    qtbot: QtBot, window: Callable[[], MainWindow], session: Session, data_dir: Path
) -> None:
    w = window()
    w.help_actions.about_action.trigger()
    about = w.help_actions.about
    assert isinstance(about, AboutDialog)
    qtbot.waitUntil(about.isVisible)
    values = {name: label.text() for name, label in about.values.items()}
    head = session.store.audit.head()
    assert head is not None
    assert values["Version"].startswith(__version__)
    assert "MIT" in values["Licence"]
    assert values["SQLCipher"].startswith("4.")
    assert values["Encryption"].startswith("encrypted: AES-256")
    assert values["Data folder"] == str(data_dir)
    assert values["Audit log head"] == f"entry {head.seq}, {head.entry_hash[:8]}"
    for name, label in about.values.items():  # each value is labelled and reachable
        assert label.accessibleName() == name
        assert label.focusPolicy() == Qt.FocusPolicy.StrongFocus
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Audit log head: entry {head.seq}, {head.entry_hash[:8]}" in copied
    assert f"Data folder: {data_dir}" in copied
    assert about.status.text().startswith("Copied")
    if SHOTS:
        about.grab().save(str(Path(SHOTS) / "about.png"))
    about.close()
    QApplication.clipboard().clear()
