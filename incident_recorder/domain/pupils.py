"""Rules about pupils: the DfE Unique Pupil Number (UPN)."""

from __future__ import annotations

# The check-letter alphabet: A-Z without I, O and S.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The check letter (character 1) for the other 12 characters of a UPN.

    Each of characters 2 to 13 is multiplied by its position (2 to 13); the 13th may be
    a letter in a temporary UPN, counted by its place in the check alphabet. The sum
    modulo 23 picks the letter.
    """
    if len(body) != 12:
        raise ValueError("a UPN body is 12 characters")
    total = 0
    for position, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * position
    return UPN_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why ``upn`` is not a valid UPN, in plain words, or None if it is valid."""
    text = upn.strip().upper()
    if len(text) != 13:
        return f"A UPN has 13 characters; '{upn}' has {len(text)}."
    head, body = text[0], text[1:]
    if not body[:11].isdigit() or not (body[11].isdigit() or body[11] in UPN_LETTERS):
        return f"'{upn}' is not a UPN: after the first letter come 11 digits and a digit or letter."
    if head not in UPN_LETTERS:
        return f"'{upn}' is not a UPN: it must start with a letter other than I, O or S."
    if upn_check_letter(body) != head:
        return (
            f"'{upn}' is not a valid UPN: its check letter does not match. Check for a typing slip."
        )
    return None


def make_upn(la_code: int, school_number: int, year: int, serial: int) -> str:
    """A valid permanent UPN from its parts (used by the fictional data generator)."""
    body = f"{la_code:03d}{school_number:04d}{year % 100:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body
