"""Recording a review of a pupil's behaviour support plan: the dialog driven from the
keyboard, what it stores, its inline messages and its default ticks. Everyone named here
is fictional."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from incident_recorder.domain.model import Incident, Pupil
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.review.record_dialog import RecordReviewDialog
from tests.fakes import RENDERER
from tests.gui.conftest import INCIDENT_DAY
from tests.gui.form_support import key, tab_to, type_text


def show_dialog(
    qtbot: QtBot,
    reviews: ReviewService,
    pupil: Pupil,
    prompter: ScriptedPrompter,
    open_plan: Callable[[Pupil], None] | None = None,
) -> RecordReviewDialog:
    dialog = RecordReviewDialog(
        reviews,
        pupil,
        reviews.pupil_review(pupil.id),
        prompter=prompter,
        open_plan=open_plan,
        today=INCIDENT_DAY,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def ticked_text(dialog: RecordReviewDialog) -> list[str]:
    return dialog.considered.ticked_text()


def test_a_review_is_recorded_from_the_keyboard_and_stored(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    leo = pupils["Leo Fernandes"]
    first = submit_record("Leo Fernandes", date(2026, 3, 2))
    second = submit_record("Leo Fernandes", date(2026, 3, 16))
    reviews = ReviewService(session, RENDERER)
    opened: list[Pupil] = []
    dialog = show_dialog(qtbot, reviews, leo, prompter, open_plan=opened.append)
    recorded: list[PlanReviewRecord] = []
    dialog.review_recorded.connect(recorded.append)

    assert dialog.held_on.value() == INCIDENT_DAY
    assert dialog.next_review.value() == date(2026, 5, 1)  # six weeks on
    tab_to(qtbot, dialog.held_on)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "18/03/2026")
    assert dialog.next_review.value() == date(2026, 4, 29)  # follows the review date
    tab_to(qtbot, dialog.updated)
    key(qtbot, Qt.Key.Key_Space)
    assert dialog.reason_label.text().startswith("&Reason: what changed")
    tab_to(qtbot, dialog.reason)
    type_text(qtbot, "Added a movement break before assembly.")
    tab_to(qtbot, dialog.people.name)
    type_text(qtbot, "Tomasz Nowak")  # (QTest types ASCII only)
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "teaching assistant")
    key(qtbot, Qt.Key.Key_Return)  # adds the person; does not save yet
    assert dialog.isVisible()
    assert dialog.people.list.item(0).text() == "Tomasz Nowak (teaching assistant)"
    type_text(qtbot, "Grace Fernandes")  # Enter leaves the focus in the name box
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "mum")
    key(qtbot, Qt.Key.Key_Return)
    tab_to(qtbot, dialog.parents_took_part)
    key(qtbot, Qt.Key.Key_Space)
    # Both incidents wait for a review, so both are ticked; untick the older one.
    assert len(ticked_text(dialog)) == 2
    tab_to(qtbot, dialog.considered.list)
    key(qtbot, Qt.Key.Key_End)
    key(qtbot, Qt.Key.Key_Space)
    assert dialog.considered.count.text() == "1 of 2 ticked"
    prompter.confirm_answers.append(True)  # "Open the plan now?"
    tab_to(qtbot, dialog.save_button)
    key(qtbot, Qt.Key.Key_Space)

    assert not dialog.isVisible()
    assert opened == [leo]
    kind, title, text = prompter.asked[-1]
    assert (kind, title) == ("confirm", "Review saved")
    assert "plan itself is changed in the behaviour support plan editor" in text
    stored = reviews.reviews(leo.id)
    assert len(stored) == 1 and recorded and recorded[0].id == stored[0].id
    review = stored[0]
    assert review.held_on == date(2026, 3, 18)
    assert review.outcome is ReviewOutcome.PLAN_UPDATED
    assert review.reason == "Added a movement break before assembly."
    assert review.participants == ("Tomasz Nowak (teaching assistant)", "Grace Fernandes (mum)")
    assert (review.pupil_took_part, review.parents_took_part) == (False, True)
    assert review.incident_ids == (second.id,)
    assert first.id not in review.incident_ids
    assert review.next_review == date(2026, 4, 29)


def test_what_is_missing_is_said_in_the_dialog_and_nothing_typed_is_lost(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, pupils: dict[str, Pupil]
) -> None:
    maya = pupils["Maya Chen"]
    reviews = ReviewService(session, RENDERER)
    dialog = show_dialog(qtbot, reviews, maya, prompter)
    dialog.save_button.click()
    message = dialog.error.text()
    assert dialog.error.isVisible()
    assert "Choose the outcome" in message
    assert "Say why" in message
    assert "Say who took part" in message
    assert dialog.isVisible()

    dialog.no_change.setChecked(True)
    dialog.reason.setFocus()
    type_text(qtbot, "The plan is working: no holds since January.")
    dialog.save_button.click()
    assert "Choose the outcome" not in dialog.error.text()
    assert "Say who took part" in dialog.error.text()
    assert dialog.reason.text() == "The plan is working: no holds since January."
    assert reviews.reviews(maya.id) == []

    # A name typed but not added yet still counts.
    dialog.people.name.setText("Siân Griffiths")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert prompter.asked[-1][:2] == ("inform", "Review saved")
    assert reviews.reviews(maya.id)[0].participants == ("Siân Griffiths",)


def test_the_incidents_not_yet_reviewed_are_ticked_at_first(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    oliver = pupils["Oliver Bennett"]
    reviewed = submit_record("Oliver Bennett", date(2026, 2, 2))
    submit_record("Oliver Bennett", date(2026, 3, 9))
    submit_record("Oliver Bennett", date(2026, 3, 19))
    reviews = ReviewService(session, RENDERER)
    reviews.record_review(
        PlanReviewRecord(
            pupil_id=oliver.id,
            held_on=date(2026, 2, 10),
            outcome=ReviewOutcome.NO_CHANGE,
            reason="Settled after half-term.",
            participants=("Siân Griffiths (SENCO)",),
            incident_ids=(reviewed.id,),
            next_review=date(2026, 3, 24),
        )
    )
    dialog = show_dialog(qtbot, reviews, oliver, prompter)
    assert dialog.considered.list.count() == 3
    ticked = ticked_text(dialog)
    assert [t[:10] for t in ticked] == ["19/03/2026", "09/03/2026"]  # newest first
    assert dialog.considered.count.text() == "2 of 3 ticked"
    dialog.considered.untick_all.click()
    assert ticked_text(dialog) == []
    dialog.considered.tick_all.click()
    assert len(ticked_text(dialog)) == 3


def test_cancel_asks_before_throwing_away_what_was_typed(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, pupils: dict[str, Pupil]
) -> None:
    dialog = show_dialog(qtbot, ReviewService(session, RENDERER), pupils["Zara Ahmed"], prompter)
    dialog.reason.setPlainText("Half-written thoughts")
    prompter.confirm_answers.append(False)  # keep editing
    dialog.cancel_button.click()
    assert dialog.isVisible()
    assert prompter.asked[-1][1] == "Discard this review?"
    prompter.confirm_answers.append(True)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert QApplication.activeModalWidget() is None
