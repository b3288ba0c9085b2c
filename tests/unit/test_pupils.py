"""The DfE Unique Pupil Number: 13 characters, a check letter first."""

from __future__ import annotations

import pytest

from incident_recorder.domain.pupils import UPN_LETTERS, make_upn, upn_check_letter, upn_problem


@pytest.mark.parametrize(
    "upn",
    [
        "B801200005001",  # the published python-stdnum example
        "P207000016049",  # (2x2)+(4x7)+(1x9)+(6x10)+(4x12)+(9x13) = 266 = 11x23 + 13 -> P
        "b801200005001",  # typed in lower case
        " B801200005001 ",  # pasted with spaces
    ],
)
def test_valid_upns(upn: str) -> None:
    assert upn_problem(upn) is None


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("A801200005001", "check letter does not match"),
        ("B80120000500", "13 characters"),
        ("B8012000050011", "13 characters"),
        ("X80120000A001", "11 digits"),
        ("I801200005001", "other than I, O or S"),
        ("O801200005001", "other than I, O or S"),
        ("B80120000500I", "11 digits and a digit or letter"),
        ("", "13 characters"),
    ],
)
def test_invalid_upns_say_why(upn: str, reason: str) -> None:
    found = upn_problem(upn)
    assert found is not None
    assert reason in found


def test_a_temporary_upn_ends_in_a_letter_counted_by_its_place() -> None:
    body = "80120000500A"  # A counts as 0, so the letter is the same as for ...5000
    assert upn_check_letter(body) == upn_check_letter("801200005000")
    assert upn_problem(upn_check_letter(body) + body) is None
    body_z = "80120000500Z"  # Z counts as 22
    assert upn_check_letter(body_z) != upn_check_letter(body)
    assert upn_problem(upn_check_letter(body_z) + body_z) is None


def test_check_letters_never_use_i_o_or_s() -> None:
    assert len(UPN_LETTERS) == 23
    assert not set("IOS") & set(UPN_LETTERS)


@pytest.mark.parametrize("serial", [0, 1, 57, 999])
def test_made_upns_are_valid(serial: int) -> None:
    upn = make_upn(la_code=202, school_number=2001, year=2024, serial=serial)
    assert len(upn) == 13
    assert upn[1:10] == "202200124"
    assert upn_problem(upn) is None


def test_every_single_digit_slip_is_caught() -> None:
    upn = make_upn(202, 2001, 2024, 123)
    for position in range(1, 13):
        digit = upn[position]
        for replacement in "0123456789":
            if replacement != digit:
                slipped = upn[:position] + replacement + upn[position + 1 :]
                assert upn_problem(slipped) is not None, slipped
