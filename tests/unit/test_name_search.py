"""Finding a member of staff from a few typed letters. Everyone here is fictional."""

from __future__ import annotations

import pytest

from incident_recorder.domain.name_search import fold, matching, name_words

STAFF = [
    "Ruby Jovanovic",
    "Ruby Hart",
    "Ruby Harte",
    "Siân Griffiths",
    "Tomasz Nowak",
    "Aoife O'Neill",
    "Grace Smith-Jones",
]


def found(typed: str) -> list[str]:
    return matching(typed, STAFF, lambda name: name)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ruby Jov", ["Ruby Jovanovic"]),
        ("ruby jov", ["Ruby Jovanovic"]),
        ("Jovanovic Ruby", ["Ruby Jovanovic"]),  # surname first
        ("Jovanovic, R", ["Ruby Jovanovic"]),
        ("jov", ["Ruby Jovanovic"]),
        ("Ruby", ["Ruby Jovanovic", "Ruby Hart", "Ruby Harte"]),
        ("ruby hart", ["Ruby Hart"]),  # typed in full: only that name, not Ruby Harte
        ("hart r", ["Ruby Hart", "Ruby Harte"]),
        ("sian", ["Siân Griffiths"]),  # accents do not matter
        ("GRIFF", ["Siân Griffiths"]),
        ("oneill", ["Aoife O'Neill"]),
        ("o'neill aoife", ["Aoife O'Neill"]),
        ("jones", ["Grace Smith-Jones"]),  # either half of a double-barrelled name
        ("smith-jones", ["Grace Smith-Jones"]),
        ("anovic", ["Ruby Jovanovic"]),  # inside a word, when nothing starts with it
        ("Ruby Jox", []),
        ("  ", []),
    ],
)
def test_matching_as_a_school_office_would(typed: str, expected: list[str]) -> None:
    assert found(typed) == expected


def test_folding_and_words() -> None:
    assert fold("Siân O’Brien") == "sian obrien"
    assert name_words("Jovanovic,  Ruby-May ") == ["jovanovic", "ruby", "may"]
