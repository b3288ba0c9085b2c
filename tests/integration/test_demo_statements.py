"""The demo's staff statements (issue 13) on the real encrypted store, and statements
through export and import: some written (a few in two versions), some with nothing to
add, some given on paper, the newest waiting and listed as outstanding for the
safeguarding lead (the demo account); the audit check stays clean; a file carries
every version and a changed statement is refused. Everyone here is fictional."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentQuery, Role, SchoolDetails
from incident_recorder.domain.statements import StatementKind
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.exchange import ExchangeService
from incident_recorder.services.session import Session
from incident_recorder.services.statements import StatementService
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("statements-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(vault, stores, FakeClock(), pupils=60, incidents=30)
    session = AccountService(vault, stores, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


def test_the_demo_has_statements_written_waiting_and_on_paper(demo: Session) -> None:
    store = demo.store
    ids = [r.id for r in store.incidents.search(IncidentQuery(limit=1000)).rows]
    requests = [r for i in ids for r in store.statements.requests_for_incident(i)]
    statements = [s for i in ids for s in store.statements.statements_for_incident(i)]
    kinds = Counter(s.kind for s in statements)
    assert kinds[StatementKind.ACCOUNT] >= 5, kinds
    assert any(s.version == 2 for s in statements)
    waiting = store.statements.waiting()
    assert waiting and len(waiting) < len(requests)
    assert store.audit.verify() == []
    assert demo.user.has(Role.SAFEGUARDING_LEAD)
    rows = StatementService(demo).outstanding()
    assert rows and all(r.school_days_waiting >= 1 for r in rows)
    assert all(r.reference and r.pupil_name and r.staff_name for r in rows)
    days = [r.school_days_waiting for r in rows]
    assert days == sorted(days, reverse=True)


def _fresh(folder: Path, full_name: str) -> Session:
    accounts = AccountService(FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder), FakeClock())
    return accounts.set_up(
        SetupRequest(
            school=SchoolDetails("Another Fictional School", "3 Pretend Street"),
            admin_full_name=full_name,
            admin_username=DEMO_USERNAME,
            admin_job_title="Headteacher",
            passphrase="quiet meadow lantern",
            extra_roles=frozenset({Role.SAFEGUARDING_LEAD}),
        )
    ).session


def test_statements_go_through_export_and_import_and_a_changed_one_is_refused(
    demo: Session, tmp_path: Path
) -> None:
    document = ExchangeService(demo).export()
    exported = document["statements"]
    assert exported and any(len(r["versions"]) == 2 for r in exported)
    changed = copy.deepcopy(document)
    victim = next(r for r in changed["statements"] if r["versions"])
    victim["versions"][0]["text"] = victim["versions"][0]["text"] + " (changed)"
    target = _fresh(tmp_path / "target", demo.user.full_name)
    try:
        with pytest.raises(BadImportFile, match="does not match its fingerprint"):
            ExchangeService(target).import_document(changed)
        result = ExchangeService(target).import_document(document)
        assert result.statements == sum(len(r["versions"]) for r in exported)
        assert ExchangeService(target).export()["statements"] == exported
        assert target.store.audit.verify() == []
    finally:
        target.close()
