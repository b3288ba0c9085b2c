"""The incident record and the people around it, as plain immutable values.

Everything here is standard-library Python: no Qt, no SQL, no I/O. A record in
progress (a draft) may leave any field empty; the policy rules in
:mod:`incident_recorder.domain.policy` say what must be filled in before submit.

Dates and times of the incident are the school's local wall-clock values
(``date`` plus naive ``time``); moments the software records itself (saved,
submitted, signed in) are timezone-aware UTC ``datetime`` values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Generic, NamedTuple, TypeVar

from incident_recorder.domain.body_map import InjuryMark
from incident_recorder.domain.labelled import LabelledEnum

# --------------------------------------------------------------------------- people


class Role(LabelledEnum):
    STAFF = "staff", "Staff"
    SENCO = "senco", "SENCO"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead / senior leader"
    ADMINISTRATOR = "administrator", "Administrator"
    # Issue 13: the school office phones parents, posts letters and hands over the
    # written record; it sees the copy for parents, never the full record.
    OFFICE = "office", "School office"


class SenStatus(LabelledEnum):
    NONE = "none", "No SEN"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "EHCP"


@dataclass(frozen=True, slots=True)
class Contact:
    """A parent or carer of a pupil, as the school's MIS holds them."""

    name: str
    relationship: str = ""
    parental_responsibility: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""
    preferred_language: str = ""
    receives_correspondence: bool = False


class PupilName(NamedTuple):
    """Only a pupil's names: enough to find them in free text."""

    id: int
    first_name: str
    preferred_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class Pupil:
    """A pupil on roll (or who has left). Issue 4 extends this from the MIS import."""

    id: int
    upn: str
    first_name: str
    last_name: str
    preferred_name: str = ""
    date_of_birth: date | None = None
    year_group: str = ""
    class_name: str = ""
    sen_status: SenStatus = SenStatus.NONE
    looked_after: bool = False
    left_on: date | None = None
    # Issue 4: the rest of the MIS record. ``sex`` is "F", "M" or ""; ``ethnicity`` a
    # DfE code (domain/ethnicity.py) or ""; ``primary_need`` the SEN primary need as the
    # MIS gives it (e.g. "SEMH", "ASD").
    sex: str = ""
    ethnicity: str = ""
    primary_need: str = ""
    previously_looked_after: bool = False
    kinship_care: bool = False
    child_in_need: bool = False
    child_protection_plan: bool = False
    free_school_meals: bool = False
    pupil_premium: bool = False
    eal: bool = False
    first_language: str = ""
    # Parents and carers, in the MIS's priority order (contact 1 first).
    contacts: tuple[Contact, ...] = ()
    # Issue 14: the first day on roll (the MIS's admission date); None: not known, so
    # counted as on roll from before any report's period. ``left_on`` is the first
    # day no longer on roll.
    joined_on: date | None = None

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def sorting_name(self) -> str:
        return f"{self.last_name}, {self.preferred_name or self.first_name}"


@dataclass(frozen=True, slots=True)
class NewPupil:
    """A pupil to add: what the quick-add dialog collects, or a row of the MIS import."""

    first_name: str
    last_name: str
    upn: str = ""
    preferred_name: str = ""
    date_of_birth: date | None = None
    year_group: str = ""
    class_name: str = ""
    sen_status: SenStatus = SenStatus.NONE
    looked_after: bool = False
    sex: str = ""
    ethnicity: str = ""
    primary_need: str = ""
    previously_looked_after: bool = False
    kinship_care: bool = False
    child_in_need: bool = False
    child_protection_plan: bool = False
    free_school_meals: bool = False
    pupil_premium: bool = False
    eal: bool = False
    first_language: str = ""
    contacts: tuple[Contact, ...] = ()
    joined_on: date | None = None  # issue 14: the MIS's admission date


@dataclass(frozen=True, slots=True)
class StaffMember:
    """An adult on the school's staff list. Not every adult has an account."""

    id: int
    full_name: str
    job_title: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class User:
    """A sign-in account, linked to a staff entry."""

    id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    staff_id: int | None = None
    active: bool = True

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def sees_all_records(self) -> bool:
        return self.has(Role.SENCO, Role.SAFEGUARDING_LEAD)

    @property
    def may_record(self) -> bool:
        return self.has(Role.STAFF, Role.SENCO, Role.SAFEGUARDING_LEAD)

    @property
    def reads_records(self) -> bool:
        """Whether the account records incidents or reads them all: it has incident
        lists and opens full records (not administration or the office alone)."""
        return self.may_record or self.sees_all_records

    @property
    def deals_with_parents(self) -> bool:
        """Whether the account works the parents' duties (calls, letters sent, replies,
        the copy supplied): everyone who reads records, and the school office."""
        return self.reads_records or self.has(Role.OFFICE)

    @property
    def sees_all_parents_duties(self) -> bool:
        """Whether the parents' duties of every submitted record are the account's
        (those where telling parents was withheld stay with safeguarding leads)."""
        return self.sees_all_records or self.has(Role.OFFICE)

    @property
    def office_only(self) -> bool:
        """The school office without a role that reads records: its main window is the
        parents' duties list, and it opens the copy for parents, never the record."""
        return self.has(Role.OFFICE) and not self.reads_records


@dataclass(frozen=True, slots=True)
class SchoolDetails:
    name: str
    address: str
    phone: str = ""
    email: str = ""
    timezone: str = "Europe/London"


class SignatoryRole(LabelledEnum):
    """Who signs the letters to parents and carers."""

    HEAD = "head", "Headteacher"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"


@dataclass(frozen=True, slots=True)
class LetterSettings:
    """Who signs the letters to parents and carers, and whom parents may talk to.
    (No logo here: settings are JSON, and bytes do not belong in it.)"""

    signatory_name: str = ""
    signatory_role: SignatoryRole = SignatoryRole.HEAD
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""
    contact_email: str = ""


@dataclass(frozen=True, slots=True)
class BackupSettings:
    """When the app makes a backup by itself, how many generations it keeps (beyond
    today's: one a day, a week, a month), and the second folder it copies the newest to
    (a USB drive, another disk or a school server share; "" for none yet)."""

    every_minutes: int = 30
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    second_folder: str = ""


@dataclass(frozen=True, slots=True)
class KindDefinitions:
    """What each kind of intervention means, in the school's plain words, shown where
    staff choose the kind (issue 13). An empty field means the wording shipped in
    resources/definitions.toml (see :meth:`filled_from`)."""

    reasonable_force: str = ""
    restraint: str = ""  # with or without force
    seclusion: str = ""
    time_out: str = ""  # how a supervised time out differs (not recorded as seclusion)

    def filled_from(self, shipped: KindDefinitions) -> KindDefinitions:
        """These words, the shipped wording wherever a field is empty."""
        return KindDefinitions(
            *(
                mine.strip() or theirs
                for mine, theirs in zip(
                    dataclasses.astuple(self), dataclasses.astuple(shipped), strict=True
                )
            )
        )


@dataclass(frozen=True, slots=True)
class PickLists:
    """The school's editable lists, first taken from resources/ at set-up."""

    locations: tuple[str, ...] = ()
    deescalation_strategies: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    antecedents: tuple[str, ...] = ()  # kinds of what led up to an incident


@dataclass(frozen=True, slots=True)
class SchoolSettings:
    """Settings the policy rules and the form depend on."""

    school: SchoolDetails
    hold_warning_minutes: int = 10
    locations: tuple[str, ...] = ()
    deescalation_strategies: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    idle_lock_minutes: int = 10
    # Kinds of antecedent (what led up to an incident) offered in the form.
    antecedent_types: tuple[str, ...] = ()
    # "Plan reviews due" lists a pupil with this many incidents since the last review.
    review_incident_threshold: int = 3
    # Issue 5: the letters to parents and carers.
    letters: LetterSettings = field(default_factory=LetterSettings)
    # Issue 12: automatic backups, their generations and the second copy.
    backups: BackupSettings = field(default_factory=BackupSettings)
    # Issue 13: what each kind of intervention means (empty: the shipped wording).
    definitions: KindDefinitions = field(default_factory=KindDefinitions)
    # Issue 13: how long positive-handling training lasts unless an entry says otherwise.
    training_valid_months: int = 12
    # Issue 13: the desk shows a record as overdue for signing off after this many
    # school days (domain/desk.py).
    sign_off_overdue_school_days: int = 2
    # Issue 14: the smallest group the Reports screen gives a risk ratio (pupils on roll,
    # and pupils with an incident); a smaller group shows the reason instead.
    report_min_on_roll: int = 10
    report_min_with_incident: int = 5


# --------------------------------------------------------------------------- the record


class StaffPart(LabelledEnum):
    CARRIED_OUT = "carried_out", "Carried out"
    ASSISTED = "assisted", "Assisted"
    WITNESSED = "witnessed", "Witnessed"
    SUPERVISED = "supervised", "Supervised"


class LawfulGround(LabelledEnum):
    PREVENT_INJURY = "prevent_injury", "To prevent injury to the pupil or others"
    PREVENT_DAMAGE = "prevent_damage", "To prevent serious damage to property"
    PREVENT_DISORDER = "prevent_disorder", "To prevent serious disorder or an offence"
    REMOVE_DISRUPTIVE = "remove_disruptive", "To remove a disruptive pupil who refused to leave"


class InterventionKind(LabelledEnum):
    REASONABLE_FORCE = "reasonable_force", "Reasonable force"
    RESTRAINT_WITHOUT_FORCE = "restraint_without_force", "Restraint without force"
    SECLUSION = "seclusion", "Seclusion"


class FloorPosition(LabelledEnum):
    """A position on the floor, which the policy says to avoid."""

    GROUND = "ground", "On the ground (seated or kneeling)"
    PRONE = "prone", "Prone (face down)"
    SUPINE = "supine", "Supine (face up)"


class ParentsStatus(StrEnum):
    TOLD = "told"
    NOT_YET = "not_yet"
    WITHHELD = "withheld"


class ContactMethod(LabelledEnum):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class Referral(LabelledEnum):
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health (school nurse, GP, CAMHS)"
    LADO = "lado", "LADO (allegation about an adult)"


@dataclass(frozen=True, slots=True)
class StaffInvolvement:
    staff_id: int
    part: StaffPart


@dataclass(frozen=True, slots=True)
class HoldUse:
    technique: str
    # How long it lasted, in whole seconds (None: not entered). Records saved before
    # durations took seconds kept "minutes"; serialise.py reads those as minutes x 60.
    seconds: int | None = None


@dataclass(frozen=True, slots=True)
class FollowUpAction:
    description: str
    owner: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class WhenWhere:
    date: date | None = None
    start: time | None = None
    end: time | None = None
    location: str = ""

    @property
    def duration_minutes(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        mins = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return mins if mins >= 0 else None


@dataclass(frozen=True, slots=True)
class Who:
    pupil_id: int | None = None
    staff: tuple[StaffInvolvement, ...] = ()
    other_witnesses: str = ""
    # The version of the pupil's behaviour support plan in force on the incident's date,
    # set by the service at submit and amend (None: no plan on record).
    plan_version: int | None = None


@dataclass(frozen=True, slots=True)
class WhatHappened:
    antecedents: str = ""
    # What led up to it, as kinds from the school's list (for the SENCO's breakdowns).
    antecedent_types: tuple[str, ...] = ()
    pupil_behaviour: str = ""
    account: str = ""  # the incident in time order (internal: may name others)


@dataclass(frozen=True, slots=True)
class Deescalation:
    strategies: tuple[str, ...] = ()
    other: str = ""
    no_time_reason: str = ""

    @property
    def recorded(self) -> bool:
        return bool(self.strategies or self.other.strip())


@dataclass(frozen=True, slots=True)
class Necessity:
    grounds: frozenset[LawfulGround] = frozenset()
    justification: str = ""
    not_punishment_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Intervention:
    kind: InterventionKind | None = None
    holds: tuple[HoldUse, ...] = ()
    staff_count: int | None = None
    floor_position: bool | None = None  # None: not answered yet
    floor_positions: frozenset[FloorPosition] = frozenset()
    floor_how: str = ""
    floor_seconds: int | None = None  # how long the floor position lasted
    floor_release: str = ""
    # True: airway, breathing and circulation were never restricted. False: see abc_details.
    abc_never_restricted: bool | None = None
    abc_details: str = ""

    @property
    def total_hold_seconds(self) -> int | None:
        timed = [h.seconds for h in self.holds if h.seconds is not None]
        return sum(timed) if timed else None


@dataclass(frozen=True, slots=True)
class Injuries:
    pupil_injured: bool | None = None
    pupil_injury: str = ""
    staff_injured: bool | None = None
    staff_injury: str = ""
    others_injured: bool | None = None
    others_injury: str = ""
    first_aid: str = ""
    first_aid_by: str = ""
    medical_attention: str = ""
    property_damage: str = ""
    # Issue 13: where the pupil's and staff's injuries are, marked on the body map
    # (domain/body_map.py). Left out of the stored JSON when empty (serialise.py), so a
    # record saved before the body map reads, hashes and prints exactly as it did.
    pupil_marks: tuple[InjuryMark, ...] = ()
    staff_marks: tuple[InjuryMark, ...] = ()

    @property
    def any_injury(self) -> bool:
        return bool(self.pupil_injured or self.staff_injured or self.others_injured)


@dataclass(frozen=True, slots=True)
class Debriefs:
    pupil_debriefed: bool | None = None
    pupil_debrief_at: datetime | None = None  # local wall-clock, naive
    pupil_debrief_by: str = ""
    pupil_voice: str = ""  # the pupil's own words
    pupil_not_debriefed_reason: str = ""
    staff_debrief: str = ""
    staff_support: str = ""


@dataclass(frozen=True, slots=True)
class ParentsContact:
    status: ParentsStatus | None = None
    told_who: str = ""
    told_how: ContactMethod | None = None
    told_at: datetime | None = None  # local wall-clock, naive
    told_by: str = ""
    not_yet_reason: str = ""
    withheld_reason: str = ""
    withheld_decided_by: str = ""  # who decided telling parents would put the child at risk
    la_told_at: datetime | None = None  # local wall-clock, naive
    la_told_who: str = ""
    # Issue 5: what the letter to parents says happened. Never names other children
    # (the internal account may, so it is never printed in a letter).
    summary_for_parents: str = ""


@dataclass(frozen=True, slots=True)
class FollowUp:
    pupil_support: str = ""
    plan_review_needed: bool | None = None
    risk_assessment_review_needed: bool | None = None
    referrals: frozenset[Referral] = frozenset()
    actions: tuple[FollowUpAction, ...] = ()
    # Issue 5: how the pupil is now, for the letter to parents.
    how_child_is_now: str = ""


@dataclass(frozen=True, slots=True)
class IncidentDetails:
    """Everything staff type into the form. Empty fields are allowed in a draft."""

    when_where: WhenWhere = field(default_factory=WhenWhere)
    who: Who = field(default_factory=Who)
    what_happened: WhatHappened = field(default_factory=WhatHappened)
    deescalation: Deescalation = field(default_factory=Deescalation)
    necessity: Necessity = field(default_factory=Necessity)
    intervention: Intervention = field(default_factory=Intervention)
    injuries: Injuries = field(default_factory=Injuries)
    debriefs: Debriefs = field(default_factory=Debriefs)
    parents: ParentsContact = field(default_factory=ParentsContact)
    follow_up: FollowUp = field(default_factory=FollowUp)
    # Written explanations for warnings, keyed by Finding.code.
    explanations: tuple[tuple[str, str], ...] = ()

    def explanation(self, code: str) -> str:
        return dict(self.explanations).get(code, "")

    def with_explanation(self, code: str, text: str) -> IncidentDetails:
        ex = dict(self.explanations)
        if text.strip():
            ex[code] = text
        else:
            ex.pop(code, None)
        return dataclasses.replace(self, explanations=tuple(sorted(ex.items())))


class IncidentStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


@dataclass(frozen=True, slots=True)
class IncidentVersion:
    """One saved version of a submitted record. Version 1 is the submission."""

    number: int
    details: IncidentDetails
    saved_at: datetime  # UTC
    saved_by: int  # user id
    saved_by_name: str
    reason: str  # "" for the submission; the amendment's reason otherwise
    sha256: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    event_id: int  # incidents from one event (several pupils held) share this
    status: IncidentStatus
    reference: str | None  # YYYY-NNNN once submitted
    author_id: int
    created_at: datetime  # UTC
    updated_at: datetime  # UTC
    submitted_at: datetime | None
    details: IncidentDetails  # the draft, or the latest version once submitted
    version: int  # 0 for a draft


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    """A row of the incident list."""

    id: int
    reference: str | None
    status: IncidentStatus
    occurred_on: date | None
    start: time | None
    pupil_id: int | None
    pupil_name: str
    location: str
    author_id: int
    author_name: str
    injury: bool
    floor_position: bool
    version: int
    updated_at: datetime
    signed_off: bool = False  # the latest version is signed off (schema 7 on)


class IncidentSort(StrEnum):
    """What the incident list is ordered by. Records that tie (one pupil, place or
    author) follow in date and start-time order, then by id, all in the same direction,
    so every order is total and paging through it neither repeats nor skips a record."""

    DATE = "date"  # the day, then the start time
    REFERENCE = "reference"  # unique once submitted; drafts (no reference yet) by id
    PUPIL = "pupil"  # last name, then preferred (or first) name, ignoring case and accents
    LOCATION = "location"  # ignoring case and accents
    RECORDED_BY = "recorded_by"  # the author's full name, ignoring the case of A to Z
    SAVED = "saved"  # last saved (the drafts list); ties by id only


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    text: str = ""  # matches reference, pupil name or location
    pupil_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: IncidentStatus | None = None
    offset: int = 0
    limit: int = 200
    sort: IncidentSort = IncidentSort.DATE
    descending: bool = True  # newest first by default


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    total: int
