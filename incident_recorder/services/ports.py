"""What the services need from the outside world, as Protocols.

``incident_recorder.store`` implements the storage ports over SQLCipher and
``incident_recorder.documents`` the document renderer over reportlab; the tests
implement them as in-memory fakes. Nothing here knows about SQL, PDFs or Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.desk import (
    AmendmentReply,
    AmendmentRequest,
    AmendmentThread,
    DeskRecord,
    ReferralDecision,
)
from incident_recorder.domain.documents import DocumentOutput, LetterTemplateVersion, Pdf
from incident_recorder.domain.letters import LetterContent
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    IncidentQuery,
    IncidentSummary,
    IncidentVersion,
    NewPupil,
    Page,
    Pupil,
    PupilName,
    Role,
    SchoolDetails,
    SchoolSettings,
    StaffMember,
    User,
)
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsReportDocument, GovernorsTexts
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.domain.oversight.records import RecordForReport
from incident_recorder.domain.oversight.saved import SavedReport
from incident_recorder.domain.parents_copy import CopySupply
from incident_recorder.domain.parents_told import ParentContactEntry, ToTellRow
from incident_recorder.domain.plan_reviews import PlanReviewRecord
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.record_document import RecordDocument
from incident_recorder.domain.review import PupilSummary
from incident_recorder.domain.rollback import SeenHead
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.domain.statements import Statement, StatementRequest
from incident_recorder.domain.training import TrainingRecord


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


# --------------------------------------------------------------------------- keys


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost, stored per wrapped key so it can be raised later.

    The default takes about 0.35 s with 64 MiB on the project's reference machine
    (2 cores, measured November 2026: time_cost 8 -> 0.34 s median).
    """

    time_cost: int = 8
    memory_kib: int = 65536
    parallelism: int = 1


@dataclass(frozen=True, slots=True)
class DemoHint:
    username: str
    passphrase: str


class KeyVault(Protocol):
    """The keyring file beside the database: usernames, salts, KDF parameters and
    wrapped copies of the data key. Never the data key itself."""

    def exists(self) -> bool: ...

    def create(
        self, username: str, passphrase: str, demo: DemoHint | None = None
    ) -> tuple[bytes, str]:
        """Make a new random data key, wrap it for the first user and for a new
        recovery code. Returns (data key, recovery code). Written atomically."""
        ...

    def unlock(self, username: str, passphrase: str) -> bytes:
        """The data key, or WrongPassphrase. Changes nothing on disk."""
        ...

    def unlock_with_recovery_code(self, code: str) -> bytes: ...

    def add_user(self, data_key: bytes, username: str, passphrase: str) -> None: ...

    def change_passphrase(self, username: str, old: str, new: str) -> None: ...

    def remove_user(self, username: str) -> None: ...

    def usernames(self) -> list[str]: ...

    def demo_hint(self) -> DemoHint | None:
        """The demo sign-in, for the demo database only."""
        ...

    def needs_upgrade(self, username: str) -> bool:
        """Whether the account's entry is of the older form, which key rotation cannot
        give a new key to without its passphrase."""
        ...

    def upgrade(self, username: str, passphrase: str, data_key: bytes) -> bool:
        """Turn the account's older-form entry into the sealed form (at sign-in, when the
        passphrase is known). False when there was nothing to do."""
        ...

    def upgrade_recovery(self, code: str, data_key: bytes) -> bool:
        """The same for the recovery code's entry (when the code is used)."""
        ...

    def seen(self) -> SeenHead | None:
        """The audit chain's newest entry this keyring last saw (None: never)."""
        ...

    def remember(self, seq: int, entry_hash: str, at: datetime) -> None:
        """Remember the audit chain's newest entry (written atomically; the revision is
        not changed). Never raises: a keyring that cannot be written just now (a
        read-only folder) is logged and left as it was."""
        ...

    def revision(self) -> int:
        """Raised by one at every change of the keyring's entries (0: an older file)."""
        ...


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True, slots=True)
class Visibility:
    """Limits a search to what a Staff-only user may see: their own records and
    the records they are named on."""

    user_id: int
    staff_id: int | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime  # UTC
    actor_id: int | None
    action: str  # sign_in, sign_in_failed, view, create, save_draft, submit, amend, ...
    incident_id: int | None
    detail: str  # never personal data: references and ids only
    record_sha256: str | None  # hash of the record version touched, if any
    prev_hash: str
    entry_hash: str


class SettingsRepository(Protocol):
    def get(self) -> SchoolSettings: ...

    def save(self, settings: SchoolSettings) -> None: ...


class CalendarRepository(Protocol):
    """The school calendar (issue 14), kept as a whole."""

    def get(self) -> SchoolCalendar | None:
        """The school's own calendar, or None when it keeps none."""
        ...

    def save(self, calendar: SchoolCalendar | None) -> None:
        """Keep ``calendar`` in place of the one kept (None: keep none)."""
        ...


class UserRepository(Protocol):
    def add(
        self, username: str, full_name: str, roles: frozenset[Role], staff_id: int | None
    ) -> User: ...

    def get(self, user_id: int) -> User: ...

    def by_username(self, username: str) -> User | None: ...

    def list(self) -> list[User]: ...

    def set_active(self, user_id: int, active: bool) -> User:
        """Switch an account on or off; NotFound if there is no such account."""
        ...


class StaffRepository(Protocol):
    def add(self, full_name: str, job_title: str = "") -> StaffMember: ...

    def get(self, staff_id: int) -> StaffMember: ...

    def list(self, active_only: bool = True) -> list[StaffMember]: ...


class TrainingRepository(Protocol):
    """The staff's positive-handling training (issue 13): append-only; a correction or
    a removal replaces an entry in force, and every row stays readable."""

    def add(self, record: TrainingRecord, recorded_by: int, now: datetime) -> TrainingRecord:
        """Save a new entry; NotFound for an unknown member of staff."""
        ...

    def correct(
        self, entry_id: int, record: TrainingRecord, recorded_by: int, now: datetime
    ) -> TrainingRecord:
        """Replace the entry in force ``entry_id`` (NotFound if not in force)."""
        ...

    def remove(self, entry_id: int, reason: str, recorded_by: int, now: datetime) -> None:
        """Withdraw the entry in force ``entry_id``, with the reason."""
        ...

    def get(self, entry_id: int) -> TrainingRecord: ...

    def any_in_force(self) -> bool:
        """Whether anyone's training is recorded (in force) at all."""
        ...

    def in_force(self, staff_ids: list[int] | None = None) -> list[TrainingRecord]:
        """The entries in force, everyone's or ``staff_ids``', by person then date."""
        ...

    def history(self, staff_id: int) -> list[tuple[str, TrainingRecord, str]]:
        """Every row for one person, oldest first: ("entry" or "removal", the entry,
        the row's note; a removal gives the entry it withdrew)."""
        ...


class PupilRepository(Protocol):
    def add(self, pupil: NewPupil) -> Pupil:
        """Add a pupil with their parents and carers (``contacts``)."""
        ...

    def update(self, pupil: Pupil) -> Pupil:
        """Save every field of the pupil with this id, contacts and ``left_on`` included
        (contacts are replaced as a whole). NotFound, or InvalidInput for a UPN
        another pupil has."""
        ...

    def get(self, pupil_id: int) -> Pupil: ...

    def search(self, text: str, limit: int = 50) -> list[Pupil]:
        """Pupils whose name or UPN contains ``text`` (case-insensitive), on roll first."""
        ...

    def list(self) -> list[Pupil]: ...

    def names_on_roll(self, on: date, text: str) -> tuple[PupilName, ...]:
        """Only the names of pupils on roll on ``on`` (not yet left) whose first or
        preferred name could appear in ``text``: a superset, cheap on a large roll."""
        ...

    def has_plan(self, pupil_id: int, on: date) -> bool | None:
        """Whether a behaviour support plan had started by ``on`` (None: not known)."""
        ...


class PlanRepository(Protocol):
    """Behaviour support plans; each save is a new version, never changed after."""

    def add(self, plan: BehaviourPlan, saved_by: int, now: datetime) -> BehaviourPlan:
        """Save as the pupil's next version (1, 2, 3...); returns the stored version.
        NotFound if there is no such pupil."""
        ...

    def versions(self, pupil_id: int) -> list[BehaviourPlan]:
        """Every version, newest first."""
        ...

    def current(self, pupil_id: int) -> BehaviourPlan | None: ...

    def in_force(self, pupil_id: int, on: date) -> BehaviourPlan | None:
        """The newest version whose start date is on or before ``on``."""
        ...


class ReviewRepository(Protocol):
    """Recorded reviews of pupils' behaviour support plans; never changed after saving."""

    def add(self, review: PlanReviewRecord, recorded_by: int, now: datetime) -> PlanReviewRecord:
        """Save the review with its linked incidents; returns it with id, recorded_at,
        recorded_by and recorded_by_name filled in. NotFound for an unknown pupil or
        incident; InvalidInput if a linked incident is not this pupil's submitted record."""
        ...

    def for_pupil(self, pupil_id: int) -> list[PlanReviewRecord]:
        """Every review of the pupil, newest first (by held_on, then id)."""
        ...

    def latest(self) -> dict[int, PlanReviewRecord]:
        """Each pupil's newest review (by held_on, then id), keyed by pupil id: one query."""
        ...


class DocumentRepository(Protocol):
    """What was produced from each record (never changed), the saved versions of the
    letter wording (never changed) and the school's logo."""

    def add_output(self, output: DocumentOutput, by_user: int, now: datetime) -> DocumentOutput:
        """Keep a record that a document was previewed, printed or saved; returns it with
        id, at, by_user and by_name. NotFound for an unknown record."""
        ...

    def outputs_for(self, incident_id: int) -> list[DocumentOutput]:
        """Everything produced from one record, oldest first."""
        ...

    def current_template(self) -> LetterTemplateVersion | None:
        """The newest saved letter wording; None while the shipped default is used."""
        ...

    def template(self, version: int) -> LetterTemplateVersion:
        """A saved version (1 on); NotFound otherwise."""
        ...

    def templates(self) -> list[LetterTemplateVersion]:
        """Every saved version, newest first."""
        ...

    def add_template(self, text: str, saved_by: int, now: datetime) -> LetterTemplateVersion:
        """Save the next version (1, 2, 3 …) and return it."""
        ...

    def logo(self) -> bytes | None:
        """The school's logo (PNG bytes), or None."""
        ...

    def set_logo(self, png: bytes | None, saved_by: int, now: datetime) -> None:
        """Keep ``png`` as the logo; None removes it."""
        ...


class ParentContactRepository(Protocol):
    """Contacts with parents about each incident; never changed after saving."""

    def add(self, entry: ParentContactEntry, recorded_by: int, now: datetime) -> ParentContactEntry:
        """Save one contact; returns it with id, recorded_at, recorded_by and
        recorded_by_name. NotFound for an unknown record."""
        ...

    def for_incident(self, incident_id: int) -> list[ParentContactEntry]:
        """One record's contacts in the order they happened (by ``at``, then id)."""
        ...

    def to_tell(self, visible_to: Visibility | None = None, limit: int = 500) -> list[ToTellRow]:
        """Submitted records, not withheld, whose parents were not told (neither by the
        form nor by a later call, meeting or reply) or to whom no letter went; oldest
        first; only those ``visible_to`` may see when given."""
        ...

    def to_tell_count(self, visible_to: Visibility | None = None) -> int:
        """How many records ``to_tell`` would list without a limit."""
        ...


class ParentsCopyRepository(Protocol):
    """Copies of the written record supplied to parents (issue 13), and decisions that
    an amended version need not go; never changed after saving."""

    def add(self, supply: CopySupply, recorded_by: int, now: datetime) -> CopySupply:
        """Save one; returns it with id, recorded_at, recorded_by and recorded_by_name.
        NotFound for an unknown record; InvalidInput for a version the record does not
        have (or a draft), a copy without how, or a decision without a reason."""
        ...

    def for_incident(self, incident_id: int) -> list[CopySupply]:
        """One record's entries in the order they happened (by ``at``, then id)."""
        ...


class SignOffRepository(Protocol):
    """Sign-offs of records' versions by safeguarding leads; never changed."""

    def add(self, sign_off: SignOff, signed_by: int, now: datetime) -> SignOff:
        """Keep a sign-off; returns it with id, signed_at, signed_by and signed_by_name.
        NotFound for an unknown record; InvalidInput if that version is signed off."""
        ...

    def for_incident(self, incident_id: int) -> list[SignOff]:
        """One record's sign-offs, oldest first."""
        ...


class OversightRepository(Protocol):
    """What the oversight figures are read from (issue 14), for a whole period at once
    (a few set-based queries, never one per record)."""

    def records(self, start: date, end: date, with_duties: bool = True) -> list[RecordForReport]:
        """The submitted records that happened from ``start`` to ``end`` (inclusive),
        oldest first, with what the figures read from their latest version and (with
        ``with_duties``) their contacts with parents, copies supplied and first
        sign-off."""
        ...

    def pupils_on_roll(self, start: date, end: date) -> list[Pupil]:
        """Pupils on roll on any day of the dates, and every pupil of a record in them
        (without contacts), by id."""
        ...

    def summaries(
        self, references: Sequence[str], visible_to: Visibility | None = None
    ) -> list[IncidentSummary]:
        """The submitted records with these references that ``visible_to`` may see
        (None: every one), oldest first; unknown references left out."""
        ...


class GovernorsReportRepository(Protocol):
    """The governors' reports kept (schema 16); written once, never changed."""

    def add(
        self,
        period: Period,
        fingerprint: str,
        texts: GovernorsTexts,
        pdf: bytes,
        made_by: int,
        now: datetime,
    ) -> SavedReport: ...

    def get(self, report_id: int) -> SavedReport:
        """NotFound for an unknown id."""
        ...

    def list(self) -> list[SavedReport]:
        """Newest first."""
        ...

    def pdf(self, report_id: int) -> bytes:
        """The PDF's bytes exactly as kept. NotFound for an unknown id."""
        ...


class DeskRepository(Protocol):
    """The safeguarding lead's desk (issue 13, schema 13): records to sign off and with
    referrals to consider, referral decisions, amendment requests, replies and closures.
    Every entry is written once, never changed."""

    def to_sign_off(self, limit: int = 200) -> list[DeskRecord]:
        """Submitted records whose latest version is not signed off, oldest first."""
        ...

    def to_sign_off_count(self) -> int: ...

    def referrals_open(self, limit: int = 200) -> list[DeskRecord]:
        """Submitted records with an injury not yet reviewed, or a referral ticked with
        no decision, oldest first."""
        ...

    def referrals_open_count(self) -> int: ...

    def record(self, incident_id: int) -> DeskRecord:
        """One submitted record's desk facts; NotFound for a draft or no such record."""
        ...

    def add_decision(
        self, decision: ReferralDecision, decided_by: int, now: datetime
    ) -> ReferralDecision: ...

    def decisions(self, incident_ids: Sequence[int]) -> list[ReferralDecision]:
        """The decisions about these records, oldest first."""
        ...

    def add_request(
        self, request: AmendmentRequest, requested_by: int, now: datetime
    ) -> AmendmentRequest: ...

    def add_reply(
        self, reply: AmendmentReply, replied_by: int, now: datetime
    ) -> AmendmentReply: ...

    def close_request(self, request_id: int, closed_by: int, now: datetime) -> None:
        """InvalidInput when it is closed already."""
        ...

    def request(self, request_id: int) -> AmendmentThread:
        """NotFound when there is no such request."""
        ...

    def requests(
        self,
        incident_id: int | None = None,
        author_id: int | None = None,
        open_only: bool = False,
        limit: int = 200,
    ) -> list[AmendmentThread]:
        """Newest first: about one record, or on one author's records."""
        ...

    def open_requests_count(self, author_id: int | None = None) -> int: ...


class StatementRepository(Protocol):
    """Statement requests and every version of each statement (issue 13); never changed."""

    def add_request(self, request: StatementRequest) -> StatementRequest:
        """Keep a request; NotFound for an unknown record or member of staff,
        InvalidInput if they were asked for that record already."""
        ...

    def request(self, request_id: int) -> StatementRequest:
        """NotFound if there is none."""
        ...

    def requests_for_incident(self, incident_id: int) -> list[StatementRequest]: ...

    def requests_for_staff(self, staff_id: int) -> list[StatementRequest]: ...

    def waiting(self) -> list[StatementRequest]:
        """Every request not yet answered, oldest first."""
        ...

    def add_statement(self, statement: Statement) -> Statement:
        """Keep the next version (text canonical, SHA-256 checked); InvalidInput if it
        is not the next version."""
        ...

    def statements_for_incident(self, incident_id: int) -> list[Statement]: ...

    def statements_for_requests(self, request_ids: Iterable[int]) -> list[Statement]: ...

    def save_draft(self, request_id: int, text: str, saved_by: int, now: datetime) -> None:
        """Keep what was typed and not yet saved (replacing the last); empty removes it.
        Saving the statement removes it too."""
        ...

    def draft(self, request_id: int) -> tuple[str, datetime] | None:
        """The unsaved text and when (UTC) it was kept, or None."""
        ...


@dataclass(frozen=True, slots=True)
class VersionToImport:
    """One saved version of a record from an export (see ``import_record``)."""

    details: IncidentDetails
    saved_at: datetime  # UTC
    saved_by: int  # user id in this database
    reason: str  # "" for version 1


@dataclass(frozen=True, slots=True)
class RecordToImport:
    """A record from an export, as it was: a draft (``draft`` set, no reference) or a
    submitted record (``reference``, ``submitted_at`` and its versions, oldest first)."""

    author_id: int
    created_at: datetime  # UTC
    updated_at: datetime  # UTC
    event_id: int | None = None  # None starts a new event
    reference: str | None = None
    submitted_at: datetime | None = None
    versions: tuple[VersionToImport, ...] = ()
    draft: IncidentDetails | None = None


class IncidentRepository(Protocol):
    def create_draft(
        self, author_id: int, details: IncidentDetails, now: datetime, event_id: int | None = None
    ) -> Incident:
        """A new draft; ``event_id`` None starts a new event."""
        ...

    def save_draft(self, incident_id: int, details: IncidentDetails, now: datetime) -> None: ...

    def discard_draft(self, incident_id: int) -> None: ...

    def get(self, incident_id: int) -> Incident: ...

    def by_reference(self, reference: str) -> Incident | None: ...

    def submit(
        self, incident_id: int, details: IncidentDetails, user_id: int, now: datetime
    ) -> Incident:
        """Lock the draft as version 1 with the next gapless reference for ``now``'s year."""
        ...

    def amend(
        self, incident_id: int, details: IncidentDetails, user_id: int, reason: str, now: datetime
    ) -> Incident: ...

    def versions(self, incident_id: int) -> list[IncidentVersion]: ...

    def search(
        self, query: IncidentQuery, visible_to: Visibility | None = None
    ) -> Page[IncidentSummary]:
        """Submitted records (and drafts when the query asks for status DRAFT) in the
        query's order (``sort``, ``descending``: newest first by default), one page of it.
        With ``visible_to``, drafts are the author's own only."""
        ...

    def drafts(self, author_id: int) -> list[IncidentSummary]: ...

    def in_event(self, event_id: int) -> list[IncidentSummary]: ...

    def all_submitted(self) -> Iterator[Incident]: ...

    def submitted_for_pupil(self, pupil_id: int) -> list[Incident]:
        """The pupil's submitted records at their latest version, in date and start-time
        order (then by id): one query, for the pupil review."""
        ...

    def submitted_days(self) -> list[tuple[int, date]]:
        """(pupil id, day) of every submitted record that has both, in one light query:
        for the school-wide "plan reviews due" list."""
        ...

    def import_record(self, record: RecordToImport) -> Incident:
        """Put back a record from an export with its reference, event, versions, authors
        and timestamps as they were, and move that year's reference counter past it so
        the reference is never handed out again. InvalidInput if the reference is taken."""
        ...


class AuditLog(Protocol):
    def append(
        self,
        actor_id: int | None,
        action: str,
        now: datetime,
        incident_id: int | None = None,
        detail: str = "",
        record_sha256: str | None = None,
    ) -> AuditEntry: ...

    def entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]: ...

    def head(self) -> AuditEntry | None: ...

    def entry(self, seq: int) -> AuditEntry | None:
        """The entry numbered ``seq``, or None."""
        ...

    def latest(self, action: str) -> AuditEntry | None:
        """The newest entry of ``action``, or None."""
        ...

    def verify(self) -> list[str]:
        """Plain-English problems with the chain; empty when it is intact."""
        ...


class BackupShelf(Protocol):
    """The backups of one data folder, and of the second folder the administrator chose
    (``folder``; "" for the data folder's own ``backups/``). Generations are made from the
    store's own connection."""

    def make(self, label: str, now: datetime, app_version: str = "") -> Generation: ...

    def changed_since(self, generation: Generation) -> bool:
        """Whether anything has been recorded since ``generation`` was made (entries
        that change nothing, such as sign-ins, records looked at and the backups' own
        entries, do not count: domain/backups.UNCHANGING_ACTIONS). Quick enough for the
        status bar on the largest database."""
        ...

    def generations(self, folder: str = "") -> list[Generation]:
        """Oldest first; half-made ones left out."""
        ...

    def remove(self, name: str, folder: str = "") -> None: ...

    def copy_to(self, name: str, folder: str) -> Generation:
        """Copy a generation of the data folder into ``folder`` (BackupFailed, an
        OSError, with a plain reason when it cannot)."""
        ...

    def reachable(self, folder: str) -> bool:
        """Whether ``folder`` is there and can be written (a drive plugged in)."""
        ...

    def inside_data_folder(self, folder: str) -> bool:
        """Whether ``folder`` is the data folder or inside it (no place for a second
        copy)."""
        ...

    def check(self, name: str, data_key: bytes, folder: str = "") -> list[str]:
        """Open it read-only with ``data_key``: cipher, integrity and audit-chain
        problems in plain words ([] when sound)."""
        ...


@dataclass(frozen=True, slots=True)
class BackupFacts:
    """What a database holds, read from the database itself."""

    records: int  # submitted records
    audit_seq: int
    audit_hash: str
    schema: int


@dataclass(frozen=True, slots=True)
class ReplacedFiles:
    """Where a restore put the files it replaced ("" and () when there were none)."""

    folder: str
    names: tuple[str, ...]


class BackupRestorer(Protocol):
    """Finds backups of a data folder, checks one read only, and swaps it in (with the
    database it replaces kept aside). Works without a signed-in session: the database
    may be missing, damaged or an older copy."""

    @property
    def data_dir(self) -> Path: ...

    def local_generations(self) -> list[Generation]: ...

    def generations_in(self, folder: Path) -> list[Generation]: ...

    def describe(self, path: Path) -> Generation | None:
        """The backup at ``path`` (its folder, manifest or database file), or None."""
        ...

    def folder_of(self, generation: Generation) -> Path: ...

    def facts(self, generation: Generation, data_key: bytes) -> BackupFacts: ...

    def current_facts(self, data_key: bytes) -> BackupFacts | None: ...

    def check(self, generation: Generation, data_key: bytes) -> list[str]: ...

    def put_keyring_in_place(self, generation: Generation, now: datetime) -> ReplacedFiles:
        """Write the backup's keyring in place of the data folder's (atomically); a
        keyring that was there is kept aside in ``replaced/<date-time>/`` first."""
        ...

    def put_in_place(
        self, generation: Generation, now: datetime, replace_keyring: bool
    ) -> ReplacedFiles: ...


class Store(Protocol):
    # Read-only members, so an implementation may hold its own repository classes.
    @property
    def settings(self) -> SettingsRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def training(self) -> TrainingRepository: ...

    @property
    def pupils(self) -> PupilRepository: ...

    @property
    def incidents(self) -> IncidentRepository: ...

    @property
    def plans(self) -> PlanRepository: ...

    @property
    def reviews(self) -> ReviewRepository: ...

    @property
    def documents(self) -> DocumentRepository: ...

    @property
    def parent_contacts(self) -> ParentContactRepository: ...

    @property
    def parents_copies(self) -> ParentsCopyRepository: ...

    @property
    def sign_offs(self) -> SignOffRepository: ...

    @property
    def desk(self) -> DeskRepository: ...

    @property
    def statements(self) -> StatementRepository: ...

    @property
    def oversight(self) -> OversightRepository: ...

    @property
    def governors_reports(self) -> GovernorsReportRepository: ...

    @property
    def calendar(self) -> CalendarRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def backups(self) -> BackupShelf: ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all. Nested calls join the outer one."""
        ...

    def integrity_problems(self) -> list[str]:
        """SQLCipher's and SQLite's integrity checks and the schema against the
        migrations, in plain English; empty if sound."""
        ...

    def full_problems(self, stopped: Callable[[], bool] = ...) -> list[str]:
        """Every check (the file, the schema, the audit chain), a part of the file that
        cannot be read reported as damage, never raised; ``stopped()`` is asked between
        the steps. Empty if sound."""
        ...

    def page_problems(self) -> list[str]:
        """Every page of the file read against the tamper check; empty if sound."""
        ...

    def close(self) -> None: ...


class StoreFactory(Protocol):
    """Opens or creates the encrypted database with a raw data key."""

    def exists(self) -> bool: ...

    def create(self, data_key: bytes) -> Store: ...

    def open(self, data_key: bytes) -> Store:
        """Applies pending migrations (after an encrypted backup) before returning.
        Raises DatabaseFileDamaged, before writing anything, when the quick check made
        at opening finds the file damaged."""
        ...

    def open_read_only(self, data_key: bytes) -> Store:
        """Open for checking only: nothing is written (no migration, no audit entry)."""
        ...

    def generations(self) -> list[Generation]:
        """The data folder's backups, oldest first (read without the key)."""
        ...

    def upgrade(
        self, data_key: bytes, report: Callable[[int, int, str], None] | None = None
    ) -> bool:
        """Apply pending migrations (after an encrypted backup) on a connection made and
        closed in the calling thread; ``report(done, total, text)`` hears the progress.
        True if anything was done."""
        ...


class DocumentRenderer(Protocol):
    """Makes the app's PDFs from domain objects (``documents/renderer.py``). Each call
    returns the bytes and the number of pages, counted once, by the renderer."""

    def letter(self, content: LetterContent) -> Pdf: ...

    def letter_font_warning(self, content: LetterContent) -> str:
        """A plain warning when the letter holds characters its fonts cannot print (""
        when it prints as written)."""
        ...

    def record(self, document: RecordDocument) -> Pdf: ...

    def pupil_summary(self, summary: PupilSummary) -> Pdf: ...

    def plan(
        self, plan: BehaviourPlan, pupil: Pupil, school: SchoolDetails, printed_on: date
    ) -> Pdf: ...

    def governors_report(self, doc: GovernorsReportDocument) -> bytes:
        """The governors' report: the same document always gives the same bytes."""
        ...

    def trust_report(self, published: PublishedReport, made_at: datetime) -> bytes:
        """The roll-up across several schools' exports, overall and school by school."""
        ...


# --------------------------------------------------------------------------- key rotation


@dataclass(frozen=True, slots=True)
class RotationRequest:
    """What a key rotation is asked to do (see ``services/key_rotation.py``)."""

    actor_id: int
    now: datetime
    keep: frozenset[str]  # the accounts (sealed form) that receive the new key
    temporary: dict[str, str] = field(default_factory=dict)  # older-form account -> passphrase
    fresh_recovery_code: bool = False
    folders: tuple[str, ...] = ()  # backup folders reachable now ("" is the data folder's)
    unreachable: tuple[str, ...] = ()  # folders that cannot be reached now


@dataclass(frozen=True, slots=True)
class NotRotated:
    """A backup still under an older key (its path) and why it was not re-encrypted."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class RotationOutcome:
    rotated_backups: tuple[str, ...]
    not_rotated: tuple[NotRotated, ...]
    unreachable: tuple[str, ...]
    accounts: tuple[str, ...]  # every account that opens the records now
    temporary: tuple[str, ...]  # of those, the ones given a temporary passphrase
    recovery_code: str  # a new recovery code to write down, or ""
    new_key: bytearray = field(repr=False, default_factory=bytearray)


class KeyRotator(Protocol):
    """Re-encrypts the database and its backups under a new data key (``store/rotation``)."""

    def finish_interrupted(self) -> str:
        """Complete (or undo) a rotation that was stopped part-way; what was done in
        plain words, "" when there was none. Needs no key."""
        ...

    def entry_forms(self) -> dict[str, bool]:
        """Each keyring entry (and "#recovery"): whether a new key can be sealed to it."""
        ...

    def rotate(
        self, old_key: bytes, request: RotationRequest, progress: Progress
    ) -> RotationOutcome:
        """Export, verify and swap the database, every reachable backup, and the
        keyring. All connections to the database must be closed."""
        ...

    def old_backups(self, data_key: bytes, folders: tuple[str, ...]) -> list[NotRotated]:
        """Backups in ``folders`` that ``data_key`` does not open (made under an older
        key, or damaged)."""
        ...

    def remove_backup(self, path: str) -> None:
        """Delete one backup generation (its keyring copy overwritten first)."""
        ...


class Progress(Protocol):
    """How far a long job has got (see ``services/progress.py``)."""

    def step(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` parts (0 total: how many is not known), and what is
        happening now in a few plain words."""
        ...

    def cancelled(self) -> bool:
        """Whether the job has been asked to stop."""
        ...
