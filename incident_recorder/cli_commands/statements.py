"""Staff statements (issue 13): ``statements list`` (the signed-in person's requests)
and ``statements write REF`` (their account from a text file, or nothing to add).
Everything goes through ``StatementService``, as in the app."""

from __future__ import annotations

import argparse
from pathlib import Path

from incident_recorder.cli_commands.common import EXIT_OK, signed_in
from incident_recorder.domain.errors import InvalidInput


def cmd_statements_list(args: argparse.Namespace) -> int:
    from incident_recorder.domain.statements import parts_text, status_text

    with signed_in(args) as opened:
        service = opened.services.statements
        if not service.is_linked:
            print("Your account is not linked to the staff list, so no statements are asked.")
            return EXIT_OK
        states = service.my_requests()
        if not states:
            print("Nobody has asked you for a statement.")
        for s in states:
            print(
                f"{s.reference}  {s.pupil_name}  ({parts_text(s.parts)})  "
                f"{status_text(s, service.local)}"
            )
    return EXIT_OK


def _read_text(name: str) -> str:
    path = Path(name).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.") from None
    except OSError as error:
        raise InvalidInput(f"Could not read {path}: {error.strerror or error}.") from None


def cmd_statements_write(args: argparse.Namespace) -> int:
    text = None if args.nothing_to_add else _read_text(args.text_file)
    with signed_in(args) as opened:
        services = opened.services
        incident = services.incidents.by_reference(args.reference)
        mine = services.statements.my_request_for(incident.id)
        if mine is None or mine.request.id is None:
            raise InvalidInput(f"You were not asked for a statement on record {args.reference}.")
        if text is None:
            saved = services.statements.nothing_to_add(mine.request.id)
            print(f"Record {args.reference}: saved that you have nothing to add.")
        else:
            saved = services.statements.write(mine.request.id, text)
            print(f"Record {args.reference}: saved version {saved.version} of your statement.")
    return EXIT_OK
