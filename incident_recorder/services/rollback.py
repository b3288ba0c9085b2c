"""Noticing an older copy put back (``domain/rollback.py``): the database compared with
what the keyring last saw, and the keyring with what the database last saw, before
anything is written; and both kept up to date as the school works.

Each check is a few reads (the chain's head and one entry by number, both by primary
key; the newest ``keyring_changed`` entry, by the ``audit_action`` index of schema 9:
under 1 ms with 389,000 audit entries, where reading the log backwards without it took
275 ms, measured 07/12/2026) and the keyring file, so it is made at every sign-in.
"""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import DatabaseDamaged
from incident_recorder.domain.rollback import (
    DIFFERENT_HISTORY,
    KEYRING_CHANGED,
    OLDER_DATABASE,
    OlderCopy,
    newest_holding,
    older_copy_kind,
    revision_detail,
    revision_from_detail,
)
from incident_recorder.services.ports import KeyVault, Store
from incident_recorder.services.session import remember_head, to_local

__all__ = ["find_older_copy", "note_keyring", "recorded_revision", "remember_head"]


def recorded_revision(store: Store) -> int:
    """The keyring revision the database last recorded (0: none)."""
    entry = store.audit.latest(KEYRING_CHANGED)
    return 0 if entry is None else revision_from_detail(entry.detail)


def find_older_copy(store: Store, vault: KeyVault) -> OlderCopy | None:
    """Whether the database or the keyring is an older copy of itself (reads only). The
    finding names the newest backup (the data folder's or the second folder's) that
    holds what is missing."""
    seen = vault.seen()
    keyring_revision = vault.revision()
    head = store.audit.head()
    head_seq = 0 if head is None else head.seq
    at_seen = None
    if seen is not None and 0 < seen.seq <= head_seq:
        entry = store.audit.entry(seen.seq)
        at_seen = None if entry is None else entry.entry_hash
    database_revision = recorded_revision(store)
    kind = older_copy_kind(seen, head_seq, at_seen, keyring_revision, database_revision)
    if kind is None:
        return None
    zone = store.settings.get().school.timezone
    backup = None
    if kind in (OLDER_DATABASE, DIFFERENT_HISTORY):
        backup = newest_holding(_generations(store), seen)
    return OlderCopy(
        kind=kind,
        seen_seq=0 if seen is None else seen.seq,
        head_seq=head_seq,
        seen_at=None if seen is None else to_local(seen.at, zone),
        keyring_revision=keyring_revision,
        database_revision=database_revision,
        backup=backup,
        backup_at=None if backup is None else to_local(backup.made_at, zone),
    )


def _generations(store: Store) -> list[Generation]:
    """Every backup in the data folder and the second folder (those that can be read)."""
    found: list[Generation] = []
    folders = [""]
    try:
        second = store.settings.get().backups.second_folder
        if second:
            folders.append(second)
    except DatabaseDamaged:
        pass
    for folder in folders:
        try:
            found += store.backups.generations(folder)
        except OSError:
            continue
    return found


def note_keyring(
    store: Store,
    vault: KeyVault,
    actor_id: int | None,
    now: datetime,
    always: bool = False,
    first: bool = True,
) -> None:
    """Record in the database the keyring's revision, when it is newer than the one the
    database last recorded (``always``: whatever it is, as when an older keyring is
    accepted; ``first=False``: only when the database has recorded one before, so a
    sign-in adds no entry to a school whose keyring has not changed in a session). Call
    it inside the transaction of the change."""
    revision = vault.revision()
    recorded = recorded_revision(store)
    if not first and recorded == 0:
        return
    if revision > recorded or (always and revision != recorded):
        store.audit.append(actor_id, KEYRING_CHANGED, now, detail=revision_detail(revision))
