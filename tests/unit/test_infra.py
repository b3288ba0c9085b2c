"""Plumbing: where the data folder is, the one-writer lock, logs without names, pick-lists."""

from __future__ import annotations

import getpass
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_recorder.domain.errors import DataFolderInUse, InvalidInput
from incident_recorder.infra import logs
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import (
    ENV_DATA_DIR,
    DataFolder,
    data_folder_warnings,
    resolve_data_dir,
    resources_dir,
)
from incident_recorder.infra.picklists import load_pick_lists

REPO = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- paths


def test_the_command_line_folder_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir(str(tmp_path / "from-cli")) == tmp_path / "from-cli"
    assert resolve_data_dir(None) == tmp_path / "from-env"


def test_a_relative_or_home_folder_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_data_dir("records") == tmp_path / "records"
    assert resolve_data_dir("~/records") == tmp_path / "home" / "records"


def test_without_an_override_the_default_folder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    folder = resolve_data_dir(None)
    assert folder.is_absolute()
    assert folder.name == "Incident Recorder"


def test_the_data_folder_layout(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "school")
    folder.ensure()
    assert folder.root.is_dir()
    assert folder.database.parent == folder.keyring.parent == folder.lock_file.parent == folder.root
    assert folder.backups == folder.root / "backups"


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (r"C:\Users\head\OneDrive - Larkfield\Incident Recorder", ["file-sync"]),
        ("/home/head/Dropbox/incidents", ["file-sync"]),
        (r"\\school-server\shared\Incident Recorder", ["network share"]),
        ("//school-server/shared/incidents", ["network share"]),
        (r"\\nas\OneDrive\incidents", ["file-sync", "network share"]),
        (r"C:\ProgramData\Incident Recorder", []),
        ("/var/lib/incident-recorder", []),
    ],
)
def test_unsafe_data_folders_are_warned_about(folder: str, expected: list[str]) -> None:
    warnings = data_folder_warnings(Path(folder))
    assert len(warnings) == len(expected)
    for warning, words in zip(warnings, expected, strict=True):
        assert words in warning.message


def test_bundled_resources_are_found() -> None:
    assert (resources_dir() / "picklists.toml").is_file()


# --------------------------------------------------------------------------- the lock


def test_the_lock_names_who_holds_it_and_is_released(tmp_path: Path) -> None:
    path = tmp_path / "incident-recorder.lock"
    with DataFolderLock(path) as held:
        assert held.held
        assert getpass.getuser() in path.read_text(encoding="utf-8")
    assert not held.held
    assert path.read_text(encoding="utf-8") == ""  # the holder's details go with it
    again = DataFolderLock(path)
    again.acquire()  # free again
    again.release()


def test_a_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    # flock belongs to the open file description, so a second open() conflicts even here.
    path = tmp_path / "incident-recorder.lock"
    with DataFolderLock(path), pytest.raises(DataFolderInUse) as refused:
        DataFolderLock(path).acquire()
    assert getpass.getuser() in str(refused.value)
    assert "Close the other copy" in str(refused.value)


def test_a_second_copy_of_the_app_is_refused_naming_the_account(tmp_path: Path) -> None:
    path = tmp_path / "incident-recorder.lock"
    second_copy = textwrap.dedent(
        f"""
        from pathlib import Path
        from incident_recorder.domain.errors import DataFolderInUse
        from incident_recorder.infra.lock import DataFolderLock
        try:
            DataFolderLock(Path({str(path)!r})).acquire()
        except DataFolderInUse as e:
            print(e)
            raise SystemExit(3)
        """
    )
    with DataFolderLock(path):
        result = subprocess.run(
            [sys.executable, "-c", second_copy],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 3, result.stderr
    assert f"opened by {getpass.getuser()}" in result.stdout
    # Once released, the second copy may go ahead.
    after = subprocess.run(
        [sys.executable, "-c", second_copy], cwd=REPO, capture_output=True, timeout=30
    )
    assert after.returncode == 0, after.stderr


# --------------------------------------------------------------------------- logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "incident-recorder.log"
    logs.configure(path)
    yield path
    root = logging.getLogger("incident_recorder")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = True


def _flushed(path: Path) -> str:
    for handler in logging.getLogger("incident_recorder").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_names_in_log_arguments_are_redacted(log_file: Path) -> None:
    log = logging.getLogger("incident_recorder.services")
    log.info("submitted %s for pupil %s by %s", "2026-0001", "Amara Okafor", "Siân Griffiths")
    log.info("incident %d version %s action %s", 42, "v2", "sign_in_failed")
    log.info("%(who)s opened %(ref)s", {"who": "Tomasz Nowak", "ref": "2026-0002"})
    text = _flushed(log_file)
    for name in ("Amara", "Okafor", "Siân", "Tomasz", "Nowak"):
        assert name not in text
    assert "submitted 2026-0001 for pupil [redacted] by [redacted]" in text
    assert "incident 42 version v2 action sign_in_failed" in text
    assert "[redacted] opened 2026-0002" in text


def test_a_lower_case_single_word_is_redacted_too(log_file: Path) -> None:
    """A surname typed in lower case must not slip through as if it were a keyword."""
    log = logging.getLogger("incident_recorder.store")
    log.info("looked up %s then %s", "okafor", "wal")
    text = _flushed(log_file)
    assert "okafor" not in text
    assert "looked up [redacted] then wal" in text


def test_a_crash_is_logged_without_its_message(log_file: Path) -> None:
    try:
        raise ValueError("Amara Okafor was not found")
    except ValueError as exc:
        logs.log_uncaught(type(exc), exc, exc.__traceback__)
    text = _flushed(log_file)
    assert "uncaught ValueError at test_infra.py:" in text
    assert "Amara" not in text


def _reset_logging() -> None:
    root = logging.getLogger("incident_recorder")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = True


def test_a_log_file_that_cannot_be_opened_never_stops_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read-only folder made every command fail with "Something went wrong (OSError)":
    the log must never be the reason the app cannot open. Warnings go to standard error
    instead (still redacted), and the reason comes back for one plain line."""
    cannot = tmp_path / "incident-recorder.log"
    cannot.mkdir()  # a folder where the file should be: it cannot be opened as a file
    try:
        reason = logs.configure(cannot)
        log = logging.getLogger("incident_recorder.store")
        log.info("opened %s", "2026-0001")  # below a warning: not shown to the person
        log.warning("could not read %s for %s", "2026-0001", "Amara Okafor")
    finally:
        _reset_logging()
    assert reason
    line = logs.no_log_file_line(cannot, reason)
    assert line.startswith(f"Note: the log file {cannot} could not be opened (")
    err = capsys.readouterr().err
    assert "could not read 2026-0001 for [redacted]" in err
    assert "Amara" not in err and "opened 2026-0001" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is a Linux device")
def test_a_log_file_on_a_full_disk_drops_lines_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Writing to /dev/full always fails with "no space left on device", as a full disk."""
    try:
        assert logs.configure(Path("/dev/full")) is None
        logging.getLogger("incident_recorder.store").error("could not save %s", "2026-0001")
    finally:
        _reset_logging()
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


# --------------------------------------------------------------------------- pick-lists


def test_the_shipped_pick_lists_load() -> None:
    lists = load_pick_lists()
    assert "Classroom" in lists.locations
    assert "Offered choices" in lists.deescalation_strategies
    assert len(lists.techniques) >= 5
    for values in (lists.locations, lists.deescalation_strategies, lists.techniques):
        assert all(v == v.strip() and v for v in values)
        assert len(set(values)) == len(values)


def test_blank_items_are_dropped_and_missing_lists_are_empty(tmp_path: Path) -> None:
    file = tmp_path / "picklists.toml"
    file.write_text('[locations]\nitems = [" Hall ", "  ", "Field"]\n', encoding="utf-8")
    lists = load_pick_lists(file)
    assert lists.locations == ("Hall", "Field")
    assert lists.techniques == ()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[locations\nitems = [", "not valid TOML"),
        ('[locations]\nitems = "Hall"\n', "must be a list of text"),
        ("[techniques]\nitems = [1, 2]\n", "must be a list of text"),
    ],
)
def test_a_malformed_pick_list_file_is_explained(tmp_path: Path, content: str, words: str) -> None:
    file = tmp_path / "picklists.toml"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=words):
        load_pick_lists(file)


def test_a_missing_pick_list_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="missing"):
        load_pick_lists(tmp_path / "nowhere.toml")
