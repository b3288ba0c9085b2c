"""Each figure of the benchmark as table rows: how it is measured, with its floor and
target (the targets are issue 3's)."""

from __future__ import annotations

import statistics

from tests.benchmarks import probes
from tests.benchmarks.build_db import NOW, Built
from tests.benchmarks.letter import NOT_BUILT
from tests.benchmarks.report import Row, Target

_figures = None


def _shared(work: Built, runs: int):  # type: ignore[no-untyped-def]
    """One Figures object (one QApplication, one working copy) for the in-process rows."""
    global _figures
    if _figures is None:
        from tests.benchmarks.figures import Figures

        _figures = Figures(work, runs)
    return _figures


def cold_start(work: Built, runs: int) -> list[Row]:
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


def unlock(work: Built, runs: int) -> list[Row]:
    figure, floor = _shared(work, runs).unlock()
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


def open_list(work: Built, runs: int) -> list[Row]:
    shown, service = _shared(work, runs).open_list()
    return [
        Row(
            f"open the incident list ({work.size.incidents:,})",
            Target.AT_MOST,
            150,
            samples=shown,
            note=f"fresh connection; the list panel built, first page loaded and painted "
            f"(the search query alone, warm: {statistics.median(service):.1f} ms)",
            extra={"service_warm_ms": [round(s, 2) for s in service]},
        )
    ]


def searches(work: Built, runs: int) -> list[Row]:
    figures = _shared(work, runs)
    rows = []
    for case in figures.search_cases():
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
    return rows


def submit(work: Built, runs: int) -> list[Row]:
    times = _shared(work, runs).submit()
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


def store_workload(work: Built, runs: int) -> list[Row]:
    from tests.benchmarks import workload

    figures = _shared(work, runs)
    key = figures._key
    encrypted, plain = work.stores(), work.stores(plaintext=True)
    store = encrypted.open(key)
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


def parent_letter(work: Built, runs: int) -> list[Row]:
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


def memory(work: Built, runs: int) -> list[Row]:
    _close_shared()
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
    row.extra["cold_process_unlock_ms"] = [round(t, 1) for t in unlock_ms]
    return [row]


def _close_shared() -> None:
    """Everything in-process is done: let the child processes have the database."""
    global _figures
    _figures = None
