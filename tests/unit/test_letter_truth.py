"""The letter tells parents what the record shows, all of it, and nothing else (issue 10):
a floor position and a worry about breathing are always told; a child who was only
guided or blocked is never said to be "held"; the salutation reads right."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date

import pytest

from incident_recorder.domain import generator_text
from incident_recorder.domain.generator import generate_school
from incident_recorder.domain.letters import (
    BlockKind,
    Hold,
    LetterBlock,
    LetterFacts,
    contradictions,
    everyday_words,
    fill_letter,
    salutation_for,
)
from incident_recorder.domain.model import FloorPosition, InterventionKind
from incident_recorder.domain.techniques import TechniqueGroup, group_of
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.infra.paths import resources_dir
from tests.unit.test_letters import FACTS as LETTER_FACTS

# Saying the child was held ("without holding on" says the opposite).
HOLD_WORDS = re.compile(r"(?<!without )\b(held|hold|holds|holding)\b", re.IGNORECASE)

# The letter tests' fictional incident, with no technique yet: each test adds its own.
FACTS = replace(LETTER_FACTS, holds=(), total_seconds=None)


def letter_text(facts: LetterFacts) -> str:
    blocks: list[LetterBlock] = fill_letter(default_letter_template(), facts)
    return "\n".join("\n".join(b.items) if b.kind is BlockKind.BULLETS else b.text for b in blocks)


def shipped_techniques() -> tuple[str, ...]:
    data = tomllib.loads((resources_dir() / "picklists.toml").read_text(encoding="utf-8"))
    return tuple(data["techniques"]["items"])


def hold(technique: str, seconds: int = 150) -> Hold:
    words = technique_words()
    return Hold(everyday_words(technique, words), seconds, group_of(technique, words.groups))


# ---------------------------------------------------------------- what the adults did


def test_every_shipped_technique_has_everyday_words_and_a_group() -> None:
    words = technique_words()
    for technique in shipped_techniques():
        assert technique in words, technique
        assert technique in words.groups, technique
    # The demo's own copy of the groups agrees with the shipped file.
    assert {k: str(v) for k, v in words.groups.items()} == generator_text.TECHNIQUE_GROUPS


@pytest.mark.parametrize("technique", shipped_techniques())
def test_the_letter_says_held_only_when_the_technique_holds(technique: str) -> None:
    facts = replace(
        FACTS, kind=InterventionKind.REASONABLE_FORCE, holds=(hold(technique),), total_seconds=150
    )
    text = letter_text(facts)
    group = group_of(technique, technique_words().groups)
    if group is TechniqueGroup.HOLD:
        assert "an adult at school needed to hold Amara to keep everyone safe" in text
        assert "We only hold a child when there is no other safe choice" in text
    else:
        assert not HOLD_WORDS.search(text), (technique, HOLD_WORDS.findall(text))
        assert "We only step in like this when there is no other safe choice" in text
    if group is TechniqueGroup.GUIDE:
        assert (
            "needed to gently guide Amara by hand (without holding on) to keep everyone safe"
            in text
        )
    if group is TechniqueGroup.NO_CONTACT:
        assert "needed to stand in Amara's way (without touching them) to keep" in text
    assert "(about 2 minutes and 30 seconds)." in text
    assert "Altogether" not in text  # one hold: its own time says it all


def test_several_holds_are_added_up() -> None:
    holds = (hold("Single elbow", 90), hold("Seated wrap", 45))
    text = letter_text(replace(FACTS, holds=holds, total_seconds=135))
    assert "(about 1 minute and 30 seconds)." in text and "(about 45 seconds)." in text
    assert "Altogether, this lasted about 2 minutes and 15 seconds." in text


@pytest.mark.parametrize(
    ("kind", "techniques", "opening", "held"),
    [
        (InterventionKind.REASONABLE_FORCE, ("Single elbow",), "needed to hold Amara to", True),
        (
            InterventionKind.REASONABLE_FORCE,
            ("Caring C guide", "Wrap (standing)"),
            "needed to hold Amara to",
            True,
        ),
        (
            InterventionKind.RESTRAINT_WITHOUT_FORCE,
            ("Guiding with an open hand",),
            "needed to gently guide Amara by hand (without holding on) to",
            False,
        ),
        (
            InterventionKind.RESTRAINT_WITHOUT_FORCE,
            ("Blocking / positioning without holding",),
            "needed to stand in Amara's way (without touching them) to",
            False,
        ),
        (
            InterventionKind.SECLUSION,
            (),
            "needed to keep Amara on their own in a room or space they could not leave, "
            "with an adult watching over them to",
            False,
        ),
        (
            InterventionKind.SECLUSION,
            ("Escort (two staff)",),
            "needed to hold Amara and then keep them on their own in a room or space",
            True,
        ),
        (InterventionKind.RESTRAINT_WITHOUT_FORCE, (), "needed to step in to help Amara", False),
    ],
)
def test_each_kind_of_intervention_is_told_as_it_was_recorded(
    kind: InterventionKind, techniques: tuple[str, ...], opening: str, held: bool
) -> None:
    facts = replace(FACTS, kind=kind, holds=tuple(hold(t, 60) for t in techniques))
    text = letter_text(facts)
    assert opening in text
    assert bool(HOLD_WORDS.search(text)) is held, HOLD_WORDS.findall(text)
    secluded = "spent time on their own in a room or space they could not leave" in text
    assert secluded is (kind is InterventionKind.SECLUSION)


# ---------------------------------------------------------------- floor and breathing


@pytest.mark.parametrize(
    ("position", "sentence"),
    [
        (FloorPosition.PRONE, "For about 20 seconds, Amara was face down on the floor."),
        (FloorPosition.SUPINE, "For about 20 seconds, Amara was lying on their back on the floor."),
        (FloorPosition.GROUND, "For about 20 seconds, Amara was sitting or kneeling on the floor."),
    ],
)
def test_a_floor_position_is_told_plainly_with_how_long_and_how_it_ended(
    position: FloorPosition, sentence: str
) -> None:
    facts = replace(
        FACTS,
        kind=InterventionKind.REASONABLE_FORCE,
        holds=(hold("Wrap (standing)", 90),),
        floor_positions=frozenset({position}),
        floor_seconds=20,
        floor_how="Amara slipped while in a standing hold.",
        floor_release="Staff let go at once and helped Amara to sit up.",
    )
    text = letter_text(facts)
    assert "Time on the floor" in text
    assert sentence in text
    assert "staff let go or help the child up at once" in text
    assert "How it came about: Amara slipped while in a standing hold." in text
    assert "How it ended: Staff let go at once and helped Amara to sit up." in text
    # After what the adults did, before the injuries.
    assert text.index("What the adults did") < text.index(sentence) < text.index("Injuries")


def test_two_floor_positions_are_both_told() -> None:
    facts = replace(
        FACTS,
        holds=(hold("Seated wrap", 60),),
        floor_positions=frozenset({FloorPosition.PRONE, FloorPosition.SUPINE}),
        floor_seconds=75,
    )
    assert (
        "For about 1 minute and 15 seconds, Amara was on the floor, at times face down and at "
        "times lying on their back." in letter_text(facts)
    )


def test_a_letter_without_a_floor_position_never_mentions_the_floor() -> None:
    text = letter_text(replace(FACTS, holds=(hold("Single elbow"),)))
    assert "floor" not in text.lower()


def test_a_worry_about_breathing_is_told_with_what_staff_saw() -> None:
    facts = replace(
        FACTS,
        holds=(hold("Seated wrap", 60),),
        breathing_never_restricted=False,
        breathing_details="Amara said it was hard to breathe; staff loosened the hold at once.",
    )
    text = letter_text(facts)
    assert "A worry about Amara's breathing" in text
    assert "Amara said it was hard to breathe; staff loosened the hold at once." in text
    assert "NHS 111" in text
    assert "could breathe freely" not in text


def test_breathing_never_restricted_is_said_only_when_the_child_was_held() -> None:
    held = replace(FACTS, holds=(hold("Single elbow"),), breathing_never_restricted=True)
    assert "Staff made sure that Amara could breathe freely at all times." in letter_text(held)
    guided = replace(held, holds=(hold("Guiding with an open hand"),))
    assert "breathe" not in letter_text(guided)


def test_a_summary_that_says_held_when_no_hold_was_recorded_is_warned_about() -> None:
    guided = replace(FACTS, holds=(hold("Guiding with an open hand"),))
    assert contradictions(guided) == []
    said_held = replace(guided, summary="An adult held Amara's hand and walked her inside.")
    (warning,) = contradictions(said_held)
    assert "summary for parents says the child was held, but the record shows no hold" in warning
    reason = replace(guided, why_necessary="Holding Amara briefly stopped her running off.")
    (warning,) = contradictions(reason)
    assert warning.startswith("The reason the intervention was necessary says")
    assert contradictions(replace(said_held, holds=(hold("Single elbow"),))) == []


# ---------------------------------------------------------------- the salutation


@pytest.mark.parametrize(
    ("names", "salutation"),
    [
        (["Mrs Amara Okafor"], "Dear Mrs Okafor"),
        (["Mrs Amara Okafor", "Mr Chidi Okafor"], "Dear Mrs and Mr Okafor"),
        (["Mrs Amara Okafor", "Mr Tomasz Nowak"], "Dear Mrs Okafor and Mr Nowak"),
        (["Dr. Ngozi Eze"], "Dear Dr Eze"),
        (["Amara Okafor"], "Dear Amara Okafor"),
        (["Amara Okafor", "Mr Tomasz Nowak"], "Dear Amara Okafor and Mr Nowak"),
        (["Ms Parent 95"], "Dear Ms Parent 95"),  # "95" is no surname: the full name
        (["Mrs"], "Dear parent or carer"),
        (["  "], "Dear parent or carer"),
        ([], "Dear parent or carer"),
        (["07700 900123"], "Dear parent or carer"),
    ],
)
def test_the_salutation_rule(names: list[str], salutation: str) -> None:
    assert salutation_for(names) == salutation


def test_the_demo_school_parents_have_real_fictional_names() -> None:
    from incident_recorder.domain.demo_contacts import demo_contacts

    for index in range(40):
        for contact in demo_contacts(index, "Okafor"):
            words = contact.name.split()
            assert len(words) >= 2 and all(w[0].isalpha() for w in words), contact.name
            assert not any(c.isdigit() for c in contact.name), contact.name
            if contact.parental_responsibility:
                assert salutation_for([contact.name]).endswith(" Okafor"), contact.name


def test_the_demo_summaries_for_parents_never_say_held_without_a_hold() -> None:
    school = generate_school(2026, 300, 200, date(2024, 9, 1), date(2026, 3, 9))
    groups = technique_words().groups
    checked = 0
    for record in school.incidents:
        d = record.details
        summary = d.parents.summary_for_parents
        if not summary:
            continue
        held = any(
            group_of(h.technique, groups) is TechniqueGroup.HOLD for h in d.intervention.holds
        )
        if not held:
            checked += 1
            assert not HOLD_WORDS.search(summary), summary
            assert not HOLD_WORDS.search(d.necessity.justification), d.necessity.justification
            assert not HOLD_WORDS.search(d.debriefs.pupil_voice), d.debriefs.pupil_voice
        if d.intervention.floor_position:
            assert held, "the demo puts a child on the floor only when they were held"
    assert checked >= 10


def test_an_older_wording_that_leaves_out_the_floor_or_says_held_is_warned_about() -> None:
    from incident_recorder.domain.letters import template_cautions, wording_gaps

    older = "On {date} an adult needed to hold {child}.\n\n{summary}\n\nCall {contact_name}."
    assert template_cautions(default_letter_template()) == []
    assert len(template_cautions(older)) == 3
    floor = replace(
        FACTS, holds=(hold("Wrap (standing)"),), floor_positions=frozenset({FloorPosition.PRONE})
    )
    (gap,) = wording_gaps(older, floor)
    assert gap.startswith("The child was on the floor, but the school's letter wording has no")
    guided = replace(FACTS, holds=(hold("Guiding with an open hand"),))
    (gap,) = wording_gaps(older, guided)
    assert "says the child was held, but the record shows no hold" in gap
    assert wording_gaps(default_letter_template(), floor) == []
    assert wording_gaps(default_letter_template(), guided) == []


def test_staff_names_are_taken_out_whatever_their_punctuation_and_only_when_there() -> None:
    from incident_recorder.domain.letter_draft import without_names

    staff = ["Siobhán O'Brien", "Jean-Luc Picard", "Ruby Jovanović", "Tom Hart"]
    text = "siobhán o'brien and Jean-Luc  Picard stayed with Ruby; Hartley helped."
    cleaned = without_names(text, staff)
    assert "brien" not in cleaned.lower() and "Picard" not in cleaned
    assert "Ruby" in cleaned and "Hartley" in cleaned  # not a whole staff name
