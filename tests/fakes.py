"""In-memory fakes of every port in ``incident_recorder.services.ports``, and builders
that other tests reuse.

- :class:`FakeClock`: a settable, advanceable clock (UTC).
- :class:`FakeVault`: the keyring, in memory. Counts its writes, so a test can show that
  a failed sign-in changes nothing.
- :class:`InMemoryStore`: every repository, transactions that roll back on error, and a
  working hash-chained audit log (tamper with ``store.data.audit`` and ``verify`` says so).
- :class:`FakeStoreFactory`: holds one database's data across open and close; opening
  with the wrong data key fails like a damaged file.
- :func:`complete_details`: a fully valid record that the policy lets through.
- :func:`new_school` / :func:`sign_in_as`: a set-up school and signed-in sessions.

Everyone here is fictional.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import secrets
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from incident_recorder.documents.renderer import ReportlabRenderer
from incident_recorder.domain.backups import Generation, changes_records
from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.desk import (
    AmendmentReply,
    AmendmentRequest,
    AmendmentThread,
    DeskRecord,
    ReferralDecision,
    referral_items,
    request_state,
)
from incident_recorder.domain.documents import DocumentOutput, LetterTemplateVersion
from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseDamaged,
    IncidentRecorderError,
    InvalidInput,
    NotFound,
    NotSetUp,
    RotationUnfinished,
    WrongPassphrase,
)
from incident_recorder.domain.model import (
    ContactMethod,
    Debriefs,
    Deescalation,
    FollowUp,
    HoldUse,
    Incident,
    IncidentDetails,
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    IncidentSummary,
    IncidentVersion,
    Injuries,
    Intervention,
    InterventionKind,
    LawfulGround,
    Necessity,
    NewPupil,
    Page,
    ParentsContact,
    ParentsStatus,
    Pupil,
    PupilName,
    Role,
    SchoolDetails,
    SchoolSettings,
    StaffInvolvement,
    StaffMember,
    StaffPart,
    User,
    WhatHappened,
    WhenWhere,
    Who,
)
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsReportDocument, GovernorsTexts
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.domain.oversight.records import RecordForReport, record_from_details
from incident_recorder.domain.oversight.saved import SavedReport
from incident_recorder.domain.parents_copy import (
    CopySupply,
    SupplyKind,
    aged_20_or_over,
)
from incident_recorder.domain.parents_told import (
    COPY_DUTY_BEGAN,
    ContactEntryKind,
    ParentContactEntry,
    ToTellRow,
    counts_as_told,
)
from incident_recorder.domain.plan_reviews import PlanReviewRecord
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.plans import in_force as plans_in_force
from incident_recorder.domain.rollback import SeenHead
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.domain.statements import (
    Statement,
    StatementRequest,
    canonical_text,
    text_sha256,
)
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.services.accounts import AccountService, SetupRequest, UserAdminService
from incident_recorder.services.bundle import Services, build_services
from incident_recorder.services.ports import (
    AuditEntry,
    AuditLog,
    BackupShelf,
    CalendarRepository,
    DemoHint,
    DeskRepository,
    DocumentRepository,
    GovernorsReportRepository,
    IncidentRepository,
    KeyRotator,
    KeyVault,
    NotRotated,
    OversightRepository,
    ParentContactRepository,
    ParentsCopyRepository,
    PlanRepository,
    Progress,
    PupilRepository,
    RecordToImport,
    ReviewRepository,
    RotationOutcome,
    RotationRequest,
    SettingsRepository,
    SignOffRepository,
    StaffRepository,
    StatementRepository,
    Store,
    StoreFactory,
    TrainingRepository,
    UserRepository,
    Visibility,
)
from incident_recorder.services.session import Session
from incident_recorder.wiring import cipher_facts, shipped

# A Tuesday in term time, 15:00 in London (GMT: before the clocks go forward).
DEFAULT_NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
INCIDENT_DAY = DEFAULT_NOW.date()
# A Friday after 1 April 2026, when the written record became due to parents, for tests
# of that duty (the default day above is before it).
DUTY_DAY = date(2026, 4, 24)
AFTER_THE_DUTY_BEGAN = datetime(2026, 4, 24, 15, 0, tzinfo=UTC)
PASSPHRASE = "tulip kettle harbour seven"
SCHOOL = SchoolDetails(name="Larkfield Primary School", address="1 Orchard Lane, Camden, NW1 0AA")

# --------------------------------------------------------------------------- clock


class FakeClock:
    """A clock the test moves by hand. Always timezone-aware UTC."""

    def __init__(self, start: datetime = DEFAULT_NOW) -> None:
        self._now = self._aware(start)

    @staticmethod
    def _aware(moment: datetime) -> datetime:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = self._aware(moment)

    def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> None:
        self._now += timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


# --------------------------------------------------------------------------- vault


class FakeVault:
    """The keyring in memory. ``writes`` counts every change a real vault would write."""

    def __init__(self) -> None:
        self._key: bytes | None = None
        self._passphrases: dict[str, str] = {}
        self._recovery_code = ""
        self._demo: DemoHint | None = None
        self.writes = 0
        # Rollback detection: what the keyring last saw, and its revision (raised by every
        # write of its entries; remembering the audit head leaves it as it is).
        self._seen: SeenHead | None = None

    def exists(self) -> bool:
        return self._key is not None

    def create(
        self, username: str, passphrase: str, demo: DemoHint | None = None
    ) -> tuple[bytes, str]:
        if self._key is not None:
            raise AlreadySetUp("this data folder")
        self._key = secrets.token_bytes(32)
        self._passphrases = {username: passphrase}
        self._recovery_code = "-".join(secrets.token_hex(2).upper() for _ in range(6))
        self._demo = demo
        self.writes += 1
        return self._key, self._recovery_code

    def unlock(self, username: str, passphrase: str) -> bytes:
        if self._key is None or self._passphrases.get(username) != passphrase:
            raise WrongPassphrase()
        return self._key

    def unlock_with_recovery_code(self, code: str) -> bytes:
        if self._key is None or code.strip().upper() != self._recovery_code:
            raise WrongPassphrase()
        return self._key

    def add_user(self, data_key: bytes, username: str, passphrase: str) -> None:
        if data_key != self._key:
            raise WrongPassphrase()
        if username in self._passphrases:
            raise InvalidInput(f"There is already an account called '{username}'.")
        self._passphrases[username] = passphrase
        self.writes += 1

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        self.unlock(username, old)
        self._passphrases[username] = new
        self.writes += 1

    def remove_user(self, username: str) -> None:
        self._passphrases.pop(username, None)
        self.writes += 1

    def usernames(self) -> list[str]:
        return sorted(self._passphrases)

    def demo_hint(self) -> DemoHint | None:
        return self._demo

    def seen(self) -> SeenHead | None:
        return self._seen

    def remember(self, seq: int, entry_hash: str, at: datetime) -> None:
        self._seen = SeenHead(seq, entry_hash, at)

    def revision(self) -> int:
        return self.writes

    # The sealed form (store/vault.py): accounts listed in ``older_form`` are of the older
    # form until their passphrase is next used; ``upgrades`` counts those writes.
    older_form: frozenset[str] = frozenset()
    upgrades = 0

    def needs_upgrade(self, username: str) -> bool:
        return username in self.older_form

    def upgrade(self, username: str, passphrase: str, data_key: bytes) -> bool:
        if username not in self.older_form:
            return False
        self.unlock(username, passphrase)
        self.older_form = self.older_form - {username}
        self.upgrades += 1
        self.writes += 1
        return True

    def upgrade_recovery(self, code: str, data_key: bytes) -> bool:
        if "#recovery" not in self.older_form:
            return False
        self.unlock_with_recovery_code(code)
        self.older_form = self.older_form - {"#recovery"}
        self.upgrades += 1
        self.writes += 1
        return True


# --------------------------------------------------------------------------- store data


GENESIS_HASH = "0" * 64


def record_sha256(details: IncidentDetails) -> str:
    return hashlib.sha256(details_to_json(details).encode("utf-8")).hexdigest()


def audit_hash(
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    incident_id: int | None,
    detail: str,
    record_hash: str | None,
    prev_hash: str,
) -> str:
    text = "|".join(
        str(v)
        for v in (
            seq,
            at.isoformat(),
            actor_id,
            action,
            incident_id,
            detail,
            record_hash,
            prev_hash,
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class StoreData:
    """Everything one database holds. Frozen domain values inside mutable containers."""

    data_key: bytes
    settings: SchoolSettings | None = None
    users: dict[int, User] = field(default_factory=dict)
    staff: dict[int, StaffMember] = field(default_factory=dict)
    pupils: dict[int, Pupil] = field(default_factory=dict)
    # pupil id -> every version of the pupil's behaviour support plan, oldest first
    plans: dict[int, list[BehaviourPlan]] = field(default_factory=dict)
    reviews: list[PlanReviewRecord] = field(default_factory=list)  # recorded plan reviews
    incidents: dict[int, Incident] = field(default_factory=dict)
    versions: dict[int, list[IncidentVersion]] = field(default_factory=dict)
    last_reference: dict[int, int] = field(default_factory=dict)  # year -> last number
    next_event: int = 1
    audit: list[AuditEntry] = field(default_factory=list)
    outputs: list[DocumentOutput] = field(default_factory=list)  # documents produced
    templates: list[LetterTemplateVersion] = field(default_factory=list)  # letter wording
    logo: bytes | None = None
    parent_contacts: list[ParentContactEntry] = field(default_factory=list)
    parents_copies: list[CopySupply] = field(default_factory=list)  # copies supplied
    sign_offs: list[SignOff] = field(default_factory=list)  # records signed off
    # Staff training rows (issue 13): (kind, entry, note), append-only as in the store.
    training: list[tuple[str, TrainingRecord, str]] = field(default_factory=list)
    # Issue 13, the desk: referral decisions, amendment requests, replies, closures.
    referral_decisions: list[ReferralDecision] = field(default_factory=list)
    amendment_requests: list[AmendmentRequest] = field(default_factory=list)
    amendment_replies: list[AmendmentReply] = field(default_factory=list)
    statement_requests: list[StatementRequest] = field(default_factory=list)  # issue 13
    statement_drafts: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)  # each version given
    # Issue 14: the governors' reports kept, each with its PDF's bytes.
    governors_reports: list[tuple[SavedReport, bytes]] = field(default_factory=list)
    calendar: SchoolCalendar | None = None  # issue 14: the school's own calendar
    # Not in the database: the backups beside it (kept across transactions' roll-backs).
    shelves: FakeShelves = field(default_factory=lambda: FakeShelves())


class FakeShelves:
    """The backup folders of a fake data folder: folder ("" for the data folder's own)
    to its generations, each with a copy of the data it holds. ``reachable`` are the
    second folders that can be written; ``fail_with`` makes the next backups fail."""

    def __init__(self) -> None:
        self.folders: dict[str, list[tuple[Generation, StoreData]]] = {}
        self.reachable: set[str] = set()
        self.fail_with: OSError | None = None
        self.problems: dict[str, list[str]] = {}  # generation name -> what a check finds

    def __deepcopy__(self, memo: dict[int, Any]) -> FakeShelves:
        return self  # outside the database: a transaction's roll-back leaves it alone


def fold(text: str) -> str:
    """Lower case without accents, as the real store searches ('zoe' finds 'Zoë')."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _nulls_first(value: Any) -> tuple[bool, Any]:
    """Sorts as SQLite does: NULL before every value."""
    return (value is not None, 0 if value is None else value)


def _nocase(text: str) -> str:
    """SQLite's NOCASE collation: only A-Z are folded."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _pupil_text(p: Pupil | None) -> str:
    if p is None:
        return ""
    return fold(f"{p.first_name} {p.preferred_name} {p.last_name} {p.upn}")


class _Repo:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    @property
    def _d(self) -> StoreData:
        return self._store.live()


class FakeSettings(_Repo):
    def get(self) -> SchoolSettings:
        if self._d.settings is None:
            raise NotFound("The school's settings have not been saved yet.")
        return self._d.settings

    def save(self, settings: SchoolSettings) -> None:
        self._d.settings = settings


class FakeCalendar(_Repo):
    def get(self) -> SchoolCalendar | None:
        return self._d.calendar

    def save(self, calendar: SchoolCalendar | None) -> None:
        self._d.calendar = calendar


class FakeUsers(_Repo):
    def add(
        self, username: str, full_name: str, roles: frozenset[Role], staff_id: int | None
    ) -> User:
        if self.by_username(username) is not None:
            raise InvalidInput(f"There is already an account called '{username}'.")
        user = User(len(self._d.users) + 1, username, full_name, frozenset(roles), staff_id)
        self._d.users[user.id] = user
        return user

    def get(self, user_id: int) -> User:
        try:
            return self._d.users[user_id]
        except KeyError:
            raise NotFound(f"There is no account {user_id}.") from None

    def by_username(self, username: str) -> User | None:
        return next((u for u in self._d.users.values() if u.username == username), None)

    def list(self) -> list[User]:
        return sorted(self._d.users.values(), key=lambda u: u.full_name)

    def set_active(self, user_id: int, active: bool) -> User:
        user = dataclasses.replace(self.get(user_id), active=active)
        self._d.users[user_id] = user
        return user


class FakeStaff(_Repo):
    def add(self, full_name: str, job_title: str = "") -> StaffMember:
        member = StaffMember(len(self._d.staff) + 1, full_name, job_title)
        self._d.staff[member.id] = member
        return member

    def get(self, staff_id: int) -> StaffMember:
        try:
            return self._d.staff[staff_id]
        except KeyError:
            raise NotFound(f"There is no member of staff {staff_id}.") from None

    def list(self, active_only: bool = True) -> list[StaffMember]:
        found = [s for s in self._d.staff.values() if s.active or not active_only]
        return sorted(found, key=lambda s: s.full_name)


class FakeTraining(_Repo):
    def _in_force_ids(self) -> set[int]:
        replaced = {e.replaces for _, e, _ in self._d.training if e.replaces is not None}
        return {
            e.id
            for kind, e, _ in self._d.training
            if kind == "entry" and e.id is not None and e.id not in replaced
        }

    def _append(self, kind: str, record: TrainingRecord, by: int, now: datetime, note: str,
                replaces: int | None) -> TrainingRecord:  # fmt: skip
        user = self._d.users.get(by)
        stored = dataclasses.replace(
            record,
            course=" ".join(record.course.split()),
            note=note.strip(),
            id=len(self._d.training) + 1,
            recorded_at=now,
            recorded_by=by,
            recorded_by_name=user.full_name if user else "",
            replaces=replaces,
        )
        self._d.training.append((kind, stored, note.strip()))
        return stored

    def add(self, record: TrainingRecord, recorded_by: int, now: datetime) -> TrainingRecord:
        if record.staff_id not in self._d.staff:
            raise NotFound(f"There is no member of staff with id {record.staff_id}.")
        if not record.course.strip():
            raise InvalidInput("Please enter the course.")
        return self._append("entry", record, recorded_by, now, record.note, None)

    def correct(
        self, entry_id: int, record: TrainingRecord, recorded_by: int, now: datetime
    ) -> TrainingRecord:
        if entry_id not in self._in_force_ids():
            raise NotFound(f"There is no training entry {entry_id} in force.")
        if self.get(entry_id).staff_id != record.staff_id:
            raise InvalidInput("A correction is for the same member of staff.")
        return self._append("entry", record, recorded_by, now, record.note, entry_id)

    def remove(self, entry_id: int, reason: str, recorded_by: int, now: datetime) -> None:
        if entry_id not in self._in_force_ids():
            raise NotFound(f"There is no training entry {entry_id} in force.")
        if not reason.strip():
            raise InvalidInput("Please say why the training entry is being removed.")
        self._append("removal", self.get(entry_id), recorded_by, now, reason, entry_id)

    def get(self, entry_id: int) -> TrainingRecord:
        for kind, entry, _ in self._d.training:
            if kind == "entry" and entry.id == entry_id:
                return entry
        raise NotFound(f"There is no training entry {entry_id}.")

    def any_in_force(self) -> bool:
        return bool(self._in_force_ids())

    def in_force(self, staff_ids: list[int] | None = None) -> list[TrainingRecord]:
        ids = self._in_force_ids()
        found = [
            e
            for kind, e, _ in self._d.training
            if e.id in ids and (staff_ids is None or e.staff_id in staff_ids)
        ]
        return sorted(found, key=lambda e: (e.staff_id, e.trained_on, e.id or 0))

    def history(self, staff_id: int) -> list[tuple[str, TrainingRecord, str]]:
        found: list[tuple[str, TrainingRecord, str]] = []
        for kind, entry, note in self._d.training:
            if entry.staff_id == staff_id:
                shown = self.get(entry.replaces) if kind == "removal" and entry.replaces else entry
                found.append((kind, shown, note))
        return found


class FakePupils(_Repo):
    def add(self, pupil: NewPupil) -> Pupil:
        values = {f.name: getattr(pupil, f.name) for f in dataclasses.fields(pupil)}
        values["upn"] = pupil.upn.strip().upper()
        if values["upn"] and any(p.upn == values["upn"] for p in self._d.pupils.values()):
            raise InvalidInput(f"A pupil with UPN {values['upn']} is already on the list.")
        added = Pupil(id=len(self._d.pupils) + 1, **values)
        self._d.pupils[added.id] = added
        return added

    def update(self, pupil: Pupil) -> Pupil:
        if pupil.id not in self._d.pupils:
            raise NotFound(f"There is no pupil with id {pupil.id}.")
        upn = pupil.upn.strip().upper()
        if upn and any(p.upn == upn and p.id != pupil.id for p in self._d.pupils.values()):
            raise InvalidInput(f"A pupil with UPN {upn} is already on the list.")
        saved = dataclasses.replace(pupil, upn=upn)
        self._d.pupils[saved.id] = saved
        return saved

    def get(self, pupil_id: int) -> Pupil:
        try:
            return self._d.pupils[pupil_id]
        except KeyError:
            raise NotFound(f"There is no pupil {pupil_id}.") from None

    def search(self, text: str, limit: int = 50) -> list[Pupil]:
        words = fold(text).split()
        found = [p for p in self._d.pupils.values() if all(w in _pupil_text(p) for w in words)]
        found.sort(key=lambda p: (p.left_on is not None, p.sorting_name))
        return found[:limit]

    def list(self) -> list[Pupil]:
        return sorted(self._d.pupils.values(), key=lambda p: p.sorting_name)

    def names_on_roll(self, on: date, text: str) -> tuple[PupilName, ...]:
        return tuple(
            PupilName(p.id, p.first_name, p.preferred_name, p.last_name)
            for p in self._d.pupils.values()
            if p.left_on is None or p.left_on > on
        )

    def has_plan(self, pupil_id: int, on: date) -> bool | None:
        return plans_in_force(self._d.plans.get(pupil_id, []), on) is not None


class FakePlans(_Repo):
    def add(self, plan: BehaviourPlan, saved_by: int, now: datetime) -> BehaviourPlan:
        if plan.start_date is None or plan.review_date is None:
            raise InvalidInput("A plan needs a start date and a review date.")
        if plan.pupil_id not in self._d.pupils:
            raise NotFound(f"There is no pupil {plan.pupil_id}.")
        kept = self._d.plans.setdefault(plan.pupil_id, [])
        stored = dataclasses.replace(
            plan,
            version=len(kept) + 1,
            saved_at=now,
            saved_by=saved_by,
            saved_by_name=self._d.users[saved_by].full_name if saved_by in self._d.users else "",
        )
        kept.append(stored)
        return stored

    def versions(self, pupil_id: int) -> list[BehaviourPlan]:
        return list(reversed(self._d.plans.get(pupil_id, [])))

    def current(self, pupil_id: int) -> BehaviourPlan | None:
        kept = self._d.plans.get(pupil_id, [])
        return kept[-1] if kept else None

    def in_force(self, pupil_id: int, on: date) -> BehaviourPlan | None:
        return plans_in_force(self._d.plans.get(pupil_id, []), on)


class FakeReviews(_Repo):
    """Recorded plan reviews, checked as the SQL store checks them."""

    def add(self, review: PlanReviewRecord, recorded_by: int, now: datetime) -> PlanReviewRecord:
        if review.held_on is None or review.next_review is None or review.outcome is None:
            raise InvalidInput("A review needs its date, its outcome and the next review date.")
        if review.pupil_id not in self._d.pupils:
            raise NotFound(f"There is no pupil {review.pupil_id}.")
        ids = tuple(sorted(set(review.incident_ids)))
        for incident_id in ids:
            incident = self._d.incidents.get(incident_id)
            if incident is None:
                raise NotFound(f"There is no record {incident_id}.")
            if incident.status is not IncidentStatus.SUBMITTED:
                raise InvalidInput("A review can only consider submitted records.")
            if incident.details.who.pupil_id != review.pupil_id:
                raise InvalidInput(f"Record {incident.reference} is about another pupil.")
        user = self._d.users.get(recorded_by)
        stored = dataclasses.replace(
            review,
            incident_ids=ids,
            id=len(self._d.reviews) + 1,
            recorded_at=now,
            recorded_by=recorded_by,
            recorded_by_name=user.full_name if user else "",
        )
        self._d.reviews.append(stored)
        return stored

    def for_pupil(self, pupil_id: int) -> list[PlanReviewRecord]:
        mine = [r for r in self._d.reviews if r.pupil_id == pupil_id]
        return sorted(mine, key=lambda r: (r.held_on or date.min, r.id), reverse=True)

    def latest(self) -> dict[int, PlanReviewRecord]:
        newest: dict[int, PlanReviewRecord] = {}
        for r in sorted(self._d.reviews, key=lambda r: (r.held_on or date.min, r.id)):
            newest[r.pupil_id] = r
        return newest


class FakeIncidents(_Repo):
    def create_draft(
        self, author_id: int, details: IncidentDetails, now: datetime, event_id: int | None = None
    ) -> Incident:
        d = self._d
        if event_id is None:
            event_id = d.next_event
            d.next_event += 1
        incident = Incident(
            id=len(d.incidents) + 1,
            event_id=event_id,
            status=IncidentStatus.DRAFT,
            reference=None,
            author_id=author_id,
            created_at=now,
            updated_at=now,
            submitted_at=None,
            details=details,
            version=0,
        )
        d.incidents[incident.id] = incident
        return incident

    def _draft(self, incident_id: int) -> Incident:
        incident = self.get(incident_id)
        if incident.status is not IncidentStatus.DRAFT:
            raise InvalidInput(f"Record {incident.reference} is not a draft.")
        return incident

    def save_draft(self, incident_id: int, details: IncidentDetails, now: datetime) -> None:
        incident = self._draft(incident_id)
        self._d.incidents[incident_id] = dataclasses.replace(
            incident, details=details, updated_at=now
        )

    def discard_draft(self, incident_id: int) -> None:
        self._draft(incident_id)
        del self._d.incidents[incident_id]

    def get(self, incident_id: int) -> Incident:
        try:
            return self._d.incidents[incident_id]
        except KeyError:
            raise NotFound(f"There is no record {incident_id}.") from None

    def by_reference(self, reference: str) -> Incident | None:
        return next((i for i in self._d.incidents.values() if i.reference == reference), None)

    def _version(
        self, number: int, details: IncidentDetails, user_id: int, reason: str, now: datetime
    ) -> IncidentVersion:
        name = self._d.users[user_id].full_name if user_id in self._d.users else ""
        return IncidentVersion(number, details, now, user_id, name, reason, record_sha256(details))

    def submit(
        self, incident_id: int, details: IncidentDetails, user_id: int, now: datetime
    ) -> Incident:
        d = self._d
        incident = self._draft(incident_id)
        number = d.last_reference.get(now.year, 0) + 1
        d.last_reference[now.year] = number
        done = dataclasses.replace(
            incident,
            status=IncidentStatus.SUBMITTED,
            reference=f"{now.year}-{number:04d}",
            submitted_at=now,
            updated_at=now,
            details=details,
            version=1,
        )
        d.incidents[incident_id] = done
        d.versions[incident_id] = [self._version(1, details, user_id, "", now)]
        return done

    def amend(
        self, incident_id: int, details: IncidentDetails, user_id: int, reason: str, now: datetime
    ) -> Incident:
        incident = self.get(incident_id)
        if incident.status is not IncidentStatus.SUBMITTED:
            raise InvalidInput("Only a submitted record can be amended.")
        number = incident.version + 1
        done = dataclasses.replace(incident, details=details, version=number, updated_at=now)
        self._d.incidents[incident_id] = done
        self._d.versions[incident_id].append(self._version(number, details, user_id, reason, now))
        return done

    def import_record(self, record: RecordToImport) -> Incident:
        """As the real store: the record back with its reference, event and versions, and
        the year's reference counter moved past it."""
        d = self._d
        if record.reference is not None and self.by_reference(record.reference) is not None:
            raise InvalidInput(f"Record {record.reference} is already in this database.")
        event_id = record.event_id
        if event_id is None:
            event_id = d.next_event
            d.next_event += 1
        d.next_event = max(d.next_event, event_id + 1)
        versions = [
            self._version(n, v.details, v.saved_by, v.reason, v.saved_at)
            for n, v in enumerate(record.versions, start=1)
        ]
        submitted = record.reference is not None
        details = versions[-1].details if versions else (record.draft or IncidentDetails())
        incident = Incident(
            id=len(d.incidents) + 1,
            event_id=event_id,
            status=IncidentStatus.SUBMITTED if submitted else IncidentStatus.DRAFT,
            reference=record.reference,
            author_id=record.author_id,
            created_at=record.created_at,
            updated_at=record.updated_at,
            submitted_at=record.submitted_at,
            details=details,
            version=len(versions),
        )
        d.incidents[incident.id] = incident
        if submitted and record.reference is not None:
            d.versions[incident.id] = versions
            year, number = (int(part) for part in record.reference.split("-"))
            d.last_reference[year] = max(d.last_reference.get(year, 0), number)
        return incident

    def versions(self, incident_id: int) -> list[IncidentVersion]:
        self.get(incident_id)
        return list(self._d.versions.get(incident_id, []))

    def _summary(self, i: Incident) -> IncidentSummary:
        d = self._d
        pupil = d.pupils.get(i.details.who.pupil_id or -1)
        author = d.users.get(i.author_id)
        return IncidentSummary(
            id=i.id,
            reference=i.reference,
            status=i.status,
            occurred_on=i.details.when_where.date,
            start=i.details.when_where.start,
            pupil_id=i.details.who.pupil_id,
            pupil_name=pupil.display_name if pupil else "",
            location=i.details.when_where.location,
            author_id=i.author_id,
            author_name=author.full_name if author else "",
            injury=i.details.injuries.any_injury,
            floor_position=bool(i.details.intervention.floor_position),
            version=i.version,
            updated_at=i.updated_at,
            signed_off=any(
                s.incident_id == i.id and s.version == i.version for s in self._d.sign_offs
            ),
        )

    def _sort_key(self, s: IncidentSummary, sort: IncidentSort) -> tuple[Any, ...]:
        """The real store's ORDER BY (store/incidents.py), NULLs first as in SQLite."""
        when = (_nulls_first(s.occurred_on), _nulls_first(s.start), s.id)
        match sort:
            case IncidentSort.DATE:
                return when
            case IncidentSort.REFERENCE:
                return (_nulls_first(s.reference), s.id)
            case IncidentSort.PUPIL:
                p = self._d.pupils.get(s.pupil_id or -1)
                name = fold(f"{p.last_name}, {p.preferred_name or p.first_name}") if p else ""
                return (name, *when)
            case IncidentSort.LOCATION:
                return (fold(s.location), *when)
            case IncidentSort.RECORDED_BY:
                return (_nocase(s.author_name), *when)
            case IncidentSort.SAVED:
                return (s.updated_at, s.id)

    def search(
        self, query: IncidentQuery, visible_to: Visibility | None = None
    ) -> Page[IncidentSummary]:
        status = query.status or IncidentStatus.SUBMITTED
        words = fold(query.text).split()
        rows = []
        for i in self._d.incidents.values():
            if i.status is not status:
                continue
            if visible_to is not None and not (
                i.author_id == visible_to.user_id
                or (
                    status is IncidentStatus.SUBMITTED
                    and any(s.staff_id == visible_to.staff_id for s in i.details.who.staff)
                )
            ):
                continue
            s = self._summary(i)
            if query.pupil_id is not None and s.pupil_id != query.pupil_id:
                continue
            if query.date_from is not None and (s.occurred_on or date.min) < query.date_from:
                continue
            if query.date_to is not None and (s.occurred_on or date.max) > query.date_to:
                continue
            pupil = self._d.pupils.get(s.pupil_id or -1)
            haystack = fold(f"{s.reference or ''} {s.location} {_pupil_text(pupil)}")
            if not all(w in haystack for w in words):
                continue
            rows.append(s)
        ordered = sorted(
            rows, key=lambda s: self._sort_key(s, query.sort), reverse=query.descending
        )
        return Page(tuple(ordered[query.offset : query.offset + query.limit]), len(ordered))

    def drafts(self, author_id: int) -> list[IncidentSummary]:
        mine = [
            self._summary(i)
            for i in self._d.incidents.values()
            if i.status is IncidentStatus.DRAFT and i.author_id == author_id
        ]
        return sorted(mine, key=lambda s: (s.updated_at, s.id), reverse=True)

    def in_event(self, event_id: int) -> list[IncidentSummary]:
        return [self._summary(i) for i in self._d.incidents.values() if i.event_id == event_id]

    def submitted_for_pupil(self, pupil_id: int) -> list[Incident]:
        mine = [
            i
            for i in self._d.incidents.values()
            if i.status is IncidentStatus.SUBMITTED and i.details.who.pupil_id == pupil_id
        ]
        return sorted(
            mine,
            key=lambda i: (
                _nulls_first(i.details.when_where.date),
                _nulls_first(i.details.when_where.start),
                i.id,
            ),
        )

    def submitted_days(self) -> list[tuple[int, date]]:
        return [
            (i.details.who.pupil_id, i.details.when_where.date)
            for i in self._d.incidents.values()
            if i.status is IncidentStatus.SUBMITTED
            and i.details.who.pupil_id is not None
            and i.details.when_where.date is not None
        ]

    def all_submitted(self) -> Iterator[Incident]:
        for i in list(self._d.incidents.values()):
            if i.status is IncidentStatus.SUBMITTED:
                yield i


class FakeAudit(_Repo):
    def append(
        self,
        actor_id: int | None,
        action: str,
        now: datetime,
        incident_id: int | None = None,
        detail: str = "",
        record_sha256: str | None = None,
    ) -> AuditEntry:
        log = self._d.audit
        seq = len(log) + 1
        prev = log[-1].entry_hash if log else GENESIS_HASH
        entry = AuditEntry(
            seq,
            now,
            actor_id,
            action,
            incident_id,
            detail,
            record_sha256,
            prev,
            audit_hash(seq, now, actor_id, action, incident_id, detail, record_sha256, prev),
        )
        log.append(entry)
        return entry

    def entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Newest first, as the real log gives them."""
        newest_first = self._d.audit[::-1]
        return newest_first[offset : offset + limit]

    def head(self) -> AuditEntry | None:
        return self._d.audit[-1] if self._d.audit else None

    def entry(self, seq: int) -> AuditEntry | None:
        return next((e for e in self._d.audit if e.seq == seq), None)

    def latest(self, action: str) -> AuditEntry | None:
        return next((e for e in reversed(self._d.audit) if e.action == action), None)

    def verify(self) -> list[str]:
        problems = []
        prev = GENESIS_HASH
        for expected_seq, e in enumerate(self._d.audit, start=1):
            if e.seq != expected_seq:
                problems.append(f"Audit entry {expected_seq} is missing.")
            if e.prev_hash != prev:
                problems.append(f"Audit entry {e.seq} does not follow the entry before it.")
            again = audit_hash(
                e.seq,
                e.at,
                e.actor_id,
                e.action,
                e.incident_id,
                e.detail,
                e.record_sha256,
                e.prev_hash,
            )
            if again != e.entry_hash:
                problems.append(f"Audit entry {e.seq} has been changed.")
            prev = e.entry_hash
        return problems


class FakeDocuments(_Repo):
    def add_output(self, output: DocumentOutput, by_user: int, now: datetime) -> DocumentOutput:
        if len(output.sha256) != 64:
            raise InvalidInput("A document's hash must be a SHA-256 in hex.")
        if output.incident_id not in self._d.incidents:
            raise NotFound(f"There is no record with id {output.incident_id}.")
        user = self._d.users.get(by_user)
        stored = dataclasses.replace(
            output,
            id=len(self._d.outputs) + 1,
            at=now,
            by_user=by_user,
            by_name=user.full_name if user else "",
            pages=max(1, output.pages),
        )
        self._d.outputs.append(stored)
        return stored

    def outputs_for(self, incident_id: int) -> list[DocumentOutput]:
        return [o for o in self._d.outputs if o.incident_id == incident_id]

    def current_template(self) -> LetterTemplateVersion | None:
        return self._d.templates[-1] if self._d.templates else None

    def template(self, version: int) -> LetterTemplateVersion:
        for t in self._d.templates:
            if t.version == version:
                return t
        raise NotFound(f"There is no saved letter template version {version}.")

    def templates(self) -> list[LetterTemplateVersion]:
        return list(reversed(self._d.templates))

    def add_template(self, text: str, saved_by: int, now: datetime) -> LetterTemplateVersion:
        if not text.strip():
            raise InvalidInput("The letter template is empty.")
        user = self._d.users.get(saved_by)
        stored = LetterTemplateVersion(
            version=len(self._d.templates) + 1,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            saved_at=now,
            saved_by=saved_by,
            saved_by_name=user.full_name if user else "",
        )
        self._d.templates.append(stored)
        return stored

    def logo(self) -> bytes | None:
        return self._d.logo

    def set_logo(self, png: bytes | None, saved_by: int, now: datetime) -> None:
        self._d.logo = png


class FakeParentContacts(_Repo):
    def add(self, entry: ParentContactEntry, recorded_by: int, now: datetime) -> ParentContactEntry:
        if not entry.method:
            raise InvalidInput("Say how the contact was made.")
        if entry.incident_id not in self._d.incidents:
            raise NotFound(f"There is no record with id {entry.incident_id}.")
        user = self._d.users.get(recorded_by)
        stored = dataclasses.replace(
            entry,
            at=entry.at.replace(tzinfo=None, second=0, microsecond=0),
            parent=entry.parent.strip(),
            by_whom=entry.by_whom.strip(),
            note=entry.note.strip(),
            id=len(self._d.parent_contacts) + 1,
            recorded_at=now,
            recorded_by=recorded_by,
            recorded_by_name=user.full_name if user else "",
        )
        self._d.parent_contacts.append(stored)
        return stored

    def for_incident(self, incident_id: int) -> list[ParentContactEntry]:
        mine = [c for c in self._d.parent_contacts if c.incident_id == incident_id]
        return sorted(mine, key=lambda c: (c.at, c.id or 0))

    def to_tell(self, visible_to: Visibility | None = None, limit: int = 500) -> list[ToTellRow]:
        rows = []
        for i in self._d.incidents.values():
            status = i.details.parents.status
            if i.status is not IncidentStatus.SUBMITTED or status is ParentsStatus.WITHHELD:
                continue
            if visible_to is not None and not (
                i.author_id == visible_to.user_id
                or any(s.staff_id == visible_to.staff_id for s in i.details.who.staff)
            ):
                continue
            mine = [c for c in self._d.parent_contacts if c.incident_id == i.id]
            told_by_entry = any(counts_as_told(c) for c in mine)
            letter = any(c.kind is ContactEntryKind.LETTER_SENT for c in mine)
            copies = [c for c in self._d.parents_copies if c.incident_id == i.id]
            copy = any(c.version == i.version for c in copies)
            any_copy = any(c.kind is SupplyKind.SUPPLIED for c in copies)
            pupil = self._d.pupils.get(i.details.who.pupil_id or -1)
            if pupil is not None and aged_20_or_over(
                pupil.date_of_birth, i.details.when_where.date
            ):
                continue
            day = i.details.when_where.date or date.min
            copy_due = day >= COPY_DUTY_BEGAN and not copy  # the duty began 1 April 2026
            if letter and not copy_due and (status is ParentsStatus.TOLD or told_by_entry):
                continue
            rows.append(
                ToTellRow(
                    incident_id=i.id,
                    reference=i.reference or "",
                    pupil_name=pupil.display_name if pupil else "",
                    occurred_on=i.details.when_where.date or date.min,
                    start_time=i.details.when_where.start,
                    parents_status=status,
                    told_by_entry=told_by_entry,
                    letter_sent=letter,
                    copy_supplied=copy,
                    newer_copy_due=any_copy and not copy,
                )
            )
        rows.sort(key=lambda r: (r.occurred_on, _nulls_first(r.start_time), r.incident_id))
        return rows[: max(0, limit)]

    def to_tell_count(self, visible_to: Visibility | None = None) -> int:
        return len(self.to_tell(visible_to, limit=10**9))


class FakeParentsCopies(_Repo):
    def add(self, supply: CopySupply, recorded_by: int, now: datetime) -> CopySupply:
        if supply.kind is SupplyKind.SUPPLIED and supply.how is None:
            raise InvalidInput("Say how the copy went to the parents.")
        if supply.kind is SupplyKind.NOT_NEEDED and not supply.note.strip():
            raise InvalidInput("Say why the amended copy need not go to the parents.")
        incident = self._d.incidents.get(supply.incident_id)
        if incident is None:
            raise NotFound(f"There is no record with id {supply.incident_id}.")
        if incident.status is not IncidentStatus.SUBMITTED or not (
            1 <= supply.version <= incident.version
        ):
            raise InvalidInput(f"The record has no version {supply.version}.")
        user = self._d.users.get(recorded_by)
        stored = dataclasses.replace(
            supply,
            at=supply.at.replace(tzinfo=None, second=0, microsecond=0),
            parent=supply.parent.strip(),
            by_whom=supply.by_whom.strip(),
            note=supply.note.strip(),
            id=len(self._d.parents_copies) + 1,
            recorded_at=now,
            recorded_by=recorded_by,
            recorded_by_name=user.full_name if user else "",
        )
        self._d.parents_copies.append(stored)
        return stored

    def for_incident(self, incident_id: int) -> list[CopySupply]:
        mine = [c for c in self._d.parents_copies if c.incident_id == incident_id]
        return sorted(mine, key=lambda c: (c.at, c.id or 0))


class FakeSignOffs(_Repo):
    def add(self, sign_off: SignOff, signed_by: int, now: datetime) -> SignOff:
        if len(sign_off.version_sha256) != 64:
            raise InvalidInput("A sign-off needs the signed version's SHA-256 in hex.")
        if sign_off.incident_id not in self._d.incidents:
            raise NotFound(f"There is no record with id {sign_off.incident_id}.")
        if any(
            s.incident_id == sign_off.incident_id and s.version == sign_off.version
            for s in self._d.sign_offs
        ):
            raise InvalidInput(f"Version {sign_off.version} of this record is signed off already.")
        user = self._d.users.get(signed_by)
        stored = dataclasses.replace(
            sign_off,
            id=len(self._d.sign_offs) + 1,
            comment=sign_off.comment.strip(),
            signed_at=now,
            signed_by=signed_by,
            signed_by_name=user.full_name if user else "",
        )
        self._d.sign_offs.append(stored)
        return stored

    def for_incident(self, incident_id: int) -> list[SignOff]:
        mine = [s for s in self._d.sign_offs if s.incident_id == incident_id]
        return sorted(mine, key=lambda s: (s.version, s.id or 0))


class FakeDesk(_Repo):
    """The desk over the in-memory records (a plain reading of store/desk.py)."""

    def _record(self, i: Incident) -> DeskRecord:
        pupil = self._d.pupils.get(i.details.who.pupil_id or -1)
        assert i.submitted_at is not None
        return DeskRecord(
            i.id, i.reference or "", i.details.who.pupil_id,
            pupil.display_name if pupil else "", i.details.when_where.date, i.submitted_at,
            i.version, i.author_id, i.details.injuries.any_injury,
            tuple(sorted(r.value for r in i.details.follow_up.referrals)),
        )  # fmt: skip

    def _submitted(self) -> list[Incident]:
        done = [i for i in self._d.incidents.values() if i.status is IncidentStatus.SUBMITTED]
        never = datetime.min.replace(tzinfo=UTC)
        return sorted(done, key=lambda i: (i.submitted_at or never, i.id))

    def _unsigned(self) -> list[DeskRecord]:
        signed = {(s.incident_id, s.version) for s in self._d.sign_offs}
        return [self._record(i) for i in self._submitted() if (i.id, i.version) not in signed]

    def to_sign_off(self, limit: int = 200) -> list[DeskRecord]:
        return self._unsigned()[:limit]

    def to_sign_off_count(self) -> int:
        return len(self._unsigned())

    def _open_referrals(self) -> list[DeskRecord]:
        found = []
        for i in self._submitted():
            r = self._record(i)
            decided = {d.referral for d in self._d.referral_decisions if d.incident_id == i.id}
            if [x for x in referral_items(r.injury, r.referrals) if x not in decided]:
                found.append(r)
        return found

    def referrals_open(self, limit: int = 200) -> list[DeskRecord]:
        return self._open_referrals()[:limit]

    def referrals_open_count(self) -> int:
        return len(self._open_referrals())

    def record(self, incident_id: int) -> DeskRecord:
        i = self._d.incidents.get(incident_id)
        if i is None or i.status is not IncidentStatus.SUBMITTED:
            raise NotFound(f"There is no submitted record with id {incident_id}.")
        return self._record(i)

    def add_decision(
        self, decision: ReferralDecision, decided_by: int, now: datetime
    ) -> ReferralDecision:
        self.record(decision.incident_id)
        user = self._d.users.get(decided_by)
        stored = dataclasses.replace(
            decision, id=len(self._d.referral_decisions) + 1, decided_by=decided_by,
            decided_by_name=user.full_name if user else "", recorded_at=now,
        )  # fmt: skip
        self._d.referral_decisions.append(stored)
        return stored

    def decisions(self, incident_ids: Sequence[int]) -> list[ReferralDecision]:
        return [d for d in self._d.referral_decisions if d.incident_id in set(incident_ids)]

    def add_request(
        self, request: AmendmentRequest, requested_by: int, now: datetime
    ) -> AmendmentRequest:
        self.record(request.incident_id)
        user = self._d.users.get(requested_by)
        stored = dataclasses.replace(
            request, id=len(self._d.amendment_requests) + 1, requested_by=requested_by,
            requested_by_name=user.full_name if user else "", requested_at=now,
        )  # fmt: skip
        self._d.amendment_requests.append(stored)
        return stored

    def add_reply(self, reply: AmendmentReply, replied_by: int, now: datetime) -> AmendmentReply:
        self.request(reply.request_id)
        user = self._d.users.get(replied_by)
        stored = dataclasses.replace(
            reply, id=len(self._d.amendment_replies) + 1, replied_by=replied_by,
            replied_by_name=user.full_name if user else "", replied_at=now,
        )  # fmt: skip
        self._d.amendment_replies.append(stored)
        return stored

    def close_request(self, request_id: int, closed_by: int, now: datetime) -> None:
        found = self.request(request_id).request
        if found.closed_at is not None:
            raise InvalidInput("This request is closed already.")
        user = self._d.users.get(closed_by)
        closed = dataclasses.replace(
            found, closed_at=now, closed_by=closed_by, closed_by_name=user.full_name if user else ""
        )
        self._d.amendment_requests = [
            closed if r.id == request_id else r for r in self._d.amendment_requests
        ]

    def _thread(self, r: AmendmentRequest) -> AmendmentThread:
        i = self._d.incidents[r.incident_id]
        replies = tuple(a for a in self._d.amendment_replies if a.request_id == r.id)
        pupil = self._d.pupils.get(i.details.who.pupil_id or -1)
        return AmendmentThread(
            r, replies, request_state(r, replies, i.version), i.reference or "",
            pupil.display_name if pupil else "", i.author_id,
        )  # fmt: skip

    def request(self, request_id: int) -> AmendmentThread:
        for r in self._d.amendment_requests:
            if r.id == request_id:
                return self._thread(r)
        raise NotFound(f"There is no amendment request with id {request_id}.")

    def requests(
        self,
        incident_id: int | None = None,
        author_id: int | None = None,
        open_only: bool = False,
        limit: int = 200,
    ) -> list[AmendmentThread]:
        threads = [self._thread(r) for r in reversed(self._d.amendment_requests)]
        threads = [
            t for t in threads
            if (incident_id is None or t.request.incident_id == incident_id)
            and (author_id is None or t.author_id == author_id)
            and (not open_only or t.state.open)
        ]  # fmt: skip
        return threads[:limit]

    def open_requests_count(self, author_id: int | None = None) -> int:
        return len(self.requests(author_id=author_id, open_only=True, limit=10**9))


class FakeStatements(_Repo):
    def add_request(self, request: StatementRequest) -> StatementRequest:
        incident = self._d.incidents.get(request.incident_id)
        if incident is None:
            raise NotFound(f"There is no record with id {request.incident_id}.")
        if incident.status is not IncidentStatus.SUBMITTED or not (
            1 <= request.for_version <= incident.version
        ):
            raise InvalidInput(f"The record has no version {request.for_version}.")
        if request.staff_id not in self._d.staff:
            raise NotFound(f"There is no member of staff with id {request.staff_id}.")
        if any(
            r.incident_id == request.incident_id and r.staff_id == request.staff_id
            for r in self._d.statement_requests
        ):
            raise InvalidInput("That member of staff has been asked for this record already.")
        stored = dataclasses.replace(request, id=len(self._d.statement_requests) + 1)
        self._d.statement_requests.append(stored)
        return stored

    def request(self, request_id: int) -> StatementRequest:
        for r in self._d.statement_requests:
            if r.id == request_id:
                return r
        raise NotFound(f"There is no statement request with id {request_id}.")

    def requests_for_incident(self, incident_id: int) -> list[StatementRequest]:
        return [r for r in self._d.statement_requests if r.incident_id == incident_id]

    def requests_for_staff(self, staff_id: int) -> list[StatementRequest]:
        return [r for r in self._d.statement_requests if r.staff_id == staff_id]

    def waiting(self) -> list[StatementRequest]:
        answered = {s.request_id for s in self._d.statements}
        return [r for r in self._d.statement_requests if r.id not in answered]

    def add_statement(self, statement: Statement) -> Statement:
        self.request(statement.request_id)
        text = canonical_text(statement.text)
        if statement.sha256 != text_sha256(text):
            raise InvalidInput("The statement's fingerprint does not match its text.")
        latest = max(
            (s.version for s in self._d.statements if s.request_id == statement.request_id),
            default=0,
        )
        if statement.version != latest + 1:
            raise InvalidInput(f"The next version of this statement is {latest + 1}.")
        user = self._d.users.get(statement.saved_by)
        stored = dataclasses.replace(
            statement,
            id=len(self._d.statements) + 1,
            text=text,
            saved_by_name=user.full_name if user else "",
        )
        self._d.statements.append(stored)
        self._d.statement_drafts.pop(statement.request_id, None)
        return stored

    def statements_for_incident(self, incident_id: int) -> list[Statement]:
        ids = {r.id for r in self.requests_for_incident(incident_id)}
        return [s for s in self._d.statements if s.request_id in ids]

    def statements_for_requests(self, request_ids: Iterable[int]) -> list[Statement]:
        ids = set(request_ids)
        return [s for s in self._d.statements if s.request_id in ids]

    def save_draft(self, request_id: int, text: str, saved_by: int, now: datetime) -> None:
        self.request(request_id)
        if text.strip():
            self._d.statement_drafts[request_id] = (text, now)
        else:
            self._d.statement_drafts.pop(request_id, None)

    def draft(self, request_id: int) -> tuple[str, datetime] | None:
        return self._d.statement_drafts.get(request_id)


class FakeBackupShelf(_Repo):
    @property
    def _shelves(self) -> FakeShelves:
        return self._d.shelves

    def inside_data_folder(self, folder: str) -> bool:
        return folder.startswith("data-folder")

    def mark(self) -> str:
        drafts = [i for i in self._d.incidents.values() if i.status is IncidentStatus.DRAFT]
        saved = max((i.updated_at.isoformat() for i in drafts), default="")
        return f"{len(self._d.audit)}|drafts {len(drafts)}|{saved}"

    def changed_since(self, generation: Generation) -> bool:
        audit = self._d.audit
        at = [e for e in audit if e.seq == generation.audit_seq]
        if generation.audit_seq and (not at or at[0].entry_hash != generation.audit_hash):
            return True
        if any(e.seq > generation.audit_seq and changes_records(e.action) for e in audit):
            return True
        return self.mark().partition("|")[2] != generation.mark.partition("|")[2]

    def make(self, label: str, now: datetime, app_version: str = "") -> Generation:
        if self._shelves.fail_with is not None:
            raise self._shelves.fail_with
        data = self._d
        head = data.audit[-1] if data.audit else None
        shelf = self._shelves.folders.setdefault("", [])
        name = f"{now:%Y%m%d-%H%M%S}-schema0001-{label}"
        if any(g.name == name for g, _ in shelf):
            name += f"-{len(shelf) + 1}"
        made = Generation(
            name=name,
            made_at=now,
            label=label,
            schema=1,
            records=sum(i.status is IncidentStatus.SUBMITTED for i in data.incidents.values()),
            audit_seq=head.seq if head else 0,
            audit_hash=head.entry_hash if head else "",
            app_version=app_version,
            size_bytes=1000,
            location="",
            mark=self.mark(),
        )
        snapshot = copy.deepcopy(data)
        shelf.append((made, snapshot))
        shelf.sort(key=lambda pair: (pair[0].made_at, pair[0].name))
        return made

    def generations(self, folder: str = "") -> list[Generation]:
        return [g for g, _ in self._shelves.folders.get(folder, [])]

    def remove(self, name: str, folder: str = "") -> None:
        shelf = self._shelves.folders.get(folder, [])
        shelf[:] = [(g, d) for g, d in shelf if g.name != name]

    def copy_to(self, name: str, folder: str) -> Generation:
        if folder not in self._shelves.reachable:
            raise OSError(2, "No such file or directory")
        for generation, data in self._shelves.folders.get("", []):
            if generation.name == name:
                copied = dataclasses.replace(generation, location=folder)
                there = self._shelves.folders.setdefault(folder, [])
                there[:] = [(g, d) for g, d in there if g.name != name]
                there.append((copied, data))
                there.sort(key=lambda pair: (pair[0].made_at, pair[0].name))
                return copied
        raise OSError(2, f"There is no backup {name}")

    def reachable(self, folder: str) -> bool:
        return folder in self._shelves.reachable

    def check(self, name: str, data_key: bytes, folder: str = "") -> list[str]:
        if bytes(data_key) != self._d.data_key:
            return [f"The backup {name} cannot be opened with this school's key."]
        return list(self._shelves.problems.get(name, []))


class FakeOversight(_Repo):
    """The oversight figures' reading (issue 14): a plain reading of store/oversight.py."""

    def _in(self, start: date, end: date) -> list[Incident]:
        found = [
            i
            for i in self._d.incidents.values()
            if i.status is IncidentStatus.SUBMITTED
            and i.details.when_where.date is not None
            and start <= i.details.when_where.date <= end
        ]
        return sorted(
            found,
            key=lambda i: (i.details.when_where.date, i.details.when_where.start or time(0), i.id),
        )

    def records(self, start: date, end: date, with_duties: bool = True) -> list[RecordForReport]:
        out = []
        for i in self._in(start, end):
            signed = [
                s.signed_at for s in self._d.sign_offs if s.incident_id == i.id and s.signed_at
            ]
            out.append(
                record_from_details(
                    i.id,
                    i.reference or "",
                    i.submitted_at or i.updated_at,
                    i.details,
                    min(signed) if signed else None,
                    tuple(
                        sorted(
                            (c for c in self._d.parent_contacts if c.incident_id == i.id),
                            key=lambda c: (c.at, c.id or 0),
                        )
                    ),
                    tuple(c for c in self._d.parents_copies if c.incident_id == i.id),
                )
            )
        return out

    def pupils_on_roll(self, start: date, end: date) -> list[Pupil]:
        with_records = {i.details.who.pupil_id for i in self._in(start, end)}
        return [
            dataclasses.replace(p, contacts=())
            for p in sorted(self._d.pupils.values(), key=lambda p: p.id)
            if p.id in with_records
            or (
                (p.joined_on is None or p.joined_on <= end)
                and (p.left_on is None or p.left_on > start)
            )
        ]

    def summaries(
        self, references: Sequence[str], visible_to: Visibility | None = None
    ) -> list[IncidentSummary]:
        wanted = set(references)
        found = [
            i
            for i in self._in(date.min, date.max)
            if i.reference in wanted
            and (
                visible_to is None
                or i.author_id == visible_to.user_id
                or any(s.staff_id == visible_to.staff_id for s in i.details.who.staff)
            )
        ]
        incidents = self._store.incidents
        assert isinstance(incidents, FakeIncidents)
        return [incidents._summary(i) for i in found]


class FakeGovernorsReports(_Repo):
    """The governors' reports kept (issue 14), append-only as in the store."""

    def add(
        self,
        period: Period,
        fingerprint: str,
        texts: GovernorsTexts,
        pdf: bytes,
        made_by: int,
        now: datetime,
    ) -> SavedReport:
        user = self._d.users.get(made_by)
        saved = SavedReport(
            id=len(self._d.governors_reports) + 1,
            period=period,
            made_at=now,
            made_by=made_by,
            made_by_name=user.full_name if user else "",
            fingerprint=fingerprint,
            texts=texts,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_size=len(pdf),
        )
        self._d.governors_reports.append((saved, bytes(pdf)))
        return saved

    def get(self, report_id: int) -> SavedReport:
        for saved, _pdf in self._d.governors_reports:
            if saved.id == report_id:
                return saved
        raise NotFound(f"There is no governors' report number {report_id}.")

    def list(self) -> list[SavedReport]:
        return [saved for saved, _pdf in reversed(self._d.governors_reports)]

    def pdf(self, report_id: int) -> bytes:
        for saved, pdf in self._d.governors_reports:
            if saved.id == report_id:
                return pdf
        raise NotFound(f"There is no governors' report number {report_id}.")


class InMemoryStore:
    """One open connection to a :class:`StoreData`. Writes inside ``transaction()``
    commit together or, on an exception, not at all."""

    def __init__(self, data: StoreData) -> None:
        self.data = data
        self.closed = False
        self._depth = 0
        # Typed as the ports (Protocol attributes are invariant); reach the data via .data.
        self.settings: SettingsRepository = FakeSettings(self)
        self.users: UserRepository = FakeUsers(self)
        self.staff: StaffRepository = FakeStaff(self)
        self.training: TrainingRepository = FakeTraining(self)
        self.pupils: PupilRepository = FakePupils(self)
        self.incidents: IncidentRepository = FakeIncidents(self)
        self.plans: PlanRepository = FakePlans(self)
        self.reviews: ReviewRepository = FakeReviews(self)
        self.documents: DocumentRepository = FakeDocuments(self)
        self.parent_contacts: ParentContactRepository = FakeParentContacts(self)
        self.parents_copies: ParentsCopyRepository = FakeParentsCopies(self)
        self.sign_offs: SignOffRepository = FakeSignOffs(self)
        self.desk: DeskRepository = FakeDesk(self)
        self.statements: StatementRepository = FakeStatements(self)
        self.oversight: OversightRepository = FakeOversight(self)  # issue 14
        self.governors_reports: GovernorsReportRepository = FakeGovernorsReports(self)
        self.calendar: CalendarRepository = FakeCalendar(self)
        self.audit: AuditLog = FakeAudit(self)
        self.backups: BackupShelf = FakeBackupShelf(self)

    def live(self) -> StoreData:
        if self.closed:
            raise DatabaseDamaged("The database has been closed (the app was locked).")
        return self.data

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        data = self.live()
        snapshot = copy.deepcopy(data) if self._depth == 0 else None
        self._depth += 1
        try:
            yield
        except BaseException:
            if snapshot is not None:
                for f in dataclasses.fields(StoreData):
                    setattr(data, f.name, getattr(snapshot, f.name))
            raise
        finally:
            self._depth -= 1

    def transaction(self) -> AbstractContextManager[None]:
        return self._transaction()

    def integrity_problems(self) -> list[str]:
        self.live()
        return []

    def full_problems(self, stopped: Callable[[], bool] = lambda: False) -> list[str]:
        return self.integrity_problems() + self.audit.verify()

    def page_problems(self) -> list[str]:
        self.live()
        return []

    def close(self) -> None:
        self.closed = True


class FakeStoreFactory:
    """One database's data, kept across open and close."""

    def __init__(self) -> None:
        self.data: StoreData | None = None
        self.opened: list[InMemoryStore] = []
        self.backup_generations: list[Generation] = []  # what generations() lists

    def exists(self) -> bool:
        return self.data is not None

    def create(self, data_key: bytes) -> InMemoryStore:
        if self.data is not None:
            raise AlreadySetUp("this data folder")
        self.data = StoreData(data_key=bytes(data_key))
        return self._connect()

    def open(self, data_key: bytes) -> InMemoryStore:
        if self.data is None:
            raise NotSetUp("this data folder")
        if bytes(data_key) != self.data.data_key:
            raise DatabaseDamaged("The database could not be read: the file is not a database.")
        return self._connect()

    def upgrade(
        self, data_key: bytes, report: Callable[[int, int, str], None] | None = None
    ) -> bool:
        """In memory there is only ever one schema: nothing to do (but a wrong key fails)."""
        self.open(data_key).close()
        return False

    def open_read_only(self, data_key: bytes) -> InMemoryStore:
        return self.open(data_key)

    def generations(self) -> list[Generation]:
        return list(self.backup_generations)

    def _connect(self) -> InMemoryStore:
        assert self.data is not None
        store = InMemoryStore(self.data)
        self.opened.append(store)
        return store


def _conforms(
    vault: FakeVault, factory: FakeStoreFactory, store: InMemoryStore, clock: FakeClock
) -> tuple[KeyVault, StoreFactory, Store, FakeClock]:
    """Never called: lets mypy check that the fakes satisfy the Protocols."""
    return vault, factory, store, clock


# --------------------------------------------------------------------------- builders

COMPLETE_FROM = time(12, 30)
"""``complete_details(..., day)`` is free of findings when evaluated on ``day`` at or after
this local time (parents were told at 12:00), and before midnight."""


def complete_details(pupil_id: int, staff_id: int, day: date) -> IncidentDetails:
    """A record that holds everything the policy asks for and raises no warning: a short
    standing hold in a classroom, de-escalation tried, no floor position, no injury, the
    pupil debriefed at 11:00 and parents told by telephone at 12:00 on ``day``."""
    return IncidentDetails(
        when_where=WhenWhere(date=day, start=time(10, 5), end=time(10, 20), location="Classroom"),
        who=Who(
            pupil_id=pupil_id,
            staff=(StaffInvolvement(staff_id, StaffPart.CARRIED_OUT),),
            other_witnesses="A visiting music teacher",
        ),
        what_happened=WhatHappened(
            antecedents="A change to the timetable after break; the pupil was unsettled.",
            pupil_behaviour="Threw a chair towards another pupil and ran at the window.",
            account="10:05 the pupil climbed on the desk. 10:08 guided away from the window. "
            "10:12 calmer and sat in the reading corner.",
        ),
        deescalation=Deescalation(
            strategies=("Calm, quiet voice and reassurance", "Offered choices"),
            other="Offered the pupil's favourite book.",
        ),
        necessity=Necessity(
            grounds=frozenset({LawfulGround.PREVENT_INJURY}),
            justification="Another pupil was in the path of the chair; talking had not worked.",
            not_punishment_confirmed=True,
        ),
        intervention=Intervention(
            kind=InterventionKind.REASONABLE_FORCE,
            holds=(HoldUse("Friendly hold (standing)", 3 * 60), HoldUse("Single elbow", 2 * 60)),
            staff_count=1,
            floor_position=False,
            abc_never_restricted=True,
        ),
        injuries=Injuries(pupil_injured=False, staff_injured=False, others_injured=False),
        debriefs=Debriefs(
            pupil_debriefed=True,
            pupil_debrief_at=datetime.combine(day, time(11, 0)),
            pupil_debrief_by="Class teacher",
            pupil_voice="I was cross because PE was cancelled.",
            staff_debrief="Talked it through with the deputy head.",
        ),
        parents=ParentsContact(
            status=ParentsStatus.TOLD,
            told_who="Mother",
            told_how=ContactMethod.PHONE,
            told_at=datetime.combine(day, time(12, 0)),
            told_by="Head of year",
            summary_for_parents="Your child became very upset in class after a change to the "
            "timetable and threw a chair. A member of staff guided them away for a few minutes "
            "to keep everyone safe, and they were soon calm in the reading corner.",
        ),
        follow_up=FollowUp(
            how_child_is_now="Calm, back in class and joined in at lunch.",
            pupil_support="Check-in with the key adult each morning this week.",
            plan_review_needed=False,
            risk_assessment_review_needed=False,
        ),
    )


@dataclass
class FakeSchool:
    """A set-up school on the fakes, with its first administrator signed in."""

    clock: FakeClock
    vault: FakeVault
    stores: FakeStoreFactory
    accounts: AccountService
    admin: Session
    recovery_code: str

    @property
    def store(self) -> InMemoryStore:
        store = self.admin.store
        assert isinstance(store, InMemoryStore)
        return store

    def actions(self) -> list[str]:
        """The audit log's actions, oldest first."""
        assert self.stores.data is not None
        return [e.action for e in self.stores.data.audit]


def new_school(
    clock: FakeClock | None = None, admin_roles: frozenset[Role] = frozenset()
) -> FakeSchool:
    """Set up a school as its administrator ("h.bashir"); ``admin_roles`` adds roles."""
    clock = clock or FakeClock()
    vault, stores = FakeVault(), FakeStoreFactory()
    accounts = AccountService(vault, stores, clock)
    result = accounts.set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Hana Bashir",
            admin_username="h.bashir",
            passphrase=PASSPHRASE,
            admin_job_title="School business manager",
            extra_roles=admin_roles,
        )
    )
    return FakeSchool(clock, vault, stores, accounts, result.session, result.recovery_code)


def sign_in_as(
    school: FakeSchool,
    username: str,
    roles: frozenset[Role] = frozenset({Role.STAFF}),
    full_name: str = "",
) -> Session:
    """Add an account (as the administrator) unless it exists, then sign in as it."""
    if school.admin.store.users.by_username(username) is None:
        name = full_name or username.replace(".", " ").title()
        UserAdminService(school.admin, school.vault).add_user(name, username, PASSPHRASE, roles)
    return school.accounts.sign_in(username, PASSPHRASE)


# ------------------------------------------------------------------ services for tests

# The app's own document renderer (reportlab): tests read the PDFs it makes.
RENDERER = ReportlabRenderer()


class RecordingRenderer(ReportlabRenderer):
    """The real renderer that also keeps what the oversight reports were made from, so
    a test can check what a service handed to it (``governors``, ``trusts``)."""

    def __init__(self) -> None:
        self.governors: list[GovernorsReportDocument] = []
        self.trusts: list[tuple[PublishedReport, datetime]] = []

    def governors_report(self, doc: GovernorsReportDocument) -> bytes:
        self.governors.append(doc)
        return super().governors_report(doc)

    def trust_report(self, published: PublishedReport, made_at: datetime) -> bytes:
        self.trusts.append((published, made_at))
        return super().trust_report(published, made_at)


def services_for(session: Session, vault: KeyVault | None = None) -> Services:
    """Every service of ``session``, built as the app builds them (``wiring.py``), with
    account management when ``vault`` (the keyring) is given."""
    return build_services(session, shipped(), RENDERER, vault, cipher_facts)


def services_opener(accounts: AccountService) -> Callable[[Session], Services]:
    """What the app's composition gives the shell: a signed-in session's services, with
    account management over ``accounts``' keyring."""
    return lambda session: services_for(session, accounts.keyring)


# --------------------------------------------------------------------------- key rotation


class FakeKeyRotator:
    """Key rotation in memory (the ``KeyRotator`` port): the keyring's and the database's
    key replaced together. ``fail_with`` makes the next rotation raise it (before the
    commit: nothing changes; a RotationUnfinished after it: the keys have changed);
    ``stale`` are the backups it reports as under an older key."""

    def __init__(self, vault: FakeVault, stores: FakeStoreFactory) -> None:
        self._vault = vault
        self._stores = stores
        self.requests: list[RotationRequest] = []
        self.fail_with: IncidentRecorderError | None = None
        self.interrupted = ""
        self.stale: list[NotRotated] = []
        self.removed: list[str] = []

    def finish_interrupted(self) -> str:
        note, self.interrupted = self.interrupted, ""
        return note

    def entry_forms(self) -> dict[str, bool]:
        forms = {name: name not in self._vault.older_form for name in self._vault.usernames()}
        forms["#recovery"] = "#recovery" not in self._vault.older_form
        return forms

    def rotate(
        self, old_key: bytes, request: RotationRequest, progress: Progress
    ) -> RotationOutcome:
        assert self._stores.data is not None
        if bytes(old_key) != self._vault._key:
            raise DatabaseDamaged("The database could not be read with this key.")
        if self._stores.opened and not self._stores.opened[-1].closed:
            raise AssertionError("the database is still open while its files are swapped")
        self.requests.append(request)
        error, self.fail_with = self.fail_with, None
        if error is not None and not isinstance(error, RotationUnfinished):
            raise error
        new_key = secrets.token_bytes(32)
        self._vault._key = new_key
        self._stores.data.data_key = new_key
        kept = {n: p for n, p in self._vault._passphrases.items() if n in request.keep}
        self._vault._passphrases = {**kept, **request.temporary}
        code = ""
        if request.fresh_recovery_code or "#recovery" in self._vault.older_form:
            code = "-".join(secrets.token_hex(2).upper() for _ in range(6))
            self._vault._recovery_code = code
        self._vault.older_form = frozenset()
        self._vault.writes += 1
        progress.step(1, 1, "Done")
        if error is not None:
            raise error
        return RotationOutcome(
            rotated_backups=("backups/one", "backups/two"),
            not_rotated=tuple(s for s in self.stale if s.path not in self.removed),
            unreachable=request.unreachable,
            accounts=tuple(sorted(self._vault._passphrases)),
            temporary=tuple(sorted(request.temporary)),
            recovery_code=code,
            new_key=bytearray(new_key),
        )

    def old_backups(self, data_key: bytes, folders: tuple[str, ...]) -> list[NotRotated]:
        return [s for s in self.stale if s.path not in self.removed]

    def remove_backup(self, path: str) -> None:
        self.removed.append(path)


def _rotator_conforms(rotator: FakeKeyRotator) -> KeyRotator:
    """Never called: lets mypy check that the fake satisfies the Protocol."""
    return rotator
