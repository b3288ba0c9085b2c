"""Issue 13's safeguarding desk on the benchmark database: the badge's count (run on a
worker thread in the app) and the desk window's three lists, as the safeguarding lead,
each run on a fresh connection (as after signing in). Targets: the count as the
parents' badge, the lists as the incident list's first page."""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING

from tests.benchmarks.report import Row, Target

if TYPE_CHECKING:
    from tests.benchmarks.sections import Bench


def desk(bench: Bench) -> list[Row]:
    from incident_recorder.services.desk import DeskService

    figures, work = bench.figures, bench.work
    counted: list[float] = []
    listed: list[float] = []
    waiting = 0
    rows_shown = 0
    for run in range(bench.runs + 1):
        with figures.session(None) as session:
            service = DeskService(session)
            start = time.perf_counter()
            waiting = service.waiting_count()
            middle = time.perf_counter()
            rows_shown = len(service.to_sign_off()) + len(service.referrals())
            rows_shown += len(service.amendment_requests())
            end = time.perf_counter()
        if run:  # the first run warms the imports and the file cache
            counted.append((middle - start) * 1000)
            listed.append((end - middle) * 1000)
    return [
        Row(
            "the desk: badge count",
            Target.AT_MOST,
            150,
            samples=counted,
            note=f"of {work.size.incidents:,} records, {waiting:,} waiting; fresh connection; "
            "DeskService.waiting_count (on a worker thread in the app)",
        ),
        Row(
            "the desk: the three lists",
            Target.AT_MOST,
            500,
            samples=listed,
            note=f"{rows_shown:,} rows (the oldest 100 of each list); to_sign_off reads each "
            f"record's details, contacts and copies (median {statistics.median(listed):.0f} ms)",
        ),
    ]
