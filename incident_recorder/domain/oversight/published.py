"""Oversight figures as they may be printed or exported: small numbers suppressed.

``publish(report)`` returns a ``PublishedReport`` whose every number is already text
("12", "fewer than 5", "38%", "4.2 (95% CI 2.9 to 6.1)", "not shown") with ``hidden``
set where a count was suppressed (primary: 1 to 4; secondary: so that a hidden count
cannot be worked out from a total, a neighbouring cell or the complement). The screen
uses the same masks to mark which true figures would be hidden on paper. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from incident_recorder.domain.oversight.facts import Period, SuppressionRules


@dataclass(frozen=True, slots=True)
class Shown:
    text: str
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class PublishedCompliance:
    key: str
    label: str
    count: Shown
    of: Shown
    percent: Shown
    note: str = ""


@dataclass(frozen=True, slots=True)
class PublishedPatternRow:
    label: str
    count: Shown
    last_year: Shown


@dataclass(frozen=True, slots=True)
class PublishedPattern:
    key: str
    title: str
    rows: tuple[PublishedPatternRow, ...]
    multi: bool = False


@dataclass(frozen=True, slots=True)
class PublishedSeriesPoint:
    label: str
    count: Shown
    last_year: Shown
    start: date | None = None  # the week's Monday or the month's first day (for charts)


@dataclass(frozen=True, slots=True)
class PublishedGroup:
    characteristic_label: str
    group_label: str
    on_roll: Shown
    with_incident: Shown
    incidents: Shown
    rate_per_100: Shown
    incidents_per_100: Shown
    ratio: Shown  # "4.2 (95% CI 2.9 to 6.1)" or the reason there is none
    reading: str
    flagged: bool


@dataclass(frozen=True, slots=True)
class PublishedCharacteristic:
    key: str
    label: str
    groups: tuple[PublishedGroup, ...]


@dataclass(frozen=True, slots=True)
class PublishedReport:
    period: Period
    school: str
    incidents: Shown
    pupils_with_incident: Shown
    pupils_on_roll: Shown
    last_year_incidents: Shown
    repeated_pupils: Shown  # pupils with more than one incident (never named)
    compliance: tuple[PublishedCompliance, ...]
    patterns: tuple[PublishedPattern, ...]
    weekly: tuple[PublishedSeriesPoint, ...]
    monthly: tuple[PublishedSeriesPoint, ...]
    disproportionality: tuple[PublishedCharacteristic, ...]
    schools: tuple[PublishedReport, ...] = ()
    # The rules it was published under (the smallest group given a ratio, the threshold
    # below which a count is hidden), so paper can say them.
    rules: SuppressionRules = field(default_factory=SuppressionRules)
    term_starts: tuple[date, ...] = ()  # first day of each term in the period (chart marks)
