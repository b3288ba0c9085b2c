"""Reading MIS CSV exports: header recognition, the mapping, and every row problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.mis_import import (
    MisField,
    apply_overrides,
    check_rows,
    guess_mapping,
    parse_date,
    read_table,
)
from incident_recorder.domain.model import Contact, SenStatus
from incident_recorder.domain.pupils import make_upn

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mis"
UPN1, UPN2, UPN3 = (make_upn(873, 2041, 2016, n) for n in (1, 2, 3))
TODAY = date(2026, 3, 20)  # the school's date on the day of the import


def _check(text: str, overrides: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    table = read_table(text.encode("utf-8"))
    mapping = apply_overrides(table.header, guess_mapping(table.header), overrides or {})
    checked = check_rows(table, mapping, today=TODAY)
    return [p.upn for p in checked.pupils], [p.message for p in checked.problems]


def test_sims_style_headers_are_all_recognised() -> None:
    table = read_table((SAMPLES / "sims-style.csv").read_bytes())
    mapping = guess_mapping(table.header)
    assert set(mapping.values()) == set(table.header)
    assert mapping[MisField.UPN] == "UPN"
    assert mapping[MisField.LAST_NAME] == "Legal Surname"
    assert mapping[MisField.PREFERRED_NAME] == "Preferred Forename"
    assert mapping[MisField.CLASS_NAME] == "Reg Group"
    assert mapping[MisField.CONTACT2_PHONE] == "Contact 2 Phone"
    checked = check_rows(table, mapping, today=TODAY)
    assert checked.problems == () and len(checked.pupils) == 30
    first = checked.pupils[0]
    assert first.row == 2
    assert first.values["date_of_birth"] == date(2018, 5, 4)  # written 04/05/2018
    assert first.values["sen_status"] is SenStatus.SEN_SUPPORT  # "K"
    assert first.values["eal"] is False  # first language English
    assert first.contacts == (
        Contact(
            name="Nia Nowak",
            relationship="Mother",
            parental_responsibility=True,
            address="1 Imaginary Road, Exampletown",
            phone="01632 960000",
            email="nia@example.org",
            receives_correspondence=True,
        ),
    )


def test_arbor_style_headers_are_all_recognised() -> None:
    table = read_table((SAMPLES / "arbor-style.csv").read_bytes())
    mapping = guess_mapping(table.header)
    assert set(mapping.values()) == set(table.header)
    assert mapping[MisField.UPN] == "Unique Pupil Number"
    assert mapping[MisField.PREFERRED_NAME] == "Known As"
    assert mapping[MisField.CONTACT1_PREFERRED_LANGUAGE] == "Parent 1 Language"
    checked = check_rows(table, mapping, today=TODAY)
    assert checked.problems == () and len(checked.pupils) == 30
    first = checked.pupils[0].values
    assert first["date_of_birth"] == date(2019, 6, 27)  # written 2019-06-27
    assert first["ethnicity"] == "MWBC"  # written "White and Black Caribbean"
    assert first["sex"] == "F" and first["sen_status"] is SenStatus.NONE


def test_legal_names_win_over_plain_ones() -> None:
    header = ("Surname", "Forename", "Legal Surname", "Legal Forename", "UPN")
    mapping = guess_mapping(header)
    assert mapping[MisField.LAST_NAME] == "Legal Surname"
    assert mapping[MisField.FIRST_NAME] == "Legal Forename"


def test_each_row_problem_is_named_in_plain_words() -> None:
    upns, problems = _check(
        "UPN,Surname,Forename,DOB,Ethnicity,SEN Status,FSM,Gender\n"
        f"{UPN1},Okafor,Amara,31/02/2015,WBRI,N,Y,F\n"
        f"{UPN2},Nowak,Tomasz,2015-13-01,XYZ,K,N,M\n"
        f"{UPN1},Griffiths,Siân,01/01/2015,WBRI,Q,maybe,X\n"
        f"B000000000000,,Kwame,yesterday,,E,,\n"
    )
    assert upns == []
    assert problems == [
        "Row 2: the date of birth '31/02/2015' is not a real date.",
        "Row 3: the date of birth '2015-13-01' is not a real date.",
        "Row 3: 'XYZ' is not a DfE ethnicity code.",
        f"Row 4: UPN {UPN1} appears twice (rows 2 and 4).",
        "Row 4: 'X' is not a sex the import knows (M or F).",
        "Row 4: 'Q' is not an SEN status the import knows (N for none, K for SEN support, "
        "E for an EHC plan).",
        "Row 4: 'maybe' under free school meals is not yes or no.",
        "Row 5: 'B000000000000' is not a valid UPN: its check letter does not match. "
        "Check for a typing slip.",
        "Row 5: there is no surname.",
        "Row 5: the date of birth 'yesterday' is not a date written dd/mm/yyyy or yyyy-mm-dd.",
    ]


def test_ragged_rows_and_contacts_without_names_are_problems() -> None:
    upns, problems = _check(
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 Phone\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,01632 960001\n"
        f"{UPN2},Nowak,Tomasz,,01632 960002\n"
        f"{UPN3},Mensah,Kwame,Ama Mensah,01632 960003,extra\n"
    )
    assert upns == [UPN1]
    assert problems == [
        "Row 3: contact 1 has details but no name.",
        "Row 4: it has 6 values but the header has 5 columns, so its values may be in the "
        "wrong columns. Check for a stray comma.",
    ]


def test_the_mapping_can_be_overridden_field_by_field() -> None:
    text = f"Pupil Ref,Surname,Forename,Curriculum Year,Ethnicity\n{UPN1},Okafor,Amara,4,BAFR\n"
    table = read_table(text.encode())
    with pytest.raises(BadImportFile, match="No column was recognised for the UPN"):
        check_rows(table, guess_mapping(table.header), today=TODAY)
    mapping = apply_overrides(
        table.header,
        guess_mapping(table.header),
        {"upn": "Pupil Ref", "year_group": "curriculum year", "ethnicity": ""},
    )
    (pupil,) = check_rows(table, mapping, today=TODAY).pupils
    assert pupil.upn == UPN1 and pupil.values["year_group"] == "4"
    assert "ethnicity" not in pupil.values  # not read, so a re-import keeps what is there
    with pytest.raises(BadImportFile, match="no field called 'shoe_size'"):
        apply_overrides(table.header, mapping, {"shoe_size": "Surname"})
    with pytest.raises(BadImportFile, match="no column called 'Form'"):
        apply_overrides(table.header, mapping, {"class_name": "Form"})


def test_a_file_without_a_header_row_is_refused_plainly() -> None:
    table = read_table(f"{UPN1},Okafor,Amara,04/03/2016\n".encode())
    with pytest.raises(BadImportFile, match="looks like a pupil, not column names"):
        check_rows(table, guess_mapping(table.header), today=TODAY)


def test_encodings_byte_order_mark_and_semicolons() -> None:
    text = f"UPN;Surname;Forename\n{UPN1};Ó Briain;Siân\n"
    tabs = text.replace(";", "\t")
    for data in (text.encode("cp1252"), text.encode("utf-8-sig"), tabs.encode()):
        table = read_table(data)
        (pupil,) = check_rows(table, guess_mapping(table.header), today=TODAY).pupils
        assert (pupil.values["last_name"], pupil.values["first_name"]) == ("Ó Briain", "Siân")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n , \n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "not a CSV file"),
    ],
)
def test_unreadable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(BadImportFile, match=message):
        read_table(data)


def test_first_language_sets_eal_when_there_is_no_eal_column() -> None:
    table = read_table(
        f"UPN,Surname,Forename,First Language\n{UPN1},Nowak,Tomasz,Polish\n"
        f"{UPN2},Okafor,Amara,ENG\n".encode()
    )
    pupils = check_rows(table, guess_mapping(table.header), today=TODAY).pupils
    assert [p.values["eal"] for p in pupils] == [True, False]


def test_dates_in_both_layouts() -> None:
    assert parse_date("4/3/2016") == date(2016, 3, 4)
    assert parse_date("2016-03-04") == date(2016, 3, 4)
    assert parse_date("04/03/2016 00:00:00") == date(2016, 3, 4)  # Excel's date and time
    with pytest.raises(ValueError, match="not real"):
        parse_date("29/02/2015")


@pytest.mark.parametrize(
    "header", ["Admission Date", "Date of Admission", "Entry Date", "Start Date", "Date Joined"]
)
def test_the_admission_date_is_read_as_the_first_day_on_roll(header: str) -> None:
    table = read_table(
        f"UPN,Surname,Forename,{header}\n{UPN1},Nowak,Tomasz,03/09/2024\n"
        f"{UPN2},Okafor,Amara,\n".encode()
    )
    mapping = guess_mapping(table.header)
    assert mapping[MisField.JOINED_ON] == header
    pupils = check_rows(table, mapping, today=TODAY).pupils
    assert [p.values["joined_on"] for p in pupils] == [date(2024, 9, 3), None]


def test_an_admission_date_that_is_not_a_date_is_a_problem() -> None:
    _, problems = _check(
        f"UPN,Surname,Forename,Admission Date\n{UPN1},Nowak,Tomasz,31/02/2024\n"
        f"{UPN2},Okafor,Amara,soon\n{UPN3},Brown,Ellis,01/09/1890\n"
    )
    assert problems == [
        "Row 2: the admission date '31/02/2024' is not a real date.",
        "Row 3: the admission date 'soon' is not a date written dd/mm/yyyy or yyyy-mm-dd.",
        "Row 4: the admission date '01/09/1890' is not a date a pupil could have joined. "
        "Check the year.",
    ]
