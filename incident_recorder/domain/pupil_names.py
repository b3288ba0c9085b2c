"""Finding pupils' names in free text: the summary for parents and carers must not
name other children, because it is printed in a letter to the pupil's family."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")

# Given names that are also everyday English words: written in lower case ("we will
# talk", "with grace") they are the word, not the child, so only a capitalised "Will"
# or "Grace" counts. Other names count however they are written ("tomasz").
_ORDINARY_WORDS = frozenset(
    [
        "amber",
        "angel",
        "april",
        "art",
        "august",
        "autumn",
        "bay",
        "bear",
        "bill",
        "blue",
        "bob",
        "brook",
        "chase",
        "cliff",
        "coral",
        "crystal",
        "dawn",
        "daisy",
        "dean",
        "destiny",
        "drew",
        "eve",
        "faith",
        "frank",
        "gene",
        "glen",
        "grace",
        "guy",
        "harmony",
        "hazel",
        "heath",
        "holly",
        "honey",
        "hope",
        "hunter",
        "iris",
        "ivy",
        "jack",
        "jade",
        "joy",
        "june",
        "king",
        "kit",
        "lane",
        "lily",
        "major",
        "mark",
        "max",
        "may",
        "miles",
        "nick",
        "noble",
        "ocean",
        "olive",
        "pat",
        "pearl",
        "penny",
        "pierce",
        "prince",
        "rain",
        "ray",
        "reed",
        "rich",
        "river",
        "rob",
        "rose",
        "royal",
        "ruby",
        "sage",
        "sandy",
        "saint",
        "sky",
        "sonny",
        "star",
        "stone",
        "storm",
        "summer",
        "sunny",
        "tiger",
        "true",
        "victor",
        "violet",
        "wade",
        "will",
    ]
)


def name_words(text: str) -> tuple[str, ...]:
    """A name or text as case-folded words, so "O'Neill" is ("o", "neill")."""
    return tuple(w.casefold() for w in _WORD.findall(text))


def pupil_names(first: str, preferred: str, last: str) -> set[tuple[str, ...]]:
    """The ways a pupil may be named in text: first or preferred name alone, or with
    the last name. (A last name alone is left out: it names the family too.)"""
    found: set[tuple[str, ...]] = set()
    for given in {first, preferred}:
        if given.strip():
            found.add(name_words(given))
            if last.strip():
                found.add(name_words(f"{given} {last}"))
    found.discard(())
    return found


def names_in_text(text: str, names: Iterable[tuple[str, ...]]) -> list[str]:
    """The names (as written in ``text``) that appear as whole words, in text order."""
    wanted = set(names)
    if not wanted or not text.strip():
        return []
    longest = max(len(n) for n in wanted)
    matches = list(_WORD.finditer(text))
    words = [m.group().casefold() for m in matches]
    found: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            if tuple(words[i : i + size]) in wanted and not _just_a_word(matches[i : i + size]):
                written = text[matches[i].start() : matches[i + size - 1].end()]
                if written.casefold() not in seen:
                    seen.add(written.casefold())
                    found.append(written)
                i += size
                break
        else:
            i += 1
    return found


def _just_a_word(matches: list[re.Match[str]]) -> bool:
    """Whether a one-word match is an everyday word written in lower case."""
    if len(matches) != 1:
        return False
    written = matches[0].group()
    return written.islower() and written in _ORDINARY_WORDS
