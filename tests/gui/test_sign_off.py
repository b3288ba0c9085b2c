"""Sign off… in the record view: a safeguarding lead signs the latest version with an
optional comment and the sign-off line changes; staff see the line but no button.
Everyone is fictional."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from incident_recorder.domain.model import Incident
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from incident_recorder.ui.sign_off import SignOffControls, SignOffDialog
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY, PASSPHRASE, STAFF_ONLY

Submit = Callable[..., Incident]
SCREENSHOTS = os.environ.get("SIGN_OFF_SCREENSHOTS", "")


def _view(
    qtbot: QtBot, session: Session, incident_id: int, prompter: ScriptedPrompter
) -> tuple[RecordView, SignOffControls]:
    view = RecordView(
        IncidentService(session), DirectoryService(session), incident_id, prompter, "Europe/London"
    )
    qtbot.addWidget(view)
    SignOffControls.installer(SignOffService(session), prompter, "Europe/London")(view)
    view.show()
    controls = view.findChild(SignOffControls)
    assert isinstance(controls, SignOffControls)
    return view, controls


def _status(view: RecordView) -> str:
    controls = view.findChild(SignOffControls)
    assert isinstance(controls, SignOffControls)
    return controls.status.text()


def test_a_safeguarding_lead_signs_off_and_the_line_changes(
    qtbot: QtBot, session: Session, submit_record: Submit, prompter: ScriptedPrompter
) -> None:
    record = submit_record("Leo Fernandes")
    view, controls = _view(qtbot, session, record.id, prompter)
    assert controls.button is not None and controls.button.isVisible()
    assert controls.button.isEnabled()
    assert controls.status.isVisible() and "Not signed off yet." in _status(view)
    qtbot.mouseClick(controls.button, Qt.MouseButton.LeftButton)
    dialog = controls.dialog
    assert isinstance(dialog, SignOffDialog) and dialog.isVisible()
    assert f"Record {record.reference}, version 1, submitted by Siân Griffiths" in (
        dialog.what.text()
    )
    assert "you have read this record" in dialog.statement.text()
    assert dialog.comment.accessibleName() == "Comment (optional)"
    qtbot.keyClicks(dialog.comment, "Spoke to the class teacher.")
    if SCREENSHOTS:
        view.grab().save(str(Path(SCREENSHOTS) / "sign-off-view-before.png"))
        dialog.grab().save(str(Path(SCREENSHOTS) / "sign-off-dialog.png"))
    # Sign &off: a mnemonic "clicks" shortly.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    text = _status(view)
    assert "Signed off by Siân Griffiths on 20/03/2026 at 15:30 (version 1)." in text
    assert not controls.button.isEnabled()
    assert "signed off" in controls.button.toolTip()
    [kept] = SignOffService(session).history(record.id)
    assert kept.comment == "Spoke to the class teacher."
    if SCREENSHOTS:
        view.grab().save(str(Path(SCREENSHOTS) / "sign-off.png"))


def test_cancelling_signs_nothing(
    qtbot: QtBot, session: Session, submit_record: Submit, prompter: ScriptedPrompter
) -> None:
    record = submit_record("Leo Fernandes")
    view, controls = _view(qtbot, session, record.id, prompter)
    assert controls.button is not None
    controls.button.click()
    assert controls.dialog is not None
    qtbot.keyClick(controls.dialog, Qt.Key.Key_Escape)
    assert not controls.dialog.isVisible()
    assert SignOffService(session).history(record.id) == []
    assert "Not signed off yet." in _status(view)


def test_staff_see_the_line_but_have_no_button(
    qtbot: QtBot,
    session: Session,
    account_service: AccountService,
    prompter: ScriptedPrompter,
) -> None:
    session.close()  # one signed-in user at a time, as in the app
    staff = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        incidents = IncidentService(staff)
        assert staff.user.staff_id is not None
        pupil = DirectoryService(staff).search_pupils("Leo", 1)[0]
        details = complete_details(pupil.id, staff.user.staff_id, INCIDENT_DAY)
        record = incidents.submit(incidents.new_draft(details).id, details)
        view, controls = _view(qtbot, staff, record.id, prompter)
        assert controls.button is None
        assert all("Sign" not in b.text() for b in view.findChildren(type(view.close_button)))
        assert "Not signed off yet." in _status(view)
        view.close()
    finally:
        staff.close()
