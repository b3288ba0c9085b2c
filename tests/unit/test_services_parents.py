"""ParentsService on the fakes: recording contacts (checked, audited), the summary, the
to-tell list (Staff see only theirs), and withheld details for safeguarding leads only.
Everyone here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    Contact,
    ContactMethod,
    Incident,
    NewPupil,
    ParentsContact,
    ParentsStatus,
    Role,
)
from incident_recorder.domain.parents_copy import CopyHow
from incident_recorder.domain.parents_told import WITHHELD_HIDDEN, AttemptOutcome, LetterDelivery
from incident_recorder.services.incidents import IncidentService
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

MUM = Contact("Mrs Ewa Kowalczyk", "Mother", parental_responsibility=True)
NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET, not_yet_reason="No answer", summary_for_parents="A hard day."
)
WITHHELD = ParentsContact(
    status=ParentsStatus.WITHHELD,
    withheld_reason="A disclosure about home",
    withheld_decided_by="Ms R Okafor, safeguarding lead",
    la_told_at=datetime.combine(INCIDENT_DAY, datetime.min.time()).replace(hour=14),
    la_told_who="Duty desk",
)


def submit(school: FakeSchool, who: Session, parents: ParentsContact = NOT_YET) -> Incident:
    pupil = school.store.pupils.add(NewPupil("Zofia", "Kowalczyk", contacts=(MUM,)))
    assert who.user.staff_id is not None
    d = complete_details(pupil.id, who.user.staff_id, INCIDENT_DAY)
    d = dataclasses.replace(d, parents=parents)
    draft = IncidentService(who).new_draft(d)
    return school.store.incidents.submit(draft.id, d, who.user.id, school.clock.now())


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime.combine(INCIDENT_DAY, datetime.min.time()).replace(
        hour=hour, minute=minute
    ) + timedelta(days=days)


def test_a_call_where_they_were_told_is_kept_audited_and_makes_them_told() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    record = submit(school, staff)
    service = ParentsService(staff)
    assert service.to_tell_count() == 1
    saved = service.record_attempt(
        record.id, at(14, 40), ContactMethod.PHONE, AttemptOutcome.TOLD, "Mrs Ewa Kowalczyk"
    )
    assert saved.by_whom == "Jo Adeyemi"  # defaults to the signed-in person
    view = service.view(record.id)
    assert view.summary.told and view.summary.told_same_day
    assert view.parent_names == ("Mrs Ewa Kowalczyk (Mother)",)
    [row] = service.to_tell()
    assert row.missing == "No letter sent; record not supplied"
    service.record_letter_sent(record.id, at(14, 50), LetterDelivery.HANDED, "Mrs Ewa Kowalczyk")
    [row] = service.to_tell()
    assert row.missing == "Record not supplied"  # the law since 1 April 2026
    service.record_copy_supplied(record.id, at(14, 50), CopyHow.HANDED, "Mrs Ewa Kowalczyk")
    assert service.to_tell() == [] and service.to_tell_count() == 0
    entries = [e for e in school.store.audit.entries() if e.action == "parent_contact"]
    assert len(entries) == 2
    assert all("Kowalczyk" not in e.detail and "Adeyemi" not in e.detail for e in entries)


def test_times_in_the_future_or_before_the_incident_are_refused() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    record = submit(school, staff)
    service = ParentsService(staff)
    with pytest.raises(InvalidInput, match="future"):
        service.record_reply(record.id, at(9, days=1), ContactMethod.PHONE, "Mum")
    with pytest.raises(InvalidInput, match="before the incident"):
        service.record_reply(record.id, at(9, days=-1), ContactMethod.PHONE, "Mum")
    with pytest.raises(InvalidInput, match="which parent"):
        service.record_reply(record.id, at(14), ContactMethod.PHONE, "  ")


def test_staff_see_only_their_own_records_on_the_list() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    mine = sign_in_as(school, "j.adeyemi")
    other = sign_in_as(school, "k.osei")
    lead = sign_in_as(school, "r.okafor", frozenset({Role.SAFEGUARDING_LEAD}))
    own = submit(school, mine)
    theirs = submit(school, other)
    assert [r.incident_id for r in ParentsService(mine).to_tell()] == [own.id]
    assert ParentsService(mine).to_tell_count() == 1
    assert {r.incident_id for r in ParentsService(lead).to_tell()} == {own.id, theirs.id}
    with pytest.raises(NotAllowed):
        ParentsService(mine).view(theirs.id)
    with pytest.raises(NotAllowed):
        ParentsService(mine).record_reply(theirs.id, at(14), ContactMethod.PHONE, "Mum")


def test_withheld_details_are_for_safeguarding_leads_only_and_never_listed() -> None:
    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    lead = sign_in_as(school, "r.okafor", frozenset({Role.SAFEGUARDING_LEAD}))
    record = submit(school, staff, WITHHELD)
    assert ParentsService(staff).view(record.id).withheld_lines == (WITHHELD_HIDDEN,)
    lines = " ".join(ParentsService(lead).view(record.id).withheld_lines)
    assert "A disclosure about home" in lines and "Ms R Okafor" in lines and "Duty desk" in lines
    assert ParentsService(lead).to_tell() == []
    with pytest.raises(NotAllowed, match="safeguarding lead"):
        ParentsService(staff).record_attempt(
            record.id, at(14), ContactMethod.PHONE, AttemptOutcome.TOLD, "Mum"
        )
    # The record view and the printed record hide them too (incidents.compare as well).
    assert not IncidentService(staff).sees_withheld_details
    assert IncidentService(lead).sees_withheld_details


def test_the_record_view_and_the_printed_record_hide_withheld_details_from_others() -> None:
    from incident_recorder.services.incidents import DirectoryService
    from incident_recorder.services.record_document import RecordDocumentService
    from incident_recorder.ui.record_summary import record_html

    school = new_school(FakeClock(AFTER_THE_DUTY_BEGAN))
    staff = sign_in_as(school, "j.adeyemi")
    lead = sign_in_as(school, "r.okafor", frozenset({Role.SAFEGUARDING_LEAD}))
    record = submit(school, staff, WITHHELD)
    for who, shown in ((staff, False), (lead, True)):
        html = record_html(record.details, IncidentService(who), DirectoryService(who))
        assert ("A disclosure about home" in html) is shown
        assert ("Ms R Okafor" in html) is shown
        assert ("safeguarding leads only" in html) is not shown
        printed = RecordDocumentService(who, RENDERER).build(record.id, for_parents=False)
        parents = printed.versions[-1].details.parents
        assert (parents.withheld_reason == WITHHELD.withheld_reason) is shown
