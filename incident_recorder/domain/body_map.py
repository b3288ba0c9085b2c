"""Injuries on a body map: the named regions of a front and a back figure, the marks
staff put on them, and the words that describe them ("a graze to the right elbow").

Left and right are always the **pupil's own** left and right (or the injured adult's):
on the front figure their right side is on the viewer's left, on the back figure on the
viewer's right. The screens and the printed record say so.

The figure's shapes (for the screen and the printed record alike) are plain numbers in
:mod:`incident_recorder.domain.body_map_shapes`. Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from incident_recorder.domain.labelled import LabelledEnum

# At most this many marks for one person's injuries (more belongs in the written note).
MAX_MARKS = 12
NOTE_LIMIT = 200  # characters in one mark's note

LEFT_RIGHT_NOTE = (
    "Left and right are the injured person's own left and right: on the front figure "
    "their right side is on your left; on the back figure it is on your right."
)


class BodyView(LabelledEnum):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class InjuryKind(LabelledEnum):
    GRAZE = "graze", "Graze"
    BRUISE = "bruise", "Bruise"
    RED_MARK = "red_mark", "Red mark"
    CUT = "cut", "Cut"
    OTHER = "other", "Other"


# How each kind reads in a sentence ("a graze to ...").
_KIND_WORDS: dict[InjuryKind, str] = {
    InjuryKind.GRAZE: "a graze",
    InjuryKind.BRUISE: "a bruise",
    InjuryKind.RED_MARK: "a red mark",
    InjuryKind.CUT: "a cut",
    InjuryKind.OTHER: "an injury",
}


@dataclass(frozen=True, slots=True)
class BodyRegion:
    """One named part of the figure. ``code`` is what the record stores."""

    code: str
    name: str  # as it reads after "to the": "right elbow", "back of the head"
    view: BodyView
    side: str  # "right", "left" or "" (the middle of the body)


@dataclass(frozen=True, slots=True)
class InjuryMark:
    """One injury marked on the figure: where, what kind, and a note."""

    region: str  # a BodyRegion code
    kind: InjuryKind | None = None
    note: str = ""


# The parts with a right and a left, front then back: (code stem, name after "right "/
# "left "). The codes are "front_right_elbow", "back_left_calf" and so on.
_FRONT_PAIRS = (
    ("shoulder", "shoulder"),
    ("upper_arm", "upper arm"),
    ("elbow", "elbow"),
    ("forearm", "forearm"),
    ("wrist", "wrist"),
    ("hand", "hand"),
    ("hip", "hip"),
    ("thigh", "thigh"),
    ("knee", "knee"),
    ("shin", "shin"),
    ("foot", "foot"),
)
_BACK_PAIRS = (
    ("shoulder", "back of the {side} shoulder"),
    ("upper_arm", "back of the {side} upper arm"),
    ("elbow", "back of the {side} elbow"),
    ("forearm", "back of the {side} forearm"),
    ("wrist", "back of the {side} wrist"),
    ("hand", "back of the {side} hand"),
    ("buttock", "{side} buttock"),
    ("thigh", "back of the {side} thigh"),
    ("knee", "back of the {side} knee"),
    ("calf", "{side} calf"),
    ("heel", "{side} heel"),
)
_FRONT_MIDDLE = (
    ("face", "face"),
    ("neck", "front of the neck"),
    ("chest", "chest"),
    ("stomach", "stomach"),
)
_BACK_MIDDLE = (
    ("head", "back of the head"),
    ("neck", "back of the neck"),
    ("upper_back", "upper back"),
    ("lower_back", "lower back"),
)


def _build() -> tuple[BodyRegion, ...]:
    out: list[BodyRegion] = []
    for view, middle, pairs in (
        (BodyView.FRONT, _FRONT_MIDDLE, _FRONT_PAIRS),
        (BodyView.BACK, _BACK_MIDDLE, _BACK_PAIRS),
    ):
        out += [BodyRegion(f"{view.value}_{stem}", name, view, "") for stem, name in middle]
        for stem, name in pairs:
            for side in ("right", "left"):
                words = name.format(side=side) if "{side}" in name else f"{side} {name}"
                out.append(BodyRegion(f"{view.value}_{side}_{stem}", words, view, side))
    return tuple(out)


REGIONS: tuple[BodyRegion, ...] = _build()
_BY_CODE: dict[str, BodyRegion] = {r.code: r for r in REGIONS}


def region(code: str) -> BodyRegion | None:
    """The region with this code, or None (a code this version does not know)."""
    return _BY_CODE.get(code)


def regions_of(view: BodyView) -> tuple[BodyRegion, ...]:
    return tuple(r for r in REGIONS if r.view is view)


def region_name(code: str) -> str:
    found = _BY_CODE.get(code)
    return found.name if found else "a part of the body not named here"


def region_label(code: str) -> str:
    """The region as a list shows it: "Right elbow (front)"."""
    found = _BY_CODE.get(code)
    if found is None:
        return region_name(code)
    return f"{found.name[0].upper()}{found.name[1:]} ({found.view.label.lower()})"


def mark_words(mark: InjuryMark) -> str:
    """One mark in words: "a graze to the right elbow"; an "other" injury carries its
    note: "an injury to the right knee (swelling)"."""
    kind = _KIND_WORDS[mark.kind] if mark.kind else "an injury"
    if mark.region in _BY_CODE:
        words = f"{kind} to the {region_name(mark.region)}"
    else:
        words = f"{kind} (the place on the body is not known)"
    if mark.kind is InjuryKind.OTHER and mark.note.strip():
        words += f" ({' '.join(mark.note.split())})"
    return words


def marks_words(marks: Sequence[InjuryMark]) -> str:
    """The marks as one phrase: "a bruise to the left upper arm and a red mark to the
    back of the left shoulder" ("" for none)."""
    parts = [mark_words(m) for m in marks]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def marks_sentence(marks: Sequence[InjuryMark]) -> str:
    """The marks as a sentence with a capital and a full stop ("" for none)."""
    words = marks_words(marks)
    return f"{words[0].upper()}{words[1:]}." if words else ""


def numbered(marks: Sequence[InjuryMark]) -> list[tuple[int, InjuryMark]]:
    """The marks numbered from 1, as the figure and the table beside it number them."""
    return list(enumerate(marks, start=1))


def mark_problems(marks: Sequence[InjuryMark]) -> list[tuple[int, str]]:
    """What must be put right before submit: (mark number, message) for each problem;
    number 0 for a problem with the marks as a whole."""
    out: list[tuple[int, str]] = []
    if len(marks) > MAX_MARKS:
        out.append(
            (
                0,
                f"Mark at most {MAX_MARKS} places on the body map; describe any more in "
                "the written description.",
            )
        )
    for n, mark in numbered(marks):
        if mark.region not in _BY_CODE:
            out.append((n, f"Mark {n} is on a part of the body this version does not know."))
            continue
        where = region_name(mark.region)
        if mark.kind is None:
            out.append((n, f"Say what kind of injury mark {n} ({where}) is."))
        elif mark.kind is InjuryKind.OTHER and not mark.note.strip():
            out.append((n, f"Describe the injury marked 'other' at mark {n} ({where})."))
        if len(mark.note) > NOTE_LIMIT:
            out.append(
                (n, f"Shorten the note of mark {n} ({where}) to {NOTE_LIMIT} characters or fewer.")
            )
    return out
