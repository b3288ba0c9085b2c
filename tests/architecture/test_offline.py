"""Incident Recorder is offline by design: with every socket refused, a school is set up,
a member of staff signs in, records an incident and submits it, on the fakes and on the
real encrypted store."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from incident_recorder.domain.model import IncidentQuery, NewPupil, Role
from incident_recorder.services.accounts import AccountService, SetupRequest, UserAdminService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.ports import KdfParams, KeyVault, StoreFactory
from tests.conftest_offline import (
    MARKER,
    NetworkBlocked,
    NetworkGuard,
    network_blocked,
    offline_env,
)
from tests.fakes import (
    INCIDENT_DAY,
    PASSPHRASE,
    SCHOOL,
    FakeClock,
    FakeStoreFactory,
    FakeVault,
    complete_details,
)

REPO = Path(__file__).resolve().parents[2]
CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)


def test_the_guard_refuses_every_way_out_and_remembers() -> None:
    with network_blocked() as guard:
        with pytest.raises(NetworkBlocked):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(NetworkBlocked):
            socket.socket()
        with pytest.raises(OSError):
            socket.create_connection(("192.0.2.1", 443), timeout=0.1)
        with pytest.raises(OSError):
            socket.getaddrinfo("example.org", 80)
        with contextlib.suppress(OSError):  # code that swallows the error is still caught
            socket.gethostbyname("example.org")
        a, b = socket.socketpair()  # local, not the network
        a.close()
        b.close()
    assert len(guard.attempts) == 5
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # restored afterwards


def _record_a_restraint_offline(vault: KeyVault, stores: StoreFactory) -> None:
    clock = FakeClock()
    accounts = AccountService(vault, stores, clock)
    setup = accounts.set_up(
        SetupRequest(SCHOOL, "Hana Bashir", "h.bashir", PASSPHRASE, extra_roles=frozenset())
    )
    UserAdminService(setup.session, vault).add_user(
        "Jo Adeyemi", "j.adeyemi", PASSPHRASE, frozenset({Role.STAFF}), "Teaching assistant"
    )
    setup.session.close()

    session = accounts.sign_in("j.adeyemi", PASSPHRASE)
    pupil = DirectoryService(session).quick_add_pupil(NewPupil("Amara", "Okafor"))
    incidents = IncidentService(session)
    draft = incidents.new_draft()
    assert session.user.staff_id is not None
    details = complete_details(pupil.id, session.user.staff_id, INCIDENT_DAY)
    incidents.save_draft(draft.id, details)
    done = incidents.submit(draft.id, details)
    assert done.reference == "2026-0001"
    moved = dataclasses.replace(
        details, when_where=dataclasses.replace(details.when_where, location="Hall")
    )
    assert incidents.amend(done.id, moved, "It was in the hall").version == 2
    assert incidents.search(IncidentQuery()).total == 1
    assert session.store.audit.verify() == []
    session.close()

    again = accounts.sign_in("j.adeyemi", PASSPHRASE)
    reopened = IncidentService(again).by_reference("2026-0001")
    assert reopened.details.when_where.location == "Hall"
    again.close()


def test_the_services_work_offline_on_the_fakes(no_network: NetworkGuard) -> None:
    _record_a_restraint_offline(FakeVault(), FakeStoreFactory())


def test_the_services_work_offline_on_the_real_encrypted_store(
    tmp_path: Path, no_network: NetworkGuard
) -> None:
    store = pytest.importorskip("incident_recorder.store")
    vault = store.FileKeyVault(tmp_path, CHEAP_KDF)
    _record_a_restraint_offline(vault, store.SqlStoreFactory(tmp_path))
    assert (tmp_path / store.DATABASE_NAME).is_file()


def test_a_subprocess_can_be_run_with_the_network_blocked(tmp_path: Path) -> None:
    env = offline_env(tmp_path / "guard")
    reach_out = "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=1)"
    tried = subprocess.run(
        [sys.executable, "-c", reach_out], env=env, capture_output=True, text=True, timeout=30
    )
    assert tried.returncode != 0
    assert MARKER in tried.stderr
    quiet = subprocess.run(
        [sys.executable, "-c", "import incident_recorder.domain.policy"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert quiet.returncode == 0 and MARKER not in quiet.stderr, quiet.stderr
