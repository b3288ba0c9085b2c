"""The safeguarding lead's desk on a real encrypted store: what waits to be signed off
(oldest first, with reasons and overdue), referrals to consider and decisions, and
amendment requests with replies and closures; every row kept unchanged; who may do
what, every role by every action. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

import pytest

from incident_recorder.domain.desk import (
    INJURY_REVIEW,
    PRONE,
    PUPIL_INJURY,
    ReferralDecisionKind,
    RequestState,
)
from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    FloorPosition,
    FollowUp,
    Incident,
    Intervention,
    Referral,
    Role,
    User,
)
from incident_recorder.services.desk import DeskService
from incident_recorder.services.session import Session
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.store.connection import DatabaseError
from tests.fakes import FakeClock
from tests.integration.conftest import School, utc

NOW = utc(2026, 3, 12, 15, 0)  # Thursday 12 March 2026


def _user(school: School, username: str, name: str, roles: frozenset[Role]) -> User:
    store = school.store
    with store.transaction():
        member = store.staff.add(name, "")
        return store.users.add(username, name, roles, member.id)


def _session(school: School, user: User, now: datetime = NOW) -> Session:
    return Session(user, school.store, FakeClock(now))


@pytest.fixture
def lead(school: School) -> User:
    return _user(school, "h.ionescu", "Halima Ionescu", frozenset({Role.SAFEGUARDING_LEAD}))


def _prone_injury(school: School) -> Incident:
    details = school.details(school.pupils[0], injury=True)
    details = dataclasses.replace(
        details,
        intervention=Intervention(
            floor_position=True, floor_positions=frozenset({FloorPosition.PRONE})
        ),
        follow_up=FollowUp(referrals=frozenset({Referral.SOCIAL_CARE})),
    )
    return school.submit(school.teacher, details, utc(2026, 3, 2, 11))  # Monday


def test_to_sign_off_oldest_first_with_reasons_and_overdue(school: School, lead: User) -> None:
    first = _prone_injury(school)
    second = school.submit(
        school.teacher, school.details(school.pupils[1], day=None), utc(2026, 3, 11, 9)
    )
    desk = DeskService(_session(school, lead))
    rows = desk.to_sign_off()
    assert [r.incident_id for r in rows] == [first.id, second.id]
    assert rows[0].reasons[:2] == (PRONE, PUPIL_INJURY)
    assert rows[0].overdue and rows[0].days_waiting == 8
    assert not rows[1].overdue and rows[1].days_waiting == 1
    assert desk.waiting().to_sign_off == 2
    SignOffService(_session(school, lead)).sign_off(first.id)
    assert [r.incident_id for r in desk.to_sign_off()] == [second.id]
    assert desk.waiting().to_sign_off == 1


def test_referrals_decisions_supersede_and_are_kept_unchanged(school: School, lead: User) -> None:
    incident = _prone_injury(school)
    school.submit(school.teacher, school.details(school.pupils[1]), utc(2026, 3, 3))
    desk = DeskService(_session(school, lead))
    [row] = desk.referrals()
    assert row.open_items == (INJURY_REVIEW, Referral.SOCIAL_CARE.value)
    assert desk.waiting().referrals == 1
    with pytest.raises(InvalidInput, match="Say why"):
        desk.record_referral_decision(incident.id, INJURY_REVIEW, ReferralDecisionKind.NOT_NEEDED)
    desk.record_referral_decision(
        incident.id, INJURY_REVIEW, ReferralDecisionKind.NOT_NEEDED, "A small graze, first aid."
    )
    [row] = desk.referrals()
    assert row.open_items == (Referral.SOCIAL_CARE.value,)
    assert "Injury reviewed: no referral needed, decided by Halima Ionescu" in row.decided_text
    made = desk.record_referral_decision(
        incident.id, Referral.SOCIAL_CARE, ReferralDecisionKind.MADE, "Front door, ref 123."
    )
    assert made.decided_by_name == "Halima Ionescu" and made.at == datetime(2026, 3, 12, 15, 0)
    assert desk.referrals() == [] and desk.waiting().referrals == 0
    # A newer decision supersedes the older, which stays.
    desk.record_referral_decision(
        incident.id, INJURY_REVIEW, ReferralDecisionKind.MADE, "Health visitor after all."
    )
    state = desk.referral_state(incident.id)
    assert len(state.decisions) == 3
    assert "Injury reviewed: referral made" in state.decided_text
    assert "no referral needed" not in state.decided_text
    assert school.store.audit.verify() == [] and school.store.integrity_problems() == []
    with pytest.raises(DatabaseError, match="cannot be changed"):
        school.store.connection.execute("UPDATE referral_decisions SET note = 'x'")
    with pytest.raises(DatabaseError, match="cannot be removed"):
        school.store.connection.execute("DELETE FROM referral_decisions")
    entries = [e for e in school.store.audit.entries() if e.action == "referral_decision"]
    assert entries and all("Halima" not in e.detail for e in entries)


def test_amendment_request_reply_and_closing_by_amendment(school: School, lead: User) -> None:
    incident = _prone_injury(school)
    desk = DeskService(_session(school, lead))
    request = desk.request_amendment(incident.id, "Please say how long the prone hold lasted.")
    assert request.version == 1 and desk.waiting().amendments == 1
    author = DeskService(_session(school, school.teacher))
    [mine] = author.my_amendment_requests()
    assert mine.state is RequestState.WAITING and author.waiting().amendments == 1
    with pytest.raises(NotAllowed, match="wrote the record"):
        desk.reply(request.id or 0, "I am not the author.")
    reply = author.reply(request.id or 0, "About 20 seconds; I will amend it today.")
    assert reply.replied_by_name == "Tomasz Teacherly"
    [thread] = desk.requests_for(incident.id)
    assert thread.state is RequestState.REPLIED and "20 seconds" in thread.reply_text()
    school.amend(school.teacher, incident, incident.details, "Hold length added.", NOW)
    [thread] = desk.amendment_requests()
    assert thread.state is RequestState.AMENDED
    assert desk.waiting().amendments == 0 and author.my_amendment_requests() == []
    with pytest.raises(InvalidInput, match="closed"):
        author.reply(request.id or 0, "Too late.")
    again = desk.request_amendment(incident.id, "And the room, please.")
    assert again.version == 2
    desk.close_request(again.id or 0)
    [newest, _older] = desk.requests_for(incident.id)
    assert newest.state is RequestState.CLOSED and "Closed by Halima Ionescu" in (
        newest.status_text()
    )
    with pytest.raises(InvalidInput, match="closed already"):
        desk.close_request(again.id or 0)
    for table in ("amendment_requests", "amendment_replies", "amendment_closures"):
        with pytest.raises(DatabaseError, match="cannot be"):
            school.store.connection.execute(f"DELETE FROM {table}")
    assert school.store.audit.verify() == [] and school.store.integrity_problems() == []


def test_extra_sections_add_to_the_count(school: School, lead: User) -> None:
    _prone_injury(school)
    desk = DeskService(_session(school, lead), extra_sections=[("Statements", lambda: 4)])
    count = desk.waiting()
    assert count.extra == (("Statements", 4),)
    assert count.total == 1 + 1 + 0 + 4


# ------------------------------------------------------------------ every role x action

ROLES = {
    "Staff": frozenset({Role.STAFF}),
    "SENCO": frozenset({Role.SENCO}),
    "Safeguarding lead": frozenset({Role.SAFEGUARDING_LEAD}),
    "Administrator": frozenset({Role.ADMINISTRATOR}),
    "School office": frozenset({Role.OFFICE}),
}
Action = Callable[[DeskService, Incident, int], object]
ACTIONS: dict[str, tuple[Action, set[str]]] = {
    "see the desk: to sign off": (lambda d, i, r: d.to_sign_off(), {"Safeguarding lead"}),
    "see the desk: referrals": (lambda d, i, r: d.referrals(), {"Safeguarding lead"}),
    "see the desk: amendments": (lambda d, i, r: d.amendment_requests(), {"Safeguarding lead"}),
    "record a referral decision": (
        lambda d, i, r: d.record_referral_decision(
            i.id, Referral.SOCIAL_CARE, ReferralDecisionKind.MADE
        ),
        {"Safeguarding lead"},
    ),
    "request an amendment": (
        lambda d, i, r: d.request_amendment(i.id, "Please add the time."),
        {"Safeguarding lead"},
    ),
    "close a request": (lambda d, i, r: d.close_request(r), {"Safeguarding lead"}),
    "see a record's requests (not its author)": (
        lambda d, i, r: d.requests_for(i.id),
        {"Safeguarding lead"},
    ),
    "reply to a request (not its author)": (
        lambda d, i, r: d.reply(r, "A reply."),
        set(),
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_and_action(school: School, lead: User, role: str, action: str) -> None:
    incident = _prone_injury(school)
    request = DeskService(_session(school, lead)).request_amendment(incident.id, "Please.")
    user = _user(school, f"u.{role[:4].lower()}", f"Fictional {role}", ROLES[role])
    work, allowed = ACTIONS[action]
    desk = DeskService(_session(school, user))
    if role in allowed:
        work(desk, incident, request.id or 0)
    else:
        with pytest.raises(NotAllowed):
            work(desk, incident, request.id or 0)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_author_reads_and_replies_whatever_else_they_hold(
    school: School, lead: User, role: str
) -> None:
    author = _user(school, "a.author", "Fictional Author", ROLES[role] | {Role.STAFF})
    incident = school.submit(author, school.details(school.pupils[0]), utc(2026, 3, 2))
    request = DeskService(_session(school, lead)).request_amendment(incident.id, "Please.")
    desk = DeskService(_session(school, author))
    assert [t.request.id for t in desk.requests_for(incident.id)] == [request.id]
    assert [t.request.id for t in desk.my_amendment_requests()] == [request.id]
    desk.reply(request.id or 0, "Done soon.")


def test_an_administrator_alone_has_nothing_waiting(school: School) -> None:
    assert DeskService(_session(school, school.admin)).waiting().total == 0
    assert DeskService(_session(school, school.admin)).my_amendment_requests() == []


def test_the_migration_fills_the_referrals_from_each_records_latest_version(
    school: School,
) -> None:
    """Schema 13 copies the referrals ticked into incidents.referrals for the records
    already there (its UPDATE statements run again on cleared columns)."""
    from incident_recorder.store.migrate import MigrationSet, split_statements

    ticked = frozenset({Referral.POLICE, Referral.LADO})
    details = dataclasses.replace(
        school.details(school.pupils[0]), follow_up=FollowUp(referrals=ticked)
    )
    done = school.submit(school.teacher, details, utc(2026, 3, 2))
    draft = school.draft(school.teacher, details, utc(2026, 3, 3))
    plain = school.submit(school.teacher, school.details(school.pupils[1]), utc(2026, 3, 4))
    db = school.store.connection
    [migration] = [m for m in MigrationSet.bundled() if m.version == 13]
    with db.transaction():
        db.execute("UPDATE incidents SET referrals = '[]'")
        for statement in split_statements(migration.sql):
            if statement.lstrip().upper().startswith("UPDATE"):
                db.execute(statement)
    assert school.store.desk.record(done.id).referrals == ("lado", "police")
    assert school.store.desk.record(plain.id).referrals == ()
    row = db.one("SELECT referrals FROM incidents WHERE id = ?", (draft.id,))
    assert row is not None and row["referrals"] == '["lado","police"]'


def test_the_schools_overdue_days_are_used(school: School, lead: User) -> None:
    _prone_injury(school)  # submitted on Monday 2 March; now Thursday 12 March
    desk = DeskService(_session(school, lead))
    assert desk.to_sign_off()[0].overdue
    with school.store.transaction():
        settings = school.store.settings.get()
        school.store.settings.save(dataclasses.replace(settings, sign_off_overdue_school_days=8))
    assert not desk.to_sign_off()[0].overdue and desk.overdue_school_days == 8


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_the_administrator_sets_the_overdue_days(school: School, role: str) -> None:
    from incident_recorder.services.settings import SettingsService

    user = _user(school, f"s.{role[:4].lower()}", f"Fictional {role}", ROLES[role])
    service = SettingsService(_session(school, user))
    if role == "Administrator":
        service.save_sign_off_overdue_days(3)
        assert school.store.settings.get().sign_off_overdue_school_days == 3
        with pytest.raises(InvalidInput, match="between 1 and 20"):
            service.save_sign_off_overdue_days(0)
    else:
        with pytest.raises(NotAllowed):
            service.save_sign_off_overdue_days(3)
