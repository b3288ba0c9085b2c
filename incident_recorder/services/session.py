"""A signed-in session: who is at the keyboard and the open, unlocked store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from incident_recorder.domain.calendar import SchoolCalendar, standard_calendar_around
from incident_recorder.domain.errors import NotAllowed, SessionClosed
from incident_recorder.domain.model import Role, SchoolSettings, User
from incident_recorder.services.ports import Clock, KeyVault, Store, StoreFactory

log = logging.getLogger("incident_recorder.services")


@dataclass(eq=False)
class Session:
    user: User
    store: Store
    clock: Clock
    # The raw data key, needed to wrap it for new accounts; zeroed when the session ends.
    data_key: bytearray = field(repr=False, default_factory=bytearray)
    closed: bool = False
    # Where the store came from: a worker thread opens its own connection from it.
    stores: StoreFactory | None = field(default=None, repr=False)
    # The keyring it was unlocked from: told the audit chain's newest entry when the
    # session closes (domain/rollback.py). None: nothing is remembered (some tests).
    keyring: KeyVault | None = field(default=None, repr=False)

    def settings(self) -> SchoolSettings:
        return self.store.settings.get()

    def now(self) -> datetime:
        return self.clock.now()

    def calendar(self) -> SchoolCalendar:
        """The school calendar every "school days" rule uses: the school's own
        (Administration ▸ School calendar…), or the standard English term dates for last
        school year, this one and the next when it keeps none."""
        stored = self.store.calendar.get()
        if stored is not None:
            return stored
        return standard_calendar_around(self.local_now().date())

    def local_now(self) -> datetime:
        """The school's wall-clock time, naive."""
        return to_local(self.clock.now(), self.settings().school.timezone)

    def require(self, *roles: Role, action: str) -> None:
        if not self.user.has(*roles):
            raise NotAllowed(f"Your account does not allow you to {action}.")

    def audit(
        self,
        action: str,
        incident_id: int | None = None,
        detail: str = "",
        record_sha256: str | None = None,
    ) -> None:
        self.store.audit.append(
            self.user.id, action, self.clock.now(), incident_id, detail, record_sha256
        )

    def on_new_connection(self) -> Session:
        """The same person's session over a second connection to the same database
        (for a worker thread: connections are not shared between threads). The copy
        holds its own copy of the key, zeroed when it is closed."""
        if self.closed:
            raise SessionClosed()
        if self.stores is None:
            raise NotAllowed("This session cannot open another connection.")
        store = self.stores.open(bytes(self.data_key))
        return Session(
            self.user, store, self.clock, bytearray(self.data_key), False, self.stores, self.keyring
        )

    def for_later(self) -> LaterSession:
        """The means to open this person's session again over a connection of its own,
        on whichever thread will use it, even after this session has closed (a backup
        made as the app locks, signs out or closes: the worker opens its connection
        while sign-in is already showing). It holds its own copy of the key, zeroed once
        the connection is opened, or :meth:`LaterSession.forget` is called."""
        if self.closed:
            raise SessionClosed()
        if self.stores is None:
            raise NotAllowed("This session cannot open another connection.")
        return LaterSession(
            self.user, self.clock, self.stores, bytearray(self.data_key), self.keyring
        )

    def close(self) -> None:
        """Close the database and forget the key (locking, signing out, quitting)."""
        if self.closed:
            return
        self.closed = True
        for i in range(len(self.data_key)):
            self.data_key[i] = 0
        if self.keyring is not None:
            remember_head(self.store, self.keyring, self.clock.now())
        self.store.close()


class LaterSession:
    """A session not yet opened (see :meth:`Session.for_later`): opened once, on the
    thread that will use it."""

    def __init__(
        self,
        user: User,
        clock: Clock,
        stores: StoreFactory,
        data_key: bytearray,
        keyring: KeyVault | None = None,
    ) -> None:
        self.user = user
        self._keyring = keyring
        self._clock = clock
        self._stores = stores
        self._key = data_key

    def open(self) -> Session:
        """The session over a new connection (its own copy of the key, zeroed when it
        is closed); this object's copy is forgotten. Opened once only."""
        if not any(self._key):
            raise SessionClosed()
        try:
            store = self._stores.open(bytes(self._key))
            key = bytearray(self._key)
        finally:
            self.forget()
        return Session(self.user, store, self._clock, key, False, self._stores, self._keyring)

    def forget(self) -> None:
        for i in range(len(self._key)):
            self._key[i] = 0


def remember_head(store: Store, vault: KeyVault, now: datetime) -> None:
    """Tell the keyring the audit chain's newest entry (rollback detection:
    services/rollback.py). Never the reason anything fails."""
    try:
        head = store.audit.head()
        if head is not None:
            vault.remember(head.seq, head.entry_hash, now)
    except Exception as error:  # a connection already closed, say: logged, never raised
        log.warning("the audit head was not remembered (%s)", type(error).__name__)


def to_local(moment: datetime, zone: str) -> datetime:
    """A UTC moment as the school's naive wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def from_local(wall_clock: datetime, zone: str) -> datetime:
    """A naive school wall-clock time as an aware UTC moment."""
    return wall_clock.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
