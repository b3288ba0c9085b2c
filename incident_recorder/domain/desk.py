"""The safeguarding lead's desk (issue 13): what waits for a safeguarding lead or senior
leader, as pure rules.

- **To sign off**: each submitted record whose latest version is not signed off, with
  the reasons it needs attention first, in a fixed order of seriousness
  (:func:`attention_reasons`), and whether it is overdue (:func:`overdue`: more than the
  school's number of school days since it was submitted).
- **Referrals to consider**: a record with an injury, a safeguarding concern, or a
  referral ticked on the follow-up step, until the lead records a decision for each
  (:func:`referral_items`, :func:`open_items`). The record has no separate "safeguarding
  concern" box: a referral to the designated safeguarding lead ticked on the follow-up
  step *is* the concern, so the record's stored details are not changed for the desk.
  A decision is never changed; a newer one for the same item supersedes it.
- **Amendments requested**: a lead asks the author to amend a record; the author
  replies; the request closes when the record is amended after it, or when a lead
  closes it (:func:`request_state`).

Pure: no Qt, no SQL, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from incident_recorder.domain.calendar import WEEKDAYS_ONLY, SchoolCalendar
from incident_recorder.domain.labelled import LabelledEnum
from incident_recorder.domain.model import FloorPosition, IncidentDetails, Referral
from incident_recorder.domain.parents_copy import Duty, DutyFinding, DutyState
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.school_days import school_days_between

DEFAULT_OVERDUE_SCHOOL_DAYS = 2
NOTE_LIMIT = 2000
TEXT_LIMIT = 4000

# --------------------------------------------------------------------------- to sign off

PRONE = "Prone (face down) position"
AIRWAY = "Airway or breathing may have been restricted"
SUPINE = "Supine (face up) position"
GROUND = "Held on the ground (seated or kneeling)"
FLOOR = "Held on the floor"
PUPIL_INJURY = "Injury to the pupil"
STAFF_INJURY = "Injury to a member of staff"
OTHER_INJURY = "Injury to someone else"
NOT_TOLD_SAME_DAY = "Parents not told the same day"
NOT_SUPPLIED = "Record not supplied to parents"
RULED_OUT = "A technique the plan rules out was used"


def _hold_words(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    words = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if rest:
        words += f" {rest} second{'s' if rest != 1 else ''}"
    return words


def hold_reason(seconds: int, limit_minutes: int) -> str:
    """ "Hold of 14 minutes, over the school's 10"."""
    return f"Hold of {_hold_words(seconds)}, over the school's {limit_minutes}"


def ruled_out_used(details: IncidentDetails, plan: BehaviourPlan | None) -> bool:
    """Whether a hold used a technique the pupil's plan rules out (as the form's
    ``technique_ruled_out`` warning, domain/policy.py)."""
    if plan is None:
        return False
    return any(
        plan.rules_out(" ".join(h.technique.split()))
        for h in details.intervention.holds
        if h.technique.strip()
    )


def attention_reasons(
    details: IncidentDetails,
    duties: Iterable[DutyFinding] = (),
    hold_warning_minutes: int = 10,
    plan: BehaviourPlan | None = None,
) -> tuple[str, ...]:
    """Why a record needs the lead's attention first, in plain words, most serious
    first: a prone position, airway or breathing, a supine or ground position, an
    injury, a hold over the school's limit, parents not told the same day, the record
    not supplied to them, a technique the plan (in force that day) rules out.
    ``duties`` are the parents' duty findings (domain/parents_copy.duty_findings)."""
    reasons: list[str] = []
    i = details.intervention
    positions = i.floor_positions if i.floor_position else frozenset()
    if FloorPosition.PRONE in positions:
        reasons.append(PRONE)
    if i.abc_never_restricted is False:
        reasons.append(AIRWAY)
    if FloorPosition.SUPINE in positions:
        reasons.append(SUPINE)
    if FloorPosition.GROUND in positions:
        reasons.append(GROUND)
    if i.floor_position and not positions:
        reasons.append(FLOOR)
    injuries = details.injuries
    if injuries.pupil_injured:
        reasons.append(PUPIL_INJURY)
    if injuries.staff_injured:
        reasons.append(STAFF_INJURY)
    if injuries.others_injured:
        reasons.append(OTHER_INJURY)
    timed = [h.seconds for h in i.holds if h.seconds is not None]
    if timed and max(timed) > hold_warning_minutes * 60:
        reasons.append(hold_reason(max(timed), hold_warning_minutes))
    duties = tuple(duties)
    if any(
        d.duty is Duty.TOLD and d.state in (DutyState.OVERDUE, DutyState.DONE_LATE) for d in duties
    ):
        reasons.append(NOT_TOLD_SAME_DAY)
    if any(d.duty is Duty.COPY and d.needs_action for d in duties):
        reasons.append(NOT_SUPPLIED)
    if ruled_out_used(details, plan):
        reasons.append(RULED_OUT)
    return tuple(reasons)


def days_waiting(submitted_on: date, today: date, calendar: SchoolCalendar = WEEKDAYS_ONLY) -> int:
    """School days since the record was submitted (0 on the day itself), by the
    school's ``calendar`` (every weekday without one)."""
    return school_days_between(submitted_on, today, calendar)


def overdue(
    submitted_on: date,
    today: date,
    school_days: int = DEFAULT_OVERDUE_SCHOOL_DAYS,
    calendar: SchoolCalendar = WEEKDAYS_ONLY,
) -> bool:
    """Whether signing off is overdue: more than ``school_days`` school days since the
    record was submitted (submitted on Monday with 2: overdue from Thursday; the
    holidays and closures in ``calendar`` do not count)."""
    return days_waiting(submitted_on, today, calendar) > max(0, school_days)


@dataclass(frozen=True, slots=True)
class DeskRecord:
    """A submitted record as the desk's lists read it from the store (no details)."""

    incident_id: int
    reference: str
    pupil_id: int | None
    pupil_name: str
    occurred_on: date | None
    submitted_at: datetime  # UTC
    version: int
    author_id: int
    injury: bool = False
    referrals: tuple[str, ...] = ()  # the Referral values ticked


@dataclass(frozen=True, slots=True)
class ToSignOff:
    """A row of the desk's "To sign off"."""

    incident_id: int
    reference: str
    pupil_name: str
    occurred_on: date | None
    submitted_on: date  # local
    version: int
    days_waiting: int
    overdue: bool
    reasons: tuple[str, ...]


# --------------------------------------------------------------------------- referrals

INJURY_REVIEW = "injury_review"
ITEMS: tuple[str, ...] = (INJURY_REVIEW, *(r.value for r in Referral))


class ReferralDecisionKind(LabelledEnum):
    MADE = "made", "Referral made"
    NOT_NEEDED = "not_needed", "No referral needed"


def item_label(item: str) -> str:
    """ "Children's social care", or "Injury review" for whether an injury needs one."""
    if item == INJURY_REVIEW:
        return "Injury review"
    return Referral(item).label


@dataclass(frozen=True, slots=True)
class ReferralDecision:
    """A lead's decision about one referral (or about an injury) on one record."""

    incident_id: int
    referral: str  # a Referral value, or INJURY_REVIEW
    decision: ReferralDecisionKind
    at: datetime  # local wall clock (naive): when it was decided or made
    note: str = ""
    id: int | None = None
    decided_by: int | None = None
    decided_by_name: str = ""
    recorded_at: datetime | None = None  # UTC

    def line(self) -> str:
        """ "Police: referral made by Halima Ionescu on 20/11/2026 at 16:05. Crime number
        given." (or "Injury reviewed: no referral needed ...")."""
        if self.referral == INJURY_REVIEW:
            what = (
                "Injury reviewed: referral made"
                if self.decision is ReferralDecisionKind.MADE
                else "Injury reviewed: no referral needed"
            )
        else:
            what = f"{item_label(self.referral)}: {self.decision.label[0].lower()}"
            what += self.decision.label[1:]
        who = self.decided_by_name or "a former member of staff"
        text = f"{what}, decided by {who} on {self.at:%d/%m/%Y} at {self.at:%H:%M}."
        if self.note.strip():
            text += f" {self.note.strip()}"
        return text


def referral_items(injury: bool, referrals: Iterable[Referral | str]) -> tuple[str, ...]:
    """What a record asks the lead to consider, in a fixed order: whether an injury
    needs a referral, then each referral ticked on the follow-up step (the one to the
    designated safeguarding lead is the record's safeguarding concern)."""
    ticked = {str(r) for r in referrals}
    items = [INJURY_REVIEW] if injury else []
    items += [r.value for r in Referral if r.value in ticked]
    return tuple(items)


def details_items(details: IncidentDetails) -> tuple[str, ...]:
    return referral_items(details.injuries.any_injury, details.follow_up.referrals)


def latest_decisions(decisions: Iterable[ReferralDecision]) -> dict[str, ReferralDecision]:
    """The decision that stands for each item: the newest (a newer one supersedes)."""
    latest: dict[str, ReferralDecision] = {}
    for d in sorted(decisions, key=lambda d: (d.recorded_at or datetime.min, d.id or 0)):
        latest[d.referral] = d
    return latest


def open_items(items: Iterable[str], decisions: Iterable[ReferralDecision]) -> tuple[str, ...]:
    """The items with no decision yet."""
    decided = latest_decisions(decisions)
    return tuple(i for i in items if i not in decided)


@dataclass(frozen=True, slots=True)
class ReferralToConsider:
    """A row of the desk's "Referrals to consider"."""

    incident_id: int
    reference: str
    pupil_name: str
    occurred_on: date | None
    open_items: tuple[str, ...]
    decisions: tuple[ReferralDecision, ...]  # every decision, oldest first

    @property
    def open_text(self) -> str:
        return "; ".join(item_label(i) for i in self.open_items)

    @property
    def decided_text(self) -> str:
        lines = [d.line() for d in latest_decisions(self.decisions).values()]
        return " ".join(lines) if lines else "Nothing decided yet."


# --------------------------------------------------------------------------- amendments


@dataclass(frozen=True, slots=True)
class AmendmentReply:
    request_id: int
    text: str
    id: int | None = None
    replied_by: int | None = None
    replied_by_name: str = ""
    replied_at: datetime | None = None  # UTC


@dataclass(frozen=True, slots=True)
class AmendmentRequest:
    """A lead's request that the author amend a record (about ``version``)."""

    incident_id: int
    version: int
    text: str
    id: int | None = None
    requested_by: int | None = None
    requested_by_name: str = ""
    requested_at: datetime | None = None  # UTC
    closed_by_name: str = ""  # set when a lead closed it
    closed_at: datetime | None = None  # UTC
    closed_by: int | None = None


class RequestState(LabelledEnum):
    WAITING = "waiting", "Waiting for the author's reply"
    REPLIED = "replied", "Replied: waiting for the amendment"
    AMENDED = "amended", "Closed: the record was amended"
    CLOSED = "closed", "Closed by the safeguarding lead"

    @property
    def open(self) -> bool:
        return self in (RequestState.WAITING, RequestState.REPLIED)


def request_state(
    request: AmendmentRequest, replies: Iterable[AmendmentReply], latest_version: int
) -> RequestState:
    """Closed once a lead closed it or the record was amended after it (a newer version
    than the one it was about); otherwise waiting for a reply, or replied."""
    if request.closed_at is not None:
        return RequestState.CLOSED
    if latest_version > request.version:
        return RequestState.AMENDED
    if any(r.request_id == request.id for r in replies):
        return RequestState.REPLIED
    return RequestState.WAITING


@dataclass(frozen=True, slots=True)
class AmendmentThread:
    """A request with its replies and state, for the desk and the record view."""

    request: AmendmentRequest
    replies: tuple[AmendmentReply, ...]
    state: RequestState
    reference: str = ""
    pupil_name: str = ""
    author_id: int | None = None

    def reply_text(self, local: Callable[[datetime], datetime] | None = None) -> str:
        if not self.replies:
            return "No reply yet."
        parts = []
        for r in self.replies:
            when = ""
            if r.replied_at is not None:
                moment = local(r.replied_at) if local else r.replied_at
                when = f" ({moment:%d/%m/%Y %H:%M})"
            parts.append(f"{r.replied_by_name or 'The author'}{when}: {r.text}")
        return " ".join(parts)

    def status_text(self, local: Callable[[datetime], datetime] | None = None) -> str:
        text = self.state.label
        req = self.request
        if self.state is RequestState.CLOSED and req.closed_at is not None:
            moment = local(req.closed_at) if local else req.closed_at
            who = req.closed_by_name or "a former member of staff"
            text = f"Closed by {who} on {moment:%d/%m/%Y}"
        return text


# --------------------------------------------------------------------------- the count


@dataclass(frozen=True, slots=True)
class DeskCount:
    """How many things wait on the desk, by section. ``extra`` holds counts that other
    parts of the app add (e.g. statements outstanding), as (label, count) pairs."""

    to_sign_off: int = 0
    referrals: int = 0
    amendments: int = 0
    extra: tuple[tuple[str, int], ...] = ()

    @property
    def total(self) -> int:
        return self.to_sign_off + self.referrals + self.amendments + sum(n for _l, n in self.extra)
