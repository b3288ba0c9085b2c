"""The records: ``list``, ``export``, ``record`` (a record as PDF), ``letter`` and
``import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from incident_recorder.cli_commands.common import EXIT_OK, signed_in
from incident_recorder.domain.errors import BadImportFile, InvalidInput
from incident_recorder.infra.files import write_private


def cmd_list(args: argparse.Namespace) -> int:
    from incident_recorder.domain.model import IncidentQuery

    with signed_in(args) as opened:
        if args.json:
            from incident_recorder.services.exchange import dumps

            sys.stdout.write(dumps(opened.services.exchange.records()))
            return EXIT_OK
        service = opened.services.incidents
        user = opened.services.user
        offset, lines = 0, []
        while True:
            page = service.search(IncidentQuery(offset=offset, limit=500))
            lines += [_line(row) for row in page.rows]
            offset += 500
            if offset >= page.total or not page.rows:
                break
    if not lines:
        print(_none_message(user))
    for line in lines:
        print(line)
    return EXIT_OK


def _none_message(user: Any) -> str:
    """Why the list is empty, without suggesting the school has no records when the
    account simply may not see them."""
    if user.sees_all_records:
        return "There are no submitted records yet."
    if user.office_only:
        return (
            "The school office works with the copy for parents, not the records: there "
            "are no records for your account to list."
        )
    return "There are no submitted records that you can see (those you wrote or are named on)."


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


def _output_path(given: str, overwrite: bool) -> Path:
    """The file a command writes: refused while it exists (unless ``--overwrite``) or
    while its folder does not."""
    path = Path(given).expanduser()
    if path.exists() and not overwrite:
        raise InvalidInput(
            f"{path} already exists. Choose a new file name, or add --overwrite to replace it."
        )
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    return path


def cmd_export(args: argparse.Namespace) -> int:
    from incident_recorder.services.exchange import dumps

    path = _output_path(args.json, args.overwrite)
    with signed_in(args) as opened:
        services = opened.services
        with services.transaction():  # if the file cannot be written, the audit entry goes
            document = services.exchange.export(args.drafts)
            write_private(path, dumps(document))
    print(
        f"Exported {len(document['incidents'])} records, {len(document['pupils'])} pupils and "
        f"{len(document['staff'])} staff to {path}."
    )
    print(
        "This file is NOT encrypted and holds pupils' personal data. Keep it safe, and "
        "delete it when it is no longer needed."
    )
    return EXIT_OK


def cmd_record(args: argparse.Namespace) -> int:
    from incident_recorder.domain.documents import OutputHow

    path = _output_path(args.output, args.overwrite)
    with signed_in(args) as opened:
        services = opened.services
        incident = services.incidents.by_reference(args.reference, args.for_parents)
        with services.transaction():  # if the file cannot be written, nothing is recorded
            made = services.records.make(incident.id, args.for_parents, OutputHow.SAVED)
            write_private(path, made.pdf.data)
    which = "The copy for parents and carers" if args.for_parents else "The full record"
    print(f"{which} of {incident.reference} is in {path}.")
    return EXIT_OK


def _letter_paths(path: Path, copies: int) -> list[Path]:
    """FILE.pdf for one copy; FILE-1.pdf, FILE-2.pdf, ... for several."""
    if copies == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{n}{path.suffix or '.pdf'}") for n in range(1, copies + 1)]


def cmd_letter(args: argparse.Namespace) -> int:
    from incident_recorder.domain.documents import OutputHow

    path = _output_path(args.output, overwrite=True)  # each copy is checked below
    with signed_in(args) as opened:
        services = opened.services
        service = services.letters
        draft = service.by_reference(args.reference, args.pupil)
        paths = _letter_paths(path, len(draft.copies))
        for copy_path in paths:
            _output_path(str(copy_path), args.overwrite)
        for warning in draft.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
        with services.transaction():  # if a file cannot be written, nothing is recorded
            for index, target in enumerate(paths):
                made = service.make(draft, index, OutputHow.SAVED)
                write_private(target, made.pdf.data)
    copies = "1 copy" if len(paths) == 1 else f"{len(paths)} copies"
    print(f"The letter for {draft.reference} ({copies}) is in {', '.join(map(str, paths))}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from incident_recorder.services.exchange import check_document, parse

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
    with signed_in(args) as opened:
        result = opened.services.exchange.import_document(document)
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
