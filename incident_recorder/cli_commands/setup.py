"""Setting up and looking after a data folder: ``init``, ``demo``, ``verify``,
``--self-check``, ``user add``, and opening the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incident_recorder.cli_commands.common import (
    DEMO_FOLDER_NAME,
    ENV_NEW_PASSPHRASE,
    ENV_PASSPHRASE,
    EXIT_OK,
    EXIT_PROBLEMS,
    NO_ADDRESS,
    composition,
    data_folder,
    entry,
    locked,
    log_to,
    new_passphrase,
    signed_in,
)
from incident_recorder.domain.errors import AlreadySetUp, DatabaseDamaged
from incident_recorder.infra.paths import DataFolder


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
    try:
        with signed_in(args) as opened:
            report = opened.services.integrity.check()
            problems, head = list(report.problems), report.head
    except DatabaseDamaged as damaged:
        problems, head = [str(damaged)], None
    if problems:
        for problem in problems:
            print(f"PROBLEM: {problem}")
        n = len(problems)
        print(
            f"verify found {n} problem{'s' if n != 1 else ''}. Keep this folder as it is and "
            "ask your IT support to restore the latest good backup."
        )
        return EXIT_PROBLEMS
    count = head.seq if head else 0
    tail = f" (head #{head.seq} {head.entry_hash[:8]})" if head else ""
    print(f"OK: database intact, audit chain of {count} entries verified{tail}")
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
