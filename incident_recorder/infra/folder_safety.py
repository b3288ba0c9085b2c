"""Is a data folder safe for SQLite? Not on another computer (a network share, a mapped
drive, a network or FUSE file system) and not inside a file-sync folder. Used by
``incident-recorder --self-check``; each answer is a plain reason, or None when safe."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path, PureWindowsPath

from incident_recorder.infra.paths import data_folder_warnings

# File systems that live on another computer (or may: FUSE mounts such as sshfs, rclone).
NETWORK_FS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "afs", "ncpfs", "9p"}
    | {"ceph", "glusterfs", "davfs", "lustre", "gpfs"}
)
SYNC_ENV_VARS = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
_DRIVE_REMOTE = 4  # GetDriveTypeW


def linux_fs_type(folder: Path, mounts_text: str | None = None) -> str | None:
    """The file system type of the mount holding ``folder``, from /proc/mounts."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return None
    target = str(folder)
    best, best_type = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type


def network_reason(folder: Path, fs_type: str | None = None) -> str | None:
    """Why ``folder`` is on another computer, or None when it is local."""
    text = str(folder)
    if text.startswith(("\\\\", "//")):
        return "it is a network (UNC) path"
    if fs_type is None and sys.platform == "win32":
        drive = PureWindowsPath(text).drive
        if drive and drive_type(drive) == _DRIVE_REMOTE:
            return f"{drive} is a mapped network drive"
        return None
    kind = fs_type
    if kind is None and sys.platform.startswith("linux"):
        kind = linux_fs_type(folder)
    if kind and (kind in NETWORK_FS or kind.startswith("fuse.")):
        return f"it is on a {kind} file system, which may be on another computer"
    return None


def drive_type(drive: str) -> int:
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(drive.rstrip("\\/") + "\\"))


def sync_reason(folder: Path, environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    text = os.path.normcase(str(folder))
    for name in SYNC_ENV_VARS:
        root = env.get(name)
        if root and _inside(text, os.path.normcase(root)):
            return f"it is inside the {name} folder ({root})"
    for warning in data_folder_warnings(folder):
        if "sync" in warning.message:
            return "its path names a file-sync service (OneDrive, Dropbox, Google Drive, iCloud)"
    return None


def _inside(path: str, root: str) -> bool:
    root = root.rstrip("\\/")
    return path == root or path.startswith((root + "\\", root + "/"))
