"""A damaged database on the command line, in subprocesses, as school IT would meet it.

Each test damages a copy of the demo's real encrypted file (one byte changed in a page,
including the last pages, where the audit log lives; a page overwritten with zeros; the
file cut short), then runs the commands. Every damaged copy must give the plain
"damaged" answer: ``verify`` exits 1 and names what it found, ``list`` refuses (exit 2)
and prints no record, and neither writes a byte to the file it was given.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident_recorder.infra.paths import DataFolder
from tests.e2e.conftest import REPO, Run

PAGE = 4096
DAMAGED = "The database file is damaged"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    """The database's files, byte for byte (the log and the lock file may change)."""
    return {p.name: _digest(p) for p in sorted(folder.iterdir()) if p.name.startswith("incidents")}


def _pages(folder: Path) -> int:
    return (folder / "incidents.db").stat().st_size // PAGE


def _flip(folder: Path, page: int, at: int = 1000) -> None:
    """Change one byte of ``page`` (numbered from 1), as a failing disk might."""
    path = folder / "incidents.db"
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE + at] ^= 0x5A
    path.write_bytes(bytes(data))


def _zero(folder: Path, page: int) -> None:
    path = folder / "incidents.db"
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = bytes(PAGE)
    path.write_bytes(bytes(data))


def _truncate(folder: Path, pages: int) -> None:
    path = folder / "incidents.db"
    path.write_bytes(path.read_bytes()[: pages * PAGE])


def _damage(folder: Path, how: str) -> None:
    last = _pages(folder)
    kind, _, where = how.partition(":")
    page = {"first": 1, "second": 2, "middle": last // 2, "last": last}.get(where)
    if page is None:
        page = last - int(where.removeprefix("last-"))
    if kind == "flip":
        _flip(folder, page, at=20 if page == 1 else 1000)  # past page 1's plain salt
    elif kind == "zero":
        _zero(folder, page)
    else:
        _truncate(folder, page)


DAMAGES = [
    "flip:first",
    "flip:second",
    "flip:middle",
    "flip:last-3",
    "flip:last-2",
    "flip:last-1",
    "flip:last",
    "zero:second",
    "zero:middle",
    "zero:last",
    "cut:middle",
    "cut:last-1",
]


@pytest.mark.parametrize("how", DAMAGES)
def test_every_damaged_copy_is_reported_as_damage_and_left_unchanged(
    demo: Path, cli: Run, how: str
) -> None:
    _damage(demo, how)
    before = _files(demo)

    verified = cli("verify", "--data-dir", demo)
    assert verified.code == 1, verified.out + verified.err
    assert "Something went wrong" not in verified.err and "Traceback" not in verified.err
    assert verified.out.startswith("PROBLEM: ")
    assert re.search(r"verify found \d+ problems?\. Nothing was changed", verified.out)
    assert _files(demo) == before  # verify wrote nothing: no sign-in entry, no log files

    listed = cli("list", "--data-dir", demo)
    assert listed.code == 2, listed.out + listed.err
    assert listed.out == ""  # not one record
    assert listed.err.startswith(DAMAGED) and "Nothing was changed" in listed.err
    assert "passphrase" not in listed.err
    assert _files(demo) == before


@pytest.mark.parametrize(
    "command",
    [
        ("list", "--json"),
        ("pupils", "list"),
        ("user", "add", "x.young", "--full-name", "Xavier Young"),
    ],
)
def test_other_commands_refuse_a_damaged_file_without_partial_data(
    demo: Path, cli: Run, command: tuple[str, ...]
) -> None:
    _flip(demo, _pages(demo) // 3)
    before = _files(demo)
    result = cli(*command, "--data-dir", demo, INCIDENT_RECORDER_NEW_PASSPHRASE="harbour tulip 7")
    assert result.code == 2, result.out + result.err
    assert result.out == "" and result.err.startswith(DAMAGED)
    assert _files(demo) == before


def test_verify_writes_nothing_to_a_sound_database(demo: Path, cli: Run) -> None:
    before = _files(demo)
    result = cli("verify", "--data-dir", demo)
    assert result.code == 0, result.out + result.err
    assert _files(demo) == before  # no audit entry, no -wal or -shm left behind
    again = cli("verify", "--data-dir", demo)
    assert again.out == result.out  # the same chain head: verify added no entry


def test_verify_notices_dropped_protective_rules_and_names_them(demo: Path, cli: Run) -> None:
    from incident_recorder.services.demo import DEMO_PASSPHRASE
    from incident_recorder.store import FileKeyVault
    from incident_recorder.store.connection import Connection

    key = FileKeyVault(demo).unlock("demo", DEMO_PASSPHRASE)
    db = Connection.open(DataFolder(demo).database, key)
    try:  # as someone with the key and a SQL tool might; the records themselves untouched
        db.execute("DROP TRIGGER incident_versions_no_update")
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute("DROP INDEX IF EXISTS incidents_by_pupil")
    finally:
        db.close()
    result = cli("verify", "--data-dir", demo)
    assert result.code == 1, result.out + result.err
    assert "(trigger 'incident_versions_no_update') is missing" in result.out
    assert "(trigger 'audit_no_delete') is missing: it stops audit entries" in result.out
    assert "changed outside Incident Recorder" in result.out
    listed = cli("list", "--data-dir", demo)  # and ordinary use notices it too
    assert listed.code == 2 and listed.err.startswith(DAMAGED) and listed.out == ""


def test_verify_names_the_newest_backup_or_says_there_is_none(demo: Path, cli: Run) -> None:
    from incident_recorder.services.demo import DEMO_PASSPHRASE
    from incident_recorder.store import FileKeyVault
    from incident_recorder.store.database import SqlStoreFactory

    _flip(demo, _pages(demo) - 1)
    none = cli("verify", "--data-dir", demo)
    assert none.code == 1
    assert "There is no backup in" in none.out and "latest good backup" not in none.out
    assert "docs/backups.md" in none.out

    key = FileKeyVault(demo).unlock("demo", DEMO_PASSPHRASE)
    folder = demo.parent / "sound"
    folder.mkdir()
    for name in ("incidents.db", "keyring.json"):
        (folder / name).write_bytes((demo.parent / "demo-pristine" / name).read_bytes())
    store = SqlStoreFactory(folder).open(key)
    try:  # two backups of the sound copy, put beside the damaged file
        older = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
        newer = datetime(2026, 3, 9, 16, 45, tzinfo=UTC)
        store.backups.make("manual", older)
        store.backups.make("manual", newer)
    finally:
        store.close()
    (folder / "backups").rename(demo / "backups")
    named = cli("verify", "--data-dir", demo, TZ="UTC")
    assert named.code == 1
    assert "The newest backup was made on 09/03/2026 16:45" in named.out
    assert "Administration ▸ Backups" in named.out and "incident-recorder restore" in named.out


@pytest.fixture
def demo(demo: Path) -> Path:
    """The demo copy, with a second, untouched copy of its files beside it."""
    pristine = demo.parent / "demo-pristine"
    pristine.mkdir()
    for name in ("incidents.db", "keyring.json"):
        (pristine / name).write_bytes((demo / name).read_bytes())
    return demo


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_RECORDER_")}
    environment.update(
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        INCIDENT_RECORDER_FAST_KDF="1",
        QT_QPA_PLATFORM="offscreen",
    )
    return environment


@pytest.mark.parametrize("command", [["list"], ["list", "--json"]])
def test_output_whose_reader_has_gone_ends_quietly(demo: Path, command: list[str]) -> None:
    """The reader goes before the command writes (as ``| true`` or a closed window
    does): no "Something went wrong", no trace; 141 as the shell's own tools."""
    process = subprocess.Popen(
        [sys.executable, "-m", "incident_recorder", *command, "--data-dir", str(demo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=_environment(),
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # signing in takes a moment: nothing has been written yet
    err = process.stderr.read().decode("utf-8")
    code = process.wait(timeout=60)
    assert "Something went wrong" not in err and "Traceback" not in err, err
    assert err == "", err
    assert code == 141


def test_output_piped_into_head_ends_quietly(demo: Path) -> None:
    """``incident-recorder list | head -1``: head takes one line and goes."""
    if sys.platform == "win32":
        pytest.skip("a POSIX shell pipeline")
    command = (
        f"set -o pipefail; {shlex.quote(sys.executable)} -m incident_recorder list "
        f"--data-dir {shlex.quote(str(demo))} | head -1"
    )
    started = time.monotonic()
    done = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=REPO,
        timeout=60,
    )
    assert re.match(r"^\d{4}-\d{4} ", done.stdout) and done.stdout.count("\n") == 1
    assert done.stderr == "", done.stderr
    assert done.returncode in (0, 141)  # 0 if every line fitted in the pipe before head went
    assert time.monotonic() - started < 60
