"""Gathering the oversight facts from a real encrypted store (issue 14): a handful of
records whose every flag is worked out here by hand (withheld, before 1 April 2026,
letter late, signed off late across a weekend, recorded after midnight in summer
time), the pupils on roll counted by days, and the same dates a year earlier.
Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time

import pytest

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import (
    Deescalation,
    FloorPosition,
    HoldUse,
    Incident,
    IncidentDetails,
    Intervention,
    InterventionKind,
    ParentsContact,
    ParentsStatus,
    Pupil,
    Role,
    SenStatus,
    StaffInvolvement,
    StaffPart,
    User,
    WhatHappened,
    WhenWhere,
)
from incident_recorder.domain.oversight.facts import IncidentFacts, Period
from incident_recorder.domain.parents_copy import CopyHow, CopySupply
from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    ParentContactEntry,
)
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.services.reports import ReportService
from incident_recorder.services.session import Session
from incident_recorder.store._values import sha256_text
from incident_recorder.store.database import SqlStore
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc

NOW = utc(2026, 5, 14, 15, 0)  # Thursday 14 May 2026, 16:00 in London
PERIOD = Period(date(2026, 3, 1), date(2026, 5, 14), "Spring and summer so far")


def _lead(store: SqlStore) -> User:
    with store.transaction():
        member = store.staff.add("Halima Ionescu", "Deputy head")
        return store.users.add(
            "h.ionescu", member.full_name, frozenset({Role.SAFEGUARDING_LEAD}), member.id
        )


def _details(
    school: School,
    pupil: Pupil,
    day: date,
    *,
    parents: ParentsContact | None = None,
    holds: tuple[HoldUse, ...] = (),
    held_by: int | None = None,
    deescalation: Deescalation | None = None,
    floor: frozenset[FloorPosition] = frozenset(),
) -> IncidentDetails:
    base = school.details(pupil, day=day, start=time(10, 15))
    staff = () if held_by is None else (StaffInvolvement(held_by, StaffPart.CARRIED_OUT),)
    return dataclasses.replace(
        base,
        when_where=WhenWhere(day, time(10, 15), time(10, 40), "Dining hall"),
        who=dataclasses.replace(base.who, staff=staff),
        what_happened=WhatHappened(
            account="A fictional account.", antecedent_types=("Change to routine",)
        ),
        deescalation=deescalation or Deescalation(strategies=("Calm voice",)),
        intervention=Intervention(
            kind=InterventionKind.REASONABLE_FORCE,
            holds=holds,
            floor_position=bool(floor),
            floor_positions=floor,
        ),
        parents=parents or ParentsContact(status=ParentsStatus.NOT_YET, not_yet_reason="Later."),
    )


def _sign(store: SqlStore, lead: User, incident: Incident, at: datetime) -> None:
    [version] = store.incidents.versions(incident.id)
    with store.transaction():
        store.sign_offs.add(
            SignOff(incident.id, 1, sha256_text(_json(version.details))), lead.id, at
        )


def _json(details: IncidentDetails) -> str:
    from incident_recorder.domain.serialise import details_to_json

    return details_to_json(details)


def _contact(
    store: SqlStore, user: User, incident: Incident, kind: ContactEntryKind, at: datetime
) -> None:
    method = "posted" if kind is ContactEntryKind.LETTER_SENT else "phone"
    outcome = AttemptOutcome.TOLD.value if kind is ContactEntryKind.ATTEMPT else ""
    with store.transaction():
        store.parent_contacts.add(
            ParentContactEntry(incident.id, kind, at, method, "Mum", outcome),
            user.id,
            utc(2026, 5, 1),
        )


@pytest.fixture
def world(school: School) -> dict[str, object]:
    store = school.store
    lead = _lead(store)
    teacher = school.teacher
    zoe, jonty, keira = school.pupils
    with store.transaction():
        zoe = store.pupils.update(
            dataclasses.replace(zoe, ethnicity="WBRI", sen_status=SenStatus.EHCP, sex="F")
        )
        from incident_recorder.domain.model import NewPupil

        left_early = store.pupils.add(NewPupil("Lola", "Leftearly"))
        store.pupils.update(dataclasses.replace(left_early, left_on=date(2026, 3, 10)))
        gone = store.pupils.add(NewPupil("Gwen", "Gonebefore"))
        store.pupils.update(dataclasses.replace(gone, left_on=date(2026, 2, 1)))
        store.pupils.add(NewPupil("Nia", "Newcomer", joined_on=date(2026, 5, 1)))
        store.pupils.add(NewPupil("Fin", "Future", joined_on=date(2026, 6, 1)))
        # Aled's training ran out in January 2025; Tomasz's is valid.
        store.training.add(
            TrainingRecord(school.assistant.id, "Team-Teach", date(2024, 1, 10)),
            school.admin.id,
            utc(2024, 1, 11),
        )
        store.training.add(
            TrainingRecord(school.teacher_staff.id, "Team-Teach", date(2026, 1, 5)),
            school.admin.id,
            utc(2026, 1, 6),
        )
    # A: Thursday 5 March. Recorded and told the same day, letter the next day, signed
    # off on Monday (2 school days after Thursday: Friday, Monday), a prone hold of 11
    # minutes by someone whose training had expired. Before 1 April: no copy duty.
    a = school.submit(
        teacher,
        _details(
            school,
            zoe,
            date(2026, 3, 5),
            parents=ParentsContact(
                status=ParentsStatus.TOLD,
                told_who="Mum",
                told_at=datetime(2026, 3, 5, 15, 0),
                told_by="Tomasz Teacherly",
            ),
            holds=(HoldUse("Single elbow", 11 * 60),),
            held_by=school.assistant.id,
            floor=frozenset({FloorPosition.PRONE}),
        ),
        utc(2026, 3, 5, 14),
    )
    _contact(store, teacher, a, ContactEntryKind.LETTER_SENT, datetime(2026, 3, 6, 9, 0))
    _sign(store, lead, a, utc(2026, 3, 9, 16))
    # B: Thursday 12 March, recorded on the Friday, telling parents withheld, signed
    # off the next Tuesday (Monday, Tuesday: 2 school days after Friday).
    b = school.submit(
        teacher,
        _details(
            school,
            jonty,
            date(2026, 3, 12),
            parents=ParentsContact(
                status=ParentsStatus.WITHHELD,
                withheld_reason="Telling them would put the child at risk.",
                withheld_decided_by="Halima Ionescu",
            ),
        ),
        utc(2026, 3, 13, 9),
    )
    _sign(store, lead, b, utc(2026, 3, 17, 10))
    # C: Thursday 16 April. Told the next day (a call), letter the next Tuesday (3
    # school days), the copy handed over on the Friday, signed off on Tuesday 21 April
    # (Friday, Monday, Tuesday: 3 school days, late across the weekend), no de-escalation.
    c = school.submit(
        teacher,
        _details(
            school,
            zoe,
            date(2026, 4, 16),
            deescalation=Deescalation(no_time_reason="It happened in a second."),
            held_by=school.teacher_staff.id,
        ),
        utc(2026, 4, 16, 13),
    )
    _contact(store, teacher, c, ContactEntryKind.ATTEMPT, datetime(2026, 4, 17, 9, 0))
    _contact(store, teacher, c, ContactEntryKind.LETTER_SENT, datetime(2026, 4, 21, 9, 0))
    with store.transaction():
        store.parents_copies.add(
            CopySupply(c.id, 1, datetime(2026, 4, 17, 9, 5), CopyHow.HANDED, parent="Mum"),
            teacher.id,
            utc(2026, 4, 17, 9),
        )
    _sign(store, lead, c, utc(2026, 4, 21, 11))
    # D: Monday 20 April, submitted at 23:30 UTC: 00:30 on Tuesday in London (summer
    # time), so not the same day. Nothing done since: every duty is late by now.
    school.submit(teacher, _details(school, keira, date(2026, 4, 20)), utc(2026, 4, 20, 23, 30))
    # E: today. Nothing is late yet, so no duty counts.
    school.submit(teacher, _details(school, jonty, date(2026, 5, 14)), utc(2026, 5, 14, 11))
    # Outside the period, a draft inside it, and last year's.
    school.submit(teacher, _details(school, zoe, date(2026, 2, 27)), utc(2026, 2, 27, 12))
    school.draft(teacher, _details(school, keira, date(2026, 4, 1)), utc(2026, 4, 1, 12))
    school.submit(teacher, _details(school, keira, date(2025, 3, 20)), utc(2025, 3, 20, 12))
    return {"lead": lead, "a": a, "b": b, "c": c}


def _service(school: School, user: User) -> ReportService:
    return ReportService(Session(user, school.store, FakeClock(NOW)), RENDERER)


def _by_day(incidents: tuple[IncidentFacts, ...]) -> dict[date, IncidentFacts]:
    return {i.occurred_on: i for i in incidents}


def test_each_record_is_judged_as_counted_by_hand(school: School, world: dict[str, object]) -> None:
    lead = world["lead"]
    assert isinstance(lead, User)
    inputs = _service(school, lead).gather(PERIOD)
    facts = _by_day(inputs.incidents)
    assert sorted(facts) == [
        date(2026, 3, 5),
        date(2026, 3, 12),
        date(2026, 4, 16),
        date(2026, 4, 20),
        date(2026, 5, 14),
    ]
    a, b, c, d, e = (facts[day] for day in sorted(facts))
    flags = (
        "recorded_same_day",
        "parents_told_same_day",
        "letter_within_1_school_day",
        "copy_supplied",
        "signed_off_within_2_school_days",
        "deescalation_recorded",
        "hold_over_threshold",
        "staff_training_expired",
    )
    table = {name: [getattr(x, name) for x in (a, b, c, d, e)] for name in flags}
    assert table == {
        "recorded_same_day": [True, False, True, False, True],
        "parents_told_same_day": [True, None, False, False, None],
        "letter_within_1_school_day": [True, None, False, False, None],
        "copy_supplied": [None, None, True, False, None],
        "signed_off_within_2_school_days": [True, True, False, False, None],
        "deescalation_recorded": [True, True, False, True, True],
        "hold_over_threshold": [True, False, False, False, False],
        "staff_training_expired": [True, None, False, None, None],
    }
    assert a.floor_positions == frozenset({"prone"}) and not c.floor_positions
    assert a.kind == "reasonable_force" and a.techniques == ("Single elbow",)
    assert a.antecedent_kinds == ("Change to routine",) and a.location == "Dining hall"
    assert a.duration_minutes == 25 and a.start == time(10, 15)
    assert a.reference == world["a"].reference  # type: ignore[attr-defined]
    zoe = school.pupils[0]
    assert a.pupil_key == c.pupil_key == str(zoe.id)


def test_the_roll_counts_days_on_roll_in_the_period(
    school: School, world: dict[str, object]
) -> None:
    lead = world["lead"]
    assert isinstance(lead, User)
    inputs = _service(school, lead).gather(PERIOD)
    assert PERIOD.days == 75
    roll = {p.name: p for p in inputs.pupils}
    assert {name: p.days_on_roll for name, p in roll.items()} == {
        "Zoë Fabricated": 75,
        "Jonty Madeup": 75,
        "Keira Notreal": 75,
        "Lola Leftearly": 9,  # left on 10 March: on roll 1 to 9 March
        "Nia Newcomer": 14,  # joined on 1 May
    }  # Gwen left before the period; Fin joins after it
    zoe = roll["Zoë Fabricated"].characteristics
    assert (zoe.ethnicity, zoe.ethnic_group, zoe.sen, zoe.sex, zoe.year_group) == (
        "WBRI",
        "white",
        "ehcp",
        "F",
        "5",
    )
    assert inputs.names_shown and inputs.school == "Fictional Willow Academy"
    assert inputs.period == PERIOD


def test_last_year_holds_the_same_dates_a_year_earlier(
    school: School, world: dict[str, object]
) -> None:
    lead = world["lead"]
    assert isinstance(lead, User)
    inputs = _service(school, lead).gather(PERIOD)
    assert [i.occurred_on for i in inputs.last_year] == [date(2025, 3, 20)]


def test_the_school_calendar_decides_what_a_school_day_is(
    school: School, world: dict[str, object]
) -> None:
    """With Friday 17 April an INSET day, the Monday and Tuesday after C are its 1st
    and 2nd school days; the summer term's first day is the boundary inside the period."""
    lead = world["lead"]
    assert isinstance(lead, User)
    calendar = SchoolCalendar(
        terms=(
            Term("Spring", date(2026, 1, 5), date(2026, 3, 27)),
            Term("Summer", date(2026, 4, 13), date(2026, 7, 22)),
        ),
        closures=(Closure(date(2026, 4, 17), "INSET day"),),
    )
    service = ReportService(Session(lead, school.store, FakeClock(NOW)), RENDERER, lambda: calendar)
    inputs = service.gather(PERIOD)
    c = _by_day(inputs.incidents)[date(2026, 4, 16)]
    # Friday 17 April closed: Monday and Tuesday are the 1st and 2nd school days after
    # Thursday, so C's sign-off on Tuesday is on time; the letter on Tuesday is not.
    assert c.signed_off_within_2_school_days is True
    assert c.letter_within_1_school_day is False
    assert inputs.term_starts == (date(2026, 4, 13),)


def test_a_period_that_ends_before_it_starts_is_refused(
    school: School, world: dict[str, object]
) -> None:
    lead = world["lead"]
    assert isinstance(lead, User)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        _service(school, lead).gather(Period(date(2026, 5, 1), date(2026, 4, 1)))


def test_the_records_behind_a_figure(school: School, world: dict[str, object]) -> None:
    lead = world["lead"]
    assert isinstance(lead, User)
    a, c = world["a"], world["c"]
    assert isinstance(a, Incident) and isinstance(c, Incident)
    rows = _service(school, lead).records_behind(
        [c.reference or "", a.reference or "", "1999-0001"]
    )
    assert [r.reference for r in rows] == [a.reference, c.reference]
    assert rows[0].pupil_name == "Zoë Fabricated"
