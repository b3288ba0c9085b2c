"""infra/files.write_private, the one way the app writes a file: whole or not at all,
this account's only when new, the old file untouched when anything fails, and a plain
reason when it does."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_recorder.domain.errors import FileNotWritten, InvalidInput
from incident_recorder.infra import files
from incident_recorder.infra.files import write_private

posix_only = pytest.mark.skipif(os.name != "posix", reason="Windows files take the folder's ACL")
OLD = b"%PDF-1.4 the letter as it was"
NEW = b"%PDF-1.4 the letter as it is now"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Letters for Oakfield Primary"
    folder.mkdir()
    return folder


@pytest.fixture
def old_file(folder: Path) -> Path:
    path = folder / "letter.pdf"
    path.write_bytes(OLD)
    return path


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files, as on a carelessly set-up machine."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_bytes_and_text_are_written_whole(folder: Path, old_file: Path) -> None:
    write_private(old_file, NEW)
    assert old_file.read_bytes() == NEW
    export = folder / "records.json"
    write_private(export, '{"pupil": "Zoë Ní Bhriain"}\n')  # text is UTF-8, "\n" kept
    assert export.read_bytes() == '{"pupil": "Zoë Ní Bhriain"}\n'.encode()
    assert _names(folder) == ["letter.pdf", "records.json"]  # no temporary file left


@posix_only
def test_a_new_file_is_this_accounts_only_whatever_the_umask(
    folder: Path, open_umask: None
) -> None:
    path = folder / "records.json"
    write_private(path, "{}")
    assert path.stat().st_mode & 0o777 == 0o600


@posix_only
def test_a_replaced_file_keeps_the_permissions_it_had(old_file: Path) -> None:
    old_file.chmod(0o640)
    write_private(old_file, NEW)
    assert old_file.stat().st_mode & 0o777 == 0o640
    assert old_file.read_bytes() == NEW


@posix_only
def test_nobody_else_can_read_the_data_while_it_is_written(
    folder: Path, old_file: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_file.chmod(0o644)
    seen: list[int] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        seen.append(os.fstat(fd).st_mode & 0o777)
        real_fsync(fd)

    monkeypatch.setattr("incident_recorder.infra.files.os.fsync", watching_fsync)
    write_private(old_file, NEW)
    assert seen[0] == 0o600  # the temporary file, while the data went in
    assert old_file.stat().st_mode & 0o777 == 0o644


def test_a_full_disk_mid_write_leaves_the_old_file_and_no_temporary_one(
    folder: Path, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("incident_recorder.infra.files.os.fsync", full_disk)
    with pytest.raises(FileNotWritten) as raised:
        write_private(old_file, NEW)
    assert str(raised.value) == f"Could not write {old_file}: the disk is full."
    assert raised.value.reason == "the disk is full"
    assert isinstance(raised.value, InvalidInput)  # the CLI's one line and exit 2
    assert old_file.read_bytes() == OLD
    assert _names(folder) == ["letter.pdf"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_one(
    folder: Path, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("incident_recorder.infra.files.os.replace", refused)
    with pytest.raises(FileNotWritten, match="the disk reported an error"):
        write_private(old_file, NEW)
    assert old_file.read_bytes() == OLD
    assert _names(folder) == ["letter.pdf"]


def test_an_interrupted_write_removes_its_temporary_file(
    folder: Path, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("incident_recorder.infra.files.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_private(old_file, NEW)
    assert old_file.read_bytes() == OLD
    assert _names(folder) == ["letter.pdf"]


def test_a_missing_folder_and_a_folder_in_the_way_are_named_plainly(folder: Path) -> None:
    missing = folder / "gone" / "letter.pdf"
    with pytest.raises(FileNotWritten, match="the folder does not exist"):
        write_private(missing, NEW)
    taken = folder / "letter.pdf"
    taken.mkdir()
    with pytest.raises(FileNotWritten, match="a folder already has that name"):
        write_private(taken, NEW)
    assert taken.is_dir() and _names(folder) == ["letter.pdf"]


def test_an_unlisted_reason_is_the_systems_own_words(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def odd(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr("incident_recorder.infra.files.os.replace", odd)
    with pytest.raises(FileNotWritten, match=r": invalid cross-device link\.$"):
        write_private(old_file, NEW)


def test_on_windows_a_briefly_held_file_is_tried_again(
    folder: Path, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    refusals = [PermissionError(13, "Access is denied")] * 3

    def scanner_holds_it(src: str | Path, dst: str | Path) -> None:
        if refusals:
            raise refusals.pop()
        real_replace(src, dst)

    monkeypatch.setattr(files, "_RETRY_REFUSED_REPLACE", True)
    monkeypatch.setattr(files, "REPLACE_PAUSE_SECONDS", 0)
    monkeypatch.setattr("incident_recorder.infra.files.os.replace", scanner_holds_it)
    write_private(old_file, NEW)
    assert old_file.read_bytes() == NEW
    assert _names(folder) == ["letter.pdf"]


def test_on_windows_a_file_held_open_for_good_is_explained(
    folder: Path, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[object] = []

    def viewer_holds_it(src: object, dst: object) -> None:
        tries.append(dst)
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(files, "_RETRY_REFUSED_REPLACE", True)
    monkeypatch.setattr(files, "REPLACE_PAUSE_SECONDS", 0)
    monkeypatch.setattr("incident_recorder.infra.files.os.replace", viewer_holds_it)
    with pytest.raises(FileNotWritten, match=r"another program .* has the file open"):
        write_private(old_file, NEW)
    assert len(tries) == files.REPLACE_ATTEMPTS
    assert old_file.read_bytes() == OLD
    assert _names(folder) == ["letter.pdf"]


def test_elsewhere_a_refused_rename_is_not_tried_again(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[object] = []

    def refused(src: object, dst: object) -> None:
        tries.append(dst)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files, "_RETRY_REFUSED_REPLACE", False)
    monkeypatch.setattr("incident_recorder.infra.files.os.replace", refused)
    with pytest.raises(FileNotWritten, match="not allowed to write there"):
        write_private(old_file, NEW)
    assert len(tries) == 1
