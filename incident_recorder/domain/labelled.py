"""The one way an enum carries the words a person sees: each member is written with its
stored value and its label, side by side::

    class Role(LabelledEnum):
        STAFF = "staff", "Staff"
        SENCO = "senco", "SENCO"

``Role.STAFF`` is still the string ``"staff"`` (what the database, the exports and the
settings hold; ``Role("staff")`` finds it), and ``Role.STAFF.label`` is ``"Staff"``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A StrEnum whose members are ``NAME = "value", "Label"``."""

    _label: str

    # ``label`` has a default only so that type checkers accept a look-up by value,
    # ``Role("staff")``, which never reaches this method; a member without one is refused.
    def __new__(cls, value: str, label: str = "") -> Self:
        if not label:
            raise TypeError(f"{cls.__name__} member {value!r} needs a label")
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        """The words to show for this value."""
        return self._label
