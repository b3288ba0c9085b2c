"""The pupil import wizard, driven from the keyboard (the file chooser is injected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from incident_recorder.domain.mis_import import MisField
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.pupils import PupilService
from incident_recorder.services.session import Session
from incident_recorder.ui.pupils.import_wizard import BLOCKED, ImportPupilsWizard

MIS = Path(__file__).parents[1] / "fixtures" / "mis"
SIMS = MIS / "sims-style.csv"


def make_wizard(qtbot: QtBot, session: Session, path: Path) -> ImportPupilsWizard:
    wizard = ImportPupilsWizard(PupilImportService(session), lambda _parent: path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def press(qtbot: QtBot, wizard: ImportPupilsWizard, key: Qt.Key) -> None:
    """Alt+``key``: a mnemonic "clicks" its button shortly, so wait for the page to move."""
    before = wizard.currentId()
    qtbot.keyClick(wizard.focusWidget() or wizard, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=1000)


def choose_file(qtbot: QtBot, wizard: ImportPupilsWizard) -> None:
    wizard.file_page.choose_button.setFocus()
    qtbot.keyClick(wizard.file_page.choose_button, Qt.Key.Key_Space)


def next_page(qtbot: QtBot, wizard: ImportPupilsWizard) -> None:
    press(qtbot, wizard, Qt.Key.Key_N)


def test_imports_the_sims_file_from_the_keyboard(qtbot: QtBot, session: Session) -> None:
    wizard = make_wizard(qtbot, session, SIMS)
    before = len(PupilService(session).search())
    choose_file(qtbot, wizard)
    assert wizard.file_page.file_label.text() == "sims-style.csv"
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.combos[MisField.LAST_NAME].currentText() == "Legal Surname"
    assert wizard.mapping_page.samples[MisField.LAST_NAME].text().startswith("Nowak, Ó Briain")
    next_page(qtbot, wizard)
    page = wizard.preview_page
    assert wizard.currentPage() is page
    assert page.new.text() == "30"
    assert page.updated.text() == "0"
    assert page.blocked.isHidden()
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isEnabled() and commit.text() == "&Import"
    press(qtbot, wizard, Qt.Key.Key_I)
    assert wizard.currentPage() is wizard.summary_page
    assert "30 new" in wizard.summary_page.text.text()
    pupils = PupilService(session).search()
    assert len(pupils) == before + 30
    nowak = next(p for p in pupils if p.last_name == "Nowak" and p.first_name == "Tomasz")
    assert nowak.class_name == "2O" and nowak.contacts[0].name == "Nia Nowak"


def test_reimport_shows_updated_not_new(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    PupilImportService(session).run(SIMS.read_bytes())
    text = SIMS.read_text(encoding="utf-8-sig").replace(",2,2O,", ",3,3O,", 1)
    changed = tmp_path / "again.csv"
    changed.write_text(text, encoding="utf-8")
    wizard = make_wizard(qtbot, session, changed)
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.preview_page
    assert (page.new.text(), page.updated.text(), page.unchanged.text()) == ("0", "1", "29")


def test_problems_keep_import_disabled_and_are_listed(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    lines = SIMS.read_text(encoding="utf-8-sig").splitlines()
    fields = lines[1].split(",")
    fields[4] = "31/02/2018"  # no such date
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], ",".join(fields), lines[2], lines[2]]), encoding="utf-8")
    wizard = make_wizard(qtbot, session, bad)
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.preview_page
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any(p.startswith("Row 2:") and "date" in p.lower() for p in problems)
    assert any("appears twice" in p for p in problems)
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert page.blocked.isVisible() and page.blocked.text() == BLOCKED
    assert len(PupilService(session).search()) == 4  # nothing written


def test_a_remapped_column_changes_what_is_imported(qtbot: QtBot, session: Session) -> None:
    wizard = make_wizard(qtbot, session, SIMS)
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    combo = wizard.mapping_page.combos[MisField.CLASS_NAME]
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Year"))
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # then back up with the keyboard
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentText() == "Year"
    next_page(qtbot, wizard)
    press(qtbot, wizard, Qt.Key.Key_I)
    assert wizard.currentPage() is wizard.summary_page
    nowak = next(p for p in PupilService(session).search("Nowak") if p.first_name == "Tomasz")
    assert nowak.class_name == "2"


def test_the_upn_column_is_needed(qtbot: QtBot, session: Session) -> None:
    wizard = make_wizard(qtbot, session, SIMS)
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    page.combos[MisField.UPN].setCurrentIndex(0)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "UPN" in page.hint.text()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"\x00\x01PK\x03\x04binary", "not a CSV file"), (b"", "empty")],
)
def test_a_malformed_file_is_explained_on_the_first_page(
    qtbot: QtBot, session: Session, tmp_path: Path, content: bytes, words: str
) -> None:
    bad = tmp_path / "pupils.csv"
    bad.write_bytes(content)
    wizard = make_wizard(qtbot, session, bad)
    choose_file(qtbot, wizard)
    assert wizard.currentPage() is wizard.file_page
    assert words in wizard.file_page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
