"""The problems a pupil import finds in a file, and how they are shown to the school.

Each problem is one row's (or, rarely, the whole file's) in plain words. For the preview
they are grouped by kind, the most serious first (a row whose values are in the wrong
columns, then anything that stops the pupil being recognised, then their details, then
their parents and carers), each group with how many rows have it and one example:

    383 rows: the UPN's check letter does not match (for example row 2: 'B000000000000')
    1 row: the date of birth is not a real date (row 14: '31/02/2014')

and every row's own message under its group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ProblemKind(StrEnum):
    """The kinds of problem, most serious first (the order the preview shows them)."""

    NO_PUPILS = "no_pupils"
    RAGGED_ROW = "ragged_row"
    NO_UPN = "no_upn"
    UPN_LENGTH = "upn_length"
    UPN_FORM = "upn_form"
    UPN_FIRST_LETTER = "upn_first_letter"
    UPN_CHECK_LETTER = "upn_check_letter"
    UPN_TWICE = "upn_twice"
    NO_SURNAME = "no_surname"
    NO_FIRST_NAME = "no_first_name"
    DATE_OF_BIRTH_FORM = "date_of_birth_form"
    DATE_OF_BIRTH_NOT_REAL = "date_of_birth_not_real"
    DATE_OF_BIRTH_FUTURE = "date_of_birth_future"
    DATE_OF_BIRTH_TOO_OLD = "date_of_birth_too_old"
    DATE_OF_BIRTH_TOO_YOUNG = "date_of_birth_too_young"
    JOINED_ON = "joined_on"  # the admission date
    SEX = "sex"
    ETHNICITY = "ethnicity"
    SEN_STATUS = "sen_status"
    NOT_YES_NO = "not_yes_no"
    CONTACT_NO_NAME = "contact_no_name"
    CONTACT_NOT_YES_NO = "contact_not_yes_no"
    CONTACT_PRIORITY = "contact_priority"


# What a group of each kind says after "383 rows: "; {subject} is the column's meaning.
_SUMMARIES = {
    ProblemKind.NO_PUPILS: "the file has a header row but no pupils",
    ProblemKind.RAGGED_ROW: "the row has more or fewer values than the header has columns, "
    "so its values may be in the wrong columns (check for a stray comma)",
    ProblemKind.NO_UPN: "there is no UPN",
    ProblemKind.UPN_LENGTH: "the UPN does not have 13 characters",
    ProblemKind.UPN_FORM: "the UPN is not a letter followed by 11 digits and a digit or letter",
    ProblemKind.UPN_FIRST_LETTER: "the UPN does not start with a letter a UPN can have",
    ProblemKind.UPN_CHECK_LETTER: "the UPN's check letter does not match (often a typing slip)",
    ProblemKind.UPN_TWICE: "the UPN is on an earlier row too",
    ProblemKind.NO_SURNAME: "there is no surname",
    ProblemKind.NO_FIRST_NAME: "there is no first name",
    ProblemKind.DATE_OF_BIRTH_FORM: "the date of birth is not written as a date "
    "(dd/mm/yyyy or yyyy-mm-dd)",
    ProblemKind.DATE_OF_BIRTH_NOT_REAL: "the date of birth is not a real date",
    ProblemKind.DATE_OF_BIRTH_FUTURE: "the date of birth is in the future",
    ProblemKind.DATE_OF_BIRTH_TOO_OLD: "the date of birth would make the pupil older than 25",
    ProblemKind.DATE_OF_BIRTH_TOO_YOUNG: "the date of birth would make the pupil younger than 2",
    ProblemKind.JOINED_ON: "the admission date is not a date a pupil could have joined on",
    ProblemKind.SEX: "the sex is not one the import knows (M or F)",
    ProblemKind.ETHNICITY: "the ethnicity is not a DfE ethnicity code",
    ProblemKind.SEN_STATUS: "the SEN status is not one the import knows (N, K or E)",
    ProblemKind.NOT_YES_NO: "the {subject} value is not yes or no",
    ProblemKind.CONTACT_NO_NAME: "a parent or carer has details but no name",
    ProblemKind.CONTACT_NOT_YES_NO: "a parent or carer's {subject} value is not yes or no",
    ProblemKind.CONTACT_PRIORITY: "a parent or carer's priority is not a number",
}
_RANK = {kind: n for n, kind in enumerate(ProblemKind)}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem: ``text`` in plain words (without the row number); ``value`` the
    cell it is about, for the group's example; ``subject`` what the column holds, for
    kinds that group by column ("free school meals")."""

    kind: ProblemKind
    row: int | None  # None: about the whole file
    text: str
    value: str = ""
    subject: str = ""

    @property
    def message(self) -> str:
        """ "Row 14: the date of birth '31/02/2014' is not a real date." """
        return f"Row {self.row}: {self.text}" if self.row is not None else self.text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """The problems of one kind (and subject), in row order."""

    kind: ProblemKind
    subject: str
    problems: tuple[RowProblem, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems if p.row is not None}))

    @property
    def summary(self) -> str:
        return _SUMMARIES[self.kind].format(subject=self.subject)

    @property
    def heading(self) -> str:
        """ "383 rows: the UPN's check letter does not match (for example row 2: 'B0…')"."""
        first = self.problems[0]
        if first.row is None:
            return first.message
        rows = len(self.rows)
        example = f"row {first.row}: '{first.value}'" if first.value else f"row {first.row}"
        if rows == 1:
            return f"1 row: {self.summary} ({example})"
        return f"{rows:,} rows: {self.summary} (for example {example})"


def group_problems(problems: Iterable[RowProblem]) -> tuple[ProblemGroup, ...]:
    """The problems by kind, the most serious kind first (then by first row)."""
    grouped: dict[tuple[ProblemKind, str], list[RowProblem]] = {}
    for problem in problems:
        grouped.setdefault((problem.kind, problem.subject), []).append(problem)
    groups = [
        ProblemGroup(kind, subject, tuple(sorted(found, key=lambda p: p.row or 0)))
        for (kind, subject), found in grouped.items()
    ]
    groups.sort(key=lambda g: (_RANK[g.kind], g.problems[0].row or 0))
    return tuple(groups)


def problem_count(problems: Iterable[RowProblem]) -> str:
    """ "12 problems in 10 rows", "1 problem in 1 row", "no problems"."""
    listed = list(problems)
    if not listed:
        return "no problems"
    rows = len({p.row for p in listed if p.row is not None})
    count = f"{len(listed):,} problem{'s' if len(listed) != 1 else ''}"
    if not rows:
        return count
    return f"{count} in {rows:,} row{'s' if rows != 1 else ''}"
