"""The letter to parents and carers (issue 5): what it says, before any layout.

How the pieces fit (the wiring builds these from the record, settings and contacts):

1. :class:`LetterFacts`: everything one letter says about one incident for one pupil,
   already as plain values. It has no field for the internal account (which can name
   other children), so no template can print it.
2. The school's template (default: ``resources/letters/default_letter.txt``), checked
   with :func:`check_template` and filled with :func:`fill_letter` into
   :class:`LetterBlock` headings, paragraphs and bullet lists. The language is in
   ``domain/letter_template.py``; :data:`TEMPLATE_FIELDS` and
   :data:`TEMPLATE_CONDITIONS` are the editor's help.
3. :func:`letter_recipients` (``domain/letter_recipients.py``): one copy per home.
4. :func:`build_letter` puts it together as :class:`LetterContent`, which
   ``documents/letter_pdf.py`` lays out on A4.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time

from incident_recorder.domain.durations import about_duration
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.letter_recipients import (
    Recipient,
    Recipients,
    address_lines,
    letter_recipients,
    salutation_for,
)
from incident_recorder.domain.letter_template import (
    BlockKind,
    LetterBlock,
    TemplateValues,
    fill_template,
)
from incident_recorder.domain.letter_template import check_template as _check
from incident_recorder.domain.model import FloorPosition, InterventionKind, SchoolDetails
from incident_recorder.domain.techniques import TechniqueGroup, parse_technique_groups

__all__ = [
    "TEMPLATE_CONDITIONS",
    "TEMPLATE_FIELDS",
    "BlockKind",
    "Hold",
    "LetterBlock",
    "LetterContent",
    "LetterFacts",
    "Letterhead",
    "Recipient",
    "Recipients",
    "TechniqueWords",
    "build_letter",
    "check_template",
    "contradictions",
    "everyday_words",
    "fill_letter",
    "letter_recipients",
    "long_date",
    "minutes_text",
    "missing_facts",
    "parse_technique_file",
    "parse_technique_words",
    "salutation_for",
    "template_cautions",
    "template_fingerprint",
    "wording_gaps",
]

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
_MONTHS += ("August", "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Hold:
    """One technique as a parent reads it, for how long in seconds (None: not
    recorded), and whether it held the child, guided them or did not touch them."""

    words: str
    seconds: int | None = None
    group: TechniqueGroup = TechniqueGroup.HOLD


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What one letter says about one incident for one pupil. Empty text = none."""

    reference: str
    incident_date: date
    place: str
    child: str  # the name the letter calls the child by (preferred or first name)
    child_full_name: str
    summary: str  # the form's "summary for parents", never the internal account
    why_necessary: str
    start_time: time | None = None
    end_time: time | None = None
    holds: tuple[Hold, ...] = ()
    total_seconds: int | None = None
    kind: InterventionKind | None = None
    # Time on the floor (empty positions: none). The release and how it came about are
    # staff's own words, checked for other pupils' names like the summary.
    floor_positions: frozenset[FloorPosition] = frozenset()
    floor_seconds: int | None = None
    floor_how: str = ""
    floor_release: str = ""
    # None: not answered; True: airway, breathing and circulation were never
    # restricted; False: staff were not sure or they were (see breathing_details).
    breathing_never_restricted: bool | None = None
    breathing_details: str = ""
    injury: str = ""
    # Issue 13: the body map in words ("a graze to the right elbow"), the child's only.
    injury_marks: str = ""
    first_aid: str = ""
    child_now: str = ""
    support: str = ""
    child_account: str = ""
    plan_review: bool | None = None  # None: the child has no plan
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""
    school_name: str = ""
    signatory_name: str = ""
    signatory_role: str = ""


# Field name -> what it prints, for the template editor's help (in this order).
TEMPLATE_FIELDS: dict[str, str] = {
    "child": "The child's name as the letter uses it (preferred or first name)",
    "child_full_name": "The child's full name",
    "date": "The day of the incident, e.g. Tuesday 17 November 2026",
    "times": "When it happened, e.g. 'between 10:15 and 10:25' or 'at about 10:15'",
    "start_time": "The start time, e.g. 10:15",
    "end_time": "The end time, e.g. 10:25",
    "place": "Where it happened",
    "summary": "The summary for parents written in the form",
    "why_necessary": "Why holding the child was necessary",
    "what_we_did": "What the adults did, as it finishes 'an adult needed to ...', e.g. "
    "'hold Sam', 'gently guide Sam by hand (without holding on)' or 'stand in Sam's way "
    "(without touching them)'",
    "holds": "What the adults did, in everyday words; use it as '- {holds}' for a list",
    "total_time": "How long the holds lasted altogether, e.g. 'about 4 minutes' (empty "
    "when there was only one hold: its own time is printed beside it)",
    "total_minutes": "The same as {total_time} (the name older wordings use)",
    "floor": "Time on the floor, e.g. 'For about 20 seconds, Sam was face down on the "
    "floor.' (empty when there was none)",
    "floor_how": "How the time on the floor came about, in staff's words",
    "floor_release": "How the time on the floor ended, in staff's words",
    "breathing_concern": "What staff saw when they were not sure the child's airway, "
    "breathing or circulation were free (empty when they were never restricted)",
    "injury": "Any injury to the child (empty when there was none)",
    "injury_marks": "Where the child was hurt, from the body map, e.g. 'a graze to the "
    "right elbow' (empty when nothing was marked)",
    "first_aid": "The first aid given",
    "child_now": "How the child is now",
    "support": "The support the child will have",
    "child_account": "What the child told us, if they gave their account",
    "contact_name": "The person parents can talk to",
    "contact_role": "That person's role",
    "contact_phone": "The number to call",
    "school_name": "The school's name",
    "signatory_name": "Who signs the letter",
    "signatory_role": "Their role",
    "reference": "The incident reference, e.g. 2026-0042",
}

# Names that [if ...] can test besides the fields (which test 'has a value').
TEMPLATE_CONDITIONS: dict[str, str] = {
    "held": "An adult held the child",
    "guided": "An adult guided the child by touch, without holding on, and nobody held them",
    "no_contact": "Nobody touched the child (for example, an adult stood in the way)",
    "secluded": "The child was kept apart in a room or space they could not leave",
    "breathing_fine": "The child was held and staff confirmed their airway, breathing and "
    "circulation were never restricted",
    "plan_review": "The child's behaviour support plan will be reviewed",
    "plan_not_reviewed": "The child has a plan and it will not be reviewed now",
    "has_plan": "The child has a behaviour support plan",
}


def check_template(text: str) -> list[str]:
    """Every problem in a letter template, in plain words; [] when it can be used."""
    problems = _check(text, set(TEMPLATE_FIELDS), set(TEMPLATE_FIELDS) | set(TEMPLATE_CONDITIONS))
    if not text.strip():
        problems.insert(0, "The letter template is empty.")
    return problems


def template_fingerprint(text: str) -> str:
    """A short, stable name for exactly this wording (line endings and trailing
    spaces do not count), stored with each letter as its template version."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    digest = hashlib.sha256("\n".join(lines).strip().encode("utf-8")).hexdigest()
    return f"t-{digest[:12]}"


def long_date(day: date) -> str:
    """ "Tuesday 17 November 2026", whatever the PC's language settings."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def minutes_text(minutes: int | None) -> str:
    """ "about 4 minutes", "about 1 minute", "less than a minute"; "" if unknown."""
    if minutes is None:
        return ""
    if minutes < 1:
        return "less than a minute"
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


# Where the child was on the floor, as a parent reads it ("Sam was face down ...").
_FLOOR_WORDS: dict[FloorPosition, str] = {
    FloorPosition.PRONE: "face down",
    FloorPosition.SUPINE: "lying on their back",
    FloorPosition.GROUND: "sitting or kneeling",
}


def floor_sentence(child: str, positions: frozenset[FloorPosition], seconds: int | None) -> str:
    """ "For about 20 seconds, Sam was face down on the floor." "" when none."""
    if not positions:
        return ""
    words = [_FLOOR_WORDS[p] for p in FloorPosition if p in positions]
    if len(words) == 1:
        where = f"{words[0]} on the floor"
    else:
        where = "on the floor, at times " + " and at times ".join(words)
    how_long = about_duration(seconds)
    if how_long:
        return f"For {how_long}, {child} was {where}."
    return f"{child} was {where} for a time."


def _groups(facts: LetterFacts) -> frozenset[TechniqueGroup]:
    return frozenset(h.group for h in facts.holds if h.words.strip())


def held(facts: LetterFacts) -> bool:
    """Whether the record shows an adult holding the child."""
    return TechniqueGroup.HOLD in _groups(facts)


def what_we_did(facts: LetterFacts) -> str:
    """What the adults did, finishing "an adult at school needed to ...": only what the
    record shows, so a child who was guided or blocked is never said to be held."""
    child, groups = facts.child, _groups(facts)
    phrases: list[str] = []
    if held(facts):
        phrases.append(f"hold {child}")
    elif TechniqueGroup.GUIDE in groups:
        phrases.append(f"gently guide {child} by hand (without holding on)")
    elif TechniqueGroup.NO_CONTACT in groups:
        phrases.append(f"stand in {child}'s way (without touching them)")
    if facts.kind is InterventionKind.SECLUSION:
        who = "them" if phrases else child
        phrases.append(
            f"keep {who} on their own in a room or space they could not leave, with an adult "
            "watching over them"
        )
    if not phrases:
        return f"step in to help {child}"
    return " and then ".join(phrases)


def _times(facts: LetterFacts) -> str:
    start, end = facts.start_time, facts.end_time
    if start and end and end != start:
        return f"between {start:%H:%M} and {end:%H:%M}"
    if start:
        return f"at about {start:%H:%M}"
    return ""


def _hold_line(hold: Hold) -> str:
    words = hold.words.strip()
    words = words[:1].upper() + words[1:]
    how_long = about_duration(hold.seconds)
    return f"{words} ({how_long})." if how_long else f"{words}."


def template_values(facts: LetterFacts) -> TemplateValues:
    """The facts as the template language sees them."""
    timed = [h for h in facts.holds if h.words.strip() and h.seconds is not None]
    # "Altogether" only adds anything when more than one hold was timed.
    total = about_duration(facts.total_seconds) if len(timed) > 1 else ""
    text = {
        "child": facts.child,
        "child_full_name": facts.child_full_name,
        "date": long_date(facts.incident_date),
        "times": _times(facts),
        "start_time": f"{facts.start_time:%H:%M}" if facts.start_time else "",
        "end_time": f"{facts.end_time:%H:%M}" if facts.end_time else "",
        "place": facts.place,
        "summary": facts.summary,
        "why_necessary": facts.why_necessary,
        "what_we_did": what_we_did(facts),
        "total_time": total,
        "total_minutes": total,
        "floor": floor_sentence(facts.child, facts.floor_positions, facts.floor_seconds),
        "floor_how": facts.floor_how.strip() if facts.floor_positions else "",
        "floor_release": facts.floor_release.strip() if facts.floor_positions else "",
        "breathing_concern": (
            (facts.breathing_details.strip() or "Staff were not sure.")
            if facts.breathing_never_restricted is False
            else ""
        ),
        "injury": facts.injury,
        "injury_marks": facts.injury_marks,
        "first_aid": facts.first_aid,
        "child_now": facts.child_now,
        "support": facts.support,
        "child_account": facts.child_account,
        "contact_name": facts.contact_name,
        "contact_role": facts.contact_role,
        "contact_phone": facts.contact_phone,
        "school_name": facts.school_name,
        "signatory_name": facts.signatory_name,
        "signatory_role": facts.signatory_role,
        "reference": facts.reference,
    }
    groups = _groups(facts)
    is_held = held(facts)
    flags = {
        "held": is_held,
        "guided": not is_held and TechniqueGroup.GUIDE in groups,
        "no_contact": not is_held and bool(groups) and groups <= {TechniqueGroup.NO_CONTACT},
        "secluded": facts.kind is InterventionKind.SECLUSION,
        "breathing_fine": is_held and facts.breathing_never_restricted is True,
        "plan_review": facts.plan_review is True,
        "plan_not_reviewed": facts.plan_review is False,
        "has_plan": facts.plan_review is not None,
    }
    holds = tuple(_hold_line(h) for h in facts.holds if h.words.strip())
    return TemplateValues(text=text, lists={"holds": holds}, flags=flags)


def missing_facts(facts: LetterFacts) -> list[str]:
    """What a letter cannot go without, in plain words; [] when it is complete."""
    needed = (
        ("summary", "the summary for parents"),
        ("why_necessary", "why the intervention was necessary"),
        ("place", "where it happened"),
        ("contact_name", "who parents can talk to"),
        ("signatory_name", "who signs the letter (in the school's settings)"),
    )
    missing = [words for name, words in needed if not str(getattr(facts, name)).strip()]
    return [f"The letter needs {words}." for words in missing]


# "held" and the like, but not "without holding on".
_HOLD_WORDS = re.compile(r"(?<!without )\b(held|hold|holds|holding|restrained)\b", re.IGNORECASE)


def contradictions(facts: LetterFacts) -> list[str]:
    """Where staff's words in the letter say the child was held and the record shows no
    hold, in plain words; [] when they agree. The letter's own sentences follow the
    record, but the summary and the reason are staff's words, printed as written (the
    child's own account is theirs, and is never questioned)."""
    if held(facts):
        return []
    shown = "; ".join(sorted({h.words for h in facts.holds})) or "no technique"
    return [
        f"The {what} says the child was held, but the record shows no hold (it records: "
        f"{shown}). Please check which is right and amend the record before the letter "
        "goes out."
        for what, text in (
            ("summary for parents", facts.summary),
            ("reason the intervention was necessary", facts.why_necessary),
        )
        if _HOLD_WORDS.search(text)
    ]


_FIELD_USE = re.compile(r"\{\s*([A-Za-z_]\w*)\s*\}")


def _prints(template: str, name: str) -> bool:
    return name in _FIELD_USE.findall(template)


def _plain_text(blocks: list[LetterBlock]) -> str:
    return "\n".join("\n".join(b.items) if b.kind is BlockKind.BULLETS else b.text for b in blocks)


def _gaps(template: str, facts: LetterFacts) -> list[str]:
    """Which of "floor", "breathing" and "held" the wording gets wrong for these facts."""
    found: list[str] = []
    if facts.floor_positions and not _prints(template, "floor"):
        found.append("floor")
    if facts.breathing_never_restricted is False and not _prints(template, "breathing_concern"):
        found.append("breathing")
    if not held(facts) and not check_template(template):
        printed = _plain_text(fill_template(template, template_values(facts)))
        # Only the wording's own words count, not what staff or the child wrote.
        staff_words = (facts.summary, facts.why_necessary, facts.child_account)
        for value in (*staff_words, facts.floor_how, facts.floor_release, facts.breathing_details):
            if value.strip():
                printed = printed.replace(value.strip(), "")
        for hold in facts.holds:
            printed = printed.replace(hold.words.strip(), "")
        if _HOLD_WORDS.search(printed):
            found.append("held")
    return found


_GAP_IN_A_LETTER = {
    "floor": "The child was on the floor, but the school's letter wording has no place for "
    "it ({floor}): parents must be told. Ask an administrator to add it (Administration, "
    "then Letter wording; Restore default shows where it goes).",
    "breathing": "Staff could not confirm that the child's breathing was never restricted, "
    "but the school's letter wording has no place for it ({breathing_concern}): parents "
    "must be told. Ask an administrator to add it.",
    "held": "The school's letter wording says the child was held, but the record shows no "
    "hold. Ask an administrator to put those words inside [if held] ... [end].",
}
_GAP_IN_THE_WORDING = {
    "floor": "There is no place for time on the floor ({floor}): parents of a child who was "
    "on the floor must be told. Restore default shows where it goes.",
    "breathing": "There is no place for a worry about breathing ({breathing_concern}): "
    "parents must be told when staff cannot confirm it was never restricted.",
    "held": "The wording says the child was held even when the record shows no hold (a "
    "guide, or standing in the way): put those words inside [if held] ... [end].",
}


def wording_gaps(template: str, facts: LetterFacts) -> list[str]:
    """Where the school's wording cannot tell these parents the whole truth about this
    record, in plain words; [] when it can. (An older wording may have no place for the
    time on the floor, or may say "held" whatever happened.)"""
    return [_GAP_IN_A_LETTER[gap] for gap in _gaps(template, facts)]


# A made-up record that every wording must be able to tell truly: a child guided
# without being held, who was on the floor, with a worry about breathing.
_CAUTION_FACTS = LetterFacts(
    reference="2026-0001",
    incident_date=date(2026, 1, 5),
    place="the hall",
    child="Sam",
    child_full_name="Sam Sample",
    summary="Sam was upset.",
    why_necessary="Sam was about to run into the road.",
    holds=(Hold("an adult walked beside your child", 60, TechniqueGroup.GUIDE),),
    kind=InterventionKind.RESTRAINT_WITHOUT_FORCE,
    floor_positions=frozenset({FloorPosition.GROUND}),
    floor_seconds=20,
    breathing_never_restricted=False,
    contact_name="the office",
    signatory_name="The head",
)


def template_cautions(template: str) -> list[str]:
    """What an administrator should know about a wording that is valid but cannot tell
    every family the whole truth (shown in the editor; saving is still allowed)."""
    return [_GAP_IN_THE_WORDING[gap] for gap in _gaps(template, _CAUTION_FACTS)]


def fill_letter(template: str, facts: LetterFacts) -> list[LetterBlock]:
    """The template filled with the facts; InvalidInput if the template has problems."""
    problems = check_template(template)
    if problems:
        raise InvalidInput("The letter template needs fixing: " + " ".join(problems))
    return fill_template(template, template_values(facts))


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The school as the top of the letter shows it. ``logo_png``: PNG bytes or None."""

    school_name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo_png: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_school(cls, school: SchoolDetails, logo_png: bytes | None = None) -> Letterhead:
        return cls(school.name, address_lines(school.address), school.phone, school.email, logo_png)


@dataclass(frozen=True, slots=True)
class LetterContent:
    """One copy of one letter, ready to lay out."""

    letterhead: Letterhead
    recipient: Recipient
    letter_date: date
    blocks: tuple[LetterBlock, ...]
    signatory_name: str
    signatory_role: str
    reference: str
    template_version: str

    @property
    def salutation(self) -> str:
        return self.recipient.salutation


def build_letter(
    template: str,
    facts: LetterFacts,
    letterhead: Letterhead,
    recipient: Recipient,
    letter_date: date,
    template_version: str | None = None,
) -> LetterContent:
    """One copy of the letter. ``template_version`` defaults to the fingerprint of the
    template; give the store's version number instead once templates are stored."""
    return LetterContent(
        letterhead=letterhead,
        recipient=recipient,
        letter_date=letter_date,
        blocks=tuple(fill_letter(template, facts)),
        signatory_name=facts.signatory_name,
        signatory_role=facts.signatory_role,
        reference=facts.reference,
        template_version=template_version or template_fingerprint(template),
    )


@dataclass(frozen=True)
class TechniqueWords(Mapping[str, str]):
    """The technique words file: technique -> everyday words (the mapping itself) and
    technique -> what it does to the child (:attr:`groups`)."""

    words: Mapping[str, str]
    groups: Mapping[str, TechniqueGroup] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


def parse_technique_file(toml_text: str) -> TechniqueWords:
    """The whole technique words file (``[words]`` and ``[contact]``)."""
    return TechniqueWords(parse_technique_words(toml_text), parse_technique_groups(toml_text))


def parse_technique_words(toml_text: str) -> dict[str, str]:
    """The ``[words]`` table of ``resources/letters/technique_words.toml``: technique
    name -> everyday words. InvalidInput when the file is not as described."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"The technique words file is not valid TOML: {exc}") from exc
    words = data.get("words", {})
    if not isinstance(words, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in words.items()
    ):
        raise InvalidInput("In the technique words file, [words] must map names to text.")
    return {k.strip(): " ".join(v.split()) for k, v in words.items() if v.strip()}


def everyday_words(technique: str, words: Mapping[str, str]) -> str:
    """What a parent reads for a technique; a name the school added without words
    is still printed, plainly, rather than left out."""
    folded = {k.casefold(): v for k, v in words.items()}
    found = folded.get(technique.strip().casefold())
    return found or f"staff used a hold the school calls “{technique.strip()}”"
