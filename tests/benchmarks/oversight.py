"""The oversight sums on their own (no database): ``python -m tests.benchmarks.oversight``.

Synthetic facts the size of one school year of the benchmark's largest school (5,000
incidents, 1,500 pupils) and of a trust's roll-up (100,000 rows, 30,000 pupils in 20
schools), timed through ``compute_report``, ``publish``, ``report_json`` and
``inputs_fingerprint``. ``oversight_rows(runs)`` gives the rows for the main benchmark.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from datetime import time as clock

from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)
from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.report_json import inputs_fingerprint, report_json
from incident_recorder.domain.oversight.suppression import publish
from tests.benchmarks.report import Row, Target

PERIOD = Period(date(2025, 9, 1), date(2026, 8, 31), "School year 2025/26")


def synthetic(incidents: int, pupils: int, seed: int = 14, school: str = "") -> ReportInputs:
    rng = random.Random(seed)
    codes = list(ETHNICITY_CODES)
    roll = []
    for i in range(pupils):
        code = rng.choice(codes)
        roll.append(
            PupilFacts(
                key=f"{school}{i}",
                days_on_roll=rng.choice((365, 365, 365, 200, 90)),
                characteristics=Characteristics(
                    ethnicity=code,
                    ethnic_group=ETHNICITY_CODES[code][1].value,
                    sex=rng.choice("FM"),
                    sen=rng.choice(("none", "none", "none", "sen_support", "ehcp")),
                    looked_after=rng.random() < 0.03,
                    previously_looked_after=rng.random() < 0.02,
                    kinship_care=rng.random() < 0.01,
                    child_in_need_or_protection=rng.random() < 0.05,
                    free_school_meals=rng.random() < 0.25,
                    eal=rng.random() < 0.2,
                    year_group=f"Year {rng.randint(7, 11)}",
                ),
                school=school,
            )
        )
    places = ("Classroom", "Corridor", "Playground", "Dining hall", "Hall", "")
    techniques = ("Single elbow", "Figure of four", "Guide", "Double elbow")
    antecedents = ("Demand", "Transition", "Peer conflict", "Sensory")

    def incident(n: int, start: date) -> IncidentFacts:
        return IncidentFacts(
            reference=f"{school}R{n}",
            pupil_key=f"{school}{min(int(rng.expovariate(1 / (pupils / 6))), pupils - 1)}",
            occurred_on=start + timedelta(days=rng.randrange(365)),
            start=clock(rng.randrange(8, 16), rng.randrange(60)),
            kind=rng.choice(("reasonable_force", "restraint_without_force", "seclusion")),
            techniques=tuple(rng.sample(techniques, rng.randrange(3))),
            antecedent_kinds=tuple(rng.sample(antecedents, rng.randrange(3))),
            location=rng.choice(places),
            recorded_same_day=rng.random() < 0.9,
            parents_told_same_day=rng.choice((True, True, False, None)),
            letter_within_1_school_day=rng.choice((True, True, False)),
            copy_supplied=rng.choice((True, False, None)),
            signed_off_within_2_school_days=rng.random() < 0.8,
            deescalation_recorded=rng.random() < 0.95,
            floor_positions=frozenset(rng.sample(("prone", "supine", "ground"), rng.randrange(2))),
            hold_over_threshold=rng.random() < 0.1,
            pupil_injured=rng.random() < 0.05,
            staff_injured=rng.random() < 0.03,
            staff_training_expired=rng.choice((False, False, True, None)),
            school=school,
        )

    return ReportInputs(
        period=PERIOD,
        pupils=tuple(roll),
        incidents=tuple(incident(n, PERIOD.start) for n in range(incidents)),
        last_year=tuple(incident(incidents + n, date(2024, 9, 1)) for n in range(incidents)),
        school=school,
    )


def trust_inputs(
    schools: int, incidents: int, pupils: int
) -> tuple[ReportInputs, list[ReportInputs]]:
    parts = [
        synthetic(incidents // schools, pupils // schools, seed=s, school=f"S{s:02d}:")
        for s in range(schools)
    ]
    merged = ReportInputs(
        period=PERIOD,
        pupils=tuple(p for part in parts for p in part.pupils),
        incidents=tuple(i for part in parts for i in part.incidents),
        last_year=tuple(i for part in parts for i in part.last_year),
        school="The trust",
    )
    return merged, parts


def trust_report(merged: ReportInputs, parts: list[ReportInputs]) -> OversightReport:
    """As a trust's roll-up runs it: no records to open, so no references."""
    overall = compute_report(merged, references=False)
    return replace(overall, schools=tuple(compute_report(p, references=False) for p in parts))


def _timed(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def oversight_rows(runs: int = 5) -> list[Row]:
    school = synthetic(5_000, 1_500)
    report = compute_report(school)
    merged, parts = trust_inputs(20, 100_000, 30_000)
    trust = trust_report(merged, parts)
    return [
        Row(
            "oversight: compute_report, one school year",
            Target.AT_MOST,
            200,
            samples=_timed(lambda: compute_report(school), runs),
            note="5,000 incidents (and 5,000 last year), 1,500 pupils; pure sums",
        ),
        Row(
            "oversight: publish (suppression), one school",
            Target.AT_MOST,
            100,
            samples=_timed(lambda: publish(report), runs),
        ),
        Row(
            "oversight: report_json + inputs_fingerprint, one school",
            Target.AT_MOST,
            300,
            samples=_timed(lambda: (report_json(report), inputs_fingerprint(school)), runs),
        ),
        Row(
            "oversight: trust roll-up, compute_report overall and per school",
            Target.AT_MOST,
            2_000,
            samples=_timed(lambda: trust_report(merged, parts), max(1, runs // 2)),
            note="100,000 rows (and 100,000 last year), 30,000 pupils, 20 schools",
        ),
        Row(
            "oversight: publish, trust with its 20 schools",
            Target.AT_MOST,
            1_000,
            samples=_timed(lambda: publish(trust), max(1, runs // 2)),
        ),
    ]


def main() -> int:
    for row in oversight_rows(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(
            f"{row.name:<66} median {statistics.median(row.samples):8.1f} ms"
            f"  (target {row.target_text})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
