"""Backups as the school keeps them: what each generation holds, which generations to
keep (thinned the way Anki thins its backups), and when the next one is due.

A backup is a folder with the same layout as a data folder (the encrypted database, the
keyring that opens it, and a manifest), so that any current passphrase or the recovery
code opens it, and restoring it is putting those two files back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Why a backup was made (its label; part of its folder name).
AUTOMATIC = "automatic"
MANUAL = "manual"
SIGN_OUT = "sign-out"
LOCK = "lock"
EXIT = "exit"


# Audit actions that change nothing a school would restore a backup for: signing in,
# reading, printing or exporting what is there without keeping anything new, and the
# backups' own entries. They are in the next backup made, but they alone do not make one
# (otherwise nearly every lock and sign-out would copy the whole database). Anything not
# named here counts as a change, so a new kind of entry makes a backup until it is added.
UNCHANGING_ACTIONS = frozenset(
    {
        "sign_in",
        "sign_in_failed",
        "view",  # a submitted record opened
        "view_parents_copy",  # its copy for parents opened (the school office, issue 13)
        "list_records",  # every record read out in full (the command line)
        "export",  # the records written out as JSON
        "record_document",  # a printable record built (printing it is kept: a change)
        "pupil_review",
        "pupil_summary",
        "pupil_summary_print",
        "plan_view",
        "plan_print",
        "plan_reviews_view",
        "plan_reviews_due",
        "backup_made",
        "backup_failed",
        "backup_copied",
        "old_backups_deleted",  # backups under an old key deleted: the records unchanged
    }
)


def changes_records(action: str) -> bool:
    """Whether an audit entry of ``action`` records a change a backup should keep."""
    return action not in UNCHANGING_ACTIONS


@dataclass(frozen=True, slots=True)
class Generation:
    """One backup: its folder's name and what its manifest says it holds."""

    name: str
    made_at: datetime  # UTC
    label: str
    schema: int
    records: int  # submitted records
    audit_seq: int  # the audit chain's newest entry in it (0: none)
    audit_hash: str
    app_version: str = ""
    size_bytes: int = 0
    location: str = ""  # the folder it lies in (the data folder's backups/, or the second)
    # what the database held besides its audit chain when it was made (drafts' saves are
    # not audited): "audit seq|drafts N|newest draft save"; see store/backup.changes_mark
    mark: str = ""

    @property
    def short_hash(self) -> str:
        return self.audit_hash[:8]


@dataclass(frozen=True, slots=True)
class GenerationPolicy:
    """How many to keep beyond today's (every backup of today is kept)."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def to_keep(made: Sequence[date], today: date, policy: GenerationPolicy) -> set[int]:
    """Which backups to keep (indexes into ``made``, the local day each was made): every
    backup of today; then, going back, the newest of each of the ``daily`` days that have
    one; then the newest of each of the ``weekly`` weeks before those; then the newest of
    each of the ``monthly`` months before those. The newest backup of all is always kept,
    whatever its age."""
    order = sorted(range(len(made)), key=lambda i: made[i], reverse=True)
    keep = {i for i in order if made[i] >= today}
    daily: list[date] = []
    weekly: list[date] = []
    monthly: list[date] = []
    for i in order:
        day = made[i]
        if day >= today:
            continue
        if len(daily) < policy.daily:
            if day not in daily:
                daily.append(day)
                keep.add(i)
            continue
        if len(weekly) < policy.weekly:
            taken = {_week(d) for d in (*daily, *weekly)}
            if _week(day) not in taken:
                weekly.append(day)
                keep.add(i)
            continue
        if len(monthly) < policy.monthly:
            taken_months = {(d.year, d.month) for d in (*daily, *weekly, *monthly)}
            if (day.year, day.month) not in taken_months:
                monthly.append(day)
                keep.add(i)
            continue
        break
    if order:
        keep.add(order[0])
    return keep


def due(last: datetime | None, now: datetime, every_minutes: int) -> bool:
    """Whether an automatic backup is due: never made, or made ``every_minutes`` ago."""
    return last is None or now - last >= timedelta(minutes=max(1, every_minutes))


_LABEL_WORDS = {
    AUTOMATIC: "automatic",
    MANUAL: "made by hand",
    SIGN_OUT: "on sign-out",
    LOCK: "on lock",
    EXIT: "on exit",
}


def label_words(label: str) -> str:
    """Why a backup was made, in plain words ("on lock"; "before an update" for the copy
    made before the database was updated to a new version)."""
    if label.startswith("before-schema-"):
        return "before an update"
    return _LABEL_WORDS.get(label, label.replace("-", " "))


def size_words(size_bytes: int) -> str:
    """A backup's size as people read it: "840 KB", "12.3 MB", "1.20 GB"."""
    if size_bytes < 1000 * 1000:
        return f"{max(1, round(size_bytes / 1000))} KB"
    if size_bytes < 1000 * 1000 * 1000:
        return f"{size_bytes / 1e6:.1f} MB"
    return f"{size_bytes / 1e9:.2f} GB"
