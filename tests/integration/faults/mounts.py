"""Real small or read-only filesystems for the fault tests, where the machine allows
it: a tmpfs of a few megabytes mounted for one test (Linux, as root, as in the CI
container); elsewhere the test is skipped with the reason. Each fault also has a
portable test through a seam of SQLite's own (see the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "mounting a small filesystem is done only on Linux"
    if os.geteuid() != 0:
        return "mounting a small filesystem needs root (the CI container runs as root)"
    return None


def _mount(args: list[str]) -> str | None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=30)
    if done.returncode != 0:
        return f"{' '.join(args[:3])} is not allowed here: {done.stderr.strip() or done.returncode}"
    return None


@contextmanager
def small_filesystem(where: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (made if missing), unmounted after."""
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    where.mkdir(parents=True, exist_ok=True)
    failed = _mount(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)])
    if failed:
        pytest.skip(failed)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, timeout=30)


def fill(folder: Path) -> Path:
    """Fill the filesystem of ``folder`` to the last byte; returns the filler file (delete
    it to free the space again)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


@contextmanager
def read_only_view(folder: Path, where: Path) -> Iterator[Path]:
    """``folder`` bind-mounted read-only at ``where``: writing there fails for root too,
    as on read-only media."""
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    where.mkdir(parents=True, exist_ok=True)
    failed = _mount(["mount", "--bind", str(folder), str(where)])
    if failed:
        pytest.skip(failed)
    try:
        failed = _mount(["mount", "-o", "remount,bind,ro", str(where)])
        if failed:
            pytest.skip(failed)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, timeout=30)
