"""The DfE ethnicity codes (the school census main codes) and their major groups.

Schools record ethnicity with the four-letter codes of the DfE's common basic data set;
reports count pupils by the major groups. Standard library only.
"""

from __future__ import annotations

import unicodedata

from incident_recorder.domain.labelled import LabelledEnum


class EthnicGroup(LabelledEnum):
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed / multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black or Black British"
    CHINESE = "chinese", "Chinese"
    OTHER = "other", "Any other ethnic group"
    REFUSED_OR_NOT_OBTAINED = "refused_or_not_obtained", "Refused or not obtained"


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


# The DfE's extended codes (used by many schools in SIMS and Arbor) -> the main code
# they belong to. The import stores the main code: reports count the main codes' major
# groups, and the app's pupil form offers the main codes.
EXTENDED_CODES: dict[str, str] = {
    **dict.fromkeys(("WENG", "WSCO", "WWEL", "WCOR", "WOWB", "WNIR"), "WBRI"),
    **dict.fromkeys(
        (
            "WALB", "WBOS", "WCRO", "WGRE", "WGRK", "WGRC", "WITA", "WKOS", "WPOR",
            "WSER", "WTUR", "WTUK", "WTUC", "WEUR", "WEEU", "WWEU", "WOTW",
        ),
        "WOTH",
    ),
    **dict.fromkeys(("WROG", "WROR", "WROO"), "WROM"),
    **dict.fromkeys(
        ("MWCH", "MAOE", "MABL", "MACH", "MBOE", "MBCH", "MCOE", "MWOE", "MOTM"), "MOTH"
    ),
    **dict.fromkeys(("AMPK", "AKPA", "AOPK"), "APKN"),
    **dict.fromkeys(("AAFR", "AKAO", "ANEP", "ASNL", "ASLT", "ASRO", "AOTA"), "AOTH"),
    **dict.fromkeys(
        ("BANN", "BCON", "BGHA", "BNGN", "BSLN", "BSOM", "BSUD", "BAOF"), "BAFR"
    ),
    **dict.fromkeys(("BEUR", "BNAM", "BOTB"), "BOTH"),
    **dict.fromkeys(
        (
            "OAFG", "OARA", "OEGY", "OFIL", "OIRN", "OIRQ", "OJPN", "OKOR", "OKRD",
            "OLAM", "OLEB", "OLIB", "OMAL", "OMRC", "OPOL", "OTHA", "OVIE", "OYEM",
            "OOEG",
        ),
        "OOTH",
    ),
}  # fmt: skip


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.lower().split())


_BY_DESCRIPTION = {_fold(description): code for code, (description, _) in ETHNICITY_CODES.items()}

# The census's group headings, as MIS exports put them before a description
# ("Asian or Asian British - Indian", "Mixed / Multiple ethnic groups - White and Asian").
_GROUP_HEADINGS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("white", "W"),
            ("mixed", "M"),
            ("mixed multiple ethnic groups", "M"),
            ("mixed or multiple ethnic groups", "M"),
            ("mixed dual background", "M"),
            ("asian", "A"),
            ("asian british", "A"),
            ("asian or asian british", "A"),
            ("black", "B"),
            ("black british", "B"),
            ("black or black british", "B"),
            ("black african caribbean or black british", "B"),
            ("chinese", "C"),
            ("other ethnic group", "O"),
            ("any other ethnic group", "O"),
        ),
        key=lambda item: -len(item[0]),
    )
)
# Descriptions within a group heading -> code.
_WITHIN_GROUP: dict[tuple[str, str], str] = {
    **{("W", w): "WBRI" for w in (
        "british", "english", "scottish", "welsh", "northern irish", "cornish",
        "english welsh scottish northern irish or british",
    )},
    ("W", "irish"): "WIRI",
    **{("W", w): "WROM" for w in ("gypsy roma", "gypsy or roma", "gypsy", "roma")},
    **{("W", w): "WIRT" for w in ("irish traveller", "traveller of irish heritage")},
    **{("W", w): "WOTH" for w in ("any other white background", "any other background",
                                  "other", "other white background")},
    **{("M", w): "MOTH" for w in (
        "any other mixed background", "any other mixed or multiple ethnic background",
        "any other mixed multiple ethnic background", "any other background", "other",
    )},
    ("A", "indian"): "AIND",
    ("A", "pakistani"): "APKN",
    ("A", "bangladeshi"): "ABAN",
    ("A", "chinese"): "CHNE",
    **{("A", w): "AOTH" for w in ("any other asian background", "any other background",
                                  "other")},
    ("B", "african"): "BAFR",
    ("B", "caribbean"): "BCRB",
    **{("B", w): "BOTH" for w in ("any other black background", "any other black african "
                                  "or caribbean background", "any other background", "other")},
    ("O", "arab"): "OOTH",
    **{("O", w): "OOTH" for w in ("any other ethnic group", "any other", "other")},
}  # fmt: skip
_PLAIN: dict[str, str] = {
    "arab": "OOTH",
    "white british": "WBRI",
    "white irish": "WIRI",
    "african": "BAFR",
    "caribbean": "BCRB",
    **dict.fromkeys(
        ("refused", "pupil refused", "parent refused", "information refused", "declined"),
        "REFU",
    ),
    **dict.fromkeys(
        ("not obtained", "information not obtained", "not known", "unknown", "not yet obtained"),
        "NOBT",
    ),
}


def ethnicity_code(text: str) -> str | None:
    """The DfE main code for ``text``: a main or extended code in any case (an extended
    code gives its main code), or a description as the MIS spells it ("White - British",
    "Asian or Asian British - Indian", "Mixed White and Black Caribbean"); "" for an
    empty value; None if not recognised."""
    stripped = text.strip()
    if not stripped:
        return ""
    upper = stripped.upper()
    if upper in ETHNICITY_CODES:
        return upper
    if upper in EXTENDED_CODES:
        return EXTENDED_CODES[upper]
    folded = _fold(stripped)
    found = _BY_DESCRIPTION.get(folded) or _PLAIN.get(folded)
    if found:
        return found
    for heading, group in _GROUP_HEADINGS:
        if not folded.startswith(heading + " "):
            continue
        rest = folded[len(heading) + 1 :]
        code = _WITHIN_GROUP.get((group, rest)) or _BY_DESCRIPTION.get(rest)
        if code and (code[0] == group or (group == "A" and code == "CHNE")):
            return code
    return None


def ethnic_group(code: str) -> EthnicGroup | None:
    """The major group of a DfE code; None for an empty or unknown code."""
    entry = ETHNICITY_CODES.get(code.strip().upper())
    return None if entry is None else entry[1]


def ethnicity_label(code: str) -> str:
    """The description of a code for display ("" if empty; the code itself if unknown)."""
    entry = ETHNICITY_CODES.get(code.strip().upper())
    return code if entry is None else entry[0]
