"""Backups from the command line: ``backup [FOLDER]``, ``backups list``, ``backups
check``, ``restore BACKUP`` and ``restore-keyring BACKUP`` (docs/backups.md)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from typing import TYPE_CHECKING

from incident_recorder.cli_commands.common import (
    ENV_PASSPHRASE,
    EXIT_OK,
    EXIT_PROBLEMS,
    ask,
    composition,
    data_folder,
    locked,
    log_to,
    signed_in,
)
from incident_recorder.domain.errors import InvalidInput

if TYPE_CHECKING:
    from incident_recorder.domain.backups import Generation
    from incident_recorder.services.restore import RestoreService, UnlockedBackup

ENV_RECOVERY_CODE = "INCIDENT_RECORDER_RECOVERY_CODE"


def describe_label(label: str) -> str:
    if label.startswith("before-schema-"):
        return f"before the update to version {label.removeprefix('before-schema-')}"
    from incident_recorder.domain.backups import label_words

    return label_words(label)


def _when(moment: datetime) -> str:
    return f"{moment.astimezone():%d/%m/%Y %H:%M}"


def _line(generation: Generation) -> str:
    from incident_recorder.domain.backups import size_words

    return (
        f"{_when(generation.made_at)}  {describe_label(generation.label):<28} "
        f"{generation.records:>6} records  {size_words(generation.size_bytes):>9}  "
        f"audit #{generation.audit_seq} {generation.short_hash}  {generation.name}"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    from incident_recorder.domain.backups import MANUAL

    with signed_in(args) as opened:
        backups = opened.services.backups
        outcome = backups.back_up(MANUAL)
        made = outcome.made
        if made is None:  # only_if_changed is not asked for, so one is always made
            raise InvalidInput("No backup was made.")
        print(f"Backup made: {opened.folder.root / 'backups' / made.name}")
        print(f"  {_line(made)}")
        if outcome.copied is not None:
            print(f"Second copy made in {outcome.copied.location}")
        elif outcome.copy_problem:
            print(f"No second copy: {outcome.copy_problem}")
        if args.folder:
            copied = backups.copy_to(made, args.folder)
            print(f"Copied to {copied.location}/{copied.name}")
    return EXIT_OK


def cmd_backups_list(args: argparse.Namespace) -> int:
    folder = data_folder(args)
    restore = composition(args, folder).restore
    found = restore.backups(args.folder or "")
    if not found:
        where = f"{folder.root / 'backups'}" + (f" or {args.folder}" if args.folder else "")
        print(f"There are no backups in {where}.")
        return EXIT_OK
    for generation in found:
        print(_line(generation))
    print(f"{len(found)} backup{'s' if len(found) != 1 else ''}.")
    return EXIT_OK


def cmd_backups_check(args: argparse.Namespace) -> int:
    with signed_in(args) as opened:
        results = opened.services.backups.check_all()
    if not results:
        print("There are no backups to check.")
        return EXIT_PROBLEMS
    bad = 0
    for result in results:
        g = result.generation
        if result.sound:
            print(f"OK       {_line(g)}")
        else:
            bad += 1
            print(f"DAMAGED  {_line(g)}")
            for problem in result.problems:
                print(f"         {problem}")
    n = len(results)
    if bad:
        print(f"{bad} of {n} backups failed their checks: do not restore those.")
        return EXIT_PROBLEMS
    print(f"All {n} backup{'s' if n != 1 else ''} opened and passed the checks.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    folder = data_folder(args)
    built = composition(args, folder)
    restore = built.restore
    generation = restore.find(args.backup)
    print(f"Backup: {_line(generation)}")
    unlocked = _unlock(args, restore, generation)
    try:
        problems = restore.check(unlocked)
        if problems:
            for problem in problems:
                print(f"PROBLEM: {problem}")
            print("This backup cannot be restored, so nothing was changed. Try an older one.")
            return EXIT_PROBLEMS
        folder.ensure()
        log_to(folder)
        with locked(folder):
            outcome = restore.restore(unlocked)
    finally:
        unlocked.forget()
    print(
        f"Restored the backup of {_when(outcome.generation.made_at)}: "
        f"{outcome.restored.records} records, audit chain to entry {outcome.restored.audit_seq}."
    )
    if outcome.replaced.folder:
        held = (
            f" ({outcome.before.records} records, audit entry {outcome.before.audit_seq})"
            if outcome.before is not None
            else " (it could not be read)"
        )
        print(f"The database it replaced{held} is kept in {outcome.replaced.folder}.")
    if outcome.keyring_replaced:
        print(
            "The backup's keyring was put back with it: sign in with the passphrases that "
            "worked when the backup was made."
        )
    return EXIT_OK


def cmd_restore_keyring(args: argparse.Namespace) -> int:
    from incident_recorder.services.restore import BackupNotRestorable

    folder = data_folder(args)
    restore = composition(args, folder).restore
    generation = restore.find(args.backup)
    print(f"Backup: {_line(generation)}")
    unlocked = _unlock(args, restore, generation)
    try:
        log_to(folder)
        with locked(folder):
            try:
                outcome = restore.restore_keyring(unlocked)
            except BackupNotRestorable as refused:
                print(f"PROBLEM: {refused}")
                return EXIT_PROBLEMS
    finally:
        unlocked.forget()
    print(
        f"The keyring of the backup of {_when(outcome.generation.made_at)} is back in place: "
        "sign in with the passphrases that worked when that backup was made (accounts added "
        "or passphrases changed since then need setting again)."
    )
    if outcome.replaced.folder:
        print(f"The keyring it replaced is kept in {outcome.replaced.folder}.")
    return EXIT_OK


def _unlock(
    args: argparse.Namespace, restore: RestoreService, generation: Generation
) -> UnlockedBackup:
    from incident_recorder.domain.errors import WrongPassphrase
    from incident_recorder.services.restore import unlock_error

    try:
        return _unlock_with(args, restore, generation)
    except WrongPassphrase as error:
        raise InvalidInput(unlock_error(error)) from None


def _unlock_with(
    args: argparse.Namespace, restore: RestoreService, generation: Generation
) -> UnlockedBackup:
    if args.recovery_code:
        code = os.environ.get(ENV_RECOVERY_CODE) or ask("Recovery code: ")
        return restore.unlock_with_recovery_code(generation, code)
    if not args.user:
        raise InvalidInput(
            "Say which account's passphrase opens the backup with --user NAME, or use "
            "--recovery-code."
        )
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None:
        passphrase = ask(f"Passphrase for {args.user} (as it was when the backup was made): ")
    return restore.unlock(generation, args.user, passphrase)
