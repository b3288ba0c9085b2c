"""A letter to parents and carers ready to be made: one copy per home, and what the
person making it must check first (issue 5).

The warnings are shown before anything is previewed, printed or saved: another pupil's
name in the text a letter prints (other children must never be named in a letter to a
family), facts the letter cannot go without, and parents or carers who cannot be sent
a copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from incident_recorder.domain.letters import LetterContent
from incident_recorder.domain.pupil_names import names_in_text


@dataclass(frozen=True, slots=True)
class LetterDraft:
    """The copies of one pupil's letter about one incident, and the warnings."""

    incident_id: int
    reference: str
    copies: tuple[LetterContent, ...]
    template_version: int
    warnings: tuple[str, ...] = ()

    def copy_label(self, index: int) -> str:
        """ "Copy 1: Mr and Mrs Okafor, 12 Elm Road" (``index`` from 0)."""
        recipient = self.copies[index].recipient
        first_line = recipient.address_lines[0] if recipient.address_lines else ""
        where = f", {first_line}" if first_line else ""
        return f"Copy {index + 1}: {recipient.addressee}{where}"


# (what the text is, as the warning names it; the text) for each part a letter prints.
PrintedText = tuple[str, str]


def other_pupil_warnings(
    printed: Sequence[PrintedText], others: Iterable[tuple[str, ...]]
) -> list[str]:
    """A warning for each printed text that seems to name another pupil on roll."""
    names = frozenset(others)
    warnings = []
    for what, text in printed:
        found = list(dict.fromkeys(names_in_text(text, names))) if text.strip() else []
        if found:
            warnings.append(
                f"The {what} seems to name another pupil ({', '.join(found)}). "
                "Other children must not be named in a letter."
            )
    return warnings


def without_names(text: str, full_names: Iterable[str]) -> str:
    """``text`` with each full name (two words or more, e.g. a member of staff's) taken
    out, whatever its case, so that it is not mistaken for a pupil's first name."""
    present = {w.casefold() for w in re.findall(r"\w+", text)}
    for name in full_names:
        words = name.split()
        # Only a name all of whose words are in the text can be in it: a set look-up
        # first, so a school with thousands of staff costs no regular expressions.
        tokens = re.findall(r"\w+", name.casefold())  # "O'Brien" is "o" and "brien"
        if len(words) < 2 or not all(t in present for t in tokens):
            continue
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    return text
