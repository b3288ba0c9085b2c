"""Backups on the full-size database (issue 12): how long one takes against a plain copy
of the same file, how big it is on disk, and the GUI thread's longest stall while one
runs the way the app makes them.

- **backup vs file copy**: ``BackupService.back_up`` (the audit entry, ``sqlcipher_export``
  in one read transaction, the copy's integrity check read back, the keyring and the
  manifest, the thinning) against ``shutil.copyfile`` of the live ``incidents.db`` into
  the same folder and flushed to disk (the floor: the bytes written and made durable, as
  a backup must be). Target: ratio ≤ 3.
- **size on disk**: the generation's folder (database, keyring, manifest) against the
  live database file. Target: ratio ≤ 1.1 (the export leaves no free pages).
- **GUI stall**: the backup started on the shell's :class:`BackupRunner` (its worker opens
  its own connection from a session handed on, as on lock or on the automatic timer),
  the status bar's line shown when it ends from the status the worker read, as the main
  window does; a zero-interval
  GUI timer notes the worst gap (tests/benchmarks/stalls.py). Target: 100 ms.

Each generation is removed after it is measured, so the working copy does not fill up.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks.report import Row, Target
from tests.benchmarks.stalls import STALL_LIMIT_MS, StallMeter, _settle, _wait

if TYPE_CHECKING:
    from incident_recorder.domain.backups import Generation
    from tests.benchmarks.sections import Bench


def backups(bench: Bench) -> list[Row]:
    timing, size = _backup_against_copy(bench)
    return [timing, _against_the_cipher(bench, timing.samples), size, _stall(bench)]


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _remove(generation: Generation) -> None:
    shutil.rmtree(Path(generation.location) / generation.name, ignore_errors=True)


def _durable_copy(source: Path, target: Path) -> None:
    """The floor: the file copied and flushed to disk (a backup must survive a power cut)."""
    shutil.copyfile(source, target)
    with target.open("rb+") as copied:
        os.fsync(copied.fileno())


CHUNK = 16 * 1024 * 1024


def _decrypt_and_encrypt_every_page(source: Path, target: Path) -> None:
    """The honest floor of an encrypted backup that is never plaintext: every byte of
    the file decrypted and its HMAC computed, then encrypted again and its HMAC computed
    again (AES-256-CBC and HMAC-SHA512, SQLCipher 4's own), written and flushed. Done
    with the ``cryptography`` package on 16 MiB at a time, so it is the crypto's cost
    alone and a little under the real one (SQLCipher runs the cipher and the HMAC once a
    4 KiB page, with a fresh IV each; the keys here are random: only the cost counts)."""
    from cryptography.hazmat.primitives import hashes, hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, mac_key = os.urandom(32), os.urandom(64)
    opened = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16))).decryptor()
    sealer = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16))).encryptor()
    checked, signed = hmac.HMAC(mac_key, hashes.SHA512()), hmac.HMAC(mac_key, hashes.SHA512())
    with source.open("rb") as read, target.open("wb") as write:
        while chunk := read.read(CHUNK):
            checked.update(chunk)
            sealed = sealer.update(opened.update(chunk))
            signed.update(sealed)
            write.write(sealed)
        checked.finalize()
        signed.finalize()
        write.flush()
        os.fsync(write.fileno())


def _against_the_cipher(bench: Bench, made_ms: list[float]) -> Row:
    live = bench.work.folder / "incidents.db"
    target = bench.work.folder / "backups" / "cipher-floor.db"
    floor_ms: list[float] = []
    for _ in range(bench.runs):
        started = time.perf_counter()
        _decrypt_and_encrypt_every_page(live, target)
        floor_ms.append((time.perf_counter() - started) * 1000)
        target.unlink()
    return Row(
        "backup (full size) vs decrypting and encrypting every page",
        Target.RATIO,
        3,
        samples=list(made_ms),
        floor_samples=floor_ms,
        floor_name="the file decrypted, HMAC'd, encrypted, HMAC'd, fsynced",
        note="the same backups as the row above, against the work no encrypted backup "
        "that never holds plaintext can skip: the live file through AES-256-CBC and "
        "HMAC-SHA512 both ways (cryptography, 16 MiB at a time, without SQLite), written "
        "and flushed",
    )


def _backup_against_copy(bench: Bench) -> tuple[Row, Row]:
    from incident_recorder.domain.backups import MANUAL
    from tests.fakes import services_for

    figures = bench.figures
    live = bench.work.folder / "incidents.db"
    copy_to = bench.work.folder / "backups" / "plain-copy.db"
    copy_to.parent.mkdir(exist_ok=True)
    made_ms: list[float] = []
    copied_ms: list[float] = []
    sizes: list[float] = []
    live_sizes: list[float] = []
    with figures.session() as session:
        services = services_for(session)
        shutil.copyfile(live, copy_to)  # the file cache warm on both sides
        copy_to.unlink()
        for _ in range(bench.runs):
            started = time.perf_counter()
            _durable_copy(live, copy_to)
            copied_ms.append((time.perf_counter() - started) * 1000)
            copy_to.unlink()
            started = time.perf_counter()
            outcome = services.backups.back_up(MANUAL)
            made_ms.append((time.perf_counter() - started) * 1000)
            made = outcome.made
            assert made is not None
            sizes.append(_folder_bytes(Path(made.location) / made.name) / 1e6)
            live_sizes.append(live.stat().st_size / 1e6)
            _remove(made)
    timing = Row(
        "backup (full size) vs plain file copy",
        Target.RATIO,
        3,
        samples=made_ms,
        floor_samples=copied_ms,
        floor_name="copy of incidents.db, fsynced",
        note="BackupService.back_up: audit entry, sqlcipher_export in one read "
        "transaction, every page's HMAC of the copy read back (cipher_integrity_check), "
        "keyring and manifest, "
        "thinning; against a plain copy of the live file into the same folder, flushed to disk "
        "(shutil.copyfile, fsync)",
    )
    size = Row(
        "backup size on disk",
        Target.RATIO,
        1.1,
        unit="MB",
        samples=sizes,
        floor_samples=live_sizes,
        floor_name="the live incidents.db",
        note="the generation's folder (encrypted database, keyring, manifest) against the "
        "live database file",
    )
    return timing, size


def _stall(bench: Bench) -> Row:
    from incident_recorder.domain.backups import MANUAL
    from incident_recorder.services.backups import BackupOutcome, BackupStatus
    from incident_recorder.ui.backups.runner import BackupRunner
    from incident_recorder.ui.backups.words import status_text
    from tests.fakes import services_for

    figures = bench.figures
    meter = StallMeter()
    samples: list[float] = []
    took: list[float] = []
    with figures.session() as session:
        services = services_for(session)
        zone = services.school_timezone
        runner = BackupRunner()
        outcomes: list[BackupOutcome] = []
        today = services.backups.local_today()

        def finished(outcome: BackupOutcome, status: BackupStatus) -> None:
            status_text(status, zone, today)  # the status bar's line, as the window shows it
            outcomes.append(outcome)

        runner.backup_finished.connect(finished)
        for _ in range(bench.runs):
            _settle()
            started = time.perf_counter()
            with meter.measuring():
                runner.back_up(services.for_later(), MANUAL, only_if_changed=False)
                _wait(lambda: not runner.busy, 600)
            took.append(time.perf_counter() - started)
            samples.append(meter.worst_ms)
            made = outcomes[-1].made
            assert made is not None
            _remove(made)
    return Row(
        "GUI stall while a backup runs",
        Target.AT_MOST,
        STALL_LIMIT_MS,
        samples=samples,
        note="worst gap of a zero-interval GUI timer while the shell's backup runner makes a "
        "full-size backup on its worker (its own connection, opened from the session handed "
        "on), then the status line shown from what the worker read after it: "
        f"{sorted(took)[len(took) // 2]:.1f} s a backup",
    )
