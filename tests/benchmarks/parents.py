"""Issue 5's "parents to tell" figure: the list and its badge count on the benchmark
database, each run on a fresh connection (as after signing in). Target: as the incident
list, at most 150 ms."""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING

from tests.benchmarks.report import Row, Target

if TYPE_CHECKING:
    from tests.benchmarks.sections import Bench


def parents_to_tell(bench: Bench) -> list[Row]:
    from incident_recorder.services.parents import ParentsService

    figures, work = bench.figures, bench.work
    rows = []
    for who, username in (("", None), (" as Staff", work.staff_username)):
        listed: list[float] = []
        counted: list[float] = []
        found = 0
        for run in range(bench.runs + 1):
            with figures.session(username) as session:
                service = ParentsService(session)
                start = time.perf_counter()
                found = len(service.to_tell())
                middle = time.perf_counter()
                service.to_tell_count()
                end = time.perf_counter()
            if run:  # the first run warms the imports and the file cache
                listed.append((middle - start) * 1000)
                counted.append((end - middle) * 1000)
        rows.append(
            Row(
                f"parents to tell list{who}",
                Target.AT_MOST,
                150,
                samples=listed,
                note=f"of {work.size.incidents:,} records, {found:,} listed; fresh connection; "
                f"ParentsService.to_tell (badge count alone: {statistics.median(counted):.1f} "
                "ms)",
                extra={"count_ms": [round(c, 2) for c in counted], "listed": found},
            )
        )
    return rows
