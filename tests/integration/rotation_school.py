"""A small fictional school in a real data folder, for the key-rotation tests: three
accounts (one to be switched off), backups in the data folder and a second folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from incident_recorder.domain.model import BackupSettings, Role
from incident_recorder.services.accounts import SetupRequest
from incident_recorder.services.bundle import Services
from incident_recorder.services.ports import KdfParams
from incident_recorder.store import vault as vault_module
from incident_recorder.store.audit import SqlAuditLog
from incident_recorder.store.backup import BACKUPS_FOLDER, generations, open_read_only
from incident_recorder.store.connection import Connection
from incident_recorder.store.integrity import integrity_problems
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.wiring import Composition
from tests.fakes import SCHOOL

CHEAP = KdfParams(time_cost=1, memory_kib=8192)
ADMIN, ADMIN_PASS = "h.bashir", "tulip kettle harbour seven"
STAFF, STAFF_PASS = "b.okafor", "copper lantern morning rain"
LEAVER, LEAVER_PASS = "c.nguyen", "violet harbour stone eleven"


@dataclass
class RotationSchool:
    data_dir: Path
    second: Path
    composition: Composition
    services: Services
    old_key: bytes
    recovery_code: str

    @property
    def shelves(self) -> list[Path]:
        return [self.data_dir / BACKUPS_FOLDER, self.second]

    def generation_folders(self) -> list[Path]:
        return [shelf / g.name for shelf in self.shelves for g in generations(shelf)]


def build_school(root: Path, switch_off: bool = True) -> RotationSchool:
    data_dir, second = root / "data", root / "usb"
    data_dir.mkdir()
    second.mkdir()
    composition = Composition(data_dir, CHEAP)
    made = composition.accounts.set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Hana Bashir",
            admin_username=ADMIN,
            passphrase=ADMIN_PASS,
        )
    )
    services = composition.services(made.session)
    admin = services.user_admin
    assert admin is not None
    admin.add_user("Ben Okafor", STAFF, STAFF_PASS, frozenset({Role.STAFF}))
    leaver = admin.add_user("Cara Nguyen", LEAVER, LEAVER_PASS, frozenset({Role.STAFF}))
    services.backups.save_settings(BackupSettings(second_folder=str(second)))
    store = made.session.store
    for hour in (9, 10):
        generation = store.backups.make("manual", datetime(2026, 11, 2, hour, tzinfo=UTC))
        store.backups.copy_to(generation.name, str(second))
    if switch_off:
        admin.deactivate_user(leaver.id)
    return RotationSchool(
        data_dir, second, composition, services, bytes(made.session.data_key), made.recovery_code
    )


def counts(path: Path, key: bytes) -> dict[str, int]:
    """Each table's rows in the database at ``path`` opened with ``key`` (its write-ahead
    log too), after the integrity checks and the audit chain pass."""
    db = Connection.open(path, key)
    try:
        assert integrity_problems(db) == []
        assert SqlAuditLog(db).verify() == []
        names = [
            r[0]
            for r in db.all(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: int(db.scalar(f'SELECT count(*) FROM "{n}"')) for n in names}
    finally:
        db.close()


def opens(path: Path, key: bytes) -> bool:
    try:
        db = open_read_only(path, key)
    except sqlcipher3.DatabaseError:
        return False
    db.close()
    return True


def keys_from(keyring: Path, username: str, passphrase: str) -> bytes | None:
    """The data key ``username``'s passphrase unwraps from the keyring file at
    ``keyring`` (None when it opens nothing there)."""
    folder = keyring.parent
    if keyring.name != "keyring.json":
        copy = folder / "_probe" / "keyring.json"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(keyring.read_bytes())
        folder = copy.parent
    try:
        return FileKeyVault(folder, CHEAP).unlock(username, passphrase)
    except Exception:
        return None
    finally:
        if keyring.name != "keyring.json":
            (folder / "keyring.json").unlink()
            folder.rmdir()


def make_older_form(data_dir: Path, key: bytes, accounts: dict[str, str], code: str) -> None:
    """Rewrite the keyring as the previous version wrote it (format 1: the data key
    wrapped directly under each passphrase), for ``accounts`` and the recovery code."""
    vault = FileKeyVault(data_dir, CHEAP)
    current = vault._read()
    users = {
        name: vault._wrap(key, passphrase, current.vault_id, name)
        for name, passphrase in accounts.items()
    }
    recovery = vault._wrap(
        key, vault_module.normalise_recovery_code(code), current.vault_id, "#recovery"
    )
    # The same age as the keyring it replaces (its revision and the audit head it saw):
    # only the form of its entries is older.
    legacy = vault_module._Keyring(
        current.vault_id, users, recovery, None, seen=current.seen, revision=current.revision
    )
    raw = vault_module._serialise(legacy).replace(
        f'"format": {vault_module.FORMAT_VERSION}'.encode(), b'"format": 1'
    )
    (data_dir / "keyring.json").write_bytes(raw)
