"""What every sub-command shares: the environment variables and exit codes, the data
folder and its lock, the passphrase prompt and signing in as ``--user``. (Files are
written with ``infra/files.write_private``: atomically, readable by this account only.)"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.infra import logs
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import DataFolder, resolve_data_dir

if TYPE_CHECKING:
    from incident_recorder.domain.rollback import OlderCopy
    from incident_recorder.services.accounts import AccountService
    from incident_recorder.services.bundle import Services
    from incident_recorder.services.ports import (
        DocumentRenderer,
        KdfParams,
        KeyVault,
        StoreFactory,
    )
    from incident_recorder.services.restore import RestoreService
    from incident_recorder.services.session import Session

ENV_PASSPHRASE = "INCIDENT_RECORDER_PASSPHRASE"
ENV_NEW_PASSPHRASE = "INCIDENT_RECORDER_NEW_PASSPHRASE"
# For the tests only: new keyrings use cheap Argon2id settings. The settings are stored
# with each wrapped key, so a keyring made this way stays quick (and weak) to unlock.
ENV_FAST_KDF = "INCIDENT_RECORDER_FAST_KDF"
DEMO_FOLDER_NAME = "Incident Recorder Demo"
NO_ADDRESS = "(address not given yet)"

EXIT_OK, EXIT_PROBLEMS, EXIT_EXPECTED, EXIT_UNEXPECTED = 0, 1, 2, 3


def fast_kdf() -> KdfParams | None:
    if os.environ.get(ENV_FAST_KDF) != "1":
        return None
    from incident_recorder.services.ports import KdfParams

    return KdfParams(time_cost=1, memory_kib=8192)


class Composed(Protocol):
    """A data folder put together (``incident_recorder.wiring.Composition``): its keyring,
    its database factory, the account service, and a signed-in session's services."""

    @property
    def vault(self) -> KeyVault: ...

    @property
    def stores(self) -> StoreFactory: ...

    @property
    def accounts(self) -> AccountService: ...

    @property
    def restore(self) -> RestoreService: ...

    def services(self, session: Session) -> Services: ...


@dataclass(frozen=True)
class Entry:
    """What the command line is handed by the launcher, its entry point: how to put a
    data folder together, open the app's window and check an installation. The
    sub-commands never import the store, the documents or Qt themselves: they go
    through these, so the layers point one way (docs/architecture.md)."""

    compose: Callable[[Path, KdfParams | None], Composed]
    open_gui: Callable[[Path], int]
    check_screen: Callable[[], None]
    self_check: Callable[[str | None], tuple[str, bool]]  # --data-dir given -> report
    # The app's document renderer, for what is made without a database (a trust's
    # report from several schools' exports: ``report --merge``).
    renderer: Callable[[], DocumentRenderer] | None = None


def entry(args: argparse.Namespace) -> Entry:
    given = getattr(args, "entry", None)
    if not isinstance(given, Entry):
        raise TypeError("the command line was started without its entry point")
    return given


def composition(args: argparse.Namespace, folder: DataFolder) -> Composed:
    """The data folder's keyring, database and services (``incident_recorder/wiring.py``,
    the same composition the app uses)."""
    return entry(args).compose(folder.root, fast_kdf())


def data_folder(args: argparse.Namespace) -> DataFolder:
    folder = DataFolder(resolve_data_dir(getattr(args, "data_dir", None)))
    warn_if_synced(folder.root)
    return folder


def warn_if_synced(root: Path) -> None:
    """The same warning as --self-check, on standard error, when the data folder is inside
    a file-sync folder (OneDrive, Dropbox, ...): syncing a live database can damage it."""
    from incident_recorder.infra.folder_safety import sync_reason

    reason = sync_reason(root)
    if reason:
        print(
            f"Warning: the data folder {root} is in a sync folder ({reason}). Syncing can "
            "damage the database while it is open: move the data folder to a local folder "
            "that is not synced, and keep the second copy of the backups there instead.",
            file=sys.stderr,
        )


def log_to(folder: DataFolder) -> None:
    """The log in the data folder; when it cannot be opened there (a read-only folder),
    one plain line says so and the command goes on without it."""
    if folder.root.is_dir():
        reason = logs.configure(folder.log_file)
        if reason:
            print(logs.no_log_file_line(folder.log_file, reason), file=sys.stderr)


@contextmanager
def locked(folder: DataFolder, *, to_read: bool = False) -> Iterator[None]:
    """One writer at a time: the same lock the app holds. A folder that cannot be
    written to is refused (DataFolderReadOnly), unless ``to_read``: a check that writes
    nothing then goes on with the lock file only read (infra/lock.acquire_to_read)."""
    folder.ensure()
    lock = DataFolderLock(folder.lock_file)
    if to_read:
        lock.acquire_to_read()
    else:
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def ask(prompt: str) -> str:
    """A secret typed without echo; from a pipe, one line of standard input."""
    if not sys.stdin or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin else ""
        if not line:
            raise InvalidInput(
                f"No passphrase was given. Set {ENV_PASSPHRASE} or run the command in a "
                "terminal to type it."
            )
        return line.rstrip("\r\n")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise InvalidInput("No passphrase was given.") from None


def new_passphrase(env: str, whose: str) -> str:
    """A new passphrase: from ``env``, or typed twice."""
    from incident_recorder.services.accounts import check_passphrase

    given = os.environ.get(env)
    if given is not None:
        check_passphrase(given)
        return given
    first = ask(f"Choose a passphrase for {whose} (at least 12 characters): ")
    check_passphrase(first)
    if ask("Type it again: ") != first:
        raise InvalidInput("The two passphrases do not match. Nothing was changed.")
    return first


@dataclass
class Opened:
    services: Services
    folder: DataFolder
    accepted: OlderCopy | None = None  # the older copy accepted at this sign-in, if any


@contextmanager
def signed_in(args: argparse.Namespace, accept_older_copy: bool = False) -> Iterator[Opened]:
    """Lock the data folder and sign in as ``--user``; sign out and unlock after. An older
    copy of the database or the keyring (OlderCopyFound) is refused unless
    ``accept_older_copy`` (``incident-recorder accept-older-copy``)."""
    folder = data_folder(args)
    built = composition(args, folder)
    built.accounts.require_set_up(str(folder.root))  # or KeyringMissing, NotSetUp
    with locked(folder):  # a read-only folder is refused here, before anything is logged
        log_to(folder)
        accounts = built.accounts
        username, passphrase = credentials(args, accounts)
        # Every page is read against the tamper check before anything is shown or
        # written: a damaged file is refused plainly, with no partial listing.
        session = accounts.sign_in(
            username, passphrase, every_page=True, accept_older_copy=accept_older_copy
        )
        services = built.services(session)
        try:
            yield Opened(services, folder, accounts.older_copy_accepted)
        finally:
            services.close()


def credentials(args: argparse.Namespace, accounts: AccountService) -> tuple[str, str]:
    """``--user`` (or the demo's account) and its passphrase: from the environment, the
    demo's published sign-in, or asked for without echo."""
    hint = accounts.demo_hint()
    username = args.user or (hint.username if hint else None)
    if not username:
        raise InvalidInput("Say which account to use with --user NAME.")
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None and hint is not None and username == hint.username:
        passphrase = hint.passphrase  # the demo's published sign-in
    if passphrase is None:
        passphrase = ask(f"Passphrase for {username}: ")
    return username, passphrase


@contextmanager
def checking(args: argparse.Namespace) -> Iterator[tuple[AccountService, DataFolder]]:
    """The data folder locked (so nobody writes while it is checked) and its account
    service, for ``verify``, which reads the database without signing in to it."""
    folder = data_folder(args)
    built = composition(args, folder)
    built.accounts.require_set_up(str(folder.root))  # or KeyringMissing, NotSetUp
    log_to(folder)
    with locked(folder, to_read=True):
        yield built.accounts, folder
