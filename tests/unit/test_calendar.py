"""The school calendar: the standard English term dates, bank holidays, school days
across holidays and closures, and the Reports screen's periods."""

from __future__ import annotations

from datetime import date

import pytest

from incident_recorder.domain.calendar import (
    WEEKDAYS_ONLY,
    Closure,
    SchoolCalendar,
    Season,
    Term,
    default_english_calendar,
    easter_sunday,
    english_bank_holidays,
    period_choices,
    period_name,
    school_terms,
    season_of,
)
from incident_recorder.domain.desk import overdue
from incident_recorder.domain.school_days import add_school_days, school_days_between

CAL = default_english_calendar(2026, 2026)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday_matches_the_published_dates(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_standard_2026_27_terms_follow_the_usual_english_pattern() -> None:
    assert [(t.name, t.start, t.end) for t in CAL.terms] == [
        ("Autumn 1", date(2026, 9, 2), date(2026, 10, 23)),
        ("Autumn 2", date(2026, 11, 2), date(2026, 12, 18)),
        ("Spring 1", date(2027, 1, 4), date(2027, 2, 12)),
        ("Spring 2", date(2027, 2, 22), date(2027, 3, 25)),
        ("Summer 1", date(2027, 4, 12), date(2027, 5, 28)),
        ("Summer 2", date(2027, 6, 7), date(2027, 7, 22)),
    ]
    # The early May bank holiday is the one that falls in term.
    assert CAL.closures == (Closure(date(2027, 5, 3), "Early May bank holiday"),)


def test_holidays_and_bank_holidays_are_not_school_days() -> None:
    assert not CAL.is_school_day(date(2026, 10, 28))  # October half term
    assert not CAL.is_school_day(date(2026, 12, 21))  # Christmas holiday
    assert not CAL.is_school_day(date(2027, 3, 26))  # Good Friday
    assert not CAL.is_school_day(date(2027, 4, 1))  # Easter holiday
    assert not CAL.is_school_day(date(2027, 5, 3))  # early May bank holiday
    assert not CAL.is_school_day(date(2027, 6, 2))  # late May half term
    assert CAL.is_school_day(date(2027, 5, 4))
    assert CAL.is_school_day(date(2026, 12, 18))
    assert not CAL.is_school_day(date(2026, 12, 19))  # a Saturday in term


def test_bank_holidays_move_off_the_weekend() -> None:
    days = {c.day: c.reason for c in english_bank_holidays(2027)}
    assert date(2027, 1, 1) in days  # a Friday
    assert date(2027, 3, 26) in days and date(2027, 3, 29) in days  # Good Friday, Monday
    assert date(2027, 5, 3) in days and date(2027, 5, 31) in days and date(2027, 8, 30) in days
    # Christmas 2027 is a Saturday: Monday 27 and Tuesday 28 December instead.
    assert days[date(2027, 12, 27)].startswith("Christmas")
    assert days[date(2027, 12, 28)].startswith("Boxing")
    # 2022: New Year's Day a Saturday, so Monday 3 January.
    assert date(2022, 1, 3) in {c.day for c in english_bank_holidays(2022)}


def test_school_days_between_skips_the_half_term() -> None:
    # Friday 23 October to Monday 2 November 2026: the week off does not count.
    assert school_days_between(date(2026, 10, 23), date(2026, 11, 2), CAL) == 1
    assert school_days_between(date(2026, 10, 23), date(2026, 11, 2)) == 6  # weekdays
    assert add_school_days(date(2026, 10, 22), 2, CAL) == date(2026, 11, 2)
    assert add_school_days(date(2026, 11, 2), -1, CAL) == date(2026, 10, 23)


def test_a_record_is_not_overdue_across_the_christmas_holiday() -> None:
    # Submitted on the last day of term, looked at on the first day back.
    assert not overdue(date(2026, 12, 18), date(2027, 1, 4), 2, CAL)
    assert overdue(date(2026, 12, 18), date(2027, 1, 7), 2, CAL)
    assert overdue(date(2026, 12, 18), date(2027, 1, 4), 2, WEEKDAYS_ONLY)


def test_outside_the_calendar_every_weekday_counts() -> None:
    assert school_days_between(date(2030, 3, 1), date(2030, 3, 8), CAL) == 5
    assert CAL.is_school_day(date(2031, 8, 12))


def test_a_closure_in_term_is_not_a_school_day() -> None:
    cal = SchoolCalendar(CAL.terms, (Closure(date(2026, 9, 14), "INSET day"),))
    assert cal.closure_on(date(2026, 9, 14)) == Closure(date(2026, 9, 14), "INSET day")
    assert school_days_between(date(2026, 9, 11), date(2026, 9, 15), cal) == 1


def test_terms_are_kept_in_date_order_whatever_order_they_come_in() -> None:
    cal = SchoolCalendar(tuple(reversed(CAL.terms)))
    assert cal.terms == CAL.terms
    assert cal.term_on(date(2027, 2, 1)) == CAL.terms[2]


def test_half_terms_group_into_the_three_terms() -> None:
    assert [(t.name, t.start, t.end) for t in school_terms(CAL)] == [
        ("Autumn term 2026", date(2026, 9, 2), date(2026, 12, 18)),
        ("Spring term 2027", date(2027, 1, 4), date(2027, 3, 25)),
        ("Summer term 2027", date(2027, 4, 12), date(2027, 7, 22)),
    ]
    # Unnamed terms go by the month they start in.
    assert season_of(Term("Term 3", date(2027, 4, 12), date(2027, 5, 28))) is Season.SUMMER
    assert season_of(Term("First", date(2026, 9, 2), date(2026, 10, 23))) is Season.AUTUMN


def test_the_periods_in_term_time() -> None:
    this_term, last_term, this_year, last_year = period_choices(CAL, date(2026, 12, 7))
    assert this_term.label == "This term: Autumn term 2026 (02/09/2026 to 18/12/2026)"
    assert (this_term.start, this_term.end) == (date(2026, 9, 2), date(2026, 12, 18))
    # Last term comes from the standard dates, as the calendar starts in September 2026.
    assert last_term.label == "Last term: Summer term 2026 (13/04/2026 to 22/07/2026)"
    assert this_year.label == "This school year: 2026/27 (01/09/2026 to 31/08/2027)"
    assert (this_year.start, this_year.end) == (date(2026, 9, 1), date(2027, 8, 31))
    assert last_year.label == "Last school year: 2025/26 (01/09/2025 to 31/08/2026)"
    assert period_name(this_term) == "Autumn term 2026 (02/09/2026 to 18/12/2026)"


@pytest.mark.parametrize(
    ("today", "this_term", "last_term"),
    [
        (date(2026, 10, 28), "Autumn term 2026", "Summer term 2026"),  # half term
        (date(2026, 12, 28), "Autumn term 2026", "Summer term 2026"),  # Christmas
        (date(2027, 1, 4), "Spring term 2027", "Autumn term 2026"),  # first day back
        (date(2027, 4, 2), "Spring term 2027", "Autumn term 2026"),  # Easter holiday
        (date(2027, 8, 20), "Summer term 2027", "Spring term 2027"),  # summer holiday
    ],
)
def test_in_a_holiday_this_term_is_the_one_just_ended(
    today: date, this_term: str, last_term: str
) -> None:
    periods = period_choices(CAL, today)
    assert periods[0].label.startswith(f"This term: {this_term} (")
    assert periods[1].label.startswith(f"Last term: {last_term} (")


def test_the_schools_own_dates_are_used_for_its_periods() -> None:
    own = SchoolCalendar(
        (
            Term("Autumn term", date(2026, 9, 3), date(2026, 12, 17)),
            Term("Spring term", date(2027, 1, 5), date(2027, 3, 26)),
        )
    )
    this_term = period_choices(own, date(2027, 2, 1))[0]
    assert (this_term.start, this_term.end) == (date(2027, 1, 5), date(2027, 3, 26))
    assert this_term.label == "This term: Spring term 2027 (05/01/2027 to 26/03/2027)"


def test_without_a_calendar_the_periods_use_the_standard_dates() -> None:
    periods = period_choices(WEEKDAYS_ONLY, date(2027, 5, 10))
    assert periods[0].label == "This term: Summer term 2027 (12/04/2027 to 22/07/2027)"


def test_counting_school_days_agrees_with_asking_day_by_day() -> None:
    """The count is worked out by bisection (the desk asks it of thousands of records,
    some years old); it must agree with asking each day in turn."""
    import random
    from datetime import timedelta

    from incident_recorder.domain.calendar import Closure, SchoolCalendar, default_english_calendar

    standard = default_english_calendar(2024, 2027)
    cal = SchoolCalendar(standard.terms, (*standard.closures, Closure(date(2025, 9, 15), "INSET")))

    def day_by_day(start: date, end: date) -> int:
        days = (end - start).days
        return sum(cal.is_school_day(start + timedelta(days=i)) for i in range(1, days + 1))

    rng = random.Random(14)
    for _ in range(2000):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(2200))
        end = start + timedelta(days=rng.randrange(-10, 900))
        assert cal.school_days_between(start, end) == day_by_day(start, end), (start, end)
