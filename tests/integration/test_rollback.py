"""An older copy put back, on real encrypted files: an older incidents.db beside the
current keyring, and an older keyring.json beside the current database. Each is named
plainly at sign-in (having written nothing) and by ``verify``; accepting it is audited
and not asked again; a restore, a key rotation and a keyring from before this check
give no alarm. Every person here is fictional."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from incident_recorder.domain.backups import MANUAL
from incident_recorder.domain.errors import OlderCopyFound
from incident_recorder.domain.model import Role
from incident_recorder.domain.rollback import (
    DIFFERENT_HISTORY,
    OLDER_COPY_ACCEPTED,
    OLDER_DATABASE,
    OLDER_KEYRING,
)
from incident_recorder.store.backup import DATABASE_FILE, KEYRING_FILE
from incident_recorder.store.vault import FileKeyVault
from tests.integration.conftest import CHEAP_KDF, utc
from tests.integration.test_restore import PASSPHRASE, Folder, add_records, folder

__all__ = ["folder"]  # the fixture, shared with the restore drill

STAFF_PASSPHRASE = "another fictional passphrase"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _audit_actions(built_folder: Folder) -> list[str]:
    services = built_folder.sign_in()
    try:
        return [e.action for e in services.session.store.audit.entries(limit=50)]
    finally:
        services.close()


def _older_database(folder: Folder, tmp_path: Path, backup: bool = False) -> int:
    """Records added, the database copied aside, more added (and a backup made), then the
    old copy put back. Returns how many audit entries the old copy lacks."""
    services = folder.sign_in()
    add_records(services, 2)
    services.close()
    aside = tmp_path / "aside.db"
    shutil.copy2(folder.root / DATABASE_FILE, aside)
    services = folder.sign_in()
    add_records(services, 3, first_day=10)
    if backup:
        assert services.backups.back_up(MANUAL).made is not None
    services.close()
    seen = FileKeyVault(folder.root).seen()
    assert seen is not None
    shutil.copy2(aside, folder.root / DATABASE_FILE)
    old_head = _head_of(folder)
    return seen.seq - old_head


def _head_of(folder: Folder) -> int:
    from incident_recorder.store.connection import Connection

    key = FileKeyVault(folder.root).unlock("h.bashir", PASSPHRASE)
    db = Connection.open_read_only(folder.root / DATABASE_FILE, key)
    try:
        return int(db.scalar("SELECT max(seq) FROM audit") or 0)
    finally:
        db.close()


def test_an_older_database_beside_the_current_keyring_is_named_and_nothing_is_written(
    folder: Folder, tmp_path: Path
) -> None:
    missing = _older_database(folder, tmp_path, backup=True)
    assert missing > 5  # three records' worth of entries, a sign-in, the backup
    before = _digest(folder.root / DATABASE_FILE)

    report = folder.built.accounts.check_database("h.bashir", PASSPHRASE)
    assert not report.sound
    assert f"so {missing} entries of the log" in report.problems[0]
    assert "older copy" in report.problems[0]

    with pytest.raises(OlderCopyFound) as refused:
        folder.built.accounts.sign_in("h.bashir", PASSPHRASE)
    found = refused.value.found
    assert found.kind == OLDER_DATABASE and found.missing == missing
    assert f"{missing} entries" in str(refused.value)
    assert found.seen_at is not None and f"{found.seen_at:%d/%m/%Y at %H:%M}" in str(refused.value)
    # the newest backup that holds the missing entries is named
    assert found.backup is not None and found.backup.name in str(refused.value)
    assert found.backup.audit_seq >= found.seen_seq
    assert _digest(folder.root / DATABASE_FILE) == before  # verify and sign-in wrote nothing

    accepted = folder.built.accounts.sign_in("h.bashir", PASSPHRASE, accept_older_copy=True)
    entries = accepted.store.audit.entries(limit=5)
    assert [e.action for e in entries[:2]] == ["sign_in", OLDER_COPY_ACCEPTED]
    assert f"the keyring had seen entry {found.seen_seq}" in entries[1].detail
    accepted.close()

    # not asked again
    assert folder.built.accounts.check_database("h.bashir", PASSPHRASE).sound
    assert _audit_actions(folder)[0] == "sign_in"


def test_an_older_copy_used_afterwards_is_a_different_history(
    folder: Folder, tmp_path: Path
) -> None:
    missing = _older_database(folder, tmp_path)
    # the old copy written to by something that did not check (an older app, say) until
    # its chain is as long as the one the keyring saw
    key = FileKeyVault(folder.root).unlock("h.bashir", PASSPHRASE)
    store = folder.built.stores.open(key)
    try:
        for n in range(missing + 1):
            store.audit.append(None, "view", utc(2026, 4, 1, 9, n))
    finally:
        store.close()

    with pytest.raises(OlderCopyFound) as refused:
        folder.built.accounts.sign_in("h.bashir", PASSPHRASE)
    assert refused.value.found.kind == DIFFERENT_HISTORY
    assert "its history has gone another way" in str(refused.value)


def test_an_older_keyring_beside_the_current_database_is_named(
    folder: Folder, tmp_path: Path
) -> None:
    services = folder.sign_in()
    admin = services.services.user_admin
    assert admin is not None
    leaver = admin.add_user("Lena Leaver", "l.leaver", STAFF_PASSPHRASE, frozenset({Role.STAFF}))
    services.close()
    older = tmp_path / "keyring-with-leaver.json"
    shutil.copy2(folder.root / KEYRING_FILE, older)
    services = folder.sign_in()
    admin = services.services.user_admin
    assert admin is not None
    admin.deactivate_user(leaver.id)  # the leaver's copy of the key is gone
    services.close()
    shutil.copy2(older, folder.root / KEYRING_FILE)  # ... and back again
    before = _digest(folder.root / DATABASE_FILE)

    with pytest.raises(OlderCopyFound) as refused:
        folder.built.accounts.sign_in("h.bashir", PASSPHRASE)
    assert refused.value.found.kind == OLDER_KEYRING
    assert "The keyring file (keyring.json) in the data folder is an older copy" in str(
        refused.value
    )
    assert "switched off since" in str(refused.value)
    report = folder.built.accounts.check_database("h.bashir", PASSPHRASE)
    assert any("keyring.json" in p and "older copy" in p for p in report.problems)
    assert _digest(folder.root / DATABASE_FILE) == before

    folder.built.accounts.sign_in("h.bashir", PASSPHRASE, accept_older_copy=True).close()
    folder.built.accounts.sign_in("h.bashir", PASSPHRASE).close()  # not asked again


def test_after_a_restore_the_next_sign_in_has_no_alarm(folder: Folder) -> None:
    services = folder.sign_in()
    add_records(services, 2)
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    add_records(services, 3, first_day=10)  # the keyring sees a longer chain than the backup's
    services.close()

    restore = folder.built.restore
    unlocked = restore.unlock(restore.backups()[0], "h.bashir", PASSPHRASE)
    restore.restore(unlocked)

    vault = FileKeyVault(folder.root)
    seen = vault.seen()
    assert seen is not None and seen.seq == _head_of(folder)
    services = folder.sign_in()  # no OlderCopyFound
    services.close()
    assert folder.built.accounts.check_database("h.bashir", PASSPHRASE).sound


def test_a_restore_puts_back_the_backups_keyring_when_the_current_one_is_older(
    folder: Folder, tmp_path: Path
) -> None:
    older = tmp_path / "older-keyring.json"
    shutil.copy2(folder.root / KEYRING_FILE, older)
    services = folder.sign_in()
    admin = services.services.user_admin
    assert admin is not None
    admin.add_user("Sam Staffer", "s.staffer", STAFF_PASSPHRASE, frozenset({Role.STAFF}))
    assert services.backups.back_up(MANUAL).made is not None
    services.close()
    shutil.copy2(older, folder.root / KEYRING_FILE)

    restore = folder.built.restore
    unlocked = restore.unlock(restore.backups()[0], "h.bashir", PASSPHRASE)
    assert not unlocked.keep_current_keyring  # the older keyring is not kept
    assert restore.restore(unlocked).keyring_replaced
    folder.built.accounts.sign_in("s.staffer", STAFF_PASSPHRASE).close()


def test_rotating_the_key_then_signing_in_has_no_alarm(folder: Folder) -> None:
    services = folder.sign_in()
    admin = services.services.user_admin
    assert admin is not None
    admin.add_user("Sam Staffer", "s.staffer", STAFF_PASSPHRASE, frozenset({Role.STAFF}))
    revision = FileKeyVault(folder.root).revision()
    rotation = services.services.key_rotation
    assert rotation is not None
    rotation.rotate()
    services.close()
    assert FileKeyVault(folder.root).revision() == revision + 1
    services = folder.sign_in()  # no OlderCopyFound: the rotated keyring carried it on
    latest = services.session.store.audit.latest("keyring_changed")
    assert latest is not None and latest.detail == f"revision {revision + 1}"
    services.close()
    assert folder.built.accounts.check_database("h.bashir", PASSPHRASE).sound


def test_a_keyring_from_before_the_check_opens(folder: Folder) -> None:
    path = folder.root / KEYRING_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "seen" in doc and doc["revision"] >= 1
    del doc["seen"], doc["revision"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    vault = FileKeyVault(folder.root, CHEAP_KDF)
    assert vault.seen() is None and vault.revision() == 0

    services = folder.sign_in()  # no alarm: nothing to compare yet
    services.close()
    seen = FileKeyVault(folder.root).seen()
    assert seen is not None and seen.seq == _head_of(folder)  # remembered from now on
    assert FileKeyVault(folder.root).revision() == 0  # remembering is not a change


def test_remembering_never_fails_a_sign_in(folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    from incident_recorder.domain.errors import FileNotWritten
    from incident_recorder.store import vault as vault_module

    def refuse(path: Path, data: bytes | str) -> None:
        raise FileNotWritten(str(path), "the folder cannot be written to")

    before = _digest(folder.root / KEYRING_FILE)
    monkeypatch.setattr(vault_module, "write_private", refuse)
    services = folder.sign_in()
    add_records(services, 1)
    services.close()
    assert _digest(folder.root / KEYRING_FILE) == before


def test_a_backup_made_after_the_session_closed_is_remembered(folder: Folder) -> None:
    from incident_recorder.domain.backups import LOCK

    services = folder.sign_in()
    add_records(services, 1)
    later = services.services.for_later()  # as the app does when it locks
    services.close()
    closed_at = FileKeyVault(folder.root).seen()
    worker = later.open()
    assert worker.backups.back_up(LOCK).made is not None  # audited: one more entry
    worker.close()
    seen = FileKeyVault(folder.root).seen()
    assert closed_at is not None and seen is not None
    assert seen.seq == closed_at.seq + 1 == _head_of(folder)


def test_restoring_an_older_keyring_alone_is_followed_by_no_alarm(folder: Folder) -> None:
    services = folder.sign_in()
    made = services.backups.back_up(MANUAL).made
    assert made is not None
    admin = services.services.user_admin
    assert admin is not None
    admin.add_user("Sam Staffer", "s.staffer", STAFF_PASSPHRASE, frozenset({Role.STAFF}))
    add_records(services, 2)  # the database moves on after the backup
    services.close()
    (folder.root / KEYRING_FILE).unlink()

    restore = folder.built.restore
    generation = next(g for g in restore.backups() if g.name == made.name)
    restore.restore_keyring(restore.unlock(generation, "h.bashir", PASSPHRASE))

    services = folder.sign_in()  # no OlderCopyFound: the restore kept the two in step
    services.close()
    assert "keyring_restored" in _audit_actions(folder)
    assert folder.built.accounts.check_database("h.bashir", PASSPHRASE).sound
