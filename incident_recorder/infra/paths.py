"""Where things live: the data folder and the bundled resources."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Incident Recorder"
ENV_DATA_DIR = "INCIDENT_RECORDER_DATA"

_SYNC_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "box sync")


def default_data_dir() -> Path:
    """A per-machine folder shared by everyone who uses the PC.

    Windows: C:\\ProgramData\\Incident Recorder. Elsewhere the platform's site data
    folder when it is writable, else the user's data folder.
    """
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA", r"C:\\ProgramData")
        return Path(base) / APP_NAME
    import platformdirs  # only here: the app's start-up is given its folder

    site = Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
    if _writable(site):
        return site
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _writable(folder: Path) -> bool:
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return os.access(probe, os.W_OK)


def resolve_data_dir(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def resources_dir() -> Path:
    """Bundled resources: beside the package in a checkout, or inside a frozen app."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "incident_recorder" / "resources"
    package = Path(__file__).resolve().parent.parent
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"  # a source checkout


@dataclass(frozen=True, slots=True)
class DataFolderWarning:
    message: str


def data_folder_warnings(folder: Path) -> list[DataFolderWarning]:
    """Plain warnings when the folder is somewhere SQLite's locking is unsafe."""
    text = str(folder).lower()
    found = []
    if any(marker in text for marker in _SYNC_MARKERS):
        found.append(
            DataFolderWarning(
                "The data folder is inside a file-sync folder (such as OneDrive or Dropbox). "
                "Syncing can damage the database: please choose a folder on this PC."
            )
        )
    if text.startswith("\\\\") or text.startswith("//"):
        found.append(
            DataFolderWarning(
                "The data folder is on a network share. The database is only safe on a drive "
                "inside this PC."
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class DataFolder:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "incidents.db"

    @property
    def keyring(self) -> Path:
        return self.root / "keyring.json"

    @property
    def lock_file(self) -> Path:
        return self.root / "incident-recorder.lock"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def log_file(self) -> Path:
        return self.root / "incident-recorder.log"

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
