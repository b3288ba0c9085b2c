"""CalendarService (issue 14): who may change the school calendar, the plain messages
for a calendar that cannot be kept, the audit entries, the periods by the school's
clock, and the desk's and statements' school days following the stored calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from incident_recorder.domain.calendar import (
    Closure,
    SchoolCalendar,
    Term,
    default_english_calendar,
)
from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Role
from incident_recorder.services.calendar import CalendarService
from tests.fakes import FakeClock, new_school, sign_in_as

OWN = SchoolCalendar(
    (
        Term("Autumn 1", date(2026, 9, 3), date(2026, 10, 23)),
        Term("Autumn 2", date(2026, 11, 2), date(2026, 12, 17)),
    ),
    (Closure(date(2026, 11, 2), "INSET day"),),
)


def _school(now: datetime = datetime(2026, 12, 7, 10, tzinfo=UTC)):  # type: ignore[no-untyped-def]
    return new_school(FakeClock(now))


def test_without_a_calendar_of_its_own_the_school_gets_the_standard_dates() -> None:
    school = _school()
    service = CalendarService(school.admin)
    assert service.is_standard()
    cal = service.calendar()
    # Last school year, this one and the next.
    assert cal.first_day == date(2025, 9, 3)
    assert cal.last_day == date(2028, 7, 21)
    assert not cal.is_school_day(date(2026, 10, 28))


@pytest.mark.parametrize(
    "roles",
    [
        frozenset({Role.STAFF}),
        frozenset({Role.SENCO}),
        frozenset({Role.SAFEGUARDING_LEAD}),
        frozenset({Role.OFFICE}),
    ],
)
def test_only_an_administrator_may_change_it(roles: frozenset[Role]) -> None:
    school = _school()
    other = CalendarService(sign_in_as(school, "r.teacher", roles))
    assert not other.may_change()
    assert other.calendar().first_day == date(2025, 9, 3)  # everyone reads it
    with pytest.raises(NotAllowed, match="change the school calendar"):
        other.save(OWN)
    with pytest.raises(NotAllowed):
        other.reset_to_default()
    assert CalendarService(school.admin).is_standard()


def test_the_administrator_saves_it_and_the_change_is_audited() -> None:
    school = _school()
    service = CalendarService(school.admin)
    assert service.may_change()
    service.save(OWN)
    assert service.calendar() == OWN
    assert not service.is_standard()
    entry = school.store.data.audit[-1]
    assert entry.action == "settings_changed"
    assert entry.detail == "school calendar: 2 terms, 1 closures"
    assert entry.record_sha256 is not None
    count = len(school.store.data.audit)
    service.save(OWN)  # nothing changed: nothing recorded
    assert len(school.store.data.audit) == count
    service.reset_to_default()
    assert service.is_standard()
    assert school.store.data.audit[-1].detail == "school calendar: the standard English dates"


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        (SchoolCalendar(), "Please add at least one term."),
        (
            SchoolCalendar(
                (
                    Term("Autumn 1", date(2026, 9, 3), date(2026, 10, 23)),
                    Term("Autumn 2", date(2026, 10, 19), date(2026, 12, 17)),
                )
            ),
            "Autumn 2 (19/10/2026 to 17/12/2026) overlaps Autumn 1 (03/09/2026 to "
            "23/10/2026): terms cannot share a day.",
        ),
        (
            SchoolCalendar(OWN.terms, (Closure(date(2026, 10, 28), "Training"),)),
            "28/10/2026 is not in any term",
        ),
        (
            SchoolCalendar(OWN.terms, (Closure(date(2026, 9, 5), "Training"),)),
            "05/09/2026 is a weekend day",
        ),
        (
            SchoolCalendar((Term("  ", date(2026, 9, 3), date(2026, 10, 23)),)),
            "The term starting 03/09/2026 needs a name",
        ),
        (
            SchoolCalendar((Term("Autumn 1", date(2026, 10, 23), date(2026, 9, 3)),)),
            "Autumn 1 ends (03/09/2026) before it starts (23/10/2026).",
        ),
    ],
)
def test_a_calendar_that_cannot_be_kept_is_refused_in_plain_words(
    calendar: SchoolCalendar, message: str
) -> None:
    school = _school()
    service = CalendarService(school.admin)
    with pytest.raises(InvalidInput) as raised:
        service.save(calendar)
    assert message in str(raised.value)
    assert service.is_standard()


def test_the_periods_follow_the_schools_clock_and_calendar() -> None:
    school = _school()
    service = CalendarService(school.admin)
    assert service.period_choices()[0].label == (
        "This term: Autumn term 2026 (02/09/2026 to 18/12/2026)"
    )
    service.save(OWN)
    assert service.period_choices()[0].label == (
        "This term: Autumn term 2026 (03/09/2026 to 17/12/2026)"
    )
    assert service.period_choices(date(2027, 5, 4))[0].label.startswith(
        "This term: Summer term 2027"
    )
    assert service.standard(2026) == default_english_calendar(2026, 2026)
    assert service.school_year() == 2026
