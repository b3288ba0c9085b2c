"""``python -m tests.benchmarks [--quick] [--rebuild] [--runs N] [--json PATH]``

Builds (once, cached under tests/benchmarks/.cache/) a synthetic encrypted database the
size of a large multi-academy trust over ten years, then measures each figure as the
median of several runs beside its floor (what the bare stack does with the same work),
prints a table and writes JSON. Benchmarks are not tests: a slow figure is reported as
a MISS, never as a failure; the exit code is 0 unless the script itself breaks.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("INCIDENT_RECORDER_DATA", None)

from tests.benchmarks import build_db, machine
from tests.benchmarks.desk import desk
from tests.benchmarks.parents import parents_to_tell
from tests.benchmarks.plans import plans_text
from tests.benchmarks.report import Row, markdown, table, write_json
from tests.benchmarks.reports_screen import reports

DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small database (300 pupils, 1,000 incidents) to prove the script works",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure (default 7; 3 with --quick)"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the JSON")
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="SECTION",
        help="measure only this section (repeatable), e.g. --only backups",
    )
    args = parser.parse_args(argv)
    runs = max(1, args.runs or (3 if args.quick else 7))
    size = build_db.QUICK if args.quick else build_db.FULL
    # The store warns each time the unencrypted comparison database is opened.
    logging.getLogger("incident_recorder").setLevel(logging.ERROR)

    started = time.perf_counter()
    built = build_db.ensure(size, rebuild=args.rebuild)
    build_seconds = time.perf_counter() - started
    info = machine.describe()
    print(f"Machine: {machine.one_line(info)}")
    c = built.manifest["counts"]
    print(
        f"Database: {c['pupils']:,} pupils, {c['submitted']:,} submitted incidents "
        f"({c['amended']:,} amended, {c['versions']:,} versions), {c['drafts']} drafts, "
        f"{c['audit_entries']:,} audit entries, "
        f"{built.manifest['database_bytes'] / 1e6:,.0f} MB encrypted; {runs} runs a figure"
    )
    with build_db.working_copy(built) as work:
        rows = measure(work, runs, args.only)
    total = time.perf_counter() - started
    print()
    print(table(rows))
    for row in rows:
        if "query_plans" in row.extra:
            print("\nQuery plans (EXPLAIN QUERY PLAN):")
            print(plans_text(row.extra["query_plans"]))
    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": size.name,
        "runs": runs,
        "database": built.manifest,
        "machine": info,
        "load_average_at_end": machine.load_average(),
        "seconds": {"build_or_cache": round(build_seconds, 1), "total": round(total, 1)},
    }
    write_json(args.json, rows, meta)
    # The same figures as Markdown, ready for docs/performance.md.
    args.json.with_suffix(".md").write_text(
        f"Measured {meta['when']} on {machine.one_line(info)}.\n\n{markdown(rows)}\n", "utf-8"
    )
    load = machine.load_average()
    print(
        f"\nWritten to {args.json} in {total:.0f} s "
        f"({build_seconds:.0f} s of it finding or building the database)"
        + (f"; load average {load[0]:.2f} at the end." if load else ".")
    )
    return 0


def measure(work: build_db.Built, runs: int, only: list[str] | None = None) -> list[Row]:
    from tests.benchmarks import backups, issue4, restore, sections, stalls, trust

    bench = sections.Bench(work, runs)
    steps = [
        ("cold start", sections.cold_start),
        ("unlock", sections.unlock),
        ("the incident list", sections.open_list),
        ("parents to tell", parents_to_tell),
        ("the desk", desk),
        ("searches", sections.searches),
        ("submit", sections.submit),
        ("pupil review", sections.pupil_review),
        ("pupil review screen", issue4.review_screen),
        ("CSV import", issue4.csv_import),
        ("store workload", sections.store_workload),
        ("parent letter", sections.parent_letter),
        ("memory", sections.memory),
        # After the memory row: the figures grow this process by ~150 MB (20,000 pupils,
        # two years of records), and a child started afterwards reports that high-water
        # mark as its own ru_maxrss.
        ("reports", reports),  # issue 14: the Reports screen and the governors' PDF
        ("backups", backups.backups),
        ("restore", restore.restore_rows),
        ("trust roll-up", trust.trust),
        # Last: the migration row grows this process by several hundred MB, and on Linux a
        # child started afterwards reports that high-water mark as its own ru_maxrss.
        ("GUI stalls", stalls.stalls),
    ]
    if only:
        steps = [(label, step) for label, step in steps if label in only]
    rows: list[Row] = []
    for label, step in steps:
        began = time.perf_counter()
        print(f"Measuring {label}…", end="", flush=True)
        rows.extend(step(bench))
        print(f" {time.perf_counter() - began:.1f} s", flush=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())
