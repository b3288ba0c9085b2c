"""The record viewer: a submitted record read-only, its versions and what changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QTableWidget

from incident_recorder.domain.model import ContactMethod, Debriefs, Incident, Pupil, WhenWhere
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.record_view import RecordView
from tests.gui.conftest import explained

Submit = Callable[..., Incident]


@pytest.fixture
def view(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
) -> Callable[[int], RecordView]:
    def make(incident_id: int) -> RecordView:
        v = RecordView(incidents, directory, incident_id, prompter, "Europe/London")
        qtbot.addWidget(v)
        v.show()
        return v

    return make


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no item in row {row}, column {column}"
    return item.text()


def amend_location(incidents: IncidentService, record: Incident) -> Incident:
    d = record.details
    changed = dataclasses.replace(
        d,
        when_where=dataclasses.replace(d.when_where, location="Library"),
        debriefs=dataclasses.replace(d.debriefs, pupil_voice="I wanted to go outside."),
    )
    return incidents.amend(record.id, explained(changed, incidents), "The location was wrong.")


def test_the_header_says_what_the_record_is_and_viewing_is_audited(
    view: Callable[[int], RecordView], submit_record: Submit, session: Session
) -> None:
    record = submit_record("Leo Fernandes")
    v = view(record.id)
    assert v.windowTitle() == f"Record {record.reference}"
    assert v.title.text() == f"Record {record.reference}: Leo Fernandes"
    info = v.info.text()
    assert "Submitted" in info
    assert "version 1 of 1" in info
    assert "submitted by Siân Griffiths on 20/03/2026 15:30" in info
    assert "Classroom" in v.browser.toPlainText()
    assert v.amend_button.isEnabled()
    assert "not been amended" in v.compare.summary.text()
    views = [e for e in session.store.audit.entries() if e.action == "view"]
    assert [e.incident_id for e in views] == [record.id]


def test_versions_and_the_changed_fields_after_an_amendment(
    view: Callable[[int], RecordView], submit_record: Submit, incidents: IncidentService
) -> None:
    record = submit_record("Leo Fernandes")
    amend_location(incidents, record)
    v = view(record.id)
    assert "Submitted and amended" in v.info.text()
    assert "version 2 of 2" in v.info.text()
    assert "last amended by Siân Griffiths" in v.info.text()
    table = v.compare.versions
    assert table.rowCount() == 2
    assert cell_text(table, 1, 3) == "The location was wrong."
    assert cell_text(table, 0, 3) == "First submitted"
    changes = v.compare.model
    rows = {
        (changes.change(r).section, changes.change(r).label): changes.change(r)
        for r in range(changes.rowCount())
    }
    location = rows[("When and where", "Location")]
    assert (location.before, location.after) == ("Classroom", "Library")
    assert rows[("The pupil's voice and debriefs", "The pupil's own words")].after == (
        "I wanted to go outside."
    )
    assert v.compare.summary.text().startswith("2 fields changed from version 1 to version 2.")
    assert "The location was wrong." in v.compare.summary.text()

    assert "Library" in v.browser.toPlainText()  # the latest version is shown first
    v.version_choice.setCurrentIndex(v.version_choice.findData(1))
    text = v.browser.toPlainText()
    assert "Classroom" in text
    assert "Library" not in text

    v.compare.compare(2, 2)
    assert v.compare.model.rowCount() == 0
    assert "two different versions" in v.compare.summary.text()
    table.selectAll()  # two rows selected: compared
    assert v.compare.model.rowCount() == 2


def test_changed_fields_model_passes_the_model_tester(
    qtmodeltester: ModelTester,
    view: Callable[[int], RecordView],
    submit_record: Submit,
    incidents: IncidentService,
) -> None:
    record = submit_record("Leo Fernandes")
    amend_location(incidents, record)
    v = view(record.id)
    qtmodeltester.check(v.compare.model)


def test_another_pupil_from_the_event_starts_a_linked_draft(
    qtbot: QtBot,
    view: Callable[[int], RecordView],
    submit_record: Submit,
    incidents: IncidentService,
) -> None:
    record = submit_record("Leo Fernandes")
    v = view(record.id)
    assert v.linked.text() == "No other pupil was recorded for this event."
    with qtbot.waitSignal(v.linked_draft_created) as created:
        v.add_pupil_button.click()
    draft_id = created.args[0]
    assert [s.id for s in incidents.linked(record)] == [draft_id]
    v.reload()
    assert "a draft by Siân Griffiths" in v.linked.text()


def test_linked_records_are_listed_and_can_be_opened(
    qtbot: QtBot,
    view: Callable[[int], RecordView],
    submit_record: Submit,
    incidents: IncidentService,
    pupils: dict[str, Pupil],
) -> None:
    first = submit_record("Leo Fernandes")
    draft = incidents.add_pupil_to_event(first.id)
    details = dataclasses.replace(
        first.details,
        who=dataclasses.replace(first.details.who, pupil_id=pupils["Maya Chen"].id),
        when_where=WhenWhere(
            first.details.when_where.date,
            first.details.when_where.start,
            first.details.when_where.end,
            "Classroom",
        ),
        debriefs=Debriefs(pupil_debriefed=False, pupil_not_debriefed_reason="Went home early."),
    )
    second = incidents.submit(draft.id, explained(details, incidents))
    v = view(first.id)
    assert f"{second.reference}</a> (Maya Chen)" in v.linked.text()
    with qtbot.waitSignal(v.record_requested) as requested:
        v.linked.linkActivated.emit(f"incident:{second.id}")
    assert requested.args == [second.id]


def test_changes_read_as_the_record_does(
    view: Callable[[int], RecordView], submit_record: Submit, incidents: IncidentService
) -> None:
    record = submit_record("Leo Fernandes")
    parents = record.details.parents
    changed = dataclasses.replace(
        record.details,
        parents=dataclasses.replace(
            parents,
            told_how=ContactMethod.EMAIL,
            told_at=parents.told_at.replace(minute=30) if parents.told_at else None,
        ),
    )
    incidents.amend(record.id, explained(changed, incidents), "Parents were emailed.")
    v = view(record.id)
    model = v.compare.model
    shown = {model.change(r).label: model.change(r) for r in range(model.rowCount())}
    assert (shown["Told how"].before, shown["Told how"].after) == ("Telephone", "Email")
    assert (shown["Told at"].before, shown["Told at"].after) == (
        "20/03/2026 12:00",
        "20/03/2026 12:30",
    )
