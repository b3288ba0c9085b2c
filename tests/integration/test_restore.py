"""The restore drill on real encrypted files: back up, add records, restore, and the
row counts and audit-chain heads are the backup's; the database it replaced is kept
aside; a damaged backup changes nothing; a new PC is restored from the second copy with
the recovery code. Every person here is fictional."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.backups import MANUAL
from incident_recorder.domain.errors import InvalidInput, WrongPassphrase
from incident_recorder.domain.model import NewPupil, SchoolDetails
from incident_recorder.services.accounts import SetupRequest
from incident_recorder.services.backups import BackupService
from incident_recorder.services.bundle import Services
from incident_recorder.services.integrity import IntegrityService
from incident_recorder.services.restore import BackupNotRestorable
from incident_recorder.services.session import Session
from incident_recorder.store.backup import DATABASE_FILE, KEYRING_FILE
from incident_recorder.store.database import SqlStore
from incident_recorder.wiring import Composition
from tests.integration.conftest import CHEAP_KDF, School, utc

PASSPHRASE = "a long fictional passphrase"


@dataclass
class Folder:
    root: Path
    built: Composition
    recovery_code: str

    def sign_in(self, passphrase: str = PASSPHRASE) -> SignedIn:
        session = self.built.accounts.sign_in("h.bashir", passphrase)
        return SignedIn(self.built.services(session), session)


@dataclass
class SignedIn:
    services: Services
    session: Session

    @property
    def backups(self) -> BackupService:
        return self.services.backups

    @property
    def integrity(self) -> IntegrityService:
        return self.services.integrity

    def close(self) -> None:
        self.services.close()


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    root = tmp_path / "data"
    built = Composition(root, CHEAP_KDF)
    result = built.accounts.set_up(
        SetupRequest(
            school=SchoolDetails(name="Fictional Rowan School", address="3 Imaginary Lane"),
            admin_full_name="Hafsa Bashir",
            admin_username="h.bashir",
            passphrase=PASSPHRASE,
        )
    )
    result.session.close()
    yield Folder(root, built, result.recovery_code)


def add_records(services: SignedIn, how_many: int, first_day: int = 2) -> None:
    store = services.session.store
    user = services.session.user
    with store.transaction():
        staff = store.staff.add("Tomasz Teacherly", "Class teacher")
        pupil = store.pupils.add(NewPupil("Zoë", "Fabricated", year_group="5"))
    assert isinstance(store, SqlStore)
    school = School(store, user, user, user, staff, staff, [pupil])
    for n in range(how_many):
        day = first_day + n
        school.submit(user, school.details(pupil, day=date(2026, 3, day)), utc(2026, 3, day))


def counts(path: Path, key: bytes) -> tuple[int, int, int, str]:
    """(records, record versions, audit entries, the chain head's hash) read straight
    from the file."""
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        records = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM incident_versions").fetchone()[0]
        seq, head = conn.execute(
            "SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return records, versions, seq, head
    finally:
        conn.close()


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "incident-recorder.log"
    }


def test_the_restore_drill(folder: Folder) -> None:
    services = folder.sign_in()
    add_records(services, 3)
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    key = bytes(services.session.data_key)
    backup_db = folder.root / "backups" / made.name / DATABASE_FILE
    at_backup = counts(backup_db, key)
    add_records(services, 4, first_day=10)
    services.close()
    before = counts(folder.root / DATABASE_FILE, key)
    assert before[0] == at_backup[0] + 4

    restore = folder.built.restore
    generation = restore.backups()[0]
    assert generation.name == made.name
    unlocked = restore.unlock(generation, "h.bashir", PASSPHRASE)
    assert restore.check(unlocked) == []
    outcome = restore.restore(unlocked)

    after = counts(folder.root / DATABASE_FILE, key)
    assert after[:2] == at_backup[:2]  # the records and versions of the backup
    assert after[2] == at_backup[2] + 1  # and one more audit entry: the restore
    assert outcome.restored.audit_hash == at_backup[3]
    assert outcome.before is not None and outcome.before.records == before[0]
    kept = Path(outcome.replaced.folder)
    assert kept.parent == folder.root / "replaced"
    assert counts(kept / DATABASE_FILE, key) == before  # the replaced one, whole
    assert not outcome.keyring_replaced

    services = folder.sign_in()
    try:
        report = services.integrity.check()
        assert list(report.problems) == []
        entries = services.session.store.audit.entries(limit=10)
        restore_entry = next(e for e in entries if e.action == "restore")
        assert restore_entry.seq == at_backup[2] + 1
        assert made.name in restore_entry.detail
        assert f"{before[0]} records" in restore_entry.detail
        assert restore_entry.actor_id == services.session.user.id
    finally:
        services.close()


def test_a_damaged_backup_changes_nothing(folder: Folder) -> None:
    services = folder.sign_in()
    add_records(services, 2)
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    services.close()
    backup_db = folder.root / "backups" / made.name / DATABASE_FILE
    data = bytearray(backup_db.read_bytes())
    data[len(data) - 2000] ^= 0x5A  # a flipped byte in the last page
    backup_db.write_bytes(bytes(data))
    untouched = digest(folder.root)

    restore = folder.built.restore
    unlocked = restore.unlock(restore.find(str(backup_db)), "h.bashir", PASSPHRASE)
    assert restore.check(unlocked) != []
    with pytest.raises(BackupNotRestorable, match="nothing was changed"):
        restore.restore(unlocked)
    assert digest(folder.root) == untouched
    assert not (folder.root / "replaced").exists()


def test_a_new_pc_is_restored_from_the_second_copy_with_the_recovery_code(
    folder: Folder, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    services = folder.sign_in()
    add_records(services, 3)
    outcome = services.backups.back_up(MANUAL)
    assert outcome.made is not None
    copied = services.backups.copy_to(outcome.made, str(usb))
    key = bytes(services.session.data_key)
    held = counts(usb / copied.name / DATABASE_FILE, key)
    services.close()

    new_pc = Composition(tmp_path / "new-pc", CHEAP_KDF)
    restore = new_pc.restore
    assert restore.backups() == []
    found = restore.backups(str(usb))
    assert [g.name for g in found] == [copied.name]
    with pytest.raises(WrongPassphrase):
        restore.unlock_with_recovery_code(found[0], "2BC6-395D-943B-14FF-4445-805C")
    unlocked = restore.unlock_with_recovery_code(found[0], folder.recovery_code)
    (tmp_path / "new-pc").mkdir()
    done = restore.restore(unlocked)
    assert done.keyring_replaced and done.replaced.folder == ""
    assert counts(tmp_path / "new-pc" / DATABASE_FILE, key)[:2] == held[:2]

    signed_in = new_pc.services(new_pc.accounts.sign_in("h.bashir", PASSPHRASE))
    try:
        assert list(signed_in.integrity.check().problems) == []
    finally:
        signed_in.close()


def test_a_passphrase_changed_since_the_backup_puts_the_backups_keyring_back(
    folder: Folder,
) -> None:
    services = folder.sign_in()
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    services.close()
    new_passphrase = "another fictional passphrase"
    folder.built.vault.change_passphrase("h.bashir", PASSPHRASE, new_passphrase)
    current_keyring = (folder.root / KEYRING_FILE).read_bytes()

    restore = folder.built.restore
    unlocked = restore.unlock(restore.backups()[0], "h.bashir", PASSPHRASE)
    assert not unlocked.keep_current_keyring
    done = restore.restore(unlocked)
    assert done.keyring_replaced
    assert (Path(done.replaced.folder) / KEYRING_FILE).read_bytes() == current_keyring
    folder.sign_in(PASSPHRASE).close()  # the passphrase the backup knew


def test_not_a_backup_is_named_plainly(folder: Folder, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not an Incident Recorder backup"):
        folder.built.restore.find(str(tmp_path))


def test_a_backup_from_a_newer_app_is_refused_naming_both_versions(folder: Folder) -> None:
    services = folder.sign_in()
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    key = bytes(services.session.data_key)
    services.close()
    backup_db = folder.root / "backups" / made.name / DATABASE_FILE
    conn = sqlcipher3.connect(str(backup_db))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    restore = folder.built.restore
    unlocked = restore.unlock(restore.backups()[0], "h.bashir", PASSPHRASE)
    problems = restore.check(unlocked)
    assert len(problems) == 1 and "version 999" in problems[0]
    assert f"up to version {made.schema}" in problems[0]


def test_a_full_disk_while_copying_the_backup_in_changes_nothing(
    folder: Folder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup is copied in under a hidden name before anything is moved: cut short
    there (a full disk), the data folder is as it was and the message says why."""
    services = folder.sign_in()
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    services.close()
    untouched = digest(folder.root)
    import incident_recorder.store.restore as restore_module

    def full_disk(source: Path, target: Path) -> None:
        target.write_bytes(source.read_bytes()[:4096])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_module, "copy_file", full_disk)
    restore = folder.built.restore
    unlocked = restore.unlock(restore.backups()[0], "h.bashir", PASSPHRASE)
    with pytest.raises(BackupNotRestorable, match=r"disk is full.*Nothing was changed"):
        restore.restore(unlocked)
    assert digest(folder.root) == untouched
    assert not (folder.root / "replaced").exists()


# ---------------------------------------------------------------------- the keyring alone


def test_a_missing_keyring_is_named_and_never_offers_set_up(folder: Folder) -> None:
    from incident_recorder.domain.errors import KeyringMissing

    (folder.root / KEYRING_FILE).unlink()
    accounts = folder.built.accounts
    assert accounts.keyring_missing() and not accounts.is_set_up()
    with pytest.raises(KeyringMissing, match=r"keyring file \(keyring.json\) that unlocks"):
        accounts.sign_in("h.bashir", PASSPHRASE)
    with pytest.raises(KeyringMissing):
        accounts.require_set_up(str(folder.root))


def test_restore_keyring_from_a_backup_then_sign_in(folder: Folder) -> None:
    services = folder.sign_in()
    add_records(services, 2)
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    key = bytes(services.session.data_key)
    add_records(services, 1, first_day=10)  # made after the backup: still there after
    services.close()
    before = counts(folder.root / DATABASE_FILE, key)
    (folder.root / KEYRING_FILE).unlink()

    restore = folder.built.restore
    generation = restore.backups()[0]
    with pytest.raises(WrongPassphrase):
        restore.unlock(generation, "h.bashir", "not the passphrase")
    unlocked = restore.unlock_with_recovery_code(generation, folder.recovery_code)
    outcome = restore.restore_keyring(unlocked)
    assert outcome.replaced.folder == ""  # there was no keyring to keep aside
    import json

    restored = json.loads((folder.root / KEYRING_FILE).read_text())
    backup = json.loads((folder.root / "backups" / made.name / KEYRING_FILE).read_text())
    for part in ("vault_id", "users", "recovery"):  # the backup's entries, as they were
        assert restored[part] == backup[part]

    services = folder.sign_in()
    try:
        after = counts(folder.root / DATABASE_FILE, key)
        assert after[0] == before[0]  # no record lost: only the keyring was put back
        (entry,) = [
            e for e in services.session.store.audit.entries(limit=5)
            if e.action == "keyring_restored"
        ]  # fmt: skip
        assert made.name in entry.detail and "recovery code" in entry.detail
    finally:
        services.close()


def test_restore_keyring_refuses_a_key_the_records_were_rotated_away_from(
    folder: Folder, tmp_path: Path
) -> None:
    import shutil

    services = folder.sign_in()
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    services.close()
    # An old backup kept somewhere key rotation did not reach (a drawer's USB stick).
    drawer = tmp_path / "drawer"
    shutil.copytree(folder.root / "backups" / made.name, drawer / made.name)
    services = folder.sign_in()
    rotation = services.services.key_rotation
    assert rotation is not None
    rotation.rotate()
    services.close()
    keyring = folder.root / KEYRING_FILE
    keyring.write_text("damaged")
    database = (folder.root / DATABASE_FILE).read_bytes()

    restore = folder.built.restore
    generation = next(g for g in restore.backups(str(drawer)) if g.location == str(drawer))
    unlocked = restore.unlock(generation, "h.bashir", PASSPHRASE)
    with pytest.raises(BackupNotRestorable, match="does not unlock the records") as refused:
        restore.restore_keyring(unlocked)
    assert "restore the whole backup" in str(refused.value)
    assert keyring.read_text() == "damaged"  # nothing written
    assert (folder.root / DATABASE_FILE).read_bytes() == database
    assert not (folder.root / "replaced").exists()
