"""The printable record read back from the PDF: every section and amendment in the full
record; the parents' copy without the internal account, the staff-only fields or other
pupils' names. Everyone named here is fictional."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time

from pypdf import PdfReader

from incident_recorder.documents.record_pdf import record_file_name, render_record
from incident_recorder.domain.model import (
    Debriefs,
    HoldUse,
    IncidentDetails,
    IncidentVersion,
    Intervention,
    InterventionKind,
    Pupil,
    SchoolDetails,
    StaffInvolvement,
    StaffPart,
    WhatHappened,
    WhenWhere,
    Who,
)
from incident_recorder.domain.record_document import (
    RecordDocument,
    names_to_hide,
    parents_copy_version,
)
from incident_recorder.domain.steps import Step

SCHOOL = SchoolDetails(name="Fictional Oak Primary School", address="1 Imaginary Lane")
ZOE = Pupil(id=1, upn="A123456789012", first_name="Zoë", last_name="Łukasiewicz")
TOM = Pupil(id=2, upn="B123456789012", first_name="Tomasz", last_name="Brown")
DETAILS = IncidentDetails(
    when_where=WhenWhere(date(2026, 11, 2), time(10, 5), time(10, 20), "Hall"),
    who=Who(
        pupil_id=1, staff=(StaffInvolvement(5, StaffPart.CARRIED_OUT),), other_witnesses="Mr Ng"
    ),
    what_happened=WhatHappened(
        antecedents="Tomasz took Zoë's book.",
        pupil_behaviour="Zoë kicked out at tomasz brown.",
        account="SECRET-ACCOUNT " + "Zoë was moved away from the others. " * 500,
    ),
    intervention=Intervention(
        kind=InterventionKind.REASONABLE_FORCE, holds=(HoldUse("Single elbow", 4 * 60),)
    ),
    debriefs=Debriefs(staff_debrief="STAFF-DEBRIEF held", staff_support="STAFF-SUPPORT given"),
)


def _version(number: int, details: IncidentDetails, reason: str = "") -> IncidentVersion:
    saved = datetime(2026, 11, 2, 12 + number, 0, tzinfo=UTC)
    return IncidentVersion(number, details, saved, 9, "Siân Evans", reason, "0" * 64)


VERSIONS = (
    _version(1, DETAILS),
    _version(
        2,
        IncidentDetails(
            when_where=DETAILS.when_where,
            who=DETAILS.who,
            what_happened=DETAILS.what_happened,
            intervention=Intervention(
                kind=InterventionKind.REASONABLE_FORCE, holds=(HoldUse("Single elbow", 6 * 60),)
            ),
            debriefs=DETAILS.debriefs,
        ),
        "Hold time corrected after Tomasz's teacher checked the clock",
    ),
)


def _doc(for_parents: bool) -> RecordDocument:
    versions: tuple[IncidentVersion, ...] = VERSIONS
    if for_parents:
        hide = names_to_hide([ZOE, TOM], ZOE)
        versions = tuple(parents_copy_version(v, hide) for v in versions)
    return RecordDocument(
        school=SCHOOL,
        pupil=ZOE,
        reference="2026-0007",
        versions=versions,
        staff_names={5: "Ms Ana Núñez"},
        linked_references=("2026-0008",),
        printed_on=datetime(2026, 11, 23, 9, 30),
        printed_by="Siân Evans",
        for_parents=for_parents,
    )


def _read(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages), len(reader.pages)


def test_full_record_has_every_section_version_and_reason() -> None:
    text, pages = _read(render_record(_doc(False)))
    assert pages > 2
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Full record — for the school's files" in text
    for step in list(Step)[:-1]:
        assert step.heading in text
    assert "Zoë Łukasiewicz" in text and "Ms Ana Núñez" in text
    assert "SECRET-ACCOUNT" in text and "STAFF-DEBRIEF" in text and "Mr Ng" in text
    assert "Hold time corrected after Tomasz's teacher checked the clock" in text
    assert "Version 2" in text and "Holds and" in text and "6 minutes" in text
    assert "2026-0008" in text
    assert "Tomasz" in text


def test_parents_copy_leaves_out_staff_fields_and_other_pupils() -> None:
    text, _pages = _read(render_record(_doc(True)))
    assert "Copy for parents and carers" in text
    assert "Zoë Łukasiewicz" in text
    for absent in (
        "SECRET-ACCOUNT",
        "STAFF-DEBRIEF",
        "STAFF-SUPPORT",
        "Mr Ng",
        "Tomasz",
        "2026-0008",
    ):
        assert absent not in text
    assert "Another pupil took Zoë's book" in text
    assert "kicked out at another pupil." in text
    assert "Hold time corrected after another pupil's teacher" in text


def test_file_names_carry_no_names() -> None:
    assert record_file_name("2026-0007", False) == "record-2026-0007.pdf"
    assert record_file_name("2026-0007", True) == "record-2026-0007-for-parents.pdf"


def test_an_amended_very_long_account_flows_across_pages_without_losing_a_word() -> None:
    """A 10,000-character account, amended: the account and both sides of the change
    print in full (a table row that does not fit a page used to stop the PDF)."""
    import dataclasses
    import re

    words = [f"word{n:04d}" for n in range(1400)]
    account = " ".join(words)
    first = dataclasses.replace(
        DETAILS, what_happened=dataclasses.replace(DETAILS.what_happened, account=account)
    )
    second = dataclasses.replace(
        first, what_happened=dataclasses.replace(first.what_happened, account=account + " END")
    )
    doc = RecordDocument(
        school=SCHOOL,
        pupil=ZOE,
        reference="2026-0007",
        versions=(_version(1, first), _version(2, second, "Added the last word")),
        staff_names={5: "Ms Ana Núñez"},
    )
    text, pages = _read(render_record(doc))
    assert pages > 5 and f"Page {pages} of {pages}" in text
    found = re.findall(r"word\d{4}", text)
    # The record as it stands, then the change's before and after: each word three times.
    assert sorted(found) == sorted(words * 3)
    assert "Added the last word" in text
