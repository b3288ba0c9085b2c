"""Two checks that keep slips out of the bound book: the date (before the pupil was
born: refused; more than a year back: asked about) and the length of the free text
(counted, kept, and over the limit blocking Submit). Everyone here is fictional."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from incident_recorder.domain.model import IncidentDetails, Pupil, WhenWhere
from incident_recorder.domain.policy import (
    EXPLANATION_LIMIT,
    TEXT_LIMITS,
    PolicyContext,
    Severity,
    a_year_before,
    date_question,
    evaluate,
    outstanding,
    text_limit,
)
from incident_recorder.domain.steps import Step
from tests.fakes import complete_details

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 15, 0)
PUPIL = Pupil(id=7, upn="", first_name="Amara", last_name="Okafor", date_of_birth=date(2017, 6, 14))


def record(day: date) -> IncidentDetails:
    return complete_details(pupil_id=PUPIL.id, staff_id=3, day=day)


def context(pupil: Pupil | None = PUPIL, recorded_on: date = TODAY) -> PolicyContext:
    return PolicyContext(now_local=NOW, recorded_on=recorded_on, pupil=pupil)


def on(details: IncidentDetails, day: date) -> IncidentDetails:
    return dataclasses.replace(
        details, when_where=dataclasses.replace(details.when_where, date=day)
    )


# --------------------------------------------------------------------------- the date


def test_a_date_before_the_pupil_was_born_is_refused_with_their_date_of_birth() -> None:
    details = on(record(TODAY), date(1900, 1, 1))
    findings = [f for f in evaluate(details, context()) if f.code == "before_birth"]
    assert [(f.severity, f.step, f.field) for f in findings] == [
        (Severity.BLOCKING, Step.WHEN_WHERE, "when_where.date")
    ]
    assert findings[0].message == (
        "The date is before Amara Okafor was born (14/06/2017). Check the date."
    )
    assert findings[0] in outstanding(evaluate(details, context()))


@pytest.mark.parametrize(
    ("day", "pupil", "refused"),
    [
        (date(2017, 6, 13), PUPIL, True),  # the day before
        (date(2017, 6, 14), PUPIL, False),  # the day they were born: possible, not refused
        (date(1900, 1, 1), dataclasses.replace(PUPIL, date_of_birth=None), False),  # unknown
        (date(1900, 1, 1), None, False),  # no pupil chosen yet
    ],
)
def test_before_birth_needs_a_known_date_of_birth(
    day: date, pupil: Pupil | None, refused: bool
) -> None:
    codes = {f.code for f in evaluate(on(record(TODAY), day), context(pupil))}
    assert ("before_birth" in codes) is refused


def test_a_date_more_than_a_year_ago_is_asked_about_not_refused() -> None:
    details = on(record(TODAY), date(2024, 9, 2))
    question = date_question(details, context())
    assert question == (
        "The date of the incident is 02/09/2024, more than a year ago. Is that the right date?"
    )
    assert "before_birth" not in {f.code for f in evaluate(details, context())}


@pytest.mark.parametrize(
    ("day", "asked"),
    [
        (TODAY, False),
        (date(2025, 3, 10), False),  # exactly a year ago
        (date(2025, 3, 9), True),  # a year and a day
        (date(2018, 1, 1), True),
    ],
)
def test_only_dates_more_than_a_year_back_are_asked_about(day: date, asked: bool) -> None:
    assert (date_question(on(record(TODAY), day), context()) is not None) is asked


def test_no_question_for_a_date_already_refused_or_not_entered() -> None:
    assert date_question(on(record(TODAY), date(1900, 1, 1)), context()) is None  # refused
    empty = dataclasses.replace(record(TODAY), when_where=WhenWhere())
    assert date_question(empty, context()) is None
    # Without a date of birth the old date is asked about instead.
    assert date_question(on(record(TODAY), date(1900, 1, 1)), context(None)) is not None


def test_an_amendment_is_measured_from_the_day_the_record_was_submitted() -> None:
    submitted = date(2024, 11, 5)
    details = on(record(submitted), date(2024, 11, 4))
    assert date_question(details, context(recorded_on=submitted)) is None
    earlier = on(details, date(2023, 6, 1))
    assert date_question(earlier, context(recorded_on=submitted)) == (
        "The date of the incident is 01/06/2023, more than a year before the record was "
        "submitted (05/11/2024). Is that the right date?"
    )


def test_a_year_before_a_leap_day_is_the_28th_of_february() -> None:
    assert a_year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert a_year_before(date(2026, 3, 10)) == date(2025, 3, 10)


# --------------------------------------------------------------------------- length


def with_account(text: str) -> IncidentDetails:
    details = record(TODAY)
    return dataclasses.replace(
        details, what_happened=dataclasses.replace(details.what_happened, account=text)
    )


def test_an_account_over_its_limit_blocks_submit_and_says_by_how_much() -> None:
    limit = text_limit("what_happened.account")
    assert limit == 8000
    assert not [f for f in evaluate(with_account("x" * limit), context())]
    findings = evaluate(with_account("x" * 10_000), context())
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("too_long:what_happened.account", Severity.BLOCKING, "what_happened.account")
    ]
    assert findings[0].message == (
        "The account of the incident is too long to submit: 10,000 characters, and the "
        "most is 8,000. Please shorten it by 2,000 characters. Nothing you typed is lost."
    )


def test_the_summary_for_parents_is_kept_short_for_the_letter() -> None:
    assert text_limit("parents.summary_for_parents") == 1500
    details = record(TODAY)
    long = dataclasses.replace(
        details, parents=dataclasses.replace(details.parents, summary_for_parents="a " * 800)
    )
    assert {f.code for f in evaluate(long, context())} == {"too_long:parents.summary_for_parents"}


def test_every_limit_names_a_text_field_of_the_record() -> None:
    details = IncidentDetails()
    for field, rule in TEXT_LIMITS.items():
        section, name = field.split(".")
        assert Step(section)
        assert getattr(getattr(details, section), name) == "", field
        assert 1000 <= rule.limit <= 10_000
    assert text_limit("what_happened.nothing") is None


def test_an_explanation_over_its_limit_blocks_beside_its_warning() -> None:
    late = record(date(2026, 3, 9))  # recorded the next day: asks why
    long = late.with_explanation("late_recording", "z" * (EXPLANATION_LIMIT.limit + 1))
    findings = [f for f in evaluate(long, context()) if f.step is Step.WHEN_WHERE]
    assert [(f.code, f.severity, f.field, f.explained) for f in findings] == [
        ("too_long:explanation.late_recording", Severity.BLOCKING, "when_where.date", False),
        ("late_recording", Severity.WARNING, "when_where.date", True),
    ]
    assert findings[0].message.startswith(
        "Your explanation of “This is being recorded after the day of the incident.” is too "
        "long to submit: 3,001 characters"
    )


def test_line_breaks_count_as_characters() -> None:
    findings = evaluate(with_account("line\n" * 2000), context())  # 10,000 characters
    assert "10,000 characters" in findings[0].message
