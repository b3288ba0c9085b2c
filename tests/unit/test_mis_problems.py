"""Issue 10: impossible dates of birth, and the problem list grouped by kind (count and
one example each, most serious first, every row under its group)."""

from __future__ import annotations

from datetime import date

import pytest

from incident_recorder.domain.mis_import import check_rows, guess_mapping, read_table
from incident_recorder.domain.mis_problems import (
    ProblemKind,
    RowProblem,
    group_problems,
    problem_count,
)
from incident_recorder.domain.pupils import make_upn

TODAY = date(2026, 3, 20)
UPNS = [make_upn(873, 2041, 2016, n) for n in range(1, 40)]


def _problems(header: str, rows: list[str], today: date = TODAY) -> tuple[RowProblem, ...]:
    table = read_table((header + "\n" + "\n".join(rows) + "\n").encode())
    return check_rows(table, guess_mapping(table.header), today=today).problems


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("21/03/2026", "Row 2: the date of birth '21/03/2026' is in the future. Check the year."),
        ("03/09/69", "Row 2: the date of birth '03/09/69' is in the future. Check the year."),
        (
            "19/03/2000",
            "Row 2: the date of birth '19/03/2000' would make the pupil 26 today, older than "
            "25. Check the year.",
        ),
        (
            "21/03/2024",
            "Row 2: the date of birth '21/03/2024' would make the pupil younger than 2 today. "
            "Check the year.",
        ),
        ("31/02/2014", "Row 2: the date of birth '31/02/2014' is not a real date."),
    ],
)
def test_impossible_dates_of_birth_are_row_problems(born: str, message: str) -> None:
    (problem,) = _problems("UPN,Surname,Forename,DOB", [f"{UPNS[0]},Okafor,Amara,{born}"])
    assert problem.message == message


@pytest.mark.parametrize("born", ["21/03/2000", "20/03/2024", "01/09/2019"])
def test_the_oldest_and_youngest_possible_pupils_are_accepted(born: str) -> None:
    assert _problems("UPN,Surname,Forename,DOB", [f"{UPNS[0]},Okafor,Amara,{born}"]) == ()


def test_the_age_is_on_the_import_day_from_the_clock_not_the_computer() -> None:
    row = [f"{UPNS[0]},Okafor,Amara,2000-06-01"]
    assert _problems("UPN,Surname,Forename,DOB", row, today=date(2026, 5, 31)) == ()
    (problem,) = _problems("UPN,Surname,Forename,DOB", row, today=date(2026, 6, 1))
    assert problem.kind is ProblemKind.DATE_OF_BIRTH_TOO_OLD


def test_problems_are_grouped_by_kind_most_serious_first_with_a_count_and_an_example() -> None:
    bad_check = [u.replace(u[0], "B" if u[0] != "B" else "C", 1) for u in UPNS[:25]]
    rows = [f"{upn},Okafor,Amara,01/09/2016,F" for upn in bad_check]
    rows.append(f"{UPNS[30]},Nowak,Tomasz,31/02/2014,M")
    rows.append(f"{UPNS[31]},Mensah,Kwame,01/09/2016,X")
    rows.append(f"{UPNS[32]},Byrne,Niamh,01/09/2016,Q")
    rows.append(f"{UPNS[33]},Chen,Mei,01/09/2016,F,extra")
    problems = _problems("UPN,Surname,Forename,DOB,Sex", rows)
    groups = group_problems(problems)
    assert [g.heading for g in groups] == [
        "1 row: the row has more or fewer values than the header has columns, so its values "
        "may be in the wrong columns (check for a stray comma) (row 30)",
        f"25 rows: the UPN's check letter does not match (often a typing slip) (for example "
        f"row 2: '{bad_check[0]}')",
        "1 row: the date of birth is not a real date (row 27: '31/02/2014')",
        "2 rows: the sex is not one the import knows (M or F) (for example row 28: 'X')",
    ]
    assert [len(g.problems) for g in groups] == [1, 25, 1, 2]
    assert groups[1].problems[0].message.startswith(f"Row 2: '{bad_check[0]}' is not a valid UPN")
    assert groups[1].rows == tuple(range(2, 27))
    assert problem_count(problems) == "29 problems in 29 rows"


def test_yes_no_problems_are_grouped_by_their_column() -> None:
    problems = _problems(
        "UPN,Surname,Forename,FSM,In Care",
        [f"{UPNS[0]},Okafor,Amara,maybe,Y", f"{UPNS[1]},Nowak,Tomasz,N,perhaps"],
    )
    assert [g.heading for g in group_problems(problems)] == [
        "1 row: the free school meals value is not yes or no (row 2: 'maybe')",
        "1 row: the looked after value is not yes or no (row 3: 'perhaps')",
    ]


def test_a_whole_file_problem_is_shown_as_it_is() -> None:
    problems = _problems("UPN,Surname,Forename", [])
    (group,) = group_problems(problems)
    assert group.heading == "The file has a header row but no pupils."
    assert problem_count(problems) == "1 problem"
    assert problem_count(()) == "no problems"


def test_one_row_with_two_problems_of_a_kind_counts_once() -> None:
    problems = (
        RowProblem(ProblemKind.CONTACT_NO_NAME, 5, "contact 1 has details but no name."),
        RowProblem(ProblemKind.CONTACT_NO_NAME, 5, "contact 2 has details but no name."),
    )
    (group,) = group_problems(problems)
    assert group.heading == "1 row: a parent or carer has details but no name (row 5)"
    assert len(group.problems) == 2
    assert problem_count(problems) == "2 problems in 1 row"
