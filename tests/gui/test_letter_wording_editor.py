"""Administration ▸ Letter wording…: the wording, a live sample letter, problems in
plain words (Save off while any), placeholders, versions, restoring the shipped wording
and the question about unsaved changes. Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from incident_recorder.infra.letter_resources import default_letter_template
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.letter_templates import LetterTemplateService, default_template
from incident_recorder.services.session import Session
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.letters_admin.editor import LetterWordingDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import RENDERER
from tests.gui.conftest import ADMIN, PASSPHRASE
from tests.gui.form_support import background_for


@pytest.fixture
def admin(account_service: AccountService) -> Iterator[Session]:
    session = account_service.sign_in(ADMIN, PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def editor(
    qtbot: QtBot, admin: Session, prompter: ScriptedPrompter
) -> Iterator[LetterWordingDialog]:
    dialog = LetterWordingDialog(
        LetterTemplateService(admin, default_letter_template(), RENDERER),
        SettingsService(admin),
        prompter,
        background_for(admin, prompter),
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    if dialog.isVisible():
        prompter.confirm_answers.append(True)  # leave without saving
        dialog.close()
    dialog.deleteLater()


def test_it_opens_on_the_wording_in_use_with_a_sample_letter(editor: LetterWordingDialog) -> None:
    assert editor.text() == default_template(default_letter_template()).text
    assert editor.preview_pages() >= 1
    assert not editor.save_button.isEnabled()  # nothing changed yet
    assert editor.history.itemText(editor.history.count() - 1) == "Shipped default"
    buddies = {label.buddy() for label in editor.findChildren(QLabel) if label.buddy()}
    assert {editor.editor, editor.placeholders, editor.history} <= buddies


def test_a_bad_placeholder_is_explained_and_save_is_off(
    qtbot: QtBot, editor: LetterWordingDialog
) -> None:
    editor.editor.setFocus()
    qtbot.keyClicks(editor.editor, " {childs_name}")
    assert editor.problems.isVisible()
    assert "childs_name" in editor.problems.text()
    assert not editor.save_button.isEnabled()


def test_saving_makes_version_1_and_restoring_loads_the_shipped_wording(
    qtbot: QtBot, editor: LetterWordingDialog, admin: Session
) -> None:
    editor.editor.setPlainText("Dear parent, {child} was held on {date}.\n")
    with qtbot.waitSignal(editor.timer.timeout, timeout=2000):
        pass  # the sample letter is made again once typing stops
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.wording_saved) as saved:
        editor.save_button.click()
    assert saved.args == [1]
    assert "Saved as version 1" in editor.message.text()
    assert LetterTemplateService(admin, default_letter_template(), RENDERER).current().version == 1
    assert editor.history.itemText(0).startswith("Version 1 — saved ")
    editor.restore_button.click()
    assert editor.text() == default_template(default_letter_template()).text
    assert (
        LetterTemplateService(admin, default_letter_template(), RENDERER).current().version == 1
    )  # not saved until Save


def test_double_clicking_a_placeholder_inserts_it(
    qtbot: QtBot, editor: LetterWordingDialog
) -> None:
    editor.editor.setPlainText("")
    item = editor.placeholders.item(0)
    rect = editor.placeholders.visualItemRect(item)
    qtbot.mouseClick(editor.placeholders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(editor.placeholders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.text() == "{child}"
    qtbot.keyClick(editor.placeholders, Qt.Key.Key_Down)
    editor.placeholders.setFocus()
    qtbot.keyClick(editor.placeholders, Qt.Key.Key_Return)
    assert editor.text() == "{child}{child_full_name}"


def test_closing_with_unsaved_changes_asks_first(
    editor: LetterWordingDialog, prompter: ScriptedPrompter
) -> None:
    editor.editor.appendPlainText("One more line.")
    prompter.confirm_answers.append(False)
    editor.close_button.click()
    assert editor.isVisible()
    prompter.confirm_answers.append(True)
    editor.close_button.click()
    assert not editor.isVisible()
    assert len(prompter.asked) == 2


def test_a_wording_that_cannot_tell_the_whole_truth_is_cautioned_but_may_be_saved(
    qtbot: QtBot, editor: LetterWordingDialog
) -> None:
    assert not editor.cautions.isVisible()  # the shipped wording tells every case
    older = (
        "On {date} an adult needed to hold {child}.\n\n# What happened\n{summary}\n\n"
        "# Talking to us\nPlease call {contact_name}. Reference {reference}."
    )
    editor.editor.setPlainText(older)
    qtbot.waitUntil(lambda: editor.cautions.isVisible())
    text = editor.cautions.text()
    assert "no place for time on the floor ({floor})" in text
    assert "({breathing_concern})" in text
    assert "says the child was held even when the record shows no hold" in text
    assert not editor.problems.isVisible() and editor.save_button.isEnabled()
