"""The school's logo (PNG only, at most 1 MB, administrators only, audited) and the
record's "Letters and documents produced" list. Everyone named here is fictional."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from incident_recorder.domain.documents import DocumentKind, DocumentOutput, OutputHow
from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Role
from incident_recorder.domain.record_document import (
    DOCUMENTS_HEADING,
    LETTERS_HEADING,
    documents_section,
)
from incident_recorder.services.settings import LOGO_MAX_BYTES, PNG_SIGNATURE, SettingsService
from tests.fakes import new_school, sign_in_as

PNG = PNG_SIGNATURE + b"\x00" * 64  # the service checks the signature and the size only


def test_an_administrator_sets_and_removes_the_logo_and_it_is_audited() -> None:
    school = new_school()
    service = SettingsService(school.admin)
    assert service.logo() is None
    service.set_logo(PNG)
    assert service.logo() == PNG
    assert school.actions()[-1] == "logo_changed"
    count = len(school.actions())
    service.set_logo(PNG)  # the same picture again changes nothing
    assert len(school.actions()) == count
    service.clear_logo()
    assert service.logo() is None
    assert school.actions()[-1] == "logo_removed"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xd8\xff\xe0 a JPEG", "must be a PNG"),
        (b"GIF89a", "must be a PNG"),
        (PNG_SIGNATURE + b"\x00" * LOGO_MAX_BYTES, "too big"),
    ],
)
def test_the_logo_must_be_a_png_of_at_most_1_mb(data: bytes, words: str) -> None:
    school = new_school()
    with pytest.raises(InvalidInput, match=words):
        SettingsService(school.admin).set_logo(data)
    assert SettingsService(school.admin).logo() is None


@pytest.mark.parametrize("roles", [{Role.STAFF}, {Role.SENCO}, {Role.SAFEGUARDING_LEAD}])
def test_only_administrators_may_change_the_logo(roles: set[Role]) -> None:
    school = new_school()
    session = sign_in_as(school, "j.adeyemi", frozenset(roles))
    with pytest.raises(NotAllowed):
        SettingsService(session).set_logo(PNG)
    with pytest.raises(NotAllowed):
        SettingsService(session).clear_logo()


AT = datetime(2026, 11, 17, 15, 5, tzinfo=UTC)


def _output(kind: DocumentKind, how: OutputHow, minutes: int, **more: object) -> DocumentOutput:
    digest = hashlib.sha256(f"{kind}{how}{minutes}".encode()).hexdigest()
    return DocumentOutput(
        incident_id=1,
        kind=kind,
        how=how,
        sha256=digest,
        pages=2,
        at=AT + timedelta(minutes=minutes),
        by_name="Siân Evans",
        **more,  # type: ignore[arg-type]
    )


OUTPUTS = (
    _output(
        DocumentKind.LETTER, OutputHow.PREVIEWED, 0, recipient="Mrs A Nowak", template_version=0
    ),
    _output(DocumentKind.LETTER, OutputHow.PRINTED, 1, recipient="Mrs A Nowak", template_version=2),
    _output(DocumentKind.RECORD, OutputHow.SAVED, 2),
)


def test_the_full_record_lists_everything_produced_with_who_when_and_a_fingerprint() -> None:
    section = documents_section(OUTPUTS, for_parents=False, local=lambda m: m.replace(tzinfo=None))
    assert section.heading == DOCUMENTS_HEADING
    assert [when for when, _ in section.rows] == [
        "17/11/2026 15:05",
        "17/11/2026 15:06",
        "17/11/2026 15:07",
    ]
    first, second, third = (text for _, text in section.rows)
    assert first.startswith("Letter to parents and carers: previewed by Siân Evans, to Mrs A Nowak")
    assert "the shipped letter wording" in first
    assert "letter wording version 2" in second and "2 pages" in second
    assert third.startswith("Full record: saved as a PDF by Siân Evans")
    assert OUTPUTS[2].sha256[:12] in third


def test_the_parents_copy_lists_only_letters_sent() -> None:
    section = documents_section(OUTPUTS, for_parents=True)
    assert section.heading == LETTERS_HEADING
    assert len(section.rows) == 1
    assert "printed" in section.rows[0][1] and "Mrs A Nowak" in section.rows[0][1]
    assert documents_section((), for_parents=True).rows == (("", "No letters have been sent yet."),)
    assert documents_section((), for_parents=False).rows == (("", "None before this copy."),)


def test_staff_names_stay_whole_in_the_parents_copy() -> None:
    from incident_recorder.domain.record_document import without_pupil_names

    hide = ["Halima", "Halima Shah"]  # a pupil on roll
    staff = ["Halima Ionescu"]  # a teacher with the same first name
    text = "Told by Halima Ionescu. Halima Shah and halima were nearby."
    assert without_pupil_names(text, hide, staff) == (
        "Told by Halima Ionescu. Another pupil and another pupil were nearby."
    )
    # A staff member with a pupil's full name: the pupil's name wins (hidden).
    assert without_pupil_names("Halima Shah helped.", hide, ["Halima Shah"]) == (
        "Another pupil helped."
    )
