"""Reading a pupil CSV exported from the school's MIS (SIMS, Arbor, Bromcom, …).

Pure parsing and checking, standard library only: :func:`read_table` turns the file's
bytes into a header and rows; :func:`guess_mapping` recognises the common column
names; :func:`apply_overrides` lets the user fix the mapping field by field; and
:func:`check_rows` turns each row into the pupil's values, listing every problem in
plain words (:mod:`~incident_recorder.domain.mis_problems`, which also groups them for
the preview) before anything is written. Parents' and carers' columns, and who has
parental responsibility and receives letters when the file does not say, are in
:mod:`~incident_recorder.domain.mis_contacts`. The service
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
from incident_recorder.domain.mis_contacts import (
    CONTACTS,
    PARTS,
    ContactColumns,
    ContactTally,
    contact_notes,
    read_contacts,
    recognise_contact,
)
from incident_recorder.domain.mis_problems import ProblemKind, RowProblem
from incident_recorder.domain.model import Contact, SenStatus
from incident_recorder.domain.pupils import UPN_LETTERS, upn_problem


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
    JOINED_ON = "joined_on"  # issue 14: the admission date (days on roll)
    CONTACT1_NAME = "contact1_name"
    CONTACT1_TITLE = "contact1_title"
    CONTACT1_FORENAME = "contact1_forename"
    CONTACT1_SURNAME = "contact1_surname"
    CONTACT1_RELATIONSHIP = "contact1_relationship"
    CONTACT1_PARENTAL_RESPONSIBILITY = "contact1_parental_responsibility"
    CONTACT1_RECEIVES_CORRESPONDENCE = "contact1_receives_correspondence"
    CONTACT1_LIVES_WITH_PUPIL = "contact1_lives_with_pupil"
    CONTACT1_PRIORITY = "contact1_priority"
    CONTACT1_PHONE = "contact1_phone"
    CONTACT1_MOBILE = "contact1_mobile"
    CONTACT1_HOME_PHONE = "contact1_home_phone"
    CONTACT1_WORK_PHONE = "contact1_work_phone"
    CONTACT1_EMAIL = "contact1_email"
    CONTACT1_PREFERRED_LANGUAGE = "contact1_preferred_language"
    CONTACT1_HOUSE_NAME = "contact1_house_name"
    CONTACT1_HOUSE_NUMBER = "contact1_house_number"
    CONTACT1_ADDRESS = "contact1_address"
    CONTACT1_ADDRESS_LINE2 = "contact1_address_line2"
    CONTACT1_ADDRESS_LINE3 = "contact1_address_line3"
    CONTACT1_TOWN = "contact1_town"
    CONTACT1_COUNTY = "contact1_county"
    CONTACT1_POSTCODE = "contact1_postcode"
    CONTACT2_NAME = "contact2_name"
    CONTACT2_TITLE = "contact2_title"
    CONTACT2_FORENAME = "contact2_forename"
    CONTACT2_SURNAME = "contact2_surname"
    CONTACT2_RELATIONSHIP = "contact2_relationship"
    CONTACT2_PARENTAL_RESPONSIBILITY = "contact2_parental_responsibility"
    CONTACT2_RECEIVES_CORRESPONDENCE = "contact2_receives_correspondence"
    CONTACT2_LIVES_WITH_PUPIL = "contact2_lives_with_pupil"
    CONTACT2_PRIORITY = "contact2_priority"
    CONTACT2_PHONE = "contact2_phone"
    CONTACT2_MOBILE = "contact2_mobile"
    CONTACT2_HOME_PHONE = "contact2_home_phone"
    CONTACT2_WORK_PHONE = "contact2_work_phone"
    CONTACT2_EMAIL = "contact2_email"
    CONTACT2_PREFERRED_LANGUAGE = "contact2_preferred_language"
    CONTACT2_HOUSE_NAME = "contact2_house_name"
    CONTACT2_HOUSE_NUMBER = "contact2_house_number"
    CONTACT2_ADDRESS = "contact2_address"
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
    MisField.DATE_OF_BIRTH: ("dob", "d o b", "date of birth", "birth date", "birthdate"),
    MisField.YEAR_GROUP: ("year", "nc year", "year group", "national curriculum year", "nc yr"),
    MisField.CLASS_NAME: (
        "reg group",
        "registration group",
        "reg",
        "reg grp",
        "registration",
        "registration form",
        "reg form",
        "form",
        "form group",
        "form class",
        "tutor group",
        "class",
        "reg class",
        "registration class",
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
        "cic",
        "child looked after",
        "looked after child",
        "child in care",
        "children in care",
        "in la care",
        "in local authority care",
        "looked after by la",
        "looked after by local authority",
        "looked after children",
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
    MisField.JOINED_ON: (
        "admission date",
        "date of admission",
        "admission",
        "admitted",
        "date admitted",
        "admitted on",
        "entry date",
        "date of entry",
        "start date",
        "date started",
        "enrolment date",
        "enrollment date",
        "date of enrolment",
        "date joined",
        "joined",
        "joined on",
        "on roll date",
        "on roll from",
    ),
}

_FIELD_OF = {alias: fld for fld, aliases in _ALIASES.items() for alias in aliases}
# Contact fields: MisField -> (contact number, detail).
_CONTACT_FIELD = {
    MisField(f"contact{n}_{part}"): (n, part) for n in range(1, CONTACTS + 1) for part in PARTS
}
# Words a header may start or end with that do not change its meaning.
_PREFIXES = ("pupil", "pupils", "student", "students", "child", "childs", "learner", "is", "has")
_TAILS = (" y n", " yes no", " t f", " true false", " flag", " indicator", " ind", " status")


def _fold_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


def _foldings(header: str) -> list[str]:
    """A header folded for matching: "Contact1Forename" -> "contact 1 forename" (also
    "Pupil's" -> "pupils"); the plain folding first, so "DoB" is still "dob"."""
    unquoted = header.replace("'", "").replace("\u2019", "")
    plain = _fold_header(unquoted)
    camel = _fold_header(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", unquoted))
    out: list[str] = []
    for folded in (plain, camel):
        spaced = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?!(?:st|nd)\b)(?=[a-z])", " ", folded)
        for candidate in (folded, spaced):
            if candidate not in out:
                out.append(candidate)
    return out


def _candidates(folded: str) -> list[str]:
    """ "student is looked after (y/n)" -> also "is looked after", "looked after"; the
    header as written first."""
    out = [folded]
    for tail in _TAILS:
        if folded.endswith(tail):
            out.append(folded.removesuffix(tail))
            break
    for _ in range(2):
        for candidate in list(out):
            first, _, rest = candidate.partition(" ")
            if first in _PREFIXES and rest and rest not in out:
                out.append(rest)
    return out


@dataclass(frozen=True, slots=True)
class _Column:
    """What a header names: a pupil field, or a contact's detail (``field`` None) with
    which contact: "1", "2", "" (no number: the first), "mother" or "father"."""

    field: MisField | None
    contact: str = ""
    part: str = ""


def _recognise(header: str) -> _Column | None:
    foldings = _foldings(header)
    for folded in foldings:
        for candidate in _candidates(folded):
            fld = _FIELD_OF.get(candidate)
            if fld is not None:
                return _Column(fld)
    for folded in foldings:
        contact = recognise_contact(folded)
        if contact is not None:
            return _Column(None, *contact)
    return None


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
    return _Column(MisField.UPN) in found or len(found) >= 3


def _looks_like_pupil(cells: tuple[str, ...]) -> bool:
    return any(upn_problem(cell.strip().upper()) is None for cell in cells if cell)


# ------------------------------------------------------------------ the mapping


def guess_mapping(header: tuple[str, ...]) -> dict[MisField, str]:
    """The column each field is read from, recognised by its header name. Where two
    columns name the same field, the first wins, except that a legal name wins over a
    plain one ("Legal Surname" over "Surname") and a numbered contact over one without
    a number ("Parent 1 Email" over "Parent Email")."""
    found = [(i, column, rec) for i, column in enumerate(header) if (rec := _recognise(column))]
    parents = _parent_slots([rec for _, _, rec in found])
    ranked: list[tuple[int, int, MisField, str]] = []
    for i, column, rec in found:
        if rec.field is not None:
            ranked.append((_rank(column), i, rec.field, column))
            continue
        number = parents.get(rec.contact, rec.contact or "1")
        if number in ("1", "2"):
            rank = 2 if rec.contact == "" else 1
            ranked.append((rank, i, MisField(f"contact{number}_{rec.part}"), column))
    mapping: dict[MisField, str] = {}
    for _, _, fld, column in sorted(ranked):
        mapping.setdefault(fld, column)
    return mapping


def _parent_slots(found: list[_Column]) -> dict[str, str]:
    """ "Mother …" and "Father …" columns: the contact numbers no numbered column uses,
    in the order they first appear ({"mother": "1", "father": "2"}). Beside them, a
    contact column with no number ("Parent Email") could be either, so it is not read."""
    parents = [rec.contact for rec in found if rec.contact in ("mother", "father")]
    if not parents:
        return {}
    used = {rec.contact for rec in found if rec.field is None and rec.contact in ("1", "2")}
    free = [n for n in ("1", "2") if n not in used]
    slots = {"": ""}
    for parent in parents:
        if parent not in slots:
            slots[parent] = free.pop(0) if free else ""
    return slots


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
    """The rows that can be imported, every problem found, and how the parents and
    carers were read (``contact_notes``: plain sentences for the preview)."""

    pupils: tuple[PupilRow, ...]
    problems: tuple[RowProblem, ...]
    mapping: Mapping[MisField, str]
    contact_notes: tuple[str, ...] = ()


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


OLDEST, YOUNGEST = 25, 2  # a pupil's age in years on the day of the import


def check_rows(table: CsvTable, mapping: Mapping[MisField, str], *, today: date) -> CheckedFile:
    """Every row read with ``mapping``, and every problem found, in plain words.
    ``today`` (the school's date) is what a date of birth is checked against."""
    missing = missing_required(mapping)
    if missing:
        raise BadImportFile(_missing_message(table.header, missing))
    index = {fld: table.header.index(column) for fld, column in mapping.items()}
    columns = _contact_columns(mapping)
    contact_fields = _contact_fields(mapping)
    tally = ContactTally()
    problems: list[RowProblem] = []
    pupils: list[PupilRow] = []
    first_row_of: dict[str, int] = {}
    width = len(table.header)
    for number, cells in table.rows:
        if len(cells) != width:
            problems.append(
                RowProblem(
                    ProblemKind.RAGGED_ROW,
                    number,
                    f"it has {len(cells)} values but the header has {width} columns, so its "
                    "values may be in the wrong columns. Check for a stray comma.",
                )
            )
            continue
        row_problems: list[RowProblem] = []
        get = {fld: cells[i] for fld, i in index.items()}
        values: dict[str, Any] = {}
        upn = get[MisField.UPN].strip().upper().replace(" ", "")
        if not upn:
            row_problems.append(RowProblem(ProblemKind.NO_UPN, number, "there is no UPN."))
        else:
            problem = upn_problem(upn)
            if problem is not None:
                row_problems.append(RowProblem(_upn_kind(upn), number, problem, value=upn))
            elif upn in first_row_of:
                row_problems.append(
                    RowProblem(
                        ProblemKind.UPN_TWICE,
                        number,
                        f"UPN {upn} appears twice (rows {first_row_of[upn]} and {number}).",
                        value=upn,
                    )
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
        for fld, kind, words in (
            (MisField.LAST_NAME, ProblemKind.NO_SURNAME, "surname"),
            (MisField.FIRST_NAME, ProblemKind.NO_FIRST_NAME, "first name"),
        ):
            if not get[fld]:
                row_problems.append(RowProblem(kind, number, f"there is no {words}."))
        _check_values(number, get, values, row_problems, today)
        contacts: tuple[Contact, ...] | None = None
        if columns is not None:
            slots = {
                n: {part: get[fld] for part, fld in fields.items()}
                for n, fields in contact_fields.items()
            }
            contacts = read_contacts(number, slots, columns, row_problems, tally)
        problems.extend(row_problems)
        if not row_problems:
            pupils.append(PupilRow(number, upn, values, contacts))
    if not table.rows:
        problems.append(
            RowProblem(ProblemKind.NO_PUPILS, None, "The file has a header row but no pupils.")
        )
    return CheckedFile(tuple(pupils), tuple(problems), dict(mapping), contact_notes(columns, tally))


def _upn_kind(upn: str) -> ProblemKind:
    """Which of upn_problem's faults a UPN has (for grouping the problems)."""
    if len(upn) != 13:
        return ProblemKind.UPN_LENGTH
    if not upn[1:12].isdigit() or not (upn[12].isdigit() or upn[12] in UPN_LETTERS):
        return ProblemKind.UPN_FORM
    if upn[0] not in UPN_LETTERS:
        return ProblemKind.UPN_FIRST_LETTER
    return ProblemKind.UPN_CHECK_LETTER


def _contact_fields(mapping: Mapping[MisField, str]) -> dict[int, dict[str, MisField]]:
    """The contact fields the mapping reads: contact number -> detail -> field."""
    fields: dict[int, dict[str, MisField]] = {}
    for fld in MisField:
        if fld in mapping and fld in _CONTACT_FIELD:
            n, part = _CONTACT_FIELD[fld]
            fields.setdefault(n, {})[part] = fld
    return fields


def _contact_columns(mapping: Mapping[MisField, str]) -> ContactColumns | None:
    """Which contacts have which columns; None when the file has no contact columns.
    A contact read from "Mother …" (or "Father …") columns with no relationship column
    is the pupil's mother (or father)."""
    fields = _contact_fields(mapping)
    if not fields:
        return None
    implied: dict[int, str] = {}
    for n, parts in fields.items():
        if "relationship" in parts:
            continue
        for fld in parts.values():
            rec = _recognise(mapping[fld])
            if rec is not None and rec.contact in ("mother", "father"):
                implied[n] = rec.contact.capitalize()
                break
    return ContactColumns(
        slots={n: frozenset(parts) for n, parts in fields.items()},
        implied_relationship=implied,
    )


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _check_birth(number: int, text: str, born: date, today: date) -> RowProblem | None:
    """A date of birth no pupil could have: in the future, or an age outside 2 to 25."""
    if born > today:
        return RowProblem(
            ProblemKind.DATE_OF_BIRTH_FUTURE,
            number,
            f"the date of birth '{text}' is in the future. Check the year.",
            value=text,
        )
    age = _age(born, today)
    if age > OLDEST:
        return RowProblem(
            ProblemKind.DATE_OF_BIRTH_TOO_OLD,
            number,
            f"the date of birth '{text}' would make the pupil {age} today, older than "
            f"{OLDEST}. Check the year.",
            value=text,
        )
    if age < YOUNGEST:
        return RowProblem(
            ProblemKind.DATE_OF_BIRTH_TOO_YOUNG,
            number,
            f"the date of birth '{text}' would make the pupil younger than {YOUNGEST} "
            "today. Check the year.",
            value=text,
        )
    return None


def _check_values(
    number: int,
    get: Mapping[MisField, str],
    values: dict[str, Any],
    problems: list[RowProblem],
    today: date,
) -> None:
    if MisField.DATE_OF_BIRTH in get:
        text = get[MisField.DATE_OF_BIRTH]
        if not text:
            values["date_of_birth"] = None
        else:
            try:
                born = parse_date(text)
            except ValueError as exc:
                if str(exc) == "not real":
                    problems.append(
                        RowProblem(
                            ProblemKind.DATE_OF_BIRTH_NOT_REAL,
                            number,
                            f"the date of birth '{text}' is not a real date.",
                            value=text,
                        )
                    )
                else:
                    problems.append(
                        RowProblem(
                            ProblemKind.DATE_OF_BIRTH_FORM,
                            number,
                            f"the date of birth '{text}' is not a date written dd/mm/yyyy "
                            "or yyyy-mm-dd.",
                            value=text,
                        )
                    )
            else:
                impossible = _check_birth(number, text, born, today)
                if impossible is not None:
                    problems.append(impossible)
                values["date_of_birth"] = born
    if MisField.JOINED_ON in get:
        _check_joined(number, get[MisField.JOINED_ON], values, problems, today)
    if MisField.SEX in get:
        text = get[MisField.SEX]
        sex = _SEX.get(_fold_header(text))
        if sex is None:
            problems.append(
                RowProblem(
                    ProblemKind.SEX,
                    number,
                    f"'{text}' is not a sex the import knows (M or F).",
                    value=text,
                )
            )
        else:
            values["sex"] = sex
    if MisField.ETHNICITY in get:
        text = get[MisField.ETHNICITY]
        code = ethnicity_code(text)
        if code is None:
            problems.append(
                RowProblem(
                    ProblemKind.ETHNICITY,
                    number,
                    f"'{text}' is not a DfE ethnicity code.",
                    value=text,
                )
            )
        else:
            values["ethnicity"] = code
    if MisField.SEN_STATUS in get:
        text = get[MisField.SEN_STATUS]
        folded = _fold_header(text)
        status = next((s for s, words in _SEN.items() if folded in words), None)
        if status is None:
            problems.append(
                RowProblem(
                    ProblemKind.SEN_STATUS,
                    number,
                    f"'{text}' is not an SEN status the import knows "
                    "(N for none, K for SEN support, E for an EHC plan).",
                    value=text,
                )
            )
        else:
            values["sen_status"] = status
    for fld in _FLAGS:
        if fld in get:
            flag = _flag(get[fld])
            if flag is None:
                problems.append(
                    RowProblem(
                        ProblemKind.NOT_YES_NO,
                        number,
                        f"'{get[fld]}' under {_LABELS[fld]} is not yes or no.",
                        value=get[fld],
                        subject=_LABELS[fld],
                    )
                )
            else:
                values[fld.value] = flag
    if MisField.EAL not in get and MisField.FIRST_LANGUAGE in get:
        values["eal"] = _fold_header(get[MisField.FIRST_LANGUAGE]) not in _ENGLISH


def _check_joined(
    number: int, text: str, values: dict[str, Any], problems: list[RowProblem], today: date
) -> None:
    """The admission date (the first day on roll): empty is not known."""
    if not text.strip():
        values["joined_on"] = None
        return
    try:
        joined = parse_date(text)
    except ValueError as exc:
        real = str(exc) == "not real"
        problems.append(
            RowProblem(
                ProblemKind.JOINED_ON,
                number,
                f"the admission date '{text}' is not a real date."
                if real
                else f"the admission date '{text}' is not a date written dd/mm/yyyy or yyyy-mm-dd.",
                value=text,
            )
        )
        return
    if joined.year < 1990 or joined > date(today.year + 1, 12, 31):
        problems.append(
            RowProblem(
                ProblemKind.JOINED_ON,
                number,
                f"the admission date '{text}' is not a date a pupil could have joined. "
                "Check the year.",
                value=text,
            )
        )
        return
    values["joined_on"] = joined


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
