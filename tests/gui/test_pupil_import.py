"""The pupil import wizard, driven from the keyboard (the file chooser is injected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QWizard

from incident_recorder.domain.mis_import import MisField
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.pupils import PupilService
from incident_recorder.services.session import Session
from incident_recorder.ui.pupils.import_pages import NOT_IN_FILE
from incident_recorder.ui.pupils.import_wizard import BLOCKED, ImportPupilsWizard
from tests.gui.form_support import background_for

MIS = Path(__file__).parents[1] / "fixtures" / "mis"
SIMS = MIS / "sims-style.csv"
SIMS_PRIORITY = MIS / "sims-priority-contacts.csv"


def make_wizard(qtbot: QtBot, session: Session, path: Path) -> ImportPupilsWizard:
    wizard = ImportPupilsWizard(
        PupilImportService(session), background_for(session), lambda _parent: path
    )
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


def tree_texts(tree: QTreeWidget) -> list[list[str]]:
    """Each group's heading followed by its rows, as the tree shows them."""
    groups = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        children = [item.child(j) for j in range(item.childCount())]
        groups.append([item.text(0), *(c.text(0) for c in children if c is not None)])
    return groups


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
    problems = [text for group in tree_texts(page.problems) for text in group]
    assert any(p.startswith("Row 2:") and "date" in p.lower() for p in problems)
    assert any("appears twice" in p for p in problems)
    groups = [page.problems.topLevelItem(i) for i in range(page.problems.topLevelItemCount())]
    assert len(groups) == 2 and all(g is not None and g.isExpanded() for g in groups)  # few
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


def test_the_preview_says_how_parents_were_read(qtbot: QtBot, session: Session) -> None:
    wizard = make_wizard(qtbot, session, SIMS_PRIORITY)
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    assert page.combos[MisField.CONTACT1_SURNAME].currentText() == "Priority 1 Contact Surname"
    assert (
        page.combos[MisField.CONTACT2_PARENTAL_RESPONSIBILITY].currentText()
        == "Priority 2 Contact Parental Responsibility"
    )
    assert page.combos[MisField.CONTACT1_RECEIVES_CORRESPONDENCE].currentText() == NOT_IN_FILE
    next_page(qtbot, wizard)
    preview = wizard.preview_page
    notes = preview.contact_notes.text()
    assert preview.contact_notes.isVisible()
    assert "44 of them will be sent letters" in notes
    assert (
        "no column saying who receives correspondence, so everyone with parental "
        "responsibility will be sent letters (44)" in notes
    )
    assert tree_texts(preview.problems) == [["None: every row can be imported."]]
    press(qtbot, wizard, Qt.Key.Key_I)
    assert wizard.currentPage() is wizard.summary_page


def _many_problems(tmp_path: Path) -> Path:
    """The SIMS file with typing slips in 27 UPNs, one impossible date and a bad sex."""
    lines = SIMS.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0]]
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if n <= 28:
            cells[0] = ("B" if cells[0][0] != "B" else "C") + cells[0][1:]
        elif n == 29:
            cells[4] = "31/02/2014"
        elif n == 30:
            cells[7] = "X"
        out.append(",".join(cells))
    path = tmp_path / "slips.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_problems_are_grouped_by_kind_and_each_group_opens_to_its_rows(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    wizard = make_wizard(qtbot, session, _many_problems(tmp_path))
    choose_file(qtbot, wizard)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.preview_page
    tree = page.problems
    assert page.problems_label.text() == (
        "&Problems found in the file (29 problems in 29 rows), most serious first:"
    )
    groups = tree_texts(tree)
    assert [g[0] for g in groups] == [
        "27 rows: the UPN's check letter does not match (often a typing slip) (for example "
        f"row 2: '{groups[0][1].split(chr(39))[1]}')",
        "1 row: the date of birth is not a real date (row 29: '31/02/2014')",
        "1 row: the sex is not one the import knows (M or F) (row 30: 'X')",
    ]
    assert len(groups[0]) == 1 + 27 and groups[0][1].startswith("Row 2: ")
    assert groups[1][1:] == ["Row 29: the date of birth '31/02/2014' is not a real date."]
    first = tree.topLevelItem(0)
    assert first is not None and not first.isExpanded()  # many problems: groups closed
    assert tree.accessibleName() == "Problems found in the file"
    # From the keyboard: Alt+P to the list, Right opens the group, Down reaches its rows.
    qtbot.keyClick(wizard, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert tree.hasFocus() and tree.currentItem() is first
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert first.isExpanded()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    current = tree.currentItem()
    assert current is not None and current.text(0) == groups[0][1]
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
