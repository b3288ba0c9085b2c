"""Key rotation on real encrypted files: after an account is switched off, the database,
every backup and the keyring are under a new key, and the switched-off person's old
passphrase opens nothing that survives. Everyone here is fictional."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from incident_recorder.domain.errors import (
    DatabaseDamaged,
    InvalidInput,
    NotAllowed,
    WrongPassphrase,
)
from incident_recorder.services.progress import NO_PROGRESS
from incident_recorder.store import rotation
from incident_recorder.store.backup import DATABASE_FILE, KEYRING_FILE
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.wiring import Composition
from tests.integration.rotation_school import (
    ADMIN,
    ADMIN_PASS,
    CHEAP,
    LEAVER,
    LEAVER_PASS,
    STAFF,
    STAFF_PASS,
    build_school,
    counts,
    keys_from,
    make_older_form,
    opens,
)


class Steps:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def step(self, done: int, total: int, text: str = "") -> None:
        self.texts.append(text)

    def cancelled(self) -> bool:
        return False


def every_keyring(school_dir: Path, shelves: list[Path]) -> list[Path]:
    found = [school_dir / KEYRING_FILE]
    for shelf in shelves:
        found += sorted(shelf.glob(f"*/{KEYRING_FILE}"))
    return found


def test_rotation_re_encrypts_the_database_and_every_backup(tmp_path: Path) -> None:
    school = build_school(tmp_path)
    database = school.data_dir / DATABASE_FILE
    before = counts(database, school.old_key)
    folders = school.generation_folders()
    assert len(folders) == 4
    # Before: the switched-off person's old passphrase still opens the backups' keyrings.
    leaked = [keys_from(f / KEYRING_FILE, LEAVER, LEAVER_PASS) for f in folders]
    assert leaked == [school.old_key] * 4

    rotation_service = school.services.key_rotation
    assert rotation_service is not None
    steps = Steps()
    outcome = rotation_service.rotate(progress=steps)

    assert sorted(outcome.rotated_backups) == sorted(str(f) for f in folders)
    assert outcome.not_rotated == () and outcome.unreachable == ()
    assert outcome.accounts == (STAFF, ADMIN)  # sorted by username
    assert outcome.recovery_code == ""  # the recovery slot was sealed to again
    assert "Copying the backups under the new key" in steps.texts
    # The new key is forgotten by the outcome; the session holds it.
    assert not any(outcome.new_key)
    new_key = FileKeyVault(school.data_dir, CHEAP).unlock(STAFF, STAFF_PASS)
    assert new_key != school.old_key
    assert bytes(school.services._session.data_key) == new_key

    # Everything that survives opens with the new key only, and holds the same rows.
    after = counts(database, new_key)
    assert after == {**before, "audit": before["audit"] + 1}
    assert not opens(database, school.old_key)
    for folder in school.generation_folders():
        assert opens(folder / DATABASE_FILE, new_key)
        assert not opens(folder / DATABASE_FILE, school.old_key)
    # The old passphrase opens no keyring that survives; today's passphrases open all.
    for keyring in every_keyring(school.data_dir, school.shelves):
        assert keys_from(keyring, LEAVER, LEAVER_PASS) is None
        assert keys_from(keyring, STAFF, STAFF_PASS) == new_key
        assert keyring.read_bytes().count(b'"username"') == 2
    # Nothing half-done is left behind.
    leftovers = [
        p.name for p in tmp_path.rglob("*") if ".rotating" in p.name or "retired" in p.name
    ]
    assert leftovers == []
    assert not (school.data_dir / rotation.JOURNAL_NAME).exists()

    # The session carries on under the new key, and the rotation is audited.
    head = school.services._session.store.audit.head()
    assert head is not None and head.action == "key_rotated"
    assert school.services._session.store.audit.verify() == []
    # Everyone left signs in; the recovery code still works.
    accounts = Composition(school.data_dir, CHEAP).accounts
    accounts.sign_in(STAFF, STAFF_PASS).close()
    with pytest.raises(WrongPassphrase):
        accounts.sign_in(LEAVER, LEAVER_PASS)
    assert (
        FileKeyVault(school.data_dir, CHEAP).unlock_with_recovery_code(school.recovery_code)
        == new_key
    )


def test_the_audit_entry_says_what_was_rotated_and_what_was_not(tmp_path: Path) -> None:
    school = build_school(tmp_path)
    service = school.services.key_rotation
    assert service is not None
    school.second.rename(tmp_path / "usb-unplugged")
    plan = service.plan()
    assert plan.second_folder == str(school.second) and not plan.second_reachable
    outcome = service.rotate()
    assert outcome.unreachable == (str(school.second),)
    assert len(outcome.rotated_backups) == 2
    entry = school.services._session.store.audit.head()
    assert entry is not None and entry.action == "key_rotated"
    assert entry.detail == "database and 2 backups re-encrypted; 1 backup folder(s) not reachable"


def test_backups_the_old_key_does_not_open_are_listed_and_can_be_deleted(
    tmp_path: Path,
) -> None:
    school = build_school(tmp_path)
    service = school.services.key_rotation
    assert service is not None
    service.rotate()  # the first rotation
    # A backup under a key this school no longer has, brought back (say, from a drive
    # kept in a drawer): another school's backup stands in for it.
    other_root = tmp_path / "other"
    other_root.mkdir()
    kept = build_school(other_root).generation_folders()[0]
    stale = school.second / kept.name.replace("20261102", "20261001")
    shutil.copytree(kept, stale)
    listed = service.old_backups()
    assert [n.path for n in listed] == [str(stale)]
    outcome = service.rotate()
    assert [n.path for n in outcome.not_rotated] == [str(stale)]
    assert "earlier key" in outcome.not_rotated[0].reason
    assert service.delete_backups([str(stale)]) == []
    assert not stale.exists()
    assert service.old_backups() == []
    with pytest.raises(InvalidInput):
        service.delete_backups([str(school.generation_folders()[0])])  # a current one


def test_a_failure_before_the_commit_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = build_school(tmp_path)
    database = school.data_dir / DATABASE_FILE
    keyring_before = (school.data_dir / KEYRING_FILE).read_bytes()
    rows_before = counts(database, school.old_key)
    service = school.services.key_rotation
    assert service is not None

    def broken(*_args: object, **_kwargs: object) -> None:
        raise rotation.RotationFailed("The copy did not read back the same. Nothing changed.")

    monkeypatch.setattr(rotation, "_verify", broken)
    with pytest.raises(rotation.RotationFailed):
        service.rotate(progress=NO_PROGRESS)
    assert (school.data_dir / KEYRING_FILE).read_bytes() == keyring_before
    assert counts(database, school.old_key) == rows_before
    for folder in school.generation_folders():
        assert opens(folder / DATABASE_FILE, school.old_key)
    leftovers = [p.name for p in tmp_path.rglob("*") if ".rotating" in p.name]
    assert leftovers == []
    assert not (school.data_dir / rotation.JOURNAL_NAME).exists()
    # The session carries on under the old key.
    assert school.services._session.store.users.by_username(STAFF) is not None
    assert bytes(school.services._session.data_key) == school.old_key


def test_only_an_administrator_may_rotate(tmp_path: Path) -> None:
    school = build_school(tmp_path)
    staff_session = school.composition.accounts.sign_in(STAFF, STAFF_PASS)
    services = school.composition.services(staff_session)
    assert services.key_rotation is not None
    with pytest.raises(NotAllowed):
        services.key_rotation.plan()
    with pytest.raises(NotAllowed):
        services.key_rotation.rotate()
    services.close()


# ------------------------------------------------------------------ older keyrings


def test_older_entries_are_upgraded_at_sign_in_and_listed_at_rotation(tmp_path: Path) -> None:
    school = build_school(tmp_path, switch_off=False)
    school.services.close()
    make_older_form(
        school.data_dir,
        school.old_key,
        {ADMIN: ADMIN_PASS, STAFF: STAFF_PASS, LEAVER: LEAVER_PASS},
        school.recovery_code,
    )
    vault = FileKeyVault(school.data_dir, CHEAP)
    assert json.loads((school.data_dir / KEYRING_FILE).read_text())["format"] == 1
    assert vault.entry_forms() == {ADMIN: False, STAFF: False, LEAVER: False, "#recovery": False}
    # The older form still opens; the administrator's sign-in upgrades that entry only.
    accounts = Composition(school.data_dir, CHEAP).accounts
    session = accounts.sign_in(ADMIN, ADMIN_PASS)
    assert vault.entry_forms() == {ADMIN: True, STAFF: False, LEAVER: False, "#recovery": False}
    services = school.composition.services(session)
    admin = services.user_admin
    assert admin is not None
    leaver = session.store.users.by_username(LEAVER)
    assert leaver is not None
    admin.deactivate_user(leaver.id)
    service = services.key_rotation
    assert service is not None
    plan = service.plan()
    assert plan.ready == (ADMIN,)
    assert [(w.username, w.full_name) for w in plan.need_passphrase] == [(STAFF, "Ben Okafor")]
    assert not plan.recovery_ready
    with pytest.raises(InvalidInput, match=r"b\.okafor"):
        service.begin({})
    with pytest.raises(InvalidInput, match=r"temporary passphrase for b\.okafor"):
        service.begin({STAFF: "short"})
    temporary = "amber willow chalk ninety"
    outcome = service.rotate({STAFF: temporary})
    assert outcome.temporary == (STAFF,)
    assert outcome.recovery_code  # the recovery slot was of the older form: a new code
    assert vault.entry_forms() == {ADMIN: True, STAFF: True, "#recovery": True}
    new_key = vault.unlock(STAFF, temporary)
    assert vault.unlock_with_recovery_code(outcome.recovery_code) == new_key
    with pytest.raises(WrongPassphrase):
        vault.unlock(STAFF, STAFF_PASS)
    with pytest.raises(WrongPassphrase):
        vault.unlock_with_recovery_code(school.recovery_code)
    services.close()


def test_the_recovery_slot_is_upgraded_when_the_code_is_used(tmp_path: Path) -> None:
    school = build_school(tmp_path, switch_off=False)
    school.services.close()
    make_older_form(school.data_dir, school.old_key, {ADMIN: ADMIN_PASS}, school.recovery_code)
    accounts = Composition(school.data_dir, CHEAP).accounts
    accounts.reset_passphrase_with_recovery_code(
        school.recovery_code, STAFF, "amber willow chalk ninety"
    )
    vault = FileKeyVault(school.data_dir, CHEAP)
    assert vault.entry_forms()["#recovery"] is True
    assert vault.unlock_with_recovery_code(school.recovery_code) == school.old_key


def test_a_damaged_sealed_part_is_not_a_wrong_passphrase(tmp_path: Path) -> None:
    school = build_school(tmp_path, switch_off=False)
    path = school.data_dir / KEYRING_FILE
    doc = json.loads(path.read_text())
    entry = next(u for u in doc["users"] if u["username"] == STAFF)
    sealed = bytearray(entry["x25519"]["sealed_key"].encode())
    sealed[5] = ord("A") if sealed[5] != ord("A") else ord("B")
    entry["x25519"]["sealed_key"] = sealed.decode()
    checked = json.dumps(doc)
    # A keyring of format 2 (no per-entry check): the passphrase is tried first.
    doc["format"] = 2
    for each in [*doc["users"], doc["recovery"]]:
        del each["check"]
    path.write_text(json.dumps(doc))
    vault = FileKeyVault(school.data_dir, CHEAP)
    with pytest.raises(DatabaseDamaged, match="passphrase is right"):
        vault.unlock(STAFF, STAFF_PASS)
    with pytest.raises(WrongPassphrase):
        vault.unlock(STAFF, "not the passphrase at all")
    assert vault.unlock(ADMIN, ADMIN_PASS) == school.old_key  # only that entry
    # Since format 3 the entry's check finds the damage before any passphrase is tried.
    path.write_text(checked)
    with pytest.raises(DatabaseDamaged, match="account's entry in the keyring is damaged"):
        vault.unlock(STAFF, STAFF_PASS)
    assert vault.unlock(ADMIN, ADMIN_PASS) == school.old_key


def test_a_database_kept_aside_by_a_restore_is_re_encrypted_too(tmp_path: Path) -> None:
    school = build_school(tmp_path)
    # A restore keeps the database it replaced, with its keyring, in replaced/<when>/.
    kept = school.data_dir / rotation.REPLACED_FOLDER / "20261103-120000"
    kept.mkdir(parents=True)
    first = school.generation_folders()[0]
    for name in (DATABASE_FILE, KEYRING_FILE):
        shutil.copyfile(first / name, kept / name)
    (kept / "what.txt").write_text("kept aside before a restore")
    assert keys_from(kept / KEYRING_FILE, LEAVER, LEAVER_PASS) == school.old_key
    service = school.services.key_rotation
    assert service is not None
    outcome = service.rotate()
    assert str(kept) in outcome.rotated_backups
    new_key = FileKeyVault(school.data_dir, CHEAP).unlock(STAFF, STAFF_PASS)
    assert opens(kept / DATABASE_FILE, new_key) and not opens(kept / DATABASE_FILE, school.old_key)
    assert keys_from(kept / KEYRING_FILE, LEAVER, LEAVER_PASS) is None
    assert (kept / "what.txt").read_text() == "kept aside before a restore"
    assert not (kept.parent / "index.json").exists()
