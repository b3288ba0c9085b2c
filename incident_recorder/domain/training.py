"""Positive-handling training held by the staff (issue 13, part 5).

Each member of staff on the staff list may hold training: a course (the school's
accredited scheme, e.g. Team-Teach) completed on a date, valid until an expiry the
administrator sets for the entry, or else for the school's default number of months
(``SchoolSettings.training_valid_months``, 12 for refreshers).

Pure rules: what a person's training was on a day (``training_on``), whose training is
due soon (``due_within``), and reading a CSV file of training for import
(``read_training_csv``). The store keeps every entry ever typed; a correction or a
removal is a new entry that replaces an earlier one (store/training.py), so what is
given here is always the entries in force now.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import StaffInvolvement, StaffMember, StaffPart

DEFAULT_VALID_MONTHS = 12
VALID_MONTHS_RANGE = (1, 60)  # what the administrator may choose
DUE_DAYS = 60  # "training due in the next 60 days"
COURSE_LIMIT = 120
NOTE_LIMIT = 500
HELD_PARTS = frozenset({StaffPart.CARRIED_OUT, StaffPart.ASSISTED})  # held the pupil


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """One entry of training. ``expires_on`` None: the school's default months apply."""

    staff_id: int
    course: str
    trained_on: date
    expires_on: date | None = None
    note: str = ""
    id: int | None = None
    recorded_at: datetime | None = None  # UTC
    recorded_by: int | None = None
    recorded_by_name: str = ""
    replaces: int | None = None  # the entry this one corrects


class TrainingState(StrEnum):
    NONE = "none"
    VALID = "valid"
    EXPIRED = "expired"


def add_months(day: date, months: int) -> date:
    """``day`` moved on ``months`` calendar months (31/01 + 1 month is 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(record: TrainingRecord, valid_months: int) -> date:
    """The last day the training is valid."""
    if record.expires_on is not None:
        return record.expires_on
    return add_months(record.trained_on, valid_months)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


@dataclass(frozen=True, slots=True)
class TrainingOnDay:
    """A person's training as it stood on ``day``: none, valid, or expired (then the
    entry that ran out last)."""

    staff_id: int
    day: date
    state: TrainingState
    record: TrainingRecord | None = None
    expires_on: date | None = None

    @property
    def text(self) -> str:
        """'Team-Teach, trained 12/01/2026, valid until 12/01/2027'; 'No positive-handling
        training recorded'; 'Team-Teach, trained 03/09/2025, expired on 03/09/2026'."""
        if self.record is None or self.expires_on is None:
            return "No positive-handling training recorded"
        start = f"{self.record.course}, trained {_d(self.record.trained_on)}"
        if self.state is TrainingState.VALID:
            return f"{start}, valid until {_d(self.expires_on)}"
        return f"{start}, expired on {_d(self.expires_on)}"


def training_on(
    records: Iterable[TrainingRecord], staff_id: int, day: date, valid_months: int
) -> TrainingOnDay:
    """``staff_id``'s training on ``day``: of the entries trained on or before the day,
    the valid one lasting longest (newest first on a tie), else the one that expired
    last; NONE without any. Training is valid up to and including its expiry date."""
    mine = [r for r in records if r.staff_id == staff_id and r.trained_on <= day]
    if not mine:
        return TrainingOnDay(staff_id, day, TrainingState.NONE)
    best = max(mine, key=lambda r: (expiry(r, valid_months), r.trained_on, r.id or 0))
    ends = expiry(best, valid_months)
    state = TrainingState.VALID if ends >= day else TrainingState.EXPIRED
    return TrainingOnDay(staff_id, day, state, best, ends)


def held_by(staff: Sequence[StaffInvolvement]) -> list[int]:
    """The staff who held the pupil (carried out or assisted), each once, in order."""
    ids: list[int] = []
    for involvement in staff:
        if involvement.part in HELD_PARTS and involvement.staff_id not in ids:
            ids.append(involvement.staff_id)
    return ids


@dataclass(frozen=True, slots=True)
class TrainingDue:
    """Someone whose training runs out within the window, or has already run out."""

    staff_id: int
    record: TrainingRecord
    expires_on: date
    days_left: int  # negative once expired

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def due_within(
    records: Iterable[TrainingRecord],
    today: date,
    valid_months: int,
    days: int = DUE_DAYS,
) -> list[TrainingDue]:
    """For each person with training, their standing today: listed when it expires in
    the next ``days`` days or has expired; soonest (most overdue) first, then by id."""
    listed: list[TrainingDue] = []
    by_staff: dict[int, list[TrainingRecord]] = {}
    for record in records:
        by_staff.setdefault(record.staff_id, []).append(record)
    for staff_id, mine in by_staff.items():
        now = training_on(mine, staff_id, today, valid_months)
        if now.record is None or now.expires_on is None:
            continue  # only training booked for a later date
        left = (now.expires_on - today).days
        if left <= days:
            listed.append(TrainingDue(staff_id, now.record, now.expires_on, left))
    listed.sort(key=lambda d: (d.expires_on, d.staff_id))
    return listed


def check_entry(record: TrainingRecord, today: date) -> str | None:
    """A plain problem with an entry typed or imported, or None."""
    if not " ".join(record.course.split()):
        return "Please enter the course (for example, the school's positive-handling scheme)."
    if len(record.course) > COURSE_LIMIT:
        return f"The course name can be up to {COURSE_LIMIT} characters."
    if len(record.note) > NOTE_LIMIT:
        return f"The note can be up to {NOTE_LIMIT} characters."
    if record.trained_on > today:
        return f"The date trained ({_d(record.trained_on)}) is after today."
    if record.expires_on is not None and record.expires_on < record.trained_on:
        return (
            f"The expiry date ({_d(record.expires_on)}) is before the date trained "
            f"({_d(record.trained_on)})."
        )
    return None


# --------------------------------------------------------------------------- CSV import


def name_key(name: str) -> str:
    """How names are matched: case and extra spaces ignored."""
    return " ".join(name.casefold().split())


_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "staff name", "full name", "member of staff", "staff", "staff member"),
    "course": ("course", "course name", "training", "scheme", "qualification"),
    "trained_on": ("date trained", "trained", "trained on", "date", "date of training"),
    "expires_on": ("expires", "expiry", "expiry date", "expires on", "valid until"),
    "note": ("note", "notes", "comment", "comments"),
}
_REQUIRED = {"name": "Name", "course": "Course", "trained_on": "Date trained"}
_HOW = (
    "The first row must name the columns: Name, Course, Date trained and, if you wish, "
    "Expires and Note. Nothing was imported."
)


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A good row of the file; ``staff_id`` None when the name is not on the staff list."""

    row: int
    name: str
    course: str
    trained_on: date
    expires_on: date | None
    note: str
    staff_id: int | None


@dataclass(frozen=True, slots=True)
class TrainingImport:
    """What a CSV file would add, shown before anything is saved."""

    rows: tuple[ImportRow, ...]  # to add, names on the staff list
    unknown: tuple[ImportRow, ...]  # good rows whose name is not on the staff list
    problems: tuple[str, ...]  # "Row 4: ..." left out
    already: tuple[ImportRow, ...]  # recorded before: left out

    @property
    def unknown_names(self) -> list[str]:
        names: list[str] = []
        for row in self.unknown:
            if name_key(row.name) not in {name_key(n) for n in names}:
                names.append(" ".join(row.name.split()))
        return names

    @property
    def summary(self) -> str:
        parts = [f"{len(self.rows)} to add"]
        if self.unknown:
            names = len(self.unknown_names)
            parts.append(
                f"{len(self.unknown)} for {names} "
                f"{'person' if names == 1 else 'people'} not on the staff list"
            )
        if self.already:
            parts.append(f"{len(self.already)} already recorded")
        if self.problems:
            parts.append(
                f"{len(self.problems)} {'row' if len(self.problems) == 1 else 'rows'} "
                "with a problem (left out)"
            )
        return "; ".join(parts) + "."


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise BadImportFile(
            "This file is not a CSV file (it looks like a spreadsheet or other binary file). "
            "Save it as CSV (comma separated values) and try again. Nothing was imported."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadImportFile(
            "This file could not be read as text. Save it from the spreadsheet as CSV "
            "(comma separated values) and try again. Nothing was imported."
        ) from None


def _header_key(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, names in _COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
    missing = [label for column, label in _REQUIRED.items() if column not in found]
    if missing:
        words = " and ".join(f"'{m}'" for m in missing)
        raise BadImportFile(f"The file has no {words} column. {_HOW}")
    return found


def parse_date(text: str) -> date:
    """A date written dd/mm/yyyy (or with - or .) or yyyy-mm-dd; a midnight time after
    it (what spreadsheets add) is ignored. ValueError if it is not a real date."""
    stripped = re.sub(r"\s+00:00(:00)?$", "", text.strip())
    uk = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", stripped)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", stripped)
    if uk:
        day, month, year = (int(g) for g in uk.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise ValueError("format")
    return date(year, month, day)


def _date_problem(row: int, what: str, text: str) -> str:
    return f"Row {row}: the {what} '{text}' is not a real date (use dd/mm/yyyy)."


def read_training_csv(
    data: bytes,
    staff: Sequence[StaffMember],
    existing: Sequence[TrainingRecord],
    today: date,
) -> TrainingImport:
    """What ``data`` (a CSV file: UTF-8 with or without a byte-order mark, or
    Windows-1252) would add. Names match the staff list ignoring case and extra spaces.
    Raises BadImportFile, in plain words, for a file that is not a table of training."""
    text = _decode(data)
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first.count(d), d == ","))
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise BadImportFile(f"This file is not a well-formed CSV file ({error}). {_HOW}") from None
    numbered = [(n, [c.strip() for c in cells]) for n, cells in enumerate(table, 1)]
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        raise BadImportFile("The file is empty: there is no training in it. Nothing was imported.")
    (_, header), *body = numbered
    columns = _columns(header)
    by_name: dict[str, list[StaffMember]] = {}
    for member in staff:
        by_name.setdefault(name_key(member.full_name), []).append(member)
    recorded = {(r.staff_id, name_key(r.course), r.trained_on) for r in existing}
    seen: dict[tuple[str, str, date], int] = {}
    rows: list[ImportRow] = []
    unknown: list[ImportRow] = []
    already: list[ImportRow] = []
    problems: list[str] = []

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    for n, cells in body:
        name, course = (
            " ".join(cell(cells, "name").split()),
            " ".join(cell(cells, "course").split()),
        )
        trained_text, expires_text = cell(cells, "trained_on"), cell(cells, "expires_on")
        if not name:
            problems.append(f"Row {n}: there is no name.")
            continue
        if not course:
            problems.append(f"Row {n}: there is no course for {name}.")
            continue
        if not trained_text:
            problems.append(f"Row {n}: there is no date trained for {name}.")
            continue
        try:
            trained_on = parse_date(trained_text)
        except ValueError:
            problems.append(_date_problem(n, "date trained", trained_text))
            continue
        expires_on: date | None = None
        if expires_text:
            try:
                expires_on = parse_date(expires_text)
            except ValueError:
                problems.append(_date_problem(n, "expiry date", expires_text))
                continue
        entry = TrainingRecord(0, course, trained_on, expires_on, cell(cells, "note"))
        problem = check_entry(entry, today)
        if problem is not None:
            problems.append(f"Row {n}: {problem[0].lower()}{problem[1:]}")
            continue
        key = (name_key(name), name_key(course), trained_on)
        if key in seen:
            problems.append(f"Row {n}: the same as row {seen[key]}, so it is left out.")
            continue
        seen[key] = n
        matches = by_name.get(name_key(name), [])
        if len(matches) > 1:
            problems.append(
                f"Row {n}: there are {len(matches)} members of staff called {name}; "
                "please add this training by hand."
            )
            continue
        staff_id = matches[0].id if matches else None
        row = ImportRow(n, name, course, trained_on, expires_on, entry.note, staff_id)
        if staff_id is None:
            unknown.append(row)
        elif (staff_id, name_key(course), trained_on) in recorded:
            already.append(row)
        else:
            rows.append(row)
    return TrainingImport(tuple(rows), tuple(unknown), tuple(problems), tuple(already))


def days_text(due: TrainingDue) -> str:
    """'expired 3 days ago', 'expires today', 'expires in 12 days'."""
    if due.days_left < 0:
        ago = -due.days_left
        return f"expired {ago} {'day' if ago == 1 else 'days'} ago"
    if due.days_left == 0:
        return "expires today"
    return f"expires in {due.days_left} {'day' if due.days_left == 1 else 'days'}"


@dataclass(frozen=True, slots=True)
class StaffTraining:
    """A member of staff who held the pupil, and their training on the incident's day
    (what the policy's training warnings and the printed record are given)."""

    name: str
    on_day: TrainingOnDay


TRAINING_HEADING = "Positive-handling training of the staff who held the pupil"


def training_rows(held: Sequence[StaffTraining]) -> tuple[tuple[str, str], ...]:
    """(name, 'Team-Teach, trained 12/01/2026, valid until 12/01/2027') for each person
    who held the pupil, as it stood on the incident's date."""
    return tuple((t.name, t.on_day.text) for t in held)
