"""Set-up, sign-in and accounts: the use cases before and around a session."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from incident_recorder.domain import passphrase as passphrase_rules
from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import (
    AlreadySetUp,
    DatabaseDamaged,
    DatabaseFileDamaged,
    IncidentRecorderError,
    InvalidInput,
    KeyringMissing,
    NotSetUp,
    OlderCopyFound,
    SignInDelayed,
    WeakPassphrase,
    WrongPassphrase,
)
from incident_recorder.domain.model import (
    PickLists,
    Role,
    SchoolDetails,
    SchoolSettings,
    StaffMember,
    User,
)
from incident_recorder.domain.rollback import OLDER_COPY_ACCEPTED, OlderCopy
from incident_recorder.domain.rollback import audit_detail as rollback_detail
from incident_recorder.domain.rollback import words as rollback_words
from incident_recorder.services.integrity import (
    IntegrityReport,
    check_store,
    damage_found,
    newest,
)
from incident_recorder.services.ports import (
    Clock,
    DemoHint,
    KeyRotator,
    KeyVault,
    Progress,
    StoreFactory,
)
from incident_recorder.services.progress import NO_PROGRESS
from incident_recorder.services.rollback import find_older_copy, note_keyring, remember_head
from incident_recorder.services.session import Session

log = logging.getLogger("incident_recorder.services")

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


@dataclass(frozen=True, slots=True)
class SetupRequest:
    school: SchoolDetails
    admin_full_name: str
    admin_username: str
    passphrase: str
    admin_job_title: str = ""
    # The first account is an administrator; a small school's head often also signs off
    # records, so set-up may add further roles.
    extra_roles: frozenset[Role] = frozenset()
    demo: bool = False


@dataclass(frozen=True, slots=True)
class Account:
    """One line of the accounts screen: an account and the staff-list entry it belongs to."""

    user: User
    staff: StaffMember | None


@dataclass(frozen=True, slots=True)
class SetupResult:
    recovery_code: str
    session: Session


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidInput(
            "A username is 2 to 32 characters: letters, digits, dots, dashes or underscores, "
            "starting with a letter (for example 'j.okafor')."
        )
    return name


def check_passphrase(passphrase: str) -> None:
    problem = passphrase_rules.problem(passphrase)
    if problem:
        raise WeakPassphrase(problem)


@dataclass
class SignInThrottle:
    """Slows down repeated failures: no wait for the first three, then doubling waits
    (2, 4, 8 … seconds, at most five minutes). Held in memory: a failed sign-in changes
    nothing on disk."""

    free_attempts: int = 3
    max_delay_seconds: float = 300.0
    failures: int = 0
    not_before: datetime | None = None
    pending: list[tuple[datetime, str]] = field(default_factory=list)

    def check(self, now: datetime) -> None:
        if self.not_before is not None and now < self.not_before:
            raise SignInDelayed((self.not_before - now).total_seconds())

    def failed(self, now: datetime, username: str) -> None:
        self.failures += 1
        self.pending.append((now, username))
        extra = self.failures - self.free_attempts
        if extra >= 0:
            delay = min(self.max_delay_seconds, 2.0 ** (extra + 1))
            self.not_before = now + timedelta(seconds=delay)

    def succeeded(self) -> list[tuple[datetime, str]]:
        pending, self.pending = self.pending, []
        self.failures = 0
        self.not_before = None
        return pending


@dataclass(eq=False)
class Unlocked:
    """A passphrase checked and the database upgraded, not yet opened (see
    :meth:`AccountService.unlock`)."""

    username: str
    data_key: bytearray = field(repr=False)
    at: datetime

    def forget(self) -> None:
        for i in range(len(self.data_key)):
            self.data_key[i] = 0


class AccountService:
    def __init__(
        self,
        vault: KeyVault,
        stores: StoreFactory,
        clock: Clock,
        pick_lists: PickLists | None = None,
        rotator: KeyRotator | None = None,
    ) -> None:
        self._vault = vault
        self._stores = stores
        self._clock = clock
        self._pick_lists = pick_lists or PickLists()
        self.throttle = SignInThrottle()
        # Finishes a key rotation that was stopped part-way, before anyone signs in.
        self._rotator = rotator
        self.rotation_note = ""  # what finishing one did, in plain words (once)
        # The older copy accepted at the latest sign-in (None: none was found).
        self.older_copy_accepted: OlderCopy | None = None

    def is_set_up(self) -> bool:
        return self._vault.exists() and self._stores.exists()

    def keyring_missing(self) -> bool:
        """The database is there but its keyring is not (then set-up must not be offered:
        the keyring is restored from a backup instead). The one place this is decided."""
        return self._stores.exists() and not self._vault.exists()

    def require_set_up(self, where: str) -> None:
        """Raises KeyringMissing, or NotSetUp naming ``where``, unless both the keyring
        and the database are in the data folder."""
        if self.keyring_missing():
            raise KeyringMissing()
        if not self.is_set_up():
            raise NotSetUp(where)

    def demo_hint(self) -> DemoHint | None:
        return self._vault.demo_hint() if self._vault.exists() else None

    def set_up(self, request: SetupRequest, demo_passphrase_hint: bool = False) -> SetupResult:
        """Create the keyring and the encrypted database with the first administrator."""
        if self._vault.exists() or self._stores.exists():
            raise AlreadySetUp("this data folder")
        school = request.school
        if not school.name.strip():
            raise InvalidInput("Please enter the school's name.")
        if not school.address.strip():
            raise InvalidInput("Please enter the school's address.")
        full_name = request.admin_full_name.strip()
        if not full_name:
            raise InvalidInput("Please enter your full name.")
        username = check_username(request.admin_username)
        check_passphrase(request.passphrase)
        demo = DemoHint(username, request.passphrase) if request.demo else None
        data_key, recovery_code = self._vault.create(username, request.passphrase, demo)
        store = self._stores.create(data_key)
        now = self._clock.now()
        with store.transaction():
            store.settings.save(
                SchoolSettings(
                    school=SchoolDetails(
                        name=school.name.strip(),
                        address=school.address.strip(),
                        phone=school.phone.strip(),
                        email=school.email.strip(),
                        timezone=school.timezone,
                    ),
                    locations=self._pick_lists.locations,
                    deescalation_strategies=self._pick_lists.deescalation_strategies,
                    techniques=self._pick_lists.techniques,
                    antecedent_types=self._pick_lists.antecedents,
                )
            )
            staff = store.staff.add(full_name, request.admin_job_title.strip())
            roles = frozenset({Role.ADMINISTRATOR}) | request.extra_roles
            user = store.users.add(username, full_name, roles, staff.id)
            store.audit.append(user.id, "set_up", now, detail="database created")
            store.audit.append(user.id, "sign_in", now)
        remember_head(store, self._vault, now)
        session = Session(
            user=user,
            store=store,
            clock=self._clock,
            data_key=bytearray(data_key),
            stores=self._stores,
            keyring=self._vault,
        )
        return SetupResult(recovery_code=recovery_code, session=session)

    def sign_in(
        self,
        username: str,
        passphrase: str,
        every_page: bool = False,
        *,
        accept_older_copy: bool = False,
    ) -> Session:
        """Unlock the database. Raises WrongPassphrase or SignInDelayed, or
        DatabaseFileDamaged (writing nothing) when the file is damaged, or OlderCopyFound
        (writing nothing) when the database or the keyring is an older copy of itself.
        ``every_page``: read every page against the tamper check first (the command line
        does; seconds on a very large database), not only the quick check made at every
        opening. ``accept_older_copy``: see :meth:`open_session`."""
        return self.open_session(
            self.unlock(username, passphrase), every_page, accept_older_copy=accept_older_copy
        )

    def check_database(self, username: str, passphrase: str) -> IntegrityReport:
        """``verify``: every check of the database, opened read-only as ``username``.
        Nothing is written to it: no sign-in entry, no migration. Damage is a problem in
        the report (never WrongPassphrase: the passphrase is checked by the keyring
        first). Raises WrongPassphrase or SignInDelayed."""
        name = normalise_username(username)
        data_key = self._unwrap(name, passphrase)
        newest_backup = self.newest_backup()
        try:
            store = self._stores.open_read_only(data_key)
        except DatabaseFileDamaged as damaged:
            return IntegrityReport((damage_found(damaged),), None, newest_backup)
        try:
            try:
                user = store.users.by_username(name)
            except DatabaseDamaged as damaged:
                return IntegrityReport((damage_found(damaged),), None, newest_backup)
            if user is None or not user.active:
                self.throttle.failed(self._clock.now(), name)
                raise WrongPassphrase()
            report = check_store(store, newest_backup=newest_backup)
            try:
                found = find_older_copy(store, self._vault)
            except DatabaseDamaged:
                found = None  # the damage is reported already
            if found is None:
                return report
            return replace(report, problems=(rollback_words(found), *report.problems))
        finally:
            store.close()

    def newest_backup(self) -> Generation | None:
        """The data folder's newest backup, or None when there is none."""
        return newest(self._stores.generations())

    def unlock(self, username: str, passphrase: str, progress: Progress = NO_PROGRESS) -> Unlocked:
        """The slow half of signing in, which a worker thread can do: check the
        passphrase (Argon2id), and bring the database up to this version of the app
        (with a backup first), reporting progress. Raises WrongPassphrase or
        SignInDelayed. :meth:`open_session` finishes, on the thread that will use it."""
        now = self._clock.now()
        name = normalise_username(username)
        self.finish_interrupted_rotation()
        data_key = self._unwrap(name, passphrase)
        self._upgrade_entry(name, passphrase, data_key)
        self._stores.upgrade(data_key, progress.step)
        return Unlocked(name, bytearray(data_key), now)

    def _unwrap(self, name: str, passphrase: str) -> bytes:
        """The data key from the keyring (the passphrase checked), with the back-off."""
        now = self._clock.now()
        self.throttle.check(now)
        try:
            return self._vault.unlock(name, passphrase)
        except NotSetUp:
            if self.keyring_missing():
                raise KeyringMissing() from None
            raise
        except WrongPassphrase:
            self.throttle.failed(now, name)
            raise

    def finish_interrupted_rotation(self) -> str:
        """Finish (or undo) a key rotation stopped part-way, so the keyring in place opens
        the database in place; what was done in plain words ("" when nothing)."""
        if self._rotator is None:
            return ""
        note = self._rotator.finish_interrupted()
        if note:
            self.rotation_note = note
        return note

    def _upgrade_entry(self, name: str, passphrase: str, data_key: bytes) -> None:
        """An account's keyring entry of the older form is turned into the sealed form
        now that its passphrase is known (so a later key rotation can reach it). Never
        the reason a sign-in fails: a keyring that cannot be written now (a read-only
        folder) is upgraded another time."""
        try:
            if self._vault.needs_upgrade(name):
                self._vault.upgrade(name, passphrase, data_key)
        except (OSError, IncidentRecorderError) as error:
            log.warning("keyring entry not upgraded now (%s)", type(error).__name__)

    def open_session(
        self, unlocked: Unlocked, every_page: bool = False, *, accept_older_copy: bool = False
    ) -> Session:
        """Open the (already upgraded) database as the unlocked account; the key held by
        ``unlocked`` is zeroed. Raises WrongPassphrase for an account switched off,
        DatabaseFileDamaged, having written nothing, for a damaged file (see
        :meth:`sign_in` for ``every_page``), and OlderCopyFound, having written nothing,
        when the database or the keyring is an older copy of itself (domain/rollback.py).
        ``accept_older_copy``: open it anyway (anyone signing in may: a record must not
        wait for an administrator), audited as ``older_copy_accepted`` with the numbers,
        and the keyring and database brought into step so it is not asked again."""
        name, now = unlocked.username, unlocked.at
        data_key = bytes(unlocked.data_key)
        unlocked.forget()
        store = self._stores.open(data_key)
        try:
            if every_page:
                damaged = store.page_problems()
                if damaged:
                    raise DatabaseFileDamaged(" ".join(damaged))
            user = store.users.by_username(name)
        except BaseException:
            store.close()
            raise
        if user is None or not user.active:
            store.close()
            self.throttle.failed(now, name)
            raise WrongPassphrase()
        try:
            # Before anything is written: an older copy is named, not quietly carried on.
            found = find_older_copy(store, self._vault)
            if found is not None and not accept_older_copy:
                log.warning("an older copy was found at sign-in (%s)", found.kind)
                raise OlderCopyFound(found)
            with store.transaction():
                for when, who in self.throttle.pending:
                    failed_user = store.users.by_username(who)
                    detail = f"user {failed_user.id}" if failed_user else "unknown username"
                    store.audit.append(None, "sign_in_failed", when, detail=detail)
                if found is not None:
                    store.audit.append(
                        user.id, OLDER_COPY_ACCEPTED, now, detail=rollback_detail(found)
                    )
                # A keyring changed outside a session (an entry upgraded at sign-in, a
                # key rotation) is recorded once the database has a revision to compare.
                note_keyring(
                    store, self._vault, user.id, now, always=found is not None, first=False
                )
                store.audit.append(user.id, "sign_in", now)
        except BaseException:
            store.close()
            raise
        self.throttle.succeeded()
        self.older_copy_accepted = found
        if found is not None:
            log.warning("an older copy was accepted at sign-in (%s)", found.kind)
        remember_head(store, self._vault, now)
        return Session(
            user=user,
            store=store,
            clock=self._clock,
            data_key=bytearray(data_key),
            stores=self._stores,
            keyring=self._vault,
        )

    def reset_passphrase_with_recovery_code(
        self, code: str, username: str, new_passphrase: str
    ) -> None:
        """For a forgotten passphrase: the recovery code unlocks, the account is re-keyed."""
        check_passphrase(new_passphrase)
        name = normalise_username(username)
        self.finish_interrupted_rotation()
        data_key = self._vault.unlock_with_recovery_code(code)
        try:
            self._vault.upgrade_recovery(code, data_key)
        except (OSError, IncidentRecorderError) as error:
            log.warning("recovery entry not upgraded now (%s)", type(error).__name__)
        store = self._stores.open(data_key)
        try:
            user = store.users.by_username(name)
            if user is None:
                raise InvalidInput(f"There is no account called '{name}'.")
            if name in self._vault.usernames():
                self._vault.remove_user(name)
            self._vault.add_user(data_key, name, new_passphrase)
            with store.transaction():
                store.audit.append(
                    user.id, "passphrase_reset", self._clock.now(), detail="with recovery code"
                )
                note_keyring(store, self._vault, user.id, self._clock.now())
        finally:
            store.close()

    @property
    def keyring(self) -> KeyVault:
        """The keyring this service unlocks (the composition gives it to account
        management)."""
        return self._vault

    def user_admin(self, session: Session) -> UserAdminService:
        """Account management for ``session``, over the keyring it was unlocked from."""
        return UserAdminService(session, self._vault)


class UserAdminService:
    """Accounts, for administrators."""

    def __init__(self, session: Session, vault: KeyVault) -> None:
        self._s = session
        self._vault = vault

    def list_users(self) -> list[User]:
        self._s.require(Role.ADMINISTRATOR, action="manage accounts")
        return self._s.store.users.list()

    def accounts(self) -> list[Account]:
        """Every account (switched-off ones too), each with its staff-list entry."""
        users = self.list_users()
        staff = {m.id: m for m in self._s.store.staff.list(active_only=False)}
        return [Account(u, staff.get(u.staff_id) if u.staff_id else None) for u in users]

    def staff_without_account(self) -> list[StaffMember]:
        """Adults on the staff list (for example added by quick-add) with no account yet."""
        self._s.require(Role.ADMINISTRATOR, action="manage accounts")
        linked = {u.staff_id for u in self._s.store.users.list() if u.staff_id is not None}
        return [m for m in self._s.store.staff.list() if m.id not in linked]

    def add_user(
        self,
        full_name: str,
        username: str,
        passphrase: str,
        roles: frozenset[Role],
        job_title: str = "",
        staff_id: int | None = None,
    ) -> User:
        """A new account with its own wrapped copy of the data key. ``staff_id`` links it
        to an existing staff-list entry; None adds the person to the staff list."""
        self._s.require(Role.ADMINISTRATOR, action="add accounts")
        name = check_username(username)
        check_passphrase(passphrase)
        if not full_name.strip():
            raise InvalidInput("Please enter the person's full name.")
        if not roles:
            raise InvalidInput("Choose at least one role for the account.")
        store = self._s.store
        if store.users.by_username(name) is not None or name in self._vault.usernames():
            raise InvalidInput(f"There is already an account called '{name}'.")
        if staff_id is not None:
            member = store.staff.get(staff_id)
            holder = next((u for u in store.users.list() if u.staff_id == staff_id), None)
            if holder is not None:
                raise InvalidInput(
                    f"{member.full_name} already has an account ('{holder.username}')."
                )
        with store.transaction():
            if staff_id is None:
                staff_id = store.staff.add(full_name.strip(), job_title.strip()).id
            user = store.users.add(name, full_name.strip(), roles, staff_id)
            self._vault.add_user(bytes(self._s.data_key), name, passphrase)
            self._note_keyring()
            self._s.audit("user_added", detail=f"user {user.id}")
        return user

    def deactivate_user(self, user_id: int) -> User:
        """Switch an account off: its wrapped copy of the key is deleted from the keyring,
        so its passphrase no longer opens anything. The account stays listed, and the
        records it made keep its name."""
        self._s.require(Role.ADMINISTRATOR, action="switch accounts off")
        if user_id == self._s.user.id:
            raise InvalidInput(
                "You cannot switch off the account you are signed in with. "
                "Ask another administrator to do it."
            )
        store = self._s.store
        user = store.users.get(user_id)
        if not user.active:
            raise InvalidInput(f"The account '{user.username}' is already switched off.")
        with store.transaction():
            user = store.users.set_active(user_id, False)
            if user.username in self._vault.usernames():
                self._vault.remove_user(user.username)
            self._note_keyring()
            self._s.audit("user_deactivated", detail=f"user {user.id}")
        return user

    def change_own_passphrase(self, old: str, new: str) -> None:
        """Rewrap the signed-in person's copy of the key. A wrong ``old`` passphrase
        raises WrongPassphrase and changes nothing."""
        check_passphrase(new)
        if new == old:
            raise InvalidInput("The new passphrase is the same as the old one. Choose another.")
        self._vault.change_passphrase(self._s.user.username, old, new)
        with self._s.store.transaction():
            self._note_keyring()
            self._s.audit("passphrase_changed", detail=f"user {self._s.user.id}")

    def _note_keyring(self) -> None:
        """The database records the keyring's new revision (so an older keyring put back
        is noticed: domain/rollback.py)."""
        note_keyring(self._s.store, self._vault, self._s.user.id, self._s.now())
