"""Passphrase rules and the strength indicator on the set-up window."""

from __future__ import annotations

import pytest

from incident_recorder.domain.passphrase import MIN_LENGTH, problem, strength


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("", "at least 12"),
        ("short words", "at least 12"),
        ("a" * 11, "at least 12"),
        (" tulip kettle harbour", "start or end with a space"),
        ("tulip kettle harbour ", "start or end with a space"),
        ("abababababababab", "too few different characters"),
    ],
)
def test_unusable_passphrases_say_why(passphrase: str, reason: str) -> None:
    found = problem(passphrase)
    assert found is not None and reason in found
    assert not strength(passphrase).acceptable
    assert strength(passphrase).label in ("", "Too weak")


def test_twelve_characters_is_the_minimum() -> None:
    assert MIN_LENGTH == 12
    assert problem("kettle-harb1") is None
    assert problem("kettle-harb") is not None


def test_several_unrelated_words_are_strong() -> None:
    s = strength("tulip kettle harbour seven")
    assert s.acceptable
    assert s.score == 4 and s.label == "Strong"


def test_a_common_word_makes_a_passphrase_weaker() -> None:
    common = strength("Password2026!")
    other = strength("Wxqtrvy2026!!")
    assert common.acceptable and other.acceptable
    assert common.score < other.score
    assert common.score <= 1


def test_strength_grows_as_words_are_added() -> None:
    scores = [
        strength(p).score
        for p in (
            "kettlekettle",
            "kettle harbour",
            "kettle harbour tulip",
            "kettle harbour tulip 7x",
        )
    ]
    assert scores == sorted(scores)
    assert scores[0] < scores[-1]


def test_empty_passphrase_gets_advice_not_a_label() -> None:
    s = strength("")
    assert s.score == 0 and s.label == "" and not s.acceptable
    assert "12 characters" in s.advice


def test_acceptable_passphrases_get_encouraging_advice() -> None:
    for candidate in ("tulip kettle harbour seven", "Kettle-harbour-2026", "Schoolteacher1"):
        s = strength(candidate)
        assert s.acceptable
        assert s.advice and s.advice.endswith(".")
