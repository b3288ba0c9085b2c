"""Long text: every text box with a limit counts what is typed ("1,234 / 8,000
characters"), says plainly when it is over, keeps every character, and Submit waits
until it is shortened. Everyone named here is fictional."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from incident_recorder.domain.model import Pupil, StaffMember
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.step_parents import ParentsPage
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.form.widgets import TextArea
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY
from tests.gui.form_support import key, page, show_form, type_text

PARAGRAPH = "At 10:05 the pupil climbed onto the desk and shouted at the class. " * 150


def test_a_long_account_is_counted_kept_and_holds_back_submit(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Maya Chen"].id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    draft = incidents.new_draft(details)
    form = show_form(qtbot, incidents, directory, draft, prompter)
    form.go_to(Step.WHAT_HAPPENED)
    what = page(form, WhatHappenedPage)
    slot = what.slots["account"]
    counter = slot.counter
    assert counter is not None and counter.isVisible()
    start = len(details.what_happened.account)
    assert counter.text() == f"{start} / 8,000 characters"
    assert "8,000 characters" in what.account.accessibleDescription()

    # An accidental paste of a long document at the end of the account.
    what.account.setFocus()
    key(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QGuiApplication.clipboard().setText(PARAGRAPH)
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    typed = details.what_happened.account + PARAGRAPH
    assert len(typed) > 10_000
    assert what.account.toPlainText() == typed, "nothing is cut off"
    over = len(typed) - 8000
    assert counter.text() == f"{len(typed):,} / 8,000 characters ({over:,} over the limit)"
    assert counter.property("over") is True
    assert counter.text() in what.account.accessibleDescription()

    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHAT_HAPPENED) == "1 to do")
    assert "The account of the incident is too long to submit" in slot.message.text()
    assert f"Please shorten it by {over:,} characters" in slot.message.text()
    assert "too long to submit" in what.account.accessibleDescription()
    form.go_to(Step.REVIEW)
    assert not form.review.submit.isEnabled()
    form.flush()
    assert incidents.open(draft.id).details.what_happened.account == typed, "saved in full"
    what.grab().save("/work/notes/shots/length-counter-over.png")

    # Shortened to the limit: the counter is calm again and Submit is back.
    form.go_to(Step.WHAT_HAPPENED)
    what.account.setPlainText(typed[:8000])
    assert counter.text() == "8,000 / 8,000 characters"
    assert counter.property("over") is False
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHAT_HAPPENED) == "✓")
    form.go_to(Step.REVIEW)
    assert form.review.submit.isEnabled()


def test_the_summary_for_parents_has_a_short_limit_and_every_text_box_a_counter(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    for step_page in form.pages[:-1]:
        for name, slot in step_page.slots.items():
            if isinstance(slot.input, TextArea):
                assert slot.counter is not None, f"{step_page.step.value}.{name} has no counter"
    form.go_to(Step.PARENTS)
    parents = page(form, ParentsPage)
    parents.status.button_for(next(iter(parents.status._values))).click()
    parents.summary_for_parents.setFocus()
    type_text(qtbot, "Your child was upset after lunch.")
    counter = parents.slots["summary_for_parents"].counter
    assert counter is not None
    assert counter.text() == "33 / 1,500 characters"
    assert "33 / 1,500 characters" in parents.summary_for_parents.accessibleDescription()
