"""One writer at a time: an OS-level lock on a file in the data folder.

The lock file names who holds it (account, computer, process, since when) so a
second copy can say so. The OS releases the lock if the holder dies, so a crash
never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import IO

from incident_recorder.domain.errors import DataFolderInUse, DataFolderReadOnly

# What the OS says when a file cannot be written by this account or on this medium.
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def is_read_only(error: OSError) -> bool:
    return error.errno in _READ_ONLY


def _describe_holder(raw: str) -> str:
    try:
        info = json.loads(raw)
        return f"opened by {info['account']} on {info['computer']} at {info['since']}"
    except (ValueError, KeyError, TypeError):
        return "by another program"


class DataFolderLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[str] | None = None
        self._wrote = False

    def acquire(self) -> None:
        """Take the lock or raise DataFolderInUse naming the holder, or
        DataFolderReadOnly when the folder cannot be written to (nothing is made in it)."""
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self._path, "a+", encoding="utf-8")  # noqa: SIM115 - held open
        except OSError as error:
            if is_read_only(error):
                raise DataFolderReadOnly(str(self._path.parent)) from None
            raise
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = _describe_holder(handle.read())
            handle.close()
            raise DataFolderInUse(holder) from None
        info = {
            "account": _account(),
            "computer": _computer(),
            "pid": os.getpid(),
            "since": time.strftime("%d/%m/%Y %H:%M"),
        }
        # The holder's details are written straight to the file, unbuffered: on a full
        # disk they are simply left out (a second copy then says "by another program"),
        # and the lock is held all the same.
        try:
            os.ftruncate(handle.fileno(), 0)
            os.write(handle.fileno(), json.dumps(info).encode("utf-8"))
        except OSError:
            pass
        self._handle = handle
        self._wrote = True

    def acquire_to_read(self) -> bool:
        """For a check that writes nothing (``verify``): the lock as :meth:`acquire`
        takes it when the folder can be written to. When it cannot (its permissions, or
        read-only media), the lock file is only opened for reading and locked, so a copy
        of the app writing meanwhile is still noticed, and nothing is written or made in
        the folder. Returns False when the folder can only be read."""
        try:
            self.acquire()
            return True
        except DataFolderReadOnly:
            pass
        try:
            handle = open(self._path, encoding="utf-8")  # noqa: SIM115 - held open
        except FileNotFoundError:
            return False  # never opened for writing: nobody can hold it
        try:
            _lock(handle)
        except OSError:
            holder = _describe_holder(handle.read())
            handle.close()
            raise DataFolderInUse(holder) from None
        self._handle = handle
        self._wrote = False
        return False

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            if self._wrote:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._handle.fileno(), 0)
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def __enter__(self) -> DataFolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _computer() -> str:
    if hasattr(os, "uname"):  # as socket.gethostname(), without importing socket at start-up
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "another account"


if sys.platform == "win32":
    import msvcrt

    # Lock a byte well past the holder's details, so a second copy can still read them.
    _LOCK_OFFSET = 1 << 20

    def _lock(handle: IO[str]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
