"""The School office role (issue 13), through the services on the fakes: every role
against every action of docs/permissions.md as the office column changes it (the
office sees the parents' duties and each record's copy for parents, never the full
record), the denials in plain words, the audit of each opening (ids only), and a
record withheld for the child's safety staying with safeguarding leads. Everyone here
is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

import pytest

from incident_recorder.domain.backups import changes_records
from incident_recorder.domain.documents import OutputHow
from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import (
    Contact,
    ContactMethod,
    Incident,
    IncidentQuery,
    IncidentStatus,
    LetterSettings,
    NewPupil,
    ParentsContact,
    ParentsStatus,
    Role,
    User,
)
from incident_recorder.domain.parents_copy import CopyHow
from incident_recorder.domain.parents_told import WITHHELD_HIDDEN, AttemptOutcome
from incident_recorder.services.bundle import Services
from incident_recorder.services.incidents import PARENTS_COPY_ONLY, IncidentService
from incident_recorder.services.session import Session
from tests.fakes import (
    AFTER_THE_DUTY_BEGAN,
    DUTY_DAY,
    FakeClock,
    FakeSchool,
    complete_details,
    new_school,
    services_for,
    sign_in_as,
)

INCIDENT_DAY = DUTY_DAY

MUM = Contact(
    "Mrs Ewa Kowalczyk",
    "Mother",
    parental_responsibility=True,
    address="3 Elm Row, Exampletown, EX1 1AA",
    receives_correspondence=True,
)
SUMMARY = "Zofia was upset after break and was guided to the quiet room."
NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET, not_yet_reason="No answer", summary_for_parents=SUMMARY
)
WITHHELD = ParentsContact(
    status=ParentsStatus.WITHHELD,
    withheld_reason="A disclosure about home",
    withheld_decided_by="Ms R Okafor, safeguarding lead",
    la_told_at=datetime.combine(INCIDENT_DAY, datetime.min.time()).replace(hour=14),
    la_told_who="Duty desk",
)

ACCOUNT = "10:05 the pupil climbed on the desk."  # in complete_details' internal account
OFFICE = frozenset({Role.OFFICE})


def at(hour: int) -> datetime:
    return datetime.combine(INCIDENT_DAY, datetime.min.time()).replace(hour=hour)


def submit(school: FakeSchool, who: Session, parents: ParentsContact = NOT_YET) -> Incident:
    pupil = school.store.pupils.add(NewPupil("Zofia", "Kowalczyk", contacts=(MUM,)))
    assert who.user.staff_id is not None
    d = dataclasses.replace(
        complete_details(pupil.id, who.user.staff_id, INCIDENT_DAY), parents=parents
    )
    draft = IncidentService(who).new_draft(d)
    return school.store.incidents.submit(draft.id, d, who.user.id, school.clock.now())


# ------------------------------------------------------------------ role × action

ROLES = {
    "staff who wrote it": frozenset({Role.STAFF}),
    "other staff": frozenset({Role.STAFF}),
    "SENCO": frozenset({Role.SENCO}),
    "safeguarding lead": frozenset({Role.SAFEGUARDING_LEAD}),
    "administrator": frozenset({Role.ADMINISTRATOR}),
    "school office": OFFICE,
    "staff and school office": frozenset({Role.STAFF, Role.OFFICE}),
}
Action = Callable[[Services, Incident], object]


def _listed(services: Services, _record: Incident) -> None:
    if not services.incidents.search(IncidentQuery(status=IncidentStatus.SUBMITTED)).rows:
        raise NotAllowed("nothing listed")


def _amend(services: Services, record: Incident) -> None:
    latest = services.incidents.open(record.id)
    d = dataclasses.replace(
        latest.details, parents=dataclasses.replace(latest.details.parents, summary_for_parents="x")
    )
    services.incidents.amend(record.id, d, "A correction")


def _duties_list(services: Services, record: Incident) -> None:
    if record.id not in {r.incident_id for r in services.parents.to_tell()}:
        raise NotAllowed("not on the list")
    if services.parents.to_tell_count() != 1:
        raise NotAllowed("not counted")


def _plan(services: Services, _record: Incident) -> None:
    if not services.plans.may_read:
        raise NotAllowed("no plans")


ACTIONS: dict[str, Action] = {
    "record an incident": lambda s, _r: s.incidents.new_draft(),
    "see the incident list": _listed,
    "open the full record": lambda s, r: s.incidents.open(r.id),
    "read the versions": lambda s, r: s.incidents.versions(r.id),
    "open the copy for parents": lambda s, r: s.records.parents_copy(r.id),
    "print the copy for parents": lambda s, r: s.records.make(r.id, True, OutputHow.PRINTED),
    "print the full record": lambda s, r: s.records.make(r.id, False, OutputHow.PRINTED),
    "amend": _amend,
    "sign off": lambda s, r: s.sign_off.sign_off(r.id),
    "make a letter": lambda s, r: s.letters.prepare(r.id),
    "see the duties on the record": lambda s, r: s.parents.view(r.id),
    "see it on the parents' duties list": _duties_list,
    "record a call": lambda s, r: s.parents.record_attempt(
        r.id, at(13), ContactMethod.PHONE, AttemptOutcome.TOLD, "Mrs Ewa Kowalczyk"
    ),
    "mark a copy supplied": lambda s, r: s.parents.record_copy_supplied(
        r.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk"
    ),
    "quick-add a pupil": lambda s, _r: s.directory.quick_add_pupil(NewPupil("Ada", "Obi")),
    "read a behaviour support plan": _plan,
    "pupil review": lambda s, r: s.reviews.pupil_review(r.details.who.pupil_id or 0),
    "change the school's details": lambda s, _r: s.settings.save_school_and_letters(
        s.settings.school_details(),
        LetterSettings(
            "Ms Hana Bashir", contact_name="Ms Hana Bashir", contact_phone="01632 960000"
        ),
    ),
}
READERS = {"staff who wrote it", "SENCO", "safeguarding lead"}
EVERY_READER = {"SENCO", "safeguarding lead"}
OFFICES = {"school office", "staff and school office"}
RECORDERS = {"staff who wrote it", "other staff", "SENCO", "safeguarding lead"}
# docs/permissions.md, with the School office column (issue 13).
ALLOWED: dict[str, set[str]] = {
    "record an incident": RECORDERS | {"staff and school office"},
    "see the incident list": READERS,
    "open the full record": READERS,
    "read the versions": READERS,
    "open the copy for parents": READERS | OFFICES,
    "print the copy for parents": READERS | OFFICES,
    "print the full record": READERS,
    "amend": READERS,
    "sign off": {"safeguarding lead"},
    "make a letter": {"safeguarding lead"},
    "see the duties on the record": READERS | OFFICES,
    "see it on the parents' duties list": READERS | OFFICES,
    "record a call": READERS | OFFICES,
    "mark a copy supplied": READERS | OFFICES,
    "quick-add a pupil": RECORDERS | {"administrator", "staff and school office"},
    "read a behaviour support plan": RECORDERS | {"administrator", "staff and school office"},
    "pupil review": EVERY_READER,
    "change the school's details": {"administrator"},
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(role: str, action: str) -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    author = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    record = submit(school, author)
    who = author if role == "staff who wrote it" else sign_in_as(school, "x.other", ROLES[role])
    services = services_for(who)
    if role in ALLOWED[action]:
        ACTIONS[action](services, record)
    else:
        with pytest.raises(NotAllowed):
            ACTIONS[action](services, record)


def test_the_allowed_table_covers_every_action() -> None:
    assert set(ALLOWED) == set(ACTIONS)


# ------------------------------------------------------------------ the office


def _office(school: FakeSchool) -> Session:
    return sign_in_as(school, "d.whitlow", OFFICE, full_name="Dana Whitlow")


def test_an_account_with_only_the_office_role_is_valid_and_deals_with_parents() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    office = _office(school)
    user: User = office.user
    assert user.roles == OFFICE and user.office_only and user.deals_with_parents
    assert user.sees_all_parents_duties and not user.reads_records and not user.may_record
    assert Role("office") is Role.OFFICE and Role.OFFICE.label == "School office"
    both = sign_in_as(school, "p.shah", frozenset({Role.STAFF, Role.OFFICE})).user
    assert not both.office_only and both.may_record and both.sees_all_parents_duties


def test_the_office_is_told_it_sees_the_copy_for_parents_not_the_full_record() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    record = submit(school, sign_in_as(school, "j.adeyemi"))
    services = services_for(_office(school))
    for read in (
        lambda: services.incidents.open(record.id),
        lambda: services.incidents.versions(record.id),
        lambda: services.records.build(record.id, False),
    ):
        with pytest.raises(NotAllowed) as refused:
            read()
        assert str(refused.value) == PARENTS_COPY_ONLY
    assert services.parents.opens_as_parents_copy(record.id)


def test_the_copy_for_parents_leaves_out_the_account_and_each_opening_is_audited() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    record = submit(school, sign_in_as(school, "j.adeyemi"))
    office = _office(school)
    doc = services_for(office).records.parents_copy(record.id)
    assert doc.for_parents and doc.reference == record.reference
    latest = doc.latest.details
    assert latest.what_happened.account == "" and latest.who.other_witnesses == ""
    assert ACCOUNT not in repr(doc) and SUMMARY in latest.parents.summary_for_parents
    entries = [e for e in school.store.audit.entries() if e.actor_id == office.user.id]
    opened = [e for e in entries if e.action == "view_parents_copy"]
    assert [(e.incident_id, e.detail) for e in opened] == [(record.id, record.reference)]
    assert opened[0].record_sha256  # the version read, for the audit check
    assert not changes_records("view_parents_copy")  # reading alone makes no backup
    assert not [e for e in entries if e.action == "view"]  # not the full record
    made = [e for e in entries if e.action == "record_document"]
    assert [e.detail for e in made] == ["copy for parents"]
    # Names never go into the audit log.
    assert not any("Kowalczyk" in e.detail or "Zofia" in e.detail for e in entries)


def test_a_withheld_record_stays_with_safeguarding_leads() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    withheld = submit(school, staff, WITHHELD)
    listed = submit(school, staff)
    lead = sign_in_as(school, "r.okafor", frozenset({Role.SAFEGUARDING_LEAD}))
    services = services_for(_office(school))
    assert [r.incident_id for r in services.parents.to_tell()] == [listed.id]
    assert services.parents.to_tell_count() == 1
    for read in (
        lambda: services.records.parents_copy(withheld.id),
        lambda: services.parents.view(withheld.id),
        lambda: services.parents.record_attempt(
            withheld.id, at(13), ContactMethod.PHONE, AttemptOutcome.TOLD, "Mum"
        ),
        lambda: services.incidents.open(withheld.id),
    ):
        with pytest.raises(NotAllowed, match="You do not have access to this record"):
            read()
    # The lead still sees the reasons; the office sees none of them anywhere.
    assert "A disclosure" in " ".join(services_for(lead).parents.view(withheld.id).withheld_lines)
    assert services.parents.view(listed.id).withheld_lines == ()
    assert WITHHELD_HIDDEN not in services.parents.view(listed.id).withheld_lines


def test_the_office_does_not_see_drafts() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    draft = IncidentService(staff).new_draft()
    services = services_for(_office(school))
    with pytest.raises(NotAllowed, match="You do not have access"):
        services.records.parents_copy(draft.id)
    assert services.incidents.drafts() == []


def test_the_office_records_what_parents_were_told_and_the_list_updates() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    record = submit(school, sign_in_as(school, "j.adeyemi"))
    office = services_for(_office(school))
    parents = office.parents
    [row] = parents.to_tell()
    assert row.missing == "Not told yet; no letter sent; record not supplied"
    parents.record_attempt(
        record.id, at(13), ContactMethod.PHONE, AttemptOutcome.TOLD, "Mrs Ewa Kowalczyk"
    )
    saved = parents.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
    assert saved.by_whom == "Dana Whitlow" and saved.version == 1
    [row] = parents.to_tell()
    assert row.missing == "No letter sent"
    school.clock.advance(minutes=1)
    office.records.make(record.id, True, OutputHow.SAVED)
    outputs = school.store.documents.outputs_for(record.id)
    assert [(o.how, o.kind.value) for o in outputs] == [(OutputHow.SAVED, "record_for_parents")]


def test_the_office_copy_says_how_many_staff_accounts_are_kept_never_their_words() -> None:
    from incident_recorder.domain.model import StaffInvolvement, StaffPart
    from incident_recorder.services.statements import StatementService

    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    author = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    witness = sign_in_as(school, "w.okoro", full_name="Wale Okoro")
    pupil = school.store.pupils.add(NewPupil("Zofia", "Kowalczyk", contacts=(MUM,)))
    assert author.user.staff_id is not None and witness.user.staff_id is not None
    d = complete_details(pupil.id, author.user.staff_id, INCIDENT_DAY)
    d = dataclasses.replace(
        d,
        parents=NOT_YET,
        who=dataclasses.replace(
            d.who,
            staff=(*d.who.staff, StaffInvolvement(witness.user.staff_id, StaffPart.WITNESSED)),
        ),
    )
    incidents = IncidentService(author)
    record = incidents.submit(incidents.new_draft(d).id, d)
    statements = StatementService(witness)
    [request] = statements.my_requests()
    words = "I saw the chair thrown and stayed beside the other children."
    statements.write(request.request.id or 0, words)
    doc = services_for(_office(school)).records.parents_copy(record.id)
    rows = [row for section in doc.later_sections for row in section.rows]
    assert (
        "",
        "Accounts from 1 member of staff involved are kept with the school's record.",
    ) in rows
    assert words not in repr(doc)
    with pytest.raises(NotAllowed, match="copy for parents, not the full record"):
        StatementService(_office(school)).for_record(record.id)
