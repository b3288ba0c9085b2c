"""Staff training (issue 13): the Staff training window driven from the keyboard (add,
correct, remove, the 60-day filter, expired in words and red), the CSV import's
preview, the menus by role, and the form's warning that needs an explanation when
someone who held the pupil has no or expired training. Everyone named is fictional."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QMainWindow, QMenu

from incident_recorder.domain.model import Pupil, StaffMember
from incident_recorder.domain.steps import Step
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.services.training import TrainingService
from incident_recorder.ui.form.step_who import WhoPage
from incident_recorder.ui.models.training_table import RED, TrainingColumn
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_summary import record_html
from incident_recorder.ui.training.actions import TrainingActions
from incident_recorder.ui.training.import_dialog import TrainingImportDialog
from incident_recorder.ui.training.window import StaffTrainingWindow
from tests.fakes import complete_details
from tests.gui.conftest import ADMIN, INCIDENT_DAY, PASSPHRASE, STAFF_ONLY
from tests.gui.form_support import key, page, show_form, tab_to, type_text


def _window(
    qtbot: QtBot, service: TrainingService, prompter: ScriptedPrompter
) -> StaffTrainingWindow:
    window = StaffTrainingWindow(service, prompter)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _status(window: StaffTrainingWindow) -> dict[str, str]:
    return {r.staff.full_name: r.status for r in window.rows()}


def test_add_correct_and_remove_from_the_keyboard(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    session: Session,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
) -> None:
    service = TrainingService(session)  # Siân: a safeguarding lead may change training
    window = _window(qtbot, service, prompter)
    qtmodeltester.check(window.model)
    assert not window.months.isEnabled()  # only the administrator sets the months
    assert _status(window)["Priya Shah"] == "no training recorded"
    window.select_staff("Priya Shah")

    dialog = window.entry_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.staff.currentText() == "Priya Shah"
    dialog.course.setFocus()
    type_text(qtbot, "Team-Teach")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "31/02/2026")  # not a date
    dialog.buttons.accepted.emit()
    assert "date trained" in dialog.message.text()
    dialog.trained_on.edit.selectAll()
    dialog.trained_on.edit.setFocus()
    type_text(qtbot, "02/04/2025")
    dialog.buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.reload()
    assert _status(window)["Priya Shah"] == "due: expires in 13 days"  # 02/04/2026

    # Correct it: trained a year later than typed.
    window.select_staff("Priya Shah")
    correct = window.entry_dialog(correcting=True)
    qtbot.addWidget(correct)
    assert not correct.staff.isEnabled() and correct.course.text() == "Team-Teach"
    correct.trained_on.edit.setText("02/03/2026")
    correct.buttons.accepted.emit()
    assert correct.result() == correct.DialogCode.Accepted
    window.reload()
    assert _status(window)["Priya Shah"] == "valid"
    priya = staff["Priya Shah"].id
    assert [k for k, _, _ in service.history(priya)] == ["entry", "entry"]

    # Remove it, with the reason asked.
    window.select_staff("Priya Shah")
    prompter.text_answers.append("Typed for the wrong person.")
    assert window.remove_current()
    assert _status(window)["Priya Shah"] == "no training recorded"
    assert [k for k, _, _ in service.history(priya)] == ["entry", "entry", "removal"]
    window.select_staff("Priya Shah")
    lines = window.history_text().splitlines()
    assert lines[0].endswith("added by Siân Griffiths: Team-Teach, trained 02/04/2025")
    assert lines[1].endswith("corrected by Siân Griffiths: Team-Teach, trained 02/03/2026")
    assert lines[2] == "Removed (Team-Teach, trained 02/03/2026): Typed for the wrong person."
    window.history_button.click()
    assert prompter.asked[-1][:2] == ("inform", "Training history: Priya Shah")


def test_expired_is_red_and_in_words_and_the_due_filter(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, staff: dict[str, StaffMember]
) -> None:
    service = TrainingService(session)
    service.add(TrainingRecord(staff["Priya Shah"].id, "Team-Teach", date(2025, 1, 10)))
    service.add(TrainingRecord(staff["Siân Griffiths"].id, "Team-Teach", date(2026, 1, 10)))
    service.add(TrainingRecord(staff["Tomasz Nowak"].id, "MAPA", date(2025, 4, 20)))
    window = _window(qtbot, service, prompter)
    status = _status(window)
    assert status["Priya Shah"] == "expired 69 days ago"
    assert status["Siân Griffiths"] == "valid"
    assert status["Tomasz Nowak"] == "due: expires in 31 days"
    names = [r.staff.full_name for r in window.rows()]
    column = TrainingColumn.STATUS
    expired = window.proxy.index(names.index("Priya Shah"), column)
    brush = window.proxy.data(expired, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == RED
    assert window.proxy.data(expired, Qt.ItemDataRole.AccessibleTextRole) == (
        "Where it stands: expired 69 days ago"
    )
    window.only_due.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert window.only_due.isChecked()
    shown = sorted(r.staff.full_name for r in window.rows())
    assert "Siân Griffiths" not in shown
    assert {"Priya Shah", "Tomasz Nowak"} <= set(shown)
    # Sorting by where it stands: none recorded first, then the most overdue.
    window.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    statuses = [r.status for r in window.rows()]
    assert statuses.index("expired 69 days ago") < statuses.index("due: expires in 31 days")


def test_the_administrator_sets_how_long_training_lasts(
    qtbot: QtBot, account_service: AccountService, prompter: ScriptedPrompter
) -> None:
    admin = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        service = TrainingService(admin)
        window = _window(qtbot, service, prompter)
        assert window.months.isEnabled() and window.months.value() == 12
        window.months.setFocus()
        window.months.setValue(24)
        assert service.valid_months == 24
    finally:
        admin.close()


CSV = (
    "Name,Course,Date trained,Expires\r\n"
    "priya  SHAH,Team-Teach,01/03/2026,\r\n"
    "Jo Marsh,Team-Teach,2026-02-01,\r\n"
    "Tomasz Nowak,Team-Teach,31/02/2026,\r\n"
)


def test_csv_import_shows_a_preview_before_anything_is_saved(
    qtbot: QtBot,
    session: Session,
    prompter: ScriptedPrompter,
    staff: dict[str, StaffMember],
    tmp_path: Path,
) -> None:
    service = TrainingService(session)
    window = _window(qtbot, service, prompter)
    path = tmp_path / "training.csv"
    path.write_bytes(CSV.encode("cp1252"))
    dialog = window.import_dialog(path)
    assert isinstance(dialog, TrainingImportDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.what_happens() == [
        (2, "Will be added"),
        (3, "Not on the staff list: left out"),
    ]
    assert dialog.problems.toPlainText() == (
        "Row 4: the date trained '31/02/2026' is not a real date (use dd/mm/yyyy)."
    )
    assert "Jo Marsh" in dialog.add_unknown.text()
    assert dialog.import_button.text() == "&Import 1 entry"
    assert service.entries(staff["Priya Shah"].id) == []  # nothing saved yet
    dialog.add_unknown.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert dialog.what_happens()[1] == (
        3,
        "Will be added, with the person added to the staff list",
    )
    assert dialog.import_button.text() == "&Import 2 entries"
    dialog.import_button.click()
    assert dialog.done_result is not None and dialog.done_result.added == 2
    assert "2 training entries imported; 1 added to the staff list" in window.error.text()
    assert _status(window)["Jo Marsh"] == "valid"
    assert _status(window)["Priya Shah"] == "valid"


def test_a_malformed_file_changes_nothing(
    qtbot: QtBot, session: Session, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    service = TrainingService(session)
    window = _window(qtbot, service, prompter)
    path = tmp_path / "training.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00\x00 a spreadsheet")
    assert window.import_dialog(path) is None
    assert prompter.asked[-1][0] == "warn"
    assert "is not a CSV file" in window.error.text()
    assert all(r.record is None for r in window.rows())


def test_menus_by_role(
    qtbot: QtBot, session: Session, account_service: AccountService, prompter: ScriptedPrompter
) -> None:
    main = QMainWindow()
    qtbot.addWidget(main)
    view = QMenu("&View", main)
    lead = TrainingActions.install(main, TrainingService(session), prompter, view, None)
    assert lead is not None and lead.action.text() == "Staff &training…"
    assert lead.action in view.actions()  # the Administration menu is the administrator's
    assert [a.text() for a in main.menuBar().actions()] == []
    admin = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        admin_window = QMainWindow()
        qtbot.addWidget(admin_window)
        own_admin = TrainingActions.install(
            admin_window, TrainingService(admin), prompter, QMenu(), admin.user.staff_id
        )
        assert own_admin is not None
        menus = {a.text(): a.menu() for a in admin_window.menuBar().actions()}
        admin_menu = menus["Ad&ministration"]
        assert isinstance(admin_menu, QMenu) and own_admin.action in admin_menu.actions()
    finally:
        admin.close()
    staff_only = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    try:
        other = QMainWindow()
        qtbot.addWidget(other)
        own = TrainingActions.install(
            other, TrainingService(staff_only), prompter, view, staff_only.user.staff_id
        )
        assert own is not None and own.action.text() == "My &training…"
        mine = own.open_window()
        qtbot.addWidget(mine)
        assert mine.windowTitle() == "My training"
        assert [r.staff.full_name for r in mine.rows()] == ["Tomasz Nowak"]
        assert not mine.add_button.isVisible() and not mine.import_button.isVisible()
    finally:
        staff_only.close()


def test_the_form_warns_and_asks_for_an_explanation(
    qtbot: QtBot,
    session: Session,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    service = TrainingService(session)
    service.add(TrainingRecord(staff["Priya Shah"].id, "Team-Teach", date(2026, 1, 5)))
    # Siân (carried out) has none recorded.
    details = complete_details(pupils["Maya Chen"].id, staff["Siân Griffiths"].id, INCIDENT_DAY)
    form = show_form(qtbot, incidents, directory, incidents.new_draft(details), prompter)
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHO) == "!")
    who = page(form, WhoPage)
    form.go_to(Step.WHO)
    assert who.training_note.isVisible()
    assert "Siân Griffiths: No positive-handling training recorded" in who.training_note.text()
    slot = who.slots["staff"]
    assert "Siân Griffiths has no positive-handling training recorded" in slot.message.text()
    box = slot.boxes["staff_training_missing"]
    form.go_to(Step.REVIEW)
    assert not form.review.submit.isEnabled()
    form.go_to(Step.WHO)
    tab_to(qtbot, box.edit)
    type_text(qtbot, "I was the only adult there; my course is booked for next week.")
    qtbot.waitUntil(lambda: form.sidebar.marker(Step.WHO) == "✓")
    form.go_to(Step.REVIEW)
    assert form.review.submit.isEnabled()
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(form.incident_submitted) as submitted:
        form.review.submit.click()
    saved = incidents.open(submitted.args[0]).details
    assert saved.explanation("staff_training_missing").startswith("I was the only adult")
    # The record view shows the training as it stood on the day, and the explanation.
    shown = record_html(saved, incidents, directory)
    assert "Positive-handling training on the day" in shown
    assert "Siân Griffiths: No positive-handling training recorded" in shown
    assert "Why staff with no training recorded held the pupil" in shown
