"""Key rotation, for administrators: after an account is switched off, the database and
every backup the school keeps are re-encrypted under a new data key, so the switched-off
person's old passphrase (which may still open older copies) opens nothing that survives.

The new key is sealed to every remaining account and to the recovery code without their
passphrases (``store/vault.py``). An account whose keyring entry is still of the older
form (nobody has signed in with it since this version was installed) cannot receive it
that way: the administrator gives it a temporary passphrase as part of the rotation, and
the recovery code of the older form is replaced by a new one.

All connections to the database must be closed while the files are swapped, so the
rotation comes in three parts: :meth:`KeyRotationService.begin` (on the thread that
owns the session: checks, and closes the session's connection), :meth:`run` (any
thread, slow: the store does the work) and :meth:`finish` (the owning thread again:
the session opens the database under the new key, or under the old one if nothing
changed). :meth:`rotate` does all three, for the command line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from incident_recorder.domain.errors import (
    IncidentRecorderError,
    InvalidInput,
    RotationUnfinished,
)
from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import check_passphrase
from incident_recorder.services.ports import (
    KeyRotator,
    KeyVault,
    NotRotated,
    Progress,
    RotationOutcome,
    RotationRequest,
    StoreFactory,
)
from incident_recorder.services.progress import NO_PROGRESS
from incident_recorder.services.session import Session

log = logging.getLogger("incident_recorder.services")

RECOVERY_SLOT = "#recovery"


@dataclass(frozen=True, slots=True)
class WaitingAccount:
    """An account whose keyring entry cannot receive a new key without a passphrase."""

    username: str
    full_name: str


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """What a rotation now would do, for the administrator to read first."""

    ready: tuple[str, ...]  # accounts that will open the records under the new key
    need_passphrase: tuple[WaitingAccount, ...]
    recovery_ready: bool  # False: a new recovery code will be made
    backups: int  # generations in the data folder's backups
    second_folder: str  # "" when none is chosen
    second_reachable: bool
    second_backups: int


@dataclass(eq=False)
class PreparedRotation:
    """A rotation begun (the session's connection closed), to run and then finish."""

    request: RotationRequest
    old_key: bytearray = field(repr=False)
    outcome: RotationOutcome | None = None
    error: IncidentRecorderError | None = None


class KeyRotationService:
    def __init__(self, session: Session, vault: KeyVault, rotator: KeyRotator) -> None:
        self._s = session
        self._vault = vault
        self._rotator = rotator

    def _require(self) -> None:
        self._s.require(Role.ADMINISTRATOR, action="change the school's key")

    def _folders(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(backup folders reachable now, those that are not)."""
        second = self._s.settings().backups.second_folder
        if not second:
            return ("",), ()
        if self._s.store.backups.reachable(second):
            return ("", second), ()
        return ("",), (second,)

    def plan(self) -> RotationPlan:
        self._require()
        forms = self._forms()
        names = {u.username: u for u in self._s.store.users.list() if u.active}
        ready = tuple(sorted(n for n in names if forms.get(n)))
        waiting = tuple(
            WaitingAccount(n, names[n].full_name)
            for n in sorted(names)
            if n in forms and not forms[n]
        )
        second = self._s.settings().backups.second_folder
        reachable = bool(second) and self._s.store.backups.reachable(second)
        return RotationPlan(
            ready=ready,
            need_passphrase=waiting,
            recovery_ready=bool(forms.get(RECOVERY_SLOT)),
            backups=len(self._s.store.backups.generations()),
            second_folder=second,
            second_reachable=reachable,
            second_backups=len(self._s.store.backups.generations(second)) if reachable else 0,
        )

    def _forms(self) -> dict[str, bool]:
        return self._rotator.entry_forms()

    def begin(
        self, temporary: dict[str, str] | None = None, fresh_recovery_code: bool = False
    ) -> PreparedRotation:
        """Check the request and close the session's connection (the caller then runs
        :meth:`run`, and :meth:`finish` on this thread)."""
        self._require()
        temporary = dict(temporary or {})
        plan = self.plan()
        waiting = {w.username for w in plan.need_passphrase}
        missing = sorted(waiting - set(temporary))
        if missing:
            raise InvalidInput(
                "These accounts need a temporary passphrase before the key can be changed "
                "(nobody has signed in with them since this version was installed): "
                + ", ".join(missing)
                + "."
            )
        unknown = sorted(set(temporary) - waiting)
        if unknown:
            raise InvalidInput(
                "Only accounts waiting for one are given a temporary passphrase: "
                + ", ".join(unknown)
                + "."
            )
        for name, passphrase in temporary.items():
            try:
                check_passphrase(passphrase)
            except IncidentRecorderError as error:
                raise InvalidInput(f"The temporary passphrase for {name}: {error}") from None
        folders, unreachable = self._folders()
        request = RotationRequest(
            actor_id=self._s.user.id,
            now=self._s.now(),
            keep=frozenset(plan.ready),
            temporary=temporary,
            fresh_recovery_code=fresh_recovery_code,
            folders=folders,
            unreachable=unreachable,
        )
        prepared = PreparedRotation(request, bytearray(self._s.data_key))
        self._s.store.close()
        return prepared

    def run(self, prepared: PreparedRotation, progress: Progress = NO_PROGRESS) -> None:
        """The slow part (any thread); its result or error is kept in ``prepared``."""
        try:
            prepared.outcome = self._rotator.rotate(
                bytes(prepared.old_key), prepared.request, progress
            )
        except IncidentRecorderError as error:
            prepared.error = error
        except Exception as error:  # before the commit (after it: RotationUnfinished)
            log.exception("key rotation failed (%s)", type(error).__name__)
            prepared.error = IncidentRecorderError(
                "Something went wrong while changing the school's key, so nothing was "
                "changed. The log in the data folder says what happened (it holds no "
                "personal data)."
            )

    def finish(self, prepared: PreparedRotation) -> RotationOutcome:
        """Open the session's database again, under the new key (or the old one, when
        the rotation stopped before anything changed); raises the rotation's error."""
        outcome, error = prepared.outcome, prepared.error
        try:
            stores = self._s.stores
            if self._s.closed:
                pass  # locked meanwhile: the next sign-in opens it under the right key
            elif stores is None:
                raise InvalidInput("This session cannot open the database again.")
            elif outcome is not None:
                key = bytes(outcome.new_key)
                self._s.data_key[:] = key
                self._reopen(stores, key)
            elif isinstance(error, RotationUnfinished):
                self._s.close()  # finished at the next start: sign in again then
            else:
                self._reopen(stores, bytes(prepared.old_key))
        finally:
            _zero(prepared.old_key)
            if outcome is not None:
                _zero(outcome.new_key)
        if error is not None:
            raise error
        assert outcome is not None
        return outcome

    def _reopen(self, stores: StoreFactory, key: bytes) -> None:
        try:
            self._s.store = stores.open(key)
        except IncidentRecorderError:
            self._s.close()  # the next sign-in opens it
            raise

    def rotate(
        self,
        temporary: dict[str, str] | None = None,
        fresh_recovery_code: bool = False,
        progress: Progress = NO_PROGRESS,
    ) -> RotationOutcome:
        """Begin, run and finish on this thread (the command line)."""
        prepared = self.begin(temporary, fresh_recovery_code)
        self.run(prepared, progress)
        return self.finish(prepared)

    def old_backups(self) -> list[NotRotated]:
        """Backups in the reachable folders that the school's key no longer opens (made
        under an earlier key: the switched-off person's passphrase may open them)."""
        self._require()
        folders, _unreachable = self._folders()
        return self._rotator.old_backups(bytes(self._s.data_key), folders)

    def delete_backups(self, paths: list[str]) -> list[str]:
        """Delete these backups (each one the rotation could not re-encrypt); returns
        the ones that could not be deleted. Audited."""
        self._require()
        allowed = {n.path for n in self.old_backups()}
        failed = []
        deleted = 0
        for path in paths:
            if path not in allowed:
                raise InvalidInput(
                    "Only backups that the school's key no longer opens are deleted here."
                )
            try:
                self._rotator.remove_backup(path)
                deleted += 1
            except (OSError, IncidentRecorderError):
                failed.append(path)
        if deleted:
            self._s.audit("old_backups_deleted", detail=f"{deleted} backup(s) under an older key")
        return failed


def _zero(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0
