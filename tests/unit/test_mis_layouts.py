"""Other MIS layouts: "Student …" headers, one full-name column, contacts with split
names and addresses, worded dates, extended and group-prefixed ethnicity values."""

from __future__ import annotations

from datetime import date

import pytest

from incident_recorder.domain.ethnicity import ethnicity_code
from incident_recorder.domain.mis_import import (
    MisField,
    check_rows,
    guess_mapping,
    missing_required,
    parse_date,
    read_table,
    split_full_name,
)
from incident_recorder.domain.pupils import make_upn

UPN1, UPN2 = (make_upn(873, 2041, 2016, n) for n in (1, 2))
TODAY = date(2026, 3, 20)

BROMCOM_LIKE = (
    "Student UPN,Student Name,Student DOB,Student Gender,Student Ethnicity,"
    "Primary Contact Title,Primary Contact Forename,Primary Contact Surname,"
    "Primary Contact Address Line 1,Primary Contact Address Line 2,Primary Contact Town,"
    "Primary Contact Postcode,Primary Contact Parental Responsibility,"
    "Primary Contact Correspondence\n"
    f'{UPN1},"Okafor, Amara",03-Sep-2014,Female,Black or Black British - African,'
    "Mrs,Ngozi,Okafor,12 Elm Road,Kentish Town,London,NW5 1AB,Yes,Yes\n"
    f"{UPN2},Tomasz Nowak,1 March 15,U,WENG,,,,,,,,,\n"
)


def test_a_bromcom_like_layout_is_recognised_without_help() -> None:
    table = read_table(BROMCOM_LIKE.encode())
    mapping = guess_mapping(table.header)
    assert missing_required(mapping) == []
    assert mapping[MisField.UPN] == "Student UPN"
    assert mapping[MisField.FULL_NAME] == "Student Name"
    assert mapping[MisField.CONTACT1_POSTCODE] == "Primary Contact Postcode"
    assert set(mapping.values()) == set(table.header)


def test_the_rows_of_a_bromcom_like_layout_read_as_a_person_would() -> None:
    table = read_table(BROMCOM_LIKE.encode())
    checked = check_rows(table, guess_mapping(table.header), today=TODAY)
    assert checked.problems == ()
    amara, tomasz = checked.pupils
    assert (amara.values["last_name"], amara.values["first_name"]) == ("Okafor", "Amara")
    assert (tomasz.values["last_name"], tomasz.values["first_name"]) == ("Nowak", "Tomasz")
    assert amara.values["date_of_birth"] == date(2014, 9, 3)
    assert tomasz.values["date_of_birth"] == date(2015, 3, 1)
    assert amara.values["ethnicity"] == "BAFR"
    assert tomasz.values["ethnicity"] == "WBRI"
    assert tomasz.values["sex"] == ""
    assert amara.contacts is not None
    (mother,) = amara.contacts
    assert mother.name == "Mrs Ngozi Okafor"
    assert mother.address == "12 Elm Road\nKentish Town\nLondon\nNW5 1AB"
    assert mother.parental_responsibility and mother.receives_correspondence
    assert tomasz.contacts == ()


def test_a_surname_and_first_name_pair_wins_over_a_full_name_column() -> None:
    text = f"UPN,Name,Surname,Forename\n{UPN1},Someone Else,Okafor,Amara\n"
    table = read_table(text.encode())
    (row,) = check_rows(table, guess_mapping(table.header), today=TODAY).pupils
    assert (row.values["last_name"], row.values["first_name"]) == ("Okafor", "Amara")


def test_without_any_name_column_the_names_are_still_needed() -> None:
    assert missing_required({MisField.UPN: "UPN"}) == [MisField.LAST_NAME, MisField.FIRST_NAME]
    assert missing_required({MisField.FULL_NAME: "Name"}) == [MisField.UPN]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ní Bhriain, Siân", ("Ní Bhriain", "Siân")),
        ("  Okafor ,  Amara  Grace ", ("Okafor", "Amara Grace")),
        ("Amara Okafor", ("Okafor", "Amara")),
        ("Cher", ("Cher", "")),
    ],
)
def test_full_names_split_into_surname_and_first_name(text: str, expected: tuple[str, str]) -> None:
    assert split_full_name(text) == expected


def test_a_full_name_without_a_first_name_is_a_row_problem() -> None:
    text = f"UPN,Name\n{UPN1},Cher\n"
    table = read_table(text.encode())
    checked = check_rows(table, guess_mapping(table.header), today=TODAY)
    assert checked.pupils == ()
    assert [p.message for p in checked.problems] == ["Row 2: there is no first name."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-Sep-2014", date(2014, 9, 3)),
        ("3 September 2014", date(2014, 9, 3)),
        ("3rd Sept 2014", date(2014, 9, 3)),
        ("03/09/14", date(2014, 9, 3)),
        ("03/09/2014 00:00:00", date(2014, 9, 3)),
        ("2014-09-03T00:00:00.000", date(2014, 9, 3)),
    ],
)
def test_dates_as_spreadsheets_write_them(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-Feb-2015", "3 Smarch 2014", "03/09/2014 13:30"])
def test_dates_that_are_not_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Asian or Asian British - Indian", "AIND"),
        ("Mixed / Multiple ethnic groups - White and Asian", "MWAS"),
        ("Mixed White and Black Caribbean", "MWBC"),
        ("White - English", "WBRI"),
        ("wsco", "WBRI"),
        ("BNGN", "BAFR"),
        ("OARA", "OOTH"),
        ("Other ethnic group - Arab", "OOTH"),
        ("Pupil refused", "REFU"),
        ("Not known", "NOBT"),
        ("White - Chinese", None),
        ("Martian", None),
    ],
)
def test_ethnicity_as_mis_exports_write_it(text: str, code: str | None) -> None:
    assert ethnicity_code(text) == code


def test_a_title_above_the_columns_and_a_total_under_the_pupils_are_not_pupils() -> None:
    text = (
        "Student list: Year 5,,,\n"
        "Printed 02/11/2026,,,\n"
        ",,,\n"
        "UPN,Legal Surname,Legal Forename,Year\n"
        f"{UPN1},Okafor,Amara,5\n"
        f"{UPN2},Nowak,Tomasz,5\n"
        "Total: 2 students,,,\n"
    )
    table = read_table(text.encode())
    assert table.header == ("UPN", "Legal Surname", "Legal Forename", "Year")
    checked = check_rows(table, guess_mapping(table.header), today=TODAY)
    assert checked.problems == ()
    assert [p.row for p in checked.pupils] == [5, 6]  # as the spreadsheet numbers them


def test_a_last_row_holding_only_a_upn_is_still_read_as_a_pupil() -> None:
    text = f"UPN,Legal Surname,Legal Forename\n{UPN1},Okafor,Amara\n{UPN2},,\n"
    checked = check_rows(
        read_table(text.encode()),
        guess_mapping(("UPN", "Legal Surname", "Legal Forename")),
        today=TODAY,
    )
    assert [p.message for p in checked.problems] == [
        "Row 3: there is no surname.",
        "Row 3: there is no first name.",
    ]
