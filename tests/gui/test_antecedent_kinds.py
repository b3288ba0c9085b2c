"""Kinds of antecedent in the form's "What happened" step: ticked by keyboard, kept in
a draft, shown in the record and named in the list of changes. Everyone is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from incident_recorder.domain.diff import changes
from incident_recorder.domain.model import Incident, IncidentDetails, WhatHappened
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form.step_what_happened import KINDS_QUESTION, WhatHappenedPage
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.gui.form_support import focused, key, page, show_form

KINDS = ("Demand or request", "Transition", "Conflict with a peer", "Noise or crowding")


@pytest.fixture
def school_kinds(directory: DirectoryService, monkeypatch: pytest.MonkeyPatch) -> None:
    """The school's list of kinds, whatever the bundled pick-lists say."""
    settings = dataclasses.replace(directory.settings(), antecedent_types=KINDS)
    monkeypatch.setattr(directory, "settings", lambda: settings)


def box(form_page: WhatHappenedPage, kind: str) -> QCheckBox:
    return form_page.antecedent_types.boxes[kind]


@pytest.mark.usefixtures("school_kinds")
def test_kinds_ticked_by_keyboard_are_saved_in_list_order_and_come_back(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter, autosave_ms=100)
    form.go_to(Step.WHAT_HAPPENED, focus=True)
    what = page(form, WhatHappenedPage)
    label = what.slots["antecedent_types"].label
    assert label.text().replace("&", "") == KINDS_QUESTION
    assert label.buddy() is what.antecedent_types  # its focus goes to the first kind
    assert what.antecedent_types.focusProxy() is box(what, KINDS[0])
    assert box(what, "Transition").accessibleName() == "Transition"

    # Focus starts in "What led up to it"; Tab goes on to the kinds beside it, walking
    # the boxes in reading order, then on to "What the pupil did".
    assert focused() is what.antecedents
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is box(what, KINDS[0])
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is box(what, "Conflict with a peer")
    key(qtbot, Qt.Key.Key_Space)
    assert box(what, "Conflict with a peer").isChecked()
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)  # once past the last kind, on to "What the pupil did"
    assert focused() is what.pupil_behaviour
    box(what, "Transition").click()  # ticked second, listed first

    with qtbot.waitSignal(form.draft_saved, timeout=3000):
        pass  # the autosave timer fires on its own
    reopened = incidents.open(form.incident().id)
    assert reopened.details.what_happened.antecedent_types == ("Transition", "Conflict with a peer")

    form2 = show_form(qtbot, incidents, directory, reopened, prompter)
    what2 = page(form2, WhatHappenedPage)
    assert [k for k, b in what2.antecedent_types.boxes.items() if b.isChecked()] == [
        "Transition",
        "Conflict with a peer",
    ]


@pytest.mark.usefixtures("school_kinds")
def test_a_kind_no_longer_on_the_list_still_shows_ticked(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    draft = incidents.new_draft()
    old = dataclasses.replace(
        draft.details,
        what_happened=WhatHappened(antecedent_types=("Transition", "Fire drill")),
    )
    draft = dataclasses.replace(draft, details=old)
    form = show_form(qtbot, incidents, directory, draft, prompter)
    what = page(form, WhatHappenedPage)
    assert box(what, "Fire drill").isChecked()
    assert box(what, "Transition").isChecked()
    assert not box(what, "Demand or request").isChecked()
    assert form.pages[list(Step).index(Step.WHAT_HAPPENED)].apply(
        IncidentDetails()
    ).what_happened.antecedent_types == ("Transition", "Fire drill")


def test_without_a_school_list_the_question_is_hidden(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = dataclasses.replace(directory.settings(), antecedent_types=())
    monkeypatch.setattr(directory, "settings", lambda: settings)
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    form.go_to(Step.WHAT_HAPPENED, focus=True)
    what = page(form, WhatHappenedPage)
    assert not what.slots["antecedent_types"].isVisible()
    assert focused() is what.antecedents


def test_the_record_shows_the_kinds(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
) -> None:
    record = submit_record(
        "Maya Chen",
        what_happened=WhatHappened(
            antecedents="Asked to put the tablet away.",
            antecedent_types=("Demand or request", "Transition"),
            pupil_behaviour="Threw a chair towards another pupil.",
            account="Held by the arms for two minutes, then let go.",
        ),
    )
    view = RecordView(incidents, directory, record.id, prompter, "Europe/London")
    qtbot.addWidget(view)
    view.show()
    text = view.browser.toPlainText()
    assert "Kind of antecedent" in text
    kinds_at = text.index("Kind of antecedent")
    assert text.index("Demand or request") > kinds_at
    assert text.index("Transition") > kinds_at


def test_a_change_of_kind_is_named_in_the_changes() -> None:
    before = IncidentDetails(what_happened=WhatHappened(antecedent_types=("Transition",)))
    after = IncidentDetails(
        what_happened=WhatHappened(antecedent_types=("Transition", "Noise or crowding"))
    )
    [change] = changes(before, after)
    assert change.label == "Kind of antecedent"
    assert change.section == Step.WHAT_HAPPENED.heading
    assert "Noise or crowding" in change.after
