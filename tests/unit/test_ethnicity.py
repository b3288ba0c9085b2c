"""DfE ethnicity codes and their major groups."""

from __future__ import annotations

import pytest

from incident_recorder.domain.ethnicity import (
    ETHNICITY_CODES,
    EthnicGroup,
    ethnic_group,
    ethnicity_code,
    ethnicity_label,
)


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("WBRI", EthnicGroup.WHITE),
        ("WROM", EthnicGroup.WHITE),
        ("MWBC", EthnicGroup.MIXED),
        ("APKN", EthnicGroup.ASIAN),
        ("BAFR", EthnicGroup.BLACK),
        ("CHNE", EthnicGroup.CHINESE),
        ("OOTH", EthnicGroup.OTHER),
        ("REFU", EthnicGroup.REFUSED_OR_NOT_OBTAINED),
        ("NOBT", EthnicGroup.REFUSED_OR_NOT_OBTAINED),
    ],
)
def test_codes_map_to_their_major_group(code: str, group: EthnicGroup) -> None:
    assert ethnic_group(code) == group
    assert ethnic_group(code.lower()) == group


def test_every_group_has_codes_and_a_label() -> None:
    assert {group for _, group in ETHNICITY_CODES.values()} == set(EthnicGroup)
    assert EthnicGroup.MIXED.label == "Mixed / multiple ethnic groups"


def test_codes_and_descriptions_are_recognised() -> None:
    assert ethnicity_code(" wiri ") == "WIRI"
    assert ethnicity_code("White - British") == "WBRI"
    assert ethnicity_code("white  british") == "WBRI"
    assert ethnicity_code("Gypsy/Roma") == "WROM"
    assert ethnicity_code("") == ""
    assert ethnicity_code("XYZ") is None
    assert ethnic_group("XYZ") is None
    assert ethnicity_label("BCRB") == "Black Caribbean"
    assert ethnicity_label("XYZ") == "XYZ"
