"""From a school's own records to the oversight facts: each duty judged, each pupil's
days on roll counted.

The store reads, in a few queries for the whole period (``store/oversight.py``), each
submitted record's latest version with what was written after it (contacts with
parents, copies supplied, its first sign-off) as a :class:`RecordForReport`, and the
pupils on roll at any time in the period. :func:`judge` turns one record into an
:class:`IncidentFacts` with every flag worked out by the school calendar;
:func:`pupil_facts` turns one pupil into a :class:`PupilFacts`.

The rules (docs/oversight.md says the same in words):

- **Recorded the same day**: the record was submitted (school's local date) on the day
  of the incident.
- **Parents told the same day**: the first time parents were told (in the form, or a
  call, meeting or reply written after it) fell on the day of the incident. None (not
  counted) where telling was withheld for the child's safety, where the law does not
  require it (the pupil was 20 or over), where parents were told with no time recorded,
  and while the day of the incident is still today.
- **Letter within 1 school day**: the first letter went on the day of the incident or
  the next school day. None where withheld or not required, and while that school day
  has not yet ended with no letter.
- **Record supplied to parents**: a copy of the written record went to them (any
  version). None for incidents before 1 April 2026 (the duty began then), where
  withheld or not required, and on the day of the incident itself.
- **Signed off within 2 school days**: first signed off no more than 2 school days
  after the record was submitted (submitted on Thursday: by the end of Monday). None
  while not signed off and still within those 2 school days.
- **De-escalation recorded**: strategies ticked or another described; a reason why
  there was no time does not count as de-escalation.
- **Hold over the threshold**: a hold lasted longer than the school's warning minutes.
- **Staff training expired**: someone who held the pupil (carried out or assisted) had
  no valid positive-handling training on the day (expired, or none recorded for them).
  None while the school has recorded nobody's training, and where nobody held the pupil.

Days on roll: from ``joined_on`` (None: before the period) to the day before
``left_on`` (the first day no longer on roll; None: still on roll), within the period.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.ethnicity import ethnic_group
from incident_recorder.domain.model import IncidentDetails, ParentsStatus, Pupil
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
)
from incident_recorder.domain.parents_copy import CopySupply, aged_20_or_over, copy_status
from incident_recorder.domain.parents_told import ParentContactEntry, summarise
from incident_recorder.domain.training import TrainingRecord, TrainingState, held_by, training_on

COPY_DUTY_BEGAN = date(2026, 4, 1)
LETTER_SCHOOL_DAYS = 1
SIGN_OFF_SCHOOL_DAYS = 2


@dataclass(frozen=True, slots=True)
class RecordForReport:
    """One submitted record as the store reads it for the figures: its latest version
    and what was written after it."""

    incident_id: int
    reference: str
    pupil_id: int | None
    submitted_at: datetime  # UTC
    details: IncidentDetails  # the latest version
    first_signed_at: datetime | None = None  # UTC, the first sign-off of any version
    contacts: tuple[ParentContactEntry, ...] = ()
    copies: tuple[CopySupply, ...] = ()


@dataclass(frozen=True, slots=True)
class JudgeContext:
    """What every record is judged against. ``today`` is the school's local date (a
    duty still within its time is not counted yet); ``training`` None while the school
    has recorded nobody's training."""

    calendar: SchoolCalendar
    today: date
    hold_warning_minutes: int = 10
    training: tuple[TrainingRecord, ...] | None = None
    training_valid_months: int = 12


def pupil_key(pupil_id: int | None) -> str:
    """How a school's own report joins incidents to pupils: the pupil's id as text."""
    return "" if pupil_id is None else str(pupil_id)


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return tuple(out)


def judge(
    record: RecordForReport,
    ctx: JudgeContext,
    *,
    submitted_on: date,
    signed_on: date | None,
    date_of_birth: date | None = None,
) -> IncidentFacts:
    """One record's facts, every duty judged (see the module notes). ``submitted_on``
    and ``signed_on`` are the school's local dates of submission and first sign-off."""
    d = record.details
    occurred = d.when_where.date or submitted_on
    cal = ctx.calendar
    withheld = d.parents.status is ParentsStatus.WITHHELD
    not_required = aged_20_or_over(date_of_birth, occurred)
    day_over = ctx.today > occurred

    told: bool | None = None
    letter: bool | None = None
    copy: bool | None = None
    if not withheld and not not_required:
        now = datetime.combine(ctx.today, datetime.min.time())
        summary = summarise(d, list(record.contacts), now)
        if summary.told_at is not None:
            told = summary.told_at.date() == occurred
        elif not summary.told and day_over:
            told = False
        if summary.letter_sent_on is not None:
            letter = cal.school_days_between(occurred, summary.letter_sent_on) <= LETTER_SCHOOL_DAYS
        elif cal.school_days_between(occurred, ctx.today) > LETTER_SCHOOL_DAYS:
            letter = False
        if occurred >= COPY_DUTY_BEGAN:
            if copy_status(record.copies, 1).supplied is not None:
                copy = True
            elif day_over:
                copy = False

    if signed_on is not None:
        signed: bool | None = (
            cal.school_days_between(submitted_on, signed_on) <= SIGN_OFF_SCHOOL_DAYS
        )
    elif cal.school_days_between(submitted_on, ctx.today) > SIGN_OFF_SCHOOL_DAYS:
        signed = False
    else:
        signed = None

    i = d.intervention
    limit = ctx.hold_warning_minutes * 60
    return IncidentFacts(
        reference=record.reference,
        pupil_key=pupil_key(record.pupil_id),
        occurred_on=occurred,
        start=d.when_where.start,
        kind="" if i.kind is None else i.kind.value,
        techniques=_unique([h.technique for h in i.holds]),
        antecedent_kinds=_unique(d.what_happened.antecedent_types),
        location=d.when_where.location,
        duration_minutes=d.when_where.duration_minutes,
        recorded_same_day=submitted_on <= occurred,
        parents_told_same_day=told,
        letter_within_1_school_day=letter,
        copy_supplied=copy,
        signed_off_within_2_school_days=signed,
        deescalation_recorded=d.deescalation.recorded,
        floor_positions=(
            frozenset(p.value for p in i.floor_positions) if i.floor_position else frozenset()
        ),
        hold_over_threshold=any(h.seconds is not None and h.seconds > limit for h in i.holds),
        pupil_injured=bool(d.injuries.pupil_injured),
        staff_injured=bool(d.injuries.staff_injured),
        staff_training_expired=_training_expired(d, occurred, ctx),
    )


def _training_expired(d: IncidentDetails, day: date, ctx: JudgeContext) -> bool | None:
    if ctx.training is None:
        return None
    holders = held_by(d.who.staff)
    if not holders:
        return None
    return any(
        training_on(ctx.training, staff_id, day, ctx.training_valid_months).state
        is not TrainingState.VALID
        for staff_id in holders
    )


# --------------------------------------------------------------------------- pupils


def days_on_roll(joined_on: date | None, left_on: date | None, period: Period) -> int:
    """The period's days the pupil was on roll (0 when none): from ``joined_on``
    (None: before the period) up to the day before ``left_on`` (None: still on roll)."""
    first = period.start if joined_on is None else max(joined_on, period.start)
    last = period.end if left_on is None else min(left_on - timedelta(days=1), period.end)
    return max(0, (last - first).days + 1)


def characteristics(pupil: Pupil) -> Characteristics:
    """The pupil's characteristics as the MIS gave them."""
    group = ethnic_group(pupil.ethnicity) if pupil.ethnicity else None
    return Characteristics(
        ethnicity=pupil.ethnicity,
        ethnic_group="" if group is None else group.value,
        sex=pupil.sex,
        sen=pupil.sen_status.value,
        looked_after=pupil.looked_after,
        previously_looked_after=pupil.previously_looked_after,
        kinship_care=pupil.kinship_care,
        child_in_need_or_protection=pupil.child_in_need or pupil.child_protection_plan,
        free_school_meals=pupil.free_school_meals,
        eal=pupil.eal,
        year_group=pupil.year_group,
    )


def pupil_facts(
    pupil: Pupil, period: Period, names_shown: bool, has_incident: bool = False
) -> PupilFacts:
    """One pupil on roll in the period. A pupil with an incident in the period counts
    as on roll for at least one day even when the roll's dates say otherwise (an
    admission date typed after the incident, say), so no incident is left without its
    pupil."""
    days = days_on_roll(pupil.joined_on, pupil.left_on, period)
    if has_incident:
        days = max(days, 1)
    return PupilFacts(
        key=pupil_key(pupil.id),
        days_on_roll=days,
        characteristics=characteristics(pupil),
        name=pupil.display_name if names_shown else "",
    )


def year_before(period: Period) -> Period:
    """The same dates one year earlier (29 February becomes 28 February)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.start), back(period.end), "")
