"""The keyring: wrapped copies of the data key, one per account plus one for the
recovery code.

The keyring file (``keyring.json``, beside the database) holds only: the format
version, the vault id, and for each account its username, salt, KDF parameters,
nonce and the AES-256-GCM ciphertext of the 32-byte data key; the same for the
recovery code; and, for the demo database only, a demo sign-in hint. The data key
itself never reaches the disk unwrapped.

Key-encryption key = Argon2id(passphrase, per-entry salt, the entry's KDF
parameters). The associated data of each wrap binds it to this vault and to the
username, so a wrapped copy cannot be moved to another account or keyring.

Every write is atomic (``infra/files.write_private``: a temporary file in the same
folder, fsynced, then ``os.replace``; its permission rule too). Unlocking never writes
anything.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseDamaged,
    DatabaseTooNew,
    InvalidInput,
    NotFound,
    NotSetUp,
    WrongPassphrase,
)
from incident_recorder.infra.files import write_private
from incident_recorder.services.ports import DemoHint, KdfParams

log = logging.getLogger("incident_recorder.store")

KEYRING_NAME = "keyring.json"
FORMAT_VERSION = 1
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
KDF_NAME = "argon2id"

# 32 symbols (5 bits each) without the look-alikes 0/O and 1/I.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LENGTH = 5  # 6 x 5 characters x 5 bits = 150 bits
_RECOVERY_SLOT = "#recovery"  # never a valid username, so never clashes with one

_AAD_PREFIX = b"incident-recorder keyring v1"

DEFAULT_KDF = KdfParams()


@dataclass(frozen=True, slots=True)
class _Wrapped:
    """One wrapped copy of the data key."""

    salt: bytes
    kdf: KdfParams
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True, slots=True)
class _Keyring:
    vault_id: str
    users: dict[str, _Wrapped]  # username (lower case) -> wrapped copy
    recovery: _Wrapped
    demo: DemoHint | None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def normalise_recovery_code(code: str) -> str:
    """Upper case, without spaces, dashes or other separators."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_recovery_code(raw: str) -> str:
    n = RECOVERY_GROUP_LENGTH
    return "-".join(raw[i : i + n] for i in range(0, len(raw), n))


def new_recovery_code() -> str:
    """A random recovery code such as ``7KQ2M-XR9TD-...`` (6 groups of 5)."""
    length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(length))
    return format_recovery_code(raw)


def derive_kek(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    """Argon2id: the key-encryption key for one wrapped copy."""
    from argon2.low_level import Type, hash_secret_raw

    return bytes(
        hash_secret_raw(
            secret=unicodedata.normalize("NFC", secret).encode("utf-8"),
            salt=salt,
            time_cost=kdf.time_cost,
            memory_cost=kdf.memory_kib,
            parallelism=kdf.parallelism,
            hash_len=32,
            type=Type.ID,
        )
    )


class FileKeyVault:
    """:class:`~incident_recorder.services.ports.KeyVault` over ``keyring.json``."""

    def __init__(self, data_dir: Path, kdf: KdfParams = DEFAULT_KDF) -> None:
        self._dir = Path(data_dir)
        self._path = self._dir / KEYRING_NAME
        self._kdf = kdf

    @property
    def path(self) -> Path:
        return self._path

    # ------------------------------------------------------------------ the port

    def exists(self) -> bool:
        return self._path.is_file()

    def create(
        self, username: str, passphrase: str, demo: DemoHint | None = None
    ) -> tuple[bytes, str]:
        if self.exists():
            raise AlreadySetUp(str(self._dir))
        name = _checked_username(username)
        vault_id = str(uuid.uuid4())
        data_key = secrets.token_bytes(DATA_KEY_BYTES)
        code = new_recovery_code()
        keyring = _Keyring(
            vault_id=vault_id,
            users={name: self._wrap(data_key, passphrase, vault_id, name)},
            recovery=self._wrap(data_key, normalise_recovery_code(code), vault_id, _RECOVERY_SLOT),
            demo=None
            if demo is None
            else DemoHint(normalise_username(demo.username), demo.passphrase),
        )
        self._dir.mkdir(parents=True, exist_ok=True)
        self._write(keyring)
        log.info("keyring created")
        return data_key, code

    def unlock(self, username: str, passphrase: str) -> bytes:
        keyring = self._read()
        name = normalise_username(username)
        wrapped = keyring.users.get(name)
        if wrapped is None:
            # Spend the same effort as for a real account, so timing does not tell
            # whether the username exists.
            decoy = _Wrapped(
                salt=secrets.token_bytes(SALT_BYTES),
                kdf=keyring.recovery.kdf,  # present in every keyring, made at the same cost
                nonce=secrets.token_bytes(NONCE_BYTES),
                ciphertext=secrets.token_bytes(DATA_KEY_BYTES + 16),
            )
            _unwrap(decoy, passphrase, keyring.vault_id, name)
            raise WrongPassphrase()
        return _unwrap(wrapped, passphrase, keyring.vault_id, name)

    def unlock_with_recovery_code(self, code: str) -> bytes:
        keyring = self._read()
        return _unwrap(
            keyring.recovery, normalise_recovery_code(code), keyring.vault_id, _RECOVERY_SLOT
        )

    def add_user(self, data_key: bytes, username: str, passphrase: str) -> None:
        _check_data_key(data_key)
        keyring = self._read()
        name = _checked_username(username)
        if name in keyring.users:
            raise InvalidInput(f"There is already an account called '{name}'.")
        users = dict(keyring.users)
        users[name] = self._wrap(data_key, passphrase, keyring.vault_id, name)
        self._write(_replace_users(keyring, users))
        log.info("keyring: account added")

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        keyring = self._read()
        name = normalise_username(username)
        data_key = self.unlock(name, old)
        users = dict(keyring.users)
        users[name] = self._wrap(data_key, new, keyring.vault_id, name)
        demo = keyring.demo
        if demo is not None and demo.username == name:
            demo = None  # the hint would show a passphrase that no longer works
        self._write(
            _Keyring(vault_id=keyring.vault_id, users=users, recovery=keyring.recovery, demo=demo)
        )
        log.info("keyring: passphrase changed")

    def remove_user(self, username: str) -> None:
        keyring = self._read()
        name = normalise_username(username)
        if name not in keyring.users:
            raise NotFound(f"There is no account called '{name}' in the keyring.")
        users = {k: v for k, v in keyring.users.items() if k != name}
        demo = keyring.demo
        if demo is not None and demo.username == name:
            demo = None
        self._write(
            _Keyring(vault_id=keyring.vault_id, users=users, recovery=keyring.recovery, demo=demo)
        )
        log.info("keyring: account removed")

    def usernames(self) -> list[str]:
        return sorted(self._read().users)

    def demo_hint(self) -> DemoHint | None:
        return self._read().demo

    # ------------------------------------------------------------------ extras

    def replace_recovery_code(self, data_key: bytes) -> str:
        """Make a new recovery code (the old one stops working). Returns the new code."""
        _check_data_key(data_key)
        keyring = self._read()
        code = new_recovery_code()
        recovery = self._wrap(
            data_key, normalise_recovery_code(code), keyring.vault_id, _RECOVERY_SLOT
        )
        self._write(
            _Keyring(
                vault_id=keyring.vault_id, users=keyring.users, recovery=recovery, demo=keyring.demo
            )
        )
        log.info("keyring: recovery code replaced")
        return code

    # ------------------------------------------------------------------ internals

    def _wrap(self, data_key: bytes, secret: str, vault_id: str, slot: str) -> _Wrapped:
        salt = secrets.token_bytes(SALT_BYTES)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_kek(secret, salt, self._kdf)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id, slot))
        return _Wrapped(salt=salt, kdf=self._kdf, nonce=nonce, ciphertext=ciphertext)

    def _read(self) -> _Keyring:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            raise NotSetUp(str(self._dir)) from None
        except OSError as exc:
            raise DatabaseDamaged(
                f"The keyring file ({KEYRING_NAME}) could not be opened: {exc.strerror}. "
                "Check that this computer account may read the data folder."
            ) from None
        return _parse(raw, self._path)

    def _write(self, keyring: _Keyring) -> None:
        write_private(self._path, _serialise(keyring))


# ---------------------------------------------------------------------- wrapping


def _aad(vault_id: str, slot: str) -> bytes:
    return b"\x00".join((_AAD_PREFIX, vault_id.encode("ascii"), slot.encode("utf-8")))


def _unwrap(wrapped: _Wrapped, secret: str, vault_id: str, slot: str) -> bytes:
    kek = derive_kek(secret, wrapped.salt, wrapped.kdf)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data_key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, _aad(vault_id, slot))
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(data_key) != DATA_KEY_BYTES:
        raise WrongPassphrase()
    return data_key


def _check_data_key(data_key: bytes) -> None:
    if not isinstance(data_key, bytes | bytearray) or len(data_key) != DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")


def _checked_username(username: str) -> str:
    name = normalise_username(username)
    if not name or name.startswith("#"):
        raise InvalidInput("Please enter a username.")
    return name


def _replace_users(keyring: _Keyring, users: dict[str, _Wrapped]) -> _Keyring:
    return _Keyring(
        vault_id=keyring.vault_id, users=users, recovery=keyring.recovery, demo=keyring.demo
    )


# ---------------------------------------------------------------------- file format


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrapped_to_json(wrapped: _Wrapped) -> dict[str, Any]:
    return {
        "salt": _b64(wrapped.salt),
        "kdf": {
            "name": KDF_NAME,
            "time_cost": wrapped.kdf.time_cost,
            "memory_kib": wrapped.kdf.memory_kib,
            "parallelism": wrapped.kdf.parallelism,
        },
        "nonce": _b64(wrapped.nonce),
        "wrapped_key": _b64(wrapped.ciphertext),
    }


def _serialise(keyring: _Keyring) -> bytes:
    doc: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "vault_id": keyring.vault_id,
        "users": [
            {"username": name, **_wrapped_to_json(w)} for name, w in sorted(keyring.users.items())
        ],
        "recovery": _wrapped_to_json(keyring.recovery),
    }
    if keyring.demo is not None:
        doc["demo"] = {"username": keyring.demo.username, "passphrase": keyring.demo.passphrase}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


class _BadKeyring(Exception):
    pass


def _damaged(path: Path) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"The keyring file ({path.name}) in the data folder is damaged and cannot be read, "
        "so the database cannot be unlocked. Restore the data folder from a backup, or ask "
        "your IT support for help."
    )


def _parse(raw: bytes, path: Path) -> _Keyring:
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict):
            raise _BadKeyring("not an object")
        version = doc.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise _BadKeyring("no format version")
        if version > FORMAT_VERSION:
            raise DatabaseTooNew(version, FORMAT_VERSION)
        if version < 1:
            raise _BadKeyring("bad format version")
        vault_id = _text(doc, "vault_id")
        uuid.UUID(vault_id)
        users: dict[str, _Wrapped] = {}
        entries = doc.get("users")
        if not isinstance(entries, list):
            raise _BadKeyring("users is not a list")
        for entry in entries:
            name = _text(entry, "username")
            if name != normalise_username(name) or not name or name in users:
                raise _BadKeyring("bad username")
            users[name] = _wrapped_from_json(entry)
        recovery = _wrapped_from_json(doc.get("recovery"))
        demo: DemoHint | None = None
        if doc.get("demo") is not None:
            demo_doc = doc["demo"]
            demo = DemoHint(_text(demo_doc, "username"), _text(demo_doc, "passphrase"))
        return _Keyring(vault_id=vault_id, users=users, recovery=recovery, demo=demo)
    except DatabaseTooNew:
        raise
    except (_BadKeyring, ValueError, TypeError, KeyError, UnicodeDecodeError, binascii.Error):
        raise _damaged(path) from None


def _text(doc: Any, key: str) -> str:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), str):
        raise _BadKeyring(f"missing {key}")
    value: str = doc[key]
    return value


def _positive_int(doc: Any, key: str) -> int:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _BadKeyring(f"bad {key}")
    return value


def _bytes(doc: Any, key: str, length: int | None = None) -> bytes:
    data = base64.b64decode(_text(doc, key), validate=True)
    if length is not None and len(data) != length:
        raise _BadKeyring(f"bad length of {key}")
    return data


def _wrapped_from_json(doc: Any) -> _Wrapped:
    kdf_doc = doc.get("kdf") if isinstance(doc, dict) else None
    if _text(kdf_doc, "name") != KDF_NAME:
        raise _BadKeyring("unknown KDF")
    kdf = KdfParams(
        time_cost=_positive_int(kdf_doc, "time_cost"),
        memory_kib=_positive_int(kdf_doc, "memory_kib"),
        parallelism=_positive_int(kdf_doc, "parallelism"),
    )
    if kdf.memory_kib < 8 * kdf.parallelism:
        raise _BadKeyring("bad memory cost")
    return _Wrapped(
        salt=_bytes(doc, "salt"),
        kdf=kdf,
        nonce=_bytes(doc, "nonce", NONCE_BYTES),
        ciphertext=_bytes(doc, "wrapped_key", DATA_KEY_BYTES + 16),
    )
