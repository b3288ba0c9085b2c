"""Anonymised rows for a local authority or trust, and a trust's roll-up of them.

A school exports its oversight inputs (``ReportInputs``) as a CSV of pseudonymous rows
(``write_export``); a trust or local authority reads several schools' files back
(``read_export``), merges them (``merge_exports``) and runs the very same sums as each
school's own screen (``trust_report``). The format is documented, column by column, in
``docs/oversight-csv.md``.

What never goes in: names, UPNs, dates of birth, free text, incident references. The
pupil key is ``HMAC-SHA256(secret, pupil key)`` cut to 12 hexadecimal characters, with a
fresh random secret for each export (the caller makes it and throws it away), so the
same pupil has a different key in every export and exports cannot be linked by design.
Rows are written in an order that gives nothing away (pupils by their pseudonymous key,
incidents by date and time), and incidents are numbered from 1 in that order.

Locations and techniques can be typed into the form as well as chosen from the school's
pick-lists, so only pick-list values are written: anything typed shows as
``OTHER_TYPED``. Without the pick-lists, neither is written at all.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import hmac
import io
import operator
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING

from incident_recorder.domain.errors import ExportFileError
from incident_recorder.domain.ethnicity import ETHNICITY_CODES, EXTENDED_CODES, EthnicGroup
from incident_recorder.domain.model import FloorPosition, InterventionKind, SenStatus
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
    SuppressionRules,
)

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

    from incident_recorder.domain.oversight.figures import OversightReport

FORMAT_VERSION = "1"
KEY_HEX_CHARACTERS = 12
KEY_PREFIX = "P"  # so that a spreadsheet never reads a key such as 1234e5678901 as a number
OTHER_TYPED = "Other (typed in)"
LIST_SEPARATOR = ";"
MIN_SECRET_BYTES = 16

ROW_PERIOD = "period"
ROW_TERM_START = "term_start"
ROW_PUPIL = "pupil"
ROW_INCIDENT = "incident"
ROW_LAST_YEAR = "last_year_incident"
ROW_TYPES = (ROW_PERIOD, ROW_TERM_START, ROW_PUPIL, ROW_INCIDENT, ROW_LAST_YEAR)
_ROW_TYPES = frozenset(ROW_TYPES)

CHARACTERISTIC_COLUMNS: tuple[str, ...] = (
    "year_group",
    "ethnic_group",
    "ethnicity",
    "sex",
    "sen",
    "looked_after",
    "previously_looked_after",
    "kinship_care",
    "child_in_need_or_protection",
    "free_school_meals",
    "eal",
)
_CHARACTERISTIC_FLAGS: tuple[str, ...] = CHARACTERISTIC_COLUMNS[5:]

# Every flag of IncidentFacts that is yes, no or blank (blank: the question does not apply).
OPTIONAL_FLAGS: tuple[str, ...] = (
    "recorded_same_day",
    "parents_told_same_day",
    "letter_within_1_school_day",
    "copy_supplied",
    "signed_off_within_2_school_days",
    "staff_training_expired",
)
# Every flag of IncidentFacts that is always yes or no.
FLAGS: tuple[str, ...] = (
    "deescalation_recorded",
    "hold_over_threshold",
    "pupil_injured",
    "staff_injured",
)

CSV_COLUMNS: tuple[str, ...] = (
    "row_type",
    "format_version",
    "school",
    "period_start",
    "period_end",
    "incident_no",
    "pupil_key",
    "days_on_roll",
    "date",
    *CHARACTERISTIC_COLUMNS,
    "start_time",
    "kind",
    "techniques",
    "antecedent_kinds",
    "location",
    "duration_minutes",
    "floor_positions",
    *OPTIONAL_FLAGS[:5],
    "deescalation_recorded",
    "hold_over_threshold",
    "pupil_injured",
    "staff_injured",
    "staff_training_expired",
)
_COLUMN = {name: i for i, name in enumerate(CSV_COLUMNS)}

_YES, _NO = "yes", "no"
_YES_NO: dict[str, bool] = {"yes": True, "y": True, "no": False, "n": False}
_RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEN_VALUES = frozenset(s.value for s in SenStatus)
_SEX_VALUES = frozenset({"F", "M", ""})
_GROUP_VALUES = frozenset(g.value for g in EthnicGroup) | {""}
_CODE_VALUES = frozenset(ETHNICITY_CODES) | {""}
_KIND_VALUES = frozenset(k.value for k in InterventionKind) | {""}
_FLOOR_VALUES = frozenset(f.value for f in FloorPosition)
_WHAT_IT_IS = "an Incident Recorder export for a local authority or trust"


@dataclass(frozen=True, slots=True)
class ExportLists:
    """The school's pick-lists: only their values are written (``OTHER_TYPED`` for
    anything typed in instead). ``None`` for a list: that column is left blank."""

    locations: Collection[str] | None = None
    techniques: Collection[str] | None = None


# --------------------------------------------------------------------------- writing


def pseudonym(secret: bytes, key: str, length: int = KEY_HEX_CHARACTERS) -> str:
    """The export's key for one pupil: HMAC-SHA256 of the pupil key, cut short."""
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
    return KEY_PREFIX + digest[:length]


def write_export(
    inputs: ReportInputs,
    secret: bytes,
    school_label: str = "",
    lists: ExportLists | None = None,
) -> str:
    """The CSV text (UTF-8 once encoded; it starts with a byte-order mark so that Excel
    reads it as UTF-8; Windows line endings). ``secret``: at least 16 random bytes, new
    for each export and kept nowhere. ``school_label``: the school's name or a short code
    (default: ``inputs.school``). ``lists``: the school's pick-lists for locations and
    techniques; without them neither is written."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} random bytes")
    lists = lists or ExportLists()
    school = _clean(school_label or inputs.school)
    period = inputs.period
    keys = _pseudonyms(inputs, secret)
    by_key = {p.key: p for p in inputs.pupils}
    blank_row = [""] * len(CSV_COLUMNS)

    def row(row_type: str) -> list[str]:
        out = blank_row.copy()
        out[0], out[1], out[2] = row_type, FORMAT_VERSION, school
        out[3], out[4] = period.start.isoformat(), period.end.isoformat()
        return out

    rows: list[list[str]] = [row(ROW_PERIOD)]
    for start in sorted(set(inputs.term_starts)):
        r = row(ROW_TERM_START)
        r[_COLUMN["date"]] = start.isoformat()
        rows.append(r)
    for pupil in sorted(inputs.pupils, key=lambda p: keys[p.key]):
        r = row(ROW_PUPIL)
        r[_COLUMN["pupil_key"]] = keys[pupil.key]
        r[_COLUMN["days_on_roll"]] = str(pupil.days_on_roll)
        _put_characteristics(r, pupil.characteristics)
        rows.append(r)
    locations = _allowed(lists.locations)
    techniques = _allowed(lists.techniques)
    for row_type, incidents in (
        (ROW_INCIDENT, inputs.incidents),
        (ROW_LAST_YEAR, inputs.last_year),
    ):
        ordered = sorted(
            incidents,
            key=lambda i: (i.occurred_on, i.start or time(0), i.start is None, keys[i.pupil_key]),
        )
        for number, incident in enumerate(ordered, start=1):
            r = row(row_type)
            r[_COLUMN["incident_no"]] = str(number)
            r[_COLUMN["pupil_key"]] = keys[incident.pupil_key]
            r[_COLUMN["date"]] = incident.occurred_on.isoformat()
            owner = by_key.get(incident.pupil_key)
            if owner is not None:
                _put_characteristics(r, owner.characteristics)
            _put_incident(r, incident, locations, techniques)
            rows.append(r)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([[_safe(cell) for cell in r] for r in rows])
    return out.getvalue()


def _pseudonyms(inputs: ReportInputs, secret: bytes) -> dict[str, str]:
    """Each pupil key (on roll or only in an incident) to its pseudonym; longer keys in
    the astronomically unlikely case of two pupils sharing one."""
    originals = {p.key for p in inputs.pupils}
    originals.update(i.pupil_key for i in inputs.incidents)
    originals.update(i.pupil_key for i in inputs.last_year)
    for length in (KEY_HEX_CHARACTERS, 16, 24, 64):
        keys = {key: pseudonym(secret, key, length) for key in originals}
        if len(set(keys.values())) == len(keys):
            return keys
    raise ValueError("two pupils have the same key")  # pragma: no cover: SHA-256 collision


def _allowed(values: Collection[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(v.strip() for v in values)


def _put_characteristics(r: list[str], c: Characteristics) -> None:
    r[_COLUMN["year_group"]] = _clean(c.year_group)
    r[_COLUMN["ethnic_group"]] = c.ethnic_group
    r[_COLUMN["ethnicity"]] = c.ethnicity
    r[_COLUMN["sex"]] = c.sex
    r[_COLUMN["sen"]] = c.sen
    for name in _CHARACTERISTIC_FLAGS:
        r[_COLUMN[name]] = _YES if getattr(c, name) else _NO


def _put_incident(
    r: list[str],
    incident: IncidentFacts,
    locations: frozenset[str] | None,
    techniques: frozenset[str] | None,
) -> None:
    if incident.start is not None:
        r[_COLUMN["start_time"]] = f"{incident.start:%H:%M}"
    r[_COLUMN["kind"]] = incident.kind
    if techniques is not None:
        r[_COLUMN["techniques"]] = _join(_only_listed(t, techniques) for t in incident.techniques)
    r[_COLUMN["antecedent_kinds"]] = _join(incident.antecedent_kinds)
    if locations is not None and incident.location.strip():
        r[_COLUMN["location"]] = _only_listed(incident.location, locations)
    if incident.duration_minutes is not None:
        r[_COLUMN["duration_minutes"]] = str(incident.duration_minutes)
    r[_COLUMN["floor_positions"]] = _join(sorted(incident.floor_positions))
    for name in OPTIONAL_FLAGS:
        value = getattr(incident, name)
        r[_COLUMN[name]] = "" if value is None else _YES if value else _NO
    for name in FLAGS:
        r[_COLUMN[name]] = _YES if getattr(incident, name) else _NO


def _only_listed(value: str, allowed: frozenset[str]) -> str:
    value = value.strip()
    return value if value in allowed else OTHER_TYPED


def _join(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(_clean(v).replace(LIST_SEPARATOR, ",") for v in values)


def _clean(text: str) -> str:
    """One line of text: control characters (new lines, tabs) become spaces."""
    return _CONTROL.sub(" ", text).strip()


def _safe(cell: str) -> str:
    """No cell may start as a spreadsheet formula would: such a cell gets a leading
    apostrophe, which ``read_export`` takes off again."""
    if cell and (cell[0] in _RISKY_FIRST or cell[0] == "'"):
        return "'" + cell
    return cell


# --------------------------------------------------------------------------- reading


def decode_export(data: bytes, source_name: str) -> str:
    """The text of an export file: UTF-8 (with or without a byte-order mark), or
    Windows-1252 as Excel's "CSV (Comma delimited)" saves it on a UK PC."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ExportFileError(
            f"is not {_WHAT_IT_IS}: it looks like a Unicode text or other non-CSV file. "
            "If it was opened in Excel, save it again as 'CSV UTF-8 (Comma delimited)'",
            source_name,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ExportFileError(
            f"is not {_WHAT_IT_IS}: it is not readable text. If it was opened in Excel, "
            "save it again as 'CSV UTF-8 (Comma delimited)'",
            source_name,
        ) from None


def read_export(text: str | bytes, source_name: str) -> ReportInputs:
    """One school's export read back as report inputs (bytes are decoded with
    ``decode_export``). ``source_name`` (the file's name) goes into every message. The
    school is the file's school label, or the file's name without ``.csv`` where the
    label is blank; each pupil key is ``school/key`` and each incident's reference
    ``school #n`` (its incident number), so that schools never collide in a merge.
    Raises ``ExportFileError`` at the first problem found."""
    sections = read_exports(text, source_name)
    if len(sections) > 1:
        names = ", ".join(s.school for s in sections)
        raise ExportFileError(
            f"holds the exports of {len(sections)} schools ({names}), as a trust's file "
            "does, not one school's",
            source_name,
        )
    return sections[0]


def read_exports(text: str | bytes, source_name: str) -> tuple[ReportInputs, ...]:
    """Every school's export in one file: one for a school's own file, several for a
    trust's (``write_trust_export``), in the file's order; otherwise as
    ``read_export``."""
    if isinstance(text, bytes):
        text = decode_export(text, source_name)
    return tuple(_Reader(text, source_name).read())


def _section(
    period: Period,
    school: str,
    pupils: list[PupilFacts],
    incidents: list[IncidentFacts],
    last_year: list[IncidentFacts],
    term_starts: list[date],
) -> ReportInputs:
    return ReportInputs(
        period=period,
        pupils=tuple(pupils),
        incidents=tuple(incidents),
        last_year=tuple(last_year),
        term_starts=tuple(sorted(set(term_starts))),
        school=school,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the rows are read: they make hundreds of
    thousands of small objects and no cycles, and the collector would otherwise walk
    them all again and again. Restored afterwards, even on an error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Positions in CSV_COLUMNS: a file's rows are put into this order before they are read.
_TYPE, _VERSION, _SCHOOL, _START, _END = 0, 1, 2, 3, 4
_NUMBER, _KEY, _DAYS, _DATE = (
    _COLUMN[n] for n in ("incident_no", "pupil_key", "days_on_roll", "date")
)
_CHARS = slice(_COLUMN["year_group"], _COLUMN["eal"] + 1)
_BOOL_CELLS: dict[str, bool] = {}
for _word, _value in _YES_NO.items():
    _BOOL_CELLS.update(dict.fromkeys((_word, _word.upper(), _word.capitalize()), _value))
_MAYBE_CELLS: dict[str, bool | None] = {"": None, **_BOOL_CELLS}
_MISSING = object()
_flag_cells = operator.itemgetter(*(_COLUMN[name] for name in OPTIONAL_FLAGS + FLAGS))
_LOCATION, _START_TIME, _KIND = _COLUMN["location"], _COLUMN["start_time"], _COLUMN["kind"]
_DURATION, _FLOOR = _COLUMN["duration_minutes"], _COLUMN["floor_positions"]
_TECHNIQUES, _ANTECEDENTS = _COLUMN["techniques"], _COLUMN["antecedent_kinds"]


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.text = text.removeprefix("\ufeff")
        self.line = 0
        self.untidy = True
        self.dates: dict[str, date] = {}
        self.times: dict[str, time | None] = {}
        self.floors: dict[str, frozenset[str]] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        self.flags: dict[tuple[str, ...], tuple[bool | None, ...]] = {}

    def fail(self, message: str, row: bool = True) -> ExportFileError:
        return ExportFileError(message, self.source, self.line if row else None)

    def read(self) -> list[ReportInputs]:
        if "\ufffd" in self.text:
            raise self.fail(
                "has characters that could not be read (it was not saved as UTF-8 text). "
                "Save it again as 'CSV UTF-8 (Comma delimited)'",
                row=False,
            )
        first_line = self.text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        # Spaces before a cell go as it is read; spaces after one are let be until a value
        # fails its check, which then looks again without them (most files have none).
        reader = csv.reader(
            io.StringIO(self.text, newline=""),
            delimiter=delimiter,
            strict=True,
            skipinitialspace=True,
        )
        self.untidy = "'" in self.text  # _safe's apostrophe, to take off again

        try:
            with _collector_paused():
                return self._read(reader)
        except csv.Error as error:
            raise self.fail(f"could not be read as CSV ({error})") from None

    def _read(self, reader: _CsvReader) -> list[ReportInputs]:
        header: list[str] | None = None
        order: list[int] | None = None
        width = 0
        period: Period | None = None
        school = prefix = ""
        first: list[str] | None = None
        same: list[str] = []
        starts = ends = date.min
        term_starts: list[date] = []
        pupils: list[PupilFacts] = []
        pupil_rows: dict[str, tuple[list[str], int, Characteristics]] = {}
        incidents: list[IncidentFacts] = []
        last_year: list[IncidentFacts] = []
        numbers: dict[str, dict[int, int]] = {ROW_INCIDENT: {}, ROW_LAST_YEAR: {}}
        sections: list[ReportInputs] = []
        schools: dict[str, int] = {}
        for raw in reader:
            self.line = reader.line_num
            if not (raw and raw[0]) and not "".join(raw).strip():
                continue  # a blank line, or a row of empty cells as Excel leaves at the end
            if header is None:
                header = raw
                order, width = self._columns(header), len(header)
                continue
            if len(raw) != width:
                raise self.fail(
                    f"has {len(raw)} cells where the first line has {width} columns; "
                    "each row must have one cell for every column"
                )
            cells = raw if order is None else [raw[i] for i in order]
            if self.untidy:
                cells = _tidy(cells)
            row_type = cells[_TYPE]
            if row_type not in _ROW_TYPES:
                row_type = row_type.strip()
            if row_type not in _ROW_TYPES:
                raise self.fail(
                    f"the row type '{row_type}' is not one this file can have "
                    f"({', '.join(ROW_TYPES)})"
                )
            if cells[_VERSION] != FORMAT_VERSION and cells[_VERSION].strip() != FORMAT_VERSION:
                raise self.fail(self._version_message(cells[_VERSION].strip()))
            if row_type == ROW_PERIOD:  # an export begins (a trust's file has several)
                if first is not None and period is not None:
                    sections.append(
                        _section(period, school, pupils, incidents, last_year, term_starts)
                    )
                first = [c.strip() for c in cells]
                period = self._period(first[_START], first[_END])
                school = first[_SCHOOL] or _stem(self.source)
                if school in schools:
                    raise self.fail(
                        f"a second export for '{school}' begins here (the first begins on "
                        f"row {schools[school]}); a file holds each school once"
                    )
                schools[school] = self.line
                prefix = f"{school}/"
                same = first[_SCHOOL:_NUMBER]
                starts, ends = period.start, period.end
                pupils, incidents, last_year, term_starts = [], [], [], []
                pupil_rows = {}
                numbers = {ROW_INCIDENT: {}, ROW_LAST_YEAR: {}}
                continue
            if first is None:
                raise self.fail(
                    f"the first row after the column names should be the '{ROW_PERIOD}' "
                    f"row (it says '{row_type}'): this is not a whole export"
                )
            if (
                cells[_SCHOOL:_NUMBER] != same
                and [c.strip() for c in cells[_SCHOOL:_NUMBER]] != same
            ):
                raise self.fail(self._mixed_message([c.strip() for c in cells], first))
            assert period is not None
            if row_type == ROW_PUPIL:
                key = self._required(cells, _KEY)
                if key in pupil_rows:
                    raise self.fail(
                        f"the pupil key '{key}' is given twice (also on row "
                        f"{pupil_rows[key][1]}); each pupil has one pupil row"
                    )
                days = self._whole(self._required(cells, _DAYS), "days_on_roll")
                if not 1 <= days <= period.days:
                    raise self.fail(
                        f"days_on_roll is {days}, but the period has {period.days} days: "
                        f"it should be from 1 to {period.days}"
                    )
                characteristics = self._characteristics(cells)
                pupil_rows[key] = (cells[_CHARS], self.line, characteristics)
                pupils.append(PupilFacts(prefix + key, days, characteristics, school=school))
            elif row_type in (ROW_INCIDENT, ROW_LAST_YEAR):
                text = cells[_NUMBER]
                if text.isascii() and text.isdigit():
                    number = int(text)
                else:
                    number = self._whole(self._required(cells, _NUMBER), "incident_no")
                seen = numbers[row_type]
                if number in seen:
                    raise self.fail(
                        f"incident number {number} is given twice (also on row {seen[number]}): "
                        "has part of the file been pasted in twice?"
                    )
                seen[number] = self.line
                key = self._required(cells, _KEY)
                owner = pupil_rows.get(key)
                if (
                    owner is not None
                    and owner[0] != cells[_CHARS]  # the same text, or else the same meaning
                    and owner[2] != self._characteristics(cells)
                ):
                    raise self.fail(
                        "this incident's pupil characteristics differ from those on its "
                        f"pupil's row (row {owner[1]}); they should be the same"
                    )
                incident = self._incident(cells, prefix + key, school, number)
                if row_type == ROW_INCIDENT:
                    if not starts <= incident.occurred_on <= ends:
                        raise self.fail(
                            f"the incident's date {incident.occurred_on:%d/%m/%Y} is outside "
                            f"the file's period ({_period_words(period)})"
                        )
                    incidents.append(incident)
                else:
                    last_year.append(incident)
            else:
                term_starts.append(self._date(self._required(cells, _DATE), "date"))
        if header is None:
            raise self.fail(f"is empty: it is not {_WHAT_IT_IS}", row=False)
        if period is None:
            raise self.fail(
                f"has the column names but no rows: it should have at least its '{ROW_PERIOD}' row",
                row=False,
            )
        sections.append(_section(period, school, pupils, incidents, last_year, term_starts))
        return sections

    def _columns(self, header: list[str]) -> list[int] | None:
        """Where each of CSV_COLUMNS is in the file (None: in CSV_COLUMNS' own order).
        Columns may be in another order, and other columns are let be."""
        names = [_unsafe(h.strip()).lower() for h in header]
        if names[:2] != ["row_type", "format_version"]:
            raise self.fail(
                f"is not {_WHAT_IT_IS}: its first line should begin "
                f"'row_type,format_version', but it begins '{','.join(header[:2])[:60]}'",
                row=False,
            )
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in index:
                raise self.fail(f"has the column '{name}' twice", row=False)
            index[name] = i
        missing = [name for name in CSV_COLUMNS if name not in index]
        if missing:
            listed = ", ".join(f"'{m}'" for m in missing)
            raise self.fail(
                f"is missing the column{'s' if len(missing) > 1 else ''} {listed}. "
                "Was a column deleted? Export the file again from Incident Recorder",
                row=False,
            )
        order = [index[name] for name in CSV_COLUMNS]
        return None if tuple(names) == CSV_COLUMNS else order

    def _required(self, cells: list[str], i: int) -> str:
        value = cells[i].strip()
        if not value:
            raise self.fail(f"{CSV_COLUMNS[i]} is blank; it must be filled in on this row")
        return value

    def _version_message(self, version: str) -> str:
        if version.isdigit() and int(version) > int(FORMAT_VERSION):
            return (
                f"the file is in format version {version}, made by a newer version of "
                f"Incident Recorder; this version reads format version {FORMAT_VERSION}. "
                "Please install the newer version to read it"
            )
        shown = f"'{version}'" if version else "blank"
        return (
            f"the format version is {shown}, but this version of Incident Recorder "
            f"reads format version {FORMAT_VERSION}"
        )

    def _mixed_message(self, here: list[str], first: list[str]) -> str:
        if here[_SCHOOL] != first[_SCHOOL]:
            return (
                f"this row is for the school '{here[_SCHOOL]}' but the file is for "
                f"'{first[_SCHOOL]}'. One file holds one school's export: give each school "
                "its own file"
            )
        return (
            f"this row is for the period {here[_START]} to {here[_END]} but the file is "
            f"for {first[_START]} to {first[_END]}. One file holds one period: rows of "
            "different periods (or different exports) have been mixed together"
        )

    def _period(self, start_text: str, end_text: str) -> Period:
        start = self._date(start_text, "period_start")
        end = self._date(end_text, "period_end")
        if end < start:
            raise self.fail(f"the period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})")
        return Period(start, end, f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")

    def _characteristics(self, cells: list[str]) -> Characteristics:
        sex = cells[_COLUMN["sex"]].strip().upper()
        if sex not in _SEX_VALUES:
            raise self.fail(f"sex should be F, M or blank, not '{cells[_COLUMN['sex']]}'")
        sen = cells[_COLUMN["sen"]].strip().lower() or "none"
        if sen not in _SEN_VALUES:
            shown = cells[_COLUMN["sen"]]
            raise self.fail(f"sen should be none, sen_support or ehcp, not '{shown}'")
        group = cells[_COLUMN["ethnic_group"]].strip().lower()
        if group not in _GROUP_VALUES:
            raise self.fail(
                f"ethnic_group '{cells[_COLUMN['ethnic_group']]}' is not one of "
                f"{', '.join(g.value for g in EthnicGroup)} (or blank)"
            )
        code = cells[_COLUMN["ethnicity"]].strip().upper()
        code = EXTENDED_CODES.get(code, code)  # as the MIS import stores them
        if code not in _CODE_VALUES:
            raise self.fail(
                f"ethnicity '{cells[_COLUMN['ethnicity']]}' is not one of the DfE's main "
                "ethnicity codes (such as WBRI)"
            )
        yes_no = self._yes_no
        return Characteristics(
            ethnicity=code,
            ethnic_group=group,
            sex=sex,
            sen=sen,
            looked_after=yes_no(cells, "looked_after"),
            previously_looked_after=yes_no(cells, "previously_looked_after"),
            kinship_care=yes_no(cells, "kinship_care"),
            child_in_need_or_protection=yes_no(cells, "child_in_need_or_protection"),
            free_school_meals=yes_no(cells, "free_school_meals"),
            eal=yes_no(cells, "eal"),
            year_group=cells[_COLUMN["year_group"]].strip(),
        )

    def _incident(self, cells: list[str], key: str, school: str, number: int) -> IncidentFacts:
        # Most cells repeat from row to row (dates, times, lists, the flags), so each
        # distinct text is worked out once per file.
        text = cells[_DATE]
        occurred = self.dates.get(text)
        if occurred is None:
            occurred = self.dates[text] = self._date(self._required(cells, _DATE), "date")
        start_text = cells[_START_TIME]
        times = self.times
        if start_text in times:
            start = times[start_text]
        else:
            start = times[start_text] = self._time(start_text) if start_text.strip() else None
        kind = cells[_KIND]
        if kind not in _KIND_VALUES:
            kind = kind.strip().lower()
            if kind not in _KIND_VALUES:
                raise self.fail(
                    f"kind '{cells[_KIND]}' is not one of "
                    f"{', '.join(k.value for k in InterventionKind)} (or blank)"
                )
        duration_text = cells[_DURATION]
        floor_text = cells[_FLOOR]
        floor = self.floors.get(floor_text)
        if floor is None:
            floor = self.floors[floor_text] = self._floor(floor_text)
        lists = self.lists
        techniques = lists.get(cells[_TECHNIQUES])
        if techniques is None:
            techniques = lists[cells[_TECHNIQUES]] = tuple(_split(cells[_TECHNIQUES]))
        antecedents = lists.get(cells[_ANTECEDENTS])
        if antecedents is None:
            antecedents = lists[cells[_ANTECEDENTS]] = tuple(_split(cells[_ANTECEDENTS]))
        flag_cells = _flag_cells(cells)
        flags = self.flags.get(flag_cells)
        if flags is None:
            flags = self.flags[flag_cells] = (
                *(self._maybe(cells, name) for name in OPTIONAL_FLAGS),
                *(self._yes_no(cells, name) for name in FLAGS),
            )
        return IncidentFacts(
            f"{school} #{number}",
            key,
            occurred,
            start,
            kind,
            techniques,
            antecedents,
            cells[_LOCATION].strip(),
            self._whole(duration_text, "duration_minutes")
            if duration_text and not duration_text.isspace()
            else None,
            flags[0],
            flags[1],
            flags[2],
            flags[3],
            flags[4],
            bool(flags[6]),
            floor,
            bool(flags[7]),
            bool(flags[8]),
            bool(flags[9]),
            flags[5],
            school,
        )

    def _floor(self, text: str) -> frozenset[str]:
        floor = frozenset(_split(text.lower()))
        wrong = sorted(floor - _FLOOR_VALUES)
        if wrong:
            raise self.fail(
                f"floor_positions has '{wrong[0]}', which is not one of "
                f"{', '.join(f.value for f in FloorPosition)}"
            )
        return floor

    def _date(self, text: str, column: str) -> date:
        text = text.strip()
        parts = _ISO.fullmatch(text)
        if parts:
            y, m, d = parts.groups()
        else:
            parts = _UK.fullmatch(text)
            if not parts:
                raise self.fail(
                    f"the {column} '{text}' is not a date; write dates as 2026-09-01 "
                    "(or 01/09/2026)"
                )
            d, m, y = parts.groups()
        try:
            return date(int(y), int(m), int(d))
        except ValueError:
            raise self.fail(f"the {column} '{text}' is not a real date") from None

    def _time(self, text: str) -> time:
        text = text.strip()
        parts = _TIME.fullmatch(text)
        if parts:
            h, m = int(parts.group(1)), int(parts.group(2))
            if h < 24 and m < 60:
                return time(h, m)
        raise self.fail(f"the start_time '{text}' is not a time of day like 09:45 (24-hour)")

    def _whole(self, text: str, column: str) -> int:
        if not (text.isascii() and text.isdigit()):
            text = text.strip()
        if not (text.isascii() and text.isdigit()):
            raise self.fail(f"{column} should be a whole number, not '{text}'")
        return int(text)

    def _yes_no(self, cells: list[str], column: str) -> bool:
        text = cells[_COLUMN[column]]
        value = _BOOL_CELLS.get(text)
        if value is None:
            text = text.strip()
            value = _YES_NO.get(text.lower())
            if value is None:
                shown = f"'{text}'" if text else "blank"
                raise self.fail(f"{column} should be yes or no, not {shown}")
        return value

    def _maybe(self, cells: list[str], column: str) -> bool | None:
        text = cells[_COLUMN[column]]
        value = _MAYBE_CELLS.get(text, _MISSING)
        if value is _MISSING:
            text = text.strip()
            value = _MAYBE_CELLS.get(text.lower(), _MISSING)
            if value is _MISSING:
                raise self.fail(f"{column} should be yes, no or blank, not '{text}'")
        assert value is None or isinstance(value, bool)
        return value


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")


def _tidy(cells: list[str]) -> list[str]:
    """Spaces round a cell taken off, and ``_safe``'s apostrophe; most rows need neither,
    which a look over the joined row finds out."""
    joined = "\x00" + "\x00".join(cells) + "\x00"
    if "\x00'" not in joined and "\x00 " not in joined and " \x00" not in joined:
        return cells
    return [_unsafe(c.strip()) for c in cells]


def _unsafe(cell: str) -> str:
    """Undo ``_safe``: one leading apostrophe before a formula character goes."""
    if len(cell) > 1 and cell[0] == "'" and (cell[1] in _RISKY_FIRST or cell[1] == "'"):
        return cell[1:]
    return cell


def _split(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(LIST_SEPARATOR)]
    return [part for part in parts if part] if "" in parts else parts


def _stem(source: str) -> str:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".csv") else name


def _period_words(period: Period) -> str:
    return f"{period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}"


# --------------------------------------------------------------------------- a trust


def merge_exports(parts: Sequence[ReportInputs], label: str = "") -> ReportInputs:
    """Several schools' inputs as one trust's: each pupil key and incident reference
    prefixed with its school (so pupils of different schools never meet), the period
    the union of the schools' periods. Where a school's period is shorter than the
    union, its pupils' days on roll are scaled to keep each pupil's share of a pupil
    on roll (``days_on_roll / period days``) as it was. ``label``: the trust's name."""
    if not parts:
        raise ExportFileError("There are no schools' files to put together.")
    seen: dict[str, int] = {}
    for n, part in enumerate(parts, start=1):
        if part.school in seen:
            raise ExportFileError(
                f"Two of the files (number {seen[part.school]} and number {n}) are both "
                f"from '{part.school}'. Give each school's export once; if they are "
                "different schools, give each its own school label when exporting."
            )
        seen[part.school] = n
    start = min(p.period.start for p in parts)
    end = max(p.period.end for p in parts)
    name = label or f"{len(parts)} schools together"
    period = Period(start, end, f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")
    pupils: list[PupilFacts] = []
    incidents: list[IncidentFacts] = []
    last_year: list[IncidentFacts] = []
    term_starts: set[date] = set()
    for part in parts:
        prefix = f"{part.school}/"
        scale = period.days / part.period.days
        if part.period.days == period.days and _already_prefixed(part, prefix):
            pupils.extend(part.pupils)  # read_export's own: nothing to change
        else:
            for pupil in part.pupils:
                days = pupil.days_on_roll
                if part.period.days != period.days:
                    days = max(1, min(period.days, round(days * scale)))
                key = pupil.key if pupil.key.startswith(prefix) else prefix + pupil.key
                pupils.append(replace(pupil, key=key, days_on_roll=days, school=part.school))
        for source, target in ((part.incidents, incidents), (part.last_year, last_year)):
            if _already_prefixed(part, prefix):
                target.extend(source)
                continue
            target.extend(
                replace(
                    i,
                    pupil_key=i.pupil_key
                    if i.pupil_key.startswith(prefix)
                    else prefix + i.pupil_key,
                    reference=_school_reference(part.school, i.reference),
                    school=part.school,
                )
                for i in source
            )
        term_starts.update(part.term_starts)
    rules = parts[0].rules if all(p.rules == parts[0].rules for p in parts) else SuppressionRules()
    return ReportInputs(
        period=period,
        pupils=tuple(pupils),
        incidents=tuple(incidents),
        last_year=tuple(last_year),
        term_starts=tuple(sorted(term_starts)),
        rules=rules,
        school=name,
    )


def write_trust_export(parts: Sequence[ReportInputs], secret: bytes) -> str:
    """A trust's rows: each school's export one after another under one line of column
    names (each beginning with its own ``period`` row), for the trust's own CSV.
    ``parts`` are read from schools' exports (``read_export``), whose places and
    techniques are pick-list values already, so they are written as they are; the
    keys are made new from ``secret`` (fresh for each file)."""
    texts = []
    for part in parts:
        every = (*part.incidents, *part.last_year)
        lists = ExportLists(
            locations={i.location for i in every},
            techniques={t for i in every for t in i.techniques},
        )
        texts.append(write_export(part, secret, part.school, lists=lists))
    if not texts:
        raise ExportFileError("There are no schools' files to put together.")
    first, *rest = texts
    return first + "".join(text.split("\r\n", 1)[1] for text in rest)


def _already_prefixed(part: ReportInputs, prefix: str) -> bool:
    """Whether every key and reference already names the school (as ``read_export``
    makes them), so that the part's facts can be used as they are."""
    school, reference_prefix = part.school, f"{part.school} "
    return all(p.school == school and p.key.startswith(prefix) for p in part.pupils) and all(
        i.school == school
        and i.pupil_key.startswith(prefix)
        and i.reference.startswith(reference_prefix)
        for incidents in (part.incidents, part.last_year)
        for i in incidents
    )


def _school_reference(school: str, reference: str) -> str:
    return reference if reference.startswith(f"{school} ") else f"{school} {reference}"


def trust_report(parts: Sequence[ReportInputs], label: str = "") -> OversightReport:
    """The trust's figures over all its schools, with each school's own figures in
    ``.schools`` (in the order given), every one from the same ``compute_report``."""
    from incident_recorder.domain.oversight.compute import compute_report

    merged = merge_exports(parts, label)
    # A trust opens no records: the figures without the references behind them (the
    # same figures, in about half the time).
    overall = compute_report(merged, references=False)
    return replace(overall, schools=tuple(compute_report(part, references=False) for part in parts))
