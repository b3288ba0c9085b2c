"""The machine and the stack a run was measured on (figures mean little without it)."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "PySide6-Essentials",
    "shiboken6",
    "sqlcipher3",
    "cryptography",
    "argon2-cffi",
    "reportlab",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _sqlite_versions() -> dict[str, str]:
    import sqlcipher3

    db = sqlcipher3.connect(":memory:")
    try:
        sqlite = db.execute("SELECT sqlite_version()").fetchone()[0]
        cipher = db.execute("PRAGMA cipher_version").fetchone()
        db.execute("PRAGMA key = 'benchmark'")  # the provider answers once a key is set
        provider = db.execute("PRAGMA cipher_provider_version").fetchone()
    finally:
        db.close()
    return {
        "sqlite": str(sqlite),
        "sqlcipher": str(cipher[0]) if cipher else "",
        "crypto_provider": str(provider[0]) if provider else "",
    }


def load_average() -> list[float] | None:
    """The 1, 5 and 15-minute load averages: other work on the machine skews the figures
    (the ratios less than the absolute times)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def describe() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": load_average(),
        "cpu_model": _cpu_model(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in PACKAGES},
        **_sqlite_versions(),
    }


def one_line(info: dict[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    load = info.get("load_average_at_start")
    busy = f" (load average {load[0]:.2f} at start)" if load else ""
    return (
        f"{info['cpus']} × {info['cpu_model']}{busy}, {info['ram_gib']} GiB RAM, {info['os']}; "
        f"Python {info['python']}; SQLCipher {info['sqlcipher']} (SQLite {info['sqlite']}, "
        f"{info['crypto_provider']}); {packages}"
    )
