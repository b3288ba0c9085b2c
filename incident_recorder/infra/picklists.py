"""The school's default pick-lists, read from an editable TOML file in resources/."""

from __future__ import annotations

import tomllib
from pathlib import Path

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import PickLists
from incident_recorder.infra.paths import resources_dir


def load_pick_lists(path: Path | None = None) -> PickLists:
    file = path or resources_dir() / "picklists.toml"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"The pick-list file {file} is missing.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"The pick-list file {file} is not valid TOML: {exc}") from exc

    def items(key: str) -> tuple[str, ...]:
        value = data.get(key, {}).get("items", [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"In {file.name}, [{key}] items must be a list of text.")
        return tuple(v.strip() for v in value if v.strip())

    return PickLists(
        locations=items("locations"),
        deescalation_strategies=items("deescalation"),
        techniques=items("techniques"),
        antecedents=items("antecedents"),
    )
