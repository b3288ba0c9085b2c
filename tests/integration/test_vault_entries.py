"""Damage to one entry of the keyring affects only that entry (DESIGN §2): a malformed
account entry, a changed byte in a wrapped key, an absurd KDF setting. Real files."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from incident_recorder.domain.errors import DatabaseDamaged, DatabaseTooNew, WrongPassphrase
from incident_recorder.services.ports import KdfParams
from incident_recorder.store import vault as vault_module
from incident_recorder.store.vault import FileKeyVault

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)
ADMIN, SECOND, THIRD = "a.okonkwo", "b.lindqvist", "c.marsh"
PASSES = {
    ADMIN: "gentle otter paints lanterns",
    SECOND: "quiet heron reads maps",
    THIRD: "brave finch sorts buttons",
}
ENTRY_DAMAGED = "entry in the keyring is damaged"
ACCOUNT_DAMAGED = "This account's " + ENTRY_DAMAGED


def _school(vault: FileKeyVault) -> tuple[bytes, str]:
    key, code = vault.create(ADMIN, PASSES[ADMIN])
    vault.add_user(key, SECOND, PASSES[SECOND])
    vault.add_user(key, THIRD, PASSES[THIRD])
    return key, code


def _doc(vault: FileKeyVault) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(vault.path.read_text())
    return doc


def _entry(doc: dict[str, Any], name: str) -> dict[str, Any]:
    (entry,) = [e for e in doc["users"] if e.get("username") == name]
    assert isinstance(entry, dict)
    return entry


def _save(vault: FileKeyVault, doc: dict[str, Any]) -> None:
    vault.path.write_text(json.dumps(doc, indent=2, sort_keys=True))


def _flip_b64(text: str, at: int = 5) -> str:
    """One byte of a base64 field changed, still valid base64 (as a failing disk or a
    careless edit might leave it)."""
    raw = bytearray(base64.b64decode(text))
    raw[at] ^= 0x01
    return base64.b64encode(bytes(raw)).decode("ascii")


MALFORMED = {
    "bad-base64": lambda e: e.update(salt="%%%" + e["salt"]),
    "missing-field": lambda e: e.pop("nonce"),
    "wrong-kdf-name": lambda e: e["kdf"].update(name="scrypt"),
    "absurd-time-cost": lambda e: e["kdf"].update(time_cost=10**9),
    "absurd-memory": lambda e: e["kdf"].update(memory_kib=2**40),
    "absurd-parallelism": lambda e: e["kdf"].update(parallelism=100_000),
    "not-an-object": None,
}


@pytest.mark.parametrize("how", sorted(MALFORMED))
def test_one_malformed_entry_refuses_only_that_account(vault: FileKeyVault, how: str) -> None:
    key, code = _school(vault)
    doc = _doc(vault)
    damage = MALFORMED[how]
    if damage is None:
        doc["users"] = [e if e["username"] != SECOND else ["garbage"] for e in doc["users"]]
    else:
        damage(_entry(doc, SECOND))
    _save(vault, doc)

    assert vault.unlock(ADMIN, PASSES[ADMIN]) == key
    assert vault.unlock(THIRD, PASSES[THIRD]) == key
    assert vault.unlock_with_recovery_code(code) == key
    if damage is None:
        # Not even the username can be read: the entry is nobody's, as if not there.
        with pytest.raises(WrongPassphrase):
            vault.unlock(SECOND, PASSES[SECOND])
        assert vault.usernames() == [ADMIN, THIRD]
        return
    with pytest.raises(DatabaseDamaged, match=ACCOUNT_DAMAGED):
        vault.unlock(SECOND, PASSES[SECOND])
    assert vault.usernames() == [ADMIN, SECOND, THIRD]  # the account is still known


def test_a_changed_byte_in_a_wrapped_key_is_damage_not_a_wrong_passphrase(
    vault: FileKeyVault,
) -> None:
    key, _ = _school(vault)
    doc = _doc(vault)
    entry = _entry(doc, SECOND)
    entry["wrapped_key"] = _flip_b64(entry["wrapped_key"])
    _save(vault, doc)

    with pytest.raises(DatabaseDamaged, match=ENTRY_DAMAGED):
        vault.unlock(SECOND, PASSES[SECOND])
    assert vault.unlock(ADMIN, PASSES[ADMIN]) == key
    with pytest.raises(WrongPassphrase):  # a wrong passphrase is still just that
        vault.unlock(ADMIN, "not the passphrase at all")


@pytest.mark.parametrize("field", ["wrapped_key", "salt", "nonce", "x25519"])
def test_a_changed_byte_in_the_recovery_entry_is_damage(vault: FileKeyVault, field: str) -> None:
    key, code = _school(vault)
    doc = _doc(vault)
    recovery = doc["recovery"]
    if field == "x25519":
        recovery["x25519"]["sealed_key"] = _flip_b64(recovery["x25519"]["sealed_key"])
    else:
        recovery[field] = _flip_b64(recovery[field], at=3)
    _save(vault, doc)

    with pytest.raises(DatabaseDamaged, match="recovery code's entry in the keyring is damaged"):
        vault.unlock_with_recovery_code(code)
    assert vault.unlock(ADMIN, PASSES[ADMIN]) == key


def test_an_absurd_kdf_setting_names_the_damaged_entry(vault: FileKeyVault) -> None:
    key, _ = _school(vault)
    doc = _doc(vault)
    _entry(doc, SECOND)["kdf"]["time_cost"] = 4_000_000_000
    _entry(doc, THIRD)["salt"] = base64.b64encode(b"abc").decode()  # Argon2 refuses it
    _save(vault, doc)
    for name in (SECOND, THIRD):
        with pytest.raises(DatabaseDamaged, match=ACCOUNT_DAMAGED):
            vault.unlock(name, PASSES[name])
    assert vault.unlock(ADMIN, PASSES[ADMIN]) == key


def test_argon2_refusing_a_setting_is_damage_not_a_crash(
    vault: FileKeyVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2.exceptions import HashingError

    _school(vault)

    def refuses(*_args: object, **_kwargs: object) -> bytes:
        raise HashingError("Memory allocation error")

    monkeypatch.setattr("argon2.low_level.hash_secret_raw", refuses)
    with pytest.raises(DatabaseDamaged, match=ACCOUNT_DAMAGED):
        vault.unlock(SECOND, PASSES[SECOND])


def test_another_accounts_change_keeps_the_damaged_entry_as_it_was(
    vault: FileKeyVault, caplog: pytest.LogCaptureFixture
) -> None:
    key, code = _school(vault)
    doc = _doc(vault)
    _entry(doc, SECOND)["kdf"]["name"] = "scrypt"
    doc["recovery"]["nonce"] = "not base64!"
    broken_user, broken_recovery = _entry(doc, SECOND), doc["recovery"]
    _save(vault, doc)

    with caplog.at_level(logging.WARNING, logger="incident_recorder.store"):
        vault.change_passphrase(ADMIN, PASSES[ADMIN], "new admin passphrase here")
    assert "cannot be read" in caplog.text and SECOND not in caplog.text  # no names logged

    after = _doc(vault)
    assert _entry(after, SECOND) == broken_user  # kept byte for byte, for a repair
    assert after["recovery"] == broken_recovery
    with pytest.raises(DatabaseDamaged, match=ENTRY_DAMAGED):
        vault.unlock(SECOND, PASSES[SECOND])
    assert vault.unlock(ADMIN, "new admin passphrase here") == key
    assert vault.unlock(THIRD, PASSES[THIRD]) == key

    # Giving the account a new entry (as the recovery-code reset does) mends it.
    vault.remove_user(SECOND)
    vault.add_user(key, SECOND, "a fresh start for b")
    assert vault.unlock(SECOND, "a fresh start for b") == key
    new_code = vault.replace_recovery_code(key)
    assert vault.unlock_with_recovery_code(new_code) == key
    del code


def test_every_entry_carries_a_check_of_its_fields(vault: FileKeyVault) -> None:
    _school(vault)
    doc = _doc(vault)
    assert doc["format"] == 3
    for entry in [*doc["users"], doc["recovery"]]:
        fields = {k: v for k, v in entry.items() if k != "check"}
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        import hashlib

        assert entry["check"] == hashlib.sha256(canonical.encode()).hexdigest()
        assert "x25519" in fields  # the sealed part is covered too


def test_an_older_keyring_without_checks_still_opens_and_gets_them(
    vault: FileKeyVault,
) -> None:
    key, code = _school(vault)
    doc = _doc(vault)
    doc["format"] = 2
    for entry in [*doc["users"], doc["recovery"]]:
        del entry["check"]
    _save(vault, doc)
    assert vault.unlock(SECOND, PASSES[SECOND]) == key
    assert vault.unlock_with_recovery_code(code) == key

    vault.change_passphrase(THIRD, PASSES[THIRD], "another good passphrase")
    doc = _doc(vault)
    assert doc["format"] == 3
    assert all("check" in e for e in [*doc["users"], doc["recovery"]])


def test_a_checked_entry_that_lost_its_check_is_damaged(vault: FileKeyVault) -> None:
    key, _ = _school(vault)
    doc = _doc(vault)
    del _entry(doc, SECOND)["check"]
    _save(vault, doc)
    with pytest.raises(DatabaseDamaged, match=ENTRY_DAMAGED):
        vault.unlock(SECOND, PASSES[SECOND])
    assert vault.unlock(THIRD, PASSES[THIRD]) == key


def test_a_keyring_of_a_newer_format_names_both_versions(vault: FileKeyVault) -> None:
    _school(vault)
    doc = _doc(vault)
    doc["format"] = vault_module.FORMAT_VERSION + 1
    _save(vault, doc)
    with pytest.raises(DatabaseTooNew, match=r"4.*3"):
        vault.unlock(ADMIN, PASSES[ADMIN])


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(users={"a": 1}),
        lambda d: d.update(vault_id="not-a-uuid"),
        lambda d: d.pop("format"),
    ],
    ids=["users-not-a-list", "bad-vault-id", "no-format"],
)
def test_only_a_broken_frame_damages_the_whole_keyring(vault: FileKeyVault, damage: Any) -> None:
    _school(vault)
    doc = _doc(vault)
    damage(doc)
    _save(vault, doc)
    with pytest.raises(DatabaseDamaged, match=r"keyring file \(keyring.json\)"):
        vault.unlock(ADMIN, PASSES[ADMIN])


def test_rotation_leaves_no_damaged_entry_behind(vault: FileKeyVault) -> None:
    _school(vault)
    doc = _doc(vault)
    _entry(doc, SECOND)["salt"] = "%%%"
    _save(vault, doc)
    assert vault.entry_forms()[SECOND] is False  # offered a temporary passphrase
    raw, _ = vault.rotated(bytes(32), frozenset({ADMIN, THIRD}), {}, False)
    rotated = json.loads(raw)
    assert [e["username"] for e in rotated["users"]] == [ADMIN, THIRD]
