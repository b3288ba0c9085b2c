"""A pupil's MIS details and parents/carers on the real encrypted store (schema 3)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import Contact, NewPupil, SenStatus
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

MOTHER = Contact(
    name="Ngozi Okafor",
    relationship="Mother",
    parental_responsibility=True,
    address="12 Imaginary Road, Exampletown",
    phone="01632 960123",
    email="ngozi@example.org",
    preferred_language="English",
    receives_correspondence=True,
)
GRANDAD = Contact(name="Emeka Okafor", relationship="Grandfather", phone="01632 960456")

AMARA = NewPupil(
    "Amara",
    "Okafor",
    upn="A123456789012",
    preferred_name="Mara",
    date_of_birth=date(2016, 3, 4),
    year_group="4",
    class_name="Oak",
    sen_status=SenStatus.SEN_SUPPORT,
    sex="F",
    ethnicity="BAFR",
    primary_need="SEMH",
    previously_looked_after=True,
    kinship_care=True,
    child_in_need=True,
    child_protection_plan=False,
    free_school_meals=True,
    pupil_premium=True,
    eal=True,
    first_language="Igbo",
    contacts=(MOTHER, GRANDAD),
)


def test_details_and_contacts_round_trip(store: SqlStore) -> None:
    added = store.pupils.add(AMARA)
    got = store.pupils.get(added.id)
    assert got == added
    assert got.contacts == (MOTHER, GRANDAD)
    assert (got.ethnicity, got.primary_need, got.first_language) == ("BAFR", "SEMH", "Igbo")
    assert got.kinship_care and got.free_school_meals and not got.child_protection_plan
    assert store.pupils.list() == [got]
    assert store.pupils.search("mara") == [got]


def test_update_saves_every_field_and_replaces_contacts(store: SqlStore) -> None:
    added = store.pupils.add(AMARA)
    other = store.pupils.add(NewPupil("Tomasz", "Nowak", upn="B123456789012"))
    changed = dataclasses.replace(
        added,
        last_name="Okafor-Nowak",
        class_name="Ash",
        eal=False,
        contacts=(GRANDAD,),
        left_on=date(2026, 7, 22),
    )
    store.pupils.update(changed)
    assert store.pupils.get(added.id) == changed
    assert store.pupils.search("okafor-nowak") == [changed]
    # Left pupils sort after those on roll.
    assert [p.id for p in store.pupils.list()] == [other.id, added.id]
    assert store.pupils.get(other.id).contacts == ()
    with pytest.raises(InvalidInput, match="B123456789012"):
        store.pupils.update(dataclasses.replace(changed, upn="b123456789012"))
    with pytest.raises(NotFound):
        store.pupils.update(dataclasses.replace(changed, id=999))


def test_pupils_from_schema_2_get_the_new_fields_empty(data_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "schema-0002.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0002.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    try:
        (amelia,) = store.pupils.search("amelia")
        assert amelia.sen_status is SenStatus.EHCP
        assert (amelia.ethnicity, amelia.sex, amelia.contacts) == ("", "", ())
        assert not amelia.free_school_meals
    finally:
        store.close()
