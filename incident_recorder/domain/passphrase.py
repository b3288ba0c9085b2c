"""Passphrase rules and a simple strength estimate for the set-up window."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIN_LENGTH = 12

_COMMON = {
    "password",
    "passphrase",
    "qwerty",
    "letmein",
    "welcome",
    "school",
    "teacher",
    "123456",
    "abc123",
    "iloveyou",
    "admin",
    "changeme",
    "incident",
    "recorder",
}


_COMMON_WORDS = re.compile(
    "|".join(re.escape(w) for w in sorted(_COMMON, key=len, reverse=True)), re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Strength:
    score: int  # 0 (very weak) to 4 (strong)
    label: str
    advice: str
    acceptable: bool


def problem(passphrase: str) -> str | None:
    """Why the passphrase cannot be used, or None if it can."""
    if len(passphrase) < MIN_LENGTH:
        return f"The passphrase must be at least {MIN_LENGTH} characters long."
    if passphrase.strip() != passphrase:
        return "The passphrase cannot start or end with a space."
    if len(set(passphrase)) < 5:
        return "The passphrase repeats too few different characters. Try a few unrelated words."
    return None


def strength(passphrase: str) -> Strength:
    """A rough guess at how hard the passphrase is to guess."""
    if not passphrase:
        return Strength(
            0,
            "",
            f"Use at least {MIN_LENGTH} characters: a few unrelated words "
            "make a strong passphrase that is easy to remember.",
            False,
        )
    pool = 0
    if re.search(r"[a-z]", passphrase):
        pool += 26
    if re.search(r"[A-Z]", passphrase):
        pool += 26
    if re.search(r"[0-9]", passphrase):
        pool += 10
    if re.search(r"[^a-zA-Z0-9]", passphrase):
        pool += 33
    # A common word is one guess, not a run of letters: count it as a single character.
    collapsed = _COMMON_WORDS.sub("\x00", passphrase)
    distinct = len(set(collapsed))
    bits = min(len(collapsed), distinct * 2) * math.log2(max(pool, 2))
    words = len(re.findall(r"[A-Za-z]{3,}", passphrase))
    if words >= 4:
        bits += 10
    acceptable = problem(passphrase) is None
    if not acceptable or bits < 45:
        score, label = (0 if bits < 30 else 1), "Too weak" if not acceptable else "Weak"
    elif bits < 60:
        score, label = 2, "Fair"
    elif bits < 80:
        score, label = 3, "Good"
    else:
        score, label = 4, "Strong"
    advice = problem(passphrase) or {
        0: "This would be easy to guess: add a few unrelated words.",
        1: "Add another unrelated word or two.",
        2: "Adding another word would make it stronger.",
        3: "A good passphrase.",
        4: "A strong passphrase.",
    }.get(score, "")
    return Strength(score, label, advice, acceptable)
