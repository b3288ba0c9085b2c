"""The staff's training in the JSON export and import (issue 13): the entries in force
come back for the same people, with who recorded them and when; a file from before
training was exported still imports; a bad entry refuses the whole file. On real
encrypted databases (the demo school). Everyone named is fictional."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.services.exchange import ExchangeService
from incident_recorder.services.session import Session
from tests.integration import test_exchange as exchange_tests

# The demo school and the empty target of tests/integration/test_exchange.py.
demo_folder, head_name = exchange_tests.demo_folder, exchange_tests.head_name
source, target = exchange_tests.source, exchange_tests.target


def _held(session: Session) -> list[tuple[str, str, str, str | None, str]]:
    names = {m.id: m.full_name for m in session.store.staff.list(active_only=False)}
    users = {u.id: u.username for u in session.store.users.list()}
    return sorted(
        (
            names[r.staff_id],
            r.course,
            r.trained_on.isoformat(),
            None if r.expires_on is None else r.expires_on.isoformat(),
            users.get(r.recorded_by or 0, ""),
        )
        for r in session.store.training.in_force()
    )


def test_training_round_trips(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    assert len(document["staff_training"]) == len(source.store.training.in_force()) > 3
    result = ExchangeService(target).import_document(document)
    assert result.staff_training == len(document["staff_training"])
    assert _held(target) == _held(source)
    assert target.store.audit.verify() == []


def test_a_file_without_training_still_imports(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    del document["staff_training"]
    assert ExchangeService(target).import_document(document).staff_training == 0
    assert target.store.training.in_force() == []


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.update({key: value})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("staff", 9999), "staff entry 9999, which is not in the file"),
        (_set("recorded_by", "nobody"), "names the account 'nobody'"),
        (_set("course", " "), "has no course"),
        (_set("trained_on", "31/02/2026"), "Training entry 1 in the file is not valid"),
        (_set("recorded_at", "2026-01-05T10:00:00"), "offset from UTC"),
    ],
)
def test_a_bad_training_entry_refuses_the_file(
    source: Session, target: Session, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    change(document["staff_training"][0])
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
    assert target.store.training.in_force() == []
