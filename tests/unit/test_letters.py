"""The parent letter's wording: template language, facts, recipients (issue 5)."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from datetime import date, time

import pytest

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.letters import (
    TEMPLATE_FIELDS,
    BlockKind,
    Hold,
    LetterBlock,
    LetterFacts,
    Letterhead,
    build_letter,
    check_template,
    everyday_words,
    fill_letter,
    letter_recipients,
    long_date,
    minutes_text,
    missing_facts,
    salutation_for,
    template_fingerprint,
)
from incident_recorder.domain.model import Contact, SchoolDetails
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.infra.paths import resources_dir

FACTS = LetterFacts(
    reference="2026-0042",
    incident_date=date(2026, 11, 17),
    place="Playground",
    child="Amara",
    child_full_name="Amara Okafor",
    summary="Amara became upset at lunchtime and ran towards the gate.",
    why_necessary="The gate was open onto a busy road.",
    start_time=time(12, 40),
    end_time=time(12, 44),
    holds=(Hold("an adult held your child's arm at the elbow and wrist", 180),),
    total_seconds=180,
    child_now="Amara is calm and back in class.",
    contact_name="Siân Griffiths",
    contact_role="Deputy Headteacher",
    contact_phone="020 7946 0000",
    signatory_name="Tomasz Nowak",
    signatory_role="Headteacher",
)


def text_of(blocks: list[LetterBlock]) -> str:
    return "\n".join(
        b.text if b.kind is not BlockKind.BULLETS else "\n".join(b.items) for b in blocks
    )


def parent(name: str, address: str, **kw: object) -> Contact:
    values: dict[str, object] = {
        "parental_responsibility": True,
        "receives_correspondence": True,
        "address": address,
    }
    values.update(kw)
    return Contact(name, **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the default wording


def test_the_default_template_is_valid_and_says_everything_in_the_issues_order() -> None:
    template = default_letter_template()
    assert check_template(template) == []
    facts = replace(
        FACTS,
        injury="A small graze on Amara's knee.",
        first_aid="Cleaned and a plaster put on.",
        support="Ten minutes with her key adult each morning.",
        child_account="I wanted to go home.",
        plan_review=True,
    )
    text = text_of(fill_letter(template, facts))
    in_order = [
        "Tuesday 17 November 2026",
        "between 12:40 and 12:44",
        "Playground",
        facts.summary,
        facts.why_necessary,
        "An adult held your child's arm at the elbow and wrist (about 3 minutes).",
        "A small graze on Amara's knee.",
        "Cleaned and a plaster put on.",
        "Amara is calm and back in class.",
        "Ten minutes with her key adult each morning.",
        "I wanted to go home.",
        "behaviour support plan",
        "Siân Griffiths (Deputy Headteacher) on 020 7946 0000",
        "2026-0042",
    ]
    positions = [text.find(part) for part in in_order]
    assert -1 not in positions, [p for p, at in zip(in_order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


def test_what_did_not_happen_is_left_out_kindly() -> None:
    text = text_of(fill_letter(default_letter_template(), FACTS))
    assert "Amara was not hurt." in text
    assert "told us" not in text  # no account given: no heading for it
    assert "behaviour support plan" not in text  # no plan
    assert "{" not in text and "[" not in text


def test_a_plan_that_will_not_change_says_so() -> None:
    text = text_of(fill_letter(default_letter_template(), replace(FACTS, plan_review=False)))
    assert "do not think it needs to change" in text


def test_the_facts_have_no_field_for_the_internal_account() -> None:
    names = {f.name for f in fields(LetterFacts)} | set(TEMPLATE_FIELDS)
    assert not any("account" in n and n != "child_account" for n in names)
    assert "{internal_account}" in check_template("{internal_account}")[0]


def test_every_technique_in_the_shipped_list_has_everyday_words() -> None:
    picklists = tomllib.loads((resources_dir() / "picklists.toml").read_text("utf-8"))
    words = technique_words()
    for technique in picklists["techniques"]["items"]:
        assert technique in words, technique
        assert "your child" in words[technique] or "your child's" in words[technique]
    assert everyday_words("single ELBOW", words) == words["Single elbow"]
    assert "“Basket hold”" in everyday_words("Basket hold", words)


# ---------------------------------------------------------------- the template language


def test_fields_conditions_else_and_nesting() -> None:
    template = (
        "Hello {child}.\n\n[if injury]Hurt: {injury}[if first_aid] ({first_aid})[end].[else]"
        "Not hurt.[end]\n\n[if not child_account]No account.[end]"
    )
    assert check_template(template) == []
    plain = text_of(fill_letter(template, FACTS))
    assert plain == "Hello Amara.\nNot hurt.\nNo account."
    hurt = replace(FACTS, injury="A bruise", first_aid="Ice pack", child_account="x")
    assert text_of(fill_letter(template, hurt)) == "Hello Amara.\nHurt: A bruise (Ice pack)."


def test_headings_bullets_quotes_and_paragraphs() -> None:
    template = "# About {child}\nLine one\nline two\n- {holds}\n- and a fixed point\n\n> {child}"
    blocks = fill_letter(template, replace(FACTS, holds=(Hold("a", 60), Hold("b", None))))
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.BULLETS,
        BlockKind.QUOTE,
    ]
    assert blocks[1].text == "Line one\nline two"
    assert blocks[2].items == ("A (about 1 minute).", "B.", "and a fixed point")


def test_a_value_is_never_read_as_template_syntax() -> None:
    sneaky = replace(FACTS, summary="[if injury]{reference} # not a heading [end]")
    text = text_of(fill_letter("{summary}", sneaky))
    assert text == "[if injury]{reference} # not a heading [end]"


def test_a_summary_of_several_paragraphs_stays_in_paragraphs() -> None:
    blocks = fill_letter("{summary}", replace(FACTS, summary="First.\n\nSecond."))
    assert [b.text for b in blocks] == ["First.", "Second."]


def test_a_heading_with_nothing_under_it_is_dropped() -> None:
    blocks = fill_letter("# What {child} told us\n{child_account}\n\n# Next\nText", FACTS)
    assert [b.text for b in blocks] == ["Next", "Text"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{injry}", "Line 1: {injry} is not a field this letter knows. Did you mean {injury}?"),
        ("ok\n[if injury]x", "Line 2: this [if ...] block has no [end]."),
        ("[end]", "Line 1: [end] has no [if ...] to close."),
        ("[else]", "Line 1: [else] is not inside an [if ...] block."),
        ("[if injury]a[else]b[else]c[end]", "Line 1: this [if ...] block already has an [else]."),
        ("[if wibble]x[end]", "Line 1: [if wibble] tests something unknown."),
        ("a { b", "Line 1: a curly bracket is not part of a field."),
        ("", "The letter template is empty."),
    ],
)
def test_template_problems_are_explained(template: str, expected: str) -> None:
    problems = check_template(template)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_broken_template_is_refused_with_its_problems() -> None:
    with pytest.raises(InvalidInput, match=r"\{childs\}"):
        fill_letter("Dear {childs}", FACTS)


def test_braces_can_be_printed_and_brackets_are_plain_text() -> None:
    assert check_template("{{x}} [sic]") == []
    assert text_of(fill_letter("{{x}} [sic]", FACTS)) == "{x} [sic]"


def test_the_fingerprint_names_exactly_the_wording() -> None:
    text = default_letter_template()
    assert template_fingerprint(text) == template_fingerprint(text.replace("\n", "  \r\n"))
    assert template_fingerprint(text) != template_fingerprint(text + "Extra.")


def test_dates_and_minutes_read_as_words() -> None:
    assert long_date(date(2026, 11, 17)) == "Tuesday 17 November 2026"
    assert [minutes_text(m) for m in (None, 0, 1, 7)] == [
        "",
        "less than a minute",
        "about 1 minute",
        "about 7 minutes",
    ]


def test_missing_facts_are_named() -> None:
    missing = missing_facts(replace(FACTS, summary=" ", signatory_name=""))
    assert missing == [
        "The letter needs the summary for parents.",
        "The letter needs who signs the letter (in the school's settings).",
    ]
    assert missing_facts(FACTS) == []


def test_build_letter_carries_the_template_version() -> None:
    template = default_letter_template()
    school = SchoolDetails("Riverside Primary", "1 River Road\nLondon\nn17gu")
    recipient = letter_recipients([parent("Amara Okafor", "1 Elm Road, London")]).letters[0]
    content = build_letter(template, FACTS, Letterhead.from_school(school), recipient, date.today())
    assert content.template_version == template_fingerprint(template)
    assert content.letterhead.address_lines == ("1 River Road", "London", "N1 7GU")
    assert content.salutation == "Dear Amara Okafor"
    stored = build_letter(template, FACTS, content.letterhead, recipient, date.today(), "7")
    assert stored.template_version == "7"


# ---------------------------------------------------------------- recipients


def test_parents_at_one_address_share_one_letter() -> None:
    result = letter_recipients(
        [
            parent("Amara Okafor", "12 Elm Road, Islington, London, n12ab"),
            parent("Tomasz  Nowak", "12 elm road\nISLINGTON\nLondon\nN1 2AB"),
        ]
    )
    assert result.problems == ()
    (letter,) = result.letters
    assert letter.salutation == "Dear Amara Okafor and Tomasz Nowak"
    assert letter.addressee == "Amara Okafor and Tomasz Nowak"
    assert letter.address_lines == ("12 Elm Road", "Islington", "London", "N1 2AB")


def test_parents_who_live_apart_get_a_letter_each_in_the_records_order() -> None:
    result = letter_recipients(
        [
            parent("Siân Griffiths", "3 Castle Street, Cardiff"),
            parent("Dr Zoë Łukasiewicz", "8 Mill Lane, Leeds"),
        ]
    )
    assert [r.salutation for r in result.letters] == [
        "Dear Siân Griffiths",
        "Dear Dr Łukasiewicz",
    ]


def test_only_those_with_responsibility_who_take_letters_are_written_to() -> None:
    result = letter_recipients(
        [
            parent("Amara Okafor", "12 Elm Road", receives_correspondence=False),
            parent("Tomasz Nowak", "12 Elm Road", parental_responsibility=False),
            parent("Siân Griffiths", ""),
        ]
    )
    assert result.letters == ()
    assert result.problems == ("No address for Siân Griffiths: they cannot be sent a letter.",)
    assert letter_recipients([]).problems == (
        "No parent or carer with parental responsibility is set to receive letters.",
    )


def test_salutations_read_well() -> None:
    assert salutation_for(["Mrs Amara Okafor", "Mr Chidi Okafor"]) == "Dear Mrs and Mr Okafor"
    assert salutation_for(["Mrs Amara Okafor", "Mr Tomasz Nowak"]) == "Dear Mrs Okafor and Mr Nowak"
    assert salutation_for(["Amara Okafor", "Mr Tomasz Nowak"]) == ("Dear Amara Okafor and Mr Nowak")
    assert salutation_for([]) == "Dear parent or carer"


@pytest.mark.parametrize(
    ("marks", "sentence"),
    [
        ("a graze to the right elbow", "Where Amara was hurt: a graze to the right elbow."),
        (
            "a bruise to the left upper arm and a red mark to the back of the left shoulder",
            "Where Amara was hurt: a bruise to the left upper arm and a red mark to the back "
            "of the left shoulder.",
        ),
    ],
)
def test_the_default_letter_says_where_the_body_map_marks_are(marks: str, sentence: str) -> None:
    facts = replace(FACTS, injury="A graze and a bruise.", injury_marks=marks)
    text = text_of(fill_letter(default_letter_template(), facts))
    assert "A graze and a bruise." in text
    assert sentence in text
    assert text.index("A graze and a bruise.") < text.index(sentence)


def test_the_default_letter_without_marks_reads_as_before() -> None:
    facts = replace(FACTS, injury="A small graze on Amara's knee.")
    text = text_of(fill_letter(default_letter_template(), facts))
    assert "Where Amara was hurt" not in text and "A small graze on Amara's knee." in text
