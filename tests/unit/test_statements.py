"""Each adult's own account (issue 13): who is asked, the statuses, the school days
waited, the printed section (domain, table-driven); and the StatementService on the
fakes, with every role x action pair of docs/permissions.md. Everyone is fictional."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    NewPupil,
    Role,
    StaffInvolvement,
    StaffPart,
)
from incident_recorder.domain.school_days import add_school_days, school_days_between
from incident_recorder.domain.statements import (
    RequestState,
    RequestStatus,
    Statement,
    StatementKind,
    StatementRequest,
    canonical_text,
    outstanding,
    parts_text,
    staff_to_ask,
    statements_section,
    status_text,
    text_sha256,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session
from incident_recorder.services.statements import StatementService
from tests.fakes import INCIDENT_DAY, FakeSchool, complete_details, new_school, sign_in_as

C, A, W, S = (
    StaffPart.CARRIED_OUT,
    StaffPart.ASSISTED,
    StaffPart.WITNESSED,
    StaffPart.SUPERVISED,
)
MON = date(2026, 11, 23)  # a Monday


def _details(*staff: tuple[int, StaffPart]) -> IncidentDetails:
    base = complete_details(1, 1, INCIDENT_DAY)
    who = dataclasses.replace(base.who, staff=tuple(StaffInvolvement(i, p) for i, p in staff))
    return dataclasses.replace(base, who=who)


# --------------------------------------------------------------------------- school days


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (MON, MON, 0),
        (MON, MON + timedelta(days=1), 1),  # Monday -> Tuesday
        (MON, MON + timedelta(days=4), 4),  # Monday -> Friday
        (MON + timedelta(days=4), MON + timedelta(days=7), 1),  # Friday -> Monday
        (MON + timedelta(days=5), MON + timedelta(days=6), 0),  # Saturday -> Sunday
        (MON + timedelta(days=5), MON + timedelta(days=7), 1),  # Saturday -> Monday
        (MON, MON + timedelta(days=14), 10),  # two weeks
        (MON, MON - timedelta(days=3), 0),  # backwards
    ],
)
def test_school_days_between_counts_weekdays_after_the_start(
    start: date, end: date, days: int
) -> None:
    assert school_days_between(start, end) == days


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, MON + timedelta(days=1)),
        (MON + timedelta(days=4), 1, MON + timedelta(days=7)),  # Friday + 1 = Monday
        (MON + timedelta(days=5), 1, MON + timedelta(days=7)),  # Saturday + 1 = Monday
        (MON, 5, MON + timedelta(days=7)),
        (MON, -1, MON - timedelta(days=3)),  # Monday - 1 = Friday
    ],
)
def test_add_school_days_skips_weekends(day: date, n: int, expected: date) -> None:
    assert add_school_days(day, n) == expected
    if n > 0:
        assert school_days_between(day, add_school_days(day, n)) == n


# --------------------------------------------------------------------------- who is asked


@pytest.mark.parametrize(
    ("staff", "author", "asked", "expected"),
    [
        (((1, C), (2, W)), 1, (), (2,)),  # the author is not asked
        (((1, C), (2, W)), None, (), (1, 2)),  # an author with no staff link
        (((2, C), (2, W), (3, S)), 1, (), (2, 3)),  # named twice, asked once
        (((1, C), (2, A), (3, W)), 1, (2,), (3,)),  # an amendment: only the newly named
        (((1, C),), 1, (), ()),  # the author alone
        ((), 1, (), ()),
    ],
)
def test_who_is_asked_for_a_statement(
    staff: tuple[tuple[int, StaffPart], ...],
    author: int | None,
    asked: tuple[int, ...],
    expected: tuple[int, ...],
) -> None:
    assert staff_to_ask(_details(*staff), author, asked) == expected


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((C,), "carried out"),
        ((A, W), "assisted and witnessed"),
        ((C, A, S), "carried out, assisted and supervised"),
        ((), "no longer named on the record"),
    ],
)
def test_parts_in_words(parts: tuple[StaffPart, ...], text: str) -> None:
    assert parts_text(parts) == text


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("  My account.  ", "My account."),
        ("Line one.  \r\nLine two.\r\n\r\n", "Line one.\nLine two."),
        ("Zoe\u0308 was upset.", "Zoë was upset."),  # NFC
    ],
)
def test_the_canonical_text_and_its_fingerprint(raw: str, canonical: str) -> None:
    assert canonical_text(raw) == canonical
    assert text_sha256(raw) == text_sha256(canonical)


# --------------------------------------------------------------------------- status

ASKED = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # Monday


def _statement(kind: StatementKind, version: int = 1, text: str = "I saw it.") -> Statement:
    return Statement(
        1, version, kind, text, text_sha256(text), ASKED + timedelta(hours=version),
        saved_by=5, saved_by_name="Halima Ionescu",
    )  # fmt: skip


def _state(
    *statements: Statement, has_account: bool = True, asked: datetime = ASKED
) -> RequestState:
    return RequestState(
        StatementRequest(9, 2, asked, 1, id=1), statements, "Priya Placeholder", (W,),
        has_account, "2026-0007", "Amelia Testcase",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("statements", "status", "sentence"),
    [
        ((), RequestStatus.WAITING, "Asked on 23/11/2026 at 10:30, not yet given."),
        (
            (_statement(StatementKind.ACCOUNT),),
            RequestStatus.WRITTEN,
            "Written on 23/11/2026 at 11:30 (version 1).",
        ),
        (
            (_statement(StatementKind.ACCOUNT), _statement(StatementKind.ACCOUNT, 2)),
            RequestStatus.WRITTEN,
            "Written on 23/11/2026 at 12:30 (version 2).",
        ),
        (
            (_statement(StatementKind.NOTHING_TO_ADD, text=""),),
            RequestStatus.NOTHING_TO_ADD,
            "Had nothing to add (23/11/2026 at 11:30).",
        ),
        (
            (_statement(StatementKind.ON_PAPER, text="The pupil's file"),),
            RequestStatus.ON_PAPER,
            "Given on paper; recorded by Halima Ionescu on 23/11/2026 at 11:30. "
            "Filed: The pupil's file",
        ),
    ],
)
def test_a_requests_status(
    statements: tuple[Statement, ...], status: RequestStatus, sentence: str
) -> None:
    state = _state(*statements)
    assert state.status is status
    assert status_text(state) == sentence
    assert state.next_version == len(statements) + 1


def test_someone_with_no_account_is_to_be_asked_in_person() -> None:
    assert status_text(_state(has_account=False)).endswith(
        "not yet given (no account: ask them in person)."
    )


@pytest.mark.parametrize(
    ("asked", "now", "after", "days"),
    [
        (ASKED, datetime(2026, 11, 23, 16, 0), 1, None),  # the same day: not yet
        (ASKED, datetime(2026, 11, 24, 8, 0), 1, 1),  # Tuesday: one school day
        (ASKED, datetime(2026, 11, 24, 8, 0), 2, None),
        (ASKED + timedelta(days=4), datetime(2026, 11, 29, 9, 0), 1, None),  # Fri -> Sun
        (ASKED + timedelta(days=4), datetime(2026, 11, 30, 9, 0), 1, 1),  # Fri -> Mon
        (ASKED, datetime(2026, 12, 2, 9, 0), 1, 7),  # Monday -> Wednesday of next week
    ],
)
def test_outstanding_after_school_days(
    asked: datetime, now: datetime, after: int, days: int | None
) -> None:
    found = outstanding([_state(asked=asked)], now, after, lambda m: m.replace(tzinfo=None))
    assert [o.school_days_waiting for o in found] == ([] if days is None else [days])


def test_an_answered_request_is_never_outstanding_and_the_longest_waiting_come_first() -> None:
    now = datetime(2026, 12, 1, 9, 0)
    answered = _state(_statement(StatementKind.NOTHING_TO_ADD, text=""))
    older = _state(asked=ASKED - timedelta(days=7))
    found = outstanding([_state(), answered, older], now)
    assert [o.school_days_waiting for o in found] == [11, 6]


# --------------------------------------------------------------------------- printed


def test_the_full_record_prints_every_version_and_the_requests_waiting() -> None:
    written = _state(
        _statement(StatementKind.ACCOUNT, 1, "I saw the chair fall."),
        _statement(StatementKind.ACCOUNT, 2, "I saw the chair fall at 10:06."),
    )
    waiting = dataclasses.replace(
        _state(has_account=False),
        request=StatementRequest(9, 3, ASKED + timedelta(minutes=1), 1, id=2),
        staff_name="Nadia Noaccount",
        parts=(A,),
    )
    section = statements_section([written, waiting], for_parents=False)
    assert section is not None and section.heading == "Staff statements"
    labels = [label for label, _ in section.rows]
    assert labels == ["Priya Placeholder (witnessed)"] * 2 + ["Nadia Noaccount (assisted)"]
    assert section.rows[0][1].startswith("Version 1, written 23/11/2026 at 11:30:\nI saw the")
    assert (
        "Version 2, written 23/11/2026 at 12:30:\nI saw the chair fall at 10:06."
        in (section.rows[1][1])
    )
    assert "Fingerprint " + text_sha256("I saw the chair fall at 10:06.")[:12] in section.rows[1][1]
    assert section.rows[2][1] == (
        "Asked on 23/11/2026 at 10:31, not yet given (no account: ask them in person)."
    )
    nothing = statements_section([_state(_statement(StatementKind.NOTHING_TO_ADD, text=""))], False)
    assert nothing is not None and "had nothing to add." in nothing.rows[0][1]


@pytest.mark.parametrize(
    ("states", "line"),
    [
        ((), None),
        ((_state(),), None),  # asked, nothing given: nothing to say to parents
        (
            (_state(_statement(StatementKind.ACCOUNT, text="Zoë Exemplar threw it.")),),
            "Accounts from 1 member of staff involved are kept with the school's record.",
        ),
        (
            (
                _state(_statement(StatementKind.ACCOUNT)),
                _state(_statement(StatementKind.ON_PAPER, text="File")),
                _state(_statement(StatementKind.NOTHING_TO_ADD, text="")),
            ),
            "Accounts from 2 members of staff involved are kept with the school's record.",
        ),
    ],
)
def test_the_parents_copy_never_shows_a_statement(
    states: tuple[RequestState, ...], line: str | None
) -> None:
    section = statements_section(states, for_parents=True)
    if line is None:
        assert section is None
        return
    assert section is not None and section.rows == (("", line),)
    assert "Zoë" not in repr(section)


# --------------------------------------------------------------------------- service


@dataclasses.dataclass
class Setting:
    school: FakeSchool
    author: Session
    witness: Session
    lead: Session
    incident: Incident
    no_account_staff_id: int


def _record(author: Session, pupil_id: int, *staff: tuple[int, StaffPart]) -> Incident:
    details = complete_details(pupil_id, staff[0][0], INCIDENT_DAY)
    details = dataclasses.replace(
        details,
        who=dataclasses.replace(details.who, staff=tuple(StaffInvolvement(i, p) for i, p in staff)),
    )
    service = IncidentService(author)
    draft = service.new_draft(details)
    return service.submit(draft.id, details)


def _set_up() -> Setting:
    school = new_school()
    pupil = school.store.pupils.add(NewPupil("Mateo", "Fictional", upn="A123456789012"))
    author = sign_in_as(school, "e.patel", full_name="Esha Patel")
    witness = sign_in_as(school, "p.placeholder", full_name="Priya Placeholder")
    lead = sign_in_as(
        school, "h.ionescu", frozenset({Role.SAFEGUARDING_LEAD}), full_name="Halima Ionescu"
    )
    nobody = school.store.staff.add("Nadia Noaccount", "Lunchtime supervisor")
    assert author.user.staff_id and witness.user.staff_id
    incident = _record(
        author, pupil.id,
        (author.user.staff_id, C), (witness.user.staff_id, W), (nobody.id, A),
    )  # fmt: skip
    return Setting(school, author, witness, lead, incident, nobody.id)


def test_submitting_asks_each_adult_named_except_the_author() -> None:
    s = _set_up()
    states = StatementService(s.author).for_record(s.incident.id)
    assert [x.name for x in states] == ["Priya Placeholder", "Nadia Noaccount"]
    assert [x.parts for x in states] == [(W,), (A,)]
    assert [x.has_account for x in states] == [True, False]
    assert all(x.request.for_version == 1 for x in states)
    actions = s.school.actions()
    assert actions[actions.index("submit") + 1 :][:2] == ["statement_requested"] * 2
    entry = next(e for e in s.school.stores.data.audit if e.action == "statement_requested")  # type: ignore[union-attr]
    assert entry.incident_id == s.incident.id and entry.record_sha256 is None
    assert "Priya" not in entry.detail and entry.detail.endswith("for version 1")
    assert StatementService(s.author).my_requests() == []


def test_the_witness_writes_revises_and_the_versions_are_kept() -> None:
    s = _set_up()
    service = StatementService(s.witness)
    mine = service.my_requests()
    assert len(mine) == 1 and mine[0].waiting and mine[0].reference == s.incident.reference
    assert mine[0].pupil_name == "Mateo Fictional"
    assert service.my_waiting_count() == 1
    request_id = mine[0].request.id or 0
    with pytest.raises(InvalidInput, match="Please write your account"):
        service.write(request_id, "   \n ")
    first = service.write(request_id, "I saw Mateo climb on the desk.  \r\n")
    assert first.version == 1 and first.text == "I saw Mateo climb on the desk."
    assert first.sha256 == text_sha256("I saw Mateo climb on the desk.")
    assert service.my_waiting_count() == 0
    s.school.clock.advance(minutes=30)
    second = service.write(request_id, "I saw Mateo climb on the desk at 10:05.")
    assert second.version == 2
    state = service.my_request_for(s.incident.id)
    assert state is not None and [x.version for x in state.statements] == [1, 2]
    assert state.status is RequestStatus.WRITTEN
    entries = [e for e in s.school.stores.data.audit if e.action == "statement_written"]  # type: ignore[union-attr]
    assert [e.detail for e in entries] == [
        f"request {request_id} version 1 sha256 {first.sha256}",
        f"request {request_id} version 2 sha256 {second.sha256}",
    ]
    # The author's own record is never changed by a statement.
    assert s.school.store.incidents.get(s.incident.id).details == s.incident.details
    context = service.context(request_id)
    assert context.author_account == s.incident.details.what_happened.account
    assert context.latest == second and context.parts == (W,)


def test_nothing_to_add_closes_the_request_with_an_optional_note() -> None:
    s = _set_up()
    service = StatementService(s.witness)
    request_id = service.my_requests()[0].request.id or 0
    saved = service.nothing_to_add(request_id)
    assert saved.kind is StatementKind.NOTHING_TO_ADD and saved.text == ""
    assert service.my_requests()[0].status is RequestStatus.NOTHING_TO_ADD
    assert s.school.actions()[-1] == "statement_nothing_to_add"
    later = service.write(request_id, "On reflection: I heard the chair fall.")
    assert later.version == 2  # a person may still give an account afterwards


def test_an_amendment_asks_only_the_newly_named() -> None:
    s = _set_up()
    newcomer = s.school.store.staff.add("Owen Newname", "Teacher")
    details = s.incident.details
    changed = dataclasses.replace(
        details,
        who=dataclasses.replace(
            details.who, staff=(*details.who.staff, StaffInvolvement(newcomer.id, S))
        ),
    )
    IncidentService(s.lead).amend(s.incident.id, changed, "Added the teacher who supervised")
    states = StatementService(s.lead).for_record(s.incident.id)
    assert [(x.name, x.request.for_version) for x in states] == [
        ("Priya Placeholder", 1), ("Nadia Noaccount", 1), ("Owen Newname", 2),
    ]  # fmt: skip


def test_a_lead_marks_a_statement_given_on_paper_and_sees_the_outstanding() -> None:
    s = _set_up()
    lead = StatementService(s.lead)
    assert lead.outstanding() == []  # asked today (Tuesday 10/03/2026)
    s.school.clock.advance(days=1)
    rows = lead.outstanding()
    assert [(r.staff_name, r.school_days_waiting, r.note) for r in rows] == [
        ("Priya Placeholder", 1, ""),
        ("Nadia Noaccount", 1, "no account: ask them in person"),
    ]
    assert rows[0].reference == s.incident.reference and rows[0].pupil_name == "Mateo Fictional"
    assert rows[0].incident_id == s.incident.id
    assert rows[0].requested_local == datetime(2026, 3, 10, 15, 0)  # GMT in March
    with pytest.raises(InvalidInput, match="where the paper statement is filed"):
        lead.mark_on_paper(rows[1].request_id, "  ")
    paper = lead.mark_on_paper(rows[1].request_id, "Pupil's file, safeguarding cabinet")
    assert paper.kind is StatementKind.ON_PAPER and s.school.actions()[-1] == "statement_on_paper"
    assert [r.staff_name for r in lead.outstanding()] == ["Priya Placeholder"]
    with pytest.raises(InvalidInput, match="given already"):
        lead.mark_on_paper(rows[1].request_id, "Again")
    with pytest.raises(NotAllowed, match="only they can write it"):
        lead.write(rows[0].request_id, "Written by the lead")


# --------------------------------------------------------------------------- permissions

ROLES = {
    "staff": frozenset({Role.STAFF}),
    "senco": frozenset({Role.SENCO}),
    "lead": frozenset({Role.SAFEGUARDING_LEAD}),
    "admin": frozenset({Role.ADMINISTRATOR}),
}
# docs/permissions.md: (role, action) -> allowed.
EXPECTED = {
    ("staff", "write own"): True,
    ("senco", "write own"): True,
    ("lead", "write own"): True,
    ("admin", "write own"): True,
    ("staff", "write another's"): False,
    ("senco", "write another's"): False,
    ("lead", "write another's"): False,
    ("admin", "write another's"): False,
    ("staff", "see statements, named"): True,
    ("senco", "see statements, named"): True,
    ("lead", "see statements, named"): True,
    ("admin", "see statements, named"): False,
    ("staff", "see statements, not named"): False,
    ("senco", "see statements, not named"): True,
    ("lead", "see statements, not named"): True,
    ("admin", "see statements, not named"): False,
    ("staff", "mark on paper"): False,
    ("senco", "mark on paper"): False,
    ("lead", "mark on paper"): True,
    ("admin", "mark on paper"): False,
    ("staff", "see outstanding"): False,
    ("senco", "see outstanding"): False,
    ("lead", "see outstanding"): True,
    ("admin", "see outstanding"): False,
}


@pytest.mark.parametrize(("role", "action"), sorted(EXPECTED))
def test_every_role_and_action(role: str, action: str) -> None:
    s = _set_up()
    person = sign_in_as(s.school, f"x.{role}", ROLES[role], full_name=f"Xavi {role.title()}")
    assert person.user.staff_id is not None
    pupil_id = s.incident.details.who.pupil_id or 0
    named = _record(s.author, pupil_id, (s.author.user.staff_id or 0, C), (person.user.staff_id, W))
    service = StatementService(person)
    own = next(r for r in service.my_requests() if r.request.incident_id == named.id)
    others = StatementService(s.lead).for_record(s.incident.id)
    other_id = others[0].request.id or 0

    def attempt() -> object:
        if action == "write own":
            return service.write(own.request.id or 0, "My own account.")
        if action == "write another's":
            return service.write(other_id, "Not mine to write.")
        if action == "see statements, named":
            return service.for_record(named.id)
        if action == "see statements, not named":
            return service.for_record(s.incident.id)
        if action == "mark on paper":
            return service.mark_on_paper(others[1].request.id or 0, "Pupil's file")
        return service.outstanding()

    if EXPECTED[(role, action)]:
        attempt()
    else:
        with pytest.raises(NotAllowed):
            attempt()
    assert service.may_mark_on_paper is (role == "lead")
    assert service.may_see_outstanding is (role == "lead")


def test_the_outstanding_statements_follow_the_school_calendar() -> None:
    from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
    from incident_recorder.services.calendar import CalendarService

    s = _set_up()  # asked on Tuesday 10/03/2026
    CalendarService(s.school.admin).save(
        SchoolCalendar(
            (Term("Spring 2", date(2026, 2, 23), date(2026, 3, 27)),),
            (Closure(date(2026, 3, 11), "INSET day"),),
        )
    )
    lead = StatementService(s.lead)
    s.school.clock.advance(days=1)  # Wednesday: the school is closed
    assert lead.outstanding() == []
    s.school.clock.advance(days=1)  # Thursday: one school day has gone
    assert [r.school_days_waiting for r in lead.outstanding()] == [1, 1]
