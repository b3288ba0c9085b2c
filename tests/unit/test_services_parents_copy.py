"""The written record supplied to parents, through ParentsService and LetterService on
the fakes: who may mark a copy supplied (every role against every action, as
docs/permissions.md says), audited without names; an amendment after a copy makes the
newer one due until it goes or is decided against; section 93A for a pupil aged 20 or
over; nothing for a withheld record. Everyone here is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    Contact,
    Incident,
    NewPupil,
    ParentsContact,
    ParentsStatus,
    Role,
)
from incident_recorder.domain.parents_copy import CopyHow, Duty, DutyState
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.letters import LetterService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.session import Session
from tests.fakes import (
    AFTER_THE_DUTY_BEGAN,
    DUTY_DAY,
    RENDERER,
    FakeClock,
    FakeSchool,
    complete_details,
    new_school,
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
NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET, not_yet_reason="No answer", summary_for_parents="A hard day."
)


def at(hour: int, days: int = 0) -> datetime:
    return datetime.combine(INCIDENT_DAY, datetime.min.time()).replace(hour=hour) + timedelta(
        days=days
    )


def submit(
    school: FakeSchool,
    who: Session,
    parents: ParentsContact = NOT_YET,
    born: date | None = None,
) -> Incident:

    pupil = school.store.pupils.add(
        NewPupil("Zofia", "Kowalczyk", contacts=(MUM,), date_of_birth=born)
    )
    assert who.user.staff_id is not None
    d = dataclasses.replace(
        complete_details(pupil.id, who.user.staff_id, INCIDENT_DAY), parents=parents
    )
    draft = IncidentService(who).new_draft(d)
    return school.store.incidents.submit(draft.id, d, who.user.id, school.clock.now())


def amend(school: FakeSchool, who: Session, record: Incident) -> None:
    latest = school.store.incidents.get(record.id)
    d = dataclasses.replace(
        latest.details,
        parents=dataclasses.replace(latest.details.parents, summary_for_parents="Corrected."),
    )
    school.store.incidents.amend(record.id, d, who.user.id, "A correction", school.clock.now())


# ------------------------------------------------------------------ role × action

ROLES = {
    "staff who wrote it": frozenset({Role.STAFF}),
    "other staff": frozenset({Role.STAFF}),
    "SENCO": frozenset({Role.SENCO}),
    "safeguarding lead": frozenset({Role.SAFEGUARDING_LEAD}),
    "administrator": frozenset({Role.ADMINISTRATOR}),
    "school office": frozenset({Role.OFFICE}),
}


def _supply(service: ParentsService, _letters: LetterService, record: Incident) -> None:
    service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")


def _decline(service: ParentsService, _letters: LetterService, record: Incident) -> None:
    service.decline_amended_copy(record.id, "It corrected a spelling only.")


def _see(service: ParentsService, _letters: LetterService, record: Incident) -> None:
    assert service.view(record.id).duties


def _on_list(service: ParentsService, _letters: LetterService, record: Incident) -> None:
    if record.id not in {r.incident_id for r in service.to_tell()}:
        raise NotAllowed("not on the list")


def _sent_with_letter(service: ParentsService, letters: LetterService, record: Incident) -> None:
    draft = letters.prepare(record.id)
    letters.confirm_sent_together(draft, [0], CopyHow.POSTED)


ACTIONS: dict[str, Callable[[ParentsService, LetterService, Incident], None]] = {
    "mark a copy supplied": _supply,
    "say an amended copy need not go": _decline,
    "see the duties on the record": _see,
    "see it on the parents' duties list": _on_list,
    "confirm the letter and the record went out together": _sent_with_letter,
}
# docs/permissions.md: the same roles who may record parents told may mark a copy
# supplied (records they may see; the school office, every record not withheld);
# letters are a safeguarding lead's.
DEALERS = {"staff who wrote it", "SENCO", "safeguarding lead", "school office"}
ALLOWED = {
    "mark a copy supplied": DEALERS,
    "say an amended copy need not go": DEALERS,
    "see the duties on the record": DEALERS,
    "see it on the parents' duties list": DEALERS,
    "confirm the letter and the record went out together": {"safeguarding lead"},
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(role: str, action: str) -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    author = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    record = submit(school, author)
    if action == "say an amended copy need not go":
        ParentsService(author).record_copy_supplied(
            record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk"
        )
        amend(school, author, record)
    who = author if role == "staff who wrote it" else sign_in_as(school, "x.other", ROLES[role])
    service = ParentsService(who)
    letters = LetterService(who, technique_words(), default_letter_template(), RENDERER)
    if role in ALLOWED[action]:
        ACTIONS[action](service, letters, record)
    else:
        with pytest.raises(NotAllowed):
            ACTIONS[action](service, letters, record)


# ------------------------------------------------------------------ the copy


def test_a_copy_supplied_is_kept_with_its_version_and_audited_without_names() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    record = submit(school, staff)
    service = ParentsService(staff)
    before = service.view(record.id)
    copy = next(d for d in before.duties if d.duty is Duty.COPY)
    assert copy.state in (DutyState.DUE, DutyState.OVERDUE)
    saved = service.record_copy_supplied(record.id, at(15), CopyHow.EMAILED, "Mrs Ewa Kowalczyk")
    assert (saved.version, saved.by_whom, saved.how) == (1, "Jo Adeyemi", CopyHow.EMAILED)
    after = service.view(record.id)
    copy = next(d for d in after.duties if d.duty is Duty.COPY)
    assert copy.state is DutyState.DONE and "emailed to the parents" in copy.text
    [entry] = [e for e in school.store.audit.entries() if e.action == "parents_copy_supplied"]
    assert entry.detail == "copy 1 of version 1 emailed"
    with pytest.raises(InvalidInput, match="future"):
        service.record_copy_supplied(record.id, at(9, days=1), CopyHow.HANDED, "Mum")
    with pytest.raises(InvalidInput, match="before the incident"):
        service.record_copy_supplied(record.id, at(9, days=-1), CopyHow.HANDED, "Mum")
    with pytest.raises(InvalidInput, match="which parent"):
        service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, " ")


def test_an_amendment_after_the_copy_makes_the_newer_one_due_until_it_goes() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    record = submit(school, staff)
    service = ParentsService(staff)
    assert service.amended_copy_due(record.id) is None  # nothing supplied yet
    service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
    with pytest.raises(InvalidInput, match="no amended version"):
        service.decline_amended_copy(record.id, "Nothing changed")
    amend(school, staff, record)
    assert service.amended_copy_due(record.id) == 1
    view = service.view(record.id)
    copy = next(d for d in view.duties if d.duty is Duty.COPY)
    assert copy.state is DutyState.DUE
    assert "The copy supplied was version 1; version 2 is newer" in copy.text
    [row] = [r for r in service.to_tell() if r.incident_id == record.id]
    assert row.newer_copy_due
    with pytest.raises(InvalidInput, match="why"):
        service.decline_amended_copy(record.id, "  ")
    service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
    assert service.amended_copy_due(record.id) is None
    assert [s.version for s in service.view(record.id).supplies] == [1, 2]

    amend(school, staff, record)  # version 3, decided against
    service.decline_amended_copy(record.id, "It corrected a spelling only.")
    assert service.amended_copy_due(record.id) is None
    copy = next(d for d in service.view(record.id).duties if d.duty is Duty.COPY)
    assert (
        copy.state is DutyState.DONE and "need not go: it corrected a spelling" in copy.text.lower()
    )
    assert any(e.action == "parents_copy_not_needed" for e in school.store.audit.entries())


def test_a_pupil_aged_20_or_over_has_no_duty_and_is_not_listed() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    born = date(INCIDENT_DAY.year - 20, INCIDENT_DAY.month, INCIDENT_DAY.day)
    record = submit(school, staff, born=born)
    service = ParentsService(staff)
    view = service.view(record.id)
    assert view.adult
    assert {d.state for d in view.duties} == {DutyState.NOT_REQUIRED}
    assert record.id not in {r.incident_id for r in service.to_tell()}
    # The school may still choose to tell, and give the record.
    service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
    copy = next(d for d in service.view(record.id).duties if d.duty is Duty.COPY)
    assert copy.state is DutyState.NOT_REQUIRED and copy.text.startswith("The written record")


def test_no_copy_goes_when_telling_parents_was_withheld() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    lead = sign_in_as(school, "r.okafor", frozenset({Role.SAFEGUARDING_LEAD}))
    withheld = ParentsContact(
        status=ParentsStatus.WITHHELD,
        withheld_reason="A disclosure about home",
        withheld_decided_by="Ms R Okafor",
        la_told_at=at(14),
        la_told_who="Duty desk",
    )
    record = submit(school, lead, parents=withheld)
    service = ParentsService(lead)
    assert {d.state for d in service.view(record.id).duties} == {DutyState.WITHHELD}
    with pytest.raises(NotAllowed, match="withheld"):
        service.record_copy_supplied(record.id, at(15), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
