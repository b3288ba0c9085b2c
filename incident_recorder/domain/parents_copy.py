"""The parents' duties for one record: telling them, the letter, and supplying the
written record itself (the copy for parents), which the Schools (Recording and
Reporting of Seclusion and Restraint) (No. 2) (England) Regulations 2025 require "as
soon as practicable" from 1 April 2026.

Each time the copy goes (handed over, posted with the letter, emailed from the school's
own system) is kept as a :class:`CopySupply` of one version of the record. When the
record is amended after that, the newer version is due too, unless someone decides it
need not go (a ``NOT_NEEDED`` entry for that version, with the reason).

Section 93A of the Education and Inspections Act 2006 leaves pupils aged 20 or over
out of the duty to report to parents: their duties read "not required by law" (the
school may still choose to tell).

Pure rules: no Qt, no SQL, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from incident_recorder.domain.labelled import LabelledEnum
from incident_recorder.domain.parents_told import (
    COPY_DUTY_BEGAN,
    ParentsToldSummary,
    hours_between,
)
from incident_recorder.domain.record_document import RecordSection

ADULT_AGE = 20  # section 93A: pupils aged 20 or over are outside the duty
NOT_REQUIRED = (
    "Not required by law: the pupil was aged 20 or over on the day (section 93A of the "
    "Education and Inspections Act 2006). The school may still choose to tell the family."
)
BEFORE_DUTY = (
    "Not required by law: the incident was before 1 April 2026, when the duty to supply "
    "the written record to the parents began. The school may still choose to send it."
)
WITHHELD = (
    "Withheld for the child's safety: the parents are not told and no copy goes to "
    "them; the local authority is told instead."
)


class CopyHow(LabelledEnum):
    HANDED = "handed", "Handed to the parent or carer"
    POSTED = "posted", "Posted with the letter"
    EMAILED = "emailed", "Emailed from the school's own email system"


class SupplyKind(StrEnum):
    SUPPLIED = "supplied"  # the copy of ``version`` went to the parents
    NOT_NEEDED = "not_needed"  # the amended ``version`` need not go (note: why)


_VERBS = {CopyHow.HANDED: "handed over", CopyHow.POSTED: "posted", CopyHow.EMAILED: "emailed"}


@dataclass(frozen=True, slots=True)
class CopySupply:
    """One copy of the record supplied to parents, or a decision that an amended
    version need not go."""

    incident_id: int
    version: int  # the version of the record the copy was of
    at: datetime  # local wall clock (naive) when it went, or when it was decided
    how: CopyHow | None  # None for NOT_NEEDED
    kind: SupplyKind = SupplyKind.SUPPLIED
    parent: str = ""
    by_whom: str = ""
    note: str = ""
    id: int | None = None  # set by the store
    recorded_at: datetime | None = None  # UTC, set by the store
    recorded_by: int | None = None
    recorded_by_name: str = ""

    def line(self) -> str:
        """The entry in words, for the record view and the printed record."""
        if self.kind is SupplyKind.NOT_NEEDED:
            why = f" {self.note.rstrip('.')}." if self.note else ""
            by = f" (decided by {self.by_whom})" if self.by_whom else ""
            return f"Version {self.version} need not go to the parents{by}.{why}"
        how = _VERBS[self.how] if self.how else "supplied"
        to = f" to {self.parent}" if self.parent else ""
        by = f" by {self.by_whom}" if self.by_whom else ""
        return f"Copy of version {self.version} {how}{to}{by}."


def aged_20_or_over(date_of_birth: date | None, on: date | None) -> bool:
    """Whether the pupil was 20 or over on ``on`` (False when either is unknown: the
    duty then applies)."""
    if date_of_birth is None or on is None:
        return False
    years = (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
    return years >= ADULT_AGE


# --------------------------------------------------------------------------- the copy


@dataclass(frozen=True, slots=True)
class CopyStatus:
    """Whether the parents have the written record, worked out from the entries."""

    latest_version: int
    supplied: CopySupply | None  # the newest copy supplied (the highest version)
    first_supplied: CopySupply | None  # the first copy supplied (for "as soon as")
    newer_not_needed: CopySupply | None  # latest version declared not needed

    @property
    def supplied_version(self) -> int | None:
        return None if self.supplied is None else self.supplied.version

    @property
    def up_to_date(self) -> bool:
        """The parents have the latest version, or it was decided it need not go."""
        if self.supplied is None:
            return False
        return self.supplied.version >= self.latest_version or self.newer_not_needed is not None

    @property
    def newer_due(self) -> bool:
        return self.supplied is not None and not self.up_to_date


def copy_status(entries: Iterable[CopySupply], latest_version: int) -> CopyStatus:
    entries = list(entries)
    supplied = sorted(
        (e for e in entries if e.kind is SupplyKind.SUPPLIED), key=lambda e: (e.at, e.id or 0)
    )
    declined = next(
        (e for e in entries if e.kind is SupplyKind.NOT_NEEDED and e.version == latest_version),
        None,
    )
    newest = max(supplied, key=lambda e: (e.version, e.at)) if supplied else None
    return CopyStatus(
        latest_version=latest_version,
        supplied=newest,
        first_supplied=supplied[0] if supplied else None,
        newer_not_needed=declined,
    )


# --------------------------------------------------------------------------- findings


class DutyState(LabelledEnum):
    DONE = "done", "Done"
    DONE_LATE = "done_late", "Done, not the same day"
    DUE = "due", "To do"
    OVERDUE = "overdue", "Overdue"
    NOT_REQUIRED = "not_required", "Not required by law"
    WITHHELD = "withheld", "Withheld for the child's safety"


class Duty(LabelledEnum):
    TOLD = "told", "Parents told"
    LETTER = "letter", "Letter sent"
    COPY = "copy", "Written record supplied"


@dataclass(frozen=True, slots=True)
class DutyFinding:
    duty: Duty
    state: DutyState
    text: str

    @property
    def needs_action(self) -> bool:
        return self.state in (DutyState.DUE, DutyState.OVERDUE)


def _since(hours: int) -> str:
    if hours >= 48:
        return f"{hours // 24:,} days"
    return "1 hour" if hours == 1 else f"{hours:,} hours"


def _after(start: datetime, done: datetime) -> str:
    days = (done.date() - start.date()).days
    if days <= 0:
        return "the same day"
    return "the next day" if days == 1 else f"{days:,} days after the incident"


def duty_findings(
    told: ParentsToldSummary,
    copy: CopyStatus,
    started: datetime | None,
    now: datetime,
    adult: bool = False,
) -> tuple[DutyFinding, ...]:
    """The three duties in words: the same-day finding for telling parents, and the
    "as soon as practicable" finding for supplying the record. ``started`` is when the
    incident began (local), ``now`` the local wall clock, ``adult`` whether the pupil
    was aged 20 or over on the day (section 93A)."""
    if told.withheld:
        return tuple(DutyFinding(d, DutyState.WITHHELD, WITHHELD) for d in Duty)
    return (
        _told_finding(told, started, now, adult),
        _letter_finding(told, started, now, adult),
        _copy_finding(copy, started, now, adult),
    )


def _not_required(duty: Duty, done: str) -> DutyFinding:
    text = f"{done} {NOT_REQUIRED}" if done else NOT_REQUIRED
    return DutyFinding(duty, DutyState.NOT_REQUIRED, text)


def _told_finding(
    s: ParentsToldSummary, started: datetime | None, now: datetime, adult: bool
) -> DutyFinding:
    if s.told and s.told_at is not None:
        if s.told_same_day:
            text = f"Parents were told the same day, at {s.told_at:%H:%M}."
            state = DutyState.DONE
        else:
            after = _after(started, s.told_at) if started else "later"
            text = f"Parents were told on {s.told_at:%d/%m/%Y}, {after}: not the same day."
            state = DutyState.DONE_LATE
        return _not_required(Duty.TOLD, text) if adult else DutyFinding(Duty.TOLD, state, text)
    if s.told:  # told in the form without a time
        text = "Parents were told (the time was not recorded)."
        return (
            _not_required(Duty.TOLD, text)
            if adult
            else DutyFinding(Duty.TOLD, DutyState.DONE, text)
        )
    if adult:
        return _not_required(Duty.TOLD, "")
    if started is None:
        return DutyFinding(Duty.TOLD, DutyState.DUE, "Parents are not yet told.")
    hours = hours_between(started, now)
    if now.date() == started.date():
        return DutyFinding(
            Duty.TOLD,
            DutyState.DUE,
            f"Parents are not yet told ({_since(hours)} since the incident): please tell "
            "them today if you can.",
        )
    return DutyFinding(
        Duty.TOLD,
        DutyState.OVERDUE,
        f"Parents were not told the same day ({_since(hours)} since the incident): "
        "please tell them as soon as practicable.",
    )


def _letter_finding(
    s: ParentsToldSummary, started: datetime | None, now: datetime, adult: bool
) -> DutyFinding:
    if s.letter_sent_on is not None:
        text = f"The letter went on {s.letter_sent_on:%d/%m/%Y}."
        if adult:
            return _not_required(Duty.LETTER, text)
        return DutyFinding(Duty.LETTER, DutyState.DONE, text)
    if adult:
        return _not_required(Duty.LETTER, "")
    since = (
        "" if started is None else f" ({_since(hours_between(started, now))} since the incident)"
    )
    return DutyFinding(Duty.LETTER, DutyState.DUE, f"No letter has gone yet{since}.")


def _copy_finding(
    c: CopyStatus, started: datetime | None, now: datetime, adult: bool
) -> DutyFinding:
    before_duty = started is not None and started.date() < COPY_DUTY_BEGAN
    if c.supplied is not None:
        first = c.first_supplied or c.supplied
        how = _VERBS[first.how] if first.how else "supplied"
        after = "" if started is None else f", {_after(started, first.at)}"
        text = f"The written record was {how} to the parents on {first.at:%d/%m/%Y}{after}."
        state = DutyState.DONE
        if c.newer_due:
            text += (
                f" The copy supplied was version {c.supplied.version}; version "
                f"{c.latest_version} is newer and has not gone yet."
            )
            state = DutyState.DUE
        elif c.supplied.version < c.latest_version and c.newer_not_needed is not None:
            text += (
                f" The copy supplied was version {c.supplied.version}; version "
                f"{c.latest_version} is newer, and it was decided it need not go"
                + (f": {c.newer_not_needed.note.rstrip('.')}." if c.newer_not_needed.note else ".")
            )
        if adult:
            return _not_required(Duty.COPY, text)
        if before_duty:
            return DutyFinding(Duty.COPY, DutyState.NOT_REQUIRED, f"{text} {BEFORE_DUTY}")
        return DutyFinding(Duty.COPY, state, text)
    if adult:
        return _not_required(Duty.COPY, "")
    if before_duty:
        return DutyFinding(Duty.COPY, DutyState.NOT_REQUIRED, BEFORE_DUTY)
    if started is None:
        return DutyFinding(
            Duty.COPY, DutyState.DUE, "The written record has not been supplied to the parents."
        )
    hours = hours_between(started, now)
    if hours < 24:
        return DutyFinding(
            Duty.COPY,
            DutyState.DUE,
            f"The written record has not been supplied to the parents yet ({_since(hours)} "
            "since the incident). The law asks for it as soon as practicable.",
        )
    return DutyFinding(
        Duty.COPY,
        DutyState.OVERDUE,
        f"The written record has not been supplied to the parents: {_since(hours)} since "
        "the incident. The law asks for it as soon as practicable.",
    )


# --------------------------------------------------------------------------- printed

DUTIES_HEADING = "Duties to the parents: told, the letter, the written record"


def duties_section(
    duties: Iterable[DutyFinding], supplies: Iterable[CopySupply], for_parents: bool
) -> RecordSection:
    """The printed record's account of the parents' duties: the same-day finding, the
    letter, the "as soon as practicable" finding for the written record (each with its
    state), then each copy supplied. The parents' copy leaves out the staff's notes."""
    rows: list[tuple[str, str]] = [(f"{d.duty.label}: {d.state.label}", d.text) for d in duties]
    for s in supplies:
        text = s.line()
        if s.note and not for_parents and s.kind is SupplyKind.SUPPLIED:
            text += f" Note: {s.note.rstrip('.')}."
        rows.append((f"{s.at:%d/%m/%Y %H:%M}", text))
    return RecordSection(DUTIES_HEADING, tuple(rows))
