"""The school calendar in the JSON export and import (issue 14): the school's own
terms and closures come back in a database that keeps none; a database with its own
dates keeps them; a file from before the calendar was exported, or from a school using
the standard dates, imports without one; a bad calendar refuses the whole file. On real
encrypted databases (the demo school). Everyone named is fictional."""

from __future__ import annotations

from datetime import date

import pytest

from incident_recorder.domain.calendar import Closure, SchoolCalendar, Term
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.services.exchange import ExchangeService
from incident_recorder.services.session import Session
from tests.integration import test_exchange as exchange_tests

demo_folder, head_name = exchange_tests.demo_folder, exchange_tests.head_name
source, target = exchange_tests.source, exchange_tests.target

OWN = SchoolCalendar(
    (
        Term("Autumn 1", date(2025, 9, 3), date(2025, 10, 24)),
        Term("Autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
    ),
    (Closure(date(2025, 9, 15), "INSET day"),),
)


def _keep(session: Session, cal: SchoolCalendar) -> None:
    with session.store.transaction():
        session.store.calendar.save(cal)


def test_the_calendar_round_trips(source: Session, target: Session) -> None:
    _keep(source, OWN)
    document = ExchangeService(source).export()
    assert document["school_calendar"]["closures"] == [
        {"date": "2025-09-15", "reason": "INSET day"}
    ]
    result = ExchangeService(target).import_document(document)
    assert result.calendar
    assert target.store.calendar.get() == OWN
    assert any(
        e.action == "settings_changed" and e.detail == "school calendar: from the imported file"
        for e in target.store.audit.entries()
    )
    assert target.store.audit.verify() == []


def test_the_targets_own_dates_are_kept(source: Session, target: Session) -> None:
    _keep(source, OWN)
    theirs = SchoolCalendar((Term("Autumn term", date(2025, 9, 4), date(2025, 12, 18)),))
    _keep(target, theirs)
    result = ExchangeService(target).import_document(ExchangeService(source).export())
    assert not result.calendar and target.store.calendar.get() == theirs


def test_without_a_calendar_the_file_still_imports(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    assert document["school_calendar"] is None  # the standard dates: nothing to carry
    del document["school_calendar"]
    assert not ExchangeService(target).import_document(document).calendar
    assert target.store.calendar.get() is None


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        ("term dates", "expected an object"),
        ({"terms": [{"name": "Autumn 1", "first_day": "03/09/2025"}]}, "term 1's first day"),
        (
            {
                "terms": [{"name": "A", "first_day": "2025-09-03", "last_day": "2025-10-24"}],
                "closures": [{"date": "2025-10-29", "reason": "Training"}],
            },
            "29/10/2025 is not in any term",
        ),
    ],
)
def test_a_bad_calendar_refuses_the_file(
    source: Session, target: Session, calendar: object, message: str
) -> None:
    document = ExchangeService(source).export()
    document["school_calendar"] = calendar
    with pytest.raises(BadImportFile, match=message) as raised:
        ExchangeService(target).import_document(document)
    assert "Nothing was imported." in str(raised.value)
    assert target.store.calendar.get() is None
