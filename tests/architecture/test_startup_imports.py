"""The start-up path stays lean: importing the app must not import the storage, the domain
model or the incident services, which are imported just after the sign-in window shows
(docs/performance.md, "cold start"). Re-adding one of them to app.py's imports, or to a
module it imports at start-up, fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Each costs milliseconds a person waits for before the sign-in window.
DEFERRED = (
    "incident_recorder.store",
    "incident_recorder.domain.model",
    "incident_recorder.services.accounts",
    "incident_recorder.services.incidents",
    "incident_recorder.infra.picklists",
    "incident_recorder.ui.main_window",
    "incident_recorder.cli",  # the sub-commands: not needed to open the app
    "incident_recorder.cli_commands",
    "logging.handlers",
    "platformdirs",
    "argon2",
    "sqlcipher3",
)

# `incident-recorder` runs launcher.main, which imports the app to open it: both count.
PROBE = """
import json, sys
import incident_recorder.launcher
import incident_recorder.app
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_the_app_leaves_the_heavy_modules_for_later() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "incident_recorder.ui.sign_in" in loaded  # the probe really imported the app
    early = sorted(
        name for name in loaded if any(name == d or name.startswith(d + ".") for d in DEFERRED)
    )
    assert early == []


def test_the_command_lines_role_choices_are_the_roles() -> None:
    from incident_recorder.cli import ROLE_CHOICES
    from incident_recorder.domain.model import Role

    assert tuple(r.value for r in Role) == ROLE_CHOICES
