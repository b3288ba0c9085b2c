"""A data folder that can only be read, on the command line, in subprocesses.

Two ways a school meets it: the folder's permissions (this Windows account may read but
not change it) and read-only media (a write-protected USB stick, a CD). The tests run as
root, whom permissions do not stop, so for permissions the command runs as root with the
powers to bypass them taken away (``setpriv --bounding-set=-dac_override,...``) over a
folder chmod-ed read-only; read-only media is a read-only bind mount of the folder.

Signing in writes to the audit log, so commands that sign in are refused plainly (exit
2, one line naming the folder and what to do); ``verify``, ``backups list`` and
``--self-check`` still work. Whatever is run, every file in the folder is byte for byte
as it was, and nothing is made in it (no ``-wal``, ``-shm``, lock, log or temporary file).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Result
from tests.integration.faults.mounts import read_only_view

PASSPHRASE = "quiet meadow lantern"
REFUSED = "can only be read, not written to, by this account"
NO_LOG = "could not be opened (the folder can only be read)"
NO_PERMISSION_POWERS = "-dac_override,-dac_read_search,-fowner"


def _files(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: its SHA-256, or "folder"."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _run(prefix: list[str], *args: str | Path) -> Result:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_RECORDER_")}
    environment.update(
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        INCIDENT_RECORDER_FAST_KDF="1",
        INCIDENT_RECORDER_PASSPHRASE=PASSPHRASE,
        PYTHONIOENCODING="utf-8",
        PYTHONDONTWRITEBYTECODE="1",
        QT_QPA_PLATFORM="offscreen",
    )
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "incident_recorder", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A school with a submitted record and a backup, made once."""
    folder = tmp_path_factory.mktemp("ro") / "school"
    made = _run([], "init", "--data-dir", folder, "--school", "Test School", "--admin", "admin")
    assert made.code == 0, made.err
    backup = _run([], "backup", "--data-dir", folder, "--user", "admin")
    assert backup.code == 0, backup.err
    return folder


def _without_root_powers() -> list[str]:
    """The prefix that runs a command without root's powers to ignore permissions
    (nothing when the tests do not run as root)."""
    if not sys.platform.startswith("linux") or shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run a command without root's powers")
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--bounding-set={NO_PERMISSION_POWERS}", "--"]


def _permissions_forbid(
    school: Path, tmp_path: Path, files_only: bool = False
) -> Iterator[tuple[Path, list[str]]]:
    folder = tmp_path / "school"
    shutil.copytree(school, folder)
    prefix = _without_root_powers()
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if files_only:
        folder.chmod(0o755)  # the folder writable, every file in it read-only
    target = folder / "incidents.db" if files_only else folder / "probe"
    probe = subprocess.run(  # opening the file for appending needs leave to write
        [*prefix, "sh", "-c", ': >> "$1"', "sh", str(target)], check=False, capture_output=True
    )
    if probe.returncode == 0:  # (a probe file made in tmp_path does no harm)
        pytest.skip("this machine lets the test's account write to a read-only file")
    try:
        yield folder, prefix
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _media(school: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    folder = tmp_path / "school"
    shutil.copytree(school, folder)
    with read_only_view(folder, tmp_path / "media") as view:
        yield view, []


WAYS: dict[str, Callable[[Path, Path], Iterator[tuple[Path, list[str]]]]] = {
    "permissions": _permissions_forbid,
    "files read-only": lambda school, tmp_path: _permissions_forbid(school, tmp_path, True),
    "read-only media": _media,
}


@pytest.fixture(params=list(WAYS))
def read_only(
    request: pytest.FixtureRequest, school: Path, tmp_path: Path
) -> Iterator[tuple[Path, list[str]]]:
    yield from WAYS[request.param](school, tmp_path)


SIGNS_IN = [
    ("list", "--user", "admin"),
    ("export", "--user", "admin", "--json", "OUT"),
    ("backup", "--user", "admin"),
    ("backups", "check", "--user", "admin"),
]


def test_commands_that_sign_in_are_refused_plainly_and_nothing_changes(
    read_only: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, prefix = read_only
    before = _files(folder)
    outside = tmp_path / "outside"
    outside.mkdir()
    outside.chmod(0o777)
    for command in SIGNS_IN:
        args = [str(outside / "export.json") if a == "OUT" else a for a in command]
        result = _run(prefix, *args, "--data-dir", folder)
        assert result.code == 2, (command, result.code, result.err)
        message = result.err.strip()
        assert len(message.splitlines()) == 1, (command, message)
        assert REFUSED in message and str(folder) in message, (command, message)
        assert "ask your it support" in message.lower(), message
        assert "copy the whole folder to this PC" in message, message
        assert "Something went wrong" not in result.err
        assert result.out == "", (command, result.out)
        assert _files(folder) == before, command  # nothing changed, nothing made
    assert not (outside / "export.json").exists()
    print(f"\n{len(SIGNS_IN)} commands refused, {len(before)} files unchanged, none made")


def test_verify_backups_list_and_self_check_still_work_and_nothing_changes(
    read_only: tuple[Path, list[str]],
) -> None:
    folder, prefix = read_only
    before = _files(folder)
    assert any(name.endswith("incidents.db") and "backups" in name for name in before)

    verify = _run(prefix, "verify", "--user", "admin", "--data-dir", folder)
    assert verify.code == 0, verify.err
    assert verify.out.startswith("OK: database intact, audit chain of"), verify.out
    assert NO_LOG in verify.err  # the log is not the reason it cannot open: one line
    assert len(verify.err.strip().splitlines()) == 1, verify.err
    assert _files(folder) == before

    listing = _run(prefix, "backups", "list", "--data-dir", folder)
    assert listing.code == 0, listing.err
    assert "1 backup." in listing.out, listing.out
    assert _files(folder) == before

    check = _run(prefix, "--self-check", "--data-dir", folder)
    assert "Something went wrong" not in check.err
    assert check.code == 1, check.out  # the folder's line fails; the rest is reported
    assert "FAIL  Data folder writable" in check.out, check.out
    assert "PASS  SQLCipher" in check.out
    assert _files(folder) == before

    wrong = _run(prefix, "verify", "--user", "nobody-here", "--data-dir", folder)
    assert wrong.code == 2, wrong.err
    assert "do not match" in wrong.err and "Something went wrong" not in wrong.err
    assert _files(folder) == before


def test_a_writable_folder_is_still_locked_and_logged_by_verify(
    school: Path, tmp_path: Path
) -> None:
    """The read-only path is taken only when the folder cannot be written: a writable
    one gets its lock file and its log as before."""
    folder = tmp_path / "school"
    shutil.copytree(school, folder)
    (folder / "incident-recorder.log").unlink()
    result = _run([], "verify", "--user", "admin", "--data-dir", folder)
    assert result.code == 0, result.err
    assert result.err == ""
    assert (folder / "incident-recorder.log").is_file()


def test_a_read_only_database_file_in_a_writable_folder_is_refused_leaving_no_side_files(
    school: Path, tmp_path: Path
) -> None:
    """Opened anyway, SQLite reads a read-only database but leaves a -wal and a -shm it
    cannot remove beside it, and signing in then fails on its first write."""
    prefix = _without_root_powers()
    folder = tmp_path / "school"
    shutil.copytree(school, folder)
    database = folder / "incidents.db"
    database.chmod(0o444)
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    try:
        result = _run(prefix, "list", "--user", "admin", "--data-dir", folder)
    finally:
        database.chmod(0o644)
    assert result.code == 2, result.err
    assert result.err.strip().startswith(f"The database file {database} can only be read")
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not (folder / "incidents.db-wal").exists()
    assert not (folder / "incidents.db-shm").exists()
