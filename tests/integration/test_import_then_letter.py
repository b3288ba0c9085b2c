"""Issue 10: a parent who came in with the MIS file can be sent a letter.

The SIMS- and Arbor-style exports here name their parents and carers the way those
systems' own reports do ("Priority 1 Contact Surname", "Primary Guardian Forename") and
have no column saying who receives correspondence (the Arbor one has no parental
responsibility column either). Imported into a real encrypted database, then a letter
made from a submitted record the way the letter dialog makes it. Everyone is fictional.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from incident_recorder.documents.letter_pdf import render_letter
from incident_recorder.domain.model import Pupil, Role
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.services.letters import LetterService
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.session import Session
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import School, utc

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mis"
SIMS = (SAMPLES / "sims-priority-contacts.csv").read_bytes()
ARBOR = (SAMPLES / "arbor-guardians.csv").read_bytes()


@pytest.fixture
def senco(school: School) -> Session:
    return Session(user=school.senco, store=school.store, clock=FakeClock())


def _letters_for(school: School, pupil: Pupil) -> LetterService:
    """A submitted record about ``pupil``, and a safeguarding lead to write to parents."""
    store = school.store
    with store.transaction():
        lead_staff = store.staff.add("Dara Leadwell", "Designated safeguarding lead")
        lead = store.users.add(
            "d.leadwell", lead_staff.full_name, frozenset({Role.SAFEGUARDING_LEAD}), lead_staff.id
        )
    school.submit(school.teacher, school.details(pupil), utc(2026, 3, 2, 11))
    session = Session(user=lead, store=store, clock=FakeClock())
    return LetterService(session, technique_words(), default_letter_template(), RENDERER)


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _imported(school: School, data: bytes, row: int) -> Pupil:
    """The pupil on the file's ``row`` (as a spreadsheet numbers it), found by UPN."""
    upn = data.decode("utf-8-sig").splitlines()[row - 1].split(",")[0]
    (pupil,) = school.store.pupils.search(upn)
    return pupil


def _submitted(school: School) -> int:
    return list(school.store.incidents.all_submitted())[-1].id


def test_a_sims_priority_contact_with_parental_responsibility_gets_the_letter(
    senco: Session, school: School
) -> None:
    preview = PupilImportService(senco).run(SIMS)
    assert preview.new == 30 and preview.ignored_columns == ()
    kwame = _imported(school, SIMS, 2)  # the file's first pupil
    (mother,) = kwame.contacts
    assert (mother.name, mother.relationship) == ("Mrs Grace Mensah", "Mother")
    assert mother.parental_responsibility and mother.receives_correspondence
    assert mother.address == "3 Imaginary Road\nExampletown\nEX1 0ZZ"
    assert mother.phone == "07700 900000 (mobile), 01632 960000 (home)"

    letters = _letters_for(school, kwame)
    draft = letters.prepare(_submitted(school))
    (copy,) = draft.copies
    assert copy.recipient.addressee == "Mrs Grace Mensah"
    assert copy.recipient.address_lines == ("3 Imaginary Road", "Exampletown", "EX1 0ZZ")
    text = _pdf_text(render_letter(copy))
    assert "Dear Mrs Mensah" in text and "EX1 0ZZ" in text


def test_a_father_who_lives_apart_gets_his_own_copy_and_a_grandmother_none(
    senco: Session, school: School
) -> None:
    PupilImportService(senco).run(SIMS)
    fatima = _imported(school, SIMS, 3)  # her father lives apart
    assert [c.name for c in fatima.contacts] == ["Mrs Nia Byrne", "Mr Imran Byrne"]
    assert all(c.receives_correspondence for c in fatima.contacts)
    hamza = _imported(school, SIMS, 4)  # a grandmother, without PR
    gran = hamza.contacts[1]
    assert gran.relationship == "Grandmother"
    assert not gran.parental_responsibility and not gran.receives_correspondence

    letters = _letters_for(school, fatima)
    draft = letters.prepare(_submitted(school))
    assert [c.recipient.addressee for c in draft.copies] == ["Mrs Nia Byrne", "Mr Imran Byrne"]
    assert draft.copies[1].recipient.address_lines == ("61 Fable Street", "Exampletown", "EX1 3ZZ")


def test_a_father_at_the_pupils_home_shares_the_letter_to_that_address(
    senco: Session, school: School
) -> None:
    PupilImportService(senco).run(SIMS)
    at_home = [
        p
        for p in school.store.pupils.list()
        if p.upn and len(p.contacts) == 2 and p.contacts[0].address == p.contacts[1].address
    ]
    assert at_home, "the file has fathers living with the pupil"
    pupil = at_home[0]
    letters = _letters_for(school, pupil)
    (copy,) = letters.prepare(_submitted(school)).copies
    assert copy.recipient.names == tuple(c.name for c in pupil.contacts)


def test_an_arbor_primary_guardian_gets_the_letter_with_no_pr_column_either(
    senco: Session, school: School
) -> None:
    preview = PupilImportService(senco).preview(ARBOR)
    assert preview.ignored_columns == ()
    assert any("decided from the relationship" in note for note in preview.contact_notes)
    PupilImportService(senco).run(ARBOR)
    ewa = _imported(school, ARBOR, 4)  # her mother and a step-father
    mother, step = ewa.contacts
    assert mother.name == "Mrs Ola Rahman" and mother.email == "ola.rahman@example.org"
    assert mother.parental_responsibility and mother.receives_correspondence
    assert step.relationship == "Step-father" and not step.parental_responsibility

    letters = _letters_for(school, ewa)
    (copy,) = letters.prepare(_submitted(school)).copies
    assert copy.recipient.addressee == "Mrs Ola Rahman"
    assert copy.recipient.address_lines == ("9 Dream Lane", "Mockbury", "MK9 2ZZ")


def test_how_we_will_check_it_a_prone_position_of_20_seconds_for_an_imported_pupil(
    senco: Session, school: School
) -> None:
    """The issue's own check: import the SIMS-style export, record a prone position of 20
    seconds for an imported pupil (through the same service the form submits with), and
    make the letter for the parent who came in with the file."""
    import dataclasses
    from datetime import date, datetime, time

    from incident_recorder.domain.model import FloorPosition, HoldUse
    from incident_recorder.services.incidents import IncidentService
    from tests.fakes import FakeClock as Clock
    from tests.fakes import complete_details

    PupilImportService(senco).run(SIMS)
    kwame = _imported(school, SIMS, 2)
    day = date(2026, 3, 2)
    base = complete_details(kwame.id, school.teacher_staff.id, day)
    details = dataclasses.replace(
        base,
        intervention=dataclasses.replace(
            base.intervention,
            holds=(HoldUse("Wrap (standing)", 50),),
            floor_position=True,
            floor_positions=frozenset({FloorPosition.PRONE}),
            floor_how="Kwame slipped forward while in a standing wrap.",
            floor_seconds=20,
            floor_release="Staff let go at once and helped Kwame to sit up.",
        ),
    ).with_explanation("floor_position", "He slipped; the hold was let go straight away.")
    details = details.with_explanation("no_plan", "The SENCO is writing his plan this week.")
    staff = Session(
        user=school.teacher,
        store=school.store,
        clock=Clock(datetime.combine(day, time(15, 0)).astimezone()),
    )
    incidents = IncidentService(staff)
    done = incidents.submit(incidents.new_draft(details).id, details)
    floor = done.details.intervention
    assert (floor.floor_seconds, floor.floor_positions) == (20, frozenset({FloorPosition.PRONE}))

    with school.store.transaction():
        lead_staff = school.store.staff.add("Dara Leadwell", "Designated safeguarding lead")
        lead = school.store.users.add(
            "d.leadwell", lead_staff.full_name, frozenset({Role.SAFEGUARDING_LEAD}), lead_staff.id
        )
    lead_session = Session(user=lead, store=school.store, clock=FakeClock())
    letters = LetterService(lead_session, technique_words(), default_letter_template(), RENDERER)
    draft = letters.prepare(done.id)
    (copy,) = draft.copies
    text = _pdf_text(render_letter(copy))
    assert "Dear Mrs Mensah" in text and "Mrs Grace Mensah" in text
    assert "For about 20 seconds, Kwame was face down on the floor." in text
    assert "How it ended: Staff let go at once and helped Kwame to sit up." in text
    assert "(about 50 seconds)" in text and "0 min" not in text
