"""A migration killed halfway (SIGKILL, as a power cut or the Task Manager would): the
database still opens, at its old schema or at a migration that had committed (each one
is its own transaction), passes its integrity checks, and holds every record; signing in
again finishes the migration. The figure is printed on the terminal, ``-s`` or not.

The child (tests/integration/faults/migrator.py) upgrades a copy of the oldest schema's
fixture and waits at a chosen step (the backup made first, any statement of any
migration, the checkpoint at the end) until it is killed; a few more runs are killed
after a random delay instead, wherever they happen to be.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from incident_recorder.store.backup import list_backups
from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory
from incident_recorder.store.migrate import MigrationSet

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
OLDEST = 1
LATEST = MigrationSet.bundled().latest
# Tables every schema has: their rows are the records that must not be lost.
TABLES: tuple[str, ...] = (
    "settings",
    "staff",
    "users",
    "pupils",
    "events",
    "incidents",
    "incident_versions",
    "audit",
)
AT_STEPS = 16
AT_RANDOM = 6


def _copy(folder: Path) -> bytes:
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"schema-{OLDEST:04d}.db", folder / DATABASE_NAME)
    return bytes.fromhex((FIXTURES / f"schema-{OLDEST:04d}.key").read_text().strip())


def _child(folder: Path, key: bytes, stop_at: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.faults.migrator", str(folder), str(stop_at)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MIGRATOR_KEY": key.hex()},
    )


def _steps(tmp_path: Path) -> int:
    """How many steps a whole upgrade reports (run once, to the end)."""
    folder = tmp_path / "whole"
    child = _child(folder, _copy(folder), -1)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return int(out.strip().splitlines()[-1].split()[2])


def _counts(folder: Path, key: bytes) -> tuple[int, dict[str, int], list[str]]:
    """The schema, the rows of each table and the integrity findings, read without
    writing (the checks a ``verify`` makes)."""
    store = SqlStoreFactory(folder).open_read_only(key)
    try:
        db = store.connection
        rows = {table: int(db.scalar(f"SELECT count(*) FROM {table}")) for table in TABLES}
        return store.schema_version, rows, store.integrity_problems()
    finally:
        store.close()


def _killed_at(folder: Path, key: bytes, stop_at: int | None, delay: float) -> str:
    """Run the child and SIGKILL it at step ``stop_at`` (or after ``delay`` seconds);
    returns where it was."""
    child = _child(folder, key, -1 if stop_at is None else stop_at)
    assert child.stdout is not None
    last = "before its first step"
    if stop_at is None:
        time.sleep(delay)
    else:
        for line in child.stdout:
            if line.strip() == "waiting":
                break
            last = line.strip()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return last


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
def test_a_migration_killed_halfway_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(12)
    total = _steps(tmp_path)
    reference = tmp_path / "reference"
    key = _copy(reference)
    old_version, old_rows, old_problems = _counts(reference, key)
    assert (old_version, old_problems) == (OLDEST, [])
    # Every run is killed: at chosen steps spread over the whole upgrade (the backup
    # first, statements of every migration, the checkpoint), and after random delays.
    chosen = {0, 1, total - 1}  # before the backup, the first statement, the checkpoint
    others = sorted(set(range(total)) - chosen)
    chosen |= set(rng.sample(others, min(AT_STEPS - len(chosen), len(others))))
    stops: list[int | None] = [*sorted(chosen), *[None] * AT_RANDOM]
    kills = lost = 0
    versions: list[int] = []
    for run, stop_at in enumerate(stops):
        folder = tmp_path / f"run-{run}"
        _copy(folder)
        _killed_at(folder, key, stop_at, delay=rng.uniform(0.05, 0.6))
        kills += 1
        version, rows, problems = _counts(folder, key)
        versions.append(version)
        assert OLDEST <= version <= LATEST, (stop_at, version)
        assert problems == [], (stop_at, version, problems)
        lost += sum(max(0, old_rows[t] - rows.get(t, 0)) for t in TABLES)
        assert rows == old_rows, (stop_at, version, rows)
        # Signing in again finishes the migration, with nothing lost.
        finish = _child(folder, key, -1)
        _out, err = finish.communicate(timeout=120)
        assert finish.returncode == 0, err
        store = SqlStoreFactory(folder).open(key)
        try:
            assert store.schema_version == LATEST
            assert store.integrity_problems() == []
            assert store.audit.verify() == []
            amended = store.incidents.by_reference("2025-0001")
            assert amended is not None and amended.version == 2
        finally:
            store.close()
        assert _counts(folder, key)[1] == old_rows
        # The safety copies made before migrating: a half-made one (killed while it was
        # being made) is never listed; each one listed opens and holds every record.
        for backup in list_backups(folder / "backups"):
            db = Connection.open_read_only(backup, key)
            try:
                assert db.scalar("PRAGMA integrity_check") == "ok", backup
                assert int(db.scalar("SELECT count(*) FROM incidents")) == old_rows["incidents"]
            finally:
                db.close()
    at_old = sum(1 for v in versions if v == OLDEST)
    figure = (
        f"migration killed {kills} times ({len(stops) - AT_RANDOM} at chosen steps of {total}, "
        f"{AT_RANDOM} at random moments): {lost} records lost; it opened at its old schema "
        f"{at_old} times and at a committed later one {kills - at_old} times (schemas "
        f"{', '.join(str(v) for v in sorted(set(versions)))})"
    )
    with capsys.disabled():
        print(f"\n{figure}")
    assert lost == 0
