"""The database file's faults on the command line, in subprocesses: a database written by
a newer version of the app, another program holding the file (as a virus scan does),
and a full disk.

For the second, a holder process opens the real encrypted database with its own
SQLCipher connection and the same key, takes it for itself (``locking_mode =
EXCLUSIVE`` and ``BEGIN EXCLUSIVE``: no other connection can read or write it), says so
by making a file, and only then is the command started; the holder lets go after a few
seconds, or after longer than the app's retry window (store/connection.py,
BUSY_WINDOW_SECONDS).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import sqlcipher3

from incident_recorder.store.connection import BUSY_WINDOW_SECONDS
from incident_recorder.store.migrate import MigrationSet
from incident_recorder.store.vault import FileKeyVault
from tests.e2e.conftest import ADMIN_PASSPHRASE as ADMIN
from tests.e2e.conftest import Run
from tests.integration.faults.mounts import fill, small_filesystem

DEMO_USER, DEMO_PASSPHRASE = "demo", "orchard kettle demo"
LATEST = MigrationSet.bundled().latest

HOLDER = """
import os, sys, time, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA key = \\"x'" + os.environ["HOLDER_KEY"] + "'\\"")
conn.execute("PRAGMA busy_timeout = 5000")
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
open(sys.argv[2], "w").close()          # the lock is held: the test may start the command
time.sleep(float(sys.argv[3]))
conn.execute("ROLLBACK")
conn.close()                            # the exclusive lock goes with the connection
"""


def _key(folder: Path) -> bytes:
    return FileKeyVault(folder).unlock(DEMO_USER, DEMO_PASSPHRASE)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hold(folder: Path, seconds: float, marker: Path) -> subprocess.Popen[bytes]:
    """A holder process with the database taken; returns once it really holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder / "incidents.db"), str(marker), str(seconds)],
        env={**os.environ, "HOLDER_KEY": _key(folder).hex()},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert holder.poll() is None, "the holder stopped before it took the file"
        assert time.monotonic() < deadline, "the holder never took the file"
        time.sleep(0.01)
    return holder


def _records(cli: Run, folder: Path) -> list[str]:
    listed = cli("list", "--data-dir", folder)
    assert listed.code == 0, listed.err
    return listed.out.splitlines()


def test_a_file_held_for_a_few_seconds_is_waited_for_and_nothing_is_lost(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    before = _records(cli, demo)
    assert len(before) > 10
    holder = _hold(demo, 3.0, tmp_path / "held")
    started = time.monotonic()
    listed = cli("list", "--data-dir", demo)
    took = time.monotonic() - started
    assert holder.wait(timeout=60) == 0
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == before  # every record, as before
    assert took >= 2.5, took  # it really waited for the holder
    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 0, verified.out + verified.err
    print(f"\nheld 3.0 s: the command waited and succeeded after {took:.1f} s, 0 records lost")


def test_a_file_held_longer_than_the_retries_gives_a_plain_message_and_nothing_is_lost(
    cli: Run, demo: Path, tmp_path: Path
) -> None:
    before = _records(cli, demo)
    database = _digest(demo / "incidents.db")
    holder = _hold(demo, BUSY_WINDOW_SECONDS + 8, tmp_path / "held")
    try:
        listed = cli("list", "--data-dir", demo)
        assert holder.poll() is None, "the holder let go before the command gave up"
    finally:
        holder.wait(timeout=60)
    assert listed.code == 2, (listed.code, listed.err)
    message = listed.err.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith("Another program is holding the database file"), message
    assert "Nothing saved before has changed" in message
    assert "Something went wrong" not in message
    assert listed.out == ""
    assert _digest(demo / "incidents.db") == database  # no damaged file
    assert not (demo / "incidents.db-journal").exists()
    assert _records(cli, demo) == before
    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 0, verified.out + verified.err
    print(f"\nheld past the {BUSY_WINDOW_SECONDS:.0f} s window: plain message, 0 records lost")


def _make_newer(folder: Path, by: int) -> None:
    conn = sqlcipher3.connect(str(folder / "incidents.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{_key(folder).hex()}'\"")
    conn.execute(f"PRAGMA user_version = {LATEST + by}")
    conn.close()


def test_a_database_from_a_newer_version_is_refused_naming_both_versions(
    cli: Run, demo: Path
) -> None:
    _make_newer(demo, 2)
    files = {p.name: _digest(p) for p in demo.iterdir() if p.name.startswith("incidents.db")}
    for command in (["list"], ["verify"], ["backup"]):
        result = cli(*command, "--data-dir", demo)
        assert result.code == 2, (command, result.code, result.out, result.err)
        message = result.err.strip()
        assert len(message.splitlines()) == 1, message
        assert f"it is at schema version {LATEST + 2}" in message, message
        assert f"this version of the app knows schema versions up to {LATEST}" in message
        assert "install the newer version of Incident Recorder that made it" in message
        assert "Something went wrong" not in message and "passphrase" not in message
        assert result.out == "", result.out
        now = {p.name: _digest(p) for p in demo.iterdir() if p.name.startswith("incidents.db")}
        assert now == files, command  # untouched, and no -wal or -shm left


def _kept(folder: Path) -> dict[str, str]:
    """Every file's name, and the digest of each but the log and the lock file (whose
    last page may still take a line on a full disk)."""
    return {
        p.name: "" if p.name.startswith("incident-recorder.") else _digest(p)
        for p in folder.iterdir()
    }


def test_a_full_disk_gives_plain_messages_and_leaves_nothing_behind(
    cli: Run, tmp_path: Path
) -> None:
    """Found when the build was broken: on a full disk every command ended in "Something
    went wrong (OSError)" (the lock file's details could not be written) with logging's
    own traceback, and a 3-byte -shm was left. Now: ``verify`` checks as usual, commands
    that would write say the disk is full, and nothing is left beside the database."""
    with small_filesystem(tmp_path / "tiny", "4m") as tiny:
        school = tiny / "school"
        made = cli(
            *("init", "--data-dir", school, "--school", "Test School", "--admin", "admin"),
            passphrase=ADMIN,
        )
        assert made.code == 0, made.err
        filler = fill(tiny)
        files = _kept(school)
        outcomes = {}
        for command in (["verify"], ["list"], ["backup"]):
            result = cli(*command, "--user", "admin", "--data-dir", school, passphrase=ADMIN)
            outcomes[command[0]] = result
            assert "Something went wrong" not in result.err, (command, result.err)
            assert "Logging error" not in result.err and "Traceback" not in result.err
            assert _kept(school) == files, command  # no -wal, no stub -shm, nothing changed
        assert outcomes["verify"].code == 0, outcomes["verify"].err
        assert outcomes["verify"].out.startswith("OK: database intact")
        for name in ("list", "backup"):
            assert outcomes[name].code == 2, (name, outcomes[name].err)
            assert outcomes[name].err.strip().startswith("The disk is full"), outcomes[name].err
        filler.unlink()  # space freed: the same commands work, without anything else
        again = cli("backup", "--user", "admin", "--data-dir", school, passphrase=ADMIN)
        assert again.code == 0, again.err
