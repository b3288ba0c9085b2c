"""Staff training (issue 13, part 5): the pure rules, table-driven."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from incident_recorder.domain import policy
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import StaffInvolvement, StaffMember, StaffPart
from incident_recorder.domain.policy import PolicyContext
from incident_recorder.domain.training import (
    StaffTraining,
    TrainingRecord,
    TrainingState,
    add_months,
    check_entry,
    days_text,
    due_within,
    expiry,
    held_by,
    parse_date,
    read_training_csv,
    training_on,
)
from tests.fakes import complete_details

D = date


def rec(
    staff: int, trained: date, expires: date | None = None, course: str = "Team-Teach"
) -> TrainingRecord:
    return TrainingRecord(staff, course, trained, expires)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 12), 12, D(2027, 1, 12)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 6, 1), 24, D(2028, 6, 1)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("record", "months", "expected"),
    [
        (rec(1, D(2026, 1, 12)), 12, D(2027, 1, 12)),
        (rec(1, D(2026, 1, 12)), 6, D(2026, 7, 12)),
        (rec(1, D(2026, 1, 12), D(2026, 3, 1)), 12, D(2026, 3, 1)),  # its own expiry wins
    ],
)
def test_expiry(record: TrainingRecord, months: int, expected: date) -> None:
    assert expiry(record, months) == expected


ON_DAY_CASES = [
    # records, day, state, course of the entry shown, its expiry
    ([], D(2026, 5, 1), TrainingState.NONE, None, None),
    ([rec(2, D(2026, 1, 1))], D(2026, 5, 1), TrainingState.NONE, None, None),  # someone else
    ([rec(1, D(2026, 1, 12))], D(2026, 5, 1), TrainingState.VALID, "Team-Teach", D(2027, 1, 12)),
    ([rec(1, D(2026, 1, 12))], D(2027, 1, 12), TrainingState.VALID, "Team-Teach", D(2027, 1, 12)),
    ([rec(1, D(2026, 1, 12))], D(2027, 1, 13), TrainingState.EXPIRED, "Team-Teach", D(2027, 1, 12)),
    # trained after the incident: not counted
    ([rec(1, D(2026, 6, 1))], D(2026, 5, 1), TrainingState.NONE, None, None),
    # an old expired entry and a newer valid one: the valid one
    (
        [rec(1, D(2024, 1, 1), course="Old"), rec(1, D(2026, 1, 1), course="New")],
        D(2026, 5, 1),
        TrainingState.VALID,
        "New",
        D(2027, 1, 1),
    ),
    # two expired: the one that ran out last
    (
        [rec(1, D(2023, 1, 1), course="A"), rec(1, D(2024, 1, 1), course="B")],
        D(2026, 5, 1),
        TrainingState.EXPIRED,
        "B",
        D(2025, 1, 1),
    ),
    # a long course trained earlier still outlasts a shorter newer one
    (
        [rec(1, D(2025, 1, 1), D(2028, 1, 1), "Long"), rec(1, D(2026, 1, 1), course="Short")],
        D(2026, 5, 1),
        TrainingState.VALID,
        "Long",
        D(2028, 1, 1),
    ),
]


@pytest.mark.parametrize(("records", "day", "state", "course", "expires"), ON_DAY_CASES)
def test_training_on(
    records: list[TrainingRecord],
    day: date,
    state: TrainingState,
    course: str | None,
    expires: date | None,
) -> None:
    found = training_on(records, 1, day, 12)
    assert found.state is state
    assert (found.record.course if found.record else None) == course
    assert found.expires_on == expires


@pytest.mark.parametrize(
    ("records", "day", "text"),
    [
        ([], D(2026, 5, 1), "No positive-handling training recorded"),
        (
            [rec(1, D(2026, 1, 12))],
            D(2026, 5, 1),
            "Team-Teach, trained 12/01/2026, valid until 12/01/2027",
        ),
        (
            [rec(1, D(2025, 9, 3))],
            D(2026, 12, 1),
            "Team-Teach, trained 03/09/2025, expired on 03/09/2026",
        ),
    ],
)
def test_training_text(records: list[TrainingRecord], day: date, text: str) -> None:
    assert training_on(records, 1, day, 12).text == text


def test_held_by_counts_carried_out_and_assisted_once() -> None:
    staff = (
        StaffInvolvement(3, StaffPart.WITNESSED),
        StaffInvolvement(1, StaffPart.CARRIED_OUT),
        StaffInvolvement(4, StaffPart.SUPERVISED),
        StaffInvolvement(2, StaffPart.ASSISTED),
        StaffInvolvement(1, StaffPart.ASSISTED),
    )
    assert held_by(staff) == [1, 2]


TODAY = D(2026, 12, 7)


@pytest.mark.parametrize(
    ("records", "listed"),
    [
        ([], []),
        ([rec(1, D(2026, 6, 1))], []),  # expires 01/06/2027: not within 60 days
        ([rec(1, D(2026, 1, 20))], [(1, D(2027, 1, 20), 44)]),
        ([rec(1, D(2025, 12, 7))], [(1, D(2026, 12, 7), 0)]),  # expires today
        ([rec(1, D(2025, 11, 1))], [(1, D(2026, 11, 1), -36)]),  # expired
        ([rec(1, D(2026, 2, 5))], [(1, D(2027, 2, 5), 60)]),  # the 60th day
        ([rec(1, D(2026, 2, 6))], []),  # the 61st day
        # renewed: the newer entry counts, so nothing is due
        ([rec(1, D(2025, 11, 1)), rec(1, D(2026, 11, 1))], []),
        # soonest first
        (
            [rec(1, D(2026, 1, 20)), rec(2, D(2025, 11, 1)), rec(3, D(2026, 1, 1))],
            [(2, D(2026, 11, 1), -36), (3, D(2027, 1, 1), 25), (1, D(2027, 1, 20), 44)],
        ),
        ([rec(1, D(2027, 1, 1))], []),  # booked for later: nothing yet
    ],
)
def test_due_within(records: list[TrainingRecord], listed: list[tuple[int, date, int]]) -> None:
    due = due_within(records, TODAY, 12)
    assert [(d.staff_id, d.expires_on, d.days_left) for d in due] == listed


@pytest.mark.parametrize(
    ("left", "text"),
    [(-1, "expired 1 day ago"), (-5, "expired 5 days ago"), (0, "expires today"),
     (1, "expires in 1 day"), (30, "expires in 30 days")],
)  # fmt: skip
def test_days_text(left: int, text: str) -> None:
    due = due_within([rec(1, add_months(TODAY, -12))], TODAY, 12)[0]
    assert days_text(type(due)(1, due.record, due.expires_on, left)) == text


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (rec(1, D(2026, 1, 1)), None),
        (rec(1, D(2026, 1, 1), course="  "), "Please enter the course"),
        (rec(1, D(2027, 1, 1)), "is after today"),
        (rec(1, D(2026, 1, 1), D(2025, 1, 1)), "is before the date trained"),
        (rec(1, D(2026, 1, 1), course="x" * 121), "up to 120 characters"),
    ],
)
def test_check_entry(record: TrainingRecord, problem: str | None) -> None:
    found = check_entry(record, TODAY)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/01/2026", D(2026, 1, 12)),
        ("2026-01-12", D(2026, 1, 12)),
        ("1.2.2026", D(2026, 2, 1)),
        ("12/01/2026 00:00", D(2026, 1, 12)),
        ("31/02/2026", None),
        ("next week", None),
        ("12/01/26", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            parse_date(text)
    else:
        assert parse_date(text) == expected


# --------------------------------------------------------------------------- CSV

STAFF = [
    StaffMember(1, "Sam Okafor"),
    StaffMember(2, "Priya Nair"),
    StaffMember(3, "Tom Hughes"),
    StaffMember(4, "Tom Hughes"),
    StaffMember(5, "Zoë Brennan"),
]
HEADER = "Name,Course,Date trained,Expires\r\n"


def read(text: str | bytes, existing: list[TrainingRecord] | None = None):  # type: ignore[no-untyped-def]
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return read_training_csv(data, STAFF, existing or [], TODAY)


def test_csv_reads_matched_rows_ignoring_case_and_spaces() -> None:
    found = read(
        HEADER + "  sam   OKAFOR ,Team-Teach,12/01/2026,\r\nPriya Nair,Team-Teach,2026-03-01,"
        "01/03/2028\r\n"
    )
    assert [(r.staff_id, r.trained_on, r.expires_on) for r in found.rows] == [
        (1, D(2026, 1, 12), None),
        (2, D(2026, 3, 1), D(2028, 3, 1)),
    ]
    assert found.problems == () and found.unknown == ()
    assert found.summary == "2 to add."


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("\ufeff" + HEADER + "Zoë Brennan,Team-Teach,12/01/2026,\r\n", "utf-8 with BOM"),
        (HEADER + "Zoë Brennan,Team-Teach,12/01/2026,\r\n", "utf-8"),
        ((HEADER + "Zoë Brennan,Team-Teach,12/01/2026,\r\n").encode("cp1252"), "cp1252"),
        ("Name;Course;Date trained\nZoë Brennan;Team-Teach;12/01/2026\n", "semicolons"),
        ("\n\n" + HEADER + "\n,,,\nZoë Brennan,Team-Teach,12/01/2026,\n\n", "blank lines"),
        ("staff name,TRAINING,date,valid until\nZoë Brennan,Team-Teach,12/01/2026,\n", "names"),
    ],
)
def test_csv_encodings_and_layouts(data: str | bytes, name: str) -> None:
    found = read(data)
    assert [(r.staff_id, r.course) for r in found.rows] == [(5, "Team-Teach")], name


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Sam Okafor,Team-Teach,31/02/2026,", "Row 2: the date trained '31/02/2026' is not a real"),
        ("Sam Okafor,Team-Teach,soon,", "Row 2: the date trained 'soon' is not a real date"),
        ("Sam Okafor,Team-Teach,01/02/2026,32/13/2027", "Row 2: the expiry date '32/13/2027'"),
        (",Team-Teach,01/02/2026,", "Row 2: there is no name."),
        ("Sam Okafor,,01/02/2026,", "Row 2: there is no course for Sam Okafor."),
        ("Sam Okafor,Team-Teach,,", "Row 2: there is no date trained for Sam Okafor."),
        ("Sam Okafor,Team-Teach,01/02/2027,", "Row 2: the date trained (01/02/2027) is after"),
        ("Sam Okafor,Team-Teach,01/02/2026,01/01/2026", "Row 2: the expiry date (01/01/2026)"),
        ("Tom Hughes,Team-Teach,01/02/2026,", "Row 2: there are 2 members of staff called Tom"),
    ],
)  # fmt: skip
def test_csv_bad_rows(line: str, problem: str) -> None:
    found = read(HEADER + line + "\r\n")
    assert found.rows == ()
    assert len(found.problems) == 1 and found.problems[0].startswith(problem), found.problems


def test_csv_duplicates_unknown_names_and_already_recorded() -> None:
    found = read(
        HEADER
        + "Sam Okafor,Team-Teach,12/01/2026,\n"
        + "sam okafor,team-teach,12/01/2026,\n"  # the same as row 2
        + "Jo Marsh,Team-Teach,12/01/2026,\n"
        + "jo  marsh,MAPA,12/02/2026,\n"
        + "Priya Nair,Team-Teach,01/03/2026,\n",
        existing=[TrainingRecord(2, "team-teach", D(2026, 3, 1))],
    )
    assert [r.row for r in found.rows] == [2]
    assert found.problems == ("Row 3: the same as row 2, so it is left out.",)
    assert [r.row for r in found.unknown] == [4, 5]
    assert found.unknown_names == ["Jo Marsh"]
    assert [r.row for r in found.already] == [6]
    assert found.summary == (
        "1 to add; 2 for 1 person not on the staff list; 1 already recorded; "
        "1 row with a problem (left out)."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\n\n", "The file is empty"),
        (b"PK\x03\x04\x00\x00binary", "is not a CSV file"),
        (b"Name,Date trained\nSam Okafor,12/01/2026\n", "no 'Course' column"),
        (b"Who,When\nSam Okafor,12/01/2026\n", "no 'Name' and 'Course' and 'Date trained'"),
        (b'Name,Course,Date trained\n"Sam Okafor,Team', "not a well-formed CSV"),
    ],
)
def test_csv_malformed_files(data: bytes, message: str) -> None:
    with pytest.raises(BadImportFile, match=message):
        read(data)


# --------------------------------------------------------------------------- the warning

DAY = D(2026, 11, 20)


def _ctx(*training: StaffTraining) -> PolicyContext:
    return PolicyContext(
        now_local=datetime.combine(DAY, time(13, 0)), recorded_on=DAY, staff_training=training
    )


def _held(name: str, records: list[TrainingRecord]) -> StaffTraining:
    return StaffTraining(name, training_on(records, 1, DAY, 12))


VALID = [rec(1, D(2026, 1, 12))]
EXPIRED = [rec(1, D(2025, 9, 3))]


@pytest.mark.parametrize(
    ("held", "codes", "message"),
    [
        ((), [], ""),
        ((_held("Sam Okafor", VALID),), [], ""),
        (
            (_held("Sam Okafor", []),),
            ["staff_training_missing"],
            "Sam Okafor has no positive-handling training recorded.",
        ),
        (
            (_held("Sam Okafor", []), _held("Priya Nair", [])),
            ["staff_training_missing"],
            "Sam Okafor and Priya Nair have no positive-handling training recorded.",
        ),
        (
            (_held("Sam Okafor", EXPIRED),),
            ["staff_training_expired"],
            "Sam Okafor's Team-Teach training expired on 03/09/2026.",
        ),
        (
            (_held("Sam Okafor", EXPIRED), _held("Priya Nair", []), _held("Ana Diaz", VALID)),
            ["staff_training_missing", "staff_training_expired"],
            "Priya Nair has no positive-handling training recorded.",
        ),
    ],
)
def test_training_warnings(held: tuple[StaffTraining, ...], codes: list[str], message: str) -> None:
    details = complete_details(1, 1, DAY)
    found = [f for f in policy.evaluate(details, _ctx(*held)) if f.code.startswith("staff_train")]
    assert [f.code for f in found] == codes
    assert all(f.severity is policy.Severity.WARNING and f.field == "who.staff" for f in found)
    assert all(not f.explained for f in found)
    if message:
        assert found[0].message.startswith(message)
    assert policy.can_submit(found) is (not codes)


def test_training_warning_explained() -> None:
    details = complete_details(1, 1, DAY)
    details = details.with_explanation("staff_training_missing", "Only adult in the room.")
    found = policy.evaluate(details, _ctx(_held("Sam Okafor", [])))
    warning = next(f for f in found if f.code == "staff_training_missing")
    assert warning.explained and not warning.outstanding
