"""The demo database: a fictional school to try the app on, built from the seeded
generator (:mod:`incident_recorder.domain.generator`).

It is set up like a real school (``AccountService.set_up`` with ``demo=True``, so the
keyring keeps the demo sign-in and the sign-in screen shows it), then filled through
the store ports inside one transaction. Each record is created, submitted and amended
at its own generated moment, in time order, so submitted times look real, references
run in order and the audit log reads as a school's would. The pupils with the most
records have a behaviour support plan, written by the SENCO after their first record
and reviewed half-way through, and each record names the plan version in force; the
review that revised each plan is recorded, and sometimes a later one that changed
nothing (services/demo_reviews.py).
Running it again on the same folder reopens the demo instead of building it twice.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from incident_recorder.domain.demo_contacts import demo_letter_settings, with_demo_contacts
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.generator import (
    GeneratedIncident,
    GeneratedSchool,
    generate_school,
    with_ids,
)
from incident_recorder.domain.model import IncidentDetails, PickLists, Role
from incident_recorder.domain.plans import BehaviourPlan, in_force
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.demo_desk import demo_desk, overdue_record
from incident_recorder.services.demo_parents import demo_parent_contacts
from incident_recorder.services.demo_reviews import demo_reviews
from incident_recorder.services.demo_sign_offs import demo_sign_offs
from incident_recorder.services.demo_statements import demo_statements
from incident_recorder.services.demo_training import demo_training
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.ports import Clock, DemoHint, KeyVault, Store, StoreFactory
from incident_recorder.services.session import from_local, to_local

DEMO_SEED = 2026
DEMO_PUPILS = 300
DEMO_INCIDENTS = 200
DEMO_USERNAME = "demo"
# Printed in the terminal and shown on the demo's sign-in screen: never a real secret.
DEMO_PASSPHRASE = "orchard kettle demo"
# Issue 13: the school office, who tells parents and hands over the written record
# (fictional, like everyone in the demo; same demo passphrase).
DEMO_OFFICE = ("d.whitlow", "Dana Whitlow", "School office manager")


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
    logo_png: bytes | None = None,
) -> DemoResult:
    """Build the demo in an empty data folder, or find the one already there.
    ``logo_png``: the fictional school's logo for its letterhead (resources/demo)."""
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
        _fill(session.store, school, session.user.id, session.user.staff_id, zone, end)
        demo_parent_contacts(session.store, to_local(clock.now(), zone), zone, seed)
        # The safeguarding desk (issue 13): one record overdue for signing off, one
        # referral open, one amendment request with the author's reply.
        overdue = overdue_record(session.store, session.user.id, clock.now(), zone)
        waiting = () if overdue is None else (overdue,)
        demo_sign_offs(session.store, session.user.id, clock.now(), seed, zone, waiting)
        logins = [u.username for u in school.users[1:4:2]]
        demo_desk(session.store, session.user.id, clock.now(), zone, waiting, logins)
        demo_statements(session.store, session.user.id, clock.now(), seed, zone)
        if logo_png:
            session.store.documents.set_logo(logo_png, session.user.id, clock.now())
        users = school.users
        others = (
            tuple(DemoAccount(u.username, u.full_name, u.roles) for u in (users[1], users[3]))
            if len(users) > 3
            else ()
        )
        others += (_add_office(session.store),)
        # After every staff entry is made (the office's too): one is left untrained.
        demo_training(session.store, session.user.id, today, clock.now())
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


def _add_office(store: Store) -> DemoAccount:
    """The demo's school office account (Dana Whitlow, office manager): office only."""
    username, full_name, job_title = DEMO_OFFICE
    roles = frozenset({Role.OFFICE})
    with store.transaction():
        staff = store.staff.add(full_name, job_title)
        store.users.add(username, full_name, roles, staff.id)
    return DemoAccount(username, full_name, roles)


def _fill(
    store: Store,
    school: GeneratedSchool,
    head_id: int,
    head_staff: int | None,
    zone: str,
    last_day: date,
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
        pupil_ids = [
            store.pupils.add(with_demo_contacts(p, k)).id for k, p in enumerate(school.pupils)
        ]
        settings = store.settings.get()
        letters = demo_letter_settings(school.users[0].full_name, school.school.phone)
        store.settings.save(dataclasses.replace(settings, letters=letters))
        senco_id = user_ids[1] if len(user_ids) > 1 else head_id
        plans = _demo_plans(school)
        by_pupil: dict[int, list[BehaviourPlan]] = {}
        for _, plan in plans:
            by_pupil.setdefault(plan.pupil_id, []).append(plan)
        store.audit.append(
            head_id,
            "demo_created",
            utc(school.incidents[0].created_at) if school.incidents else datetime.now(UTC),
            detail=f"{len(pupil_ids)} pupils, {len(staff_ids)} staff",
        )

        def resolved(details: IncidentDetails) -> IncidentDetails:
            return with_ids(details, pupil_ids, staff_ids)

        def with_plan(details: IncidentDetails) -> IncidentDetails:
            """As submitted: with the plan version in force on the record's date."""
            who, day = details.who, details.when_where.date
            versions = by_pupil.get(who.pupil_id, []) if who.pupil_id is not None else []
            plan = in_force(versions, day) if day is not None else None
            version = None if plan is None else plan.version
            return dataclasses.replace(details, who=dataclasses.replace(who, plan_version=version))

        # Every step of every record, in the order it happened.
        steps: list[tuple[datetime, int, int, int]] = []  # (moment, order, record, step)
        for n, record in enumerate(school.incidents):
            steps.append((record.created_at, len(steps), n, -1))
            if record.submitted_at is not None:
                steps.append((record.submitted_at, len(steps), n, 0))
            for k, amendment in enumerate(record.amendments, start=1):
                steps.append((amendment.at, len(steps), n, k))
        for n, (moment, _) in enumerate(plans):
            steps.append((moment, len(steps), n, -2))
        reviews = demo_reviews(school, plans, last_day)
        for n, demo_review in enumerate(reviews):
            steps.append((demo_review.at, len(steps), n, -3))
        steps.sort()
        ids: dict[int, int] = {}
        events: dict[int, int] = {}
        for moment, _, n, step in steps:
            now = utc(moment)
            if step == -2:
                plan = plans[n][1]
                saved = store.plans.add(
                    dataclasses.replace(plan, pupil_id=pupil_ids[plan.pupil_id]), senco_id, now
                )
                store.audit.append(
                    senco_id,
                    "plan_saved",
                    now,
                    detail=f"pupil {saved.pupil_id} plan version {saved.version}",
                )
                continue
            if step == -3:
                to_add = reviews[n].review
                saved_review = store.reviews.add(
                    dataclasses.replace(
                        to_add,
                        pupil_id=pupil_ids[to_add.pupil_id],
                        incident_ids=tuple(ids[k] for k in reviews[n].records),
                    ),
                    senco_id,
                    now,
                )
                store.audit.append(
                    senco_id,
                    "plan_review_recorded",
                    now,
                    detail=f"pupil {saved_review.pupil_id} review {saved_review.id}, plan "
                    f"version {saved_review.plan_version}, {len(saved_review.incident_ids)} "
                    f"incident(s) considered, {saved_review.outcome}",
                )
                continue
            record = school.incidents[n]
            author = user_ids[record.author]
            if step == -1:
                incident = store.incidents.create_draft(
                    author, resolved(record.details), now, events.get(record.event)
                )
                ids[n], events[record.event] = incident.id, incident.event_id
                store.audit.append(author, "create", now, incident.id, "draft started")
            elif step == 0:
                details = resolved(with_plan(record.details))
                done = store.incidents.submit(ids[n], details, author, now)
                store.audit.append(
                    author, "submit", now, done.id, done.reference or "", details_sha256(details)
                )
            else:
                amendment = record.amendments[step - 1]
                details = resolved(with_plan(amendment.details))
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


# --------------------------------------------------------------------------- plans

_PLANS = (  # the text of each plan; the rest is filled in
    BehaviourPlan(
        pupil_id=0,
        triggers="Unexpected changes to the day, especially a supply teacher or a "
        "cancelled PE lesson. Crowded, noisy places such as the lunch hall and the "
        "corridor at home time. Being told 'no' in front of other pupils.",
        early_warning_signs="Goes quiet and pulls their hood up; taps the table; "
        "paces near the door; answers in single words.",
        helpful_other="Offer the time-out card and let them go to the calm corner in "
        "the library, with a trusted adult nearby.",
        to_avoid="Standing over them or blocking the doorway; raised voices; talking "
        "about what happened while they are still upset.",
        communication_needs="Give one instruction at a time and wait ten seconds for "
        "an answer. A visual timetable is kept on their desk.",
        medical_notes="",
    ),
    BehaviourPlan(
        pupil_id=0,
        triggers="Losing a game at playtime; feeling that something is unfair; "
        "being rushed to finish written work.",
        early_warning_signs="Raises their voice, pushes equipment away, says 'I don't "
        "care' and tries to leave the classroom.",
        helpful_other="A job to do (taking a message to the office) and a movement "
        "break in the sensory room. Praise a calm choice straight away.",
        to_avoid="Sanctions given in front of the class; touching them without "
        "warning; long explanations.",
        communication_needs="Understands more than they can say when upset: offer "
        "two simple choices and use the emotions fan.",
        medical_notes="Mild asthma: the reliever inhaler is in the class first-aid "
        "bag. Watch their breathing closely during and after any hold.",
    ),
    BehaviourPlan(
        pupil_id=0,
        triggers="Transitions between lessons and arriving late in the morning; "
        "other pupils touching their belongings.",
        early_warning_signs="Covers their ears, rocks on their chair and repeats a "
        "phrase over and over.",
        helpful_other="A quiet start in the nurture room with a familiar adult, and "
        "ear defenders offered before assemblies.",
        to_avoid="Crowding round them; more than one adult talking; bright overhead "
        "lights in the calm room.",
        communication_needs="Autistic; uses a now-and-next board. Write instructions "
        "down as well as saying them.",
        medical_notes="",
    ),
)

_REVIEWED = (
    " Reviewed: add movement breaks every forty minutes and a check-in with the "
    "learning mentor after lunch."
)


def _demo_plans(school: GeneratedSchool, busiest: int = 3) -> list[tuple[datetime, BehaviourPlan]]:
    """(local moment saved, plan) for the pupils with the most submitted records, by
    the generator's pupil index: version 1 the day after their first record, version 2
    after the record half-way through their list. The plan approves the holds their
    records use (so none of the demo's records is warned about a technique)."""
    records: dict[int, list[GeneratedIncident]] = {}
    for record in school.incidents:
        pupil, day = record.details.who.pupil_id, record.details.when_where.date
        if record.submitted_at is not None and pupil is not None and day is not None:
            records.setdefault(pupil, []).append(record)
    chosen = sorted(records, key=lambda p: (-len(records[p]), p))[:busiest]
    senco = school.users[1].full_name if len(school.users) > 1 else school.users[0].full_name
    out: list[tuple[datetime, BehaviourPlan]] = []
    for k, pupil in enumerate(chosen):
        theirs = sorted(records[pupil], key=lambda r: (r.details.when_where.date, r.created_at))
        if len(theirs) < 3:
            continue
        every = [r.details for r in theirs] + [a.details for r in theirs for a in r.amendments]
        techniques = sorted({h.technique for d in every for h in d.intervention.holds})
        used = Counter(s for d in every for s in d.deescalation.strategies)
        plan = dataclasses.replace(
            _PLANS[k % len(_PLANS)],
            pupil_id=pupil,
            helpful_strategies=tuple(s for s, _ in used.most_common(3)),
            approved_techniques=tuple(techniques),
            written_by=f"{senco} (SENCO), with the class teacher",
            pupil_contributed=k != 2,
            parents_contributed=True,
        )
        last_saved: datetime | None = None
        for version, after in enumerate((theirs[0], theirs[len(theirs) // 2]), start=1):
            assert after.submitted_at is not None
            moment = max(
                datetime.combine(after.submitted_at.date(), time(16, 30)),
                after.submitted_at + timedelta(minutes=45),
            )
            if last_saved is not None and moment.date() <= last_saved.date():
                break
            start = moment.date() + timedelta(days=1)
            if version == 2:
                plan = dataclasses.replace(plan, helpful_other=plan.helpful_other + _REVIEWED)
            plan = dataclasses.replace(
                plan, version=version, start_date=start, review_date=start + timedelta(weeks=12)
            )
            out.append((moment, plan))
            last_saved = moment
    return out
