"""The staff's positive-handling training: ``training import FILE`` and ``training due``
(issue 13), through the same service as the Staff training window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incident_recorder.cli_commands.common import EXIT_EXPECTED, EXIT_OK, signed_in


def cmd_training_import(args: argparse.Namespace) -> int:
    with signed_in(args) as opened:
        service = opened.services.training
        preview = service.import_csv(Path(args.file).expanduser())
        print(preview.summary)
        for problem in preview.problems:
            print(f"  {problem}", file=sys.stderr)
        if preview.unknown:
            what = "added to the staff list" if args.add_unknown else "left out"
            print(
                f"Not on the staff list ({what}): {', '.join(preview.unknown_names)}"
                + ("" if args.add_unknown else " (add --add-unknown to add them)")
            )
        if args.dry_run:
            print("Dry run: nothing was imported.")
            return EXIT_OK
        if not preview.rows and not (args.add_unknown and preview.unknown):
            print("Nothing to import.", file=sys.stderr)
            return EXIT_EXPECTED if preview.problems else EXIT_OK
        done = service.apply(preview, add_unknown=args.add_unknown)
    print(
        f"Imported: {done.added} training {'entry' if done.added == 1 else 'entries'}"
        + (f", {done.staff_added} added to the staff list" if done.staff_added else "")
        + "."
    )
    return EXIT_OK


def cmd_training_due(args: argparse.Namespace) -> int:
    from incident_recorder.domain.training import days_text

    with signed_in(args) as opened:
        due = opened.services.training.due(args.days)
    if not due:
        print(f"No training runs out in the next {args.days} days, and none has run out.")
        return EXIT_OK
    for member, item in due:
        print(
            f"{member.full_name}: {item.record.course}, trained "
            f"{item.record.trained_on:%d/%m/%Y}, valid until {item.expires_on:%d/%m/%Y} "
            f"({days_text(item)})"
        )
    return EXIT_OK
