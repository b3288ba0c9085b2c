"""The printed record's contacts with parents: status first, each contact after; the
parents' copy leaves out the staff's notes."""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
)
from incident_recorder.domain.record_contacts import CONTACTS_HEADING, contacts_section

CALL = ParentContactEntry(
    7,
    ContactEntryKind.ATTEMPT,
    datetime(2026, 11, 20, 15, 40),
    "phone",
    parent="Mrs Ana Petrescu",
    outcome=AttemptOutcome.TOLD.value,
    by_whom="Mr Ben Fischer",
    note="Mum asked for a meeting on Monday",
)
LETTER = ParentContactEntry(
    7, ContactEntryKind.LETTER_SENT, datetime(2026, 11, 20, 15, 55), LetterDelivery.HANDED.value
)


def test_the_full_record_lists_each_contact_with_notes() -> None:
    section = contacts_section(None, (CALL, LETTER), for_parents=False)
    assert section.heading == CONTACTS_HEADING
    assert section.rows == (
        (
            "20/11/2026 15:40",
            "Call or meeting: Telephone with Mrs Ana Petrescu by Mr Ben Fischer: Spoke to them "
            "and told them. Note: Mum asked for a meeting on Monday.",
        ),
        ("20/11/2026 15:55", "Letter sent: Handed to the parent or carer."),
    )


def test_the_parents_copy_leaves_out_the_staff_notes() -> None:
    section = contacts_section(None, (CALL,), for_parents=True)
    [(_, text)] = section.rows
    assert "Note" not in text and "Monday" not in text
    assert "Mrs Ana Petrescu" in text and "Mr Ben Fischer" in text


def test_no_contacts_says_so() -> None:
    assert contacts_section(None, (), for_parents=False).rows == (
        ("", "No calls, letters or replies recorded after the record."),
    )
