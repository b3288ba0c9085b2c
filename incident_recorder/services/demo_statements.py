"""The demo's staff statements (issue 13): everyone named on a record but its author
was asked for their own account when it was submitted (anyone added by an amendment,
then). Most older requests are answered a school day or so later (an account in their
own words, now and then a second version, or nothing to add); a member of staff
without an account gave theirs on paper (recorded by the safeguarding lead); the
newest few wait, so the list of statements outstanding has something in it. Each step
is audited as the services do it."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.model import IncidentQuery, IncidentSort, StaffPart
from incident_recorder.domain.statements import (
    Statement,
    StatementKind,
    StatementRequest,
    parts_by_staff,
    staff_to_ask,
    text_sha256,
)
from incident_recorder.services.ports import Store
from incident_recorder.services.session import from_local, to_local

LEFT_WAITING = 4  # the newest records: their statements still to come
_SEEN = {
    StaffPart.CARRIED_OUT: "I held {name} with a colleague to keep everyone safe.",
    StaffPart.ASSISTED: "I helped my colleague and kept the other children back.",
    StaffPart.WITNESSED: "I saw what happened from across the room.",
    StaffPart.SUPERVISED: "I was in charge and watched the hold the whole time.",
}
_ACCOUNTS = (
    "{seen} {name} was very upset before it started; we spoke calmly and offered a quiet "
    "space first. Once {name} was calm we let go and stayed close until the end of the "
    "lesson.",
    "{seen} Talking and giving {name} choices did not work at first. It lasted only a "
    "few minutes and {name} did not seem hurt. Afterwards {name} sat in the reading corner.",
    "{seen} I agree with the account in the record. {name} settled quickly once the room "
    "was quieter, and I checked in with {name} after break.",
)
_SECOND = " I would add that {name} said sorry to the class later that afternoon."


def _school_hours_after(saved_at: datetime, zone: str, rng: random.Random) -> datetime:
    """A school day's morning or early afternoon, the next school day or the one after
    (now and then the same afternoon)."""
    saved = to_local(saved_at, zone)
    day = saved.date() + timedelta(days=rng.choice((0, 1, 1, 1, 2)))
    while True:
        minutes = rng.randint(8 * 60 + 20, 15 * 60 + 30)
        moment = datetime.combine(day, time(minutes // 60, minutes % 60))
        if day.weekday() < 5 and moment > saved + timedelta(minutes=30):
            return from_local(moment, zone)
        day += timedelta(days=1)


def demo_statements(
    store: Store, lead_id: int, now: datetime, seed: int, zone: str = "Europe/London"
) -> int:
    """Make the requests and statements; returns how many statement versions. Every
    moment is before ``now`` (UTC)."""
    rng = random.Random(seed + 13)
    accounts = {u.staff_id: u.id for u in store.users.list() if u.staff_id and u.active}
    page = store.incidents.search(
        IncidentQuery(limit=100_000, sort=IncidentSort.DATE, descending=False)
    )
    rows = list(page.rows)
    answered_ids = {s.id for s in rows[: max(0, len(rows) - LEFT_WAITING)]}
    made = 0
    with store.transaction():
        for row in rows:
            incident = store.incidents.get(row.id)
            versions = store.incidents.versions(incident.id)
            try:
                author_staff = store.users.get(incident.author_id).staff_id
            except NotFound:
                author_staff = None
            name = "the pupil"
            if incident.details.who.pupil_id is not None:
                name = store.pupils.get(incident.details.who.pupil_id).display_name.split()[0]
            asked: set[int] = set()
            for version in versions:
                for staff_id in staff_to_ask(version.details, author_staff, asked):
                    asked.add(staff_id)
                    request = store.statements.add_request(
                        StatementRequest(incident.id, staff_id, version.saved_at, version.number)
                    )
                    store.audit.append(
                        incident.author_id, "statement_requested", version.saved_at, incident.id,
                        f"request {request.id} for version {version.number}",
                    )  # fmt: skip
                    if incident.id not in answered_ids or rng.random() < 0.05:
                        continue  # still waiting
                    parts = parts_by_staff(version.details).get(staff_id, (StaffPart.WITNESSED,))
                    at = _school_hours_after(version.saved_at, zone, rng)
                    if at >= now:
                        continue
                    made += _answer(store, request.id or 0, accounts.get(staff_id), lead_id,
                                    parts[0], name, at, now, rng)  # fmt: skip
    return made


def _answer(
    store: Store,
    request_id: int,
    user_id: int | None,
    lead_id: int,
    part: StaffPart,
    name: str,
    at: datetime,
    now: datetime,
    rng: random.Random,
) -> int:
    if user_id is None:
        where = rng.choice(("The pupil's safeguarding file", "The incident folder in the office"))
        _save(store, request_id, 1, StatementKind.ON_PAPER, where, lead_id, at)
        return 1
    if rng.random() < 0.15:
        _save(store, request_id, 1, StatementKind.NOTHING_TO_ADD, "", user_id, at)
        return 1
    text = rng.choice(_ACCOUNTS).format(seen=_SEEN[part].format(name=name), name=name)
    _save(store, request_id, 1, StatementKind.ACCOUNT, text, user_id, at)
    later = at + timedelta(minutes=rng.randint(40, 150))
    if rng.random() < 0.2 and later < now:
        _save(store, request_id, 2, StatementKind.ACCOUNT, text + _SECOND.format(name=name),
              user_id, later)  # fmt: skip
        return 2
    return 1


def _save(
    store: Store,
    request_id: int,
    version: int,
    kind: StatementKind,
    text: str,
    user_id: int,
    at: datetime,
) -> None:
    saved = store.statements.add_statement(
        Statement(request_id, version, kind, text, text_sha256(text), at, user_id)
    )
    request = store.statements.request(request_id)
    action = {
        StatementKind.ACCOUNT: "statement_written",
        StatementKind.NOTHING_TO_ADD: "statement_nothing_to_add",
        StatementKind.ON_PAPER: "statement_on_paper",
    }[kind]
    store.audit.append(
        user_id, action, at, request.incident_id,
        f"request {request_id} version {version} sha256 {saved.sha256}",
    )  # fmt: skip
