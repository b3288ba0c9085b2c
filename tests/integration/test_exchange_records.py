"""Contacts with parents, sign-offs and documents produced travel with their records in
the JSON export, on real encrypted databases (everyone is fictional)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from incident_recorder.domain.documents import DocumentKind, DocumentOutput, OutputHow
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentDetails
from incident_recorder.domain.serialise import from_plain
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.exchange import ExchangeService, dumps, parse
from incident_recorder.services.exchange_records import import_entries, read_entries
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF
from tests.integration.test_exchange import _accounts, _fresh, _state

_KEYS = ("parent_contacts", "sign_offs", "documents", "parents_copies")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo school (with contacts and sign-offs) plus letters produced."""
    folder = tmp_path_factory.mktemp("demo")
    vault, factory = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(vault, factory, FakeClock(), pupils=40, incidents=24)
    session = _accounts(folder, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    try:
        store, now = session.store, session.now()
        store.documents.add_template("Dear {parent},\nFictional wording.", session.user.id, now)
        for n, incident in enumerate(list(store.incidents.all_submitted())[:3]):
            store.documents.add_output(
                DocumentOutput(
                    incident.id, DocumentKind.LETTER, OutputHow.PRINTED, f"{n:x}" * 64, 2,
                    "Mrs A Testperson", 1,
                ),
                session.user.id,
                now + timedelta(minutes=n, microseconds=123),
            )  # fmt: skip
    finally:
        session.close()
    return folder


@pytest.fixture
def source(demo_folder: Path, tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "source"
    shutil.copytree(demo_folder, folder)
    session = _accounts(folder, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def target(tmp_path: Path, source: Session) -> Iterator[Session]:
    session = _fresh(tmp_path / "target", source.user.full_name)
    yield session
    session.close()


def _entries(session: Session) -> dict[str, tuple[list[Any], ...]]:
    """Each submitted record's entries as the user sees them, by reference."""
    store = session.store
    out: dict[str, tuple[list[Any], ...]] = {}
    for incident in store.incidents.all_submitted():
        contacts = [
            (c.kind, c.at, c.method, c.parent, c.outcome, c.by_whom, c.note, c.recorded_at,
             c.recorded_by_name)
            for c in store.parent_contacts.for_incident(incident.id)
        ]  # fmt: skip
        signed = [
            (s.version, s.version_sha256, s.comment, s.signed_at, s.signed_by_name)
            for s in store.sign_offs.for_incident(incident.id)
        ]
        outputs = [
            (d.kind, d.how, d.sha256, d.pages, d.recipient, d.template_version, d.at, d.by_name)
            for d in store.documents.outputs_for(incident.id)
        ]
        copies = [
            (k.version, k.kind, k.at, k.how, k.parent, k.by_whom, k.note, k.recorded_at,
             k.recorded_by_name)
            for k in store.parents_copies.for_incident(incident.id)
        ]  # fmt: skip
        assert incident.reference
        out[incident.reference] = (contacts, signed, outputs, copies)
    return out


def test_contacts_sign_offs_and_documents_come_back(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    assert all(document[key] for key in _KEYS), "the demo should have some of each"
    assert document["documents"][0]["template_version"] == 1
    assert document["parent_contacts"][0]["at"].count(":") == 2  # wall clock, no offset
    result = ExchangeService(target).import_document(parse(dumps(document)))
    assert (
        result.parent_contacts, result.sign_offs, result.documents, result.parents_copies
    ) == tuple(len(document[key]) for key in _KEYS)  # fmt: skip
    assert _entries(target) == _entries(source)
    assert target.store.audit.verify() == []
    head = target.store.audit.head()
    assert head is not None and f"{len(document['sign_offs'])} sign-offs" in head.detail
    # The same file again: refused (its records are here), and nothing is added ...
    before = (_state(target), _entries(target))
    with pytest.raises(BadImportFile, match="already in this database"):
        ExchangeService(target).import_document(document)
    assert (_state(target), _entries(target)) == before
    # ... and entries already on a record are never added a second time.
    versions = {
        r["reference"]: tuple(from_plain(IncidentDetails, v["details"]) for v in r["versions"])
        for r in document["incidents"]
    }
    users = {u["username"] for u in document["users"]}
    entries = read_entries(document, users, versions)
    ids = {i.reference or "": i.id for i in target.store.incidents.all_submitted()}
    user_ids = {u.username: u.id for u in target.store.users.list()}
    with target.store.transaction():
        added = import_entries(target.store, entries, ids, user_ids)
    assert (added.contacts, added.sign_offs, added.documents, added.copies) == (0, 0, 0, 0)
    assert _entries(target) == before[1]


def test_a_file_from_before_these_lists_still_imports(source: Session, target: Session) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    for key in _KEYS:
        del document[key]
    result = ExchangeService(target).import_document(document)
    assert result.records == len(document["incidents"])
    assert (
        result.parent_contacts, result.sign_offs, result.documents, result.parents_copies
    ) == (0, 0, 0, 0)  # fmt: skip
    assert all(entries == ([], [], [], []) for entries in _entries(target).values())
    assert target.store.audit.verify() == []


def _tamper_signed_version(document: dict[str, Any]) -> None:
    signed = document["sign_offs"][0]
    record = next(r for r in document["incidents"] if r["reference"] == signed["record"])
    version = record["versions"][signed["version"] - 1]
    version["details"]["what_happened"]["account"] += " Changed afterwards."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sign_offs"][0].update(version_sha256="0" * 64), "sign-off of record"),
        (_tamper_signed_version, "sign-off of record"),
        (lambda d: d["sign_offs"][0].update(version=99), "version 99 of record"),
        (lambda d: d["sign_offs"].append(d["sign_offs"][0]), "a second time"),
        (lambda d: d["parent_contacts"][0].update(record="2019-0999"), "record 2019-0999"),
        (lambda d: d["parent_contacts"][0].update(recorded_by="nobody"), "account 'nobody'"),
        (lambda d: d["parent_contacts"][0].update(at="2026-03-10T14:05:00+00:00"), "offset"),
        (lambda d: d["parent_contacts"][0].update(kind="pigeon"), "Contact with parents 1"),
        (lambda d: d["parents_copies"][0].update(version=99), "version 99 of record"),
        (lambda d: d["parents_copies"][0].update(how=None), "how it went"),
        (lambda d: d["parents_copies"][0].update(recorded_by="nobody"), "account 'nobody'"),
        (lambda d: d["documents"][0].update(sha256="xyz"), "Document 1 .*SHA-256"),
        (lambda d: d["documents"][0].update(at="2026-03-10T14:05:00"), "offset from UTC"),
        (lambda d: d.update(sign_offs={}), '"sign_offs" is not a list'),
    ],
)
def test_bad_entries_refuse_the_whole_file(
    source: Session, target: Session, change: Any, message: str
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    change(document)
    before = _state(target)
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


def test_a_tampered_sign_off_names_its_record(source: Session, target: Session) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    signed = document["sign_offs"][0]
    signed["version_sha256"] = "f" * 64
    with pytest.raises(BadImportFile) as caught:
        ExchangeService(target).import_document(document)
    assert str(caught.value).startswith(f"The sign-off of record {signed['record']} (version")
    assert "Nothing was imported" in str(caught.value)
