"""The demo database: a fictional school to try the app on, built from the seeded
generator (:mod:`incident_recorder.domain.generator`).

It is set up like a real school (``AccountService.set_up`` with ``demo=True``, so the
keyring keeps the demo sign-in and the sign-in screen shows it), then filled through
the store ports inside one transaction. Each record is created, submitted and amended
at its own generated moment, in time order, so submitted times look real, references
run in order and the audit log reads as a school's would. Running it again on the same
folder reopens the demo instead of building it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.generator import GeneratedSchool, generate_school, with_ids
from incident_recorder.domain.model import IncidentDetails, Role
from incident_recorder.services.accounts import AccountService, PickLists, SetupRequest
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.ports import Clock, DemoHint, KeyVault, Store, StoreFactory
from incident_recorder.services.session import from_local, to_local

DEMO_SEED = 2026
DEMO_PUPILS = 300
DEMO_INCIDENTS = 200
DEMO_USERNAME = "demo"
# Printed in the terminal and shown on the demo's sign-in screen: never a real secret.
DEMO_PASSPHRASE = "orchard kettle demo"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    full_name: str
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class DemoResult:
    created: bool  # False: the demo was already there and has been reopened
    hint: DemoHint
    # Further accounts that sign in with the same demo passphrase, to try other roles.
    other_accounts: tuple[DemoAccount, ...] = ()
    pupils: int = 0
    incidents: int = 0


def demo_period(today: date) -> tuple[date, date]:
    """The last school year and this one so far, up to yesterday."""
    end = today - timedelta(days=1)
    this_year = end.year if end.month >= 9 else end.year - 1
    return date(this_year - 1, 9, 1), end


class _SetClock:
    """A clock the demo moves by hand while it writes history."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def open_or_create_demo(
    vault: KeyVault,
    stores: StoreFactory,
    clock: Clock,
    pick_lists: PickLists | None = None,
    *,
    pupils: int = DEMO_PUPILS,
    incidents: int = DEMO_INCIDENTS,
    seed: int = DEMO_SEED,
) -> DemoResult:
    """Build the demo in an empty data folder, or find the one already there."""
    if vault.exists() or stores.exists():
        hint = vault.demo_hint() if vault.exists() else None
        if hint is None or not stores.exists():
            raise InvalidInput(
                "This folder already holds an Incident Recorder database that is not the "
                "demo. Choose another folder for the demo."
            )
        return DemoResult(created=False, hint=hint)
    zone = "Europe/London"
    today = to_local(clock.now(), zone).date()
    start, end = demo_period(today)
    school = generate_school(seed, pupils, incidents, start, end)
    set_up_at = from_local(datetime.combine(start - timedelta(days=3), time(8, 0)), zone)
    setup_clock = _SetClock(set_up_at)
    head = school.users[0]
    result = AccountService(vault, stores, setup_clock, pick_lists or PickLists()).set_up(
        SetupRequest(
            school=school.school,
            admin_full_name=head.full_name,
            admin_username=DEMO_USERNAME,
            passphrase=DEMO_PASSPHRASE,
            admin_job_title=school.staff[0].job_title,
            extra_roles=head.roles - {Role.ADMINISTRATOR},
            demo=True,
        )
    )
    session = result.session
    try:
        _fill(session.store, school, session.user.id, session.user.staff_id, zone)
        users = school.users
        others = (
            tuple(DemoAccount(u.username, u.full_name, u.roles) for u in (users[1], users[3]))
            if len(users) > 3
            else ()
        )
        for account in others:
            vault.add_user(bytes(session.data_key), account.username, DEMO_PASSPHRASE)
    finally:
        session.close()
    return DemoResult(
        created=True,
        hint=DemoHint(DEMO_USERNAME, DEMO_PASSPHRASE),
        other_accounts=others,
        pupils=len(school.pupils),
        incidents=len(school.incidents),
    )


def _fill(
    store: Store, school: GeneratedSchool, head_id: int, head_staff: int | None, zone: str
) -> None:
    """Everyone and every record, in one transaction."""

    def utc(wall_clock: datetime) -> datetime:
        return from_local(wall_clock, zone)

    with store.transaction():
        staff_ids = [head_staff if head_staff is not None else store.staff.add("Head").id]
        staff_ids += [store.staff.add(s.full_name, s.job_title).id for s in school.staff[1:]]
        user_ids = [head_id]
        user_ids += [
            store.users.add(u.username, u.full_name, u.roles, staff_ids[u.staff_index]).id
            for u in school.users[1:]
        ]
        pupil_ids = [store.pupils.add(p).id for p in school.pupils]
        store.audit.append(
            head_id,
            "demo_created",
            utc(school.incidents[0].created_at) if school.incidents else datetime.now(UTC),
            detail=f"{len(pupil_ids)} pupils, {len(staff_ids)} staff",
        )

        def resolved(details: IncidentDetails) -> IncidentDetails:
            return with_ids(details, pupil_ids, staff_ids)

        # Every step of every record, in the order it happened.
        steps: list[tuple[datetime, int, int, int]] = []  # (moment, order, record, step)
        for n, record in enumerate(school.incidents):
            steps.append((record.created_at, len(steps), n, -1))
            if record.submitted_at is not None:
                steps.append((record.submitted_at, len(steps), n, 0))
            for k, amendment in enumerate(record.amendments, start=1):
                steps.append((amendment.at, len(steps), n, k))
        steps.sort()
        ids: dict[int, int] = {}
        events: dict[int, int] = {}
        for moment, _, n, step in steps:
            record = school.incidents[n]
            author = user_ids[record.author]
            now = utc(moment)
            if step == -1:
                incident = store.incidents.create_draft(
                    author, resolved(record.details), now, events.get(record.event)
                )
                ids[n], events[record.event] = incident.id, incident.event_id
                store.audit.append(author, "create", now, incident.id, "draft started")
            elif step == 0:
                details = resolved(record.details)
                done = store.incidents.submit(ids[n], details, author, now)
                store.audit.append(
                    author, "submit", now, done.id, done.reference or "", details_sha256(details)
                )
            else:
                amendment = record.amendments[step - 1]
                details = resolved(amendment.details)
                by = user_ids[amendment.user_index]
                done = store.incidents.amend(ids[n], details, by, amendment.reason, now)
                store.audit.append(
                    by,
                    "amend",
                    now,
                    done.id,
                    f"{done.reference} version {done.version}",
                    details_sha256(details),
                )
