"""Checking and restoring a backup of the full-size database (issue 12).

- **backups check of one generation**: the backup opened read only and checked as
  ``backups check`` does (SQLCipher's page check, SQLite's integrity and foreign-key
  checks, the audit chain and every record version's fingerprint); floor: SQLCipher's
  and SQLite's own checks alone on the same file.
- **restore with its verification**: ``RestoreService.restore`` from an unlocked backup
  (the same checks, what the current database holds, the copy under a hidden name, the
  current files moved aside, the database opened and the restore audited); floor: the
  same check plus a plain file copy of the same file, i.e. the least a restore that
  verifies before it copies can do.

Runs at most twice each (every run reads the whole file several times).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks.report import Row, Target

if TYPE_CHECKING:
    from tests.benchmarks.sections import Bench


def restore_rows(bench: Bench) -> list[Row]:
    from incident_recorder.domain.backups import MANUAL
    from incident_recorder.services.restore import RestoreService, UnlockedBackup
    from incident_recorder.services.session import SystemClock
    from incident_recorder.store.backup import DATABASE_FILE, open_read_only
    from incident_recorder.store.database import SqlStoreFactory
    from incident_recorder.store.restore import SqlBackupRestorer
    from incident_recorder.store.vault import FileKeyVault

    work = bench.work
    runs = min(2, bench.runs)
    scratch = Path(tempfile.mkdtemp(prefix="restore-", dir=work.folder.parent))
    try:
        folder = scratch / "data"
        shutil.copytree(work.folder, folder)
        key = FileKeyVault(folder).unlock(work.username, work.passphrase)
        stores = SqlStoreFactory(folder)
        store = stores.open(key)
        try:
            made = store.backups.make(MANUAL, datetime.now(UTC))

            def check_once() -> list[str]:
                return store.backups.check(made.name, key)

            copy = folder / "backups" / made.name / DATABASE_FILE

            def sqlite_checks() -> None:
                db = open_read_only(copy, key)
                try:
                    db.all("PRAGMA cipher_integrity_check")
                    db.all("PRAGMA integrity_check")
                    db.all("PRAGMA foreign_key_check")
                finally:
                    db.close()

            check = Row(
                "backups check of one generation",
                Target.RATIO,
                2.0,
                floor_name="SQLCipher's and SQLite's checks alone",
                note=f"{made.size_bytes / 1e6:,.0f} MB backup, read only: page check, "
                "integrity, foreign keys, audit chain and record fingerprints",
            )
            for _ in range(runs):
                began = time.perf_counter()
                problems = check_once()
                check.samples.append((time.perf_counter() - began) * 1000)
                if problems:
                    raise RuntimeError(f"the benchmark's backup failed its check: {problems}")
                began = time.perf_counter()
                sqlite_checks()
                check.floor_samples.append((time.perf_counter() - began) * 1000)
        finally:
            store.close()

        restorer = SqlBackupRestorer(folder, stores.migrations().latest)
        service = RestoreService(
            restorer, stores, FileKeyVault(folder), FileKeyVault, SystemClock()
        )
        generation = restorer.local_generations()[-1]

        def check_again(name: str) -> None:
            checking = stores.open(key)
            try:
                checking.backups.check(name, key)
            finally:
                checking.close()

        restore = Row(
            "restore with its verification",
            Target.RATIO,
            1.3,
            floor_name="the same checks + a plain file copy",
            note="an unlocked backup checked, the current database kept aside, the copy "
            "put in place, opened and the restore audited (no passphrase check)",
        )
        for _ in range(runs):
            unlocked = UnlockedBackup(generation, bytearray(key), work.username, True)
            began = time.perf_counter()
            service.restore(unlocked)
            restore.samples.append((time.perf_counter() - began) * 1000)
            shutil.rmtree(folder / "replaced", ignore_errors=True)
            began = time.perf_counter()
            check_again(generation.name)
            shutil.copyfile(copy, scratch / "plain-copy.db")
            restore.floor_samples.append((time.perf_counter() - began) * 1000)
            (scratch / "plain-copy.db").unlink()
        return [check, restore]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
