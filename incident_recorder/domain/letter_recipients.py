"""Who gets a copy of a parent letter, and how each copy is addressed.

Rules (issue 5): a copy for each parent or carer with parental responsibility who
receives correspondence, one per address when they live apart.

- Addresses are compared ignoring case, spaces and punctuation, so "12 Elm Road,
  London N1 2AB" and "12 elm road / london / n12ab" are one address: one letter.
- The envelope line uses the names exactly as the school's records hold them, joined
  with "and". The salutation names each person by title and surname when their name
  starts with a title and ends in a real surname ("Dear Mrs Okafor"), else by their
  full name ("Dear Amara Okafor"), else "Dear parent or carer"; people who share a
  title-and-surname form are joined the usual way: "Dear Mrs and Mr Okafor". We never
  guess a title from a relationship ("Mother" is not always "Mrs"), and a "surname"
  with no letters in it ("Ms Parent 95") is not used as one.
- Someone who should get a letter but has no address is a problem the screen shows
  ("No address for Zoë Łukasiewicz"); the others still get theirs.
- Order is stable: the order of the contacts, by each address's first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from incident_recorder.domain.model import Contact

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Rev")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Recipient:
    """One copy of the letter: the name(s) on the envelope, "Dear ...", the address."""

    addressee: str
    salutation: str
    address_lines: tuple[str, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recipients:
    """The copies to make, and the people who cannot get one (plain sentences)."""

    letters: tuple[Recipient, ...]
    problems: tuple[str, ...]


def address_lines(address: str) -> tuple[str, ...]:
    """An address as the MIS gives it (lines or commas) as tidy lines; a postcode on
    the last line is written the standard way ("n12ab" -> "N1 2AB")."""
    parts = [" ".join(p.split()) for p in re.split(r"[\n,]", address)]
    lines = [p for p in parts if p]
    if lines:
        match = _POSTCODE.match(lines[-1])
        if match:
            lines[-1] = f"{match.group(1)} {match.group(2)}".upper()
    return tuple(lines)


def address_key(address: str) -> str:
    """What two addresses must share to be the same home."""
    return re.sub(r"[^\w]", "", address.casefold())


def _split_title(name: str) -> tuple[str, str]:
    """("Mrs", "Okafor") for "Mrs Amara Okafor"; ("", "") without a title and a
    surname that is a word (with at least one letter)."""
    words = name.split()
    if (
        len(words) >= 2
        and words[0].rstrip(".").capitalize() in TITLES
        and any(c.isalpha() for c in words[-1])
    ):
        return words[0].rstrip(".").capitalize(), words[-1]
    return "", ""


def _is_a_name(name: str) -> bool:
    """A bare title ("Mrs") or a string with no letters is nobody's name."""
    words = name.split()
    if not any(c.isalpha() for c in name):
        return False
    return not (len(words) == 1 and words[0].rstrip(".").capitalize() in TITLES)


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def salutation_for(names: Sequence[str]) -> str:
    """ "Dear ..." for the people at one address (see the module notes)."""
    names = [" ".join(n.split()) for n in names if _is_a_name(n)]
    if not names:
        return "Dear parent or carer"
    titled = [_split_title(n) for n in names]
    if all(title for title, _ in titled):
        surnames = {surname.casefold() for _, surname in titled}
        if len(surnames) == 1:
            return f"Dear {_join([t for t, _ in titled])} {titled[0][1]}"
    people = [f"{t} {s}" if t else name for name, (t, s) in zip(names, titled, strict=True)]
    return "Dear " + _join(people)


def letter_recipients(contacts: Sequence[Contact]) -> Recipients:
    """The copies to make for one pupil's contacts (see the module notes)."""
    homes: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    problems: list[str] = []
    for contact in contacts:
        if not (contact.parental_responsibility and contact.receives_correspondence):
            continue
        name = " ".join(contact.name.split()) or "a parent or carer"
        lines = address_lines(contact.address)
        if not lines:
            problems.append(f"No address for {name}: they cannot be sent a letter.")
            continue
        key = address_key(contact.address)
        if key not in homes:
            homes[key] = (lines, [])
        if name not in homes[key][1]:
            homes[key][1].append(name)
    if not homes and not problems:
        problems.append(
            "No parent or carer with parental responsibility is set to receive letters."
        )
    letters = tuple(
        Recipient(
            addressee=_join(names),
            salutation=salutation_for(names),
            address_lines=lines,
            names=tuple(names),
        )
        for lines, names in homes.values()
    )
    return Recipients(letters, tuple(problems))
