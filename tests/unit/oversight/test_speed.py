"""A guard on the sums' speed (the benchmark, ``python -m tests.benchmarks.oversight``,
measures properly): a school year of a large school, 5,000 incidents and 1,500 pupils,
well under the Reports screen's second even on a busy shared machine."""

from __future__ import annotations

import time

from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.suppression import publish
from tests.benchmarks.oversight import synthetic


def _best_of(runs: int, work: object) -> float:
    assert callable(work)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def test_a_large_school_year_is_counted_well_within_a_second() -> None:
    inputs = synthetic(5_000, 1_500)
    report = compute_report(inputs)
    assert report.totals.incidents == 5_000
    assert _best_of(3, lambda: compute_report(inputs)) < 0.5
    assert _best_of(3, lambda: publish(report)) < 0.25
