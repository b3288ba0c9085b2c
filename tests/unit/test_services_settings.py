"""The school's details and letter settings: administrators only, checked, audited,
and read back from settings saved before the letter settings existed."""

from __future__ import annotations

import json

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    LetterSettings,
    Role,
    SchoolDetails,
    SchoolSettings,
    SignatoryRole,
)
from incident_recorder.domain.serialise import canonical_json, from_plain
from incident_recorder.services.settings import SettingsService
from tests.fakes import new_school, sign_in_as

SCHOOL = SchoolDetails(
    name="Larkfield Primary School",
    address="1 Orchard Lane\nCamden\nNW1 0AA",
    phone="020 7946 0000",
    email="office@larkfield.example.org",
)
LETTERS = LetterSettings(
    signatory_name="Ms Adaeze Mensah",
    signatory_role=SignatoryRole.HEAD,
    contact_name="Mr Gethin Evans",
    contact_role="Deputy headteacher",
    contact_phone="020 7946 0001",
    contact_email="g.evans@larkfield.example.org",
)


def test_old_settings_without_letters_read_with_empty_letter_settings() -> None:
    plain = json.loads(canonical_json(SchoolSettings(school=SCHOOL)))
    del plain["letters"]
    read = from_plain(SchoolSettings, plain)
    assert read.letters == LetterSettings()
    assert read.school == SCHOOL


def test_letter_settings_round_trip_through_json() -> None:
    settings = SchoolSettings(school=SCHOOL, letters=LETTERS)
    assert from_plain(SchoolSettings, json.loads(canonical_json(settings))) == settings


def test_an_administrator_saves_the_school_and_letters_and_it_is_audited() -> None:
    school = new_school()
    service = SettingsService(school.admin)
    messy = SchoolDetails(
        name="  Larkfield   Primary School ",
        address="1 Orchard Lane\n\n Camden \nNW1 0AA",
        phone=SCHOOL.phone,
        email=SCHOOL.email,
        timezone="Europe/London",
    )
    service.save_school_and_letters(messy, LETTERS)
    assert service.school_details() == SCHOOL
    assert service.letter_settings() == LETTERS
    assert school.actions()[-1] == "settings_changed"
    # Saving the same again changes nothing and adds nothing to the audit log.
    count = len(school.actions())
    service.save_school_and_letters(SCHOOL, LETTERS)
    assert len(school.actions()) == count
    # The rest of the settings are kept.
    assert school.admin.settings().hold_warning_minutes == 10


@pytest.mark.parametrize("roles", [{Role.STAFF}, {Role.SENCO}, {Role.SAFEGUARDING_LEAD}])
def test_only_administrators_may_change_them(roles: set[Role]) -> None:
    school = new_school()
    session = sign_in_as(school, "j.adeyemi", frozenset(roles))
    with pytest.raises(NotAllowed, match="school's details"):
        SettingsService(session).save_school_and_letters(SCHOOL, LETTERS)
    assert SettingsService(session).letter_settings() == LetterSettings()


@pytest.mark.parametrize(
    ("school", "letters", "message"),
    [
        (SchoolDetails(name="", address="x"), LETTERS, "school's name"),
        (SchoolDetails(name="Larkfield", address=" "), LETTERS, "address"),
        (SchoolDetails("Larkfield", "Lane", phone="call us"), LETTERS, "phone number"),
        (SchoolDetails("Larkfield", "Lane", email="office"), LETTERS, "email address"),
        (SCHOOL, LetterSettings(contact_name="Mr Evans"), "signs the letters"),
        (SCHOOL, LetterSettings(signatory_name="Ms Mensah"), "talk to"),
        (
            SchoolDetails("Larkfield", "Lane"),
            LetterSettings(signatory_name="Ms Mensah", contact_name="Mr Evans"),
            "phone number or email",
        ),
    ],
)
def test_problems_are_explained_in_plain_words(
    school: SchoolDetails, letters: LetterSettings, message: str
) -> None:
    admin = new_school().admin
    with pytest.raises(InvalidInput, match=message):
        SettingsService(admin).save_school_and_letters(school, letters)
