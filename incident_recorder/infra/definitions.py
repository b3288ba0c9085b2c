"""The wording a new school starts with for what each kind of intervention means, read
from resources/definitions.toml (editable; the administrator changes it in the app)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import KindDefinitions
from incident_recorder.infra.paths import resources_dir

KEYS = ("reasonable_force", "restraint", "seclusion", "time_out")


def load_definitions(path: Path | None = None) -> KindDefinitions:
    file = path or resources_dir() / "definitions.toml"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"The definitions file {file} is missing.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"The definitions file {file} is not valid TOML: {exc}") from exc
    texts = []
    for key in KEYS:
        text = data.get(key, {}).get("text", "")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"In {file.name}, [{key}] needs its text.")
        texts.append(" ".join(text.split()))
    return KindDefinitions(*texts)


@cache
def shipped_definitions() -> KindDefinitions:
    """The shipped wording (read once)."""
    return load_definitions()
