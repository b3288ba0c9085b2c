"""Running ``python -m incident_recorder`` in a subprocess, as IT staff and scripts do.

New keyrings use cheap key-derivation settings (INCIDENT_RECORDER_FAST_KDF=1, for tests
only) so each command takes a fraction of a second. The demo is built once per session
and copied for each test that changes it. Everyone in it is fictional.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSPHRASE = "quiet meadow lantern"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def run_cli(*args: str | Path, passphrase: str | None = None, **env: str) -> Result:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_RECORDER_")}
    environment.update(
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        INCIDENT_RECORDER_FAST_KDF="1",
        PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen",
    )
    if passphrase is not None:
        environment["INCIDENT_RECORDER_PASSPHRASE"] = passphrase
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-m", "incident_recorder", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli() -> Run:
    return run_cli


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("e2e") / "demo"
    result = run_cli("demo", "--no-gui", "--data-dir", folder)
    assert result.code == 0, result.err
    return folder, result


@pytest.fixture
def demo(built_demo: tuple[Path, Result], tmp_path: Path) -> Path:
    """A copy of the demo folder this test may change."""
    folder = tmp_path / "demo"
    shutil.copytree(built_demo[0], folder)
    return folder
