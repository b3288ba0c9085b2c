"""The keyring: wrapping the data key for accounts and the recovery code."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseDamaged,
    DatabaseTooNew,
    FileNotWritten,
    InvalidInput,
    NotFound,
    NotSetUp,
    WrongPassphrase,
)
from incident_recorder.services.ports import DemoHint, KdfParams
from incident_recorder.store import vault as vault_module
from incident_recorder.store.vault import (
    KEYRING_NAME,
    RECOVERY_ALPHABET,
    FileKeyVault,
    normalise_recovery_code,
)

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)  # as the vault fixture uses
PASSPHRASE = "gentle otter paints lanterns"

Snapshot = Callable[[Path], dict[str, bytes]]


def test_create_then_unlock_gives_the_same_key(vault: FileKeyVault) -> None:
    assert not vault.exists()
    key, _ = vault.create("Admin.User", PASSPHRASE)
    assert vault.exists()
    assert len(key) == 32
    assert vault.unlock("admin.user", PASSPHRASE) == key
    assert vault.usernames() == ["admin.user"]


def test_usernames_are_case_insensitive(vault: FileKeyVault) -> None:
    key, _ = vault.create("b.fictional", PASSPHRASE)
    assert vault.unlock("  B.Fictional ", PASSPHRASE) == key


def test_keyring_holds_only_wrapped_keys(vault: FileKeyVault) -> None:
    key, code = vault.create("admin", PASSPHRASE)
    raw = vault.path.read_bytes()
    doc = json.loads(raw)
    # "revision": raised at every change of the entries (rollback detection); no "seen"
    # yet: nothing has been remembered of the audit chain.
    assert set(doc) == {"format", "vault_id", "users", "recovery", "revision"}
    (user,) = doc["users"]
    # The sealed form: the wrapped private key, and the data key sealed to its public key.
    assert set(user) == {"username", "salt", "kdf", "nonce", "wrapped_key", "x25519", "check"}
    assert set(doc["recovery"]) == {"salt", "kdf", "nonce", "wrapped_key", "x25519", "check"}
    assert set(user["x25519"]) == {"public_key", "ephemeral_key", "nonce", "sealed_key"}
    assert user["kdf"] == {"name": "argon2id", "time_cost": 1, "memory_kib": 8192, "parallelism": 1}
    for secret in (key, key.hex().encode(), base64.b64encode(key), PASSPHRASE.encode()):
        assert secret not in raw
    assert normalise_recovery_code(code).encode() not in raw


def test_wrong_passphrase_and_unknown_user_look_the_same_and_write_nothing(
    vault: FileKeyVault, data_dir: Path, folder_snapshot: Snapshot
) -> None:
    vault.create("admin", PASSPHRASE)
    before = folder_snapshot(data_dir)
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock("admin", "not the passphrase")
    with pytest.raises(WrongPassphrase) as unknown:
        vault.unlock("nobody", PASSPHRASE)
    assert str(wrong.value) == str(unknown.value)
    with pytest.raises(WrongPassphrase):
        vault.unlock_with_recovery_code("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    assert folder_snapshot(data_dir) == before


def test_unknown_user_still_runs_the_key_derivation(
    vault: FileKeyVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.create("admin", PASSPHRASE)
    calls: list[KdfParams] = []
    real = vault_module.derive_kek

    def counting(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
        calls.append(kdf)
        return real(secret, salt, kdf)

    monkeypatch.setattr(vault_module, "derive_kek", counting)
    with pytest.raises(WrongPassphrase):
        vault.unlock("nobody", PASSPHRASE)
    assert calls == [CHEAP_KDF]


def test_recovery_code_is_typeable_and_unlocks(vault: FileKeyVault) -> None:
    key, code = vault.create("admin", PASSPHRASE)
    assert re.fullmatch(r"([A-Z2-9]{5}-){5}[A-Z2-9]{5}", code)
    assert not set(code.replace("-", "")) - set(RECOVERY_ALPHABET)
    assert not set("01IO") & set(code)
    assert vault.unlock_with_recovery_code(code) == key
    sloppy = " " + code.lower().replace("-", " ") + " "
    assert vault.unlock_with_recovery_code(sloppy) == key
    assert vault.unlock_with_recovery_code(code.replace("-", "")) == key


def test_recovery_codes_differ(tmp_path: Path) -> None:
    codes = {
        FileKeyVault(tmp_path / str(i), CHEAP_KDF).create("a", PASSPHRASE)[1] for i in range(3)
    }
    assert len(codes) == 3


def test_add_user_change_passphrase_and_remove(vault: FileKeyVault) -> None:
    key, _ = vault.create("admin", PASSPHRASE)
    vault.add_user(key, "T.Teacher", "second passphrase here")
    assert vault.usernames() == ["admin", "t.teacher"]
    assert vault.unlock("t.teacher", "second passphrase here") == key
    with pytest.raises(InvalidInput):
        vault.add_user(key, "t.teacher", "another passphrase")

    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("t.teacher", "wrong old one", "new passphrase now")
    vault.change_passphrase("t.teacher", "second passphrase here", "new passphrase now")
    assert vault.unlock("t.teacher", "new passphrase now") == key
    with pytest.raises(WrongPassphrase):
        vault.unlock("t.teacher", "second passphrase here")
    assert vault.unlock("admin", PASSPHRASE) == key  # others untouched

    vault.remove_user("t.teacher")
    assert vault.usernames() == ["admin"]
    with pytest.raises(WrongPassphrase):
        vault.unlock("t.teacher", "new passphrase now")
    with pytest.raises(NotFound):
        vault.remove_user("t.teacher")


def test_a_wrapped_key_cannot_be_moved_to_another_account(vault: FileKeyVault) -> None:
    key, _ = vault.create("admin", PASSPHRASE)
    vault.add_user(key, "other", "other passphrase!")
    doc = json.loads(vault.path.read_text())
    admin = next(u for u in doc["users"] if u["username"] == "admin")
    other = next(u for u in doc["users"] if u["username"] == "other")
    for field in ("salt", "kdf", "nonce", "wrapped_key"):
        other[field] = admin[field]
    other["check"] = vault_module._entry_check(other)  # as a careful forger would
    vault.path.write_text(json.dumps(doc))
    # The associated data binds the wrap to the username.
    with pytest.raises(WrongPassphrase):
        vault.unlock("other", PASSPHRASE)


def test_replace_recovery_code(vault: FileKeyVault) -> None:
    key, old = vault.create("admin", PASSPHRASE)
    new = vault.replace_recovery_code(key)
    assert new != old
    assert vault.unlock_with_recovery_code(new) == key
    with pytest.raises(WrongPassphrase):
        vault.unlock_with_recovery_code(old)


def test_demo_hint(vault: FileKeyVault, tmp_path: Path) -> None:
    vault.create("Demo", "demo passphrase 1", demo=DemoHint("Demo", "demo passphrase 1"))
    assert vault.demo_hint() == DemoHint("demo", "demo passphrase 1")
    plain = FileKeyVault(tmp_path / "other", CHEAP_KDF)
    plain.create("admin", PASSPHRASE)
    assert plain.demo_hint() is None


def test_the_demo_hint_goes_when_the_demo_passphrase_is_changed(vault: FileKeyVault) -> None:
    vault.create("demo", "demo passphrase 1", demo=DemoHint("demo", "demo passphrase 1"))
    vault.change_passphrase("demo", "demo passphrase 1", "a private passphrase 2")
    assert vault.demo_hint() is None
    assert len(vault.unlock("demo", "a private passphrase 2")) == 32


def test_create_twice_and_use_before_set_up(vault: FileKeyVault) -> None:
    with pytest.raises(NotSetUp):
        vault.unlock("admin", PASSPHRASE)
    vault.create("admin", PASSPHRASE)
    with pytest.raises(AlreadySetUp):
        vault.create("admin", PASSPHRASE)


def test_writes_are_atomic_and_leave_no_temporary_file(vault: FileKeyVault, data_dir: Path) -> None:
    key, _ = vault.create("admin", PASSPHRASE)
    vault.add_user(key, "second", "second passphrase")
    vault.change_passphrase("second", "second passphrase", "third passphrase!")
    vault.remove_user("second")
    vault.replace_recovery_code(key)
    assert sorted(p.name for p in data_dir.iterdir()) == [KEYRING_NAME]


def test_a_failed_write_keeps_the_old_keyring(
    vault: FileKeyVault, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _ = vault.create("admin", PASSPHRASE)
    before = vault.path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The keyring is written by infra/files.write_private, as every file is.
    monkeypatch.setattr("incident_recorder.infra.files.os.replace", broken_replace)
    with pytest.raises(FileNotWritten, match=r"Could not write .*keyring\.json: the disk is full"):
        vault.add_user(key, "second", "second passphrase")
    assert vault.path.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == [KEYRING_NAME]
    monkeypatch.undo()
    assert vault.unlock("admin", PASSPHRASE) == key  # the old keyring still opens


@pytest.mark.skipif(os.name != "posix", reason="Windows files take the folder's ACL")
def test_a_new_keyring_is_this_accounts_only_and_a_chosen_mode_is_kept(
    vault: FileKeyVault, data_dir: Path
) -> None:
    key, _ = vault.create("admin", PASSPHRASE)
    assert vault.path.stat().st_mode & 0o777 == 0o600
    vault.path.chmod(0o660)  # an administrator shares it with the staff group
    vault.add_user(key, "second", "second passphrase")
    assert vault.path.stat().st_mode & 0o777 == 0o660


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "",
        lambda text: "\x00\xff garbage",
        lambda text: "[]",
        lambda text: text.replace('"vault_id"', '"vault_ident"'),
    ],
    # Damage to entries (bad base64, an unknown KDF) affects only those entries:
    # tests/integration/test_vault_entries.py.
    ids=["truncated", "empty", "garbage", "not-an-object", "no-vault-id"],
)
def test_a_damaged_keyring_is_reported_plainly(
    vault: FileKeyVault, damage: Callable[[str], str]
) -> None:
    vault.create("admin", PASSPHRASE)
    vault.path.write_bytes(damage(vault.path.read_text()).encode("utf-8", "surrogateescape"))
    with pytest.raises(DatabaseDamaged, match="keyring"):
        vault.unlock("admin", PASSPHRASE)
    with pytest.raises(DatabaseDamaged):
        vault.usernames()


def test_a_keyring_from_a_newer_version_is_refused(vault: FileKeyVault) -> None:
    vault.create("admin", PASSPHRASE)
    doc = json.loads(vault.path.read_text())
    doc["format"] = 99
    vault.path.write_text(json.dumps(doc))
    with pytest.raises(DatabaseTooNew):
        vault.unlock("admin", PASSPHRASE)


def test_each_wrap_keeps_its_own_kdf_parameters(data_dir: Path) -> None:
    old = FileKeyVault(data_dir, CHEAP_KDF)
    key, _ = old.create("admin", PASSPHRASE)
    stronger = FileKeyVault(data_dir, KdfParams(time_cost=2, memory_kib=16384))
    stronger.add_user(key, "second", "second passphrase")
    assert stronger.unlock("admin", PASSPHRASE) == key  # read with its stored parameters
    doc = json.loads(stronger.path.read_text())
    costs = {u["username"]: u["kdf"]["time_cost"] for u in doc["users"]}
    assert costs == {"admin": 1, "second": 2}
