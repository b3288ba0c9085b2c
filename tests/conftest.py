"""Settings for every test: Qt runs offscreen, and nothing reaches the network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")
# Never let a test touch the real per-machine data folder.
os.environ.pop("INCIDENT_RECORDER_DATA", None)
