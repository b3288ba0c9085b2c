"""``incident-recorder --self-check``: what a school's IT technician needs to know, one
line each, PASS or FAIL, for the frozen app and for a Python install alike.

Nothing here reaches the network or reads the database: SQLCipher is tried on an
in-memory database under a random key, and the data folder is tried with a probe file
holding no personal data, deleted at once.
"""

from __future__ import annotations

import os
import platform
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from incident_recorder import __version__
from incident_recorder.domain.errors import FileNotWritten
from incident_recorder.infra.files import write_private
from incident_recorder.infra.folder_safety import (
    drive_type,
    linux_fs_type,
    network_reason,
    sync_reason,
)
from incident_recorder.infra.paths import ENV_DATA_DIR, resources_dir
from incident_recorder.infra.qt_libraries import check_platforms, qt_folder
from incident_recorder.infra.qt_requirements import install_command, package_for

LICENCE = "MIT licence"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
DRIVE_NAMES = {2: "a removable drive", 3: "a fixed drive", 5: "a CD/DVD drive", 6: "a RAM disk"}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    detail: str

    @property
    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


# --------------------------------------------------------------------------- the app


def check_version() -> Check:
    how = "the installed app" if frozen() else "run from Python"
    return Check(
        "App version",
        True,
        f"Incident Recorder {__version__} ({how}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()})",
    )


@dataclass(frozen=True, slots=True)
class Encryption:
    """For Help ▸ About: SQLCipher's version and the settings the database is opened with."""

    sqlcipher: str
    settings: str
    as_expected: bool


def encryption() -> Encryption:
    try:
        from incident_recorder.store.cipher_info import cipher_info

        info = cipher_info()
    except Exception as error:
        return Encryption("not available", f"could not be checked ({error})", False)
    return Encryption(
        f"{info.sqlcipher_version} (SQLite {info.sqlite_version}, {info.provider})",
        info.summary,
        info.as_expected and info.temp_store_memory,
    )


def check_sqlcipher() -> list[Check]:
    try:
        from incident_recorder.store.cipher_info import cipher_info

        info = cipher_info()
    except Exception as error:  # any failure here is the finding
        return [Check("SQLCipher", False, f"could not open an encrypted database ({error})")]
    major = info.sqlcipher_version.split(".", 1)[0]
    return [
        Check(
            "SQLCipher",
            major.isdigit() and int(major) >= 4,
            f"{info.sqlcipher_version} (SQLite {info.sqlite_version}, {info.provider})",
        ),
        Check(
            "Temporary data kept in memory",
            info.temp_store_memory,
            "temp_store is MEMORY" if info.temp_store_memory else "temp_store is NOT memory",
        ),
        Check("Cipher settings", info.as_expected, info.summary),
    ]


def check_resources() -> list[Check]:
    folder = resources_dir()
    found = (folder / "picklists.toml").is_file()
    checks = [Check("Resources", found, f"{folder}" + ("" if found else " (missing)"))]
    fonts = folder / "fonts"
    missing = [name for name in FONT_FILES if not (fonts / name).is_file()]
    if missing:
        checks.append(Check("Fonts for PDFs", False, f"missing in {fonts}: {', '.join(missing)}"))
    else:
        try:
            from incident_recorder.documents.fonts import register_fonts

            family = register_fonts()  # also proves reportlab loads
            checks.append(Check("Fonts for PDFs", True, f"{family} (3 faces) in {fonts}"))
        except Exception as error:
            checks.append(Check("Fonts for PDFs", False, f"could not be loaded ({error})"))
    try:
        from incident_recorder.infra.letter_resources import (
            default_letter_template,
            letters_dir,
        )

        words = len(default_letter_template().split())
        checks.append(Check("Letter template", True, f"{letters_dir()} ({words} words)"))
    except Exception as error:
        checks.append(Check("Letter template", False, str(error)))
    return checks


def _native_plugins() -> tuple[str, ...]:
    if sys.platform == "win32":
        return ("qwindows",)
    if sys.platform == "darwin":
        return ("qcocoa",)
    return ("qxcb", "qwayland-generic", "qwayland")


def check_qt() -> list[Check]:
    base = qt_folder()
    if base is None:
        return [Check("Qt", False, "PySide6 (the window toolkit) was not found")]
    platforms = next(
        (
            p
            for p in (base / "Qt" / "plugins" / "platforms", base / "plugins" / "platforms")
            if p.is_dir()
        ),
        None,
    )
    if platforms is None:
        checks = [Check("Qt platform plugins", False, f"no plugins/platforms folder in {base}")]
    else:
        names = sorted({f.name.split(".")[0].removeprefix("lib") for f in platforms.iterdir()})
        native = any(n in names for n in _native_plugins())
        checks = [
            Check(
                "Qt platform plugins",
                native,
                f"{', '.join(names) or 'none'} in {platforms}"
                + ("" if native else f" (needs {' or '.join(_native_plugins())})"),
            )
        ]
    if sys.platform.startswith("linux"):
        checks.append(check_qt_libraries())
    pdf = any(base.glob("QtPdf.*")) and any(base.glob("QtPdfWidgets.*"))
    checks.append(
        Check("Qt PDF preview", pdf, "QtPdf and QtPdfWidgets found" if pdf else "QtPdf missing")
    )
    return checks


def check_qt_libraries() -> Check:
    """Linux: whether the platform plugin Qt would use here finds every system library it
    needs (the same check the app makes before it opens; infra/qt_libraries.py)."""
    name = "Qt window libraries"
    tried = check_platforms()
    if not tried:
        return Check(name, False, "no platform plugin to check")
    usable = next((c for c in tried if c.usable), None)
    if usable is not None:
        return Check(name, True, f"the {usable.platform} plugin finds every library it needs")
    parts = []
    missing: list[str] = []
    for c in tried:
        if c.plugin is None:
            parts.append(f"there is no {c.platform} plugin")
        else:
            parts.append(f"the {c.platform} plugin is missing {', '.join(c.missing)}")
            missing += c.missing
    packages = list(dict.fromkeys(p for p in map(package_for, missing) if p))
    how = f"; install with: {install_command(packages)}" if packages else ""
    return Check(name, False, "; ".join(parts) + how)


# --------------------------------------------------------------------------- the data folder


def data_folder_source(cli_value: str | None) -> str:
    if cli_value:
        return "from --data-dir"
    if os.environ.get(ENV_DATA_DIR):
        return f"from {ENV_DATA_DIR}"
    return "the default for this computer"


def check_folder_exists(folder: Path, source: str) -> Check:
    try:
        existed = folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return Check("Data folder", False, f"{folder} ({source}) cannot be created: {error}")
    state = "exists" if existed else "did not exist; created it"
    return Check("Data folder", True, f"{folder} ({source}) {state}")


def check_writable(folder: Path) -> Check:
    """Write a test file the way the app writes the keyring (infra/files.py), then
    delete it."""
    probe = folder / f".self-check-{secrets.token_hex(6)}.tmp"
    try:
        write_private(probe, "Incident Recorder self-check probe: no personal data.\n")
        probe.unlink()
    except FileNotWritten as error:
        return Check(
            "Data folder writable", False, f"a test file could not be written: {error.reason}"
        )
    except OSError as error:
        probe.unlink(missing_ok=True)
        return Check("Data folder writable", False, f"the test file could not be deleted: {error}")
    # The folder may be writable while the app's own files are not (copied from read-only
    # media, or their permissions changed): the app cannot sign in then either.
    read_only = [
        name
        for name in ("incidents.db", "keyring.json", "incident-recorder.lock")
        if (folder / name).is_file() and not os.access(folder / name, os.W_OK)
    ]
    if read_only:
        return Check(
            "Data folder writable",
            False,
            f"these files in it can only be read, not written to: {', '.join(read_only)}",
        )
    return Check("Data folder writable", True, "wrote and deleted a test file")


def check_local(folder: Path) -> Check:
    reason = network_reason(folder)
    if reason:
        return Check("Data folder is local", False, f"{reason}; SQLite's locking is unsafe there")
    where = "on this computer"
    if sys.platform == "win32":
        drive = PureWindowsPath(str(folder)).drive
        where = f"{drive} is {DRIVE_NAMES.get(drive_type(drive), 'a local drive')}"
    elif sys.platform.startswith("linux"):
        kind = linux_fs_type(folder)
        where = f"on a local {kind} file system" if kind else where
    return Check("Data folder is local", True, where)


def check_not_synced(folder: Path) -> Check:
    reason = sync_reason(folder)
    if reason:
        return Check("Not in a sync folder", False, f"{reason}; syncing can damage the database")
    return Check("Not in a sync folder", True, "not in OneDrive, Dropbox, Google Drive or iCloud")


def check_data_folder(folder: Path, source: str) -> list[Check]:
    exists = check_folder_exists(folder, source)
    if not exists.passed:
        return [exists]
    return [exists, check_writable(folder), check_local(folder), check_not_synced(folder)]


# --------------------------------------------------------------------------- running


def run_checks(folder: Path, source: str) -> list[Check]:
    steps: Iterable[Callable[[], Check | list[Check]]] = (
        check_version,
        check_sqlcipher,
        check_resources,
        check_qt,
        lambda: check_data_folder(folder, source),
    )
    found: list[Check] = []
    for step in steps:
        try:
            result = step()
        except Exception as error:  # a check that breaks is a failed check, not a crash
            result = Check(getattr(step, "__name__", "check"), False, f"{error!r}")
        found.extend(result if isinstance(result, list) else [result])
    return found


def report(checks: list[Check]) -> tuple[str, bool]:
    """The printed report and whether every check passed."""
    failed = [c for c in checks if not c.passed]
    lines = [c.line for c in checks]
    if failed:
        lines.append(f"{len(failed)} of {len(checks)} checks FAILED: see the lines above.")
    else:
        lines.append(f"All {len(checks)} checks passed.")
    return "\n".join(lines), not failed
