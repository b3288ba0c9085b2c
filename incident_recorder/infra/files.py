"""The one way the app writes a file: whole or not at all, and no more readable than it
should be. Every writer uses :func:`write_private`: the keyring, the command line's
exports and PDFs, the PDFs saved from the app, the self-check's test file.

What a crash leaves: the old file or the new one, never half of either. The data goes
to a hidden temporary file in the same folder (``.NAME.<random>.tmp``), is flushed to
the disk (fsync), and is then renamed over ``path`` with ``os.replace``, which is atomic
on the same file system (POSIX ``rename``; on NTFS ``MoveFileEx`` with
``MOVEFILE_REPLACE_EXISTING``). On POSIX the folder is fsynced too, so that the rename
itself survives a power cut. If anything fails the temporary file is removed and the
old file is left exactly as it was.

Who may read the file (one rule, on each system):

- **POSIX** (Linux, macOS): the temporary file is created with ``O_EXCL`` and mode
  ``0o600`` (this account only, whatever the umask), so nobody else can read the data
  while it is written. A new file stays ``0o600``. A file that already exists keeps its
  permission bits (copied to the new file before the rename), so an administrator's
  choice, such as a keyring that the school's staff group may read and write, survives
  every rewrite; the file's owner becomes the account that wrote it.
- **Windows**: mode bits mean only "read-only" there, so none are set; the new file
  inherits the folder's access control list (ACL). The data folder's ACL is set by the
  installer (``installer/windows/incident_recorder.wxs``: the local Users group may
  modify, inherited by the files inside, so every staff account on the PC reaches the
  same keyring); a PDF or export saved in someone's Documents folder gets that folder's
  ACL (theirs). An explicit ACL set on the old file by hand is not carried over. An
  antivirus scanner or the search indexer may hold the old file open for a moment, so a
  ``PermissionError`` from ``os.replace`` is retried for about a second first.

What the caller gets on failure: :class:`FileNotWritten` (an ``InvalidInput``), whose
text names the file and the reason in plain words, e.g. "Could not write
C:\\...\\letter.pdf: the disk is full."; ``reason`` alone is there for callers that word
the message their own way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from incident_recorder.domain.errors import FileNotWritten

# Windows only: how often, and how far apart, a refused rename is tried again.
REPLACE_ATTEMPTS = 10
REPLACE_PAUSE_SECONDS = 0.1
_RETRY_REFUSED_REPLACE = sys.platform == "win32"
_POSIX = os.name == "posix"

_NOT_ALLOWED = "this computer account is not allowed to write there"
_REASONS = {
    getattr(errno, name): reason
    for name, reason in (
        ("ENOSPC", "the disk is full"),
        ("EDQUOT", "this account has used all the disk space it is allowed"),
        ("EACCES", _NOT_ALLOWED),
        ("EPERM", _NOT_ALLOWED),
        ("EROFS", "the disk can only be read, not written to"),
        ("ENOENT", "the folder does not exist"),
        ("ENOTDIR", "the folder does not exist"),
        ("EISDIR", "a folder already has that name"),
        ("ENAMETOOLONG", "the name is too long"),
        ("EIO", "the disk reported an error"),
    )
    if hasattr(errno, name)
}
_HELD_OPEN = f"another program (such as a PDF viewer) has the file open, or {_NOT_ALLOWED}"


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8, line endings as given) to ``path``
    atomically, under the permission rule above. Raises FileNotWritten."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name[:120]}.{secrets.token_hex(6)}.tmp")
    try:
        handle = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
        )
    except OSError as error:
        raise FileNotWritten(str(path), _reason(error)) from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if _POSIX:
            _keep_permissions(path, temporary)
        _replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise FileNotWritten(str(path), _reason(error)) from error
    except BaseException:  # FileNotWritten from _replace, or KeyboardInterrupt
        _remove(temporary)
        raise
    if _POSIX:
        _fsync_folder(path.parent)


def move_into_place(source: Path, target: Path) -> None:
    """Rename a finished file or folder (written under a hidden name) to its real name,
    durably: the rename is synced in the folder, so a power cut leaves one or the other."""
    _replace(source, target)
    _fsync_folder(target.parent)


def copy_folder(source: Path, target: Path) -> None:
    """Copy a folder of files (a backup generation) to ``target``, each file synced to
    the disk; the caller writes to a hidden name and moves it into place afterwards."""
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        if path.is_file():
            _fsync_file(path)
    _fsync_folder(target)


def copy_file(source: Path, target: Path) -> None:
    """Copy one file (a backup's database, kept encrypted) to ``target``, synced to the
    disk; the caller copies to a hidden name and moves it into place afterwards."""
    shutil.copyfile(source, target)
    _fsync_file(target)


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (a no-op where folders cannot be synced)."""
    _fsync_folder(folder)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def _keep_permissions(path: Path, temporary: Path) -> None:
    """Give the new file the permission bits of the one it replaces, if there is one."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return
    except OSError:
        return  # e.g. a dangling name: the new file stays 0o600
    os.chmod(temporary, mode)


def _replace(temporary: Path, path: Path) -> None:
    """``os.replace``; on Windows a refusal is tried again for about a second, since a
    scanner that holds the old file open lets go of it quickly."""
    if not _RETRY_REFUSED_REPLACE:
        os.replace(temporary, path)
        return
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(temporary, path)
            return
        except PermissionError as error:
            if attempt == REPLACE_ATTEMPTS or path.is_dir():
                reason = _REASONS[errno.EISDIR] if path.is_dir() else _HELD_OPEN
                raise FileNotWritten(str(path), reason) from error
        time.sleep(REPLACE_PAUSE_SECONDS)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable. Some file systems cannot fsync a folder: that is no
    reason to call the write a failure, since the file itself is already on the disk."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(error: OSError) -> str:
    """The reason in plain words, for a message that already names the file."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    text = error.strerror or str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


def overwrite_with_zeros(path: Path) -> None:
    """Zeros over a small file's bytes in place, synced (a keyring about to be replaced or
    deleted: its old wrapped keys). Best effort: a file that cannot be opened is left."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        return
