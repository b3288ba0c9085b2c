"""Each adult's own account (issue 13, part 3): statement requests and statements.

When a record is submitted, every member of staff named on it (holding, assisting,
witnessing or supervising) is asked for their own account: a **statement request**.
The author is not asked: their account is the record itself. An amendment that names
someone new asks them too.

The person asked answers in their own words (an ``ACCOUNT``) or says they have nothing
to add (``NOTHING_TO_ADD``, with an optional note). A safeguarding lead may close a
request for someone who gave their account on paper (``ON_PAPER``, with where the
paper is filed). Each answer is a new **version** of the statement, kept with the
SHA-256 of its canonical text and its time: a statement is never edited in place, and
never changes the author's record.

Pure: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from incident_recorder.domain.calendar import WEEKDAYS_ONLY, SchoolCalendar
from incident_recorder.domain.labelled import LabelledEnum
from incident_recorder.domain.model import IncidentDetails, StaffPart
from incident_recorder.domain.record_document import RecordSection
from incident_recorder.domain.school_days import school_days_between

STATEMENTS_HEADING = "Staff statements"
TEXT_LIMIT = 20_000
NOTE_LIMIT = 500
NO_ACCOUNT = "no account: ask them in person"
OUTSTANDING_AFTER_SCHOOL_DAYS = 1
EMPTY_ACCOUNT = (
    "Please write your account before saving it, or choose \u201cI have nothing to add\u201d."
)


class StatementKind(LabelledEnum):
    ACCOUNT = "account", "Their account"
    NOTHING_TO_ADD = "nothing_to_add", "Nothing to add"
    ON_PAPER = "on_paper", "Given on paper"


class RequestStatus(LabelledEnum):
    WAITING = "waiting", "Waiting"
    WRITTEN = "written", "Written"
    NOTHING_TO_ADD = "nothing_to_add", "Nothing to add"
    ON_PAPER = "on_paper", "Given on paper"


_STATUS = {
    StatementKind.ACCOUNT: RequestStatus.WRITTEN,
    StatementKind.NOTHING_TO_ADD: RequestStatus.NOTHING_TO_ADD,
    StatementKind.ON_PAPER: RequestStatus.ON_PAPER,
}


@dataclass(frozen=True, slots=True)
class StatementRequest:
    """One member of staff asked for their account of one record. ``requested_at`` is
    UTC; ``for_version`` is the record's version that named them."""

    incident_id: int
    staff_id: int
    requested_at: datetime
    for_version: int
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One version of one person's answer to a request; ``saved_at`` is UTC."""

    request_id: int
    version: int
    kind: StatementKind
    text: str
    sha256: str
    saved_at: datetime
    saved_by: int
    saved_by_name: str = ""
    id: int | None = None


def canonical_text(text: str) -> str:
    """The text as kept and fingerprinted: NFC, newlines as ``\\n``, no spaces at line
    ends, no blank lines at either end."""
    normal = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in normal.split("\n")).strip("\n").strip()


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of the canonical text."""
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


def text_problem(kind: StatementKind, text: str) -> str | None:
    """Why ``text`` cannot be kept as a ``kind`` statement, or None."""
    clean = canonical_text(text)
    if kind is StatementKind.ACCOUNT:
        if not clean:
            return EMPTY_ACCOUNT
        if len(clean) > TEXT_LIMIT:
            return f"Your account is too long: keep it under {TEXT_LIMIT:,} characters."
        return None
    if kind is StatementKind.ON_PAPER and not clean:
        return "Please say where the paper statement is filed (for example: the pupil's file)."
    if len(clean) > NOTE_LIMIT:
        return f"The note is too long: keep it under {NOTE_LIMIT} characters."
    return None


# --------------------------------------------------------------------------- who is asked


def parts_by_staff(details: IncidentDetails) -> dict[int, tuple[StaffPart, ...]]:
    """Each member of staff named on the record, in the order named, with their parts."""
    found: dict[int, list[StaffPart]] = {}
    for involvement in details.who.staff:
        parts = found.setdefault(involvement.staff_id, [])
        if involvement.part not in parts:
            parts.append(involvement.part)
    return {staff_id: tuple(parts) for staff_id, parts in found.items()}


def staff_to_ask(
    details: IncidentDetails, author_staff_id: int | None, already_asked: Iterable[int] = ()
) -> tuple[int, ...]:
    """Who gets a request: each distinct member of staff named with any part, except
    the author's own staff entry (their account is the record) and anyone asked
    already (an amendment asks only those newly named)."""
    asked = set(already_asked)
    return tuple(
        staff_id
        for staff_id in parts_by_staff(details)
        if staff_id != author_staff_id and staff_id not in asked
    )


def parts_text(parts: Iterable[StaffPart]) -> str:
    """ "carried out and witnessed"."""
    words = [p.label.lower() for p in parts]
    if not words:
        return "no longer named on the record"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- status


@dataclass(frozen=True, slots=True)
class RequestState:
    """A request with every version of its statement (oldest first) and what the
    record says about the person."""

    request: StatementRequest
    statements: tuple[Statement, ...] = ()
    staff_name: str = ""
    parts: tuple[StaffPart, ...] = ()
    has_account: bool = True  # an active account is linked to their staff entry
    reference: str = ""
    pupil_name: str = ""

    @property
    def latest(self) -> Statement | None:
        return max(self.statements, key=lambda s: s.version) if self.statements else None

    @property
    def status(self) -> RequestStatus:
        latest = self.latest
        return RequestStatus.WAITING if latest is None else _STATUS[latest.kind]

    @property
    def waiting(self) -> bool:
        return self.latest is None

    @property
    def next_version(self) -> int:
        latest = self.latest
        return 1 if latest is None else latest.version + 1

    @property
    def name(self) -> str:
        return self.staff_name or f"Staff member no. {self.request.staff_id}"


def status_text(
    state: RequestState, local: Callable[[datetime], datetime] = lambda moment: moment
) -> str:
    """A plain sentence for lists and the record view."""
    latest = state.latest
    if latest is None:
        asked = local(state.request.requested_at)
        text = f"Asked on {asked:%d/%m/%Y} at {asked:%H:%M}, not yet given"
        return text + (f" ({NO_ACCOUNT})." if not state.has_account else ".")
    when = local(latest.saved_at)
    at = f"{when:%d/%m/%Y} at {when:%H:%M}"
    if latest.kind is StatementKind.ACCOUNT:
        return f"Written on {at} (version {latest.version})."
    if latest.kind is StatementKind.NOTHING_TO_ADD:
        return f"Had nothing to add ({at})."
    by = f" by {latest.saved_by_name}" if latest.saved_by_name else ""
    return f"Given on paper; recorded{by} on {at}. Filed: {latest.text}"


# --------------------------------------------------------------------------- outstanding


@dataclass(frozen=True, slots=True)
class Outstanding:
    """A request still waiting, with how many school days it has waited."""

    state: RequestState
    school_days_waiting: int


def outstanding(
    requests: Iterable[RequestState],
    now_local: datetime,
    school_days_after: int = OUTSTANDING_AFTER_SCHOOL_DAYS,
    local: Callable[[datetime], datetime] = lambda moment: moment,
    calendar: SchoolCalendar = WEEKDAYS_ONLY,
) -> list[Outstanding]:
    """The requests still waiting once ``school_days_after`` school days have gone
    since they were asked (school days by the school's ``calendar``, every weekday
    without one: asked on a Monday, listed from Tuesday; asked on a Friday, listed from
    Monday), longest waiting first. ``local`` turns the stored UTC time into the
    school's time."""
    found: list[Outstanding] = []
    for state in requests:
        if not state.waiting:
            continue
        asked = local(state.request.requested_at).date()
        days = school_days_between(asked, now_local.date(), calendar)
        if days >= school_days_after:
            found.append(Outstanding(state, days))
    return sorted(
        found,
        key=lambda o: (
            -o.school_days_waiting,
            o.state.request.requested_at,
            o.state.request.id or 0,
        ),
    )


# --------------------------------------------------------------------------- printed


def parents_copy_line(states: Iterable[RequestState]) -> str:
    """The parents' copy never shows statements (a member of staff's account can name
    other children): only how many accounts the school keeps."""
    given = sum(
        1
        for s in states
        if s.latest is not None and s.latest.kind is not StatementKind.NOTHING_TO_ADD
    )
    if given == 0:
        return ""
    people = "member of staff" if given == 1 else "members of staff"
    return f"Accounts from {given} {people} involved are kept with the school's record."


def statements_section(
    states: Iterable[RequestState],
    for_parents: bool,
    local: Callable[[datetime], datetime] = lambda moment: moment,
) -> RecordSection | None:
    """The printed record's "Staff statements": in the full record one row per
    version of each statement (who and their part; when, which version, and the text,
    or that they had nothing to add, or that it was given on paper), and a row for each
    request not yet answered; the parents' copy has only :func:`parents_copy_line`.
    None when nobody was asked (nothing is printed)."""
    ordered = sorted(states, key=lambda s: (s.request.requested_at, s.request.id or 0))
    if not ordered:
        return None
    if for_parents:
        line = parents_copy_line(ordered)
        return RecordSection(STATEMENTS_HEADING, (("", line),)) if line else None
    rows: list[tuple[str, str]] = []
    for state in ordered:
        who = f"{state.name} ({parts_text(state.parts)})"
        if not state.statements:
            rows.append((who, status_text(state, local)))
            continue
        for s in sorted(state.statements, key=lambda s: s.version):
            when = local(s.saved_at)
            at = f"{when:%d/%m/%Y} at {when:%H:%M}"
            if s.kind is StatementKind.ACCOUNT:
                text = f"Version {s.version}, written {at}:\n{s.text}"
            elif s.kind is StatementKind.NOTHING_TO_ADD:
                text = f"Version {s.version}, {at}: had nothing to add."
                if s.text:
                    text += f" Note: {s.text}"
            else:
                by = f" by {s.saved_by_name}" if s.saved_by_name else ""
                text = f"Version {s.version}, {at}: given on paper (recorded{by}). Filed: {s.text}"
            rows.append((who, f"{text}\nFingerprint {s.sha256[:12]}"))
    return RecordSection(STATEMENTS_HEADING, tuple(rows))


def states_for_record(
    requests: Iterable[StatementRequest],
    statements: Iterable[Statement],
    details: IncidentDetails,
    names: Mapping[int, str],
    with_account: Iterable[int] = (),
) -> list[RequestState]:
    """Each request of one record with its statements and the person's parts on the
    latest version (``details``)."""
    by_request: dict[int, list[Statement]] = {}
    for s in statements:
        by_request.setdefault(s.request_id, []).append(s)
    parts = parts_by_staff(details)
    linked = set(with_account)
    return [
        RequestState(
            request=r,
            statements=tuple(sorted(by_request.get(r.id or 0, []), key=lambda s: s.version)),
            staff_name=names.get(r.staff_id, ""),
            parts=parts.get(r.staff_id, ()),
            has_account=r.staff_id in linked,
        )
        for r in requests
    ]


@dataclass(frozen=True, slots=True)
class OutstandingRow:
    """One statement still waiting, for the safeguarding lead's desk: the record, the
    person asked, when (UTC, and the school's wall-clock time) and the school days it
    has waited."""

    incident_id: int
    reference: str
    pupil_name: str
    request_id: int
    staff_id: int
    staff_name: str
    requested_at: datetime  # UTC
    requested_local: datetime  # the school's wall-clock time, naive
    school_days_waiting: int
    has_account: bool

    @property
    def note(self) -> str:
        """ "no account: ask them in person" for someone who cannot sign in."""
        return "" if self.has_account else NO_ACCOUNT


@dataclass(frozen=True, slots=True)
class StatementContext:
    """What the statement editor shows for context, read only: the record and the
    author's own account (which the statement never changes)."""

    request_id: int
    incident_id: int
    reference: str
    occurred_on: str  # dd/mm/yyyy, or "" when not recorded
    pupil_name: str
    author_name: str
    author_account: str
    parts: tuple[StaffPart, ...]
    latest: Statement | None
    # What the person typed and did not save yet (kept as they typed and when the app
    # locked), with when it was kept (local wall clock); "" and None when there is none.
    draft: str = ""
    draft_kept_at: datetime | None = None
