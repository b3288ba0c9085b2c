"""What the app ships beside its code that the services need, read once by the
composition root (``incident_recorder/wiring.py`` from ``infra``), so that no service
reads a file."""

from __future__ import annotations

from dataclasses import dataclass

from incident_recorder.domain.letters import TechniqueWords


@dataclass(frozen=True, slots=True)
class Shipped:
    technique_words: TechniqueWords
    letter_template: str  # the default letter wording (version 0)
    app_version: str = ""
    licence: str = ""
    frozen: bool = False  # the installed (PyInstaller) app, not run from Python
