"""The ``incident-recorder`` command: the app, and sub-commands for IT staff and scripts.

``incident-recorder`` alone opens the app. The sub-commands (``init``, ``demo``,
``list``, ``export``, ``import``, ``pupils import``, ``pupils list``, ``verify``,
``user add``) call the same services as the app; see docs/command-line.md. Exit codes:
0 done, 1 ``verify`` found a problem, 2 an expected failure (wrong passphrase, no
database, a bad file or argument, the data folder in use, a pupil CSV with problems),
3 something unexpected (logged without personal data).

Qt and reportlab are imported only when the app opens, and the database layer only
when a command needs it, so ``--version`` and ``list`` start quickly.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incident_recorder import __version__
from incident_recorder.domain.errors import (
    AlreadySetUp,
    BadImportFile,
    DatabaseDamaged,
    IncidentRecorderError,
    InvalidInput,
    NotSetUp,
)
from incident_recorder.infra import logs
from incident_recorder.infra.lock import DataFolderLock
from incident_recorder.infra.paths import DataFolder, resolve_data_dir

# The domain, services and store are imported inside the commands that need them, so
# that opening the app (no sub-command) shows its sign-in window as soon as possible.
if TYPE_CHECKING:
    from incident_recorder.services.accounts import AccountService
    from incident_recorder.services.ports import KdfParams, KeyVault, StoreFactory
    from incident_recorder.services.session import Session

# The account roles (incident_recorder.domain.model.Role values; a test keeps them equal).
ROLE_CHOICES = ("staff", "senco", "safeguarding_lead", "administrator")

ENV_PASSPHRASE = "INCIDENT_RECORDER_PASSPHRASE"
ENV_NEW_PASSPHRASE = "INCIDENT_RECORDER_NEW_PASSPHRASE"
# For the tests only: new keyrings use cheap Argon2id settings. The settings are stored
# with each wrapped key, so a keyring made this way stays quick (and weak) to unlock.
ENV_FAST_KDF = "INCIDENT_RECORDER_FAST_KDF"
DEMO_FOLDER_NAME = "Incident Recorder Demo"
NO_ADDRESS = "(address not given yet)"

EXIT_OK, EXIT_PROBLEMS, EXIT_EXPECTED, EXIT_UNEXPECTED = 0, 1, 2, 3

log = logging.getLogger("incident_recorder.cli")

Command = Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------- plumbing


def _fast_kdf() -> KdfParams | None:
    if os.environ.get(ENV_FAST_KDF) != "1":
        return None
    from incident_recorder.services.ports import KdfParams

    return KdfParams(time_cost=1, memory_kib=8192)


def _storage(folder: DataFolder) -> tuple[KeyVault, StoreFactory]:
    from incident_recorder.store import FileKeyVault, SqlStoreFactory

    kdf = _fast_kdf()
    vault = FileKeyVault(folder.root) if kdf is None else FileKeyVault(folder.root, kdf)
    return vault, SqlStoreFactory(folder.root)


def _accounts(folder: DataFolder, vault: KeyVault, stores: StoreFactory) -> AccountService:
    from incident_recorder.infra.picklists import load_pick_lists
    from incident_recorder.services.accounts import AccountService
    from incident_recorder.services.session import SystemClock

    return AccountService(vault, stores, SystemClock(), load_pick_lists())


def _folder(args: argparse.Namespace) -> DataFolder:
    return DataFolder(resolve_data_dir(getattr(args, "data_dir", None)))


def _log_to(folder: DataFolder) -> None:
    if folder.root.is_dir():
        logs.configure(folder.log_file)


@contextmanager
def _locked(folder: DataFolder) -> Iterator[None]:
    """One writer at a time: the same lock the app holds."""
    folder.ensure()
    lock = DataFolderLock(folder.lock_file)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _ask(prompt: str) -> str:
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


def _new_passphrase(env: str, whose: str) -> str:
    """A new passphrase: from ``env``, or typed twice."""
    from incident_recorder.services.accounts import check_passphrase

    given = os.environ.get(env)
    if given is not None:
        check_passphrase(given)
        return given
    first = _ask(f"Choose a passphrase for {whose} (at least 12 characters): ")
    check_passphrase(first)
    if _ask("Type it again: ") != first:
        raise InvalidInput("The two passphrases do not match. Nothing was changed.")
    return first


@dataclass
class _Open:
    session: Session
    vault: KeyVault
    folder: DataFolder


@contextmanager
def _signed_in(args: argparse.Namespace) -> Iterator[_Open]:
    """Lock the data folder and sign in as ``--user``; sign out and unlock after."""
    folder = _folder(args)
    vault, stores = _storage(folder)
    if not (vault.exists() and stores.exists()):
        raise NotSetUp(str(folder.root))
    _log_to(folder)
    with _locked(folder):
        accounts = _accounts(folder, vault, stores)
        hint = accounts.demo_hint()
        username = args.user or (hint.username if hint else None)
        if not username:
            raise InvalidInput("Say which account to use with --user NAME.")
        passphrase = os.environ.get(ENV_PASSPHRASE)
        if passphrase is None and hint is not None and username == hint.username:
            passphrase = hint.passphrase  # the demo's published sign-in
        if passphrase is None:
            passphrase = _ask(f"Passphrase for {username}: ")
        session = accounts.sign_in(username, passphrase)
        try:
            yield _Open(session, vault, folder)
        finally:
            session.close()


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` only: a temporary file beside it (readable by this
    account only), then an atomic rename."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(f"Could not write {path}: {error.strerror or error}.") from None


# --------------------------------------------------------------------------- commands


def _open_gui(root: Path) -> int:
    from incident_recorder.launcher import open_gui

    return open_gui(root)


def _cmd_gui(args: argparse.Namespace) -> int:
    return _open_gui(_folder(args).root)


def _cmd_init(args: argparse.Namespace) -> int:
    from incident_recorder.domain.model import SchoolDetails
    from incident_recorder.services.accounts import SetupRequest, check_username

    folder = _folder(args)
    vault, stores = _storage(folder)
    if vault.exists() or stores.exists():
        raise AlreadySetUp(str(folder.root))
    username = check_username(args.admin)
    address = (args.address or "").strip()
    if not address and sys.stdin and sys.stdin.isatty():
        address = input("The school's address (one line, or press Enter to add it later): ")
    passphrase = _new_passphrase(ENV_PASSPHRASE, username)
    folder.ensure()
    _log_to(folder)
    with _locked(folder):
        result = _accounts(folder, vault, stores).set_up(
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


def _cmd_demo(args: argparse.Namespace) -> int:
    import platformdirs

    from incident_recorder.infra.picklists import load_pick_lists
    from incident_recorder.services.demo import open_or_create_demo
    from incident_recorder.services.session import SystemClock

    given = getattr(args, "data_dir", None)
    root = (
        Path(given).expanduser().resolve()
        if given
        else Path(platformdirs.user_data_dir(DEMO_FOLDER_NAME, appauthor=False))
    )
    folder = DataFolder(root)
    folder.ensure()
    _log_to(folder)
    vault, stores = _storage(folder)
    with _locked(folder):
        if not vault.exists():
            print("Building the demo school (fictional pupils and records)…", flush=True)
        result = open_or_create_demo(vault, stores, SystemClock(), load_pick_lists())
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
    return _open_gui(root)


def _cmd_list(args: argparse.Namespace) -> int:
    from incident_recorder.domain.model import IncidentQuery
    from incident_recorder.services.incidents import IncidentService

    with _signed_in(args) as opened:
        if args.json:
            from incident_recorder.services.exchange import ExchangeService, dumps

            sys.stdout.write(dumps(ExchangeService(opened.session, __version__).records()))
            return EXIT_OK
        service = IncidentService(opened.session)
        offset, lines = 0, []
        while True:
            page = service.search(IncidentQuery(offset=offset, limit=500))
            lines += [_line(row) for row in page.rows]
            offset += 500
            if offset >= page.total or not page.rows:
                break
    if not lines:
        print("There are no submitted records yet.")
    for line in lines:
        print(line)
    return EXIT_OK


def _line(row: Any) -> str:
    day = row.occurred_on.strftime("%d/%m/%Y") if row.occurred_on else "--/--/----"
    start = row.start.strftime("%H:%M") if row.start else "--:--"
    flags = []
    if row.injury:
        flags.append("injury")
    if row.floor_position:
        flags.append("floor position")
    if row.version > 1:
        flags.append(f"amended (version {row.version})")
    return (
        f"{row.reference or '':<10} {day} {start}  {row.pupil_name:<28} "
        f"{row.location:<26} {', '.join(flags)}"
    ).rstrip()


def _cmd_export(args: argparse.Namespace) -> int:
    from incident_recorder.services.exchange import ExchangeService, dumps

    path = Path(args.json).expanduser()
    if path.exists() and not args.overwrite:
        raise InvalidInput(
            f"{path} already exists. Choose a new file name, or add --overwrite to replace it."
        )
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    with _signed_in(args) as opened:
        store = opened.session.store
        with store.transaction():  # if the file cannot be written, the audit entry goes too
            document = ExchangeService(opened.session, __version__).export(args.drafts)
            _write_private(path, dumps(document))
    print(
        f"Exported {len(document['incidents'])} records, {len(document['pupils'])} pupils and "
        f"{len(document['staff'])} staff to {path}."
    )
    print(
        "This file is NOT encrypted and holds pupils' personal data. Keep it safe, and "
        "delete it when it is no longer needed."
    )
    return EXIT_OK


def _cmd_record(args: argparse.Namespace) -> int:
    import hashlib

    from incident_recorder.documents.record_pdf import render_record
    from incident_recorder.services.incidents import IncidentService
    from incident_recorder.services.record_document import RecordDocumentService

    path = Path(args.output).expanduser()
    if path.exists() and not args.overwrite:
        raise InvalidInput(
            f"{path} already exists. Choose a new file name, or add --overwrite to replace it."
        )
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    with _signed_in(args) as opened:
        incident = IncidentService(opened.session).by_reference(args.reference)
        service = RecordDocumentService(opened.session)
        store = opened.session.store
        with store.transaction():  # if the file cannot be written, the audit entries go too
            data = render_record(service.build(incident.id, args.for_parents))
            _write_private_bytes(path, data)
            digest = hashlib.sha256(data).hexdigest()
            service.document_output(incident.id, "saved", digest, args.for_parents)
    which = "The copy for parents and carers" if args.for_parents else "The full record"
    print(f"{which} of {incident.reference} is in {path}.")
    return EXIT_OK


def _letter_paths(path: Path, copies: int) -> list[Path]:
    """FILE.pdf for one copy; FILE-1.pdf, FILE-2.pdf, ... for several."""
    if copies == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{n}{path.suffix or '.pdf'}") for n in range(1, copies + 1)]


def _cmd_letter(args: argparse.Namespace) -> int:
    import re

    from incident_recorder.documents.letter_pdf import render_letter, with_font_warning
    from incident_recorder.domain.documents import OutputHow
    from incident_recorder.infra.letter_resources import default_letter_template, technique_words
    from incident_recorder.services.letters import LetterService

    path = Path(args.output).expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    with _signed_in(args) as opened:
        service = LetterService(opened.session, technique_words(), default_letter_template())
        draft = service.by_reference(args.reference, args.pupil)
        paths = _letter_paths(path, len(draft.copies))
        taken = [p for p in paths if p.exists()]
        if taken and not args.overwrite:
            raise InvalidInput(
                f"{taken[0]} already exists. Choose a new file name, or add --overwrite to "
                "replace it."
            )
        for warning in with_font_warning(draft).warnings:
            print(f"Warning: {warning}", file=sys.stderr)
        store = opened.session.store
        with store.transaction():  # if a file cannot be written, nothing is recorded
            for number, (content, target) in enumerate(zip(draft.copies, paths, strict=True)):
                data = render_letter(content)
                _write_private_bytes(target, data)
                pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data)) or 1
                service.record_output(
                    draft.incident_id, content, OutputHow.SAVED, data, pages, copy=number + 1
                )
    copies = "1 copy" if len(paths) == 1 else f"{len(paths)} copies"
    print(f"The letter for {draft.reference} ({copies}) is in {', '.join(map(str, paths))}.")
    return EXIT_OK


def _write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` only (readable by this account), atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(f"Could not write {path}: {error.strerror or error}.") from None


def _cmd_import(args: argparse.Namespace) -> int:
    from incident_recorder.services.exchange import ExchangeService, check_document, parse

    path = Path(args.json).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadImportFile(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise BadImportFile(f"{path} is not a JSON export (it is not UTF-8 text).") from None
    except OSError as error:
        raise BadImportFile(f"Could not read {path}: {error.strerror or error}.") from None
    document = parse(text)
    check_document(document)  # a bad file is refused before the database is opened
    with _signed_in(args) as opened:
        result = ExchangeService(opened.session, __version__).import_document(document)
    print(
        f"Imported {result.records} records and {result.drafts} drafts: "
        f"{result.pupils_added} pupils added ({result.pupils_matched} already here), "
        f"{result.staff_added} staff added ({result.staff_matched} already here), "
        f"{result.users_added} accounts added, "
        f"{result.plan_versions} behaviour support plan versions, "
        f"{result.reviews} plan reviews, {result.parent_contacts} contacts with parents, "
        f"{result.sign_offs} sign-offs, {result.documents} documents produced."
    )
    if result.users_added:
        print(
            "Imported accounts cannot sign in until an administrator gives them a "
            "passphrase; they are there as the records' authors."
        )
    return EXIT_OK


def _read_csv(name: str) -> bytes:
    path = Path(name).expanduser()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadImportFile(f"There is no file {path}.") from None
    except OSError as error:
        raise BadImportFile(f"Could not read {path}: {error.strerror or error}.") from None


def _mapping_overrides(pairs: list[str] | None) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(
                f"'{pair}' is not FIELD=COLUMN (for example --mapping year_group=\"NC Year\")."
            )
        overrides[name.strip()] = column.strip()
    return overrides


def _cmd_pupils_import(args: argparse.Namespace) -> int:
    from incident_recorder.domain.mis_import import describe_mapping, read_table
    from incident_recorder.services.pupil_import import ImportHasProblems, PupilImportService

    data = _read_csv(args.file)
    read_table(data)  # a file that is not a table is refused before signing in
    overrides = _mapping_overrides(args.mapping)
    with _signed_in(args) as opened:
        service = PupilImportService(opened.session)
        preview = service.preview(data, overrides, full=args.full)
        print("Columns read:")
        for line in describe_mapping(preview.mapping):
            print(f"  {line}")
        if preview.ignored_columns:
            print(f"Columns not read: {', '.join(preview.ignored_columns)}")
        left = f", {preview.left} to be marked as left" if args.full else ""
        print(
            f"{preview.new} new, {preview.updated} updated, {preview.unchanged} unchanged"
            f"{left}; {len(preview.problems)} problems."
        )
        if preview.problems:
            for problem in preview.problems:
                print(f"  {problem}", file=sys.stderr)
            print(
                "Nothing was imported. Fix these in the MIS or the file (or the column "
                "mapping with --mapping FIELD=COLUMN) and try again.",
                file=sys.stderr,
            )
            return EXIT_EXPECTED
        if args.dry_run:
            print("Dry run: nothing was imported.")
            return EXIT_OK
        try:
            done = service.run(data, overrides, full=args.full)
        except ImportHasProblems as error:  # the list changed since the preview
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_EXPECTED
    print(
        f"Imported: {done.new} added, {done.updated} updated"
        + (f", {done.left} marked as left." if args.full else ".")
    )
    return EXIT_OK


def _cmd_pupils_list(args: argparse.Namespace) -> int:
    from incident_recorder.services.incidents import DirectoryService

    with _signed_in(args) as opened:
        pupils = DirectoryService(opened.session).search_pupils("", limit=10**9)
    if not pupils:
        print("There are no pupils on the list yet.")
    for pupil in pupils:
        left = f"left {pupil.left_on.strftime('%d/%m/%Y')}" if pupil.left_on else ""
        print(
            f"{pupil.upn or '(no UPN)':<14} {pupil.sorting_name:<32} "
            f"{pupil.year_group:<8} {pupil.class_name:<8} {left}".rstrip()
        )
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    try:
        with _signed_in(args) as opened:
            store = opened.session.store
            problems = store.integrity_problems() + store.audit.verify()
            head = store.audit.head()
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


def _cmd_self_check(args: argparse.Namespace) -> int:
    from incident_recorder import selfcheck

    given = getattr(args, "data_dir", None)
    text, passed = selfcheck.report(
        selfcheck.run_checks(resolve_data_dir(given), selfcheck.data_folder_source(given))
    )
    print(text)
    return EXIT_OK if passed else EXIT_PROBLEMS


def _cmd_user_add(args: argparse.Namespace) -> int:
    from incident_recorder.domain.model import Role
    from incident_recorder.services.accounts import UserAdminService, check_username

    roles = frozenset(Role(r) for r in (args.role or [Role.STAFF.value]))
    username = check_username(args.username)
    with _signed_in(args) as opened:
        passphrase = _new_passphrase(ENV_NEW_PASSPHRASE, username)
        user = UserAdminService(opened.session, opened.vault).add_user(
            args.full_name, username, passphrase, roles
        )
    labels = ", ".join(sorted(r.label for r in user.roles))
    print(f"Added {user.username} ({user.full_name}): {labels}.")
    return EXIT_OK


# --------------------------------------------------------------------------- arguments


def build_parser() -> argparse.ArgumentParser:
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the data folder (default: $INCIDENT_RECORDER_DATA, else the shared folder "
        "for this computer)",
    )
    account = argparse.ArgumentParser(add_help=False)
    account.add_argument(
        "--user",
        metavar="NAME",
        help=f"the account to sign in as; the passphrase comes from ${ENV_PASSPHRASE} or "
        "is asked for without echo",
    )
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

    listing = commands.add_parser(
        "list", parents=[folder, account], help="the submitted records, one line each"
    )
    listing.add_argument(
        "--json", action="store_true", help="print the full records (every version) as JSON"
    )
    listing.set_defaults(run=_cmd_list)

    export = commands.add_parser(
        "export",
        parents=[folder, account],
        help="write pupils, staff and records to a JSON file (NOT encrypted)",
        description="Writes pupils, staff and every version of every record to FILE in the "
        "documented JSON format (docs/data-format.md). The file is NOT encrypted: it holds "
        "personal data, written only where you ask. The export is recorded in the audit log.",
    )
    export.add_argument("--json", required=True, metavar="FILE", help="the file to write")
    export.add_argument("--drafts", action="store_true", help="include everyone's drafts")
    export.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    export.set_defaults(run=_cmd_export)

    record = commands.add_parser(
        "record",
        parents=[folder, account],
        help="print a submitted record to a PDF: the full record, or the copy for parents",
        description="Writes the record REF (every field, every version and amendment with "
        "its reason) to FILE as a PDF. With --for-parents, the copy for parents and carers: "
        "other pupils' names and the staff-only notes are left out. The PDF is NOT "
        "encrypted; the copy is recorded in the audit log.",
    )
    record.add_argument("reference", metavar="REF", help="the record's reference, e.g. 2026-0001")
    record.add_argument("--for-parents", action="store_true", help="the copy for parents")
    record.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    record.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    record.set_defaults(run=_cmd_record)

    letter = commands.add_parser(
        "letter",
        parents=[folder, account],
        help="make the letter to parents and carers about a submitted record, as PDF",
        description="Writes the letter about record REF to FILE: one copy for each home of "
        "a parent or carer with parental responsibility who receives letters (FILE.pdf for "
        "one copy; FILE-1.pdf, FILE-2.pdf, ... for several). The PDFs are NOT encrypted. "
        "Each copy is recorded on the incident and in the audit log; warnings (such as "
        "another pupil's name in the summary) are printed first.",
    )
    letter.add_argument("reference", metavar="REF", help="the record's reference, e.g. 2026-0001")
    letter.add_argument(
        "--pupil",
        metavar="UPN",
        help="the pupil the letter is for, when several pupils were held in the event: "
        "their own record from the same event is used",
    )
    letter.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    letter.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    letter.set_defaults(run=_cmd_letter)

    imports = commands.add_parser(
        "import",
        parents=[folder, account],
        help="add pupils, staff and records from a JSON export (all or nothing)",
    )
    imports.add_argument("--json", required=True, metavar="FILE", help="the file to read")
    imports.set_defaults(run=_cmd_import)

    pupils = commands.add_parser("pupils", help="the pupil list and the MIS import")
    pupil_commands = pupils.add_subparsers(title="commands", metavar="COMMAND", required=True)
    pupil_import = pupil_commands.add_parser(
        "import",
        parents=[folder, account],
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
    pupil_import.set_defaults(run=_cmd_pupils_import)
    pupil_list = pupil_commands.add_parser(
        "list", parents=[folder, account], help="the pupils, one line each"
    )
    pupil_list.set_defaults(run=_cmd_pupils_list)

    verify = commands.add_parser(
        "verify",
        parents=[folder, account],
        help="check the database and the audit chain; exit 1 and name any problem",
    )
    verify.set_defaults(run=_cmd_verify)

    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = user_commands.add_parser(
        "add",
        parents=[folder, account],
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
    add.set_defaults(run=_cmd_user_add)
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


def main(argv: list[str] | None = None) -> int:
    _prepare_streams()
    logging.getLogger("incident_recorder").addHandler(logging.NullHandler())
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error (exit 2)
        return done.code if isinstance(done.code, int) else EXIT_OK
    run: Command = _cmd_self_check if getattr(args, "self_check", False) else args.run
    try:
        return run(args)
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
