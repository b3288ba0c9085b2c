"""Errors the domain and the services raise. The GUI turns each into a plain
message; the CLI prints ``str(error)`` on one line and exits 2.

Every message is written for the person at the keyboard: plain, kind, British English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incident_recorder.domain.findings import Finding
    from incident_recorder.domain.rollback import OlderCopy


class IncidentRecorderError(Exception):
    """Base class: an expected failure with a message fit to show a user."""


class NotSetUp(IncidentRecorderError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(
            f"There is no Incident Recorder database in {data_dir}. "
            "Run set-up first (open the app, or use 'incident-recorder init')."
        )


class KeyringMissing(IncidentRecorderError):
    """The database is in the data folder but the keyring beside it (which unlocks it)
    is not. Never "no database": set-up must not be offered over the records."""

    def __init__(self) -> None:
        super().__init__(
            "The records are here, but the keyring file (keyring.json) that unlocks them is "
            "missing from the data folder, so nobody can sign in just now. Nothing has been "
            "lost: every backup carries its keyring. An administrator can restore the keyring "
            "from a backup (the sign-in window's 'Restore the keyring from a backup…', or "
            "'incident-recorder restore-keyring BACKUP --user NAME'), signing in with a "
            "passphrase as it was when that backup was made, or the recovery code."
        )


class AlreadySetUp(IncidentRecorderError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(f"{data_dir} already holds an Incident Recorder database.")


class WrongPassphrase(IncidentRecorderError):
    def __init__(self) -> None:
        super().__init__(
            "That username and passphrase do not match. Check Caps Lock and try again."
        )


class SignInDelayed(IncidentRecorderError):
    """Too many failed attempts: the next try must wait."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"Too many unsuccessful attempts. Please wait {max(1, round(seconds))} seconds "
            "and try again."
        )


class WeakPassphrase(IncidentRecorderError):
    pass


class InvalidInput(IncidentRecorderError):
    """A value a user typed or a file supplied is not acceptable; the message says why."""


class FileNotWritten(InvalidInput):
    """A file could not be written (infra/files.py): ``reason`` in plain words, such as
    "the disk is full"; the file that was there before is unchanged."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Could not write {path}: {reason}.")


class DatabaseDamaged(IncidentRecorderError):
    pass


class KeyringDamaged(DatabaseDamaged):
    """The keyring file, or one entry in it, cannot be read: restoring the keyring from
    a backup (or a new passphrase for that account) mends it; the records are untouched."""


DAMAGED_FILE = (
    "The database file is damaged, so Incident Recorder cannot read its records safely "
    "and shows none of them. Nothing was changed. An administrator should restore the "
    "newest backup (Administration ▸ Backups, or 'incident-recorder restore' on the "
    "command line); until then keep the damaged file as it is."
)


class DatabaseFileDamaged(DatabaseDamaged):
    """The key was right but the database file itself is damaged (bytes changed, cut
    short, a page overwritten) or its structure was changed outside the app. Never a
    wrong passphrase. ``detail`` says what was found, for the log and ``verify``."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(DAMAGED_FILE)


class StorageProblem(IncidentRecorderError):
    """The database file could not be written or read just now, because of the disk, the
    folder or another program (store/connection.py maps SQLite's errors to these). What
    was being saved was not saved; nothing saved before was changed."""


class DiskFull(StorageProblem):
    def __init__(self) -> None:
        super().__init__(
            "The disk is full, so this could not be saved. Nothing saved before has "
            "changed: free some space on the disk (or ask your IT support), then try again."
        )


class StorageReadOnly(StorageProblem):
    def __init__(self) -> None:
        super().__init__(
            "This data folder cannot be written to (it is read-only), so nothing can be "
            "saved. You can still read the records. Ask your school IT to make the folder "
            "writable again."
        )


class DataFolderReadOnly(StorageReadOnly):
    """The data folder itself cannot be written to by this account (its permissions, or
    read-only media such as a locked USB stick or a CD). Signing in writes an entry to the
    audit log, so the app cannot be used on it; nothing in it was changed."""

    def __init__(self, folder: str, database: str | None = None) -> None:
        self.folder = folder
        what = f"database file {database}" if database else f"data folder {folder}"
        IncidentRecorderError.__init__(
            self,
            f"The {what} can only be read, not written to, by this account "
            "(its permissions, or read-only media), so Incident Recorder cannot open it: "
            "signing in writes to the audit log. Nothing in it was changed. Ask your IT "
            "support to give this Windows account permission to change files in that "
            "folder; to look at the records meanwhile, copy the whole folder to this PC "
            "and open the copy with --data-dir. 'incident-recorder verify' and "
            "'incident-recorder backups list' still work on it as it is.",
        )


class DatabaseBusy(StorageProblem):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            "Another program is holding the database file (often a virus scan or a backup "
            f"program), so this could not be done after trying for {max(1, round(seconds))} "
            "seconds. Nothing saved before has changed. Please wait a minute and try "
            "again; if it keeps happening, ask your IT support."
        )


class StorageFailed(StorageProblem):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            "The disk could not be read or written just now, so this could not be done. "
            "Nothing saved before has changed. Check that the drive is still connected and "
            f"try again; if it keeps happening, ask your IT support ({code})."
        )


class DatabaseTooNew(IncidentRecorderError):
    def __init__(self, found: int, supported: int) -> None:
        self.found, self.supported = found, supported
        super().__init__(
            f"This database was written by a newer version of Incident Recorder: it is at "
            f"schema version {found}, and this version of the app knows schema versions up "
            f"to {supported}. Nothing in it was changed. Please install the newer version of "
            "Incident Recorder that made it (ask your IT support), then open it again."
        )


class DataFolderInUse(IncidentRecorderError):
    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(
            f"Incident Recorder is already open on this data folder ({holder}). "
            "Only one copy can use it at a time, so that no record is damaged. "
            "Close the other copy first."
        )


class SessionClosed(IncidentRecorderError):
    def __init__(self) -> None:
        super().__init__(
            "Incident Recorder is locked, so the records cannot be read just now. "
            "Sign in again to carry on."
        )


class NotAllowed(IncidentRecorderError):
    """The signed-in user's roles do not allow this action."""


class NotFound(IncidentRecorderError):
    pass


class RecordLocked(IncidentRecorderError):
    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Record {reference} has been submitted and is locked. "
            "To change it, make an amendment and give the reason."
        )


class CannotSubmit(IncidentRecorderError):
    """Blocking findings remain, or warnings lack an explanation."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        n = len(findings)
        super().__init__(
            f"The record cannot be submitted yet: {n} "
            f"{'items still need' if n != 1 else 'item still needs'} attention. "
            + " ".join(f.message for f in findings[:3])
        )


class ReasonRequired(IncidentRecorderError):
    def __init__(self) -> None:
        super().__init__("Please give the reason for this amendment.")


class NothingChanged(IncidentRecorderError):
    def __init__(self) -> None:
        super().__init__("Nothing has changed, so there is no amendment to save.")


class BadImportFile(IncidentRecorderError):
    pass


class Cancelled(IncidentRecorderError):
    """A long job was stopped before it finished (Cancel, or the app locked); what it
    was doing was not kept."""

    def __init__(self, what: str = "It") -> None:
        super().__init__(f"{what} was stopped before it finished. Nothing was changed.")


class RotationUnfinished(IncidentRecorderError):
    """A key rotation was committed but its files could not all be put in place just now:
    it is finished when Incident Recorder next starts (nothing is lost)."""

    def __init__(self) -> None:
        super().__init__(
            "The records are now under the new key, but a file could not be put in place "
            "just now (another program may be holding it). Incident Recorder will finish "
            "the change the next time it starts: please close it and sign in again."
        )


class OlderCopyFound(IncidentRecorderError):
    """The database (or the keyring) is an older copy of itself, found before anything
    was written (``domain/rollback.py``). ``found`` holds the numbers and the newest
    backup that has what is missing."""

    def __init__(self, found: OlderCopy) -> None:
        from incident_recorder.domain.rollback import words

        self.found = found
        super().__init__(words(found))


class ExportFileError(InvalidInput):
    """An anonymised export (``domain/oversight/csv_rows.py``) cannot be read or put
    together with others. ``source`` is the file's name and ``row`` its row number (1
    is the line of column names), where there is one; the message names both
    ("B.csv, row 14: the date '2026-02-31' is not a real date")."""

    def __init__(self, message: str, source: str = "", row: int | None = None) -> None:
        self.source, self.row, self.detail = source, row, message
        where = source
        if source and row:
            where = f"{source}, row {row}:"
        text = f"{where} {message}" if where else message
        super().__init__(text.rstrip(".") + ".")
