"""The written record supplied to parents, in the GUI (issue 13): the Parents and
carers tab shows the three duties in words and records a copy supplied; an amendment
made after a copy went asks whether the amended copy should go too (yes: it stays due,
"the copy supplied was version 1; version 2 is newer"; no: the reason is kept); the
parents' duties list says what is left. Everyone here is fictional."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from datetime import datetime

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QMainWindow

from incident_recorder.domain.model import Incident, ParentsContact, ParentsStatus
from incident_recorder.domain.parents_copy import CopyHow, Duty, DutyState
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.session import Session
from incident_recorder.ui.parents.actions import AMENDED_TITLE, ParentsActions
from incident_recorder.ui.parents.supply import SupplyDialog
from incident_recorder.ui.parents.tab import ParentsTab
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.fakes import AFTER_THE_DUTY_BEGAN, DUTY_DAY, FakeClock

DAY = DUTY_DAY

SHOTS = os.environ.get("SUPPLIED_SHOTS")
NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET,
    not_yet_reason="No answer at lunchtime.",
    summary_for_parents="Your child was upset in class and was guided out for a few minutes.",
)


def _shot(widget: object, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()
        widget.grab().save(os.path.join(SHOTS, name))  # type: ignore[attr-defined]


def _amend(incidents: IncidentService, record: Incident, summary: str) -> None:
    latest = incidents.open(record.id)
    details = dataclasses.replace(
        latest.details,
        parents=dataclasses.replace(latest.details.parents, summary_for_parents=summary),
    )
    incidents.amend(record.id, details, "Corrected the summary for parents")


def test_the_copy_is_supplied_and_an_amendment_asks_whether_the_new_one_goes(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    clock.set(AFTER_THE_DUTY_BEGAN)
    record = submit_record("Leo Fernandes", day=DAY, parents=NOT_YET)
    window = QMainWindow()
    window.setWindowTitle("Incident Recorder")
    qtbot.addWidget(window)
    service = ParentsService(session)
    actions = ParentsActions(window, service, lambda _id: None, prompter=prompter)
    view = RecordView(incidents, directory, record.id, prompter, "Europe/London")
    qtbot.addWidget(view)
    actions.install_record_view(view)
    tab = view.findChild(ParentsTab)
    assert isinstance(tab, ParentsTab)
    panel = tab.duties
    text = panel.duties.text()
    assert "Written record supplied" in text and "not been supplied" in text
    assert panel.supply_button.isEnabled() and not panel.not_needed_button.isVisibleTo(panel)

    def fill(dialog: SupplyDialog) -> bool:
        if dialog.problem.text():
            return False
        dialog.parent_name.setCurrentText("Mrs Anna Nowak")
        dialog.how.setCurrentIndex(dialog.how.findData(CopyHow.POSTED.value))
        dialog.at.set_value(datetime(2026, 4, 24, 15, 20))
        return True

    panel.run_dialog = fill
    assert panel.record_supplied()
    assert "posted to the parents on 24/04/2026, the same day" in panel.duties.text()
    assert "Copy of version 1 posted to Mrs Anna Nowak" in panel.copies.text()

    # Amended afterwards: the question; "yes" keeps the newer copy due.
    prompter.confirm_answers.append(True)
    _amend(incidents, record, "Your child was upset in class; a member of staff stayed close.")
    view.reload()
    asked = [a for a in prompter.asked if a[1] == AMENDED_TITLE]
    assert asked[0][0] == "confirm" and "version 1" in asked[0][2]
    copy = next(d for d in service.view(record.id).duties if d.duty is Duty.COPY)
    assert copy.state is DutyState.DUE
    assert "The copy supplied was version 1; version 2 is newer" in panel.duties.text()
    assert panel.not_needed_button.isVisibleTo(panel)
    rows = {r.incident_id: r for r in service.to_tell()}
    assert rows[record.id].missing.endswith("amended record not supplied")
    view.resize(900, 720)
    view.show()
    view.tabs.setCurrentWidget(tab)
    _shot(view, "13-supplied-record-view.png")

    # The newer copy goes; amended again, "no" with a reason keeps it off the list.
    assert panel.record_supplied()
    prompter.confirm_answers.append(False)
    prompter.text_answers.append("It corrected a typing slip only.")
    _amend(incidents, record, "Your child was upset in class; a member of staff stayed close by.")
    view.reload()
    assert "need not go: it corrected a typing slip only." in panel.duties.text().lower()
    assert not panel.not_needed_button.isVisibleTo(panel)
    assert "Version 3 need not go to the parents" in panel.copies.text()
    # Opening it again asks nothing (no new amendment).
    before = len(prompter.asked)
    view.reload()
    assert len(prompter.asked) == before


def test_the_duties_list_names_the_record_not_supplied(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
    clock: FakeClock,
) -> None:
    clock.set(AFTER_THE_DUTY_BEGAN)
    submit_record("Leo Fernandes", day=DAY, parents=NOT_YET)
    told = submit_record("Maya Chen", day=DAY)  # told in the form
    window = QMainWindow()
    window.setWindowTitle("Incident Recorder")
    qtbot.addWidget(window)
    service = ParentsService(session)
    service.record_copy_supplied(told.id, datetime(2026, 4, 24, 15, 0), CopyHow.HANDED, "Mum")
    actions = ParentsActions(window, service, lambda _id: None, prompter=prompter)
    listing = actions.show_to_tell()
    assert listing.windowTitle() == "Parents' duties"
    cells = [listing.model.index(r, 4).data() for r in range(listing.model.rowCount())]
    assert cells == ["Not told yet; no letter sent; record not supplied", "No letter sent"]
    assert "written record is not supplied" in listing.intro.text()
    _shot(listing, "13-supplied-duties-list.png")
    listing.close()
