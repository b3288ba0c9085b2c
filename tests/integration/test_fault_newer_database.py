"""A database written by a newer version of the app, through the services: signing in,
unlocking on a worker and ``verify``'s check all refuse it with DatabaseTooNew naming both
schema versions, and nothing in the data folder changes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.errors import DatabaseTooNew
from incident_recorder.domain.model import SchoolDetails
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.ports import KdfParams
from incident_recorder.store.migrate import MigrationSet
from incident_recorder.wiring import Composition

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)
PASSPHRASE = "copper harbour willow 7"
ADMIN = "h.bashir"
LATEST = MigrationSet.bundled().latest


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith((".log", ".lock"))
    }


@pytest.fixture
def newer(tmp_path: Path) -> tuple[Path, AccountService]:
    root = tmp_path / "data"
    built = Composition(root, CHEAP_KDF)
    made = built.accounts.set_up(
        SetupRequest(
            school=SchoolDetails(name="Fictional Rowan School", address="3 Imaginary Lane"),
            admin_full_name="Hafsa Bashir",
            admin_username=ADMIN,
            passphrase=PASSPHRASE,
        )
    )
    made.session.close()
    key = built.vault.unlock(ADMIN, PASSPHRASE)
    conn = sqlcipher3.connect(str(root / "incidents.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA user_version = {LATEST + 4}")
    conn.close()
    return root, Composition(root, CHEAP_KDF).accounts


WAYS: dict[str, Callable[[AccountService], object]] = {
    "sign in": lambda accounts: accounts.sign_in(ADMIN, PASSPHRASE),
    "unlock on a worker": lambda accounts: accounts.unlock(ADMIN, PASSPHRASE),
    "verify": lambda accounts: accounts.check_database(ADMIN, PASSPHRASE),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_a_newer_database_is_refused_naming_both_versions(
    newer: tuple[Path, AccountService], way: str
) -> None:
    root, accounts = newer
    before = _files(root)
    with pytest.raises(DatabaseTooNew) as refused:
        WAYS[way](accounts)
    assert (refused.value.found, refused.value.supported) == (LATEST + 4, LATEST)
    text = str(refused.value)
    assert f"schema version {LATEST + 4}" in text
    assert f"knows schema versions up to {LATEST}" in text
    assert "install the newer version of Incident Recorder that made it" in text
    assert _files(root) == before
    assert not (root / "incidents.db-wal").exists() and not (root / "incidents.db-shm").exists()
    assert not (root / "backups").exists()  # no backup "before migrating" either
