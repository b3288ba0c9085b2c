"""Recording, submitting, reading and amending incidents, on in-memory fakes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from incident_recorder.domain.errors import (
    CannotSubmit,
    InvalidInput,
    NotAllowed,
    NotFound,
    NothingChanged,
    ReasonRequired,
    RecordLocked,
)
from incident_recorder.domain.model import (
    HoldUse,
    IncidentDetails,
    IncidentQuery,
    IncidentStatus,
    NewPupil,
    Role,
    SenStatus,
    StaffInvolvement,
    StaffPart,
)
from incident_recorder.services.incidents import DirectoryService, IncidentService, details_sha256
from incident_recorder.services.session import Session
from tests.fakes import INCIDENT_DAY, FakeSchool, complete_details, new_school, sign_in_as


@dataclass
class World:
    school: FakeSchool
    amara: int  # pupil ids
    tomasz: int
    staff: Session  # Staff: Jo Adeyemi
    colleague: Session  # Staff: Siân Griffiths
    senco: Session  # SENCO: Priya Shah

    def service(self, session: Session) -> IncidentService:
        return IncidentService(session)

    def record(self, session: Session, pupil_id: int | None = None) -> IncidentDetails:
        assert session.user.staff_id is not None
        return complete_details(pupil_id or self.amara, session.user.staff_id, INCIDENT_DAY)

    def submitted(self, session: Session, details: IncidentDetails | None = None) -> int:
        service = self.service(session)
        draft = service.new_draft()
        done = service.submit(draft.id, details or self.record(session))
        return done.id

    def entries(self) -> list[tuple[str, int | None, str | None]]:
        data = self.school.stores.data
        assert data is not None
        return [(e.action, e.incident_id, e.record_sha256) for e in data.audit]


@pytest.fixture
def world() -> World:
    school = new_school()
    directory = DirectoryService(school.admin)
    amara = directory.quick_add_pupil(NewPupil("Amara", "Okafor", upn="B801200005001"))
    tomasz = directory.quick_add_pupil(NewPupil("Tomasz", "Nowak"))
    return World(
        school,
        amara.id,
        tomasz.id,
        sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi"),
        sign_in_as(school, "s.griffiths", full_name="Siân Griffiths"),
        sign_in_as(school, "p.shah", frozenset({Role.SENCO}), "Priya Shah"),
    )


# --------------------------------------------------------------------------- drafts


def test_a_new_draft_is_audited_as_created(world: World) -> None:
    draft = world.service(world.staff).new_draft()
    assert draft.status is IncidentStatus.DRAFT and draft.reference is None
    assert draft.author_id == world.staff.user.id
    assert world.entries()[-1] == ("create", draft.id, None)
    assert [d.id for d in world.service(world.staff).drafts()] == [draft.id]
    assert world.service(world.colleague).drafts() == []


def test_an_administrator_only_account_cannot_record(world: World) -> None:
    service = world.service(world.school.admin)
    with pytest.raises(NotAllowed, match="cannot record"):
        service.new_draft()
    assert service.search(IncidentQuery()).rows == ()


def test_an_administrator_with_another_role_can_record() -> None:
    school = new_school(admin_roles=frozenset({Role.SAFEGUARDING_LEAD}))
    assert IncidentService(school.admin).new_draft().author_id == school.admin.user.id


def test_autosave_keeps_the_latest_typing(world: World) -> None:
    service = world.service(world.staff)
    draft = service.new_draft()
    half = IncidentDetails().with_explanation("injury", "typing…")
    world.school.clock.advance(seconds=5)
    service.save_draft(draft.id, half)
    again = service.open(draft.id)
    assert again.details == half
    assert again.updated_at == world.school.clock.now()
    assert "view" not in [a for a, *_ in world.entries()]  # only submitted records


def test_only_the_author_may_change_submit_discard_or_read_a_draft(world: World) -> None:
    draft = world.service(world.staff).new_draft()
    other = world.service(world.colleague)
    record = world.record(world.staff)
    with pytest.raises(NotAllowed):
        other.save_draft(draft.id, record)
    with pytest.raises(NotAllowed):
        other.submit(draft.id, record)
    with pytest.raises(NotAllowed):
        other.discard_draft(draft.id)
    with pytest.raises(NotAllowed):
        other.open(draft.id)
    with pytest.raises(NotAllowed):
        world.service(world.senco).open(draft.id)  # even a SENCO: drafts are private


def test_discarding_a_draft(world: World) -> None:
    service = world.service(world.staff)
    draft = service.new_draft()
    service.discard_draft(draft.id)
    assert service.drafts() == []
    assert world.entries()[-1] == ("discard_draft", draft.id, None)
    with pytest.raises(NotFound):
        service.open(draft.id)


# --------------------------------------------------------------------------- submit


def test_submit_is_blocked_while_anything_is_outstanding(world: World) -> None:
    service = world.service(world.staff)
    draft = service.new_draft()
    incomplete = dataclasses.replace(
        world.record(world.staff),
        when_where=dataclasses.replace(world.record(world.staff).when_where, location=""),
    )
    with pytest.raises(CannotSubmit) as caught:
        service.submit(draft.id, incomplete)
    assert [f.code for f in caught.value.findings] == ["required:when_where.location"]
    assert str(caught.value) == (
        "The record cannot be submitted yet: 1 item still needs attention. "
        "Choose or type where it happened."
    )
    assert service.open(draft.id).status is IncidentStatus.DRAFT
    assert "submit" not in [a for a, *_ in world.entries()]


def test_an_unexplained_warning_blocks_submit_until_explained(world: World) -> None:
    service = world.service(world.staff)
    draft = service.new_draft()
    record = world.record(world.staff)
    injured = dataclasses.replace(
        record,
        injuries=dataclasses.replace(
            record.injuries,
            pupil_injured=True,
            pupil_injury="Red mark on wrist",
            first_aid="Cold compress",
            first_aid_by="Office first aider",
        ),
    )
    with pytest.raises(CannotSubmit) as caught:
        service.submit(draft.id, injured)
    assert [f.code for f in caught.value.findings] == ["injury"]
    done = service.submit(draft.id, injured.with_explanation("injury", "Told the DSL at 13:00"))
    assert done.status is IncidentStatus.SUBMITTED


def test_submit_locks_the_record_with_gapless_references(world: World) -> None:
    service = world.service(world.staff)
    first = service.new_draft()
    abandoned = service.new_draft()
    second = service.new_draft()
    service.discard_draft(abandoned.id)
    a = service.submit(second.id, world.record(world.staff))
    b = service.submit(first.id, world.record(world.staff, world.tomasz))
    assert (a.reference, b.reference) == ("2026-0001", "2026-0002")
    assert a.status is IncidentStatus.SUBMITTED and a.version == 1
    assert a.submitted_at == world.school.clock.now()
    with pytest.raises(RecordLocked, match="2026-0001"):
        service.save_draft(a.id, IncidentDetails())
    with pytest.raises(RecordLocked):
        service.submit(a.id, world.record(world.staff))
    assert service.drafts() == []


def test_references_start_again_each_year(world: World) -> None:
    world.submitted(world.staff)
    world.school.clock.set(datetime(2027, 1, 5, 15, 0, tzinfo=UTC))
    service = world.service(world.staff)
    record = complete_details(world.amara, world.staff.user.staff_id or 0, date(2027, 1, 5))
    done = service.submit(service.new_draft().id, record)
    assert done.reference == "2027-0001"


def test_submit_is_audited_with_the_hash_of_the_version(world: World) -> None:
    details = world.record(world.staff)
    incident_id = world.submitted(world.staff, details)
    (version,) = world.service(world.staff).versions(incident_id)
    assert version.sha256 == details_sha256(details)
    assert ("submit", incident_id, details_sha256(details)) in world.entries()
    assert world.school.store.audit.verify() == []


# --------------------------------------------------------------------------- reading


def test_viewing_a_submitted_record_is_audited(world: World) -> None:
    incident_id = world.submitted(world.staff)
    opened = world.service(world.senco).open(incident_id)
    data = world.school.stores.data
    assert data is not None
    last = data.audit[-1]
    assert (last.action, last.actor_id, last.incident_id) == (
        "view",
        world.senco.user.id,
        incident_id,
    )
    assert last.record_sha256 == details_sha256(opened.details)
    assert last.detail == "2026-0001"


def test_staff_see_only_their_own_records_and_those_they_are_named_on(world: World) -> None:
    own = world.submitted(world.staff)
    colleagues = world.submitted(world.colleague)
    colleague_staff = world.colleague.user.staff_id or 0
    named_record = dataclasses.replace(
        world.record(world.colleague, world.tomasz),
        who=dataclasses.replace(
            world.record(world.colleague).who,
            pupil_id=world.tomasz,
            staff=(
                StaffInvolvement(colleague_staff, StaffPart.CARRIED_OUT),
                StaffInvolvement(world.staff.user.staff_id or 0, StaffPart.WITNESSED),
            ),
        ),
    )
    named = world.submitted(world.colleague, named_record)

    mine = world.service(world.staff)
    assert {r.id for r in mine.search(IncidentQuery()).rows} == {own, named}
    assert mine.open(named).id == named
    with pytest.raises(NotAllowed):
        mine.open(colleagues)
    with pytest.raises(NotFound, match="2026-0002"):
        mine.by_reference("2026-0002")
    assert mine.by_reference(" 2026-0001 ").id == own

    senco = world.service(world.senco)
    assert senco.search(IncidentQuery()).total == 3
    assert senco.open(colleagues).id == colleagues


def test_search_filters_by_pupil_date_and_text(world: World) -> None:
    world.submitted(world.staff)
    world.submitted(world.staff, world.record(world.staff, world.tomasz))
    service = world.service(world.senco)
    by_pupil = service.search(IncidentQuery(pupil_id=world.tomasz))
    assert [r.pupil_name for r in by_pupil.rows] == ["Tomasz Nowak"]
    assert service.search(IncidentQuery(text="okafor")).total == 1
    assert service.search(IncidentQuery(text="NOWAK tomasz 2026-")).total == 1
    assert service.search(IncidentQuery(text="classroom")).total == 2
    assert service.search(IncidentQuery(date_from=date(2026, 3, 11))).total == 0
    drafts = service.search(IncidentQuery(status=IncidentStatus.DRAFT))
    assert drafts.total == 0  # the SENCO has no drafts of their own


def test_another_pupil_in_the_same_event_gets_a_linked_record(world: World) -> None:
    service = world.service(world.staff)
    first = service.new_draft()
    service.save_draft(first.id, world.record(world.staff))
    second = service.add_pupil_to_event(first.id)
    assert second.event_id == first.event_id and second.id != first.id
    shared = service.open(first.id).details
    assert second.details.when_where == shared.when_where
    assert second.details.who.staff == shared.who.staff
    assert second.details.who.pupil_id is None
    assert second.details.what_happened.pupil_behaviour == ""
    assert [s.id for s in service.linked(service.open(second.id))] == [first.id]
    assert world.entries()[-1][0] == "create"


# --------------------------------------------------------------------------- policy context


def test_the_schools_hold_limit_and_the_pupils_plan_feed_the_findings(world: World) -> None:
    settings = world.school.admin.settings()
    world.school.store.settings.save(dataclasses.replace(settings, hold_warning_minutes=15))
    data = world.school.stores.data
    assert data is not None
    data.pupils[world.amara] = dataclasses.replace(
        data.pupils[world.amara], sen_status=SenStatus.EHCP
    )
    record = world.record(world.staff)
    long = dataclasses.replace(
        record,
        intervention=dataclasses.replace(
            record.intervention, holds=(HoldUse("Seated wrap", 14 * 60),)
        ),
    )
    assert [f.code for f in world.service(world.staff).findings(long)] == ["no_plan"]


def test_an_amendment_is_judged_by_the_day_it_was_first_recorded(world: World) -> None:
    incident_id = world.submitted(world.staff)
    world.school.clock.advance(days=2)
    service = world.service(world.staff)
    incident = service.open(incident_id)
    assert service.findings(incident.details, incident) == []
    assert [f.code for f in service.findings(incident.details)] == ["late_recording"]


# --------------------------------------------------------------------------- amend


def _moved(details: IncidentDetails) -> IncidentDetails:
    return dataclasses.replace(
        details, when_where=dataclasses.replace(details.when_where, location="Corridor")
    )


def test_an_amendment_needs_a_reason_and_a_change(world: World) -> None:
    incident_id = world.submitted(world.staff)
    service = world.service(world.staff)
    details = service.open(incident_id).details
    with pytest.raises(ReasonRequired):
        service.amend(incident_id, _moved(details), "   ")
    with pytest.raises(NothingChanged):
        service.amend(incident_id, details, "Checked it")
    assert len(service.versions(incident_id)) == 1


def test_an_amendment_is_a_new_version_and_keeps_the_old_one(world: World) -> None:
    incident_id = world.submitted(world.staff)
    world.school.clock.advance(hours=2)
    service = world.service(world.senco)
    original = service.open(incident_id).details
    done = service.amend(incident_id, _moved(original), "  It was in the corridor  ")
    assert done.version == 2 and done.reference == "2026-0001"
    assert done.details.when_where.location == "Corridor"
    v1, v2 = service.versions(incident_id)
    assert v1.details == original and v1.reason == ""
    assert (v2.reason, v2.saved_by, v2.saved_by_name) == (
        "It was in the corridor",
        world.senco.user.id,
        "Priya Shah",
    )
    assert v2.saved_at == world.school.clock.now()
    (change,) = service.compare(v1, v2)
    assert (change.label, change.before, change.after) == ("Location", "Classroom", "Corridor")
    amend = [e for e in world.entries() if e[0] == "amend"]
    assert amend == [("amend", incident_id, details_sha256(_moved(original)))]


def test_an_amendment_cannot_break_the_rules(world: World) -> None:
    incident_id = world.submitted(world.staff)
    service = world.service(world.staff)
    details = service.open(incident_id).details
    broken = dataclasses.replace(
        details, when_where=dataclasses.replace(details.when_where, end=time(9, 0))
    )
    with pytest.raises(CannotSubmit):
        service.amend(incident_id, broken, "Wrong end time")


def test_who_may_amend(world: World) -> None:
    incident_id = world.submitted(world.staff)
    details = _moved(world.service(world.staff).open(incident_id).details)
    with pytest.raises(NotAllowed):
        world.service(world.colleague).amend(incident_id, details, "Tidying up")
    with pytest.raises(NotAllowed):
        world.service(world.school.admin).amend(incident_id, details, "Tidying up")
    assert world.service(world.staff).amend(incident_id, details, "Was the corridor").version == 2

    draft = world.service(world.staff).new_draft()
    with pytest.raises(NotAllowed, match="draft"):
        world.service(world.staff).amend(draft.id, details, "Not yet submitted")
    assert not world.service(world.staff).may_amend(world.service(world.staff).open(draft.id))


# --------------------------------------------------------------------------- the audit trail


def test_the_audit_trail_names_nobody_and_verifies(world: World) -> None:
    incident_id = world.submitted(world.staff)
    service = world.service(world.senco)
    service.open(incident_id)
    service.amend(incident_id, _moved(service.open(incident_id).details), "Correction")
    store = world.school.store
    details = " ".join(e.detail for e in store.audit.entries(limit=1000))
    for name in ("Amara", "Okafor", "Tomasz", "Siân", "Jo Adeyemi", "Priya", "Corridor"):
        assert name not in details
    assert store.audit.verify() == []
    data = world.school.stores.data
    assert data is not None
    data.audit[3] = dataclasses.replace(data.audit[3], detail="edited")
    assert store.audit.verify() == ["Audit entry 4 has been changed."]


def test_a_failed_write_leaves_no_trace(world: World) -> None:
    store = world.school.store
    before = world.entries()
    with pytest.raises(RuntimeError), store.transaction():
        store.audit.append(None, "create", world.school.clock.now())
        raise RuntimeError("power cut")
    assert world.entries() == before


# --------------------------------------------------------------------------- directory


def test_quick_add_pupil_tidies_the_names_and_audits_by_id(world: World) -> None:
    directory = DirectoryService(world.staff)
    pupil = directory.quick_add_pupil(
        NewPupil(
            "  Siân ", " Griffiths  Jones ", upn=" p207000016049 ", date_of_birth=date(2015, 9, 1)
        )
    )
    assert (pupil.first_name, pupil.last_name, pupil.upn) == (
        "Siân",
        "Griffiths Jones",
        "P207000016049",
    )
    assert directory.search_pupils("griff") == [pupil]
    last = world.school.store.audit.head()
    assert last is not None and (last.action, last.detail) == ("pupil_added", f"pupil {pupil.id}")


@pytest.mark.parametrize(
    ("pupil", "words"),
    [
        (NewPupil("", "Okafor"), "first name and last name"),
        (NewPupil("Amara", "  "), "first name and last name"),
        (NewPupil("Ada", "Obi", upn="A801200005001"), "check letter"),
        (NewPupil("Ada", "Obi", upn="B8012"), "13 characters"),
        (NewPupil("Ada", "Obi", upn="b801200005001"), "already on the list"),
        (NewPupil("Ada", "Obi", date_of_birth=INCIDENT_DAY), "in the past"),
        (NewPupil("Ada", "Obi", date_of_birth=date(2030, 1, 1)), "in the past"),
    ],
)
def test_quick_add_pupil_refuses_bad_details(world: World, pupil: NewPupil, words: str) -> None:
    directory = DirectoryService(world.staff)
    count = len(world.school.store.pupils.list())
    with pytest.raises(InvalidInput, match=words):
        directory.quick_add_pupil(pupil)
    assert len(world.school.store.pupils.list()) == count


def test_quick_add_staff_does_not_make_duplicates(world: World) -> None:
    directory = DirectoryService(world.staff)
    added = directory.quick_add_staff("  Kwame   Mensah ", "Teaching assistant")
    assert added.full_name == "Kwame Mensah"
    assert directory.quick_add_staff("kwame mensah") == added
    assert sum(s.full_name == "Kwame Mensah" for s in directory.staff_list()) == 1
    with pytest.raises(InvalidInput):
        directory.quick_add_staff(" K ")


# --------------------------------------------------------------------------- the date


def _dated(details: IncidentDetails, day: date) -> IncidentDetails:
    return dataclasses.replace(
        details, when_where=dataclasses.replace(details.when_where, date=day)
    )


def test_a_date_before_the_pupils_birth_is_refused_at_submit_and_on_amend(world: World) -> None:
    born = DirectoryService(world.school.admin).quick_add_pupil(
        NewPupil("Nia", "Kowalczyk", date_of_birth=date(2018, 4, 2))
    )
    service = world.service(world.staff)
    details = _dated(world.record(world.staff, born.id), date(1900, 1, 1))
    with pytest.raises(CannotSubmit) as refused:
        service.submit(service.new_draft().id, details)
    assert [f.message for f in refused.value.findings if f.code == "before_birth"] == [
        "The date is before Nia Kowalczyk was born (02/04/2018). Check the date."
    ]
    incident_id = world.submitted(world.staff, world.record(world.staff, born.id))
    with pytest.raises(CannotSubmit):
        service.amend(incident_id, details, "Typed the year wrongly")
    assert len(service.versions(incident_id)) == 1


def test_the_date_question_counts_from_the_day_the_record_was_submitted(world: World) -> None:
    incident_id = world.submitted(world.staff)
    world.school.clock.advance(days=400)
    service = world.service(world.staff)
    incident = service.open(incident_id)
    assert service.date_question(incident.details) is not None  # from today: long ago
    assert service.date_question(incident.details, incident) is None  # as it was recorded
    older = _dated(incident.details, date(2024, 1, 8))
    question = service.date_question(older, incident)
    assert question is not None and "before the record was submitted (10/03/2026)" in question
