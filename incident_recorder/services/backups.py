"""Backups as the school sees them: made by themselves while the app is open (and on
sign-out, lock and exit), thinned to generations, copied to a second folder, checked on
demand, and a plain account of when the last ones were made.

The work is slow on a large database, so the GUI calls :meth:`BackupService.back_up`
and :meth:`BackupService.check_all` on a worker (``ui/background.py``), with the worker's
own connection; the command line calls them directly.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from incident_recorder.domain.backups import (
    AUTOMATIC,
    Generation,
    GenerationPolicy,
    label_words,
    to_keep,
)
from incident_recorder.domain.errors import IncidentRecorderError, InvalidInput
from incident_recorder.domain.model import BackupSettings, Role
from incident_recorder.services.ports import Progress
from incident_recorder.services.progress import NO_PROGRESS, stop_if_asked
from incident_recorder.services.session import Session, to_local

log = logging.getLogger("incident_recorder.services")

# Everyone is warned at sign-in when the newest second copy is older than this.
EVERYONE_WARNED_AFTER = timedelta(days=7)
# The administrator is warned sooner: when no second copy was made in the last day.
ADMINISTRATOR_WARNED_AFTER = timedelta(days=1)
LIMITS = {"every_minutes": (5, 24 * 60), "daily": (1, 60), "weekly": (0, 52), "monthly": (0, 120)}


class BackupNotMade(IncidentRecorderError):
    """A backup could not be made (the message says why, plainly); nothing was lost."""


@dataclass(frozen=True, slots=True)
class BackupStatus:
    """When the last backups were made, and what to warn about."""

    newest: Generation | None  # in the data folder's backups/
    newest_second: Generation | None  # in the second folder
    second_folder: str
    second_reachable: bool
    warning: str  # "" when there is nothing to warn this person about
    changed_since: bool  # whether anything has been recorded since the newest backup


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    """What one call to :meth:`BackupService.back_up` did."""

    made: Generation | None  # None: nothing had changed since the last backup
    copied: Generation | None  # the copy in the second folder, if one was made
    copy_problem: str  # why the second copy was not made ("" if it was, or none is set)
    removed: int  # older generations thinned away (both folders)


@dataclass(frozen=True, slots=True)
class GenerationCheck:
    generation: Generation
    problems: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.problems


class BackupService:
    def __init__(self, session: Session, app_version: str = "") -> None:
        self._s = session
        self._version = app_version

    # ------------------------------------------------------------------ reading

    @property
    def may_manage(self) -> bool:
        """Whether this person may see the Backups screen, check and restore backups and
        change where and how often they are made (administrators)."""
        return self._s.user.has(Role.ADMINISTRATOR)

    def settings(self) -> BackupSettings:
        return self._s.settings().backups

    def generations(self, second: bool = False) -> list[Generation]:
        """Every generation in the data folder's ``backups/`` (or the second folder),
        newest first."""
        self._require_manager("see the backups")
        folder = self.settings().second_folder if second else ""
        if second and not folder:
            return []
        return list(reversed(self._generations(folder)))

    def status(self) -> BackupStatus:
        """For the main window's status bar and the warning at sign-in."""
        shelf = self._s.store.backups
        folder = self.settings().second_folder
        mine = self._generations("")
        reachable = bool(folder) and shelf.reachable(folder)
        theirs = self._generations(folder) if reachable else []
        newest = mine[-1] if mine else None
        newest_second = theirs[-1] if theirs else None
        changed = newest is None or shelf.changed_since(newest)
        return BackupStatus(
            newest,
            newest_second,
            folder,
            reachable,
            self._warning(folder, reachable, newest_second),
            changed,
        )

    def _warning(self, folder: str, reachable: bool, newest_second: Generation | None) -> str:
        now = self._s.now()
        admin = self._s.user.has(Role.ADMINISTRATOR)
        since = None if newest_second is None else now - newest_second.made_at
        if admin and not folder:
            return (
                "No second copy of the backups is set up. If this PC is lost, stolen or its "
                "disk fails, the backups go with it. Choose a second folder (a USB drive, "
                "another disk or a school server share) in Administration ▸ Backups."
            )
        if admin and not reachable:
            return (
                f"The second backup folder ({folder}) cannot be reached, so no second copy "
                "can be made. Plug the drive in or reconnect the share: the newest backup "
                "is copied there as soon as it can be."
            )
        if admin and (since is None or since > ADMINISTRATOR_WARNED_AFTER):
            when = "yet" if newest_second is None else f"since {self._local(newest_second)}"
            return f"No second copy of the backups has been made {when}."
        if not admin and (since is None or since > EVERYONE_WARNED_AFTER):
            if newest_second is None and not self._older_than_a_week():
                return ""
            when = "" if newest_second is None else f" (the last was on {self._day(newest_second)})"
            return (
                "No copy of the records has been kept away from this PC for over a week"
                f"{when}. Please tell whoever looks after Incident Recorder."
            )
        return ""

    def last_failure(self) -> str:
        """A plain sentence when the newest attempt at a backup failed and none has been
        made since (a backup on lock or on exit, say, that nobody was there to see fail);
        "" otherwise."""
        mine = self._generations("")
        newest = mine[-1].made_at if mine else None
        for entry in self._s.store.audit.entries(limit=200):
            if entry.action != "backup_failed":
                continue
            if newest is not None and entry.at <= newest:
                return ""
            label, _, reason = entry.detail.partition(" backup: ")
            moment = to_local(entry.at, self._s.settings().school.timezone)
            why = f": {reason.rstrip('.')}" if reason else ""
            words = label_words(label)
            which = "automatic backup" if label == AUTOMATIC else f"backup {words}"
            return (
                f"The {which} on {moment:%d/%m/%Y at %H:%M} could not "
                f"be made{why}. The records themselves are as they were; a backup is tried "
                "again automatically."
            )
        return ""

    def _older_than_a_week(self) -> bool:
        """Whether the records have been kept here for over a week (the oldest backup is
        that old): a new school is not warned in its first week."""
        mine = self._generations("")
        return bool(mine) and self._s.now() - mine[0].made_at > EVERYONE_WARNED_AFTER

    # ------------------------------------------------------------------ making one

    def back_up(
        self, label: str, progress: Progress = NO_PROGRESS, only_if_changed: bool = False
    ) -> BackupOutcome:
        """Make a backup now (with the store's own connection: on the GUI, a worker's),
        thin the generations, then copy the newest to the second folder if there is one
        and it can be reached. ``only_if_changed``: nothing is made when nothing has
        been recorded since the newest backup (the automatic ones and those on lock)."""
        shelf = self._s.store.backups
        settings = self.settings()
        if only_if_changed:
            mine = self._generations("")
            if mine and not shelf.changed_since(mine[-1]):
                return BackupOutcome(None, None, "", 0)
        stop_if_asked(progress, "Making the backup")
        progress.step(0, 3, "Making the backup")
        try:
            # Audited first, so that the backup holds the entry that says it was made.
            with self._s.store.transaction():
                self._s.audit("backup_made", detail=f"{label} backup")
            made = shelf.make(label, self._s.now(), self._version)
        except OSError as error:
            log.warning("a backup could not be made (%s)", type(error).__name__)
            message = _plain_os_error(error, "The backup could not be made")
            # the disk may be too full even for this
            with contextlib.suppress(Exception), self._s.store.transaction():
                self._s.audit("backup_failed", detail=f"{label} backup: {error.strerror}")
            raise BackupNotMade(message) from None
        log.info("backup made (%s, %d bytes)", label, made.size_bytes)
        progress.step(1, 3, "Thinning older backups")
        removed = self._thin("", settings)
        copied, problem = None, ""
        folder = settings.second_folder
        if folder:
            progress.step(2, 3, "Copying the backup to the second folder")
            copied, problem = self._copy(made, folder)
            if copied is not None:
                removed += self._thin(folder, settings)
        progress.step(3, 3, "Done")
        return BackupOutcome(made, copied, problem, removed)

    def copy_to(self, generation: Generation, folder: str) -> Generation:
        """Copy a backup of the data folder to ``folder`` (a USB drive, say: the copy is
        as encrypted as the backup). Raises BackupNotMade with the plain reason."""
        shelf = self._s.store.backups
        if shelf.inside_data_folder(folder):
            raise InvalidInput(
                "Choose a folder outside the data folder: a copy beside the records is lost "
                "with them."
            )
        try:
            copied = shelf.copy_to(generation.name, folder)
        except OSError as error:
            log.warning("a backup could not be copied (%s)", type(error).__name__)
            raise BackupNotMade(
                _plain_os_error(error, f"The backup could not be copied to {folder}")
            ) from None
        with self._s.store.transaction():
            self._s.audit("backup_copied", detail=f"backup {generation.name} copied")
        return copied

    def _copy(self, made: Generation, folder: str) -> tuple[Generation | None, str]:
        shelf = self._s.store.backups
        if not shelf.reachable(folder):
            return None, (
                f"The second folder ({folder}) could not be reached; the backup will be "
                "copied there when it can be."
            )
        try:
            return shelf.copy_to(made.name, folder), ""
        except OSError as error:
            log.warning("a backup could not be copied (%s)", type(error).__name__)
            return None, _plain_os_error(error, f"The backup could not be copied to {folder}")

    def _thin(self, folder: str, settings: BackupSettings) -> int:
        shelf = self._s.store.backups
        found = self._generations(folder)
        zone = self._s.settings().school.timezone
        today = to_local(self._s.now(), zone).date()
        days = [to_local(g.made_at, zone).date() for g in found]
        policy = GenerationPolicy(settings.daily, settings.weekly, settings.monthly)
        keep = to_keep(days, today, policy)
        removed = 0
        for index, generation in enumerate(found):
            if index not in keep:
                try:
                    shelf.remove(generation.name, folder)
                    removed += 1
                except OSError:
                    log.warning("an old backup could not be removed")
        return removed

    # ------------------------------------------------------------------ checking

    def check_all(self, progress: Progress = NO_PROGRESS) -> list[GenerationCheck]:
        """Open every generation (both folders) read-only and run the checks; newest
        first. Cancelling stops between generations."""
        self._require_manager("check the backups")
        folder = self.settings().second_folder
        reachable = bool(folder) and self._s.store.backups.reachable(folder)
        found = [(g, "") for g in reversed(self._generations(""))]
        if reachable:
            found += [(g, folder) for g in reversed(self._generations(folder))]
        results = []
        for done, (generation, where) in enumerate(found):
            stop_if_asked(progress, "Checking the backups")
            progress.step(done, len(found), f"Checking the backup of {self._local(generation)}")
            results.append(self.check(generation, where))
        progress.step(len(found), len(found), "Done")
        return results

    def check(self, generation: Generation, folder: str = "") -> GenerationCheck:
        shelf = self._s.store.backups
        problems = shelf.check(generation.name, bytes(self._s.data_key), folder)
        return GenerationCheck(generation, tuple(problems))

    # ------------------------------------------------------------------ settings

    def save_settings(self, settings: BackupSettings) -> BackupSettings:
        """How often, how many, and the second folder (administrators)."""
        self._require_manager("change how backups are kept")
        for name, (low, high) in LIMITS.items():
            value = getattr(settings, name)
            if not low <= value <= high:
                raise InvalidInput(_limit_message(name, low, high))
        folder = settings.second_folder.strip()
        if folder and not self._s.store.backups.reachable(folder):
            raise InvalidInput(
                f"The folder {folder} cannot be written to. Check the drive is plugged in "
                "or the share is connected, and that you may save files there."
            )
        if folder and self._s.store.backups.inside_data_folder(folder):
            raise InvalidInput(
                "The second copy must be somewhere else: choose a folder on another drive or "
                "a school server share, not inside the data folder."
            )
        cleaned = replace(settings, second_folder=folder)
        current = self._s.settings()
        if current.backups == cleaned:
            return cleaned
        changed = [n for n in ("every_minutes", "daily", "weekly", "monthly", "second_folder")]
        changed = [n for n in changed if getattr(current.backups, n) != getattr(cleaned, n)]
        with self._s.store.transaction():
            self._s.store.settings.save(replace(current, backups=cleaned))
            self._s.audit("settings_changed", detail="backups: " + ", ".join(changed))
        return cleaned

    # ------------------------------------------------------------------ helpers

    def _generations(self, folder: str) -> list[Generation]:
        try:
            return self._s.store.backups.generations(folder)
        except OSError:
            return []

    def _require_manager(self, action: str) -> None:
        self._s.require(Role.ADMINISTRATOR, action=action)

    def _local(self, generation: Generation) -> str:
        moment = to_local(generation.made_at, self._s.settings().school.timezone)
        return f"{moment:%d/%m/%Y at %H:%M}"

    def _day(self, generation: Generation) -> str:
        moment = to_local(generation.made_at, self._s.settings().school.timezone)
        return f"{moment:%d/%m/%Y}"

    def local_today(self) -> date:
        """Today at the school (for "today 14:05")."""
        return to_local(self._s.now(), self._s.settings().school.timezone).date()

    def local_time(self, moment: datetime) -> datetime:
        return to_local(moment, self._s.settings().school.timezone)


def _limit_message(name: str, low: int, high: int) -> str:
    what = {
        "every_minutes": "The minutes between automatic backups",
        "daily": "The number of daily backups kept",
        "weekly": "The number of weekly backups kept",
        "monthly": "The number of monthly backups kept",
    }[name]
    return f"{what} must be between {low} and {high}."


def _plain_os_error(error: OSError, opening: str) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        reason = "the disk is full. Free some space and it will be tried again"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the folder cannot be written to"
    else:
        reason = (error.strerror or str(error) or "the file system refused").rstrip(".")
    return f"{opening}: {reason}. Nothing was lost: the records are as they were."
