"""Reading a pupil CSV exported from the school's MIS (SIMS, Arbor, Bromcom, …).

Pure parsing and checking, standard library only: :func:`read_table` turns the file's
bytes into a header and rows; :func:`guess_mapping` recognises the common column
names; :func:`apply_overrides` lets the user fix the mapping field by field; and
:func:`check_rows` turns each row into the pupil's values, listing every problem in
plain words before anything is written. The service
(:mod:`incident_recorder.services.pupil_import`) matches the rows to the pupils on the
list and writes them.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first pupil
row 2.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.ethnicity import ethnicity_code
from incident_recorder.domain.model import Contact, SenStatus
from incident_recorder.domain.pupils import upn_problem

CONTACTS = 2  # contact columns recognised for contacts 1 and 2


class MisField(StrEnum):
    """A value the import can read; the value is the name used by ``--mapping``."""

    UPN = "upn"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    FULL_NAME = "full_name"  # "Surname, Forename" in one column, when there is no pair
    PREFERRED_NAME = "preferred_name"
    DATE_OF_BIRTH = "date_of_birth"
    YEAR_GROUP = "year_group"
    CLASS_NAME = "class_name"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    SEN_STATUS = "sen_status"
    PRIMARY_NEED = "primary_need"
    LOOKED_AFTER = "looked_after"
    PREVIOUSLY_LOOKED_AFTER = "previously_looked_after"
    KINSHIP_CARE = "kinship_care"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    FREE_SCHOOL_MEALS = "free_school_meals"
    PUPIL_PREMIUM = "pupil_premium"
    EAL = "eal"
    FIRST_LANGUAGE = "first_language"
    CONTACT1_NAME = "contact1_name"
    CONTACT1_RELATIONSHIP = "contact1_relationship"
    CONTACT1_PARENTAL_RESPONSIBILITY = "contact1_parental_responsibility"
    CONTACT1_ADDRESS = "contact1_address"
    CONTACT1_PHONE = "contact1_phone"
    CONTACT1_EMAIL = "contact1_email"
    CONTACT1_PREFERRED_LANGUAGE = "contact1_preferred_language"
    CONTACT1_RECEIVES_CORRESPONDENCE = "contact1_receives_correspondence"
    CONTACT1_TITLE = "contact1_title"
    CONTACT1_FORENAME = "contact1_forename"
    CONTACT1_SURNAME = "contact1_surname"
    CONTACT1_ADDRESS_LINE2 = "contact1_address_line2"
    CONTACT1_ADDRESS_LINE3 = "contact1_address_line3"
    CONTACT1_TOWN = "contact1_town"
    CONTACT1_COUNTY = "contact1_county"
    CONTACT1_POSTCODE = "contact1_postcode"
    CONTACT2_NAME = "contact2_name"
    CONTACT2_RELATIONSHIP = "contact2_relationship"
    CONTACT2_PARENTAL_RESPONSIBILITY = "contact2_parental_responsibility"
    CONTACT2_ADDRESS = "contact2_address"
    CONTACT2_PHONE = "contact2_phone"
    CONTACT2_EMAIL = "contact2_email"
    CONTACT2_PREFERRED_LANGUAGE = "contact2_preferred_language"
    CONTACT2_RECEIVES_CORRESPONDENCE = "contact2_receives_correspondence"
    CONTACT2_TITLE = "contact2_title"
    CONTACT2_FORENAME = "contact2_forename"
    CONTACT2_SURNAME = "contact2_surname"
    CONTACT2_ADDRESS_LINE2 = "contact2_address_line2"
    CONTACT2_ADDRESS_LINE3 = "contact2_address_line3"
    CONTACT2_TOWN = "contact2_town"
    CONTACT2_COUNTY = "contact2_county"
    CONTACT2_POSTCODE = "contact2_postcode"


REQUIRED = (MisField.UPN, MisField.LAST_NAME, MisField.FIRST_NAME)

# Folded header names (see _fold_header) recognised for each field.
_ALIASES: dict[MisField, tuple[str, ...]] = {
    MisField.UPN: ("upn", "unique pupil number", "pupil upn"),
    MisField.LAST_NAME: (
        "legal surname",
        "surname",
        "last name",
        "family name",
        "legal last name",
        "pupil surname",
    ),
    MisField.FIRST_NAME: (
        "legal forename",
        "forename",
        "first name",
        "legal first name",
        "given name",
        "pupil forename",
    ),
    MisField.FULL_NAME: (
        "name",
        "full name",
        "legal name",
        "full legal name",
        "surname forename",
        "legal surname forename",
    ),
    MisField.PREFERRED_NAME: (
        "preferred forename",
        "known as",
        "preferred first name",
        "preferred name",
        "chosen name",
    ),
    MisField.DATE_OF_BIRTH: ("dob", "date of birth", "birth date", "birthdate"),
    MisField.YEAR_GROUP: ("year", "nc year", "year group", "national curriculum year", "nc yr"),
    MisField.CLASS_NAME: (
        "reg group",
        "registration group",
        "form",
        "class",
        "tutor group",
        "reg form",
        "form group",
    ),
    MisField.SEX: ("gender", "sex", "legal sex"),
    MisField.ETHNICITY: ("ethnicity", "ethnic code", "ethnic group", "ethnicity code"),
    MisField.SEN_STATUS: ("sen status", "sen provision", "send status", "sen", "sen stage"),
    MisField.PRIMARY_NEED: ("primary need", "sen primary need", "primary sen need"),
    MisField.LOOKED_AFTER: (
        "in care",
        "looked after",
        "cla",
        "lac",
        "child looked after",
        "looked after child",
    ),
    MisField.PREVIOUSLY_LOOKED_AFTER: (
        "previously looked after",
        "previously in care",
        "plac",
        "post lac",
        "previously looked after child",
    ),
    MisField.KINSHIP_CARE: ("kinship care", "kinship"),
    MisField.CHILD_IN_NEED: ("child in need", "cin"),
    MisField.CHILD_PROTECTION_PLAN: ("child protection plan", "cp plan", "cpp", "child protection"),
    MisField.FREE_SCHOOL_MEALS: (
        "fsm",
        "fsm eligible",
        "free school meals",
        "eligible for fsm",
        "fsm eligibility",
    ),
    MisField.PUPIL_PREMIUM: ("pupil premium", "pp", "pupil premium indicator", "pp eligible"),
    MisField.EAL: ("eal", "english as an additional language", "eal status"),
    MisField.FIRST_LANGUAGE: ("first language", "home language", "main language", "language"),
}

# Contact columns: "Contact 1 Name", "Parent 2 Email", "Priority Contact 1: Phone", …
_CONTACT_HEADER = re.compile(
    r"^(?:priority )?(?:contact|parent|carer|guardian|parent carer|parent guardian) ?([12]) ?(.+)$"
)
# "Primary Contact Name", "Second Contact Email", …
_CONTACT_ORDINAL = re.compile(
    r"^(primary|main|first|1st|secondary|second|2nd) (?:contact|parent|carer|parent carer) (.+)$"
)
_ORDINALS = {"primary": "1", "main": "1", "first": "1", "1st": "1"}
_CONTACT_PARTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name"),
    "relationship": ("relationship", "relation", "relationship to pupil"),
    "parental_responsibility": (
        "parental responsibility",
        "pr",
        "has parental responsibility",
    ),
    "address": (
        "address",
        "home address",
        "full address",
        "address line 1",
        "address 1",
        "address1",
        "street",
        "house and street",
    ),
    "address_line2": ("address line 2", "address 2", "address2", "locality"),
    "address_line3": ("address line 3", "address 3", "address3"),
    "town": ("town", "city", "town city", "post town"),
    "county": ("county",),
    "postcode": ("postcode", "post code", "postal code"),
    "title": ("title", "salutation title"),
    "forename": ("forename", "first name", "given name", "legal forename"),
    "surname": ("surname", "last name", "family name", "legal surname"),
    "phone": ("phone", "telephone", "tel", "mobile", "phone number", "main phone"),
    "email": ("email", "e mail", "email address"),
    "preferred_language": ("language", "preferred language", "home language"),
    "receives_correspondence": (
        "correspondence",
        "receives correspondence",
        "send correspondence",
        "mailing",
    ),
}


def _fold_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


def _recognise(header: str) -> MisField | None:
    folded = _fold_header(header)
    for fld, aliases in _ALIASES.items():
        if folded in aliases:
            return fld
    for candidate in _without_pupil_prefix(folded):
        for fld, aliases in _ALIASES.items():
            if candidate in aliases:
                return fld
    match = _CONTACT_HEADER.match(folded)
    ordinal = _CONTACT_ORDINAL.match(folded)
    if match:
        number, part = match.group(1), match.group(2)
    elif ordinal:
        number, part = _ORDINALS.get(ordinal.group(1), "2"), ordinal.group(2)
    else:
        return None
    for name, aliases in _CONTACT_PARTS.items():
        if part in aliases:
            return MisField(f"contact{number}_{name}")
    return None


_PUPIL_WORDS = ("pupil", "student", "child", "learner")


def _without_pupil_prefix(folded: str) -> list[str]:
    """ "student legal surname" -> ["legal surname"]; "dob pupil" is not touched."""
    first, _, rest = folded.partition(" ")
    return [rest] if first in _PUPIL_WORDS and rest else []


# ------------------------------------------------------------------ the file


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file's header and rows; ``rows`` pairs each row's number with its cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(data: bytes) -> CsvTable:
    """The header and rows of a CSV file. Tries UTF-8 (with or without a byte-order
    mark), then Windows-1252 (what Excel's "CSV" saves). Blank rows are skipped.
    Raises BadImportFile, in plain words, if the file cannot be read as a table."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise BadImportFile(
                "This file could not be read as text. Save it from the MIS or a spreadsheet "
                "as CSV (comma separated values) and try again. Nothing was imported."
            ) from None
    if "\x00" in text:
        raise BadImportFile(
            "This file is not a CSV file (it looks like a spreadsheet or other binary file). "
            "Save it as CSV (comma separated values) and try again. Nothing was imported."
        )
    # The separator is the one the header line uses most (commas unless the file was
    # saved with semicolons or tabs, as some regional settings do).
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first_line.count(d), d == ","))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise BadImportFile(
            f"This file is not a well-formed CSV file ({exc}). Nothing was imported."
        ) from None
    numbered = [
        (n, tuple(cell.strip() for cell in record))
        for n, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    ]
    if not numbered:
        raise BadImportFile("The file is empty: there are no pupils in it. Nothing was imported.")
    # A report saved from a spreadsheet may have a title above the column names, and a
    # line such as "Total: 212 students" under the pupils: neither is a pupil.
    start = next(
        (i for i, (_, cells) in enumerate(numbered[:_TITLE_ROWS]) if _looks_like_header(cells)),
        0,
    )
    (_, header), *rows = numbered[start:]
    while len(header) >= 3 and rows and sum(1 for cell in rows[-1][1] if cell) == 1:
        if _looks_like_pupil(rows[-1][1]):
            break
        rows.pop()
    return CsvTable(header=header, rows=tuple(rows))


_TITLE_ROWS = 10  # how far down the column names are looked for


def _looks_like_header(cells: tuple[str, ...]) -> bool:
    found = {_recognise(cell) for cell in cells} - {None}
    return MisField.UPN in found or len(found) >= 3


def _looks_like_pupil(cells: tuple[str, ...]) -> bool:
    return any(upn_problem(cell.strip().upper()) is None for cell in cells if cell)


# ------------------------------------------------------------------ the mapping


def guess_mapping(header: tuple[str, ...]) -> dict[MisField, str]:
    """The column each field is read from, recognised by its header name. Where two
    columns name the same field, the first wins (e.g. "Legal Surname" before "Surname")."""
    mapping: dict[MisField, str] = {}
    ranked = sorted(
        enumerate(header),
        key=lambda item: (_rank(item[1]), item[0]),
    )
    for _, column in ranked:
        fld = _recognise(column)
        if fld is not None and fld not in mapping:
            mapping[fld] = column
    return mapping


def _rank(column: str) -> int:
    """Prefer legal names to plain ones when a file has both."""
    return 0 if _fold_header(column).startswith("legal ") else 1


def apply_overrides(
    header: tuple[str, ...], mapping: Mapping[MisField, str], overrides: Mapping[str, str]
) -> dict[MisField, str]:
    """``mapping`` with the user's choices: ``{"year_group": "Curriculum Year"}`` reads
    that field from that column; an empty column name means "do not read this field".
    Raises BadImportFile for a field or a column that does not exist."""
    result = dict(mapping)
    by_folded = {_fold_header(c): c for c in header}
    for name, column in overrides.items():
        try:
            fld = MisField(name.strip().lower())
        except ValueError:
            known = ", ".join(f.value for f in MisField)
            raise BadImportFile(
                f"There is no field called '{name}'. The fields are: {known}."
            ) from None
        if not column.strip():
            result.pop(fld, None)
            continue
        found = column if column in header else by_folded.get(_fold_header(column))
        if found is None:
            raise BadImportFile(
                f"The file has no column called '{column}' (for {fld.value}). Its columns "
                f"are: {', '.join(header)}."
            )
        result[fld] = found
    return result


def missing_required(mapping: Mapping[MisField, str]) -> list[MisField]:
    """The required fields with no column. A full-name column stands in for the surname
    and first name when either is missing."""
    if MisField.FULL_NAME in mapping:
        return [f for f in REQUIRED if f not in mapping and f is MisField.UPN]
    return [f for f in REQUIRED if f not in mapping]


def split_full_name(text: str) -> tuple[str, str]:
    """(surname, first name) from "Okafor, Amara" or, with no comma, "Amara Okafor"
    (the last word is taken as the surname)."""
    tidy = " ".join(text.split())
    if "," in tidy:
        last, _, first = tidy.partition(",")
        return last.strip(), first.strip()
    first, _, last = tidy.rpartition(" ")
    return last, first


# ------------------------------------------------------------------ the rows


@dataclass(frozen=True, slots=True)
class PupilRow:
    """One pupil read from the file: ``values`` holds the Pupil fields the file gives
    (only the mapped ones, so a re-import leaves the others as they were);
    ``contacts`` is None when the file has no contact columns."""

    row: int
    upn: str
    values: Mapping[str, Any]
    contacts: tuple[Contact, ...] | None


@dataclass(frozen=True, slots=True)
class CheckedFile:
    pupils: tuple[PupilRow, ...]
    problems: tuple[str, ...]
    mapping: Mapping[MisField, str]


_YES = frozenset({"y", "yes", "true", "t", "1", "x", "eligible"})
_NO = frozenset({"n", "no", "false", "f", "0", "", "not eligible", "none"})
_SEN = {
    SenStatus.NONE: frozenset({"n", "no", "none", "no sen", "", "not sen"}),
    SenStatus.SEN_SUPPORT: frozenset(
        {"k", "sen support", "support", "school action", "school action plus", "a", "p"}
    ),
    SenStatus.EHCP: frozenset(
        {
            "e",
            "ehcp",
            "ehc plan",
            "ehc",
            "education health and care plan",
            "s",
            "statement",
            "statemented",
        }
    ),
}
_SEX = {
    "m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F", "": "",
    "u": "", "unknown": "", "not known": "", "not stated": "",
}  # fmt: skip
_ENGLISH = frozenset(
    {"eng", "enb", "english", "believed to be english", "", "not", "refu", "not known",
     "refused", "information not obtained", "information not yet obtained"}
)  # fmt: skip
_FLAGS = (
    MisField.LOOKED_AFTER,
    MisField.PREVIOUSLY_LOOKED_AFTER,
    MisField.KINSHIP_CARE,
    MisField.CHILD_IN_NEED,
    MisField.CHILD_PROTECTION_PLAN,
    MisField.FREE_SCHOOL_MEALS,
    MisField.PUPIL_PREMIUM,
    MisField.EAL,
)
_TEXT = (
    MisField.LAST_NAME,
    MisField.FIRST_NAME,
    MisField.PREFERRED_NAME,
    MisField.YEAR_GROUP,
    MisField.CLASS_NAME,
    MisField.PRIMARY_NEED,
    MisField.FIRST_LANGUAGE,
)
_LABELS = {
    MisField.LOOKED_AFTER: "looked after",
    MisField.PREVIOUSLY_LOOKED_AFTER: "previously looked after",
    MisField.KINSHIP_CARE: "kinship care",
    MisField.CHILD_IN_NEED: "child in need",
    MisField.CHILD_PROTECTION_PLAN: "child protection plan",
    MisField.FREE_SCHOOL_MEALS: "free school meals",
    MisField.PUPIL_PREMIUM: "pupil premium",
    MisField.EAL: "English as an additional language",
}


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MIDNIGHT = r"(?:[T ]00:00(?::00(?:\.0+)?)?)?"


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 20yy up to 69 and 19yy after (a
    pupil's date of birth written 03/09/14)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(text: str) -> date:
    """A date written dd/mm/yyyy (also with - or . and a two-digit year), yyyy-mm-dd, or
    with the month as a word (03-Sep-2014, 3 September 2014); a midnight time after it
    (what spreadsheets add) is ignored. ValueError if not a real date; the message says
    which."""
    stripped = text.strip()
    numeric = re.fullmatch(
        rf"(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}}|\d{{2}}){_MIDNIGHT}", stripped
    )
    iso = re.fullmatch(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_MIDNIGHT}", stripped)
    worded = re.fullmatch(
        rf"(\d{{1,2}})(?:st|nd|rd|th)?[ /.-]+([A-Za-z]+)\.?[ /.,-]+(\d{{4}}|\d{{2}}){_MIDNIGHT}",
        stripped,
    )
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[2]), _year(numeric[3])
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    elif worded and worded[2].lower() in _MONTHS:
        day, month, year = int(worded[1]), _MONTHS[worded[2].lower()], _year(worded[3])
    else:
        raise ValueError("format")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("not real") from None


def _flag(text: str) -> bool | None:
    folded = _fold_header(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def check_rows(table: CsvTable, mapping: Mapping[MisField, str]) -> CheckedFile:
    """Every row read with ``mapping``, and every problem found, in plain words."""
    missing = missing_required(mapping)
    if missing:
        raise BadImportFile(_missing_message(table.header, missing))
    index = {fld: table.header.index(column) for fld, column in mapping.items()}
    problems: list[str] = []
    pupils: list[PupilRow] = []
    first_row_of: dict[str, int] = {}
    width = len(table.header)
    for number, cells in table.rows:
        if len(cells) != width:
            problems.append(
                f"Row {number}: it has {len(cells)} values but the header has {width} "
                "columns, so its values may be in the wrong columns. Check for a stray comma."
            )
            continue
        row_problems: list[str] = []
        get = {fld: cells[i] for fld, i in index.items()}
        values: dict[str, Any] = {}
        upn = get[MisField.UPN].strip().upper().replace(" ", "")
        if not upn:
            row_problems.append(f"Row {number}: there is no UPN.")
        else:
            problem = upn_problem(upn)
            if problem is not None:
                row_problems.append(f"Row {number}: {problem}")
            elif upn in first_row_of:
                row_problems.append(
                    f"Row {number}: UPN {upn} appears twice (rows {first_row_of[upn]} and "
                    f"{number})."
                )
            else:
                first_row_of[upn] = number
        for fld in _TEXT:
            if fld in get:
                values[fld.value] = get[fld]
        if MisField.FULL_NAME in get and not (
            MisField.LAST_NAME in get and MisField.FIRST_NAME in get
        ):
            last, first = split_full_name(get[MisField.FULL_NAME])
            for fld, value in ((MisField.LAST_NAME, last), (MisField.FIRST_NAME, first)):
                if fld not in get:
                    get[fld] = value
                    values[fld.value] = value
        for fld, words in ((MisField.LAST_NAME, "surname"), (MisField.FIRST_NAME, "first name")):
            if not get[fld]:
                row_problems.append(f"Row {number}: there is no {words}.")
        _check_values(number, get, values, row_problems)
        contacts = _contacts(number, get, row_problems)
        problems.extend(row_problems)
        if not row_problems:
            pupils.append(PupilRow(number, upn, values, contacts))
    if not table.rows:
        problems.append("The file has a header row but no pupils.")
    return CheckedFile(tuple(pupils), tuple(problems), dict(mapping))


def _check_values(
    number: int, get: Mapping[MisField, str], values: dict[str, Any], problems: list[str]
) -> None:
    if MisField.DATE_OF_BIRTH in get:
        text = get[MisField.DATE_OF_BIRTH]
        if not text:
            values["date_of_birth"] = None
        else:
            try:
                values["date_of_birth"] = parse_date(text)
            except ValueError as exc:
                problems.append(
                    f"Row {number}: the date of birth '{text}' is not a real date."
                    if str(exc) == "not real"
                    else f"Row {number}: the date of birth '{text}' is not a date written "
                    "dd/mm/yyyy or yyyy-mm-dd."
                )
    if MisField.SEX in get:
        text = get[MisField.SEX]
        sex = _SEX.get(_fold_header(text))
        if sex is None:
            problems.append(f"Row {number}: '{text}' is not a sex the import knows (M or F).")
        else:
            values["sex"] = sex
    if MisField.ETHNICITY in get:
        text = get[MisField.ETHNICITY]
        code = ethnicity_code(text)
        if code is None:
            problems.append(f"Row {number}: '{text}' is not a DfE ethnicity code.")
        else:
            values["ethnicity"] = code
    if MisField.SEN_STATUS in get:
        text = get[MisField.SEN_STATUS]
        folded = _fold_header(text)
        status = next((s for s, words in _SEN.items() if folded in words), None)
        if status is None:
            problems.append(
                f"Row {number}: '{text}' is not an SEN status the import knows "
                "(N for none, K for SEN support, E for an EHC plan)."
            )
        else:
            values["sen_status"] = status
    for fld in _FLAGS:
        if fld in get:
            flag = _flag(get[fld])
            if flag is None:
                problems.append(
                    f"Row {number}: '{get[fld]}' under {_LABELS[fld]} is not yes or no."
                )
            else:
                values[fld.value] = flag
    if MisField.EAL not in get and MisField.FIRST_LANGUAGE in get:
        values["eal"] = _fold_header(get[MisField.FIRST_LANGUAGE]) not in _ENGLISH


def _contacts(
    number: int, get: Mapping[MisField, str], problems: list[str]
) -> tuple[Contact, ...] | None:
    if not any(fld.value.startswith("contact") for fld in get):
        return None
    contacts: list[Contact] = []
    for n in range(1, CONTACTS + 1):
        parts = {
            fld.value.split("_", 1)[1]: text
            for fld, text in get.items()
            if fld.value.startswith(f"contact{n}_")
        }
        if not any(parts.values()):
            continue
        if not parts.get("name"):
            parts["name"] = " ".join(
                p for p in (parts.get("title"), parts.get("forename"), parts.get("surname")) if p
            )
        lines = [
            parts.get(key, "")
            for key in ("address", "address_line2", "address_line3", "town", "county", "postcode")
        ]
        parts["address"] = "\n".join(line for line in lines if line)
        if not parts.get("name"):
            problems.append(f"Row {number}: contact {n} has details but no name.")
            continue
        flags: dict[str, bool] = {}
        for key, words in (
            ("parental_responsibility", "parental responsibility"),
            ("receives_correspondence", "correspondence"),
        ):
            flag = _flag(parts.get(key, ""))
            if flag is None:
                problems.append(
                    f"Row {number}: '{parts[key]}' under contact {n}'s {words} is not yes or no."
                )
                flag = False
            flags[key] = flag
        contacts.append(
            Contact(
                name=parts["name"],
                relationship=parts.get("relationship", ""),
                address=parts.get("address", ""),
                phone=parts.get("phone", ""),
                email=parts.get("email", ""),
                preferred_language=parts.get("preferred_language", ""),
                **flags,
            )
        )
    return tuple(contacts)


def _missing_message(header: tuple[str, ...], missing: list[MisField]) -> str:
    names = {
        MisField.UPN: "the UPN",
        MisField.LAST_NAME: "the surname",
        MisField.FIRST_NAME: "the first name",
    }
    wanted = " and ".join(names[f] for f in missing)
    if any(upn_problem(cell) is None for cell in header) or any(
        _looks_like_date(cell) for cell in header
    ):
        return (
            "The first row of the file looks like a pupil, not column names. Export the file "
            "with its header row (the column names) and try again. Nothing was imported."
        )
    return (
        f"No column was recognised for {wanted}. The file's columns are: "
        f"{', '.join(header)}. Say which column holds each, for example "
        f'--mapping {missing[0].value}="{header[0] if header else "Column"}". '
        "Nothing was imported."
    )


def _looks_like_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def describe_mapping(mapping: Mapping[MisField, str]) -> list[str]:
    """ "field <- Column" lines, in field order, for the preview."""
    return [f"{f.value} <- {mapping[f]}" for f in MisField if f in mapping]
