"""Issue 10: parents' and carers' columns in every order MIS exports name them, and who
has parental responsibility and who receives letters when the file does not say."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.mis_contacts import PARTS, implies_parental_responsibility
from incident_recorder.domain.mis_import import (
    MisField,
    check_rows,
    guess_mapping,
    read_table,
)
from incident_recorder.domain.model import Contact
from incident_recorder.domain.pupils import make_upn

F = MisField
UPN1, UPN2, UPN3 = (make_upn(873, 2041, 2016, n) for n in (1, 2, 3))
TODAY = date(2026, 3, 20)
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mis"

# (header as an MIS writes it, the field it is read as). SIMS, Arbor, Bromcom,
# Scholarpack, iSAMS, Pupil Asset and Compass spellings, and what spreadsheets do to them.
HEADERS = [
    # "Contact N …" (SIMS, Scholarpack, Compass)
    ("Contact 1 Title", F.CONTACT1_TITLE),
    ("Contact 1 Forename", F.CONTACT1_FORENAME),
    ("Contact1 Forename", F.CONTACT1_FORENAME),
    ("Contact1Forename", F.CONTACT1_FORENAME),
    ("Contact 1 First Name", F.CONTACT1_FORENAME),
    ("Contact 1 Surname", F.CONTACT1_SURNAME),
    ("Contact 1 Last Name", F.CONTACT1_SURNAME),
    ("Contact 1 Name", F.CONTACT1_NAME),
    ("Contact 1 Full Name", F.CONTACT1_NAME),
    ("Contact 1", F.CONTACT1_NAME),
    ("Contact 1 Relationship", F.CONTACT1_RELATIONSHIP),
    ("Contact 1 Relationship to Pupil", F.CONTACT1_RELATIONSHIP),
    ("Contact 1 Parental Responsibility", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Contact 1 Parental Responsibility (Y/N)", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Contact 1 Has Parental Responsibility", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Contact 1 PR", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Contact 1 Correspondence", F.CONTACT1_RECEIVES_CORRESPONDENCE),
    ("Contact 1 Receives Correspondence", F.CONTACT1_RECEIVES_CORRESPONDENCE),
    ("Contact 1 Mailing", F.CONTACT1_RECEIVES_CORRESPONDENCE),
    ("Contact 1 Lives With Pupil", F.CONTACT1_LIVES_WITH_PUPIL),
    ("Contact 1 Lives with Student", F.CONTACT1_LIVES_WITH_PUPIL),
    ("Contact 1 Priority", F.CONTACT1_PRIORITY),
    ("Contact 1 Telephone", F.CONTACT1_PHONE),
    ("Contact 1 Tel No.", F.CONTACT1_PHONE),
    ("Contact 1 Mobile", F.CONTACT1_MOBILE),
    ("Contact 1 Mobile Phone", F.CONTACT1_MOBILE),
    ("Contact 1 Home Phone", F.CONTACT1_HOME_PHONE),
    ("Contact 1 Work Telephone", F.CONTACT1_WORK_PHONE),
    ("Contact 1 Email", F.CONTACT1_EMAIL),
    ("Contact 1 E-mail Address", F.CONTACT1_EMAIL),
    ("Contact 1 eMail", F.CONTACT1_EMAIL),
    ("Contact 1 Preferred Language", F.CONTACT1_PREFERRED_LANGUAGE),
    ("Contact 1 Home Language", F.CONTACT1_PREFERRED_LANGUAGE),
    ("Contact 1 House Name", F.CONTACT1_HOUSE_NAME),
    ("Contact 1 House Number", F.CONTACT1_HOUSE_NUMBER),
    ("Contact 1 Street", F.CONTACT1_ADDRESS),
    ("Contact 1 Address", F.CONTACT1_ADDRESS),
    ("Contact 1 Address Line 1", F.CONTACT1_ADDRESS),
    ("Contact 1 Address1", F.CONTACT1_ADDRESS),
    ("Contact 2 Address Line 1", F.CONTACT2_ADDRESS),
    ("Contact 2 Address Line 2", F.CONTACT2_ADDRESS_LINE2),
    ("Contact 2 Locality", F.CONTACT2_ADDRESS_LINE2),
    ("Contact 2 Address Line 3", F.CONTACT2_ADDRESS_LINE3),
    ("Contact 2 Town", F.CONTACT2_TOWN),
    ("Contact 2 Town/City", F.CONTACT2_TOWN),
    ("Contact 2 County", F.CONTACT2_COUNTY),
    ("Contact 2 Postcode", F.CONTACT2_POSTCODE),
    ("Contact 2 Post Code", F.CONTACT2_POSTCODE),
    ("Contact 2: Email", F.CONTACT2_EMAIL),
    ("Contact No. 2 Forename", F.CONTACT2_FORENAME),
    ("Contact #2 Surname", F.CONTACT2_SURNAME),
    ("Contact One Surname", F.CONTACT1_SURNAME),
    ("Contact Two Mobile", F.CONTACT2_MOBILE),
    ("1st Contact Name", F.CONTACT1_NAME),
    ("2nd Contact Relationship", F.CONTACT2_RELATIONSHIP),
    ("Contact (2) Relationship", F.CONTACT2_RELATIONSHIP),
    # "Priority N Contact …" and "Priority Contact N …" (SIMS reports)
    ("Priority 1 Contact Surname", F.CONTACT1_SURNAME),
    ("Priority 1 Contact Forename", F.CONTACT1_FORENAME),
    ("Priority 1 Contact Parental Responsibility", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Priority 1 Contact Lives With Pupil", F.CONTACT1_LIVES_WITH_PUPIL),
    ("Priority 2 Contact Home Telephone", F.CONTACT2_HOME_PHONE),
    ("Priority 2 Contact Address Line 1", F.CONTACT2_ADDRESS),
    ("Priority Contact 1 Name", F.CONTACT1_NAME),
    ("Priority Contact 1: Phone", F.CONTACT1_PHONE),
    ("Priority Contact 2: Email", F.CONTACT2_EMAIL),
    ("Priority 1 Surname", F.CONTACT1_SURNAME),
    ("Contact Priority 1 Forename", F.CONTACT1_FORENAME),
    # "Primary / Secondary Guardian …" (Arbor), "Primary Carer …", "Main Contact …"
    ("Primary Guardian Forename", F.CONTACT1_FORENAME),
    ("Primary Guardian Surname", F.CONTACT1_SURNAME),
    ("Primary Guardian Email", F.CONTACT1_EMAIL),
    ("Primary Guardian Postcode", F.CONTACT1_POSTCODE),
    ("Primary Guardian Relationship", F.CONTACT1_RELATIONSHIP),
    ("Primary Guardian Parental Responsibility", F.CONTACT1_PARENTAL_RESPONSIBILITY),
    ("Secondary Guardian Email Address", F.CONTACT2_EMAIL),
    ("Secondary Guardian Mobile", F.CONTACT2_MOBILE),
    ("Secondary Guardian Address Line 1", F.CONTACT2_ADDRESS),
    ("Primary Carer Mobile", F.CONTACT1_MOBILE),
    ("Primary Carer", F.CONTACT1_NAME),
    ("Secondary Carer Name", F.CONTACT2_NAME),
    ("Primary Contact Name", F.CONTACT1_NAME),
    ("Primary Contact Title", F.CONTACT1_TITLE),
    ("Main Contact Telephone", F.CONTACT1_PHONE),
    ("Second Contact Email", F.CONTACT2_EMAIL),
    ("First Contact Forename", F.CONTACT1_FORENAME),
    # "Parent N …", "Parent/Carer N …", "Guardian N …" (Bromcom, Pupil Asset, iSAMS)
    ("Parent 1 Relationship", F.CONTACT1_RELATIONSHIP),
    ("Parent 1 Name", F.CONTACT1_NAME),
    ("Parent 2 Email", F.CONTACT2_EMAIL),
    ("Parent/Carer 1 Name", F.CONTACT1_NAME),
    ("Parent / Carer 2 Mobile", F.CONTACT2_MOBILE),
    ("Parent or Carer 2 Email", F.CONTACT2_EMAIL),
    ("Parent/Guardian 1 Surname", F.CONTACT1_SURNAME),
    ("Parent Carer 2 Receives Correspondence", F.CONTACT2_RECEIVES_CORRESPONDENCE),
    ("Carer 1 Forename", F.CONTACT1_FORENAME),
    ("Guardian 2 Surname", F.CONTACT2_SURNAME),
    ("Guardian 2: Home Telephone", F.CONTACT2_HOME_PHONE),
    ("Guardian 2: Work Phone", F.CONTACT2_WORK_PHONE),
    ("Guardian2 Email", F.CONTACT2_EMAIL),
    ("Parent Name 2", F.CONTACT2_NAME),
    ("Parent Email 1", F.CONTACT1_EMAIL),
    # no number: the first
    ("Parent Email", F.CONTACT1_EMAIL),
    ("Parent/Carer Name", F.CONTACT1_NAME),
    ("Contact Forename", F.CONTACT1_FORENAME),
    ("ContactSurname", F.CONTACT1_SURNAME),
    ("Parent's Email", F.CONTACT1_EMAIL),
    # pupil columns that look a little like contacts stay the pupil's
    ("First Name", F.FIRST_NAME),
    ("First Language", F.FIRST_LANGUAGE),
    ("Main Language", F.FIRST_LANGUAGE),
    ("Primary Need", F.PRIMARY_NEED),
    # looked after and the registration group (issue 10)
    ("Is Looked After", F.LOOKED_AFTER),
    ("In Care", F.LOOKED_AFTER),
    ("In LA Care", F.LOOKED_AFTER),
    ("CLA", F.LOOKED_AFTER),
    ("LAC", F.LOOKED_AFTER),
    ("Looked After Child", F.LOOKED_AFTER),
    ("Child Looked After", F.LOOKED_AFTER),
    ("CiC", F.LOOKED_AFTER),
    ("Child in Care", F.LOOKED_AFTER),
    ("Looked After (Y/N)", F.LOOKED_AFTER),
    ("Looked After Status", F.LOOKED_AFTER),
    ("Student Is Looked After", F.LOOKED_AFTER),
    ("Reg", F.CLASS_NAME),
    ("Reg Group", F.CLASS_NAME),
    ("Registration Form", F.CLASS_NAME),
    ("Registration Group", F.CLASS_NAME),
    ("Reg Form", F.CLASS_NAME),
    ("Form", F.CLASS_NAME),
    ("Tutor Group", F.CLASS_NAME),
    ("Pupil Reg Group", F.CLASS_NAME),
    ("DoB", F.DATE_OF_BIRTH),
    ("D.O.B.", F.DATE_OF_BIRTH),
    ("Pupil's Surname", F.LAST_NAME),
]


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_each_header_spelling_is_read_as_its_field(header: str, expected: MisField) -> None:
    mapping = guess_mapping(("UPN", header))
    assert mapping.get(expected) == header, mapping


@pytest.mark.parametrize(
    "header",
    [
        "Emergency Contact Name",  # an emergency contact is not a parent or carer
        "Contact 3 Name",  # only two contacts are read
        "Contact 1 Status",
        "Contact Type",
        "Form Tutor",  # a teacher
        "Title",
        "Email",
        "Doctor Name",
        "Priority",
        "Parent Evening Notes",
    ],
)
def test_headers_that_are_not_a_parents_detail_are_left_alone(header: str) -> None:
    assert guess_mapping(("UPN", header)) == {F.UPN: "UPN"}


def test_every_contact_detail_has_a_field_for_both_contacts() -> None:
    for part in PARTS:
        for n in (1, 2):
            assert MisField(f"contact{n}_{part}")


def test_a_numbered_contact_column_wins_over_one_without_a_number() -> None:
    mapping = guess_mapping(("UPN", "Parent Email", "Parent 1 Email", "Parent 2 Email"))
    assert mapping[F.CONTACT1_EMAIL] == "Parent 1 Email"
    assert mapping[F.CONTACT2_EMAIL] == "Parent 2 Email"


def test_mother_and_father_columns_are_contacts_1_and_2_with_their_relationship() -> None:
    text = (
        "UPN,Surname,Forename,Father Forename,Father Surname,Mother Forename,Mother Surname,"
        "Mother Address,Parent Email\n"
        f"{UPN1},Okafor,Amara,Chidi,Okafor,Ngozi,Okafor,12 Elm Road,family@example.org\n"
    )
    table = read_table(text.encode())
    mapping = guess_mapping(table.header)
    assert mapping[F.CONTACT1_FORENAME] == "Father Forename"  # the first to appear
    assert mapping[F.CONTACT2_FORENAME] == "Mother Forename"
    assert "Parent Email" not in mapping.values()  # whose? not guessed
    checked = check_rows(table, mapping, today=TODAY)
    (row,) = checked.pupils
    assert row.contacts is not None
    father, mother = row.contacts
    assert (father.name, father.relationship) == ("Chidi Okafor", "Father")
    assert (mother.name, mother.relationship, mother.address) == (
        "Ngozi Okafor",
        "Mother",
        "12 Elm Road",
    )
    assert mother.parental_responsibility and mother.receives_correspondence
    assert any("“Mother” columns are parent or carer 2" in n for n in checked.contact_notes)


def test_mother_and_father_beside_numbered_contacts_take_the_free_number() -> None:
    mapping = guess_mapping(("UPN", "Contact 1 Name", "Father Name", "Mother Name"))
    assert mapping[F.CONTACT1_NAME] == "Contact 1 Name"
    assert mapping[F.CONTACT2_NAME] == "Father Name"
    assert "Mother Name" not in mapping.values()


# ------------------------------------------------------------------ the flags

SIMS_LIKE = (
    "UPN,Legal Surname,Legal Forename,"
    "Priority 1 Contact Title,Priority 1 Contact Forename,Priority 1 Contact Surname,"
    "Priority 1 Contact Relationship,Priority 1 Contact Parental Responsibility,"
    "Priority 1 Contact Address Line 1,Priority 1 Contact Postcode,"
    "Priority 2 Contact Forename,Priority 2 Contact Surname,Priority 2 Contact Relationship,"
    "Priority 2 Contact Parental Responsibility\n"
    f"{UPN1},Okafor,Amara,Mrs,Ngozi,Okafor,Mother,Yes,12 Elm Road,NW5 1AB,Ada,Okafor,"
    "Grandmother,No\n"
    f"{UPN2},Nowak,Tomasz,Mr,Piotr,Nowak,Father,N,4 Birch Close,E8 1AA,,,,\n"
)


def _contacts(text: str) -> tuple[list[tuple[Contact, ...]], tuple[str, ...]]:
    table = read_table(text.encode())
    checked = check_rows(table, guess_mapping(table.header), today=TODAY)
    assert checked.problems == ()
    return [p.contacts or () for p in checked.pupils], checked.contact_notes


def test_without_a_correspondence_column_those_with_pr_receive_letters() -> None:
    (amara, tomasz), notes = _contacts(SIMS_LIKE)
    mother, gran = amara
    assert mother.name == "Mrs Ngozi Okafor" and mother.address == "12 Elm Road\nNW5 1AB"
    assert mother.parental_responsibility and mother.receives_correspondence
    assert not gran.parental_responsibility and not gran.receives_correspondence
    (father,) = tomasz  # the file says he has no parental responsibility: obeyed
    assert not father.parental_responsibility and not father.receives_correspondence
    assert notes == (
        "3 parents and carers in the file; 1 of them will be sent letters (they have "
        "parental responsibility and receive correspondence).",
        "Parental responsibility is read from the file.",
        "The file has no column saying who receives correspondence, so everyone with "
        "parental responsibility will be sent letters (1) and the others will not (2).",
    )


def test_a_correspondence_column_that_says_no_is_obeyed() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 Parental Responsibility,"
        "Contact 1 Correspondence,Contact 2 Name,Contact 2 Parental Responsibility,"
        "Contact 2 Correspondence\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,Y,N,Chidi Okafor,Y,\n"
    )
    ([mother, father],), notes = _contacts(text)
    assert mother.parental_responsibility and not mother.receives_correspondence
    assert father.parental_responsibility and not father.receives_correspondence  # blank: no
    assert "Who receives letters is read from the file's correspondence column." in notes


def test_a_correspondence_column_for_one_contact_only_leaves_the_other_to_pr() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 PR,Contact 1 Correspondence,"
        "Contact 2 Name,Contact 2 PR\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,Y,N,Chidi Okafor,Y\n"
    )
    ([mother, father],), notes = _contacts(text)
    assert not mother.receives_correspondence
    assert father.receives_correspondence
    assert any("correspondence for parent or carer 2, so" in n for n in notes)


@pytest.mark.parametrize(
    ("relationship", "has_pr"),
    [
        ("Mother", True),
        ("FATHER", True),
        ("Parent", True),
        ("Adoptive Mother", True),
        ("Special Guardian", True),
        ("Legal guardian", True),
        ("Step-father", False),
        ("Stepmother", False),
        ("Foster Carer", False),
        ("Foster Mother", False),
        ("Grandmother", False),
        ("Aunt", False),
        ("Social Worker", False),
        ("Birth Father", False),
        ("Parent/Carer", False),  # says who they might be, not that they have PR
        ("", False),
    ],
)
def test_relationships_that_carry_parental_responsibility(relationship: str, has_pr: bool) -> None:
    assert implies_parental_responsibility(relationship) is has_pr


def test_without_a_pr_column_the_relationship_decides_and_the_preview_says_so() -> None:
    text = (
        "UPN,Surname,Forename,Primary Guardian Forename,Primary Guardian Surname,"
        "Primary Guardian Relationship,Secondary Guardian Forename,Secondary Guardian Surname,"
        "Secondary Guardian Relationship\n"
        f"{UPN1},Okafor,Amara,Ngozi,Okafor,Mother,Ian,Marsh,Step-father\n"
        f"{UPN2},Nowak,Tomasz,Rosa,Fernley,Foster Carer,Ewa,Nowak,\n"
        f"{UPN3},Mensah,Kwame,Kofi,Mensah,Father,Ama,Mensah,Grandmother\n"
    )
    (amara, tomasz, kwame), notes = _contacts(text)
    assert [c.parental_responsibility for c in amara] == [True, False]
    assert [c.parental_responsibility for c in tomasz] == [False, False]
    assert [c.receives_correspondence for c in kwame] == [True, False]
    assert notes[1] == (
        "The file has no parental responsibility column, so it was decided from the "
        "relationship to the pupil: a mother, father, parent, adoptive parent or guardian "
        "is taken to have it (2); anyone else is not: foster carer (1), grandmother (1), "
        "step-father (1). 1 parent or carer with no relationship in the file is taken not to "
        "have it. Not every father has parental responsibility: please check, and correct it "
        "in your MIS or on the pupil's page."
    )


def test_without_pr_or_relationship_nobody_is_sent_letters_and_the_preview_says_why() -> None:
    text = f"UPN,Surname,Forename,Parent 1 Name,Parent 1 Email\n{UPN1},Okafor,Amara,Ngozi,n@x.org\n"
    ([parent],), notes = _contacts(text)
    assert not parent.parental_responsibility and not parent.receives_correspondence
    assert notes[0].endswith("0 of them will be sent letters (they have parental "
                             "responsibility and receive correspondence).")  # fmt: skip
    assert "no parental responsibility or relationship column" in notes[1]


def test_a_file_without_contact_columns_leaves_parents_alone_and_says_so() -> None:
    _, notes = _contacts(f"UPN,Surname,Forename\n{UPN1},Okafor,Amara\n")
    assert notes == (
        "The file has no parent or carer columns, so the parents and carers already on the "
        "list are left as they are.",
    )


def test_a_contact_who_lives_with_the_pupil_shares_the_home_address() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 Relationship,Contact 1 Lives With Pupil,"
        "Contact 1 Address Line 1,Contact 1 Town,Contact 1 Postcode,Contact 2 Name,"
        "Contact 2 Relationship,Contact 2 Lives With Pupil,Contact 2 Address Line 1,"
        "Contact 2 Town,Contact 2 Postcode\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,Mother,Y,12 Elm Road,London,NW5 1AB,"
        "Chidi Okafor,Father,Y,,,\n"
        f"{UPN2},Nowak,Tomasz,Ewa Nowak,Mother,Y,4 Birch Close,London,E8 1AA,"
        "Piotr Nowak,Father,N,,,\n"
    )
    (amara, tomasz), notes = _contacts(text)
    assert amara[1].address == amara[0].address == "12 Elm Road\nLondon\nNW5 1AB"
    assert tomasz[1].address == ""  # lives elsewhere: no address is guessed
    assert notes[-1] == (
        "1 parent or carer with no address of their own lives with the pupil, so was given "
        "the address of the parent or carer they live with."
    )


def test_priority_orders_the_contacts_and_phones_are_kept_together() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 Priority,Contact 1 Mobile,"
        "Contact 1 Home Telephone,Contact 1 Work Phone,Contact 2 Name,Contact 2 Priority,"
        "Contact 2 Telephone\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,2,07700 900001,01632 960001,07700 900001,"
        "Chidi Okafor,1,01632 960002\n"
    )
    ([first, second],), _ = _contacts(text)
    assert first.name == "Chidi Okafor" and first.phone == "01632 960002"
    assert second.phone == "07700 900001 (mobile), 01632 960001 (home)"


def test_split_addresses_with_house_name_and_number_are_one_line_each() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 House Name,Contact 1 House Number,"
        "Contact 1 Street,Contact 1 District,Contact 1 Town,Contact 1 County,Contact 1 Postcode\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,Flat 2,12,Elm Road,Kentish Town,London,,NW5 1AB\n"
    )
    ([mother],), _ = _contacts(text)
    assert mother.address == "Flat 2\n12 Elm Road\nKentish Town\nLondon\nNW5 1AB"


def test_bad_contact_values_are_row_problems() -> None:
    text = (
        "UPN,Surname,Forename,Contact 1 Name,Contact 1 PR,Contact 1 Lives With Pupil,"
        "Contact 1 Priority\n"
        f"{UPN1},Okafor,Amara,Ngozi Okafor,perhaps,sometimes,first\n"
    )
    table = read_table(text.encode())
    checked = check_rows(table, guess_mapping(table.header), today=TODAY)
    assert [p.message for p in checked.problems] == [
        "Row 2: 'perhaps' under contact 1's parental responsibility is not yes or no.",
        "Row 2: 'sometimes' under contact 1's lives with pupil is not yes or no.",
        "Row 2: 'first' under contact 1's priority is not a number.",
    ]


@pytest.mark.parametrize(
    ("sample", "contacts", "letters"),
    [("sims-priority-contacts.csv", 51, 44), ("arbor-guardians.csv", 50, 45)],
)
def test_the_sims_and_arbor_samples_are_read_without_a_column_left_over(
    sample: str, contacts: int, letters: int
) -> None:
    table = read_table((SAMPLES / sample).read_bytes())
    mapping = guess_mapping(table.header)
    assert set(mapping.values()) == set(table.header)
    checked = check_rows(table, mapping, today=TODAY)
    assert checked.problems == () and len(checked.pupils) == 30
    read = [c for p in checked.pupils for c in p.contacts or ()]
    assert len(read) == contacts
    assert sum(c.parental_responsibility and c.receives_correspondence for c in read) == letters
    assert checked.contact_notes[0].startswith(
        f"{contacts} parents and carers in the file; {letters} of them will be sent letters"
    )
