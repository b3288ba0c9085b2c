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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.ethnicity import ethnic_group
from incident_recorder.domain.model import IncidentDetails, ParentsStatus, Pupil
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
)
from incident_recorder.domain.parents_copy import CopySupply, SupplyKind, aged_20_or_over
from incident_recorder.domain.parents_told import (
    ContactEntryKind,
    ParentContactEntry,
    counts_as_told,
)
from incident_recorder.domain.training import TrainingRecord, TrainingState, held_by, training_on

COPY_DUTY_BEGAN = date(2026, 4, 1)
_TOLD, _WITHHELD = ParentsStatus.TOLD.value, ParentsStatus.WITHHELD.value
LETTER_SCHOOL_DAYS = 1
SIGN_OFF_SCHOOL_DAYS = 2


@dataclass(frozen=True, slots=True)
class RecordForReport:
    """One submitted record as the store reads it for the figures: from its latest
    version only what the figures use, and what was written after it."""

    incident_id: int
    reference: str
    pupil_id: int | None
    submitted_at: datetime  # UTC
    occurred_on: date
    start: time | None = None
    end: time | None = None
    location: str = ""
    kind: str = ""  # InterventionKind value or ""
    techniques: tuple[str, ...] = ()  # each hold's technique, in order
    longest_hold_seconds: int | None = None
    floor_positions: frozenset[str] = frozenset()  # FloorPosition values (floor used)
    antecedent_kinds: tuple[str, ...] = ()
    deescalation_recorded: bool = True
    pupil_injured: bool = False
    staff_injured: bool = False
    holders: tuple[int, ...] = ()  # staff ids who carried out or assisted the hold
    parents_status: str | None = None  # ParentsStatus value
    told_at: datetime | None = None  # local: when the form says parents were told
    first_signed_at: datetime | None = None  # UTC, the first sign-off of any version
    contacts: tuple[ParentContactEntry, ...] = ()
    copies: tuple[CopySupply, ...] = ()


def record_from_details(
    incident_id: int,
    reference: str,
    submitted_at: datetime,
    details: IncidentDetails,
    first_signed_at: datetime | None = None,
    contacts: tuple[ParentContactEntry, ...] = (),
    copies: tuple[CopySupply, ...] = (),
) -> RecordForReport:
    """The figures' reading of a whole record (what ``store/oversight.py`` picks out of
    the stored JSON in SQL)."""
    w, i = details.when_where, details.intervention
    timed = [h.seconds for h in i.holds if h.seconds is not None]
    return RecordForReport(
        incident_id=incident_id,
        reference=reference,
        pupil_id=details.who.pupil_id,
        submitted_at=submitted_at,
        occurred_on=w.date or submitted_at.date(),
        start=w.start,
        end=w.end,
        location=w.location,
        kind="" if i.kind is None else i.kind.value,
        techniques=tuple(h.technique for h in i.holds),
        longest_hold_seconds=max(timed) if timed else None,
        floor_positions=(
            frozenset(p.value for p in i.floor_positions) if i.floor_position else frozenset()
        ),
        antecedent_kinds=details.what_happened.antecedent_types,
        deescalation_recorded=details.deescalation.recorded,
        pupil_injured=bool(details.injuries.pupil_injured),
        staff_injured=bool(details.injuries.staff_injured),
        holders=tuple(held_by(details.who.staff)),
        parents_status=None if details.parents.status is None else details.parents.status.value,
        told_at=details.parents.told_at,
        first_signed_at=first_signed_at,
        contacts=contacts,
        copies=copies,
    )


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
    _after: dict[tuple[date, int], date] = field(default_factory=dict, compare=False, repr=False)

    def within(self, start: date, done: date, school_days: int) -> bool:
        """Whether ``done`` came no more than ``school_days`` school days after
        ``start`` (``calendar.school_days_between(start, done) <= school_days``)."""
        return done < self._nth_after(start, school_days + 1)

    def time_up(self, start: date, school_days: int) -> bool:
        """Whether more than ``school_days`` school days after ``start`` have gone by
        ``today``: the duty is late if not done."""
        return not self.within(start, self.today, school_days)

    def _nth_after(self, day: date, n: int) -> date:
        key = (day, n)
        found = self._after.get(key)
        if found is None:
            found = self._after[key] = self.calendar.add_school_days(day, n)
        return found


def pupil_key(pupil_id: int | None) -> str:
    """How a school's own report joins incidents to pupils: the pupil's id as text."""
    return "" if pupil_id is None else str(pupil_id)


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return tuple(out)


def _first_told(record: RecordForReport) -> datetime | None:
    """When parents were first told: in the form, or a call, meeting or reply recorded
    after it (as ``parents_told.summarise`` works it out)."""
    told = [e.at for e in record.contacts if counts_as_told(e)]
    if record.parents_status == _TOLD and record.told_at is not None:
        told.append(record.told_at)
    return min(told) if told else None


def _first_letter(record: RecordForReport) -> date | None:
    sent = [e.at for e in record.contacts if e.kind is ContactEntryKind.LETTER_SENT]
    return min(sent).date() if sent else None


def judge(
    record: RecordForReport,
    ctx: JudgeContext,
    *,
    submitted_on: date,
    signed_on: date | None,
    date_of_birth: date | None = None,
    duties: bool = True,
) -> IncidentFacts:
    """One record's facts, every duty judged (see the module notes). ``submitted_on``
    and ``signed_on`` are the school's local dates of submission and first sign-off.
    ``duties`` False (last year's records, which only the patterns use): the parents'
    duties and the sign-off are left None."""
    occurred = record.occurred_on
    withheld = record.parents_status == _WITHHELD
    not_required = aged_20_or_over(date_of_birth, occurred)
    day_over = ctx.today > occurred

    told: bool | None = None
    letter: bool | None = None
    copy: bool | None = None
    if duties and not withheld and not not_required:
        told_at = _first_told(record)
        if told_at is not None:
            told = told_at.date() == occurred
        elif record.parents_status != _TOLD and day_over:
            told = False  # (told in the form with no time: not counted)
        letter_on = _first_letter(record)
        if letter_on is not None:
            letter = ctx.within(occurred, letter_on, LETTER_SCHOOL_DAYS)
        elif ctx.time_up(occurred, LETTER_SCHOOL_DAYS):
            letter = False
        if occurred >= COPY_DUTY_BEGAN:
            if any(c.kind is SupplyKind.SUPPLIED for c in record.copies):
                copy = True
            elif day_over:
                copy = False

    signed: bool | None = None
    if duties and signed_on is not None:
        signed = ctx.within(submitted_on, signed_on, SIGN_OFF_SCHOOL_DAYS)
    elif duties and ctx.time_up(submitted_on, SIGN_OFF_SCHOOL_DAYS):
        signed = False

    duration = None
    if record.start is not None and record.end is not None:
        minutes = (record.end.hour * 60 + record.end.minute) - (
            record.start.hour * 60 + record.start.minute
        )
        duration = minutes if minutes >= 0 else None
    longest = record.longest_hold_seconds
    return IncidentFacts(
        reference=record.reference,
        pupil_key=pupil_key(record.pupil_id),
        occurred_on=occurred,
        start=record.start,
        kind=record.kind,
        techniques=_unique(record.techniques),
        antecedent_kinds=_unique(record.antecedent_kinds),
        location=record.location,
        duration_minutes=duration,
        recorded_same_day=submitted_on <= occurred,
        parents_told_same_day=told,
        letter_within_1_school_day=letter,
        copy_supplied=copy,
        signed_off_within_2_school_days=signed,
        deescalation_recorded=record.deescalation_recorded,
        floor_positions=record.floor_positions,
        hold_over_threshold=longest is not None and longest > ctx.hold_warning_minutes * 60,
        pupil_injured=record.pupil_injured,
        staff_injured=record.staff_injured,
        staff_training_expired=_training_expired(record, occurred, ctx),
    )


def _training_expired(record: RecordForReport, day: date, ctx: JudgeContext) -> bool | None:
    if ctx.training is None:
        return None
    holders = record.holders
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
    """The pupil's characteristics as the MIS gave them (one shared object for each
    combination: a roll of 20,000 pupils holds a few thousand)."""
    return _characteristics(
        pupil.ethnicity,
        pupil.sex,
        pupil.sen_status.value,
        pupil.looked_after,
        pupil.previously_looked_after,
        pupil.kinship_care,
        pupil.child_in_need or pupil.child_protection_plan,
        pupil.free_school_meals,
        pupil.eal,
        pupil.year_group,
    )


@lru_cache(maxsize=8192)
def _characteristics(
    ethnicity: str, sex: str, sen: str, looked_after: bool, previously_looked_after: bool,
    kinship_care: bool, child_in_need_or_protection: bool, free_school_meals: bool, eal: bool,
    year_group: str,
) -> Characteristics:  # fmt: skip
    group = ethnic_group(ethnicity) if ethnicity else None
    return Characteristics(
        ethnicity=ethnicity,
        ethnic_group="" if group is None else group.value,
        sex=sex,
        sen=sen,
        looked_after=looked_after,
        previously_looked_after=previously_looked_after,
        kinship_care=kinship_care,
        child_in_need_or_protection=child_in_need_or_protection,
        free_school_meals=free_school_meals,
        eal=eal,
        year_group=year_group,
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
