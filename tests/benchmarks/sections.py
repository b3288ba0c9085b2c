"""Each figure of the benchmark as table rows: how it is measured, with its floor and
target (the targets are issue 3's)."""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING

from tests.benchmarks import probes
from tests.benchmarks.build_db import NOW, Built
from tests.benchmarks.letter import NOT_BUILT
from tests.benchmarks.report import Row, Target
from tests.fakes import RENDERER

if TYPE_CHECKING:
    from tests.benchmarks.figures import Figures


class Bench:
    """One run of the benchmark: the working copy, the runs a figure, and (made when first
    needed, so the child-process figures start from a quiet parent) the in-process app."""

    def __init__(self, work: Built, runs: int) -> None:
        self.work = work
        self.runs = runs
        self._figures: Figures | None = None

    @property
    def figures(self) -> Figures:
        if self._figures is None:
            from tests.benchmarks.figures import Figures

            self._figures = Figures(self.work, self.runs)
        return self._figures


def cold_start(bench: Bench) -> list[Row]:
    work, runs = bench.work, bench.runs
    row = Row(
        "cold start to sign-in window",
        Target.RATIO,
        1.5,
        floor_name="empty QMainWindow",
        note="fresh process, offscreen: from starting the interpreter to the window "
        "exposed and painted (run_gui: lock, log, keyring, shell)",
    )
    probes.cold_start_ms(work.folder)  # warm the file cache on both sides
    probes.floor_window_ms()
    for _ in range(runs):
        row.samples.append(probes.cold_start_ms(work.folder))
        row.floor_samples.append(probes.floor_window_ms())
    return [row]


def unlock(bench: Bench) -> list[Row]:
    figure, floor = bench.figures.unlock()
    return [
        Row(
            "unlock (passphrase to main window)",
            Target.OVER_FLOOR,
            150,
            samples=figure,
            floor_samples=floor,
            floor_name="Argon2id alone",
            note="sign-in button clicked to the main window painted with the first page of "
            "both lists; production KdfParams()",
        )
    ]


def open_list(bench: Bench) -> list[Row]:
    work = bench.work
    figures = bench.figures
    rows = []
    for who, username in (("", None), (" as Staff", work.staff_username)):
        shown, service, deep = figures.open_list(username)
        rows.append(
            Row(
                f"open the incident list{who}",
                Target.AT_MOST,
                150,
                samples=shown,
                note=f"of {work.size.incidents:,}; fresh connection; list panel built, first "
                f"page loaded and painted (query alone, warm: {statistics.median(service):.1f} "
                "ms"
                + (f"; next page 2,000 rows down: {deep:.1f} ms)" if deep is not None else ")")
                + (
                    "; a Staff member sees their own records and those they are named on"
                    if username
                    else ""
                ),
                extra={
                    "service_warm_ms": [round(s, 2) for s in service],
                    "next_page_2000_rows_down_ms": None if deep is None else round(deep, 2),
                },
            )
        )
    return rows


def searches(bench: Bench) -> list[Row]:
    figures = bench.figures
    rows = []
    cases = figures.search_cases()
    for case in cases:
        times, total = figures.search(case)
        rows.append(
            Row(
                case.name,
                Target.AT_MOST,
                100,
                samples=times,
                note=f"{total:,} matches; filters changed to the main window's list repainted",
                extra={"matches": total},
            )
        )
    rows[0].extra["query_plans"] = figures.plans(cases)
    return rows


def submit(bench: Bench) -> list[Row]:
    times = bench.figures.submit()
    return [
        Row(
            "submit an incident",
            Target.AT_MOST,
            50,
            samples=times,
            note="IncidentService.submit of a complete draft: policy, reference, version, "
            "audit entry",
        )
    ]


def store_workload(bench: Bench) -> list[Row]:
    work, runs = bench.work, bench.runs
    from tests.benchmarks import workload

    key = bench.figures.data_key
    encrypted, plain = work.stores(), work.stores(plaintext=True)
    # The plan is drawn from the plain copy: the encrypted one may hold records that
    # earlier rows (submit) added, which the plain copy does not have.
    store = plain.open(key)
    try:
        plan = workload.make_plan(store)
    finally:
        store.close()
    row = Row(
        "store workload",
        Target.RATIO,
        1.2,
        floor_name="plain SQLite",
        note="fixed mix of reads, a term's records in full, aggregate reports and inserts "
        "(tests/benchmarks/workload.py), fresh connection each run",
    )
    workload.run(encrypted, key, plan, NOW)  # warm the file cache on both sides
    workload.run(plain, key, plan, NOW)
    for _ in range(runs):
        row.samples.append(workload.run(encrypted, key, plan, NOW))
        row.floor_samples.append(workload.run(plain, key, plan, NOW))
    return [row]


def parent_letter(bench: Bench) -> list[Row]:
    work, runs = bench.work, bench.runs
    row = Row(
        "parent letter (one-page PDF)",
        Target.AT_MOST,
        300,
        floor_name="bare reportlab page",
        note="first letter in a fresh process, reportlab imported lazily on the way",
    )
    warm: list[float] = []
    for _ in range(min(runs, 5)):
        cold, later = probes.letter_floor_ms()
        row.floor_samples.append(cold)
        warm.append(later)
    row.extra["floor_warm_ms"] = round(statistics.median(warm), 2)
    letter = probes.letter_ms(work.folder, work.username, work.passphrase)
    if letter is None:
        row.missing = NOT_BUILT
        return [row]
    row.samples.append(letter[0])
    for _ in range(min(runs, 5) - 1):
        found = probes.letter_ms(work.folder, work.username, work.passphrase)
        assert found is not None
        row.samples.append(found[0])
    return [row]


def memory(bench: Bench) -> list[Row]:
    work, runs = bench.work, bench.runs
    row = Row(
        "peak memory (database and list open)",
        Target.AT_MOST,
        250,
        unit="MB",
        note="fresh process: start, sign in through the window, main window with the list "
        "shown; ru_maxrss (includes Argon2id's 64 MiB)",
    )
    unlock_ms = []
    for _ in range(min(runs, 3)):
        peak, took = probes.memory_mb(work.folder, work.username, work.passphrase)
        row.samples.append(peak)
        unlock_ms.append(took)
    row.extra["fresh_process_unlock_ms"] = [round(t, 1) for t in unlock_ms]
    if not any(row.samples):
        row.samples.clear()
        row.missing = "not measured on this platform"
    return [row]


def pupil_review(bench: Bench) -> list[Row]:
    """The SENCO's review figures (issue 4: under 200 ms for a pupil with 300 records)
    for the pupil whose count of records is nearest 300, each run on a fresh connection
    (as after signing in); and, once, for the pupil with the most records."""
    from incident_recorder.services.review import ReviewService
    from tests.benchmarks.issue4 import review_pupils

    figures = bench.figures
    (near_id, near_n), (most_id, most_n) = review_pupils(figures)

    def timed(pupil_id: int, held: int) -> float:
        with figures.session() as session:
            started = time.perf_counter()
            review = ReviewService(session, RENDERER).pupil_review(pupil_id)
            took = (time.perf_counter() - started) * 1000
        assert review.incidents == held
        return took

    times: list[float] = []
    for run in range(bench.runs + 1):
        took = timed(near_id, near_n)
        if run:  # the first run warms the file cache
            times.append(took)
    most_ms = timed(most_id, most_n)
    return [
        Row(
            "pupil review figures",
            Target.AT_MOST,
            200,
            samples=times,
            note=f"ReviewService.pupil_review of a pupil with {near_n:,} records (their "
            "submitted records read in full, plan versions, every figure; fresh connection); "
            f"the pupil with the most records ({most_n:,}): {most_ms:,.0f} ms",
            extra={
                "incidents": near_n,
                "most_records": most_n,
                "most_records_ms": round(most_ms, 1),
            },
        )
    ]
