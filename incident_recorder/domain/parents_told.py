"""Tracking that parents and carers were told: each attempt to contact them, each letter
sent, each reply or meeting, written on the record after it was made. Whether parents
were told the same day is worked out from these, never ticked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum

from incident_recorder.domain.labelled import LabelledEnum
from incident_recorder.domain.model import (
    ContactMethod,
    IncidentDetails,
    ParentsContact,
    ParentsStatus,
)


class ContactEntryKind(StrEnum):
    ATTEMPT = "attempt"  # an attempt to tell parents (method: a ContactMethod value)
    LETTER_SENT = "letter_sent"  # the letter went (method: a LetterDelivery value)
    REPLY = "reply"  # a reply from parents, or a meeting (method: a ContactMethod value)


class AttemptOutcome(LabelledEnum):
    TOLD = "told", "Spoke to them and told them"
    MESSAGE_LEFT = "message_left", "Left a message asking them to call back"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_DETAILS = "wrong_details", "Number or address not right"


class LetterDelivery(LabelledEnum):
    HANDED = "handed", "Handed to the parent or carer"
    POSTED = "posted", "Posted"
    EMAILED = "emailed", "Emailed from the school's own email"


@dataclass(frozen=True, slots=True)
class ParentContactEntry:
    """One contact with parents about one incident."""

    incident_id: int
    kind: ContactEntryKind
    at: datetime  # local wall-clock (naive) when it happened
    method: str  # ContactMethod value (attempt, reply) or LetterDelivery value (letter)
    parent: str = ""  # which parent or carer
    outcome: str = ""  # AttemptOutcome value, for an attempt
    by_whom: str = ""  # the member of staff who made the contact
    note: str = ""
    id: int | None = None  # set by the store
    recorded_at: datetime | None = None  # UTC, set by the store
    recorded_by: int | None = None
    recorded_by_name: str = ""


# --------------------------------------------------------------------------- what it adds up to

WITHHELD_HIDDEN = "Withheld for the child's safety (details for safeguarding leads only)."


@dataclass(frozen=True, slots=True)
class ParentsToldSummary:
    """Whether and when parents were told, and whether the letter went, worked out from
    the record's parents section and the contacts written after it. Never ticked."""

    withheld: bool
    told: bool
    told_at: datetime | None  # first moment parents were told (local wall clock)
    told_who: str
    told_how: str  # in words, e.g. "by phone"
    told_by: str
    told_same_day: bool
    letter_sent_on: date | None
    letter_how: LetterDelivery | None
    replies: int
    attempts: int
    hours_since: int | None  # whole hours from the incident's start to now
    needs_telling: bool

    def status_lines(self) -> tuple[str, ...]:
        """The status in plain words, one sentence a line."""
        if self.withheld:
            return ("Not told: telling parents was withheld for the child's safety.",)
        return (self._told_line(), self._letter_line())

    def _told_line(self) -> str:
        if not self.told or self.told_at is None:
            if self.hours_since is None:
                return "Not yet told."
            return f"Not yet told — {_hours(self.hours_since)} since the incident."
        when = (
            "Told the same day"
            if self.told_same_day
            else f"Told on {self.told_at:%d/%m/%Y} (not the same day)"
        )
        who = self.told_who or "a parent or carer"
        how = f" {self.told_how}" if self.told_how else ""
        by = f" by {self.told_by}" if self.told_by else ""
        return f"{when}: {who}{how} at {self.told_at:%H:%M}{by}."

    def _letter_line(self) -> str:
        if self.letter_sent_on is None:
            return "No letter sent yet."
        how = _LETTER_VERBS.get(self.letter_how, "sent") if self.letter_how else "sent"
        return f"Letter {how} on {self.letter_sent_on:%d/%m/%Y}."


_LETTER_VERBS = {
    LetterDelivery.HANDED: "handed over",
    LetterDelivery.POSTED: "posted",
    LetterDelivery.EMAILED: "emailed",
}

_HOW_WORDS = {
    ContactMethod.IN_PERSON: "in person",
    ContactMethod.PHONE: "by phone",
    ContactMethod.EMAIL: "by email",
    ContactMethod.LETTER: "by letter",
    ContactMethod.OTHER: "",
}


def hours_since_text(hours: int) -> str:
    """The hours since an incident for the list's column: "26", or from three days on
    "3,149 (131 days)", so a long wait reads at a glance."""
    if hours >= 72:
        return f"{hours:,} ({hours // 24:,} days)"
    return f"{hours:,}"


def _hours(n: int) -> str:
    if n >= 72:
        return f"{n // 24:,} days"
    return "1 hour" if n == 1 else f"{n:,} hours"


def how_words(method: str) -> str:
    """A ContactMethod value as the end of a sentence ("by phone"); blank if unknown."""
    try:
        return _HOW_WORDS[ContactMethod(method)]
    except ValueError:
        return ""


def incident_start(details: IncidentDetails) -> datetime | None:
    """When the incident began (local wall clock), or None if the date is not known."""
    day = details.when_where.date
    if day is None:
        return None
    return datetime.combine(day, details.when_where.start or time(0, 0))


def hours_between(start: datetime, now: datetime) -> int:
    return max(0, int((now - start).total_seconds() // 3600))


def counts_as_told(entry: ParentContactEntry) -> bool:
    """A call or meeting where parents were told, or any reply or meeting from them."""
    if entry.kind is ContactEntryKind.REPLY:
        return True
    return entry.kind is ContactEntryKind.ATTEMPT and entry.outcome == AttemptOutcome.TOLD


def summarise(
    details: IncidentDetails, entries: list[ParentContactEntry], now: datetime
) -> ParentsToldSummary:
    """``details`` is the record's latest version; ``now`` the local wall clock."""
    p = details.parents
    start = incident_start(details)
    hours = None if start is None else hours_between(start, now)
    withheld = p.status is ParentsStatus.WITHHELD
    told_candidates: list[tuple[datetime, str, str, str]] = []
    if p.status is ParentsStatus.TOLD and p.told_at is not None:
        method = "" if p.told_how is None else p.told_how.value
        told_candidates.append((p.told_at, p.told_who, how_words(method), p.told_by))
    for e in entries:
        if counts_as_told(e):
            how = how_words(e.method)
            if e.kind is ContactEntryKind.REPLY:
                how = f"{how} (they got in touch)".strip()
            told_candidates.append((e.at, e.parent, how, e.by_whom))
    told_candidates.sort(key=lambda c: c[0])
    first = told_candidates[0] if told_candidates else None
    told = first is not None or p.status is ParentsStatus.TOLD
    letters = sorted(
        (e for e in entries if e.kind is ContactEntryKind.LETTER_SENT), key=lambda e: e.at
    )
    letter = letters[0] if letters else None
    letter_how = None
    if letter is not None and letter.method in LetterDelivery._value2member_map_:
        letter_how = LetterDelivery(letter.method)
    told_at = None if first is None else first[0]
    return ParentsToldSummary(
        withheld=withheld,
        told=told,
        told_at=told_at,
        told_who=first[1] if first else "",
        told_how=first[2] if first else "",
        told_by=first[3] if first else "",
        told_same_day=(
            told_at is not None
            and details.when_where.date is not None
            and told_at.date() == details.when_where.date
        ),
        letter_sent_on=None if letter is None else letter.at.date(),
        letter_how=letter_how,
        replies=sum(e.kind is ContactEntryKind.REPLY for e in entries),
        attempts=sum(e.kind is ContactEntryKind.ATTEMPT for e in entries),
        hours_since=hours,
        needs_telling=not withheld and (not told or letter is None),
    )


def hide_withheld_details(details: IncidentDetails) -> IncidentDetails:
    """The record with why telling parents was withheld (who decided, the local
    authority) blanked: those details are for safeguarding leads only."""
    if details.parents.status is not ParentsStatus.WITHHELD:
        return details
    return replace(details, parents=ParentsContact(status=ParentsStatus.WITHHELD))


def withheld_details_hidden(parents: ParentsContact) -> bool:
    """True when the parents section is a withheld one with its details blanked."""
    return parents == ParentsContact(status=ParentsStatus.WITHHELD)


# --------------------------------------------------------------------------- the to-tell list


# The Schools (Recording and Reporting of Seclusion and Restraint) (No. 2) (England)
# Regulations 2025 came into force on 1 April 2026: the written record is due to the
# parents of incidents from that day on, not of earlier ones.
COPY_DUTY_BEGAN = date(2026, 4, 1)


@dataclass(frozen=True, slots=True)
class ToTellRow:
    """One record on the "parents to tell" list."""

    incident_id: int
    reference: str
    pupil_name: str
    occurred_on: date
    start_time: time | None
    parents_status: ParentsStatus | None
    told_by_entry: bool  # a call, meeting or reply recorded after the record
    letter_sent: bool
    # Issue 13: the written record supplied to the parents (the latest version, or a
    # decision that the latest need not go); an older version supplied, the newer due.
    copy_supplied: bool = False
    newer_copy_due: bool = False

    @property
    def told(self) -> bool:
        return self.parents_status is ParentsStatus.TOLD or self.told_by_entry

    @property
    def copy_required(self) -> bool:
        """Whether the written record is due to the parents by law (incidents from
        1 April 2026, when the duty began)."""
        return self.occurred_on >= COPY_DUTY_BEGAN

    @property
    def started(self) -> datetime:
        return datetime.combine(self.occurred_on, self.start_time or time(0, 0))

    def hours_since(self, now: datetime) -> int:
        return hours_between(self.started, now)

    @property
    def missing(self) -> str:
        """What is still to do, in words: "Not told yet; no letter sent; record not
        supplied"."""
        parts = []
        if not self.told:
            parts.append("Not told yet")
        if not self.letter_sent:
            parts.append("no letter sent" if parts else "No letter sent")
        if self.newer_copy_due:
            parts.append("amended record not supplied" if parts else "Amended record not supplied")
        elif not self.copy_supplied and self.copy_required:
            parts.append("record not supplied" if parts else "Record not supplied")
        return "; ".join(parts)


CONTACT_HEADERS = ("When", "What", "Parent or carer", "By whom", "Outcome", "Note")
_WHAT = {
    ContactEntryKind.ATTEMPT: "Call or meeting",
    ContactEntryKind.LETTER_SENT: "Letter sent",
    ContactEntryKind.REPLY: "Reply from them",
}


def _label(enum: type[ContactMethod] | type[LetterDelivery] | type[AttemptOutcome], v: str) -> str:
    try:
        return enum(v).label
    except ValueError:
        return v


def entry_cells(e: ParentContactEntry) -> tuple[str, ...]:
    """One contact in words, as CONTACT_HEADERS lists them."""
    how = _label(
        LetterDelivery if e.kind is ContactEntryKind.LETTER_SENT else ContactMethod, e.method
    )
    outcome = _label(AttemptOutcome, e.outcome) if e.outcome else ""
    return (
        f"{e.at:%d/%m/%Y %H:%M}",
        f"{_WHAT[e.kind]}: {how}",
        e.parent,
        e.by_whom,
        outcome,
        e.note,
    )
