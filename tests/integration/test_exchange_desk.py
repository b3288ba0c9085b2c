"""The desk's referral decisions and amendment requests (with replies and closing)
travel with their records in the JSON export, on real encrypted databases; never added
twice; a file without them still imports; a bad entry refuses the whole file."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from incident_recorder.domain.desk import ReferralDecisionKind
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import Referral
from incident_recorder.services.desk import DeskService
from incident_recorder.services.exchange import ExchangeService, dumps, parse
from incident_recorder.services.exchange_desk import import_desk, read_desk
from incident_recorder.services.session import Session
from tests.integration.test_exchange_records import demo_folder, source, target

__all__ = ["demo_folder", "source", "target"]  # the fixtures, shared


def _desk(session: Session) -> tuple[list[Any], list[Any]]:
    store = session.store
    ids = {i.id: i.reference for i in store.incidents.all_submitted()}
    decisions = sorted(
        (ids[d.incident_id], d.referral, d.decision, d.at, d.note, d.decided_by_name,
         d.recorded_at)
        for d in store.desk.decisions(list(ids))
    )  # fmt: skip
    requests = sorted(
        (
            t.reference, t.request.version, t.request.text, t.request.requested_by_name,
            t.request.requested_at, t.request.closed_at, t.state,
            tuple((a.text, a.replied_by_name, a.replied_at) for a in t.replies),
        )
        for t in store.desk.requests(limit=10_000)
    )  # fmt: skip
    return decisions, requests


def _add_some(source: Session) -> None:
    desk = DeskService(source)
    first, second = list(source.store.incidents.all_submitted())[:2]
    desk.record_referral_decision(
        first.id, Referral.POLICE, ReferralDecisionKind.NOT_NEEDED, "Spoke to the PCSO."
    )
    asked = desk.request_amendment(second.id, "Please add the room.")
    desk.close_request(asked.id or 0)
    desk.request_amendment(first.id, "Please add the time.")


def test_the_desk_comes_back_and_is_never_added_twice(source: Session, target: Session) -> None:
    _add_some(source)
    document = ExchangeService(source).export()
    assert document["referral_decisions"] and document["amendment_requests"]
    result = ExchangeService(target).import_document(parse(dumps(document)))
    assert result.desk_entries >= 3
    assert _desk(target) == _desk(source)
    assert target.store.audit.verify() == []
    versions = {r["reference"]: len(r["versions"]) for r in document["incidents"]}
    users = {u["username"] for u in document["users"]}
    entries = read_desk(document, users, versions)
    ids = {i.reference or "": i.id for i in target.store.incidents.all_submitted()}
    user_ids = {u.username: u.id for u in target.store.users.list()}
    with target.store.transaction():
        assert import_desk(target.store, entries, ids, user_ids) == 0
    assert _desk(target) == _desk(source)


def test_a_file_without_the_desk_still_imports(source: Session, target: Session) -> None:
    _add_some(source)
    document = copy.deepcopy(ExchangeService(source).export())
    del document["referral_decisions"], document["amendment_requests"]
    ExchangeService(target).import_document(document)
    assert _desk(target) == ([], [])


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        ("referral_decisions", {"referral": "astrology"}, "not a referral"),
        ("referral_decisions", {"record": "1999-0001"}, "not a submitted record"),
        ("amendment_requests", {"version": 99}, "which it lacks"),
        ("amendment_requests", {"requested_by": "nobody"}, "not in its accounts"),
        ("amendment_requests", {"closed_by": ""}, "who closed it"),
    ],
)
def test_a_bad_desk_entry_refuses_the_file(
    source: Session, target: Session, key: str, change: dict[str, Any], message: str
) -> None:
    _add_some(source)
    document = copy.deepcopy(ExchangeService(source).export())
    closed = [r for r in document[key] if r.get("closed_at")] or document[key]
    closed[0].update(change)
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
