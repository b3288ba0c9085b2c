"""The parents' duties (domain/parents_copy.py): told the same day, the letter, the
written record supplied as soon as practicable, an amended version due or decided
against, section 93A for pupils aged 20 or over, withheld. Table-driven; everyone
here is fictional."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from incident_recorder.domain.model import (
    ContactMethod,
    IncidentDetails,
    ParentsContact,
    ParentsStatus,
    WhenWhere,
)
from incident_recorder.domain.parents_copy import (
    NOT_REQUIRED,
    CopyHow,
    CopySupply,
    Duty,
    DutyState,
    SupplyKind,
    aged_20_or_over,
    copy_status,
    duties_section,
    duty_findings,
)
from incident_recorder.domain.parents_told import summarise

DAY = date(2026, 11, 19)
START = datetime(2026, 11, 19, 13, 30)


def details(parents: ParentsContact) -> IncidentDetails:
    return IncidentDetails(
        when_where=WhenWhere(date=DAY, start=time(13, 30), end=time(13, 40), location="Hall"),
        parents=parents,
    )


def told_at(moment: datetime) -> ParentsContact:
    return ParentsContact(
        status=ParentsStatus.TOLD,
        told_who="Mrs A Nowak",
        told_how=ContactMethod.PHONE,
        told_at=moment,
        told_by="Mr B Fischer",
    )


NOT_YET = ParentsContact(status=ParentsStatus.NOT_YET, not_yet_reason="No answer")
WITHHELD = ParentsContact(status=ParentsStatus.WITHHELD, withheld_reason="A disclosure")


def supplied(version: int, at: datetime, how: CopyHow = CopyHow.POSTED) -> CopySupply:
    return CopySupply(1, version, at, how, parent="Mrs A Nowak", by_whom="Mr B Fischer")


def not_needed(version: int) -> CopySupply:
    return CopySupply(
        1, version, datetime(2026, 11, 23, 9, 0), None, SupplyKind.NOT_NEEDED,
        by_whom="Ms C Lead", note="Corrected a spelling only",
    )  # fmt: skip


def finding(
    parents: ParentsContact,
    supplies: list[CopySupply],
    now: datetime,
    latest: int = 1,
    adult: bool = False,
    duty: Duty = Duty.COPY,
) -> tuple[DutyState, str]:
    summary = summarise(details(parents), [], now)
    found = duty_findings(summary, copy_status(supplies, latest), START, now, adult)
    one = next(f for f in found if f.duty is duty)
    return one.state, one.text


@pytest.mark.parametrize(
    ("parents", "now", "state", "words"),
    [
        (told_at(datetime(2026, 11, 19, 15, 40)), datetime(2026, 11, 19, 16), DutyState.DONE,
         "told the same day, at 15:40"),
        (told_at(datetime(2026, 11, 20, 9, 5)), datetime(2026, 11, 20, 10), DutyState.DONE_LATE,
         "told on 20/11/2026, the next day: not the same day"),
        (told_at(datetime(2026, 11, 23, 9, 5)), datetime(2026, 11, 23, 10), DutyState.DONE_LATE,
         "4 days after the incident"),
        (NOT_YET, datetime(2026, 11, 19, 16, 30), DutyState.DUE,
         "not yet told (3 hours since the incident): please tell them today"),
        (NOT_YET, datetime(2026, 11, 20, 8, 30), DutyState.OVERDUE,
         "not told the same day (19 hours since the incident)"),
        (NOT_YET, datetime(2026, 11, 24, 13, 30), DutyState.OVERDUE, "5 days since"),
    ],
)  # fmt: skip
def test_the_same_day_finding(
    parents: ParentsContact, now: datetime, state: DutyState, words: str
) -> None:
    got_state, text = finding(parents, [], now, duty=Duty.TOLD)
    assert got_state is state
    assert words in text.lower() or words in text


@pytest.mark.parametrize(
    ("supplies", "latest", "now", "state", "words"),
    [
        ([], 1, datetime(2026, 11, 19, 17), DutyState.DUE,
         "not been supplied to the parents yet (3 hours since the incident)"),
        ([], 1, datetime(2026, 11, 20, 14), DutyState.OVERDUE,
         "not been supplied to the parents: 24 hours since"),
        ([], 1, datetime(2026, 11, 26, 14), DutyState.OVERDUE, "7 days since"),
        ([supplied(1, datetime(2026, 11, 19, 16))], 1, datetime(2026, 11, 26), DutyState.DONE,
         "posted to the parents on 19/11/2026, the same day"),
        ([supplied(1, datetime(2026, 11, 21, 16), CopyHow.HANDED)], 1, datetime(2026, 11, 26),
         DutyState.DONE, "handed over to the parents on 21/11/2026, 2 days after the incident"),
        ([supplied(1, datetime(2026, 11, 19, 16))], 2, datetime(2026, 11, 26), DutyState.DUE,
         "the copy supplied was version 1; version 2 is newer and has not gone yet"),
        ([supplied(1, datetime(2026, 11, 19, 16)), not_needed(2)], 2, datetime(2026, 11, 26),
         DutyState.DONE, "version 2 is newer, and it was decided it need not go: corrected"),
        ([supplied(1, datetime(2026, 11, 19, 16)), supplied(2, datetime(2026, 11, 23, 9))], 2,
         datetime(2026, 11, 26), DutyState.DONE, "posted to the parents on 19/11/2026"),
        ([supplied(1, datetime(2026, 11, 19, 16)), not_needed(2)], 3, datetime(2026, 11, 26),
         DutyState.DUE, "version 3 is newer and has not gone yet"),
    ],
)  # fmt: skip
def test_the_as_soon_as_practicable_finding(
    supplies: list[CopySupply], latest: int, now: datetime, state: DutyState, words: str
) -> None:
    got_state, text = finding(NOT_YET, supplies, now, latest)
    assert got_state is state
    assert words in text.lower()


@pytest.mark.parametrize(
    ("born", "on", "adult"),
    [
        (date(2006, 11, 19), date(2026, 11, 19), True),  # the 20th birthday
        (date(2006, 11, 20), date(2026, 11, 19), False),  # the day before it
        (date(2004, 2, 29), date(2024, 2, 28), False),  # a leap-day birthday
        (date(2004, 2, 29), date(2024, 2, 29), True),
        (date(2012, 5, 1), date(2026, 11, 19), False),
        (None, date(2026, 11, 19), False),  # not known: the duty applies
        (date(2000, 1, 1), None, False),
    ],
)
def test_aged_20_or_over(born: date | None, on: date | None, adult: bool) -> None:
    assert aged_20_or_over(born, on) is adult


@pytest.mark.parametrize("duty", list(Duty))
def test_for_a_pupil_aged_20_or_over_every_duty_is_not_required_by_law(duty: Duty) -> None:
    state, text = finding(NOT_YET, [], datetime(2026, 11, 26), adult=True, duty=duty)
    assert state is DutyState.NOT_REQUIRED and text == NOT_REQUIRED
    assert "section 93A" in text and "may still choose to tell" in text


def test_an_adult_told_anyway_keeps_the_fact_and_says_not_required() -> None:
    parents = told_at(datetime(2026, 11, 19, 15, 40))
    state, text = finding(parents, [], datetime(2026, 11, 26), adult=True, duty=Duty.TOLD)
    assert state is DutyState.NOT_REQUIRED
    assert text.startswith("Parents were told the same day") and "section 93A" in text


@pytest.mark.parametrize("duty", list(Duty))
def test_withheld_means_no_duty_to_do(duty: Duty) -> None:
    state, text = finding(WITHHELD, [], datetime(2026, 11, 26), duty=duty)
    assert state is DutyState.WITHHELD and "local authority" in text


def test_the_printed_section_lists_the_findings_then_each_copy() -> None:
    supplies = [supplied(1, datetime(2026, 11, 19, 16)), not_needed(2)]
    summary = summarise(details(NOT_YET), [], datetime(2026, 11, 26))
    duties = duty_findings(summary, copy_status(supplies, 2), START, datetime(2026, 11, 26))
    section = duties_section(duties, supplies, for_parents=True)
    labels = [label for label, _ in section.rows]
    assert labels[:3] == [
        "Parents told: Overdue",
        "Letter sent: To do",
        "Written record supplied: Done",
    ]
    assert section.rows[3] == (
        "19/11/2026 16:00",
        "Copy of version 1 posted to Mrs A Nowak by Mr B Fischer.",
    )
    assert section.rows[4][1] == (
        "Version 2 need not go to the parents (decided by Ms C Lead). Corrected a spelling only."
    )


@pytest.mark.parametrize(
    ("started", "supplies", "latest", "state"),
    [
        (datetime(2026, 3, 31, 14, 0), [], 1, DutyState.NOT_REQUIRED),  # the day before
        (datetime(2026, 3, 31, 14, 0), [supplied(1, datetime(2026, 3, 31, 16))], 2,
         DutyState.NOT_REQUIRED),  # sent anyway, then amended: the newer need not go
        (datetime(2026, 4, 1, 9, 0), [], 1, DutyState.OVERDUE),  # the day the duty began
    ],
)  # fmt: skip
def test_the_written_record_is_due_only_for_incidents_from_1_april_2026(
    started: datetime, supplies: list[CopySupply], latest: int, state: DutyState
) -> None:
    summary = summarise(details(NOT_YET), [], datetime(2026, 4, 20, 9))
    found = duty_findings(summary, copy_status(supplies, latest), started, datetime(2026, 4, 20, 9))
    copy = next(f for f in found if f.duty is Duty.COPY)
    assert copy.state is state
    if state is DutyState.NOT_REQUIRED:
        assert "before 1 April 2026, when the duty to supply the written record" in copy.text
        assert not copy.needs_action
