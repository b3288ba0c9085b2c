"""A trust's roll-up: several schools' anonymised exports (``domain/oversight/csv_rows.py``)
read back, merged and computed, as ``incident-recorder report --merge`` does it.

The schools are made up in memory (``school_inputs``: fictional pupils with distinctive
names, so that tests can look for them in the output), exported with ``write_export``
and timed from the files' text to the trust's figures. The unit tests use the same
generator (tests/unit/oversight/).
"""

from __future__ import annotations

import csv
import io
import random
import secrets
import time as timer
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.oversight.csv_rows import ExportLists
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)
from tests.benchmarks.report import Row, Target

if TYPE_CHECKING:
    from tests.benchmarks.sections import Bench

LOCATIONS = ("Classroom", "Corridor", "Playground", "Dining hall", "Calm room / quiet space")
TECHNIQUES = ("Caring C guide", "Single elbow", "Figure of four", "Seated wrap", "Double elbow")
ANTECEDENTS = ("Demand or task given", "Change to routine", "Told no / asked to stop")
LISTS = ExportLists(locations=LOCATIONS, techniques=TECHNIQUES)
# Typed into the form instead of chosen: free text that must never reach an export.
TYPED_LOCATION = "Behind the shed with Xanthippe Quillfeather"
TYPED_TECHNIQUE = "Held Xanthippe's wrists by the door"
SURNAMES = ("Quillfeather", "Marchbanks", "Oyelaran", "Wrenfield", "Szczepański")
FIRSTS = ("Xanthippe", "Barnaby", "Oluwadamilare", "Perpetua", "Ignatius")
YEARS = ("R", "1", "2", "3", "4", "5", "6")
PERIOD = Period(date(2025, 9, 1), date(2026, 7, 22), "School year 2025 to 2026")

ROLL_UP_SCHOOLS = 20
ROLL_UP_INCIDENTS = 100_000
ROLL_UP_PUPILS_PER_SCHOOL = 1_200


def school_inputs(
    school: str,
    pupils: int,
    incidents: int,
    seed: int = 2026,
    period: Period = PERIOD,
) -> ReportInputs:
    """One fictional school's report inputs: names, UPN-like keys and typed locations
    included, as the store gathers them for a viewer who may see names."""
    rng = random.Random(f"{school}-{seed}")
    codes = list(ETHNICITY_CODES.items())
    roll: list[PupilFacts] = []
    for n in range(pupils):
        code, (_, group) = rng.choice(codes)
        roll.append(
            PupilFacts(
                key=str(1000 + n),
                days_on_roll=period.days if rng.random() < 0.9 else rng.randint(1, period.days),
                characteristics=Characteristics(
                    ethnicity=code,
                    ethnic_group=group.value,
                    sex=rng.choice(("F", "M", "M", "")),
                    sen=rng.choice(("none", "none", "none", "sen_support", "ehcp")),
                    looked_after=rng.random() < 0.04,
                    previously_looked_after=rng.random() < 0.03,
                    kinship_care=rng.random() < 0.02,
                    child_in_need_or_protection=rng.random() < 0.06,
                    free_school_meals=rng.random() < 0.25,
                    eal=rng.random() < 0.2,
                    year_group=rng.choice(YEARS),
                ),
                name=f"{rng.choice(FIRSTS)} {rng.choice(SURNAMES)}-{n}",
                school=school,
            )
        )
    # Incidents fall on some pupils far more than others, as they do.
    weights = [rng.paretovariate(1.2) for _ in roll]
    chosen = rng.choices(roll, weights=weights, k=incidents) if roll else []
    return ReportInputs(
        period=period,
        pupils=tuple(roll),
        incidents=tuple(_incident(rng, n, p.key, period) for n, p in enumerate(chosen)),
        last_year=tuple(
            _incident(rng, 50_000 + n, p.key, _year_before(period))
            for n, p in enumerate(chosen[: incidents // 2])
        ),
        term_starts=(period.start, date(2026, 1, 5), date(2026, 4, 20)),
        school=school,
        names_shown=True,
    )


def _year_before(period: Period) -> Period:
    return Period(period.start - timedelta(days=365), period.end - timedelta(days=365))


def _incident(rng: random.Random, n: int, key: str, period: Period) -> IncidentFacts:
    day = period.start + timedelta(days=rng.randrange(period.days))
    typed = rng.random() < 0.05
    return IncidentFacts(
        reference=f"{day.year}-{n % 10_000:04d}",
        pupil_key=key,
        occurred_on=day,
        start=None if rng.random() < 0.02 else time(rng.randint(8, 15), rng.randrange(60)),
        kind=rng.choice(("reasonable_force", "restraint_without_force", "seclusion", "")),
        techniques=tuple(rng.sample(TECHNIQUES, rng.randint(0, 2)))
        + ((TYPED_TECHNIQUE,) if typed else ()),
        antecedent_kinds=tuple(rng.sample(ANTECEDENTS, rng.randint(0, 2))),
        location=TYPED_LOCATION if typed else rng.choice(LOCATIONS),
        duration_minutes=None if rng.random() < 0.05 else rng.randint(0, 25),
        recorded_same_day=rng.random() < 0.9,
        parents_told_same_day=rng.choice((True, True, False, None)),
        letter_within_1_school_day=rng.choice((True, False, None)),
        copy_supplied=rng.choice((True, False, None)),
        signed_off_within_2_school_days=rng.choice((True, True, False, None)),
        deescalation_recorded=rng.random() < 0.9,
        floor_positions=frozenset(rng.sample(("ground", "prone", "supine"), rng.randint(0, 1))),
        hold_over_threshold=rng.random() < 0.1,
        pupil_injured=rng.random() < 0.05,
        staff_injured=rng.random() < 0.04,
        staff_training_expired=rng.choice((True, False, False, None)),
    )


def trust_files(schools: int, incidents: int, pupils_per_school: int) -> list[tuple[str, str]]:
    """``schools`` schools' exports (file name, text) holding ``incidents`` incident
    rows between them (and half as many again from the year before)."""
    from incident_recorder.domain.oversight.csv_rows import write_export

    files = []
    for n in range(schools):
        share = incidents // schools + (1 if n < incidents % schools else 0)
        inputs = school_inputs(f"School {n + 1:02d}", pupils_per_school, share, seed=n)
        text = write_export(inputs, secrets.token_bytes(32), lists=LISTS)
        files.append((f"school-{n + 1:02d}.csv", text))
    return files


def roll_up(files: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Seconds to read every file, to merge them, and to compute the trust's report."""
    from incident_recorder.domain.oversight import csv_rows

    began = timer.perf_counter()
    parts = [csv_rows.read_export(text, name) for name, text in files]
    read = timer.perf_counter()
    csv_rows.merge_exports(parts, "Benchmark Fictional Trust")
    merged = timer.perf_counter()
    trust_report = getattr(csv_rows, "trust_report", None)
    if trust_report is not None:
        trust_report(parts, "Benchmark Fictional Trust")
    computed = timer.perf_counter()
    return read - began, merged - read, computed - merged


def trust(bench: Bench) -> list[Row]:
    quick = bench.work.size.incidents < ROLL_UP_INCIDENTS
    incidents = 5_000 if quick else ROLL_UP_INCIDENTS
    files = trust_files(ROLL_UP_SCHOOLS, incidents, ROLL_UP_PUPILS_PER_SCHOOL)
    megabytes = sum(len(text.encode("utf-8")) for _, text in files) / 1e6
    totals: list[float] = []
    floors: list[float] = []
    parts: list[tuple[float, float, float]] = []
    for run in range(bench.runs + 1):
        timing = roll_up(files)
        began = timer.perf_counter()
        for _, text in files:
            for _row in csv.reader(io.StringIO(text)):
                pass
        floor = timer.perf_counter() - began
        if run:  # the first run warms the imports
            parts.append(timing)
            totals.append(sum(timing) * 1000)
            floors.append(floor * 1000)
    middle = sorted(parts, key=sum)[len(parts) // 2]
    return [
        Row(
            f"trust roll-up ({incidents:,} rows)",
            Target.AT_MOST,
            5000,
            samples=totals,
            floor_samples=floors,
            floor_name="csv.reader over the same files",
            note=f"{ROLL_UP_SCHOOLS} schools' anonymised exports ({megabytes:.1f} MB, "
            f"{ROLL_UP_SCHOOLS * ROLL_UP_PUPILS_PER_SCHOOL:,} pupil rows, {incidents:,} incident "
            f"rows and {incidents // 2:,} from the year before): read_export each, "
            "merge_exports, trust_report (the trust and every school); median run: "
            f"read {middle[0] * 1000:.0f} ms, merge {middle[1] * 1000:.0f} ms, "
            f"compute {middle[2] * 1000:.0f} ms",
        )
    ]
