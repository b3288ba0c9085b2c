"""An older copy put back: the database replaced by an older copy of itself (or one
whose history went another way), or the keyring replaced by an older copy of itself.

The keyring remembers the audit chain's newest entry it last saw (its sequence number,
hash and when), and the database remembers the keyring's revision it last saw (an audit
entry ``keyring_changed`` "revision N"). Neither file can be put back from an older copy
without the other noticing:

- the database's chain stops short of what the keyring saw: an **older database**, with
  that many audit entries (and whatever they recorded) missing;
- the entry the keyring saw is there but different: a **different history** (an older
  copy that was used afterwards, or another school's file);
- the keyring's revision is lower than the database's latest: an **older keyring**, which
  may still hold accounts switched off since.

Plain words for each, for the sign-in window, the command line and ``verify``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from incident_recorder.domain.backups import Generation

OLDER_DATABASE = "older_database"
DIFFERENT_HISTORY = "different_history"
OLDER_KEYRING = "older_keyring"

# The audit actions this module's findings are written under.
KEYRING_CHANGED = "keyring_changed"
OLDER_COPY_ACCEPTED = "older_copy_accepted"


@dataclass(frozen=True, slots=True)
class SeenHead:
    """The audit chain's newest entry as the keyring last saw it."""

    seq: int
    hash: str
    at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class OlderCopy:
    """What was found, with the numbers to name. Times are the school's wall-clock."""

    kind: str  # OLDER_DATABASE, DIFFERENT_HISTORY or OLDER_KEYRING
    seen_seq: int  # the entry the keyring last saw (0: none remembered)
    head_seq: int  # the database's newest entry
    seen_at: datetime | None  # when the keyring saw it (local, naive)
    keyring_revision: int
    database_revision: int  # the keyring revision the database last recorded
    backup: Generation | None = None  # the newest backup that holds what is missing
    backup_at: datetime | None = None  # when it was made (local, naive)

    @property
    def missing(self) -> int:
        """How many audit entries the database lacks (an older database only)."""
        return max(0, self.seen_seq - self.head_seq) if self.kind == OLDER_DATABASE else 0


def revision_detail(revision: int) -> str:
    """The detail of a ``keyring_changed`` audit entry."""
    return f"revision {revision}"


def revision_from_detail(detail: str) -> int:
    """The revision a ``keyring_changed`` entry names (0 when it names none)."""
    words = detail.split()
    if len(words) >= 2 and words[0] == "revision" and words[1].isdigit():
        return int(words[1])
    return 0


def older_copy_kind(
    seen: SeenHead | None,
    head_seq: int,
    hash_at_seen: str | None,
    keyring_revision: int,
    database_revision: int,
) -> str | None:
    """Which kind of older copy this is, or None when the two files agree.
    ``hash_at_seen``: the hash of the database's entry numbered ``seen.seq`` (None when
    it has no such entry)."""
    if seen is not None and seen.seq > 0:
        if head_seq < seen.seq:
            return OLDER_DATABASE
        if hash_at_seen != seen.hash:
            return DIFFERENT_HISTORY
    if keyring_revision < database_revision:
        return OLDER_KEYRING
    return None


def newest_holding(generations: Sequence[Generation], seen: SeenHead | None) -> Generation | None:
    """The newest backup whose audit chain reaches the entry the keyring saw (and, when it
    ends exactly there, ends with the same entry)."""
    if seen is None:
        return None
    holding = [
        g
        for g in generations
        if g.audit_seq > seen.seq or (g.audit_seq == seen.seq and g.audit_hash == seen.hash)
    ]
    return max(holding, key=lambda g: (g.made_at, g.name), default=None)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f" on {moment:%d/%m/%Y at %H:%M}"


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def words(found: OlderCopy) -> str:
    """What was found and what to do, in plain words (one paragraph)."""
    if found.kind == OLDER_KEYRING:
        return (
            "The keyring file (keyring.json) in the data folder is an older copy of itself: "
            f"the database says the keyring was last changed to revision "
            f"{found.database_revision}, but this keyring is at revision "
            f"{found.keyring_revision}. An older keyring may still let in accounts that "
            "have been switched off since, and may lack accounts or passphrases set up "
            "since. Nothing has been changed. Ask the person who looks after Incident "
            "Recorder to restore the newest backup (it carries its keyring), or to check "
            "every account before carrying on."
        )
    if found.kind == DIFFERENT_HISTORY:
        text = (
            "This database is not the copy this computer last saw: entry "
            f"{found.seen_seq} of its audit log differs from the one seen"
            f"{_when(found.seen_at)}, so its history has gone another way and records "
            "may be missing. It may be an older copy that was used afterwards, or a copy "
            "from somewhere else."
        )
    else:
        text = (
            "This database is an older copy of the school's records: its audit log stops "
            f"at entry {found.head_seq}, but this computer saw entry {found.seen_seq}"
            f"{_when(found.seen_at)}, so {_entries(found.missing)} of the log (and whatever "
            "they recorded) are missing. It may have been put back from an older copy of "
            "the data folder."
        )
    return f"{text} Nothing has been changed. {backup_words(found)}"


def backup_words(found: OlderCopy) -> str:
    """Which backup holds what is missing, or that none does."""
    backup = found.backup
    if backup is None:
        return (
            "No backup on this computer or in the second folder holds the newer records. "
            "Ask your IT support before saving anything more here: a copy of the data "
            "folder kept elsewhere may have them (see docs/backups.md)."
        )
    return (
        f"The newest backup that holds them was made{_when(found.backup_at)} "
        f"({backup.name}); restoring it brings them back, and the copy in use now is "
        "kept aside."
    )


def audit_detail(found: OlderCopy) -> str:
    """The detail of the ``older_copy_accepted`` entry: numbers only."""
    return (
        f"{found.kind.replace('_', ' ')}: this copy ends at audit entry {found.head_seq}, "
        f"the keyring had seen entry {found.seen_seq}; keyring revision "
        f"{found.keyring_revision}, database revision {found.database_revision}"
    )
