"""The oversight figures: what ``compute_report`` returns (true counts, for the roles
who may see them on screen). ``published.py`` turns these into what may be printed or
exported. Pure: no I/O, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from incident_recorder.domain.oversight.facts import Period, SuppressionRules


@dataclass(frozen=True, slots=True)
class ComplianceFigure:
    """One compliance line: ``count`` of ``of`` incidents (``of`` is the incidents the
    question applies to). ``references`` are the incidents counted, oldest first, so
    the screen can open the records behind the figure. ``good_when_high`` says which
    way is better (recorded the same day: high; prone holds: low)."""

    key: str
    label: str
    count: int
    of: int
    references: tuple[str, ...] = ()
    good_when_high: bool = True
    note: str = ""  # e.g. "Only incidents from 1 April 2026, when the duty began"

    @property
    def percent(self) -> float | None:
        return None if self.of == 0 else 100.0 * self.count / self.of


@dataclass(frozen=True, slots=True)
class PatternRow:
    label: str
    count: int
    last_year: int = 0
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PatternTable:
    """A breakdown: by location, time of day, day of week, kind, technique,
    antecedent kind. Rows in a fixed order for time of day and day of week, otherwise
    largest first. ``multi`` is True where one incident may count in several rows
    (techniques, antecedent kinds), so the rows need not add up to the total."""

    key: str
    title: str
    rows: tuple[PatternRow, ...]
    multi: bool = False


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One week (starting Monday) or one calendar month of the period."""

    start: date
    label: str  # "07/09" for a week, "Sep 2026" for a month
    count: int
    last_year: int = 0


@dataclass(frozen=True, slots=True)
class RepeatedPupil:
    """A pupil with more than one incident in the period. ``name`` is "" unless the
    viewer may see names (then shown as "Pupil A", "Pupil B"...)."""

    key: str
    name: str
    incidents: int
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RiskRatio:
    """The group's risk of at least one incident against all other pupils on roll,
    with its 95% confidence interval by the log method (Katz)."""

    ratio: float
    low: float
    high: float

    @property
    def flagged(self) -> bool:
        """Only where the whole interval sits above 1."""
        return self.low > 1.0


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group of one characteristic ("EHCP" of "Special educational needs").

    ``on_roll`` is the pupils on roll at any time in the period (a head count);
    ``on_roll_equivalent`` the same weighted by days on roll (the denominator of the
    rates). ``ratio`` is None where the group is too small or the comparison cannot be
    made; ``no_ratio_reason`` then says why in plain words.
    """

    characteristic: str  # key: "ethnic_group", "ethnicity", "sex", "sen", ...
    characteristic_label: str
    group: str  # key within the characteristic
    group_label: str
    on_roll: int
    on_roll_equivalent: float
    with_incident: int
    incidents: int
    others_on_roll_equivalent: float
    others_with_incident: int
    ratio: RiskRatio | None
    no_ratio_reason: str = ""
    reading: str = ""  # "Pupils with an EHCP were 4.2 times as likely ..."

    @property
    def rate_per_100(self) -> float | None:
        """Pupils with at least one incident per 100 pupils on roll."""
        if self.on_roll_equivalent <= 0:
            return None
        return 100.0 * self.with_incident / self.on_roll_equivalent

    @property
    def incidents_per_100(self) -> float | None:
        if self.on_roll_equivalent <= 0:
            return None
        return 100.0 * self.incidents / self.on_roll_equivalent


@dataclass(frozen=True, slots=True)
class CharacteristicTable:
    key: str
    label: str
    groups: tuple[GroupRow, ...]


@dataclass(frozen=True, slots=True)
class Totals:
    incidents: int
    pupils_with_incident: int
    pupils_on_roll: int
    on_roll_equivalent: float
    last_year_incidents: int = 0


@dataclass(frozen=True, slots=True)
class OversightReport:
    """Every figure of one period (one school, one school of a trust, or a trust)."""

    period: Period
    school: str
    totals: Totals
    compliance: tuple[ComplianceFigure, ...]
    patterns: tuple[PatternTable, ...]
    weekly: tuple[SeriesPoint, ...]
    monthly: tuple[SeriesPoint, ...]
    term_starts: tuple[date, ...]
    repeated: tuple[RepeatedPupil, ...]
    disproportionality: tuple[CharacteristicTable, ...]
    names_shown: bool = False
    schools: tuple[OversightReport, ...] = field(default=())  # a trust's roll-up
    # The small-number rules the figures were made under (publish() hides by them).
    rules: SuppressionRules = field(default_factory=SuppressionRules)
