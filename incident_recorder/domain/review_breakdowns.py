"""The pupil review's breakdowns: time of day, weekday, place, techniques, injuries,
floor positions, de-escalation strategies and the kinds of antecedent (pure functions).

A *hold* is an intervention with at least one technique recorded. What led up to an
incident is counted by the kinds ticked from the school's list
(``WhatHappened.antecedent_types``), never by words of the free-text account.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from incident_recorder.domain.model import FloorPosition, IncidentDetails


@dataclass(frozen=True, slots=True)
class ReviewIncident:
    """One submitted incident of the pupil: its id, reference and latest details."""

    id: int
    reference: str
    details: IncidentDetails


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    incidents: int


@dataclass(frozen=True, slots=True)
class TechniqueCount:
    technique: str
    holds: int  # times the technique was used
    incidents: int  # incidents in which it was used
    seconds: int  # total of the timed uses
    untimed: int  # uses with no time recorded


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
    seconds: int  # total time on the floor recorded


@dataclass(frozen=True, slots=True)
class StrategyCount:
    strategy: str
    tried: int  # incidents in which it was tried
    then_held: int  # of those, incidents with a hold

    @property
    def percent_held(self) -> int:
        """How often trying it preceded a hold, as a whole percentage of times tried."""
        return round(100 * self.then_held / self.tried) if self.tried else 0


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
NO_ANTECEDENT = "Kind not recorded"


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


def tidy(text: str) -> str:
    return " ".join(text.split())


def incident_day(incident: ReviewIncident) -> date:
    day = incident.details.when_where.date
    assert day is not None  # callers pass dated incidents only
    return day


def is_hold(details: IncidentDetails) -> bool:
    return any(h.technique.strip() for h in details.intervention.holds)


def most_first(counts: Counter[str]) -> tuple[Count, ...]:
    return tuple(
        Count(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def count_techniques(incidents: Sequence[ReviewIncident]) -> tuple[TechniqueCount, ...]:
    names: dict[str, str] = {}
    holds: Counter[str] = Counter()
    in_incidents: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    untimed: Counter[str] = Counter()
    for incident in incidents:
        seen: set[str] = set()
        for hold in incident.details.intervention.holds:
            name = tidy(hold.technique)
            if not name:
                continue
            key = name.casefold()
            names.setdefault(key, name)
            holds[key] += 1
            seen.add(key)
            if hold.seconds is None:
                untimed[key] += 1
            else:
                seconds[key] += hold.seconds
        in_incidents.update(seen)
    rows = [
        TechniqueCount(names[k], holds[k], in_incidents[k], seconds[k], untimed[k]) for k in holds
    ]
    return tuple(sorted(rows, key=lambda r: (-r.holds, r.technique.casefold())))


def count_injuries(incidents: Sequence[ReviewIncident]) -> InjuryCounts:
    inj = [i.details.injuries for i in incidents]
    return InjuryCounts(
        pupil=sum(1 for x in inj if x.pupil_injured),
        staff=sum(1 for x in inj if x.staff_injured),
        others=sum(1 for x in inj if x.others_injured),
        any=sum(1 for x in inj if x.any_injury),
    )


def count_floor(incidents: Sequence[ReviewIncident]) -> FloorCounts:
    on_floor = [i.details.intervention for i in incidents if i.details.intervention.floor_position]
    return FloorCounts(
        incidents=len(on_floor),
        positions=tuple(
            Count(p.label, sum(1 for x in on_floor if p in x.floor_positions))
            for p in FloorPosition
        ),
        seconds=sum(x.floor_seconds or 0 for x in on_floor),
    )


def count_strategies(incidents: Sequence[ReviewIncident]) -> tuple[StrategyCount, ...]:
    names: dict[str, str] = {}
    tried: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for incident in incidents:
        keys = set()
        for strategy in incident.details.deescalation.strategies:
            name = tidy(strategy)
            if name:
                names.setdefault(name.casefold(), name)
                keys.add(name.casefold())
        tried.update(keys)
        if is_hold(incident.details):
            held.update(keys)
    rows = [StrategyCount(names[k], tried[k], held[k]) for k in tried]
    return tuple(sorted(rows, key=lambda r: (-r.tried, r.strategy.casefold())))


def count_antecedents(incidents: Sequence[ReviewIncident]) -> tuple[Count, ...]:
    """Incidents per kind of antecedent (an incident counts once per kind; kinds differing
    only in case or spaces are one, named as most often written), most first, then the
    incidents with no kind ticked, last."""
    spellings: dict[str, Counter[str]] = {}
    counts: Counter[str] = Counter()
    none = 0
    for incident in incidents:
        keys = set()
        for kind in incident.details.what_happened.antecedent_types:
            name = tidy(kind)
            if name:
                spellings.setdefault(name.casefold(), Counter())[name] += 1
                keys.add(name.casefold())
        counts.update(keys)
        none += not keys
    names = {key: seen.most_common(1)[0][0] for key, seen in spellings.items()}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))
    found = [Count(names[key], n) for key, n in rows]
    return tuple([*found, Count(NO_ANTECEDENT, none)] if none else found)
