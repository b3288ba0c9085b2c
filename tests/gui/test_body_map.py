"""The body map in the injuries step and in the record view (issue 13): a click on the
figure chooses the region; the keyboard chooses it from the list of every region; every
input has an accessible name; marks are saved with the record, versioned and shown.
Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from incident_recorder.domain.body_map import MAX_MARKS, REGIONS, InjuryKind, InjuryMark
from incident_recorder.domain.model import Incident, Injuries
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.body_map_editor import BodyMapEditor
from incident_recorder.ui.form.step_injuries import InjuriesPage
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.gui.form_support import focused, key, page, show_form, type_text

SHOTS = Path("/work/notes/shots")


def _shoot(widget: QWidget, name: str) -> None:
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / f"13-bodymap-{name}.png"))


def _scroll_to(form: IncidentForm, injuries: InjuriesPage, widget: QWidget) -> None:
    """Scroll the step so ``widget`` is on screen (a click goes where the window shows)."""
    QApplication.processEvents()  # the follow-on questions just shown are laid out
    scroll = next(w for w in form.findChildren(QScrollArea) if w.isAncestorOf(injuries))
    scroll.ensureWidgetVisible(widget, 0, 0)
    QApplication.processEvents()


def _injuries_page(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> tuple[IncidentForm, InjuriesPage]:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    form.go_to(Step.INJURIES)
    injuries = page(form, InjuriesPage)
    injuries.pupil_injured.buttons[0].click()  # Yes
    injuries.staff_injured.buttons[0].click()
    return form, injuries


def test_the_map_shows_only_for_someone_injured(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form = show_form(qtbot, incidents, directory, incidents.new_draft(), prompter)
    form.go_to(Step.INJURIES)
    injuries = page(form, InjuriesPage)
    assert not injuries.pupil_marks.isVisibleTo(injuries)
    injuries.pupil_injured.set_value(True)
    assert injuries.pupil_marks.isVisibleTo(injuries)
    assert not injuries.staff_marks.isVisibleTo(injuries)
    injuries.staff_injured.set_value(True)
    assert injuries.staff_marks.isVisibleTo(injuries)


def test_a_click_on_the_figure_chooses_that_region(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form, injuries = _injuries_page(qtbot, incidents, directory, prompter)
    editor = injuries.pupil_marks
    _scroll_to(form, injuries, editor.figure)
    spot = editor.figure.pixel_of("front_right_elbow").toPoint()
    qtbot.mouseClick(editor.figure, Qt.MouseButton.LeftButton, pos=spot)
    assert editor.chosen_region() == "front_right_elbow"
    assert editor.region_box.currentText() == "Right elbow (front)"
    assert "Chosen: Right elbow (front)." in editor.figure.accessibleDescription()
    # The back figure: the pupil's left shoulder is on the viewer's left.
    back = editor.figure.pixel_of("back_left_shoulder").toPoint()
    assert back.x() < editor.figure.pixel_of("back_right_shoulder").toPoint().x()
    qtbot.mouseClick(editor.figure, Qt.MouseButton.LeftButton, pos=back)
    assert editor.chosen_region() == "back_left_shoulder"
    # Outside the figure nothing changes.
    qtbot.mouseClick(editor.figure, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert editor.chosen_region() == "back_left_shoulder"
    editor.kind_box.setCurrentIndex(editor.kind_box.findData(InjuryKind.RED_MARK.value))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.value() == (InjuryMark("back_left_shoulder", InjuryKind.RED_MARK),)
    assert editor.marks_list.item(0).text() == "1. Red mark, Back of the left shoulder (back)"


def test_the_keyboard_marks_an_injury_from_the_list_and_it_is_saved(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    _form, injuries = _injuries_page(qtbot, incidents, directory, prompter)
    editor = injuries.pupil_marks
    editor.region_box.setFocus()
    assert focused() is editor.region_box
    # Every region is in the list by name (what a screen reader reads).
    names = [editor.region_box.itemText(i) for i in range(editor.region_box.count())]
    assert len(names) == len(REGIONS) + 1 and "Right elbow (front)" in names
    target = editor.region_box.findText("Right elbow (front)")
    while editor.region_box.currentIndex() < target:
        key(qtbot, Qt.Key.Key_Down)
    assert editor.chosen_region() == "front_right_elbow"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.kind_box
    key(qtbot, Qt.Key.Key_Down)  # Graze
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.note
    type_text(qtbot, "on the carpet")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.add_button
    key(qtbot, Qt.Key.Key_Space)
    assert editor.value() == (InjuryMark("front_right_elbow", InjuryKind.GRAZE, "on the carpet"),)
    assert "Added: 1. Graze, Right elbow (front): on the carpet." in editor.status.text()
    assert focused() is editor.region_box  # ready for the next one
    # Removed again from the list with the keyboard, then added back.
    editor.marks_list.setFocus()
    editor.marks_list.setCurrentRow(0)
    editor.remove_button.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert editor.value() == ()
    editor.set_value((InjuryMark("front_right_elbow", InjuryKind.GRAZE, "on the carpet"),))
    saved = injuries.apply(incidents.new_draft().details)
    assert saved.injuries.pupil_marks == editor.value()
    # Not injured after all: the marks are not kept.
    injuries.pupil_injured.set_value(False)
    assert injuries.apply(saved).injuries.pupil_marks == ()


def test_every_input_has_an_accessible_name(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    _form, injuries = _injuries_page(qtbot, incidents, directory, prompter)
    for editor, whose in ((injuries.pupil_marks, "the pupil"), (injuries.staff_marks, "staff")):
        assert isinstance(editor, BodyMapEditor)
        for widget in (
            editor.figure,
            editor.region_box,
            editor.kind_box,
            editor.note,
            editor.add_button,
            editor.marks_list,
            editor.remove_button,
        ):
            assert widget.accessibleName(), type(widget).__name__
        assert whose.split()[-1] in editor.region_box.accessibleName()
    slot = injuries.slots["pupil_marks"]
    assert slot.label.buddy() is injuries.pupil_marks.region_box


def test_a_mark_without_a_kind_shows_its_finding_and_at_most_twelve(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    _form, injuries = _injuries_page(qtbot, incidents, directory, prompter)
    editor = injuries.pupil_marks
    editor.region_box.setCurrentIndex(editor.region_box.findData("front_chest"))
    editor.add_button.click()
    qtbot.waitUntil(
        lambda: (
            "Say what kind of injury mark 1 (chest) is."
            in (injuries.slots["pupil_marks"].message.text())
        )
    )
    for r in REGIONS[1:MAX_MARKS]:
        editor.region_box.setCurrentIndex(editor.region_box.findData(r.code))
        editor.add_button.click()
    assert len(editor.value()) == MAX_MARKS
    editor.region_box.setCurrentIndex(editor.region_box.findData("back_head"))
    assert not editor.add_button.isEnabled()
    assert f"{MAX_MARKS} marks is the most" in editor.status.text()


def test_the_form_step_picture(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> None:
    form, injuries = _injuries_page(qtbot, incidents, directory, prompter)
    injuries.pupil_injury.setPlainText("A graze on the right elbow and a mark on the shoulder.")
    editor = injuries.pupil_marks
    editor.set_value(
        (
            InjuryMark("front_right_elbow", InjuryKind.GRAZE, "on the carpet"),
            InjuryMark("back_left_shoulder", InjuryKind.RED_MARK),
        )
    )
    editor.region_box.setCurrentIndex(editor.region_box.findData("front_left_knee"))
    _scroll_to(form, injuries, editor)
    qtbot.waitUntil(lambda: "Say whether" not in injuries.slots["pupil_injured"].message.text())
    # The step is laid out again as the follow-on questions appear: wait until it settles.
    qtbot.waitUntil(lambda: editor.figure.height() >= 300, timeout=5_000)
    _shoot(form, "form-step")
    assert editor.figure.width() >= 200 and editor.figure.height() >= 300


def test_the_record_view_shows_the_map_and_its_words(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
) -> None:
    marks = (
        InjuryMark("front_left_upper_arm", InjuryKind.BRUISE),
        InjuryMark("back_left_shoulder", InjuryKind.RED_MARK, "faint"),
    )
    injuries = Injuries(
        pupil_injured=True,
        pupil_injury="Bruised arm.",
        staff_injured=False,
        others_injured=False,
        first_aid="Ice pack.",
        first_aid_by="Ms Example",
        pupil_marks=marks,
    )
    record = submit_record("Leo Fernandes", injuries=injuries)
    assert incidents.open(record.id).details.injuries.pupil_marks == marks
    view = RecordView(incidents, directory, record.id, prompter, "Europe/London")
    qtbot.addWidget(view)
    view.show()
    text = view.browser.toPlainText()
    assert "Where the pupil was hurt (body map)" in text
    assert "A bruise to the left upper arm and a red mark to the back of the left shoulder." in text
    assert "2. Red mark: Back of the left shoulder (back) (faint)" in text
    assert 'src="data:image/png;base64,' in view.browser.toHtml() or "<img" in (
        view.browser.toHtml()
    )
    view.resize(980, 900)
    view.browser.scrollToAnchor("body-map-pupil")
    qtbot.wait(50)
    _shoot(view, "record-view")


def test_an_old_record_without_marks_opens_as_before(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
) -> None:
    record = submit_record("Leo Fernandes")
    assert record.details.injuries.pupil_marks == ()
    view = RecordView(incidents, directory, record.id, prompter, "Europe/London")
    qtbot.addWidget(view)
    assert "body map" not in view.browser.toPlainText()
    assert "<img" not in view.browser.toHtml()
    # And the form opens it for an amendment with empty maps.
    form = show_form(qtbot, incidents, directory, incidents.open(record.id), prompter, amend=True)
    assert page(form, InjuriesPage).pupil_marks.value() == ()
    amended = dataclasses.replace(record.details)
    assert amended == record.details
