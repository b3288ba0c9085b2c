"""The pupil list, a pupil's page and editing a pupil."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import Contact, Incident, Pupil, SenStatus
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.pupils import PupilService
from incident_recorder.services.session import Session
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.pupil_table import PupilTableModel
from incident_recorder.ui.plans.plan_actions import PlanSection
from incident_recorder.ui.pupils.pupil_page import PupilPage
from incident_recorder.ui.pupils.pupils_window import PupilsWindow
from tests.fakes import services_for
from tests.gui.conftest import PASSPHRASE, STAFF_ONLY

UPN = "A123456789012"


@pytest.fixture
def staff_session(account_service: AccountService) -> Iterator[Session]:
    signed_in = account_service.sign_in(STAFF_ONLY, PASSPHRASE)
    yield signed_in
    signed_in.close()


def make_page(qtbot: QtBot, session: Session, pupil: Pupil) -> PupilPage:
    page = PupilPage(pupil, PupilService(session), IncidentService(session))
    qtbot.addWidget(page)
    page.show()
    return page


def shown(page: PupilPage, label: str) -> str:
    for row in range(page.facts.rowCount()):
        item = page.facts.itemAt(row, page.facts.ItemRole.LabelRole)
        if item is not None and item.widget().text() == f"{label}:":  # type: ignore[union-attr]
            value = page.facts.itemAt(row, page.facts.ItemRole.FieldRole)
            field = value.widget() if value is not None else None
            assert isinstance(field, QLabel)
            return field.text()
    raise AssertionError(f"no {label} on the page")


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, pupils: dict[str, Pupil]
) -> None:
    model = PupilTableModel()
    model.set_pupils(list(pupils.values()))
    qtmodeltester.check(model)
    assert model.rowCount() == 4


def test_the_list_filters_as_you_type(qtbot: QtBot, session: Session) -> None:
    window = PupilsWindow(PupilService(session))
    qtbot.addWidget(window)
    assert window.count.text() == "4 pupils"
    window.search.setFocus()
    qtbot.keyClicks(window.search, "beech")  # Maya Chen's class
    assert [p.display_name for p in window.visible_pupils()] == ["Maya Chen"]
    assert window.count.text() == "1 of 4 pupils match"
    window.search.clear()
    qtbot.keyClicks(window.search, "year 4")
    assert [p.display_name for p in window.visible_pupils()] == ["Leo Fernandes"]


def test_opening_from_the_list_by_keyboard(qtbot: QtBot, session: Session) -> None:
    window = PupilsWindow(PupilService(session))
    qtbot.addWidget(window)
    opened: list[Pupil] = []
    window.pupil_opened.connect(opened.append)
    window.show()
    window.table.setFocus()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert [p.display_name for p in opened] == ["Zara Ahmed"]  # sorted by surname


def test_the_page_shows_the_record_and_the_incidents(
    qtbot: QtBot,
    session: Session,
    pupils: dict[str, Pupil],
    submit_record: Callable[..., Incident],
) -> None:
    pupil = dataclasses.replace(
        pupils["Maya Chen"],
        date_of_birth=date(2016, 3, 9),
        sen_status=SenStatus.EHCP,
        contacts=(Contact("Nia Chen", "Mother", True, phone="01632 960000"),),
    )
    pupil = PupilService(session).update(pupil)
    record = submit_record("Maya Chen")
    page = make_page(qtbot, session, pupil)
    assert shown(page, "Date of birth") == "09/03/2016"
    assert shown(page, "SEN status") == "EHCP"
    texts = [w.text() for w in page.findChildren(QLabel)]
    assert any("Nia Chen" in t and "Has parental responsibility" in t for t in texts)
    assert page.incident_list.count() == 1
    item = page.incident_list.item(0)
    assert record.reference is not None and record.reference in item.text()
    requested: list[int] = []
    page.record_requested.connect(requested.append)
    page.incident_list.setCurrentRow(0)
    page.incident_list.setFocus()
    qtbot.keyClick(page.incident_list, Qt.Key.Key_Return)
    assert requested == [record.id]


def test_editing_a_pupil_saves(qtbot: QtBot, session: Session, pupils: dict[str, Pupil]) -> None:
    page = make_page(qtbot, session, pupils["Leo Fernandes"])
    assert page.edit_button.isVisible()
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.edit_dialog
    assert dialog is not None
    dialog.upn.setText("not a upn")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error.isVisible()  # stays open, says why
    assert "UPN" in dialog.error.text()
    dialog.upn.setText(UPN)
    dialog.class_name.setText("Willow")
    qtbot.mouseClick(dialog.add_contact_button, Qt.MouseButton.LeftButton)
    editor = dialog.contact_editors[-1]
    editor.name.setText("Tomasz Fernandes")
    editor.relationship.setText("Father")
    editor.responsibility.setChecked(True)
    editor.correspondence.setChecked(True)
    dialog.buttons.accepted.emit()
    saved = PupilService(session).get(pupils["Leo Fernandes"].id)
    assert saved.upn == UPN and saved.class_name == "Willow"
    assert saved.contacts == (
        Contact("Tomasz Fernandes", "Father", True, receives_correspondence=True),
    )
    assert shown(page, "Class") == "Willow"
    assert shown(page, "UPN") == UPN


def test_a_staff_only_user_cannot_edit(
    qtbot: QtBot, staff_session: Session, pupils: dict[str, Pupil]
) -> None:
    page = make_page(qtbot, staff_session, pupils["Zara Ahmed"])
    assert not page.edit_button.isVisible()
    service = PupilService(staff_session)
    with pytest.raises(NotAllowed):
        service.update(dataclasses.replace(pupils["Zara Ahmed"], class_name="Elm"))
    assert service.get(pupils["Zara Ahmed"].id).class_name == "Hazel"
    window = PupilsWindow(service)
    qtbot.addWidget(window)
    assert window.add_button.isHidden() and window.import_button.isHidden()


def test_the_pupils_menu_in_the_main_window(
    qtbot: QtBot, staff_session: Session, pupils: dict[str, Pupil]
) -> None:
    window = MainWindow(services_for(staff_session))
    qtbot.addWidget(window)
    actions = window.pupil_actions
    assert not actions.import_action.isVisible()  # Staff may not import
    actions.list_action.trigger()
    assert actions.list_window is not None and actions.list_window.isVisible()
    page = actions.open_pupil(pupils["Oliver Bennett"])
    assert page.isVisible() and actions.pages[pupils["Oliver Bennett"].id] is page
    window.shut_down()


def test_one_pupils_menu_with_the_list_first(qtbot: QtBot, session: Session) -> None:
    window = MainWindow(services_for(session))
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.count("&Pupils") == 1
    texts = [a.text() for a in window.pupils_menu.actions()]
    assert texts[:2] == ["Pupil &list…", "&Import pupils from a CSV file…"]
    assert window.pupil_actions.import_action.isVisible()  # a SENCO may import
    window.shut_down()


def test_a_pupils_page_shows_the_plan_in_force_and_opens_it(
    qtbot: QtBot, session: Session, pupils: dict[str, Pupil]
) -> None:
    from tests.gui.test_plans import save_plan

    window = MainWindow(services_for(session))
    qtbot.addWidget(window)
    oliver = pupils["Oliver Bennett"]
    page = window.pupil_actions.open_pupil(oliver)
    section = page.findChild(PlanSection)
    assert section is not None
    assert section.summary.text() == "No behaviour support plan on record for this pupil."
    save_plan(session, oliver)
    page.hide()
    window.pupil_actions.open_pupil(oliver)  # shown again: the section reads the plan afresh
    assert section.summary.text() == ("Version 1, in force from 05/01/2026; review due 05/07/2026.")
    qtbot.mouseClick(section.open_button, Qt.MouseButton.LeftButton)
    editor = window.plan_actions.editor
    assert editor is not None and editor.isVisible()
    window.shut_down()
