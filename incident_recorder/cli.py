"""The ``incident-recorder`` command: the app, and sub-commands for IT staff and scripts.

``incident-recorder`` alone opens the app. The sub-commands (``init``, ``demo``,
``list``, ``export``, ``import``, ``pupils import``, ``pupils list``, ``verify``, ``backup``,
``backups list``, ``backups check``, ``restore``, ``restore-keyring``, ``user add``,
``accept-older-copy``, ``training import``, ``training due``, ``report``) call the same
services as the app; see docs/command-line.md.
Exit codes: 0 done, 1 ``verify`` found a problem (or any signed-in command found the
database or the keyring to be an older copy of itself), 2 an expected failure (wrong
passphrase, no
database, a damaged database, a bad file or argument, the data folder in use, a pupil
CSV with problems), 3 something unexpected (logged without personal data), 141 the reader
of the output stopped early (``| head``).

Qt and reportlab are imported only when the app opens, and the database layer only
when a command needs it, so ``--version`` and ``list`` start quickly.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from incident_recorder import __version__
from incident_recorder.cli_commands import (
    backups,
    calendar,
    keys,
    pupils,
    records,
    report,
    setup,
    statements,
    training,
)
from incident_recorder.cli_commands.common import (
    DEMO_FOLDER_NAME,
    ENV_FAST_KDF,
    ENV_NEW_PASSPHRASE,
    ENV_PASSPHRASE,
    EXIT_EXPECTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNEXPECTED,
    NO_ADDRESS,
    Entry,
)
from incident_recorder.domain.errors import IncidentRecorderError, OlderCopyFound
from incident_recorder.infra import logs

# The sub-commands live in incident_recorder/cli_commands/ and keep their old names here
# (the parser looks them up when it is built, so a test can replace one).
_cmd_gui, _cmd_init, _cmd_demo = setup.cmd_gui, setup.cmd_init, setup.cmd_demo
_cmd_verify, _cmd_self_check = setup.cmd_verify, setup.cmd_self_check
_cmd_user_add = setup.cmd_user_add
_cmd_accept_older_copy = setup.cmd_accept_older_copy
_cmd_list, _cmd_export, _cmd_record = records.cmd_list, records.cmd_export, records.cmd_record
_cmd_letter, _cmd_import = records.cmd_letter, records.cmd_import
_cmd_pupils_import, _cmd_pupils_list = pupils.cmd_pupils_import, pupils.cmd_pupils_list
_cmd_backup, _cmd_restore = backups.cmd_backup, backups.cmd_restore
_cmd_restore_keyring = backups.cmd_restore_keyring
_cmd_backups_list, _cmd_backups_check = backups.cmd_backups_list, backups.cmd_backups_check
_cmd_rotate_key = keys.cmd_rotate_key
_cmd_statements_list = statements.cmd_statements_list
_cmd_statements_write = statements.cmd_statements_write
_cmd_report = report.cmd_report

# The domain, services and store are imported inside the commands that need them, so
# that opening the app (no sub-command) shows its sign-in window as soon as possible.

__all__ = ["DEMO_FOLDER_NAME", "ENV_FAST_KDF", "ENV_NEW_PASSPHRASE", "ENV_PASSPHRASE"]
__all__ += ["EXIT_EXPECTED", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_UNEXPECTED", "NO_ADDRESS"]
__all__ += ["ROLE_CHOICES", "build_parser", "main"]

# The account roles (incident_recorder.domain.model.Role values; a test keeps them equal).
ROLE_CHOICES = ("staff", "senco", "safeguarding_lead", "administrator", "office")

log = logging.getLogger("incident_recorder.cli")

Command = Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------- arguments


def _folder_options() -> argparse.ArgumentParser:
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the data folder (default: $INCIDENT_RECORDER_DATA, else the shared folder "
        "for this computer)",
    )
    return folder


def _account_options() -> argparse.ArgumentParser:
    account = argparse.ArgumentParser(add_help=False)
    account.add_argument(
        "--user",
        metavar="NAME",
        help=f"the account to sign in as; the passphrase comes from ${ENV_PASSPHRASE} or "
        "is asked for without echo",
    )
    return account


def _reference(command: argparse.ArgumentParser) -> None:
    command.add_argument("reference", metavar="REF", help="the record's reference, e.g. 2026-0001")


def _overwrite(command: argparse.ArgumentParser) -> None:
    command.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")


def _pdf_output(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    _overwrite(command)


def build_parser() -> argparse.ArgumentParser:
    folder, account = _folder_options(), _account_options()

    def signs_in(
        group: argparse._SubParsersAction[argparse.ArgumentParser],  # add_subparsers()
        name: str,
        run: Command,
        help: str,
        description: str | None = None,
    ) -> argparse.ArgumentParser:
        """A sub-command that signs in to the data folder: --data-dir and --user."""
        command: argparse.ArgumentParser = group.add_parser(
            name, parents=[folder, account], help=help, description=description
        )
        command.set_defaults(run=run)
        return command

    parser = argparse.ArgumentParser(
        prog="incident-recorder",
        description="Record each use of reasonable force or restraint on a pupil, kept "
        "encrypted on this computer. Without a command, the app opens.",
        parents=[folder],
    )
    parser.add_argument("--version", action="version", version=f"incident-recorder {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation (SQLCipher, resources, fonts, Qt, the data folder), "
        "one PASS or FAIL line each; exit 0 only if all pass",
    )
    parser.set_defaults(run=_cmd_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    init = commands.add_parser(
        "init", parents=[folder], help="set up a new encrypted database and its administrator"
    )
    init.add_argument("--school", required=True, metavar="NAME", help="the school's name")
    init.add_argument("--admin", required=True, metavar="USERNAME", help="the first account")
    init.add_argument("--full-name", metavar="NAME", help="the administrator's full name")
    init.add_argument("--address", metavar="TEXT", help="the school's address, on one line")
    init.set_defaults(run=_cmd_init)

    demo = commands.add_parser(
        "demo",
        parents=[folder],
        help="create (or reopen) a demo database of a fictional school, then open the app",
        description="The demo lives in its own folder (default: 'Incident Recorder Demo' "
        "in your user data folder), never in the real data folder.",
    )
    demo.add_argument("--no-gui", action="store_true", help="build the demo but do not open it")
    demo.set_defaults(run=_cmd_demo)

    listing = signs_in(commands, "list", _cmd_list, help="the submitted records, one line each")
    listing.add_argument(
        "--json", action="store_true", help="print the full records (every version) as JSON"
    )

    export = signs_in(
        commands,
        "export",
        _cmd_export,
        help="write pupils, staff and records to a JSON file (NOT encrypted)",
        description="Writes pupils, staff and every version of every record to FILE in the "
        "documented JSON format (docs/data-format.md). The file is NOT encrypted: it holds "
        "personal data, written only where you ask. The export is recorded in the audit log.",
    )
    export.add_argument("--json", required=True, metavar="FILE", help="the file to write")
    export.add_argument("--drafts", action="store_true", help="include everyone's drafts")
    _overwrite(export)

    record = signs_in(
        commands,
        "record",
        _cmd_record,
        help="print a submitted record to a PDF: the full record, or the copy for parents",
        description="Writes the record REF (every field, every version and amendment with "
        "its reason) to FILE as a PDF. With --for-parents, the copy for parents and carers: "
        "other pupils' names and the staff-only notes are left out. The PDF is NOT "
        "encrypted; the copy is recorded in the audit log.",
    )
    _reference(record)
    record.add_argument("--for-parents", action="store_true", help="the copy for parents")
    _pdf_output(record)

    letter = signs_in(
        commands,
        "letter",
        _cmd_letter,
        help="make the letter to parents and carers about a submitted record, as PDF",
        description="Writes the letter about record REF to FILE: one copy for each home of "
        "a parent or carer with parental responsibility who receives letters (FILE.pdf for "
        "one copy; FILE-1.pdf, FILE-2.pdf, ... for several). The PDFs are NOT encrypted. "
        "Each copy is recorded on the incident and in the audit log; warnings (such as "
        "another pupil's name in the summary) are printed first.",
    )
    _reference(letter)
    letter.add_argument(
        "--pupil",
        metavar="UPN",
        help="the pupil the letter is for, when several pupils were held in the event: "
        "their own record from the same event is used",
    )
    _pdf_output(letter)

    imports = signs_in(
        commands,
        "import",
        _cmd_import,
        help="add pupils, staff and records from a JSON export (all or nothing)",
    )
    imports.add_argument("--json", required=True, metavar="FILE", help="the file to read")

    pupils = commands.add_parser("pupils", help="the pupil list and the MIS import")
    pupil_commands = pupils.add_subparsers(title="commands", metavar="COMMAND", required=True)
    pupil_import = signs_in(
        pupil_commands,
        "import",
        _cmd_pupils_import,
        help="add and update pupils from a CSV exported from the school's MIS",
        description="Reads a CSV export from SIMS, Arbor, Bromcom or another MIS "
        "(docs/pupil-import.md), shows what it would do and any problems, then imports "
        "it in one go. Nothing is written while any row has a problem (exit 2). "
        "Administrators and SENCOs only.",
    )
    pupil_import.add_argument("file", metavar="FILE.csv", help="the CSV file to read")
    pupil_import.add_argument(
        "--mapping",
        action="append",
        metavar="FIELD=COLUMN",
        help="read FIELD from the column named COLUMN (repeat for several; an empty "
        'COLUMN ignores the field), e.g. --mapping year_group="Curriculum Year"',
    )
    pupil_import.add_argument(
        "--full",
        action="store_true",
        help="the file lists every pupil on roll: mark pupils it leaves out as having "
        "left today (never deleted)",
    )
    pupil_import.add_argument(
        "--dry-run", action="store_true", help="show what would happen; write nothing"
    )
    pupil_import.add_argument(
        "--all-problems",
        action="store_true",
        help="list every row with a problem (otherwise the first 5 of each kind)",
    )
    signs_in(pupil_commands, "list", _cmd_pupils_list, help="the pupils, one line each")

    training_group = commands.add_parser("training", help="the staff's positive-handling training")
    training_commands = training_group.add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )
    training_import = signs_in(
        training_commands,
        "import",
        training.cmd_training_import,
        help="add training from a CSV file (Name, Course, Date trained, Expires)",
        description="Reads a CSV file with the columns Name, Course, Date trained and, if "
        "wished, Expires and Note (dates dd/mm/yyyy or yyyy-mm-dd), shows what it would add "
        "and any rows with a problem (left out), then adds the rest in one go. Names are "
        "matched to the staff list ignoring case and extra spaces. Administrators and "
        "safeguarding leads only (docs/training.md).",
    )
    training_import.add_argument("file", metavar="FILE.csv", help="the CSV file to read")
    training_import.add_argument(
        "--add-unknown",
        action="store_true",
        help="add people not on the staff list to it (otherwise their rows are left out)",
    )
    training_import.add_argument(
        "--dry-run", action="store_true", help="show what would happen; write nothing"
    )
    training_due = signs_in(
        training_commands,
        "due",
        training.cmd_training_due,
        help="training that runs out in the next 60 days, or has run out",
    )
    training_due.add_argument(
        "--days", type=int, default=60, metavar="N", help="look N days ahead (default 60)"
    )
    report_command = signs_in(
        commands,
        "report",
        _cmd_report,
        help="the governors' report for a period (kept), the anonymised export and the "
        "figures as JSON; or --merge several schools' exports into a trust's report",
        description="Safeguarding leads and senior leaders only (docs/reports.md). With "
        "--merge no database is opened.",
    )
    report_command.add_argument(
        "--from", dest="date_from", metavar="DATE", help="the first day (dd/mm/yyyy or yyyy-mm-dd)"
    )
    report_command.add_argument(
        "--to", dest="date_to", metavar="DATE", help="the last day (dd/mm/yyyy or yyyy-mm-dd)"
    )
    report_command.add_argument(
        "--label", metavar="TEXT", help="the period's name on the report (default: its dates)"
    )
    report_command.add_argument(
        "--texts",
        metavar="FILE.json",
        help='the head\'s texts: a JSON object with "impact", '
        '"actions_taken" and "actions_planned"',
    )
    report_command.add_argument(
        "--merge",
        nargs="+",
        metavar="FILE.csv",
        help="several schools' exports to combine into one trust report",
    )
    report_command.add_argument(
        "--csv", metavar="FILE", help="also write the anonymised rows (CSV)"
    )
    report_command.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    report_command.add_argument(
        "--unsuppressed",
        action="store_true",
        help="the JSON with the true figures, small numbers included, as the screen shows "
        "them (to check the sums; not for sharing)",
    )
    _pdf_output(report_command)

    calendar_group = commands.add_parser(
        "calendar", help="the school calendar: terms, closures and report periods"
    )
    calendar_commands = calendar_group.add_subparsers(
        title="calendar commands", metavar="COMMAND", required=True
    )
    signs_in(
        calendar_commands,
        "show",
        calendar.cmd_calendar_show,
        help="the terms, the closures in term time and the periods reports offer",
    )
    statement_group = commands.add_parser(
        "statements", help="your own statements on the records you were named on"
    )
    statement_commands = statement_group.add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )
    signs_in(
        statement_commands,
        "list",
        _cmd_statements_list,
        help="the records you were asked for your statement on, and where each stands",
    )
    statement_write = signs_in(
        statement_commands,
        "write",
        _cmd_statements_write,
        help="save your statement on a record (a new version each time), or that you have "
        "nothing to add",
    )
    _reference(statement_write)
    given = statement_write.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--text-file", metavar="FILE", help="your account, in your own words (UTF-8 text)"
    )
    given.add_argument("--nothing-to-add", action="store_true", help="say you have nothing to add")

    signs_in(
        commands,
        "verify",
        _cmd_verify,
        help="check the database and the audit chain; exit 1 and name any problem",
    )
    signs_in(
        commands,
        "accept-older-copy",
        _cmd_accept_older_copy,
        help="carry on with a database (or keyring) found to be an older copy of itself",
        description="Every signed-in command refuses (exit 1) a database whose audit log "
        "stops short of what the keyring last saw, or a keyring older than the database "
        "knows. When restoring the newest backup is not wanted, this signs in anyway: it "
        "is recorded in the audit log, and not asked again (docs/backups.md).",
    )

    backup = signs_in(
        commands,
        "backup",
        _cmd_backup,
        help="make an encrypted backup now (and copy it to FOLDER, if given)",
        description="Makes a backup in the data folder's 'backups' folder, as the app does "
        "every half hour, and copies it to the second folder if one is set up. With FOLDER "
        "(a USB drive, say), a copy goes there too. Backups are encrypted like the records; "
        "any current passphrase or the recovery code opens them (docs/backups.md).",
    )
    backup.add_argument("folder", metavar="FOLDER", nargs="?", help="also copy it here")

    backups_group = commands.add_parser("backups", help="list or check the backups")
    backup_commands = backups_group.add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )
    backups_list = backup_commands.add_parser(
        "list",
        parents=[folder],
        help="every backup in the data folder (and FOLDER), newest first; no sign-in needed",
    )
    backups_list.add_argument(
        "--folder", metavar="DIR", help="also list the backups in DIR (the second folder)"
    )
    backups_list.set_defaults(run=_cmd_backups_list)
    signs_in(
        backup_commands,
        "check",
        _cmd_backups_check,
        help="open every backup (and the second folder's), run the integrity checks and the "
        "audit chain; exit 1 if any fails (administrators)",
    )

    restore = commands.add_parser(
        "restore",
        parents=[folder],
        help="put a backup back in place of the data folder's database",
        description="Checks the backup (encryption, integrity, audit chain) before anything "
        "is touched, keeps the current database aside in the data folder's 'replaced' "
        "folder, puts the backup in its place and records the restore in its audit log. "
        "Unlock the backup with an account's passphrase as it was when the backup was made "
        f"(--user NAME; ${ENV_PASSPHRASE} or asked), or with --recovery-code "
        f"(${backups.ENV_RECOVERY_CODE} or asked). Works when the database is missing or "
        "damaged, and on a new PC.",
    )
    restore.add_argument(
        "backup", metavar="BACKUP", help="the backup's folder (or the incidents.db in it)"
    )
    restore.add_argument("--user", metavar="NAME", help="the account whose passphrase opens it")
    restore.add_argument(
        "--recovery-code", action="store_true", help="unlock it with the recovery code"
    )
    restore.set_defaults(run=_cmd_restore)

    keyring = commands.add_parser(
        "restore-keyring",
        parents=[folder],
        help="put back only a backup's keyring, when the data folder's is missing or damaged",
        description="Unlocks the backup's keyring with an account's passphrase as it was "
        f"when the backup was made (--user NAME; ${ENV_PASSPHRASE} or asked) or with "
        f"--recovery-code (${backups.ENV_RECOVERY_CODE} or asked), checks that its key "
        "opens the database in the data folder now, and only then writes it in place (a "
        "keyring that was there is kept in the 'replaced' folder). Refused, changing "
        "nothing, when the key does not open the current database (restore the whole "
        "backup then).",
    )
    keyring.add_argument(
        "backup", metavar="BACKUP", help="the backup's folder (or the keyring.json in it)"
    )
    keyring.add_argument("--user", metavar="NAME", help="the account whose passphrase opens it")
    keyring.add_argument(
        "--recovery-code", action="store_true", help="unlock it with the recovery code"
    )
    keyring.set_defaults(run=_cmd_restore_keyring)

    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = signs_in(
        user_commands,
        "add",
        _cmd_user_add,
        help="add an account (as an administrator)",
        description=f"The new account's passphrase comes from ${ENV_NEW_PASSPHRASE} or is "
        "asked for twice.",
    )
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--full-name", required=True, metavar="NAME")
    add.add_argument(
        "--role",
        action="append",
        choices=ROLE_CHOICES,
        help="a role for the account (repeat for several; default: staff)",
    )

    rotate = signs_in(
        commands,
        "rotate-key",
        _cmd_rotate_key,
        help="re-encrypt the database and every backup under a new key (as an administrator)",
        description="After an account is switched off: the database and every backup the "
        "school keeps are re-encrypted under a new data key, so the old passphrase opens "
        "nothing that is kept. Accounts nobody has signed in with since this version was "
        f"installed get a temporary passphrase (from ${ENV_NEW_PASSPHRASE}, or typed).",
    )
    rotate.add_argument(
        "--new-recovery-code", action="store_true", help="also make a new recovery code"
    )
    rotate.add_argument(
        "--delete-old-backups",
        action="store_true",
        help="delete the backups that could not be re-encrypted (under an older key)",
    )
    return parser


# --------------------------------------------------------------------------- main


def _prepare_streams() -> None:
    """UTF-8 when writing to files and pipes (names have accents); never crash on the
    console over a character it cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        if stream.isatty():
            reconfigure(errors="replace")
        else:
            reconfigure(encoding="utf-8", errors="replace")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# A command whose reader stopped early (``incident-recorder list | head``) ends as the
# shell's own tools do when their reader goes: quietly, with 128 + SIGPIPE.
EXIT_READER_GONE = 141


def _reader_gone() -> int:
    """Standard output's reader has gone: say nothing more, and point standard output
    at the null device so Python's own flush at exit does not complain (the Python
    documentation's advice for SIGPIPE)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind standard output
        pass
    return EXIT_READER_GONE


def main(argv: list[str] | None, entry: Entry) -> int:
    """Run one sub-command. ``entry`` (from the launcher, the entry point) puts a data
    folder together and opens the app's window when a command needs either."""
    _prepare_streams()
    logging.getLogger("incident_recorder").addHandler(logging.NullHandler())
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error (exit 2)
        return done.code if isinstance(done.code, int) else EXIT_OK
    args.entry = entry
    run: Command = _cmd_self_check if getattr(args, "self_check", False) else args.run
    try:
        code = run(args)
        sys.stdout.flush()  # here, so a reader that has gone is noticed below
        return code
    except BrokenPipeError:
        return _reader_gone()
    except OlderCopyFound as error:  # a problem found, as verify reports it: exit 1
        print(_one_line(str(error)), file=sys.stderr)
        print(
            "To carry on with this copy anyway, run 'incident-recorder accept-older-copy "
            "--user NAME' (it is recorded in the audit log).",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except IncidentRecorderError as error:
        print(_one_line(str(error)), file=sys.stderr)
        return EXIT_EXPECTED
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:
        logs.log_uncaught(type(error), error, error.__traceback__)
        print(
            f"Something went wrong ({type(error).__name__}). Nothing you did caused this; "
            "if it keeps happening, tell your IT support (the log file in the data folder "
            "says where, without personal data).",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
