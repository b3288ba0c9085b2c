"""Restoring a backup: the use case before a session, like signing in.

The database may be missing, damaged or an older copy of itself, so nothing here needs
one to open. The person restoring unlocks the backup with its own keyring (every backup
carries the keyring it needs), so any passphrase that opened the school's records when
the backup was made, or the recovery code, will do. Then:

1. the backup is checked without changing it: cipher and integrity checks, the audit
   chain, a schema this app knows;
2. the current database (and, when it cannot open the backup, the current keyring) is
   moved aside to ``replaced/<date-time>/``, never deleted;
3. the backup is copied in, brought up to this app's schema, and the restore is
   written to its audit chain with what it replaced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import (
    DatabaseDamaged,
    IncidentRecorderError,
    InvalidInput,
    WrongPassphrase,
)
from incident_recorder.services.accounts import normalise_username
from incident_recorder.services.ports import (
    BackupFacts,
    BackupRestorer,
    Clock,
    KeyVault,
    Progress,
    ReplacedFiles,
    StoreFactory,
)
from incident_recorder.services.progress import NO_PROGRESS
from incident_recorder.services.rollback import note_keyring, remember_head

log = logging.getLogger("incident_recorder.services")


class BackupNotRestorable(IncidentRecorderError):
    """The backup failed its checks; nothing was changed (the message says what)."""


@dataclass(eq=False)
class UnlockedBackup:
    """A backup and the key that opens it, held until it is restored or forgotten."""

    generation: Generation
    data_key: bytearray = field(repr=False)
    username: str | None  # None: unlocked with the recovery code
    keep_current_keyring: bool  # the current keyring opens it with the same secret

    def forget(self) -> None:
        for i in range(len(self.data_key)):
            self.data_key[i] = 0


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    generation: Generation
    restored: BackupFacts
    replaced: ReplacedFiles
    before: BackupFacts | None  # what the replaced database held (None: unreadable/none)
    keyring_replaced: bool


@dataclass(frozen=True, slots=True)
class KeyringRestoreOutcome:
    generation: Generation
    replaced: ReplacedFiles  # the keyring that was there, kept aside (none: folder "")


@dataclass(frozen=True, slots=True)
class RestorePreview:
    """What a restore would do, found without changing anything."""

    problems: tuple[str, ...]  # the backup's: () when it can be restored
    restored: BackupFacts | None  # what the backup holds (None when it cannot be read)
    current: BackupFacts | None  # what the data folder holds now (None: none/unreadable)
    current_exists: bool


class RestoreService:
    """Restore a backup into the data folder. The caller holds the data folder's lock
    and has closed every connection to its database."""

    def __init__(
        self,
        restorer: BackupRestorer,
        stores: StoreFactory,
        current_vault: KeyVault,
        vault_for: Callable[[Path], KeyVault],
        clock: Clock,
    ) -> None:
        self._restorer = restorer
        self._stores = stores
        self._vault = current_vault
        self._vault_for = vault_for
        self._clock = clock

    # ------------------------------------------------------------------ finding one

    def backups(self, also_in: str = "") -> list[Generation]:
        """Every backup on this computer (and in ``also_in``, e.g. the second folder or
        a USB drive), newest first."""
        found = self._restorer.local_generations()
        if also_in:
            found += self._restorer.generations_in(Path(also_in))
        return sorted(found, key=lambda g: (g.made_at, g.name), reverse=True)

    def where(self, generation: Generation) -> str:
        """Where a backup lies, in a few words."""
        local = self._restorer.data_dir / "backups"
        if Path(generation.location) == local:
            return "on this computer"
        return f"in {generation.location}"

    def find(self, path: str) -> Generation:
        """The backup at ``path`` (a backup's folder, or the incidents.db or backup.json
        in it)."""
        generation = self._restorer.describe(Path(path))
        if generation is None:
            raise InvalidInput(
                f"{path} is not an Incident Recorder backup. A backup is a folder named like "
                "20261207-140500-schema0012-automatic holding incidents.db, keyring.json and "
                "backup.json (in the data folder's 'backups' folder, or the second folder)."
            )
        return generation

    # ------------------------------------------------------------------ unlocking it

    def unlock(self, generation: Generation, username: str, passphrase: str) -> UnlockedBackup:
        """Open the backup's keyring with an account's passphrase (as it was when the
        backup was made). Raises WrongPassphrase."""
        name = normalise_username(username)
        key = self._backup_vault(generation).unlock(name, passphrase)
        same = self._current_gives(key, lambda vault: vault.unlock(name, passphrase))
        same = same and self._not_older(generation)
        return UnlockedBackup(generation, bytearray(key), name, same)

    def unlock_with_recovery_code(self, generation: Generation, code: str) -> UnlockedBackup:
        key = self._backup_vault(generation).unlock_with_recovery_code(code)
        same = self._current_gives(key, lambda vault: vault.unlock_with_recovery_code(code))
        same = same and self._not_older(generation)
        return UnlockedBackup(generation, bytearray(key), None, same)

    def _backup_vault(self, generation: Generation) -> KeyVault:
        vault = self._vault_for(self._restorer.folder_of(generation))
        if not vault.exists():
            raise InvalidInput(
                "This backup has no keyring beside its database, so it cannot be unlocked. "
                "Choose another backup."
            )
        return vault

    def _current_gives(self, key: bytes, unlock: Callable[[KeyVault], bytes]) -> bool:
        """Whether the data folder's own keyring opens the same key with the same secret
        (then it is kept: it holds the newest passphrases; otherwise the backup's own
        keyring is put back with it)."""
        try:
            if not self._vault.exists():
                return False
            return unlock(self._vault) == key
        except (IncidentRecorderError, OSError, ValueError):
            return False

    def _not_older(self, generation: Generation) -> bool:
        """Whether the data folder's keyring is at least as new as the backup's (an older
        keyring put back is replaced by the backup's, not kept: domain/rollback.py)."""
        try:
            return self._vault.revision() >= self._backup_vault(generation).revision()
        except (IncidentRecorderError, OSError, ValueError):
            return False

    # ------------------------------------------------------------------ checking and restoring

    def check(self, unlocked: UnlockedBackup) -> list[str]:
        """The backup's problems in plain words ([] when it can be restored); changes
        nothing."""
        return self._restorer.check(unlocked.generation, bytes(unlocked.data_key))

    def preview(self, unlocked: UnlockedBackup) -> RestorePreview:
        """Check the backup and say what it holds and what it would replace (for the
        question asked before restoring); changes nothing."""
        key = bytes(unlocked.data_key)
        problems = tuple(self._restorer.check(unlocked.generation, key))
        restored = None if problems else self._restorer.facts(unlocked.generation, key)
        return RestorePreview(
            problems, restored, self._restorer.current_facts(key), self._stores.exists()
        )

    def restore(self, unlocked: UnlockedBackup, progress: Progress = NO_PROGRESS) -> RestoreOutcome:
        """Check the backup, keep the current database aside, put the backup in its
        place and audit it there. Raises BackupNotRestorable (nothing changed) when the
        backup fails its checks."""
        generation, key = unlocked.generation, bytes(unlocked.data_key)
        progress.step(0, 4, "Checking the backup")
        problems = self._restorer.check(generation, key)
        if problems:
            raise BackupNotRestorable(
                "This backup cannot be restored, so nothing was changed: " + " ".join(problems)
            )
        restored = self._restorer.facts(generation, key)
        before = self._restorer.current_facts(key)
        progress.step(1, 4, "Keeping the current database aside")
        now = self._clock.now()
        replace_keyring = not unlocked.keep_current_keyring
        try:
            replaced = self._restorer.put_in_place(generation, now, replace_keyring)
        except OSError as error:
            log.warning("a backup could not be put in place (%s)", type(error).__name__)
            raise BackupNotRestorable(_copy_failed(error)) from None
        log.info(
            "backup restored (%d records, audit entry %d)", restored.records, restored.audit_seq
        )
        progress.step(2, 4, "Bringing the backup up to this version")
        store = self._stores.open(key)
        try:
            progress.step(3, 4, "Recording the restore")
            user = store.users.by_username(unlocked.username) if unlocked.username else None
            actor = user.id if user is not None else None
            with store.transaction():
                store.audit.append(
                    actor,
                    "restore",
                    now,
                    detail=_detail(generation, restored, replaced, before, unlocked.username),
                )
                # A restore is deliberate: the database and the keyring now in place are
                # the pair to compare later copies with (domain/rollback.py).
                note_keyring(store, self._vault, actor, now, always=True, first=False)
            remember_head(store, self._vault, now)
        finally:
            store.close()
        progress.step(4, 4, "Restored")
        return RestoreOutcome(generation, restored, replaced, before, replace_keyring)

    # ------------------------------------------------------------------ the keyring alone

    def restore_keyring(self, unlocked: UnlockedBackup) -> KeyringRestoreOutcome:
        """Put back only the backup's keyring (when the data folder's keyring is missing or
        damaged), after checking that its key opens the database that is there NOW (read
        only). Then the restore is written to that database's audit log at once
        ("keyring_restored", naming the backup). Raises BackupNotRestorable, changing
        nothing, when the key does not open the current database."""
        generation, key = unlocked.generation, bytes(unlocked.data_key)
        if not self._stores.exists():
            raise BackupNotRestorable(
                "There is no database in the data folder for this keyring to unlock, so "
                "nothing was changed. Restore the whole backup instead ('Restore from a "
                "backup…', or 'incident-recorder restore')."
            )
        if self._restorer.current_facts(key) is None:
            raise BackupNotRestorable(
                "The keyring in this backup does not unlock the records in the data folder "
                "now, so nothing was changed. The school's key may have been changed since "
                "that backup was made (key rotation), or the database may be damaged. Try a "
                "newer backup, or restore the whole backup instead ('Restore from a "
                "backup…', or 'incident-recorder restore')."
            )
        try:
            # Opened (with the quick check at opening) before anything is written, so a
            # damaged database refuses here and the audit entry below can be written.
            store = self._stores.open(key)
        except DatabaseDamaged:
            raise BackupNotRestorable(
                "The key in this backup's keyring is right, but the database on this "
                "computer is damaged, so nothing was changed. Restore the whole backup "
                "instead ('Restore from a backup…', or 'incident-recorder restore')."
            ) from None
        now = self._clock.now()
        try:
            try:
                replaced = self._restorer.put_keyring_in_place(generation, now)
            except OSError as error:
                log.warning("a keyring could not be put in place (%s)", type(error).__name__)
                raise BackupNotRestorable(_copy_failed(error)) from None
            log.info("keyring restored from a backup")
            user = store.users.by_username(unlocked.username) if unlocked.username else None
            actor = user.id if user is not None else None
            how = "with the recovery code" if unlocked.username is None else "with a passphrase"
            kept = (
                f"; the keyring it replaced is kept in replaced/{Path(replaced.folder).name}"
                if replaced.folder
                else ""
            )
            with store.transaction():
                store.audit.append(
                    actor,
                    "keyring_restored",
                    now,
                    detail=f"restored the keyring from backup {generation.name} {how}{kept}",
                )
                # Deliberate, as a restore is: this keyring and the database are the pair
                # later copies are compared with (domain/rollback.py), so no alarm follows.
                note_keyring(store, self._vault, actor, now, always=True, first=False)
            remember_head(store, self._vault, now)
        finally:
            store.close()
        return KeyringRestoreOutcome(generation, replaced)


def _detail(
    generation: Generation,
    restored: BackupFacts,
    replaced: ReplacedFiles,
    before: BackupFacts | None,
    username: str | None,
) -> str:
    how = "with the recovery code" if username is None else "with an account's passphrase"
    text = (
        f"restored backup {generation.name} ({restored.records} records, audit entry "
        f"{restored.audit_seq}) {how}"
    )
    if not replaced.folder:
        return text + "; there was no database to replace"
    kept = Path(replaced.folder).name
    if before is None:
        return text + f"; the database it replaced could not be read and is kept in replaced/{kept}"
    return (
        text + f"; the database it replaced ({before.records} records, audit entry "
        f"{before.audit_seq}) is kept in replaced/{kept}"
    )


def _copy_failed(error: OSError) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        reason = "the disk is full. Free some space (the backup needs as much as the records)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the data folder cannot be written to"
    else:
        reason = (error.strerror or str(error) or "the file system refused").rstrip(".")
    return f"The backup could not be copied into the data folder: {reason}. Nothing was changed."


def unlock_error(error: Exception) -> str:
    """A plain message for why a backup could not be unlocked."""
    if isinstance(error, WrongPassphrase):
        return (
            "That username and passphrase do not open this backup. Use a passphrase that "
            "worked when the backup was made, or the recovery code."
        )
    if isinstance(error, DatabaseDamaged | InvalidInput):
        return str(error)
    return f"The backup could not be unlocked ({type(error).__name__})."
