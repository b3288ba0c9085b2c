"""The school-wide "plan reviews due" list, its threshold, opening a pupil's review from
it, and the Pupils menu's review actions. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Incident, Pupil, SenStatus
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.plans import PlanService
from incident_recorder.services.pupils import PupilService
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import Session
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.due_table import DueColumn, DueTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.review.actions import ReviewSection
from incident_recorder.ui.review.due_window import NOTHING_DUE, ReviewsDueWindow
from incident_recorder.ui.review.record_dialog import RecordReviewDialog
from tests.fakes import RENDERER, services_for
from tests.gui.conftest import INCIDENT_DAY, PASSPHRASE, STAFF_ONLY


def plan_for(session: Session, pupil: Pupil, review_date: date) -> BehaviourPlan:
    return PlanService(session, RENDERER).save(
        BehaviourPlan(
            pupil_id=pupil.id,
            triggers="Changes to the timetable",
            written_by="Siân Griffiths",
            start_date=date(2026, 1, 5),
            review_date=review_date,
        )
    )


def make_school(
    session: Session, pupils: dict[str, Pupil], submit_record: Callable[..., Incident]
) -> None:
    """Leo: plan past its review date. Maya: 3 incidents since her plan. Oliver:
    an incident and no plan. Zara: an EHCP, an incident and no plan."""
    plan_for(session, pupils["Leo Fernandes"], date(2026, 3, 1))
    submit_record("Leo Fernandes")
    plan_for(session, pupils["Maya Chen"], date(2026, 7, 5))
    for _ in range(3):
        submit_record("Maya Chen", INCIDENT_DAY)
    submit_record("Oliver Bennett")
    zara = dataclasses.replace(pupils["Zara Ahmed"], sen_status=SenStatus.EHCP)
    PupilService(session).update(zara)
    submit_record("Zara Ahmed")


def show_due(
    qtbot: QtBot, session: Session, directory: DirectoryService, opened: list[Pupil]
) -> ReviewsDueWindow:
    window = ReviewsDueWindow(ReviewService(session, RENDERER), directory, opened.append)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def cells(window: ReviewsDueWindow, column: DueColumn) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_each_kind_of_review_due_is_listed_with_its_numbers(
    qtbot: QtBot,
    session: Session,
    directory: DirectoryService,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    make_school(session, pupils, submit_record)
    window = show_due(qtbot, session, directory, [])
    assert cells(window, DueColumn.PUPIL) == [
        "Fernandes, Leo",
        "Chen, Maya",
        "Ahmed, Zara",
        "Bennett, Oliver",
    ]
    assert cells(window, DueColumn.REASON) == [
        "Past its review date",
        "Incidents since the last review",
        "SEND, EHCP or looked after: no plan",
        "Incidents but no plan",
    ]
    assert cells(window, DueColumn.YEAR) == ["Year 4", "Year 5", "Year 3", "Year 6"]
    assert cells(window, DueColumn.REVIEW_DATE)[0] == "01/03/2026"
    assert cells(window, DueColumn.OVERDUE)[0] == "19"
    assert cells(window, DueColumn.INCIDENTS)[1] == "3"
    assert "has an EHCP" in cells(window, DueColumn.DETAIL)[2]
    assert window.count.text() == "4 pupils need a review."

    # Sorting by the number of incidents puts Maya's three first.
    window.table.sortByColumn(DueColumn.INCIDENTS, Qt.SortOrder.DescendingOrder)
    assert cells(window, DueColumn.PUPIL)[0] == "Chen, Maya"


def test_the_threshold_changes_the_list_and_is_kept(
    qtbot: QtBot,
    session: Session,
    directory: DirectoryService,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    make_school(session, pupils, submit_record)
    window = show_due(qtbot, session, directory, [])
    assert window.threshold.value() == 3
    window.threshold.setFocus()
    qtbot.keyClick(window.threshold, Qt.Key.Key_Up)
    assert window.threshold.value() == 4
    assert "Chen, Maya" not in cells(window, DueColumn.PUPIL)
    assert window.count.text() == "3 pupils need a review."
    assert ReviewService(session, RENDERER).threshold == 4

    again = show_due(qtbot, session, directory, [])
    assert again.threshold.value() == 4
    assert "Chen, Maya" not in cells(again, DueColumn.PUPIL)


def test_enter_on_a_row_opens_that_pupils_review(
    qtbot: QtBot,
    session: Session,
    directory: DirectoryService,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    make_school(session, pupils, submit_record)
    opened: list[Pupil] = []
    window = show_due(qtbot, session, directory, opened)
    window.table.setFocus()
    window.table.selectRow(3)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert [p.display_name for p in opened] == ["Oliver Bennett"]
    window.open_button.click()
    assert [p.display_name for p in opened] == ["Oliver Bennett", "Oliver Bennett"]


def test_with_nothing_due_the_list_says_so(
    qtbot: QtBot, session: Session, directory: DirectoryService
) -> None:
    window = show_due(qtbot, session, directory, [])
    assert window.stack.currentWidget() is window.empty
    assert window.empty.text() == NOTHING_DUE
    assert window.count.text() == "No pupils need a review."
    assert not window.open_button.isEnabled()


def test_the_due_table_model_is_sound(
    qtmodeltester: ModelTester,
    session: Session,
    directory: DirectoryService,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    make_school(session, pupils, submit_record)
    model = DueTableModel()
    window = ReviewsDueWindow(ReviewService(session, RENDERER), directory, lambda _p: None)
    model.set_rows(window.rows())
    window.close()
    qtmodeltester.check(model)


def test_the_pupils_menu_offers_the_reviews_to_reviewers_only(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    account_service: AccountService,
) -> None:
    lead = MainWindow(services_for(session), prompter, autosave_ms=60000)
    qtbot.addWidget(lead)
    texts = [a.text() for a in lead.pupils_menu.actions()]
    plan = texts.index("&Behaviour support plans…")
    assert texts[plan + 1 : plan + 3] == ["Pupil &review…", "Plan reviews &due…"]
    assert lead.review_actions.due_action.isEnabled()
    lead.review_actions.due_action.trigger()
    due = lead.review_actions.due_window
    assert due is not None and due.isVisible()
    lead.shut_down()
    assert not due.isVisible()

    staff_session = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        staff = MainWindow(services_for(staff_session))
        qtbot.addWidget(staff)
        assert not staff.review_actions.review_action.isEnabled()
        assert not staff.review_actions.due_action.isEnabled()
        staff.shut_down()
    finally:
        staff_session.close()


def test_a_review_recorded_in_the_review_window_updates_the_due_list_and_pupil_page(
    qtbot: QtBot,
    session: Session,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    make_school(session, pupils, submit_record)
    main = MainWindow(services_for(session), prompter, autosave_ms=60000)
    qtbot.addWidget(main)
    actions = main.review_actions
    maya = pupils["Maya Chen"]
    page = main.pupil_actions.open_pupil(maya)
    section = page.findChild(ReviewSection)
    assert section is not None
    assert section.summary.text() == "No review of this pupil's plan has been recorded yet."

    due = actions.open_due()
    assert "Chen, Maya" in cells(due, DueColumn.PUPIL)
    due.table.selectRow(cells(due, DueColumn.PUPIL).index("Chen, Maya"))
    due.open_button.click()
    window = actions.review_windows[maya.id]
    assert window.isVisible()
    assert actions.open_review(maya) is window  # one window per pupil

    window.record_button.click()
    dialog = window.record_dialog
    assert isinstance(dialog, RecordReviewDialog)
    dialog.held_on.set_value(INCIDENT_DAY)  # the test clock's today
    dialog.no_change.setChecked(True)
    dialog.reason.setPlainText("The three incidents were in one difficult week.")
    dialog.people.add("Siân Griffiths", "SENCO")
    dialog.save_button.click()
    assert not dialog.isVisible()

    assert "Chen, Maya" not in cells(due, DueColumn.PUPIL)  # reviewed since the incidents
    assert section.summary.text() == (
        "Last reviewed on 20/03/2026 (no change to the plan); next review due 01/05/2026."
    )
    main.shut_down()
    assert not window.isVisible() and not due.isVisible()
