"""The school calendar on a real encrypted store: kept and read back after reopening
the file, replaced as a whole, the standard dates when none is kept, the change in the
audit chain, and the desk's overdue counting only the school days it gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
from incident_recorder.domain.model import Role
from incident_recorder.services.calendar import CalendarService
from incident_recorder.services.desk import DeskService
from incident_recorder.services.session import Session
from incident_recorder.store.database import SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import School, utc

OWN = SchoolCalendar(
    (
        Term("Spring 1", date(2026, 1, 5), date(2026, 2, 13)),
        Term("Spring 2", date(2026, 2, 23), date(2026, 3, 27)),
    ),
    (Closure(date(2026, 3, 3), "INSET day"), Closure(date(2026, 3, 4), "Snow: closed")),
)


def test_the_calendar_is_kept_in_the_encrypted_file(
    school: School, data_dir: Path, data_key: bytes
) -> None:
    service = CalendarService(Session(school.admin, school.store, FakeClock(utc(2026, 3, 10))))
    assert service.is_standard()
    service.save(OWN)
    school.store.close()
    reopened = SqlStoreFactory(data_dir).open(data_key)
    try:
        assert reopened.calendar.get() == OWN
        assert reopened.audit.verify() == []
        entry = reopened.audit.head()
        assert entry is not None and entry.action == "settings_changed"
        assert entry.detail == "school calendar: 2 terms, 2 closures"
        again = CalendarService(Session(school.admin, reopened, FakeClock(utc(2026, 3, 10))))
        shorter = SchoolCalendar(OWN.terms[1:])
        again.save(shorter)
        assert reopened.calendar.get() == shorter  # replaced, closures and all
        again.reset_to_default()
        assert reopened.calendar.get() is None
        assert again.calendar().first_day == date(2024, 9, 4)  # standard, 2024/25 on
    finally:
        reopened.close()


def test_the_desk_counts_only_school_days(school: School) -> None:
    with school.store.transaction():
        member = school.store.staff.add("Halima Ionescu", "")
        lead = school.store.users.add(
            "h.ionescu", member.full_name, frozenset({Role.SAFEGUARDING_LEAD}), member.id
        )
    school.submit(school.teacher, school.details(school.pupils[0]), utc(2026, 3, 2, 11))
    desk = DeskService(Session(lead, school.store, FakeClock(utc(2026, 3, 5, 15))))
    row = desk.to_sign_off()[0]  # Monday to Thursday: 3 school days, overdue after 2
    assert row.days_waiting == 3 and row.overdue
    admin = Session(school.admin, school.store, FakeClock(utc(2026, 3, 5, 15)))
    CalendarService(admin).save(OWN)  # closed on Tuesday and Wednesday
    row = desk.to_sign_off()[0]
    assert row.days_waiting == 1 and not row.overdue
