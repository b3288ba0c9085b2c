"""Finding a person on a list from a few typed letters, as a school office would:
case and accents do not matter ("sian" finds Siân), any part of the name will do,
and the surname may come first ("Jovanovic, Ruby", "jov r")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_SEPARATORS = re.compile(r"[\s,.;/\-]+")
_DROPPED = str.maketrans("", "", "'’`\u2018")


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("O'Neill" -> "oneill")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold().translate(_DROPPED)


def name_words(text: str) -> list[str]:
    """The words of a name, folded; hyphens and commas separate words."""
    return [w for w in _SEPARATORS.split(fold(text)) if w]


def _starts_words(typed: list[str], name: str) -> bool:
    words = name_words(name)
    return all(any(w.startswith(t) for w in words) for t in typed)


def _contains(typed: list[str], name: str) -> bool:
    joined = "".join(name_words(name))
    return all(t in joined for t in typed)


def matching(typed: str, people: Sequence[T], name: Callable[[T], str]) -> list[T]:
    """The people whose name matches ``typed``, in list order.

    A name typed in full (however it is spelt in case and accents) matches only
    itself. Otherwise every typed word must start a word of the name, in any order
    ("Ruby Jov", "Jovanovic R"); if nobody matches that way, every typed word must be
    somewhere in the name ("anov")."""
    words = name_words(typed)
    if not words:
        return []
    exact = [p for p in people if name_words(name(p)) == words]
    if exact:
        return exact
    starts = [p for p in people if _starts_words(words, name(p))]
    return starts or [p for p in people if _contains(words, name(p))]
