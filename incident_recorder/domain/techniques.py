"""What each technique in the school's list does to the child: hold them, guide them
without holding on, or keep them safe without touching them.

The letter to parents must never say a child was "held" when the record shows only a
guide or a block, so every sentence about what the adults did follows from these
groups. The school's list of techniques is editable; the groups of the shipped ones,
and any the school adds, are in ``resources/letters/technique_words.toml`` (``[contact]``).
A technique the file does not place is taken as a hold: it is safer to tell parents a
child was held than to play it down.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.labelled import LabelledEnum


class TechniqueGroup(LabelledEnum):
    HOLD = "hold", "Holds the child"  # the child was held
    GUIDE = "guide", "Guides without holding on"  # guided by touch, without gripping
    NO_CONTACT = "no_contact", "No physical contact"  # kept safe without touching


def parse_technique_groups(toml_text: str) -> dict[str, TechniqueGroup]:
    """The ``[contact]`` table of the technique words file: technique -> group.
    InvalidInput when a value is not one of hold, guide, no_contact."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"The technique words file is not valid TOML: {exc}") from exc
    table = data.get("contact", {})
    if not isinstance(table, dict):
        raise InvalidInput("In the technique words file, [contact] must map names to a group.")
    allowed = {c.value: c for c in TechniqueGroup}
    out: dict[str, TechniqueGroup] = {}
    for name, value in table.items():
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise InvalidInput(
                f"In the technique words file, [contact] gives {name!r} the group {value!r}: "
                "use hold, guide or no_contact."
            )
        out[name.strip()] = allowed[value.strip().lower()]
    return out


def group_of(technique: str, groups: Mapping[str, TechniqueGroup]) -> TechniqueGroup:
    """The group of one technique (a hold when the school has not placed it)."""
    folded = {k.casefold(): v for k, v in groups.items()}
    return folded.get(technique.strip().casefold(), TechniqueGroup.HOLD)
