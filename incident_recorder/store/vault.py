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

Since format 2 an entry may be in the **sealed form** (as age and 1Password do it): the
account (or the recovery code) has its own X25519 key pair; its private key is what the
passphrase-derived key wraps, its public key is kept in clear beside it, and the data
key is sealed to that public key (an ephemeral X25519 exchange, HKDF-SHA256 and
AES-256-GCM, with the vault id and slot as associated data). Key rotation can then seal a
new data key to every remaining account and to the recovery code without knowing their
passphrases. An entry of the older form (the data key wrapped directly) still unlocks,
and is turned into the sealed form at that account's next successful sign-in (the
recovery slot when the code is next used or replaced).

Since format 3 every entry (each account's and the recovery code's) carries ``"check"``:
the SHA-256 (hex) of the canonical JSON (sorted keys, no spaces) of the entry's other
fields, the sealed part included, written at every write. An entry whose check does not
match, or which cannot be read at all (bad base64, a missing field, an unknown KDF, KDF
settings outside the bounds below), is **broken**: only that account (or the recovery
code) is refused, with a plain message that its entry is damaged, never "wrong
passphrase"; every other account signs in as before. A broken entry is written back
byte for byte as it was when another account's change is saved (so it can still be
mended by hand or compared with a backup), and is left out only when that account is
given a new entry, removed, or by key rotation (which must leave no copy of the old key).
Entries of format 1 and 2 files have no check and are accepted; they get one at the next
write. Only a file that is not JSON, has no valid format or vault id, or whose accounts
are not a list is damaged as a whole.

The KDF settings of an entry must lie within ``KDF_BOUNDS``: time cost 1..64, parallelism
1..64, memory 8 x parallelism KiB (Argon2's own floor) .. 1 GiB (16 times this app's
64 MiB; an office PC asked for more would swap or fail), a salt of 8..64 bytes. A setting
outside them, or one Argon2 itself refuses, makes that entry broken.

Every write is atomic (``infra/files.write_private``: a temporary file in the same
folder, fsynced, then ``os.replace``; its permission rule too). Unlocking never writes
anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
import threading
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseTooNew,
    IncidentRecorderError,
    InvalidInput,
    KeyringDamaged,
    NotFound,
    NotSetUp,
    WrongPassphrase,
)
from incident_recorder.domain.rollback import SeenHead
from incident_recorder.infra.files import write_private
from incident_recorder.services.ports import DemoHint, KdfParams

log = logging.getLogger("incident_recorder.store")

KEYRING_NAME = "keyring.json"
# 2: entries may carry the sealed form (an "x25519" part); 3: each entry carries "check"
FORMAT_VERSION = 3
CHECKED_SINCE = 3
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
KDF_NAME = "argon2id"
KDF_MAX_TIME_COST = 64
KDF_MAX_PARALLELISM = 64
KDF_MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
SALT_MIN_BYTES, SALT_MAX_BYTES = 8, 64
_CHECK_KEY = "check"

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
class _Sealed:
    """The data key sealed to one account's (or the recovery code's) X25519 public key."""

    public_key: bytes
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True, slots=True)
class _Keyring:
    vault_id: str
    users: dict[str, _Wrapped]  # username (lower case) -> wrapped copy
    recovery: _Wrapped
    demo: DemoHint | None
    # The sealed form (see the module notes): username -> the data key sealed to that
    # account's public key (its _Wrapped then holds the wrapped private key).
    sealed: dict[str, _Sealed] = field(default_factory=dict)
    recovery_sealed: _Sealed | None = None
    # Entries whose sealed part is present but cannot be read, or that cannot be read at
    # all (those are in ``unreadable`` too): only they are affected.
    broken: frozenset[str] = frozenset()
    # Rollback detection (domain/rollback.py): the audit chain's newest entry this keyring
    # last saw, and its revision, raised by one at every change of its entries.
    seen: SeenHead | None = None
    revision: int = 0
    # The raw JSON of each entry that cannot be read, by slot (its username when that can
    # be read, "#recovery", or "#entry-N"): written back as it was while still broken.
    unreadable: dict[str, Any] = field(default_factory=dict)


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


class KdfRefused(ValueError):
    """Argon2 refused an entry's settings (or could not get the memory they ask for)."""


def derive_kek(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    """Argon2id: the key-encryption key for one wrapped copy. Raises KdfRefused when
    Argon2 refuses the settings."""
    from argon2 import low_level
    from argon2.exceptions import Argon2Error

    try:
        return bytes(
            low_level.hash_secret_raw(
                secret=unicodedata.normalize("NFC", secret).encode("utf-8"),
                salt=salt,
                time_cost=kdf.time_cost,
                memory_cost=kdf.memory_kib,
                parallelism=kdf.parallelism,
                hash_len=32,
                type=low_level.Type.ID,
            )
        )
    except (Argon2Error, MemoryError, OverflowError) as error:
        raise KdfRefused(type(error).__name__) from None


def _kek(secret: str, wrapped: _Wrapped, slot: str) -> bytes:
    """``derive_kek`` for an entry read from the file: a refused setting is that entry's
    damage."""
    try:
        return derive_kek(secret, wrapped.salt, wrapped.kdf)
    except KdfRefused as error:
        log.warning("keyring: Argon2 refused an entry's settings (%s)", error)
        raise _entry_unreadable(slot) from None


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
        user_entry = self._new_entry(data_key, passphrase, vault_id, name)
        recovery = self._new_entry(
            data_key, normalise_recovery_code(code), vault_id, _RECOVERY_SLOT
        )
        keyring = _Keyring(
            vault_id=vault_id,
            users={name: user_entry[0]},
            recovery=recovery[0],
            demo=None
            if demo is None
            else DemoHint(normalise_username(demo.username), demo.passphrase),
            sealed={name: user_entry[1]},
            recovery_sealed=recovery[1],
        )
        self._dir.mkdir(parents=True, exist_ok=True)
        self._write(keyring)
        log.info("keyring created")
        return data_key, code

    def unlock(self, username: str, passphrase: str) -> bytes:
        keyring = self._read()
        name = normalise_username(username)
        wrapped = keyring.users.get(name)
        if wrapped is None and name in keyring.unreadable and name in keyring.broken:
            raise _entry_unreadable(name)
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
        if name in keyring.sealed or name in keyring.broken:
            return _open_sealed(keyring, name, wrapped, keyring.sealed.get(name), passphrase)
        return _unwrap(wrapped, passphrase, keyring.vault_id, name)

    def unlock_with_recovery_code(self, code: str) -> bytes:
        keyring = self._read()
        secret = normalise_recovery_code(code)
        if _RECOVERY_SLOT in keyring.unreadable and _RECOVERY_SLOT in keyring.broken:
            raise _entry_unreadable(_RECOVERY_SLOT)
        if keyring.recovery_sealed is not None or _RECOVERY_SLOT in keyring.broken:
            return _open_sealed(
                keyring, _RECOVERY_SLOT, keyring.recovery, keyring.recovery_sealed, secret
            )
        return _unwrap(keyring.recovery, secret, keyring.vault_id, _RECOVERY_SLOT)

    def add_user(self, data_key: bytes, username: str, passphrase: str) -> None:
        _check_data_key(data_key)
        keyring = self._read()
        name = _checked_username(username)
        if name in keyring.users or name in keyring.unreadable:
            raise InvalidInput(f"There is already an account called '{name}'.")
        users = dict(keyring.users)
        sealed = dict(keyring.sealed)
        users[name], sealed[name] = self._new_entry(data_key, passphrase, keyring.vault_id, name)
        self._write(replace(_replace_users(keyring, users), sealed=sealed))
        log.info("keyring: account added")

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        keyring = self._read()
        name = normalise_username(username)
        data_key = self.unlock(name, old)
        users = dict(keyring.users)
        sealed = dict(keyring.sealed)
        users[name], sealed[name] = self._new_entry(data_key, new, keyring.vault_id, name)
        demo = keyring.demo
        if demo is not None and demo.username == name:
            demo = None  # the hint would show a passphrase that no longer works
        self._write(
            replace(keyring, users=users, demo=demo, sealed=sealed, broken=keyring.broken - {name})
        )
        log.info("keyring: passphrase changed")

    def remove_user(self, username: str) -> None:
        keyring = self._read()
        name = normalise_username(username)
        if name not in keyring.users and name not in keyring.unreadable:
            raise NotFound(f"There is no account called '{name}' in the keyring.")
        if name in keyring.unreadable:
            log.info("keyring: an entry that could not be read was removed with its account")
        users = {k: v for k, v in keyring.users.items() if k != name}
        sealed = {k: v for k, v in keyring.sealed.items() if k != name}
        demo = keyring.demo
        if demo is not None and demo.username == name:
            demo = None
        self._write(
            replace(keyring, users=users, demo=demo, sealed=sealed, broken=keyring.broken - {name})
        )
        log.info("keyring: account removed")

    def usernames(self) -> list[str]:
        """Every account in the keyring, those whose entry is damaged included."""
        keyring = self._read()
        return sorted(set(keyring.users) | _unreadable_names(keyring))

    def demo_hint(self) -> DemoHint | None:
        return self._read().demo

    def seen(self) -> SeenHead | None:
        return self._read().seen

    def revision(self) -> int:
        return self._read().revision

    def remember(self, seq: int, entry_hash: str, at: datetime) -> None:
        """Remember the audit chain's newest entry; the revision stays as it is. Never
        the reason anything fails: a keyring that cannot be read or written now (a
        read-only folder) is logged and left as it was."""
        seen = SeenHead(int(seq), str(entry_hash), at.astimezone(UTC))
        try:
            with _WRITING:  # read and written as one step, so no change made meanwhile is lost
                keyring = self._read()
                known = keyring.seen
                if known is not None and (known.seq, known.hash) == (seen.seq, seen.hash):
                    return  # nothing new: the file is not written again
                write_private(self._path, _serialise_sealed(replace(keyring, seen=seen)))
        except (OSError, IncidentRecorderError) as error:
            log.warning("keyring: the audit head was not remembered now (%s)", type(error).__name__)

    # ------------------------------------------------------------------ extras

    def replace_recovery_code(self, data_key: bytes) -> str:
        """Make a new recovery code (the old one stops working). Returns the new code."""
        _check_data_key(data_key)
        keyring = self._read()
        code = new_recovery_code()
        recovery, recovery_sealed = self._new_entry(
            data_key, normalise_recovery_code(code), keyring.vault_id, _RECOVERY_SLOT
        )
        self._write(
            replace(
                keyring,
                recovery=recovery,
                recovery_sealed=recovery_sealed,
                broken=keyring.broken - {_RECOVERY_SLOT},
            )
        )
        log.info("keyring: recovery code replaced")
        return code

    # ------------------------------------------------------------------ the sealed form

    def entry_forms(self) -> dict[str, bool]:
        """Each account (and ``"#recovery"``): whether its entry is in the sealed form,
        so a new data key can be sealed to it without its passphrase."""
        keyring = self._read()
        forms = {name: name in keyring.sealed for name in keyring.users}
        # A damaged entry cannot be given a new key without a new passphrase.
        forms.update(dict.fromkeys(_unreadable_names(keyring), False))
        forms[_RECOVERY_SLOT] = keyring.recovery_sealed is not None
        return forms

    def needs_upgrade(self, username: str) -> bool:
        """Whether ``username``'s entry is still of the older form (the data key wrapped
        directly under the passphrase)."""
        keyring = self._read()
        name = normalise_username(username)
        return name in keyring.users and name not in keyring.sealed and name not in keyring.broken

    def upgrade(self, username: str, passphrase: str, data_key: bytes) -> bool:
        """Turn ``username``'s older-form entry into the sealed form (at a successful
        sign-in, when the passphrase is known). False when there was nothing to do."""
        _check_data_key(data_key)
        keyring = self._read()
        name = normalise_username(username)
        if name not in keyring.users or name in keyring.sealed or name in keyring.broken:
            return False
        if _unwrap(keyring.users[name], passphrase, keyring.vault_id, name) != bytes(data_key):
            raise WrongPassphrase()
        users, sealed = dict(keyring.users), dict(keyring.sealed)
        users[name], sealed[name] = self._new_entry(data_key, passphrase, keyring.vault_id, name)
        self._write(replace(keyring, users=users, sealed=sealed))
        log.info("keyring: an account's entry was upgraded to the sealed form")
        return True

    def upgrade_recovery(self, code: str, data_key: bytes) -> bool:
        """The recovery slot into the sealed form (when the code is used). False when
        there was nothing to do."""
        _check_data_key(data_key)
        keyring = self._read()
        if keyring.recovery_sealed is not None or _RECOVERY_SLOT in keyring.broken:
            return False
        secret = normalise_recovery_code(code)
        if _unwrap(keyring.recovery, secret, keyring.vault_id, _RECOVERY_SLOT) != bytes(data_key):
            raise WrongPassphrase()
        recovery, recovery_sealed = self._new_entry(
            data_key, secret, keyring.vault_id, _RECOVERY_SLOT
        )
        self._write(replace(keyring, recovery=recovery, recovery_sealed=recovery_sealed))
        log.info("keyring: the recovery slot was upgraded to the sealed form")
        return True

    def rotated(
        self,
        new_key: bytes,
        keep: frozenset[str],
        temporary: dict[str, str],
        fresh_recovery_code: bool,
    ) -> tuple[bytes, str]:
        """The keyring for a rotated data key, as file bytes (nothing is written here):
        ``new_key`` sealed to every account in ``keep`` whose entry is in the sealed form,
        a fresh entry under ``temporary[name]`` for each account given a temporary
        passphrase, and the recovery slot sealed again (or a new recovery code, when
        ``fresh_recovery_code`` or the slot is of the older form). Every other entry is
        left out: no copy of the old key survives in it. Returns (bytes, new recovery
        code or "")."""
        _check_data_key(new_key)
        keyring = self._read()
        vault_id = keyring.vault_id
        users: dict[str, _Wrapped] = {}
        sealed: dict[str, _Sealed] = {}
        for raw_name, secret in temporary.items():
            name = _checked_username(raw_name)
            users[name], sealed[name] = self._new_entry(new_key, secret, vault_id, name)
        for name in sorted(keep):
            if name in users or name not in keyring.sealed:
                continue
            old = keyring.sealed[name]
            users[name] = keyring.users[name]  # the same wrapped private key
            sealed[name] = _seal(new_key, old.public_key, vault_id, name)
        code = ""
        if fresh_recovery_code or keyring.recovery_sealed is None:
            code = new_recovery_code()
            recovery, recovery_sealed = self._new_entry(
                new_key, normalise_recovery_code(code), vault_id, _RECOVERY_SLOT
            )
        else:
            recovery = keyring.recovery
            recovery_sealed = _seal(
                new_key, keyring.recovery_sealed.public_key, vault_id, _RECOVERY_SLOT
            )
        demo = keyring.demo
        if demo is not None and (demo.username not in users or demo.username in temporary):
            demo = None
        if set(keyring.unreadable) - set(users) - {_RECOVERY_SLOT}:
            log.info("keyring: rotation leaves out the entries that could not be read")
        # replace(): whatever else the keyring remembers is carried over as it was.
        rotated = replace(
            keyring,
            users=users,
            recovery=recovery,
            demo=demo,
            sealed=sealed,
            recovery_sealed=recovery_sealed,
            broken=frozenset(),
            revision=keyring.revision + 1,
            unreadable={},
        )
        return _serialise_sealed(rotated), code

    def _new_entry(
        self, data_key: bytes, secret: str, vault_id: str, slot: str
    ) -> tuple[_Wrapped, _Sealed]:
        """A new key pair for ``slot``: its private key wrapped under ``secret``, and
        ``data_key`` sealed to its public key."""
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        _check_data_key(data_key)
        private = X25519PrivateKey.generate()
        private_raw = bytearray(private.private_bytes_raw())
        salt = secrets.token_bytes(SALT_BYTES)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_kek(secret, salt, self._kdf)
        try:
            ciphertext = AESGCM(kek).encrypt(
                nonce, bytes(private_raw), _aad_private(vault_id, slot)
            )
        finally:
            _zero(private_raw)
        wrapped = _Wrapped(salt=salt, kdf=self._kdf, nonce=nonce, ciphertext=ciphertext)
        public = private.public_key().public_bytes_raw()
        return wrapped, _seal(bytes(data_key), public, vault_id, slot)

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
            raise KeyringDamaged(
                f"The keyring file ({KEYRING_NAME}) could not be opened: {exc.strerror}. "
                "Check that this computer account may read the data folder."
            ) from None
        return _with_sealed(_parse(raw, self._path), raw)

    def _write(self, keyring: _Keyring) -> None:
        """Write a change of the keyring's entries: its revision goes up by one."""
        with _WRITING:
            write_private(
                self._path, _serialise_sealed(replace(keyring, revision=keyring.revision + 1))
            )


# One keyring write at a time in this process (the data folder's lock keeps other
# processes out): remembering the audit head from a worker thread must not undo an
# account added meanwhile on another.
_WRITING = threading.RLock()


# ---------------------------------------------------------------------- wrapping


def _aad(vault_id: str, slot: str) -> bytes:
    return b"\x00".join((_AAD_PREFIX, vault_id.encode("ascii"), slot.encode("utf-8")))


def _unwrap(wrapped: _Wrapped, secret: str, vault_id: str, slot: str) -> bytes:
    kek = _kek(secret, wrapped, slot)
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
    return replace(keyring, users=users)


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
    doc.update(_rollback_to_json(keyring))
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _rollback_to_json(keyring: _Keyring) -> dict[str, Any]:
    """The keyring's rollback fields ("seen", "revision"), for the top of the file."""
    doc: dict[str, Any] = {"revision": keyring.revision}
    if keyring.seen is not None:
        doc["seen"] = {
            "seq": keyring.seen.seq,
            "hash": keyring.seen.hash,
            "at": keyring.seen.at.astimezone(UTC).isoformat(),
        }
    return doc


def _with_rollback(keyring: _Keyring, doc: dict[str, Any]) -> _Keyring:
    """``keyring`` with the rollback fields read from ``doc``. A file from before them has
    neither (seen None, revision 0); a damaged one reads the same, logged, since losing
    them must never stop anyone signing in."""
    revision = doc.get("revision", 0)
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        log.warning("keyring: its revision cannot be read")
        revision = 0
    seen: SeenHead | None = None
    part = doc.get("seen")
    if part is not None:
        try:
            seq, digest, at = part["seq"], part["hash"], datetime.fromisoformat(part["at"])
            if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(digest, str):
                raise TypeError("bad seen")
            seen = SeenHead(seq, digest, at if at.tzinfo else at.replace(tzinfo=UTC))
        except (TypeError, KeyError, ValueError):
            log.warning("keyring: the audit head it saw cannot be read")
    if seen is None and revision == 0:
        return keyring
    return replace(keyring, seen=seen, revision=revision)


class _BadKeyring(Exception):
    pass


def _damaged(path: Path) -> KeyringDamaged:
    return KeyringDamaged(
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
        entries = doc.get("users")
        if not isinstance(entries, list):
            raise _BadKeyring("users is not a list")
        checked = version >= CHECKED_SINCE
        users: dict[str, _Wrapped] = {}
        unreadable: dict[str, Any] = {}
        for index, entry in enumerate(entries):
            name = _entry_username(entry)
            taken = name is None or name in users or name in unreadable
            try:
                if taken:
                    raise _BadKeyring("bad or repeated username")
                users[str(name)] = _checked_entry(entry, checked)
            except _ENTRY_ERRORS:
                unreadable[f"#entry-{index}" if taken else str(name)] = entry
        recovery_doc = doc.get("recovery")
        try:
            recovery = _checked_entry(recovery_doc, checked)
        except _ENTRY_ERRORS:
            recovery = _NO_RECOVERY
            unreadable[_RECOVERY_SLOT] = recovery_doc
        if unreadable:
            log.warning(
                "keyring: %d entr%s cannot be read (damaged); kept as %s",
                len(unreadable),
                "y" if len(unreadable) == 1 else "ies",
                "it is" if len(unreadable) == 1 else "they are",
            )
        demo: DemoHint | None = None
        if doc.get("demo") is not None:
            demo_doc = doc["demo"]
            demo = DemoHint(_text(demo_doc, "username"), _text(demo_doc, "passphrase"))
        return _with_rollback(
            _Keyring(
                vault_id=vault_id,
                users=users,
                recovery=recovery,
                demo=demo,
                broken=frozenset(unreadable),
                unreadable=unreadable,
            ),
            doc,
        )
    except DatabaseTooNew:
        raise
    except (_BadKeyring, ValueError, TypeError, KeyError, UnicodeDecodeError, binascii.Error):
        raise _damaged(path) from None


_ENTRY_ERRORS = (_BadKeyring, ValueError, TypeError, KeyError, AttributeError, binascii.Error)

# In place of a recovery entry that cannot be read (never unwrapped: the recovery slot is
# then in ``broken`` and ``unreadable``); its KDF settings are what an unknown username's
# decoy derivation uses.
_NO_RECOVERY = _Wrapped(
    salt=bytes(SALT_BYTES),
    kdf=DEFAULT_KDF,
    nonce=bytes(NONCE_BYTES),
    ciphertext=bytes(DATA_KEY_BYTES + 16),
)


def _entry_username(entry: Any) -> str | None:
    """The username of an account's entry, when it can be read and is a proper one."""
    name = entry.get("username") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name or name != normalise_username(name):
        return None
    return None if name.startswith("#") else name


def _entry_check(entry: dict[str, Any]) -> str:
    """The SHA-256 (hex) of the canonical JSON of an entry's fields other than its check."""
    fields = {k: v for k, v in entry.items() if k != _CHECK_KEY}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _checked_entry(entry: Any, checked: bool) -> _Wrapped:
    """An entry's wrapped copy, after its check (required from format 3 on)."""
    if not isinstance(entry, dict):
        raise _BadKeyring("the entry is not an object")
    check = entry.get(_CHECK_KEY)
    if check is None and checked:
        raise _BadKeyring("the entry has lost its check")
    if check is not None and not (
        isinstance(check, str) and hmac.compare_digest(check, _entry_check(entry))
    ):
        raise _BadKeyring("the entry does not match its check")
    return _wrapped_from_json(entry)


def _unreadable_names(keyring: _Keyring) -> set[str]:
    """The accounts whose entries cannot be read (those whose username can be)."""
    return {
        name
        for name in keyring.unreadable
        if not name.startswith("#") and name in keyring.broken and name not in keyring.users
    }


def _entry_unreadable(slot: str) -> KeyringDamaged:
    if slot == _RECOVERY_SLOT:
        return KeyringDamaged(
            "The recovery code's entry in the keyring is damaged, so the recovery code "
            "cannot unlock the database just now. Every account can still sign in with its "
            "passphrase: an administrator can then make a new recovery code, or restore the "
            "keyring from a backup ('Restore the keyring from a backup…')."
        )
    return KeyringDamaged(
        "This account's entry in the keyring is damaged, so this account cannot sign in "
        "just now. Every other account still can. The recovery code can give this account "
        "a new passphrase, or an administrator can restore the keyring from a backup "
        "('Restore the keyring from a backup…')."
    )


def _text(doc: Any, key: str) -> str:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), str):
        raise _BadKeyring(f"missing {key}")
    value: str = doc[key]
    return value


def _positive_int(doc: Any, key: str, most: int) -> int:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
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
        time_cost=_positive_int(kdf_doc, "time_cost", KDF_MAX_TIME_COST),
        memory_kib=_positive_int(kdf_doc, "memory_kib", KDF_MAX_MEMORY_KIB),
        parallelism=_positive_int(kdf_doc, "parallelism", KDF_MAX_PARALLELISM),
    )
    if kdf.memory_kib < 8 * kdf.parallelism:
        raise _BadKeyring("bad memory cost")
    salt = _bytes(doc, "salt")
    if not SALT_MIN_BYTES <= len(salt) <= SALT_MAX_BYTES:
        raise _BadKeyring("bad length of salt")
    return _Wrapped(
        salt=salt,
        kdf=kdf,
        nonce=_bytes(doc, "nonce", NONCE_BYTES),
        ciphertext=_bytes(doc, "wrapped_key", DATA_KEY_BYTES + 16),
    )


# ---------------------------------------------------------------------- the sealed form

_SEAL_INFO = b"incident-recorder sealed data key v1"
_SEALED_KEY = "x25519"  # the optional part of an entry in the sealed form
PUBLIC_KEY_BYTES = 32


def _aad_private(vault_id: str, slot: str) -> bytes:
    return _aad(vault_id, slot) + b"\x00x25519-private-key"


def _aad_sealed(vault_id: str, slot: str) -> bytes:
    return _aad(vault_id, slot) + b"\x00sealed-data-key"


def _seal_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + public, info=_SEAL_INFO
    ).derive(shared)


def _seal(data_key: bytes, public: bytes, vault_id: str, slot: str) -> _Sealed:
    """``data_key`` sealed to ``public`` (an ephemeral X25519 exchange, HKDF, AES-GCM)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_data_key(data_key)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(_seal_key(shared, ephemeral_public, public)).encrypt(
        nonce, bytes(data_key), _aad_sealed(vault_id, slot)
    )
    return _Sealed(public, ephemeral_public, nonce, ciphertext)


def _unseal(sealed: _Sealed, private_raw: bytes, vault_id: str, slot: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    private = X25519PrivateKey.from_private_bytes(private_raw)
    if private.public_key().public_bytes_raw() != sealed.public_key:
        raise ValueError("the private key does not belong to this entry")
    shared = private.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral))
    key = _seal_key(shared, sealed.ephemeral, sealed.public_key)
    return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, _aad_sealed(vault_id, slot))


def _entry_damaged(slot: str) -> KeyringDamaged:
    whose = "the recovery code's entry" if slot == _RECOVERY_SLOT else "this account's entry"
    return KeyringDamaged(
        f"The passphrase is right, but {whose} in the keyring is damaged, so it cannot "
        "unlock the database. Another administrator can give the account a new passphrase, "
        "or restore the keyring from a backup."
    )


def _open_sealed(
    keyring: _Keyring, slot: str, wrapped: _Wrapped, sealed: _Sealed | None, secret: str
) -> bytes:
    """The data key from an entry in the sealed form: the passphrase unwraps the private
    key (WrongPassphrase when it does not), which opens the sealed data key (damage when
    it does not: the passphrase was right)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = _kek(secret, wrapped, slot)
    try:
        private_raw = bytearray(
            AESGCM(kek).decrypt(
                wrapped.nonce, wrapped.ciphertext, _aad_private(keyring.vault_id, slot)
            )
        )
    except InvalidTag:
        raise WrongPassphrase() from None
    try:
        if sealed is None:
            raise ValueError("the sealed part cannot be read")
        data_key = _unseal(sealed, bytes(private_raw), keyring.vault_id, slot)
    except (InvalidTag, ValueError):
        raise _entry_damaged(slot) from None
    finally:
        _zero(private_raw)
    if len(data_key) != DATA_KEY_BYTES:
        raise _entry_damaged(slot)
    return data_key


def _zero(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def _sealed_to_json(sealed: _Sealed) -> dict[str, Any]:
    return {
        "public_key": _b64(sealed.public_key),
        "ephemeral_key": _b64(sealed.ephemeral),
        "nonce": _b64(sealed.nonce),
        "sealed_key": _b64(sealed.ciphertext),
    }


def _sealed_from_json(doc: Any) -> _Sealed:
    return _Sealed(
        public_key=_bytes(doc, "public_key", PUBLIC_KEY_BYTES),
        ephemeral=_bytes(doc, "ephemeral_key", PUBLIC_KEY_BYTES),
        nonce=_bytes(doc, "nonce", NONCE_BYTES),
        ciphertext=_bytes(doc, "sealed_key", DATA_KEY_BYTES + 16),
    )


def _serialise_sealed(keyring: _Keyring) -> bytes:
    """The keyring file: :func:`_serialise`'s document with each sealed part added to its
    entry under ``"x25519"`` (an optional key: an entry without it is of the older form)."""
    doc = json.loads(_serialise(keyring).decode("utf-8"))
    for entry in doc.get("users", []):
        part = keyring.sealed.get(entry.get("username"))
        if part is not None:
            entry[_SEALED_KEY] = _sealed_to_json(part)
        entry[_CHECK_KEY] = _entry_check(entry)
    if keyring.recovery_sealed is not None:
        doc["recovery"][_SEALED_KEY] = _sealed_to_json(keyring.recovery_sealed)
    doc["recovery"][_CHECK_KEY] = _entry_check(doc["recovery"])
    # The entries that cannot be read, still broken, go back exactly as they were.
    for slot, raw in keyring.unreadable.items():
        if slot not in keyring.broken:
            continue
        if slot == _RECOVERY_SLOT:
            doc["recovery"] = raw
        elif slot not in keyring.users:
            doc["users"].append(raw)
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _with_sealed(keyring: _Keyring, raw: bytes) -> _Keyring:
    """``keyring`` (as :func:`_parse` read it) with the entries' sealed parts. A sealed
    part that cannot be read marks only its own entry as damaged."""
    doc = json.loads(raw.decode("utf-8"))
    sealed: dict[str, _Sealed] = {}
    broken: set[str] = set()
    seen: set[str] = set()
    for entry in doc.get("users", []) if isinstance(doc.get("users"), list) else []:
        if not isinstance(entry, dict) or _SEALED_KEY not in entry:
            continue
        name = entry.get("username")
        if not isinstance(name, str) or name not in keyring.users or name in keyring.broken:
            continue
        if name in seen:  # a repeated username: only the first entry is the account's
            continue
        seen.add(name)
        try:
            sealed[name] = _sealed_from_json(entry[_SEALED_KEY])
        except (_BadKeyring, ValueError, TypeError, KeyError, binascii.Error):
            broken.add(name)
    recovery_sealed: _Sealed | None = None
    recovery_doc = doc.get("recovery")
    readable = _RECOVERY_SLOT not in keyring.unreadable
    if readable and isinstance(recovery_doc, dict) and _SEALED_KEY in recovery_doc:
        try:
            recovery_sealed = _sealed_from_json(recovery_doc[_SEALED_KEY])
        except (_BadKeyring, ValueError, TypeError, KeyError, binascii.Error):
            broken.add(_RECOVERY_SLOT)
    if not sealed and recovery_sealed is None and not broken:
        return keyring
    return replace(
        keyring,
        sealed=sealed,
        recovery_sealed=recovery_sealed,
        broken=keyring.broken | frozenset(broken),
    )


def rotated_keyring_opens(raw: bytes, path: Path) -> str:
    """The vault id of keyring file bytes ``raw`` (to check a rotated keyring before it
    is put in place); raises DatabaseDamaged when it cannot be read."""
    return _with_sealed(_parse(raw, path), raw).vault_id
