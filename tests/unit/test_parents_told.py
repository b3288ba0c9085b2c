"""What the contacts with parents add up to (domain/parents_told.py): told the same day
or not, computed, never ticked; a reply counts as told; the letter; withheld. Everyone
here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time

import pytest

from incident_recorder.domain.model import (
    ContactMethod,
    IncidentDetails,
    ParentsContact,
    ParentsStatus,
    WhenWhere,
)
from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
    ToTellRow,
    hide_withheld_details,
    summarise,
)

DAY = date(2026, 11, 19)


def record(parents: ParentsContact) -> IncidentDetails:
    return IncidentDetails(
        when_where=WhenWhere(date=DAY, start=time(13, 30), end=time(13, 40), location="Hall"),
        parents=parents,
    )


def entry(
    kind: ContactEntryKind, at: datetime, method: str, outcome: str = ""
) -> ParentContactEntry:
    return ParentContactEntry(
        1, kind, at, method, parent="Mrs A Nowak", outcome=outcome, by_whom="Mr B Fischer"
    )


NOT_YET = ParentsContact(status=ParentsStatus.NOT_YET, not_yet_reason="No answer yet")


def test_told_in_the_form_the_same_day_reads_as_a_sentence() -> None:
    told = ParentsContact(
        status=ParentsStatus.TOLD,
        told_who="Mrs A Nowak",
        told_how=ContactMethod.PHONE,
        told_at=datetime(2026, 11, 19, 15, 40),
        told_by="Mr B Fischer",
    )
    s = summarise(record(told), [], datetime(2026, 11, 19, 16, 0))
    assert s.told and s.told_same_day
    assert s.status_lines()[0] == (
        "Told the same day: Mrs A Nowak by phone at 15:40 by Mr B Fischer."
    )
    assert s.status_lines()[1] == "No letter sent yet."
    assert s.needs_telling  # no letter yet


def test_a_call_the_next_morning_is_told_but_not_the_same_day() -> None:
    calls = [
        entry(ContactEntryKind.ATTEMPT, datetime(2026, 11, 19, 15, 0), "phone", "no_answer"),
        entry(ContactEntryKind.ATTEMPT, datetime(2026, 11, 20, 8, 45), "phone", "told"),
    ]
    s = summarise(record(NOT_YET), calls, datetime(2026, 11, 20, 9, 0))
    assert s.told and not s.told_same_day
    assert s.told_at == datetime(2026, 11, 20, 8, 45)
    assert s.attempts == 2
    assert s.status_lines()[0].startswith("Told on 20/11/2026 (not the same day)")


def test_not_told_says_how_many_hours_have_passed() -> None:
    left = [entry(ContactEntryKind.ATTEMPT, datetime(2026, 11, 19, 15, 0), "phone", "message_left")]
    s = summarise(record(NOT_YET), left, datetime(2026, 11, 20, 15, 30))
    assert not s.told and s.needs_telling
    assert s.hours_since == 26
    assert s.status_lines()[0] == "Not yet told — 26 hours since the incident."


def test_a_reply_or_meeting_from_parents_counts_as_told() -> None:
    reply = [entry(ContactEntryKind.REPLY, datetime(2026, 11, 19, 17, 5), "in_person")]
    s = summarise(record(NOT_YET), reply, datetime(2026, 11, 20, 9, 0))
    assert s.told and s.told_same_day and s.replies == 1


def test_told_and_letter_sent_needs_nothing_more() -> None:
    entries = [
        entry(ContactEntryKind.ATTEMPT, datetime(2026, 11, 19, 15, 40), "phone", "told"),
        entry(ContactEntryKind.LETTER_SENT, datetime(2026, 11, 20, 8, 30), "handed"),
    ]
    s = summarise(record(NOT_YET), entries, datetime(2026, 11, 20, 9, 0))
    assert not s.needs_telling
    assert s.letter_sent_on == date(2026, 11, 20) and s.letter_how is LetterDelivery.HANDED
    assert s.status_lines()[1] == "Letter handed over on 20/11/2026."


def test_withheld_never_needs_telling_and_hides_its_details() -> None:
    withheld = ParentsContact(
        status=ParentsStatus.WITHHELD,
        withheld_reason="A disclosure about home",
        withheld_decided_by="Ms R Okafor",
        la_told_at=datetime(2026, 11, 19, 14, 0),
        la_told_who="Duty desk",
    )
    s = summarise(record(withheld), [], datetime(2026, 11, 21, 9, 0))
    assert s.withheld and not s.needs_telling
    hidden = hide_withheld_details(record(withheld)).parents
    assert hidden == ParentsContact(status=ParentsStatus.WITHHELD)
    told = dataclasses.replace(withheld, status=ParentsStatus.TOLD)
    assert hide_withheld_details(record(told)).parents == told


@pytest.mark.parametrize(
    ("told", "letter", "copy", "newer", "missing"),
    [
        (False, False, False, False, "Not told yet; no letter sent; record not supplied"),
        (True, False, False, False, "No letter sent; record not supplied"),
        (True, True, False, False, "Record not supplied"),
        (True, True, False, True, "Amended record not supplied"),
        (False, True, True, False, "Not told yet"),
        (True, False, True, False, "No letter sent"),
        (False, False, True, False, "Not told yet; no letter sent"),
    ],
)
def test_the_to_tell_row_says_what_is_missing(
    told: bool, letter: bool, copy: bool, newer: bool, missing: str
) -> None:
    row = ToTellRow(
        7, "2026-0007", "Leo F", DAY, time(13, 30), ParentsStatus.NOT_YET, told, letter,
        copy_supplied=copy, newer_copy_due=newer,
    )  # fmt: skip
    assert row.missing == missing
    assert row.hours_since(datetime(2026, 11, 20, 13, 30)) == 24
    assert AttemptOutcome.TOLD.label.startswith("Spoke")


def test_the_list_gives_the_hours_and_from_three_days_the_days_too() -> None:
    from incident_recorder.domain.parents_told import hours_since_text

    assert hours_since_text(5) == "5"
    assert hours_since_text(71) == "71"
    assert hours_since_text(3149) == "3,149 (131 days)"


def test_a_record_from_before_1_april_2026_is_not_asked_for_its_written_record() -> None:
    from datetime import date as _date

    from incident_recorder.domain.parents_told import ToTellRow

    before = ToTellRow(
        1, "2026-0001", "Zoë Fabricated", _date(2026, 3, 31), None, None, False, True
    )
    after = ToTellRow(2, "2026-0002", "Zoë Fabricated", _date(2026, 4, 1), None, None, False, True)
    assert not before.copy_required and before.missing == "Not told yet"
    assert after.copy_required and after.missing == "Not told yet; record not supplied"
