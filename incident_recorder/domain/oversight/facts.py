"""What the oversight figures are computed from.

The same facts come from a school's own database (``store/oversight.py`` gathers them
and works out each flag with the school's calendar) and from anonymised CSV exports
(``csv_rows.py``), so a trust's roll-up runs the very same sums as a school's screen.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive dates. ``label`` is how it is named on screen and paper
    ("Autumn term 2026", "01/09/2026 to 07/12/2026")."""

    start: date
    end: date
    label: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Characteristics:
    """A pupil's characteristics as the MIS gives them (at the time of the report).

    ``sen`` is "none", "sen_support" or "ehcp"; ``sex`` "F", "M" or ""; ``ethnicity`` a
    DfE code (domain/ethnicity.py) or ""; ``ethnic_group`` its major group's value
    (``EthnicGroup``) or "".
    """

    ethnicity: str = ""
    ethnic_group: str = ""
    sex: str = ""
    sen: str = "none"
    looked_after: bool = False
    previously_looked_after: bool = False
    kinship_care: bool = False
    child_in_need_or_protection: bool = False
    free_school_meals: bool = False
    eal: bool = False
    year_group: str = ""


@dataclass(frozen=True, slots=True)
class PupilFacts:
    """One pupil on roll at any time in the period.

    ``key`` joins incidents to pupils: the pupil's id as text inside a school, a
    pseudonymous key in an export, prefixed with the school in a trust's roll-up.
    ``days_on_roll`` counts the period's days the pupil was on roll (1 to
    ``Period.days``): a pupil counts as ``days_on_roll / Period.days`` of a pupil on roll.
    ``name`` is "" unless the viewer may see names.
    """

    key: str
    days_on_roll: int
    characteristics: Characteristics = field(default_factory=Characteristics)
    name: str = ""
    school: str = ""


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """One submitted incident (one pupil) in the period, with each duty already judged.

    A ``bool | None`` flag is None where the question does not apply (for example
    ``copy_supplied`` before the duty began on 1 April 2026 or where the copy was
    withheld for the child's safety; ``staff_training_expired`` when the school has
    recorded no training at all); such incidents are left out of that figure's
    denominator.
    """

    reference: str
    pupil_key: str
    occurred_on: date
    start: time | None = None
    kind: str = ""  # InterventionKind value ("reasonable_force", ...) or ""
    techniques: tuple[str, ...] = ()
    antecedent_kinds: tuple[str, ...] = ()
    location: str = ""
    duration_minutes: int | None = None
    recorded_same_day: bool | None = None
    parents_told_same_day: bool | None = None
    letter_within_1_school_day: bool | None = None
    copy_supplied: bool | None = None
    signed_off_within_2_school_days: bool | None = None
    deescalation_recorded: bool = True
    floor_positions: frozenset[str] = frozenset()  # FloorPosition values
    hold_over_threshold: bool = False
    pupil_injured: bool = False
    staff_injured: bool = False
    staff_training_expired: bool | None = None
    school: str = ""


@dataclass(frozen=True, slots=True)
class SuppressionRules:
    """Small-number rules. A group smaller than either minimum shows no risk ratio;
    in anything printed or exported a count from 1 to ``hide_below - 1`` shows as
    "fewer than 5"."""

    min_on_roll: int = 10
    min_with_incident: int = 5
    hide_below: int = 5


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """Everything one report is made from. ``last_year`` holds the incidents of the
    same period one year earlier (for the comparison beside each pattern);
    ``term_starts`` the first day of each term that falls in the period (boundaries on
    the weekly chart); ``school`` the school's name (or the trust's)."""

    period: Period
    pupils: tuple[PupilFacts, ...]
    incidents: tuple[IncidentFacts, ...]
    last_year: tuple[IncidentFacts, ...] = ()
    term_starts: tuple[date, ...] = ()
    rules: SuppressionRules = field(default_factory=SuppressionRules)
    school: str = ""
    names_shown: bool = False
