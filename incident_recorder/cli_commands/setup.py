"""Setting up and looking after a data folder: ``init``, ``demo``, ``verify``,
``--self-check``, ``user add``, and opening the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from incident_recorder.cli_commands.common import (
    DEMO_FOLDER_NAME,
    ENV_NEW_PASSPHRASE,
    ENV_PASSPHRASE,
    EXIT_OK,
    EXIT_PROBLEMS,
    NO_ADDRESS,
    checking,
    composition,
    credentials,
    data_folder,
    entry,
    locked,
    log_to,
    new_passphrase,
    signed_in,
)
from incident_recorder.domain.errors import AlreadySetUp, DatabaseDamaged
from incident_recorder.infra.paths import DataFolder

if TYPE_CHECKING:
    from incident_recorder.domain.backups import Generation


def cmd_gui(args: argparse.Namespace) -> int:
    return entry(args).open_gui(data_folder(args).root)


def cmd_init(args: argparse.Namespace) -> int:
    from incident_recorder.domain.model import SchoolDetails
    from incident_recorder.services.accounts import SetupRequest, check_username

    folder = data_folder(args)
    built = composition(args, folder)
    if built.vault.exists() or built.stores.exists():
        raise AlreadySetUp(str(folder.root))
    username = check_username(args.admin)
    address = (args.address or "").strip()
    if not address and sys.stdin and sys.stdin.isatty():
        address = input("The school's address (one line, or press Enter to add it later): ")
    passphrase = new_passphrase(ENV_PASSPHRASE, username)
    folder.ensure()
    log_to(folder)
    with locked(folder):
        result = built.accounts.set_up(
            SetupRequest(
                school=SchoolDetails(name=args.school, address=address.strip() or NO_ADDRESS),
                admin_full_name=(args.full_name or username).strip(),
                admin_username=username,
                passphrase=passphrase,
            )
        )
        result.session.close()
    print(f"Incident Recorder is set up for {args.school.strip()} in {folder.root}.")
    print(f"Administrator account: {username}")
    if not address.strip():
        print(
            "No school address was given. Letters to parents will need it: run set-up with "
            "--address, or add it when school settings can be edited."
        )
    print()
    print(f"Recovery code: {result.recovery_code}")
    print()
    print(
        "Write the recovery code down or print it, and keep it somewhere safe away from this "
        "computer. It is shown only this once.\nWithout a passphrase or this recovery code the "
        "records cannot be recovered by anyone, including us."
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    import platformdirs

    from incident_recorder.infra.letter_resources import demo_logo
    from incident_recorder.infra.picklists import load_pick_lists
    from incident_recorder.services.demo import open_or_create_demo
    from incident_recorder.services.session import SystemClock

    if not args.no_gui:  # say why there can be no window before building the demo
        entry(args).check_screen()
    given = getattr(args, "data_dir", None)
    root = (
        Path(given).expanduser().resolve()
        if given
        else Path(platformdirs.user_data_dir(DEMO_FOLDER_NAME, appauthor=False))
    )
    folder = DataFolder(root)
    folder.ensure()
    log_to(folder)
    built = composition(args, folder)
    with locked(folder):
        if not built.vault.exists():
            print("Building the demo school (fictional pupils and records)…", flush=True)
        result = open_or_create_demo(
            built.vault, built.stores, SystemClock(), load_pick_lists(), logo_png=demo_logo()
        )
    if result.created:
        print(
            f"Created a demo school with {result.pupils} fictional pupils and "
            f"{result.incidents} incident records in {root}."
        )
    else:
        print(f"Opened the demo in {root}.")
    print(f"Demo sign-in:  username {result.hint.username}   passphrase {result.hint.passphrase}")
    if result.other_accounts:
        others = ", ".join(
            f"{a.username} ({', '.join(sorted(r.label for r in a.roles))})"
            for a in result.other_accounts
        )
        print(f"To try other roles, these accounts use the same passphrase: {others}.")
    print("Everyone in the demo is made up. Do not type real pupils' details into it.")
    if args.no_gui:
        return EXIT_OK
    return entry(args).open_gui(root)


def cmd_verify(args: argparse.Namespace) -> int:
    """Every check of the database, read-only: ``verify`` writes nothing to the file it
    checks (no sign-in entry, no migration), so a damaged file is left as it was found."""
    with checking(args) as (accounts, folder):
        username, passphrase = credentials(args, accounts)
        newest = None
        try:
            report = accounts.check_database(username, passphrase)
            problems, head, newest = list(report.problems), report.head, report.newest_backup
        except DatabaseDamaged as damaged:  # the keyring itself cannot be read
            problems, head = [str(damaged)], None
            newest = accounts.newest_backup()
    if problems:
        for problem in problems:
            print(f"PROBLEM: {problem}")
        n = len(problems)
        print(f"verify found {n} problem{'s' if n != 1 else ''}. {_advice(newest, folder)}")
        return EXIT_PROBLEMS
    count = head.seq if head else 0
    tail = f" (head #{head.seq} {head.entry_hash[:8]})" if head else ""
    print(f"OK: database intact, audit chain of {count} entries verified{tail}")
    return EXIT_OK


def _advice(newest: Generation | None, folder: DataFolder) -> str:
    """What to do next: the newest backup named, or plainly that there is none."""
    keep = "Nothing was changed: keep the data folder as it is and save nothing more in it."
    if newest is None:
        return (
            f"{keep} There is no backup in {folder.root / 'backups'} to restore. Ask your "
            "school's IT support for help before doing anything else: a copy of the data "
            "folder kept elsewhere may hold the records (see docs/backups.md)."
        )
    made = newest.made_at.astimezone().strftime("%d/%m/%Y %H:%M")
    return (
        f"{keep} The newest backup was made on {made} ({newest.name}); an administrator "
        "can restore it from Administration ▸ Backups or with 'incident-recorder restore' "
        "(see docs/backups.md). Anything recorded after it will need to be entered again."
    )


def cmd_accept_older_copy(args: argparse.Namespace) -> int:
    """Sign in to a database (or with a keyring) found to be an older copy of itself, and
    carry on with it: audited, and not asked again (docs/backups.md)."""
    with signed_in(args, accept_older_copy=True) as opened:
        accepted = opened.accepted
    if accepted is None:
        print("Nothing to accept: the database and the keyring agree with each other.")
        return EXIT_OK
    print(
        "The copy in the data folder is the one in use from now on; this was recorded in "
        "the audit log. Whatever was missing from it is still missing: restore a backup "
        "that holds it if it is needed (see docs/backups.md)."
    )
    return EXIT_OK


def cmd_self_check(args: argparse.Namespace) -> int:
    text, passed = entry(args).self_check(getattr(args, "data_dir", None))
    print(text)
    return EXIT_OK if passed else EXIT_PROBLEMS


def cmd_user_add(args: argparse.Namespace) -> int:
    from incident_recorder.domain.errors import NotAllowed
    from incident_recorder.domain.model import Role
    from incident_recorder.services.accounts import check_username

    roles = frozenset(Role(r) for r in (args.role or [Role.STAFF.value]))
    username = check_username(args.username)
    with signed_in(args) as opened:
        passphrase = new_passphrase(ENV_NEW_PASSPHRASE, username)
        accounts = opened.services.user_admin
        if accounts is None:
            raise NotAllowed("Accounts cannot be managed from this data folder.")
        user = accounts.add_user(args.full_name, username, passphrase, roles)
    labels = ", ".join(sorted(r.label for r in user.roles))
    print(f"Added {user.username} ({user.full_name}): {labels}.")
    return EXIT_OK
