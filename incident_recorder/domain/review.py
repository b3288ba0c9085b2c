"""The SENCO's pupil review figures and the school-wide "plan reviews due" list, as pure
functions over plain values (no I/O).

A *hold* is an intervention with at least one technique recorded. Antecedents are free
text, so they are not counted here: word counts of free text would look precise and
mean little.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from incident_recorder.domain.model import FloorPosition, IncidentDetails, Pupil, SenStatus
from incident_recorder.domain.plans import BehaviourPlan

# ------------------------------------------------------------------ inputs


@dataclass(frozen=True, slots=True)
class ReviewIncident:
    """One submitted incident of the pupil: its id, reference and latest details."""

    id: int
    reference: str
    details: IncidentDetails


# ------------------------------------------------------------------ outputs


@dataclass(frozen=True, slots=True)
class Marker:
    """A plan date to mark on the chart: ``kind`` is "plan_start" or "plan_review"."""

    on: date
    kind: str
    plan_version: int

    @property
    def label(self) -> str:
        what = "started" if self.kind == "plan_start" else "review date"
        return f"Plan version {self.plan_version} {what}"


@dataclass(frozen=True, slots=True)
class PeriodCount:
    start: date  # the Monday of an ISO week, or the 1st of a month
    end: date  # the last day of the period
    label: str
    incidents: int
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    incidents: int


@dataclass(frozen=True, slots=True)
class TechniqueCount:
    technique: str
    holds: int  # times the technique was used
    incidents: int  # incidents in which it was used
    minutes: int  # total of the timed uses
    untimed: int  # uses with no minutes recorded


@dataclass(frozen=True, slots=True)
class InjuryCounts:
    pupil: int
    staff: int
    others: int
    any: int  # incidents with at least one injury


@dataclass(frozen=True, slots=True)
class FloorCounts:
    incidents: int  # incidents with a floor position
    positions: tuple[Count, ...]  # per position, in FloorPosition order
    minutes: int  # total floor minutes recorded


@dataclass(frozen=True, slots=True)
class StrategyCount:
    strategy: str
    tried: int  # incidents in which it was tried
    then_held: int  # of those, incidents with a hold

    @property
    def percent_held(self) -> int:
        """How often trying it preceded a hold, as a whole percentage of times tried."""
        return round(100 * self.then_held / self.tried) if self.tried else 0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    on: date
    at: time | None
    kind: str  # "incident" or "plan"
    title: str
    detail: str
    incident_id: int | None = None
    plan_version: int | None = None


@dataclass(frozen=True, slots=True)
class PupilReview:
    incidents: int
    with_hold: int  # incidents with at least one technique
    first: date | None
    last: date | None
    undated: int  # incidents without a date (left out of the chart and the timeline)
    weeks: tuple[PeriodCount, ...]
    months: tuple[PeriodCount, ...]
    markers: tuple[Marker, ...]  # every plan start and review date, in date order
    time_of_day: tuple[Count, ...]
    weekday: tuple[Count, ...]
    location: tuple[Count, ...]
    techniques: tuple[TechniqueCount, ...]
    injuries: InjuryCounts
    floor: FloorCounts
    strategies: tuple[StrategyCount, ...]
    no_strategy: int  # incidents with no de-escalation strategy ticked
    timeline: tuple[TimelineEntry, ...]


# ------------------------------------------------------------------ bands

# (label, from inclusive): a start time belongs to the last band it has reached.
TIME_BANDS: tuple[tuple[str, time], ...] = (
    ("Before 09:00", time(0, 0)),
    ("09:00 to 10:30", time(9, 0)),
    ("10:30 to 12:00", time(10, 30)),
    ("Lunchtime, 12:00 to 13:15", time(12, 0)),
    ("13:15 to 15:30", time(13, 15)),
    ("After 15:30", time(15, 30)),
)
NO_TIME = "Time not recorded"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Weekend")
NO_LOCATION = "Place not recorded"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def time_band(start: time | None) -> str:
    if start is None:
        return NO_TIME
    label = TIME_BANDS[0][0]
    for name, begins in TIME_BANDS:
        if start >= begins:
            label = name
    return label


def weekday_name(day: date) -> str:
    return WEEKDAYS[min(day.weekday(), 5)]


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _day(incident: ReviewIncident) -> date:
    day = incident.details.when_where.date
    assert day is not None  # callers pass dated incidents only
    return day


def _is_hold(details: IncidentDetails) -> bool:
    return any(h.technique.strip() for h in details.intervention.holds)


# ------------------------------------------------------------------ periods


def _weeks(first: date, last: date) -> list[tuple[date, date, str]]:
    monday = first - timedelta(days=first.weekday())
    out = []
    while monday <= last:
        year, week, _ = monday.isocalendar()
        out.append(
            (monday, monday + timedelta(days=6), f"Week {week} of {year} ({monday:%d/%m/%Y})")
        )
        monday += timedelta(days=7)
    return out


def _months(first: date, last: date) -> list[tuple[date, date, str]]:
    out = []
    start = first.replace(day=1)
    while start <= last:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        out.append(
            (start, following - timedelta(days=1), f"{MONTHS[start.month - 1]} {start.year}")
        )
        start = following
    return out


def _counted(
    periods: list[tuple[date, date, str]], days: Counter[date], markers: Sequence[Marker]
) -> tuple[PeriodCount, ...]:
    starts = [start for start, _, _ in periods]
    per: Counter[int] = Counter()
    for day, n in days.items():
        per[bisect_right(starts, day) - 1] += n
    return tuple(
        PeriodCount(
            start,
            end,
            label,
            per[index],
            tuple(m for m in markers if start <= m.on <= end),
        )
        for index, (start, end, label) in enumerate(periods)
    )


def plan_markers(plans: Iterable[BehaviourPlan]) -> tuple[Marker, ...]:
    found = []
    for plan in plans:
        if plan.start_date is not None:
            found.append(Marker(plan.start_date, "plan_start", plan.version))
        if plan.review_date is not None:
            found.append(Marker(plan.review_date, "plan_review", plan.version))
    return tuple(sorted(found, key=lambda m: (m.on, m.plan_version, m.kind)))


# ------------------------------------------------------------------ the review


def pupil_review(
    incidents: Sequence[ReviewIncident], plans: Iterable[BehaviourPlan]
) -> PupilReview:
    """Every figure of the pupil review, from the pupil's submitted incidents and the
    versions of their plan."""
    plan_list = sorted(plans, key=lambda p: p.version)
    markers = plan_markers(plan_list)
    dated = [i for i in incidents if i.details.when_where.date is not None]
    days: Counter[date] = Counter(_day(i) for i in dated)
    first, last = (min(days), max(days)) if days else (None, None)
    weeks = _counted(_weeks(first, last), days, markers) if first and last else ()
    months = _counted(_months(first, last), days, markers) if first and last else ()

    bands: Counter[str] = Counter(time_band(i.details.when_where.start) for i in incidents)
    time_of_day = [Count(name, bands[name]) for name, _ in TIME_BANDS]
    if bands[NO_TIME]:
        time_of_day.append(Count(NO_TIME, bands[NO_TIME]))
    weekdays: Counter[str] = Counter(weekday_name(_day(i)) for i in dated)
    places: Counter[str] = Counter(
        _tidy(i.details.when_where.location) or NO_LOCATION for i in incidents
    )

    return PupilReview(
        incidents=len(incidents),
        with_hold=sum(1 for i in incidents if _is_hold(i.details)),
        first=first,
        last=last,
        undated=len(incidents) - len(dated),
        weeks=weeks,
        months=months,
        markers=markers,
        time_of_day=tuple(time_of_day),
        weekday=tuple(Count(d, weekdays[d]) for d in WEEKDAYS),
        location=_most_first(places),
        techniques=_techniques(incidents),
        injuries=_injuries(incidents),
        floor=_floor(incidents),
        strategies=_strategies(incidents),
        no_strategy=sum(1 for i in incidents if not i.details.deescalation.strategies),
        timeline=_timeline(dated, plan_list),
    )


def _most_first(counts: Counter[str]) -> tuple[Count, ...]:
    return tuple(
        Count(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _techniques(incidents: Sequence[ReviewIncident]) -> tuple[TechniqueCount, ...]:
    names: dict[str, str] = {}
    holds: Counter[str] = Counter()
    in_incidents: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    untimed: Counter[str] = Counter()
    for incident in incidents:
        seen: set[str] = set()
        for hold in incident.details.intervention.holds:
            name = _tidy(hold.technique)
            if not name:
                continue
            key = name.casefold()
            names.setdefault(key, name)
            holds[key] += 1
            seen.add(key)
            if hold.minutes is None:
                untimed[key] += 1
            else:
                minutes[key] += hold.minutes
        in_incidents.update(seen)
    rows = [
        TechniqueCount(names[k], holds[k], in_incidents[k], minutes[k], untimed[k]) for k in holds
    ]
    return tuple(sorted(rows, key=lambda r: (-r.holds, r.technique.casefold())))


def _injuries(incidents: Sequence[ReviewIncident]) -> InjuryCounts:
    inj = [i.details.injuries for i in incidents]
    return InjuryCounts(
        pupil=sum(1 for x in inj if x.pupil_injured),
        staff=sum(1 for x in inj if x.staff_injured),
        others=sum(1 for x in inj if x.others_injured),
        any=sum(1 for x in inj if x.any_injury),
    )


def _floor(incidents: Sequence[ReviewIncident]) -> FloorCounts:
    on_floor = [i.details.intervention for i in incidents if i.details.intervention.floor_position]
    return FloorCounts(
        incidents=len(on_floor),
        positions=tuple(
            Count(p.label, sum(1 for x in on_floor if p in x.floor_positions))
            for p in FloorPosition
        ),
        minutes=sum(x.floor_minutes or 0 for x in on_floor),
    )


def _strategies(incidents: Sequence[ReviewIncident]) -> tuple[StrategyCount, ...]:
    names: dict[str, str] = {}
    tried: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for incident in incidents:
        keys = set()
        for strategy in incident.details.deescalation.strategies:
            name = _tidy(strategy)
            if name:
                names.setdefault(name.casefold(), name)
                keys.add(name.casefold())
        tried.update(keys)
        if _is_hold(incident.details):
            held.update(keys)
    rows = [StrategyCount(names[k], tried[k], held[k]) for k in tried]
    return tuple(sorted(rows, key=lambda r: (-r.tried, r.strategy.casefold())))


def _timeline(
    dated: Sequence[ReviewIncident], plans: Sequence[BehaviourPlan]
) -> tuple[TimelineEntry, ...]:
    entries = []
    for incident in dated:
        d = incident.details
        techniques = ", ".join(_tidy(h.technique) for h in d.intervention.holds if h.technique)
        where = _tidy(d.when_where.location) or NO_LOCATION
        entries.append(
            TimelineEntry(
                on=_day(incident),
                at=d.when_where.start,
                kind="incident",
                title=f"Incident {incident.reference}",
                detail=f"{where}; " + (techniques or "no hold recorded"),
                incident_id=incident.id,
            )
        )
    for plan in plans:
        if plan.start_date is None:
            continue
        review = f"review by {plan.review_date:%d/%m/%Y}" if plan.review_date else "no review date"
        entries.append(
            TimelineEntry(
                on=plan.start_date,
                at=None,
                kind="plan",
                title=f"Behaviour support plan version {plan.version} started",
                detail=review,
                plan_version=plan.version,
            )
        )
    # On one day the plan comes first (it was in force for that day's incidents), then
    # the incidents by start time, those with no time last.
    return tuple(
        sorted(
            entries,
            key=lambda e: (
                e.on,
                e.kind != "plan",
                e.at is None,
                e.at or time.min,
                e.incident_id or 0,
            ),
        )
    )


# ------------------------------------------------------------------ reviews due


class DueReason(StrEnum):
    PAST_REVIEW_DATE = "past_review_date"
    INCIDENTS_SINCE_PLAN = "incidents_since_plan"
    NO_PLAN = "no_plan"
    NEEDS_PLAN = "needs_plan"  # SEN support, EHCP or looked after, incidents, no plan


@dataclass(frozen=True, slots=True)
class PupilPlanState:
    """What the "reviews due" list needs to know about one pupil."""

    pupil: Pupil
    plan: BehaviourPlan | None  # the current (newest) version
    plan_saved_on: date | None  # the local day that version was saved
    incident_dates: tuple[date, ...]  # the pupil's submitted incidents


@dataclass(frozen=True, slots=True)
class ReviewDue:
    pupil_id: int
    reason: DueReason
    text: str  # the reason in plain words, with its numbers
    incidents: int  # incidents that count towards the reason (all, or since the plan)
    since: date | None = None  # the plan's start or last change
    review_date: date | None = None
    days_overdue: int | None = None


def needs_plan_status(pupil: Pupil) -> list[str]:
    """Why a plan matters for this pupil (SEN support, an EHCP, looked after), in words."""
    why = []
    if pupil.sen_status is SenStatus.SEN_SUPPORT:
        why.append("has SEN support")
    elif pupil.sen_status is SenStatus.EHCP:
        why.append("has an EHCP")
    if pupil.looked_after:
        why.append("is looked after")
    return why


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reviews_due(
    states: Iterable[PupilPlanState], today: date, threshold: int = 3
) -> list[ReviewDue]:
    """The school-wide list, one row per pupil and reason, pupils who have left skipped.

    A pupil with SEN support, an EHCP or looked-after status, incidents and no plan is
    listed once, under NEEDS_PLAN (not again under NO_PLAN). "Since the plan" counts
    incidents on or after the later of the current version's start date and the day it
    was saved."""
    rows: list[ReviewDue] = []
    for state in states:
        pupil, plan = state.pupil, state.plan
        if pupil.left_on is not None:
            continue
        count = len(state.incident_dates)
        if plan is None:
            if not count:
                continue
            why = needs_plan_status(pupil)
            incidents = _plural(count, "incident")
            if why:
                text = f"{incidents} and no behaviour support plan; the pupil " + (
                    " and ".join(why) + "."
                )
                rows.append(ReviewDue(pupil.id, DueReason.NEEDS_PLAN, text, count))
            else:
                text = f"{incidents} and no behaviour support plan."
                rows.append(ReviewDue(pupil.id, DueReason.NO_PLAN, text, count))
            continue
        if plan.review_date is not None and plan.review_date < today:
            late = (today - plan.review_date).days
            rows.append(
                ReviewDue(
                    pupil.id,
                    DueReason.PAST_REVIEW_DATE,
                    f"The plan's review date, {plan.review_date:%d/%m/%Y}, passed "
                    f"{_plural(late, 'day')} ago.",
                    count,
                    review_date=plan.review_date,
                    days_overdue=late,
                )
            )
        starts = [d for d in (plan.start_date, state.plan_saved_on) if d is not None]
        since = max(starts) if starts else None
        recent = sum(1 for d in state.incident_dates if since is None or d >= since)
        if recent >= threshold:
            rows.append(
                ReviewDue(
                    pupil.id,
                    DueReason.INCIDENTS_SINCE_PLAN,
                    f"{_plural(recent, 'incident')} since the plan was last changed"
                    + (f" on {since:%d/%m/%Y}" if since else "")
                    + f" (the list shows {threshold} or more).",
                    recent,
                    since=since,
                    review_date=plan.review_date,
                )
            )
    order = list(DueReason)
    return sorted(rows, key=lambda r: (order.index(r.reason), -r.incidents, r.pupil_id))
