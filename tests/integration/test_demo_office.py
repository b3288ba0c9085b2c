"""The demo's School office account (issue 13) on the real encrypted store: Dana
Whitlow, office manager, signs in with the demo passphrase, holds the School office
role only, sees the parents' duties list (never a withheld record) and opens each
listed record's copy for parents, not the full record. Everyone here is fictional."""

from __future__ import annotations

import pytest

from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import IncidentQuery, ParentsStatus, Role
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_OFFICE, DEMO_PASSPHRASE, open_or_create_demo
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock, services_for
from tests.integration.conftest import CHEAP_KDF


def test_the_demo_office_account_works_the_parents_duties(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("office-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    result = open_or_create_demo(
        vault, stores, FakeClock(), load_pick_lists(), pupils=60, incidents=25
    )
    username, full_name, _title = DEMO_OFFICE
    [office] = [a for a in result.other_accounts if a.username == username]
    assert (office.full_name, office.roles) == (full_name, frozenset({Role.OFFICE}))
    session = AccountService(vault, stores, FakeClock()).sign_in(username, DEMO_PASSPHRASE)
    try:
        services = services_for(session)
        assert session.user.office_only
        assert services.incidents.search(IncidentQuery()).total == 0
        rows = services.parents.to_tell()
        assert rows and services.parents.to_tell_count() == len(rows)
        assert all(r.parents_status is not ParentsStatus.WITHHELD for r in rows)
        first = rows[0].incident_id
        doc = services.records.parents_copy(first)
        assert doc.for_parents and doc.latest.details.what_happened.account == ""
        with pytest.raises(NotAllowed, match="copy for parents, not the full record"):
            services.incidents.open(first)
    finally:
        session.close()
