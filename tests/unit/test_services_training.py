"""TrainingService (issue 13): who may do what with the staff's training (every role
against every action), the audit entries, the CSV import's preview and apply, and the
form's warning through IncidentService."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.errors import BadImportFile, CannotSubmit, InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    IncidentDetails,
    NewPupil,
    Role,
    StaffInvolvement,
    StaffPart,
)
from incident_recorder.domain.training import TrainingImport, TrainingRecord, TrainingState
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.services.training import TrainingService
from tests.fakes import (
    INCIDENT_DAY,
    RENDERER,
    FakeSchool,
    complete_details,
    new_school,
    sign_in_as,
)

ROLES = {
    "staff": frozenset({Role.STAFF}),
    "SENCO": frozenset({Role.SENCO}),
    "safeguarding lead": frozenset({Role.SAFEGUARDING_LEAD}),
    "administrator": frozenset({Role.ADMINISTRATOR}),
    "school office": frozenset({Role.OFFICE}),
}
CSV = b"Name,Course,Date trained\nSam Okafor,Team-Teach,01/03/2026\n"


def _school() -> tuple[FakeSchool, int]:
    """A school with Sam Okafor on the staff list and one training entry of theirs."""
    school = new_school()
    sam = school.store.staff.add("Sam Okafor", "Teaching assistant")
    TrainingService(school.admin).add(TrainingRecord(sam.id, "Team-Teach", date(2025, 9, 1)))
    return school, sam.id


ACTIONS: dict[str, tuple[Callable[[TrainingService, int, Path], object], set[str]]] = {
    "see everyone's training": (
        lambda s, sam, p: [r for r in s.overview() if r.staff.id == sam] or s.entries(sam),
        {"SENCO", "safeguarding lead", "administrator"},
    ),
    "see what is due": (lambda s, sam, p: s.due(), {"SENCO", "safeguarding lead", "administrator"}),
    "see one person's history": (
        lambda s, sam, p: s.history(sam),
        {"SENCO", "safeguarding lead", "administrator"},
    ),
    "add training": (
        lambda s, sam, p: s.add(TrainingRecord(sam, "MAPA", date(2026, 1, 5))),
        {"safeguarding lead", "administrator"},
    ),
    "correct an entry": (
        lambda s, sam, p: s.correct(1, TrainingRecord(sam, "Team-Teach", date(2025, 9, 2))),
        {"safeguarding lead", "administrator"},
    ),
    "remove an entry": (
        lambda s, sam, p: s.remove(1, "Typed for the wrong person."),
        {"safeguarding lead", "administrator"},
    ),
    "preview a CSV import": (
        lambda s, sam, p: s.import_csv(p),
        {"safeguarding lead", "administrator"},
    ),
    "import a CSV file": (
        lambda s, sam, p: s.apply(s.import_csv(p)) if s.may_edit else s.apply(_empty_preview()),
        {"safeguarding lead", "administrator"},
    ),
    "set how long training lasts": (lambda s, sam, p: s.set_valid_months(24), {"administrator"}),
}


def _empty_preview() -> TrainingImport:
    return TrainingImport((), (), (), ())


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(role: str, action: str, tmp_path: Path) -> None:
    school, sam = _school()
    path = tmp_path / "training.csv"
    path.write_bytes(CSV)
    who = sign_in_as(school, "x.person", ROLES[role])
    service = TrainingService(who)
    run, allowed = ACTIONS[action]
    before = len(school.actions())
    if role in allowed:
        run(service, sam, path)
    else:
        with pytest.raises(NotAllowed):
            run(service, sam, path)
        assert len(school.actions()) == before  # nothing written, nothing audited


def test_staff_see_their_own_training_only() -> None:
    school, sam = _school()
    staff = sign_in_as(school, "j.marsh", full_name="Jo Marsh")
    own = staff.user.staff_id
    assert own is not None
    TrainingService(school.admin).add(TrainingRecord(own, "Team-Teach", date(2026, 2, 1)))
    service = TrainingService(staff)
    rows = service.overview()
    assert [(r.staff.full_name, r.today.state) for r in rows] == [("Jo Marsh", TrainingState.VALID)]
    assert [e.course for e in service.entries(own)] == ["Team-Teach"]
    with pytest.raises(NotAllowed):
        service.entries(sam)
    assert not service.may_edit and not service.may_see_all and not service.may_set_months


def test_changes_are_audited_with_ids_only() -> None:
    school, sam = _school()
    service = TrainingService(school.admin)
    first = service.entries(sam)[0]
    assert first.id is not None
    corrected = service.correct(first.id, TrainingRecord(sam, "Team Teach", date(2025, 9, 2)))
    assert corrected.replaces == first.id
    assert [e.course for e in service.entries(sam)] == ["Team Teach"]
    assert corrected.id is not None
    service.remove(corrected.id, "Made in error.")
    assert service.entries(sam) == []
    history = service.history(sam)
    assert [(kind, entry.course, note) for kind, entry, note in history] == [
        ("entry", "Team-Teach", ""),
        ("entry", "Team Teach", ""),
        ("removal", "Team Teach", "Made in error."),
    ]
    assert school.actions()[-3:] == ["training_added", "training_corrected", "training_removed"]
    assert school.stores.data is not None
    details = [e.detail for e in school.stores.data.audit if e.action.startswith("training")]
    assert all("Sam" not in d and "Okafor" not in d for d in details)
    with pytest.raises(InvalidInput, match="say why"):
        service.remove(1, " ")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (TrainingRecord(0, " ", date(2026, 1, 1)), "Please enter the course"),
        (TrainingRecord(0, "Team-Teach", date(2026, 12, 1)), "after today"),
        (TrainingRecord(0, "Team-Teach", date(2026, 1, 1), date(2025, 1, 1)), "before the date"),
    ],
)
def test_bad_entries_are_refused(record: TrainingRecord, message: str) -> None:
    school, sam = _school()
    with pytest.raises(InvalidInput, match=message):
        TrainingService(school.admin).add(TrainingRecord(sam, *_rest(record)))


def _rest(record: TrainingRecord) -> tuple[str, date, date | None]:
    return record.course, record.trained_on, record.expires_on


def test_valid_months_setting() -> None:
    school, sam = _school()
    service = TrainingService(school.admin)
    assert service.valid_months == 12
    today = service.overview()[-1].today
    assert today.expires_on == date(2026, 9, 1)
    service.set_valid_months(6)
    assert service.valid_months == 6
    row = next(r for r in service.overview() if r.staff.id == sam)
    assert row.today.state is TrainingState.EXPIRED and row.today.expires_on == date(2026, 3, 1)
    assert school.actions()[-1] == "settings_changed"
    with pytest.raises(InvalidInput, match="from 1 to 60 months"):
        service.set_valid_months(0)


def test_due_lists_soonest_first() -> None:
    school, _ = _school()  # Sam's lasts until 01/09/2026: not due on 10/03/2026
    service = TrainingService(school.admin)
    ana = school.store.staff.add("Ana Diaz").id
    ben = school.store.staff.add("Ben Ford").id
    service.add(TrainingRecord(ana, "Team-Teach", date(2025, 4, 1)))  # due 01/04/2026
    service.add(TrainingRecord(ben, "Team-Teach", date(2025, 3, 1)))  # expired 01/03/2026
    assert [(m.full_name, d.days_left) for m, d in service.due()] == [
        ("Ben Ford", -9),
        ("Ana Diaz", 22),
    ]
    assert [m.full_name for m, _ in service.due(days=200)] == ["Ben Ford", "Ana Diaz", "Sam Okafor"]


def test_csv_preview_then_apply(tmp_path: Path) -> None:
    school, _ = _school()
    service = TrainingService(school.admin)
    path = tmp_path / "training.csv"
    path.write_text(
        "Name,Course,Date trained,Expires\n"
        "SAM OKAFOR,Team-Teach,01/03/2026,\n"
        "Jo Marsh,Team-Teach,02/03/2026,02/03/2027\n"
        "Jo Marsh,First aid,31/02/2026,\n",
        encoding="cp1252",
    )
    before = len(school.actions())
    preview = service.import_csv(path)
    assert len(school.actions()) == before  # a preview writes nothing
    assert [r.row for r in preview.rows] == [2]
    assert preview.unknown_names == ["Jo Marsh"]
    assert preview.problems == (
        "Row 4: the date trained '31/02/2026' is not a real date (use dd/mm/yyyy).",
    )
    done = service.apply(preview, add_unknown=True)
    assert (done.added, done.staff_added, done.skipped) == (2, 1, 0)
    jo = next(m for m in school.store.staff.list() if m.full_name == "Jo Marsh")
    assert [(e.course, e.expires_on) for e in service.entries(jo.id)] == [
        ("Team-Teach", date(2027, 3, 2))
    ]
    assert school.actions()[-1] == "training_imported"
    # the same file again: everything already recorded
    again = service.import_csv(path)
    assert again.rows == () and len(again.already) == 2


def test_csv_skip_unknown_and_bad_file(tmp_path: Path) -> None:
    school, _ = _school()
    service = TrainingService(school.admin)
    path = tmp_path / "t.csv"
    path.write_text("Name,Course,Date trained\nJo Marsh,Team-Teach,02/03/2026\n")
    done = service.apply(service.import_csv(path))
    assert (done.added, done.staff_added, done.skipped) == (0, 0, 1)
    assert [m.full_name for m in school.store.staff.list()] == ["Hana Bashir", "Sam Okafor"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Who,When\nx,y\n")
    with pytest.raises(BadImportFile, match="no 'Name' and 'Course'"):
        service.import_csv(bad)
    with pytest.raises(BadImportFile, match="could not be read"):
        service.import_csv(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- the form


def _record(
    school: FakeSchool, staff: tuple[StaffInvolvement, ...]
) -> tuple[Session, IncidentService, IncidentDetails]:
    author = sign_in_as(school, "a.author", frozenset({Role.STAFF}), "Ann Author")
    incidents = IncidentService(author)
    pupil_id = school.store.pupils.list()[0].id if school.store.pupils.list() else None
    if pupil_id is None:
        pupil_id = school.store.pupils.add(NewPupil("Mia", "Jones", year_group="4")).id
    details = complete_details(pupil_id, staff[0].staff_id, INCIDENT_DAY)
    details = dataclasses.replace(details, who=dataclasses.replace(details.who, staff=staff))
    return author, incidents, details


def test_the_form_warns_when_someone_who_held_the_pupil_has_no_or_expired_training() -> None:
    school, sam = _school()
    service = TrainingService(school.admin)
    ana = school.store.staff.add("Ana Diaz").id
    ben = school.store.staff.add("Ben Ford").id
    service.add(TrainingRecord(ben, "MAPA", date(2024, 1, 1)))  # expired 01/01/2025
    staff = (
        StaffInvolvement(sam, StaffPart.CARRIED_OUT),
        StaffInvolvement(ana, StaffPart.ASSISTED),
        StaffInvolvement(ben, StaffPart.ASSISTED),
    )
    _, incidents, details = _record(school, staff)
    found = {f.code: f for f in incidents.findings(details)}
    assert found["staff_training_missing"].message.startswith(
        "Ana Diaz has no positive-handling training recorded."
    )
    assert found["staff_training_expired"].message.startswith(
        "Ben Ford's MAPA training expired on 01/01/2025."
    )
    draft = incidents.new_draft(details)
    with pytest.raises(CannotSubmit) as refused:
        incidents.submit(draft.id, details)
    assert {f.code for f in refused.value.findings} == {
        "staff_training_missing",
        "staff_training_expired",
    }
    details = details.with_explanation("staff_training_missing", "Ana was the only adult near.")
    details = details.with_explanation("staff_training_expired", "Ben's refresher is booked.")
    done = incidents.submit(draft.id, details)
    assert done.reference
    # The held-by training shows on the record and the full printed record only.
    held = incidents.held_training(details)
    assert [t.on_day.text for t in held] == [
        "Team-Teach, trained 01/09/2025, valid until 01/09/2026",
        "No positive-handling training recorded",
        "MAPA, trained 01/01/2024, expired on 01/01/2025",
    ]
    lead = sign_in_as(school, "l.lead", frozenset({Role.SAFEGUARDING_LEAD}))
    records = RecordDocumentService(lead, RENDERER)
    full = records.build(done.id, for_parents=False)
    section = next(s for s in full.later_sections if s.heading.startswith("Positive-handling"))
    assert section.rows[0] == (
        "Sam Okafor",
        "Team-Teach, trained 01/09/2025, valid until 01/09/2026",
    )
    parents = records.build(done.id, for_parents=True)
    assert not any(s.heading.startswith("Positive-handling") for s in parents.later_sections)


def test_witnesses_and_supervisors_are_not_warned_about_and_no_list_means_no_warning() -> None:
    school = new_school()
    sam = school.store.staff.add("Sam Okafor").id
    ana = school.store.staff.add("Ana Diaz").id
    staff = (
        StaffInvolvement(sam, StaffPart.CARRIED_OUT),
        StaffInvolvement(ana, StaffPart.WITNESSED),
    )
    _, incidents, details = _record(school, staff)
    # Nobody's training is recorded yet: the school has not started the list.
    assert not [f for f in incidents.findings(details) if f.code.startswith("staff_training")]
    TrainingService(school.admin).add(TrainingRecord(sam, "Team-Teach", date(2026, 1, 5)))
    assert not [f for f in incidents.findings(details) if f.code.startswith("staff_training")]
