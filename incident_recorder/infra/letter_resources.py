"""The letter's shipped wording: the default template and the technique words, read
from ``resources/letters`` (editable by school IT staff before set-up)."""

from __future__ import annotations

from pathlib import Path

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.letters import TechniqueWords, parse_technique_file
from incident_recorder.infra.paths import resources_dir


def letters_dir() -> Path:
    return resources_dir() / "letters"


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput(f"The letter file {file} is missing.") from exc


def default_letter_template(path: Path | None = None) -> str:
    """The default letter template's text."""
    return _read(path or letters_dir() / "default_letter.txt")


def technique_words(path: Path | None = None) -> TechniqueWords:
    """Technique name -> the everyday words a parent reads, and what each technique
    does to the child (holds, guides without holding on, or no contact)."""
    return parse_technique_file(_read(path or letters_dir() / "technique_words.toml"))


def demo_logo(path: Path | None = None) -> bytes | None:
    """The demo school's logo (a PNG in resources/demo), or None if it is missing."""
    file = path or resources_dir() / "demo" / "hollowmere-logo.png"
    try:
        return file.read_bytes()
    except OSError:
        return None
