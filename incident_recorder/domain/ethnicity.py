"""The DfE ethnicity codes (the school census main codes) and their major groups.

Schools record ethnicity with the four-letter codes of the DfE's common basic data set;
reports count pupils by the major groups. Standard library only.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class EthnicGroup(StrEnum):
    WHITE = "white"
    MIXED = "mixed"
    ASIAN = "asian"
    BLACK = "black"
    CHINESE = "chinese"
    OTHER = "other"
    REFUSED_OR_NOT_OBTAINED = "refused_or_not_obtained"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    EthnicGroup.WHITE: "White",
    EthnicGroup.MIXED: "Mixed / multiple ethnic groups",
    EthnicGroup.ASIAN: "Asian or Asian British",
    EthnicGroup.BLACK: "Black or Black British",
    EthnicGroup.CHINESE: "Chinese",
    EthnicGroup.OTHER: "Any other ethnic group",
    EthnicGroup.REFUSED_OR_NOT_OBTAINED: "Refused or not obtained",
}

# code -> (description, major group), in the census's order.
ETHNICITY_CODES: dict[str, tuple[str, EthnicGroup]] = {
    "WBRI": ("White - British", EthnicGroup.WHITE),
    "WIRI": ("White - Irish", EthnicGroup.WHITE),
    "WIRT": ("Traveller of Irish heritage", EthnicGroup.WHITE),
    "WROM": ("Gypsy / Roma", EthnicGroup.WHITE),
    "WOTH": ("Any other White background", EthnicGroup.WHITE),
    "MWBC": ("White and Black Caribbean", EthnicGroup.MIXED),
    "MWBA": ("White and Black African", EthnicGroup.MIXED),
    "MWAS": ("White and Asian", EthnicGroup.MIXED),
    "MOTH": ("Any other mixed background", EthnicGroup.MIXED),
    "AIND": ("Indian", EthnicGroup.ASIAN),
    "APKN": ("Pakistani", EthnicGroup.ASIAN),
    "ABAN": ("Bangladeshi", EthnicGroup.ASIAN),
    "AOTH": ("Any other Asian background", EthnicGroup.ASIAN),
    "BCRB": ("Black Caribbean", EthnicGroup.BLACK),
    "BAFR": ("Black - African", EthnicGroup.BLACK),
    "BOTH": ("Any other Black background", EthnicGroup.BLACK),
    "CHNE": ("Chinese", EthnicGroup.CHINESE),
    "OOTH": ("Any other ethnic group", EthnicGroup.OTHER),
    "REFU": ("Refused", EthnicGroup.REFUSED_OR_NOT_OBTAINED),
    "NOBT": ("Information not yet obtained", EthnicGroup.REFUSED_OR_NOT_OBTAINED),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.lower().split())


_BY_DESCRIPTION = {_fold(description): code for code, (description, _) in ETHNICITY_CODES.items()}


def ethnicity_code(text: str) -> str | None:
    """The DfE code for ``text`` (a code in any case, or its description as the MIS
    spells it, e.g. "White - British"); "" for an empty value; None if not recognised."""
    stripped = text.strip()
    if not stripped:
        return ""
    upper = stripped.upper()
    if upper in ETHNICITY_CODES:
        return upper
    return _BY_DESCRIPTION.get(_fold(stripped))


def ethnic_group(code: str) -> EthnicGroup | None:
    """The major group of a DfE code; None for an empty or unknown code."""
    entry = ETHNICITY_CODES.get(code.strip().upper())
    return None if entry is None else entry[1]


def ethnicity_label(code: str) -> str:
    """The description of a code for display ("" if empty; the code itself if unknown)."""
    entry = ETHNICITY_CODES.get(code.strip().upper())
    return code if entry is None else entry[0]
