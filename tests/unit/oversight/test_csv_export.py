"""The anonymised CSV for a local authority or trust: what goes in, what never does, and
every way a file that comes back can be wrong (domain/oversight/csv_rows.py)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date, time

import pytest

from incident_recorder.domain.errors import ExportFileError
from incident_recorder.domain.oversight.csv_rows import (
    CSV_COLUMNS,
    OTHER_TYPED,
    ExportLists,
    pseudonym,
    read_export,
    write_export,
)
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)
from tests.benchmarks.trust import (
    FIRSTS,
    LISTS,
    SURNAMES,
    TYPED_LOCATION,
    TYPED_TECHNIQUE,
    school_inputs,
)

SECRET = b"a fixed secret for the tests only"
OTHER_SECRET = b"another fixed secret, another day"


@pytest.fixture(scope="module")
def oak() -> ReportInputs:
    return school_inputs("Oak Fictional Primary", pupils=60, incidents=150)


def expected_back(inputs: ReportInputs, secret: bytes, school: str) -> ReportInputs:
    """What reading the export should give: pseudonymous keys with the school before
    them, no names, typed locations and techniques as "Other (typed in)"."""

    def key(original: str) -> str:
        return f"{school}/{pseudonym(secret, original)}"

    def incident(i: IncidentFacts) -> IncidentFacts:
        return replace(
            i,
            reference="",
            pupil_key=key(i.pupil_key),
            location=i.location if i.location in LISTS.locations else OTHER_TYPED,  # type: ignore[operator]
            techniques=tuple(
                t if t in LISTS.techniques else OTHER_TYPED  # type: ignore[operator]
                for t in i.techniques
            ),
            school=school,
        )

    return replace(
        inputs,
        pupils=tuple(replace(p, key=key(p.key), name="", school=school) for p in inputs.pupils),
        incidents=tuple(incident(i) for i in inputs.incidents),
        last_year=tuple(incident(i) for i in inputs.last_year),
        school=school,
        names_shown=False,
    )


def without_references(incidents: tuple[IncidentFacts, ...]) -> Counter[IncidentFacts]:
    return Counter(replace(i, reference="") for i in incidents)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def rows_of(text: str) -> list[dict[str, str]]:
    header, *rows = cells(text)
    return [dict(zip(header, row, strict=True)) for row in rows]


# --------------------------------------------------------------------------- round trip


def test_the_round_trip_gives_back_every_fact(oak: ReportInputs) -> None:
    text = write_export(oak, SECRET, lists=LISTS)
    back = read_export(text, "oak.csv")
    want = expected_back(oak, SECRET, "Oak Fictional Primary")

    assert back.period.start == oak.period.start and back.period.end == oak.period.end
    assert back.period.label == "01/09/2025 to 22/07/2026"
    assert back.school == "Oak Fictional Primary"
    assert back.term_starts == oak.term_starts
    assert sorted(back.pupils, key=lambda p: p.key) == sorted(want.pupils, key=lambda p: p.key)
    assert without_references(back.incidents) == without_references(want.incidents)
    assert without_references(back.last_year) == without_references(want.last_year)
    assert len(back.incidents) == 150 and len(back.last_year) == 75
    # A typed location or technique was counted, as "Other (typed in)".
    assert any(i.location == OTHER_TYPED for i in back.incidents)
    assert any(OTHER_TYPED in i.techniques for i in back.incidents)


def test_incidents_are_numbered_in_date_order_and_named_by_school_and_number(
    oak: ReportInputs,
) -> None:
    back = read_export(write_export(oak, SECRET, lists=LISTS), "oak.csv")
    numbers = [int(i.reference.rsplit("#", 1)[1]) for i in back.incidents]
    assert numbers == list(range(1, 151))
    assert all(i.reference.startswith("Oak Fictional Primary #") for i in back.incidents)
    dates = [i.occurred_on for i in back.incidents]
    assert dates == sorted(dates)


def test_the_school_label_given_is_used_and_a_blank_one_becomes_the_file_name(
    oak: ReportInputs,
) -> None:
    labelled = read_export(write_export(oak, SECRET, "OAK", lists=LISTS), "x.csv")
    assert labelled.school == "OAK"
    assert {p.school for p in labelled.pupils} == {"OAK"}
    unnamed = read_export(write_export(replace(oak, school=""), SECRET), "C:\\LA\\oak-2026.csv")
    assert unnamed.school == "oak-2026"


def test_without_the_pick_lists_no_location_or_technique_is_written(oak: ReportInputs) -> None:
    rows = rows_of(write_export(oak, SECRET))
    incidents = [r for r in rows if r["row_type"] == "incident"]
    assert incidents and all(r["location"] == "" and r["techniques"] == "" for r in incidents)
    assert any(r["antecedent_kinds"] for r in incidents)  # ticked from a list only


# --------------------------------------------------------------------------- privacy


def test_no_name_upn_free_text_or_reference_reaches_the_file() -> None:
    upn = "A823456789012"  # as if the gatherer had keyed pupils by UPN
    pupil = PupilFacts(upn, 300, Characteristics(sen="ehcp"), name="Xanthippe Quillfeather")
    incidents = tuple(
        IncidentFacts(
            reference=f"2026-{n:04d}",
            pupil_key=upn,
            occurred_on=date(2026, 3, n),
            start=time(10, 15),
            kind="reasonable_force",
            techniques=(TYPED_TECHNIQUE, "Single elbow"),
            location=TYPED_LOCATION,
        )
        for n in range(1, 13)
    )
    inputs = ReportInputs(
        Period(date(2025, 9, 1), date(2026, 7, 22)), (pupil,), incidents, names_shown=True
    )
    text = write_export(inputs, SECRET, "Oak", lists=LISTS)
    lowered = text.lower()
    for word in ("xanthippe", "quillfeather", upn.lower(), "shed", "wrists"):
        assert word not in lowered
    assert not re.search(r"\b20\d\d-\d{4}\b", text), "an incident reference was written"
    assert TYPED_LOCATION not in text and TYPED_TECHNIQUE not in text
    # Nothing else: every cell is a column's value from a closed set, a number, a date,
    # a time, a pseudonymous key, or a pick-list value.
    assert set(cells(text)[0]) == set(CSV_COLUMNS)


def test_no_name_from_a_whole_school_reaches_the_file(oak: ReportInputs) -> None:
    text = write_export(oak, SECRET, lists=LISTS).lower()
    for name in (*FIRSTS, *SURNAMES):
        assert name.lower() not in text
    assert not any(p.key in re.findall(r"[^,]+", text) for p in oak.pupils)


def test_each_export_has_new_keys_but_one_pupil_keeps_one_key_within_it(
    oak: ReportInputs,
) -> None:
    first = rows_of(write_export(oak, SECRET, lists=LISTS))
    second = rows_of(write_export(oak, OTHER_SECRET, lists=LISTS))
    first_keys = {r["pupil_key"] for r in first if r["row_type"] == "pupil"}
    second_keys = {r["pupil_key"] for r in second if r["row_type"] == "pupil"}
    assert len(first_keys) == len(oak.pupils) == len(second_keys)
    assert not first_keys & second_keys
    assert all(re.fullmatch(r"P[0-9a-f]{12}", k) for k in first_keys)
    # Every incident's key is one of the pupil rows' keys, and the repeat counts survive.
    incident_keys = Counter(r["pupil_key"] for r in first if r["row_type"] == "incident")
    assert set(incident_keys) <= first_keys
    original = Counter(i.pupil_key for i in oak.incidents)
    assert sorted(incident_keys.values()) == sorted(original.values())


def test_a_short_secret_is_refused(oak: ReportInputs) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        write_export(oak, b"short")


def test_no_cell_starts_like_a_spreadsheet_formula_and_the_values_come_back() -> None:
    risky = ('=HYPERLINK("http://example.org")', "+44 room", "-1 floor", "@home")
    pupil = PupilFacts("1", 10, Characteristics(year_group="-1"))
    incident = IncidentFacts(
        reference="2026-0001",
        pupil_key="1",
        occurred_on=date(2026, 1, 5),
        techniques=risky[1:],
        location=risky[0],
    )
    inputs = ReportInputs(Period(date(2026, 1, 5), date(2026, 1, 14)), (pupil,), (incident,))
    lists = ExportLists(locations=risky, techniques=risky)
    text = write_export(inputs, SECRET, "'Quoted' school", lists=lists)
    for row in cells(text):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    back = read_export(text, "risky.csv")
    assert back.incidents[0].location == risky[0]
    assert back.incidents[0].techniques == risky[1:]
    assert back.pupils[0].characteristics.year_group == "-1"
    assert back.school == "'Quoted' school"


def test_the_file_is_utf8_with_a_byte_order_mark_and_windows_line_endings(
    oak: ReportInputs,
) -> None:
    text = write_export(oak, SECRET, lists=LISTS)
    assert text.startswith("\ufeffrow_type,format_version,")
    assert text.count("\r\n") == text.count("\n") == 1 + 1 + 3 + 60 + 150 + 75


def test_reads_bytes_with_or_without_the_mark_and_with_either_line_ending(
    oak: ReportInputs,
) -> None:
    text = write_export(oak, SECRET, lists=LISTS)
    want = read_export(text, "oak.csv")
    assert read_export(text.encode("utf-8"), "oak.csv") == want
    assert read_export(text.removeprefix("\ufeff").encode("utf-8"), "oak.csv") == want
    assert read_export(text.replace("\r\n", "\n"), "oak.csv") == want


def test_reads_a_file_excel_saved_as_windows_1252_with_uk_dates() -> None:
    """Excel's "CSV (Comma delimited)" on a UK PC: Windows-1252, dd/mm/yyyy, hh:mm:ss."""
    pupil = PupilFacts("1", 10, Characteristics(ethnicity="WBRI", ethnic_group="white"))
    incident = IncidentFacts("2026-0001", "1", date(2026, 1, 6), time(9, 5), location="Café")
    inputs = ReportInputs(Period(date(2026, 1, 5), date(2026, 1, 14)), (pupil,), (incident,))
    text = write_export(inputs, SECRET, "Oak", lists=ExportLists(locations=("Café",)))
    excel = text.removeprefix("\ufeff").replace("2026-01-06", "06/01/2026")
    excel = excel.replace("2026-01-05", "05/01/2026").replace(",09:05,", ",09:05:00,")
    back = read_export(excel.encode("cp1252"), "oak.csv")
    assert back.incidents[0].location == "Café"
    assert back.incidents[0].occurred_on == date(2026, 1, 6)
    assert back.incidents[0].start == time(9, 5)
    assert back.period.start == date(2026, 1, 5)


def test_reads_columns_in_another_order_and_lets_extra_columns_be(oak: ReportInputs) -> None:
    text = write_export(oak, SECRET, lists=LISTS)
    rows = cells(text)
    moved = [[*row[:2], *reversed(row[2:]), "extra"] for row in rows]
    out = io.StringIO()
    csv.writer(out).writerows(moved)
    assert read_export(out.getvalue(), "oak.csv") == read_export(text, "oak.csv")


# --------------------------------------------------------------------------- bad files


@pytest.fixture(scope="module")
def small() -> str:
    """A small export: the period row (row 2), 3 term starts (rows 3-5), 12 pupils
    (rows 6-17), 20 incidents (rows 18-37) and 10 from the year before."""
    return write_export(school_inputs("Birch", 12, 20), SECRET, "Birch", lists=LISTS)


def lines_of(text: str) -> list[str]:
    return text.split("\r\n")


def change(text: str, row: int, column: str, value: str) -> str:
    """The text with one cell changed (row 1 is the column names)."""
    all_rows = cells(text)
    all_rows[row - 1][CSV_COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(all_rows)
    return out.getvalue()


def message(text: str | bytes, name: str = "B.csv") -> str:
    with pytest.raises(ExportFileError) as caught:
        read_export(text, name)
    return str(caught.value)


def test_an_impossible_date_names_the_file_and_the_row(small: str) -> None:
    assert message(change(small, 20, "date", "2026-02-31")) == (
        "B.csv, row 20: the date '2026-02-31' is not a real date."
    )
    assert message(change(small, 20, "date", "31/02/2026")) == (
        "B.csv, row 20: the date '31/02/2026' is not a real date."
    )
    assert "the date 'next Tuesday' is not a date; write dates as 2026-09-01" in message(
        change(small, 21, "date", "next Tuesday")
    )


def test_a_date_outside_the_period(small: str) -> None:
    assert message(change(small, 22, "date", "2024-01-10")) == (
        "B.csv, row 22: the incident's date 10/01/2024 is outside the file's period "
        "(01/09/2025 to 22/07/2026)."
    )


def test_a_flag_that_is_not_yes_or_no(small: str) -> None:
    assert message(change(small, 25, "pupil_injured", "maybe")) == (
        "B.csv, row 25: pupil_injured should be yes or no, not 'maybe'."
    )
    assert message(change(small, 26, "copy_supplied", "sometimes")) == (
        "B.csv, row 26: copy_supplied should be yes, no or blank, not 'sometimes'."
    )
    assert message(change(small, 7, "eal", "")) == (
        "B.csv, row 7: eal should be yes or no, not blank."
    )
    # Capitals and single letters are fine (a spreadsheet's "Yes", a tool's "Y").
    back = read_export(change(change(small, 25, "pupil_injured", "Y"), 26, "eal", "NO"), "B.csv")
    assert back.incidents[7].pupil_injured is True


def test_other_bad_cells(small: str) -> None:
    assert "sex should be F, M or blank, not 'Q'" in message(change(small, 8, "sex", "Q"))
    assert "ethnicity 'WXYZ' is not one of the DfE's main ethnicity codes" in message(
        change(small, 8, "ethnicity", "WXYZ")
    )
    assert "row 19: duration_minutes should be a whole number, not '4.5'" in message(
        change(small, 19, "duration_minutes", "4.5")
    )
    assert "row 19: the start_time '25:10' is not a time of day" in message(
        change(small, 19, "start_time", "25:10")
    )
    assert "row 19: kind 'hug' is not one of reasonable_force" in message(
        change(small, 19, "kind", "hug")
    )
    assert "row 9: days_on_roll is 999, but the period has 325 days" in message(
        change(small, 9, "days_on_roll", "999")
    )
    assert "row 19: pupil_key is blank; it must be filled in on this row" in message(
        change(small, 19, "pupil_key", "")
    )
    assert "row 19: floor_positions has 'sideways'" in message(
        change(small, 19, "floor_positions", "prone;sideways")
    )


def test_characteristics_that_differ_from_the_pupils_row(small: str) -> None:
    rows = cells(small)
    owner = next(n for n, r in enumerate(rows, 1) if r[0] == "pupil" and r[6] == rows[18][6])
    assert message(change(small, 19, "sen", "ehcp" if rows[18][13] != "ehcp" else "none")) == (
        "B.csv, row 19: this incident's pupil characteristics differ from those on its "
        f"pupil's row (row {owner}); they should be the same."
    )


def test_a_file_that_is_not_one_of_ours() -> None:
    sims = "UPN,Legal Surname,Legal Forename,DOB\r\nA123,Quillfeather,Xanthippe,01/02/2018\r\n"
    assert message(sims) == (
        "B.csv is not an Incident Recorder export for a local authority or trust: its first "
        "line should begin 'row_type,format_version', but it begins 'UPN,Legal Surname'."
    )
    assert message("") == (
        "B.csv is empty: it is not an Incident Recorder export for a local authority or trust."
    )
    assert message("\r\n\r\n") == message("")
    header_only = ",".join(CSV_COLUMNS) + "\r\n"
    assert "has the column names but no rows" in message(header_only)
    assert "it looks like a Unicode text or other non-CSV file" in message(
        ",".join(CSV_COLUMNS).encode("utf-16")
    )
    assert "it is not readable text" in message(b"row_type,format_version\x81\x8d\r\n")
    assert "has characters that could not be read" in message("row_type,\ufffd\r\n")


def test_a_missing_column(small: str) -> None:
    rows = cells(small)
    at = CSV_COLUMNS.index("eal")
    out = io.StringIO()
    csv.writer(out).writerows([row[:at] + row[at + 1 :] for row in rows])
    assert message(out.getvalue()) == (
        "B.csv is missing the column 'eal'. Was a column deleted? Export the file again "
        "from Incident Recorder."
    )
    cut = [row[: len(CSV_COLUMNS) - 2] for row in rows]
    out = io.StringIO()
    csv.writer(out).writerows(cut)
    assert "missing the columns 'staff_injured', 'staff_training_expired'" in message(
        out.getvalue()
    )


def test_a_row_with_too_few_cells(small: str) -> None:
    lines = lines_of(small)
    lines[14] = lines[14].rsplit(",", 3)[0]
    assert message("\r\n".join(lines)) == (
        f"B.csv, row 15: has {len(CSV_COLUMNS) - 3} cells where the first line has "
        f"{len(CSV_COLUMNS)} columns; each row must have one cell for every column."
    )


def test_blank_lines_are_skipped_and_rows_keep_their_numbers(small: str) -> None:
    lines = lines_of(small)
    with_blanks = "\r\n".join([*lines[:10], "", ",,,,", *lines[10:], "", ""])
    assert read_export(with_blanks, "B.csv") == read_export(small, "B.csv")
    # A problem after the blank lines names the row a spreadsheet shows.
    bad = change(small, 20, "date", "2026-02-31")
    bad_lines = lines_of(bad)
    spaced = "\r\n".join([*bad_lines[:10], "", "", *bad_lines[10:]])
    assert message(spaced).startswith("B.csv, row 22: the date '2026-02-31'")


def test_another_format_version(small: str) -> None:
    assert message(change(small, 2, "format_version", "2")) == (
        "B.csv, row 2: the file is in format version 2, made by a newer version of Incident "
        "Recorder; this version reads format version 1. Please install the newer version to "
        "read it."
    )
    assert "row 9: the format version is blank" in message(change(small, 9, "format_version", ""))


def test_mixed_periods_or_schools_in_one_file(small: str) -> None:
    other = write_export(
        school_inputs("Birch", 5, 5, period=Period(date(2025, 9, 1), date(2025, 12, 19))),
        SECRET,
        "Birch",
        lists=LISTS,
    )
    mixed = small + "".join(line + "\r\n" for line in lines_of(other)[6:9])
    rows = len(lines_of(small))  # the text ends with a line break: the last is empty
    assert message(mixed) == (
        f"B.csv, row {rows}: this row is for the period 2025-09-01 to 2025-12-19 but the file "
        "is for 2025-09-01 to 2026-07-22. One file holds one period: rows of different "
        "periods (or different exports) have been mixed together."
    )
    assert "row 12: this row is for the school 'Ash' but the file is for 'Birch'" in message(
        change(small, 12, "school", "Ash")
    )


def test_rows_pasted_in_twice(small: str) -> None:
    lines = lines_of(small)
    assert "B.csv, row 38: incident number 1 is given twice (also on row 18)" in message(
        "\r\n".join([*lines[:37], lines[17], *lines[37:]])
    )
    assert "B.csv, row 7: the pupil key" in message("\r\n".join([*lines[:6], *lines[5:]]))


def test_rows_before_the_period_row_or_of_an_unknown_type(small: str) -> None:
    lines = lines_of(small)
    assert "row 2: the first row after the column names should be the 'period' row" in message(
        "\r\n".join([lines[0], *lines[2:]])
    )
    assert "row 6: the row type 'pupl' is not one this file can have" in message(
        change(small, 6, "row_type", "pupl")
    )
    assert message("\r\n".join([lines[0], lines[1], *lines[1:]])) == (
        "B.csv, row 3: a second export for 'Birch' begins here (the first begins on row 2); "
        "a file holds each school once."
    )


def test_spaces_round_cells_are_let_be(small: str) -> None:
    """A hand-edited file ("yes , no" and the like) reads as the tidy one does."""
    rows = cells(small)
    spaced = [
        [f" {cell} " if n % 3 == 0 else f"{cell} " for n, cell in enumerate(row)] for row in rows
    ]
    out = io.StringIO()
    csv.writer(out).writerows(spaced)
    assert read_export(out.getvalue(), "B.csv") == read_export(small, "B.csv")


def test_semicolons_between_columns_as_some_spreadsheets_save(small: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(cells(small))
    assert read_export(out.getvalue(), "B.csv") == read_export(small, "B.csv")


def test_an_extended_ethnicity_code_reads_as_its_main_code() -> None:
    """Another tool may write the DfE's extended codes: they count as the main code, as
    the MIS import stores them."""
    pupil = PupilFacts("1", 10, Characteristics(ethnicity="WBRI", ethnic_group="white"))
    inputs = ReportInputs(Period(date(2026, 1, 5), date(2026, 1, 14)), (pupil,), ())
    text = write_export(inputs, SECRET, "Oak").replace(",WBRI,", ",WENG,")
    assert ",WENG," in text
    assert read_export(text, "oak.csv").pupils[0].characteristics.ethnicity == "WBRI"
