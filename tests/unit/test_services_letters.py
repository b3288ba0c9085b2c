"""The letter to parents and carers, made from a record (LetterService on the fakes):
what it says, who gets a copy, the warnings and the refusal, and what is kept of each
copy made. Everyone here is fictional."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from incident_recorder.documents.letter_pdf import render_letter
from incident_recorder.domain.body_map import InjuryKind, InjuryMark
from incident_recorder.domain.documents import DocumentKind, OutputHow
from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    Contact,
    HoldUse,
    Incident,
    IncidentDetails,
    LetterSettings,
    NewPupil,
    ParentsStatus,
    Pupil,
    Role,
    SignatoryRole,
)
from incident_recorder.infra.letter_resources import default_letter_template, technique_words
from incident_recorder.services.incidents import IncidentService, details_sha256
from incident_recorder.services.letters import LetterService
from incident_recorder.services.session import Session
from tests.fakes import INCIDENT_DAY, RENDERER, FakeSchool, complete_details, new_school, sign_in_as

MUM = Contact(
    "Mrs Ewa Kowalczyk",
    "Mother",
    parental_responsibility=True,
    address="12 Elm Road, Camden, NW1 2AB",
    receives_correspondence=True,
)
DAD = Contact(
    "Mr Piotr Kowalczyk",
    "Father",
    parental_responsibility=True,
    address="4 Birch Close\nHackney\nE8 1AA",
    receives_correspondence=True,
)
GRAN = Contact("Irena Nowicka", "Grandmother", address="12 Elm Road, Camden, NW1 2AB")


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def set_up(
    contacts: tuple[Contact, ...] = (MUM, GRAN), **changes: object
) -> tuple[FakeSchool, Session, Pupil, Incident]:
    school = new_school()
    settings = school.store.settings.get()
    school.store.settings.save(
        dataclasses.replace(
            settings,
            letters=LetterSettings(
                signatory_name="Ms Hana Bashir",
                signatory_role=SignatoryRole.HEAD,
                contact_name="Mr Jo Adeyemi",
                contact_role="Class teacher",
                contact_phone="020 7946 0000",
            ),
        )
    )
    pupil = school.store.pupils.add(
        NewPupil(
            "Zofia", "Kowalczyk", upn="A123456789012", preferred_name="Zosia", contacts=contacts
        )
    )
    school.store.pupils.add(NewPupil("Tomasz", "Nowak", upn="B123456789012"))
    school.store.pupils.add(NewPupil("Jo", "Price"))  # shares a first name with the staff
    # A senior leader who was also there: letters are made by safeguarding leads.
    staff = sign_in_as(
        school,
        "j.adeyemi",
        frozenset({Role.STAFF, Role.SAFEGUARDING_LEAD}),
        full_name="Jo Adeyemi",
    )
    assert staff.user.staff_id is not None
    d = complete_details(pupil.id, staff.user.staff_id, INCIDENT_DAY)
    d = dataclasses.replace(d, **changes) if changes else d  # type: ignore[arg-type]
    # Written straight to the store: these tests are about the letter, not the policy.
    draft = IncidentService(staff).new_draft(d)
    done = school.store.incidents.submit(draft.id, d, staff.user.id, school.clock.now())
    return school, staff, pupil, done


def with_parents(d: IncidentDetails, **changes: object) -> IncidentDetails:
    return dataclasses.replace(d, parents=dataclasses.replace(d.parents, **changes))  # type: ignore[arg-type]


def test_the_letter_says_what_parents_need_and_never_the_internal_account() -> None:
    _school, staff, _pupil, incident = set_up()
    draft = LetterService(staff, technique_words(), default_letter_template(), RENDERER).prepare(
        incident.id
    )
    assert draft.reference == incident.reference and draft.template_version == 0
    [copy] = draft.copies  # the grandmother has no parental responsibility
    assert copy.recipient.addressee == "Mrs Ewa Kowalczyk"
    text = " ".join(pdf_text(render_letter(copy)).split())
    assert "Dear Mrs Kowalczyk" in text
    assert "Zosia" in text and "NW1 2AB" in text
    assert "threw a chair" in text  # the summary for parents
    assert "Another pupil was in the path of the chair" in text  # why it was necessary
    assert "held their arm gently" in text  # everyday words for "Friendly hold (standing)"
    assert "about 5 minutes" in text  # 3 + 2 minutes altogether
    assert "was not hurt" in text
    assert "joined in at lunch" in text and "key adult each morning" in text
    assert "PE was cancelled" in text  # the child's own account
    assert "Mr Jo Adeyemi" in text and "020 7946 0000" in text and "Ms Hana Bashir" in text
    assert str(incident.reference) in text
    assert "10:05 the pupil climbed" not in text  # the internal account
    assert "behaviour support plan" not in text  # no plan in force
    assert draft.warnings == ()


def test_an_injury_and_first_aid_to_the_child_are_in_the_letter() -> None:
    d = complete_details(1, 1, INCIDENT_DAY)
    injuries = dataclasses.replace(
        d.injuries,
        pupil_injured=True,
        pupil_injury="A small graze on the left knee.",
        first_aid="Cleaned and a plaster put on by the school first aider.",
    )
    _school, staff, _pupil, incident = set_up(injuries=injuries)
    [copy] = (
        LetterService(staff, technique_words(), default_letter_template(), RENDERER)
        .prepare(incident.id)
        .copies
    )
    text = " ".join(pdf_text(render_letter(copy)).split())
    assert "graze on the left knee" in text and "plaster put on" in text
    assert "was not hurt" not in text


def test_the_body_map_is_in_the_letter_in_words_and_staff_marks_are_not() -> None:
    d = complete_details(1, 1, INCIDENT_DAY)
    injuries = dataclasses.replace(
        d.injuries,
        pupil_injured=True,
        pupil_injury="A bruise and a red mark.",
        first_aid="A cold pack.",
        staff_injured=True,
        staff_injury="A scratch.",
        pupil_marks=(
            InjuryMark("front_left_upper_arm", InjuryKind.BRUISE),
            InjuryMark("back_left_shoulder", InjuryKind.RED_MARK),
        ),
        staff_marks=(InjuryMark("front_right_hand", InjuryKind.CUT, "STAFF-HAND"),),
    )
    _school, staff, _pupil, incident = set_up(injuries=injuries)
    [copy] = (
        LetterService(staff, technique_words(), default_letter_template(), RENDERER)
        .prepare(incident.id)
        .copies
    )
    pdf = render_letter(copy)
    text = " ".join(pdf_text(pdf).split())
    assert (
        "Where Zosia was hurt: a bruise to the left upper arm and a red mark to the back of "
        "the left shoulder." in text
    )
    assert "STAFF-HAND" not in text and "right hand" not in text
    shots = Path("/work/notes/shots")
    if shots.is_dir() and shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "letter.pdf").write_bytes(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "2",
                    str(Path(folder) / "letter.pdf"),
                    str(Path(folder) / "page"),
                ],
                check=True,
            )
            for n, page in enumerate(sorted(Path(folder).glob("page-*.png")), start=1):
                shutil.copy(page, shots / f"13-bodymap-letter-page{n}.png")


def test_an_other_injury_note_naming_another_pupil_is_warned_about() -> None:
    d = complete_details(1, 1, INCIDENT_DAY)
    injuries = dataclasses.replace(
        d.injuries,
        pupil_injured=True,
        pupil_injury="A bite mark.",
        first_aid="Cleaned.",
        pupil_marks=(InjuryMark("front_right_forearm", InjuryKind.OTHER, "bitten by Tomasz"),),
    )
    _school, staff, _pupil, incident = set_up(injuries=injuries)
    draft = LetterService(staff, technique_words(), default_letter_template(), RENDERER).prepare(
        incident.id
    )
    assert any("body map's notes" in w and "Tomasz" in w for w in draft.warnings)


def test_one_copy_per_address() -> None:
    _school, staff, _pupil, incident = set_up((MUM, DAD))
    draft = LetterService(staff, technique_words(), default_letter_template(), RENDERER).prepare(
        incident.id
    )
    assert [c.salutation for c in draft.copies] == ["Dear Mrs Kowalczyk", "Dear Mr Kowalczyk"]
    assert draft.copy_label(1) == "Copy 2: Mr Piotr Kowalczyk, 4 Birch Close"
    together = dataclasses.replace(DAD, address=MUM.address)
    _school, staff, _pupil, incident = set_up((MUM, together))
    [copy] = (
        LetterService(staff, technique_words(), default_letter_template(), RENDERER)
        .prepare(incident.id)
        .copies
    )
    assert copy.salutation == "Dear Mrs and Mr Kowalczyk"


def test_no_parent_who_receives_letters_is_refused_plainly() -> None:
    _school, staff, _pupil, incident = set_up((GRAN,))
    with pytest.raises(InvalidInput, match="No parent or carer of Zosia Kowalczyk"):
        LetterService(staff, technique_words(), default_letter_template(), RENDERER).prepare(
            incident.id
        )


def test_no_letter_while_telling_parents_is_withheld() -> None:
    school, staff, _pupil, incident = set_up()
    lead = sign_in_as(school, "d.lead", frozenset({Role.SAFEGUARDING_LEAD}), "Dee Lead")
    d = with_parents(
        incident.details,
        status=ParentsStatus.WITHHELD,
        withheld_reason="Social care advised not to tell the family yet.",
        la_told_at=incident.details.parents.told_at,
        la_told_who="Duty social worker",
    )
    school.store.incidents.amend(
        incident.id, d, staff.user.id, "Social care called back", school.clock.now()
    )
    for who in (staff, lead):
        with pytest.raises(NotAllowed, match="withheld for the child's safety"):
            LetterService(who, technique_words(), default_letter_template(), RENDERER).prepare(
                incident.id
            )


def test_another_pupils_name_is_warned_about() -> None:
    d = with_parents(
        complete_details(1, 1, INCIDENT_DAY),
        summary_for_parents="Zosia was upset when Tomasz took her coat at break.",
    )
    _school, staff, _pupil, incident = set_up(parents=d.parents)
    draft = LetterService(staff, technique_words(), default_letter_template(), RENDERER).prepare(
        incident.id
    )
    assert draft.warnings == (
        "The summary for parents seems to name another pupil (Tomasz). Other children "
        "must not be named in a letter.",
    )


def test_the_pupil_chosen_by_upn_must_be_in_the_event() -> None:
    _school, staff, _pupil, incident = set_up()
    service = LetterService(staff, technique_words(), default_letter_template(), RENDERER)
    assert service.by_reference(str(incident.reference), "a123456789012").copies
    with pytest.raises(InvalidInput, match="not about the pupil with UPN B123456789012"):
        service.prepare(incident.id, "B123456789012")


def test_each_copy_made_is_kept_with_its_hash_and_audited_without_names() -> None:
    school, staff, _pupil, incident = set_up((MUM, DAD))
    service = LetterService(staff, technique_words(), default_letter_template(), RENDERER)
    draft = service.prepare(incident.id)
    pdf = service.render(draft, 1)
    made = service.record(draft, 1, OutputHow.SAVED, pdf)
    assert made.sha256 == hashlib.sha256(pdf.data).hexdigest()
    assert made.pages == pdf.pages == 1 and pdf.file_name.endswith("-2.pdf")
    assert (made.kind, made.template_version, made.recipient) == (
        DocumentKind.LETTER,
        0,
        "Mr Piotr Kowalczyk",
    )
    [kept] = service.letters_made(incident.id)
    assert kept.by_name == "Jo Adeyemi" and kept.how is OutputHow.SAVED
    entry = school.store.audit.entries()[0]
    assert (entry.action, entry.detail) == (
        "letter_output",
        f"saved, copy 2, template v0, pdf sha256 {made.sha256}",
    )
    assert entry.record_sha256 == details_sha256(incident.details)  # the version used
    assert school.store.audit.verify() == []
    assert "Kowalczyk" not in entry.detail and "Zofia" not in entry.detail


def test_the_hold_with_a_name_the_school_added_is_still_printed() -> None:
    d = complete_details(1, 1, INCIDENT_DAY)
    holds = (HoldUse("Our special hug", None),)
    _school, staff, _pupil, incident = set_up(
        intervention=dataclasses.replace(d.intervention, holds=holds)
    )
    [copy] = (
        LetterService(staff, technique_words(), default_letter_template(), RENDERER)
        .prepare(incident.id)
        .copies
    )
    text = " ".join(pdf_text(render_letter(copy)).split())
    assert "Our special hug" in text


def test_a_staff_members_full_name_is_not_taken_for_a_pupil() -> None:
    d = complete_details(1, 1, INCIDENT_DAY)
    necessity = dataclasses.replace(
        d.necessity, justification="Jo Adeyemi saw the chair fly and stepped in."
    )
    _school, staff, _pupil, incident = set_up(necessity=necessity)
    assert (
        LetterService(staff, technique_words(), default_letter_template(), RENDERER)
        .prepare(incident.id)
        .warnings
        == ()
    )


def test_only_safeguarding_leads_and_senior_leaders_make_letters() -> None:
    school, _lead, _pupil, incident = set_up()
    staff = sign_in_as(school, "e.wright", full_name="Eve Wright")
    service = LetterService(staff, technique_words(), default_letter_template(), RENDERER)
    assert not service.may_make_letters
    with pytest.raises(NotAllowed, match="safeguarding lead or senior leader"):
        service.prepare(incident.id)
