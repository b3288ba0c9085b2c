"""The pupil list: ``pupils import`` (from the MIS) and ``pupils list``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from incident_recorder.cli_commands.common import (
    EXIT_EXPECTED,
    EXIT_OK,
    signed_in,
)
from incident_recorder.domain.errors import BadImportFile, InvalidInput

if TYPE_CHECKING:
    from incident_recorder.domain.mis_problems import ProblemGroup

ROWS_SHOWN = 5  # rows listed under each kind of problem without --all-problems


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


def print_problems(groups: Sequence[ProblemGroup], all_rows: bool) -> None:
    """Each kind of problem (most serious first) with its count and an example, then its
    rows: the first few, or every one with ``all_rows``. On standard error."""
    hidden = 0
    for group in groups:
        print(f"  {group.heading}", file=sys.stderr)
        shown = group.problems if all_rows else group.problems[:ROWS_SHOWN]
        if group.problems[0].row is None:
            continue
        for problem in shown:
            print(f"      {problem.message}", file=sys.stderr)
        more = len(group.problems) - len(shown)
        if more:
            hidden += more
            print(f"      … and {more:,} more of this kind", file=sys.stderr)
    if hidden:
        print(
            f"{hidden:,} more problems are not listed: add --all-problems to list every one.",
            file=sys.stderr,
        )


def cmd_pupils_import(args: argparse.Namespace) -> int:
    from incident_recorder.domain.mis_import import describe_mapping, read_table
    from incident_recorder.services.pupil_import import ImportHasProblems

    data = _read_csv(args.file)
    read_table(data)  # a file that is not a table is refused before signing in
    overrides = _mapping_overrides(args.mapping)
    with signed_in(args) as opened:
        service = opened.services.pupil_import
        preview = service.preview(data, overrides, full=args.full)
        print("Columns read:")
        for line in describe_mapping(preview.mapping):
            print(f"  {line}")
        if preview.ignored_columns:
            print(f"Columns not read: {', '.join(preview.ignored_columns)}")
        print("Parents and carers:")
        for note in preview.contact_notes:
            print(f"  {note}")
        left = f", {preview.left} to be marked as left" if args.full else ""
        print(
            f"{preview.new} new, {preview.updated} updated, {preview.unchanged} unchanged"
            f"{left}; {preview.problem_count}."
        )
        if preview.problems:
            print(f"Problems ({preview.problem_count}), most serious first:", file=sys.stderr)
            print_problems(preview.problem_groups, args.all_problems)
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
            print_problems(error.groups, args.all_problems)
            return EXIT_EXPECTED
    print(
        f"Imported: {done.new} added, {done.updated} updated"
        + (f", {done.left} marked as left." if args.full else ".")
    )
    return EXIT_OK


def cmd_pupils_list(args: argparse.Namespace) -> int:

    with signed_in(args) as opened:
        pupils = opened.services.directory.search_pupils("", limit=10**9)
    if not pupils:
        print("There are no pupils on the list yet.")
    for pupil in pupils:
        left = f"left {pupil.left_on.strftime('%d/%m/%Y')}" if pupil.left_on else ""
        print(
            f"{pupil.upn or '(no UPN)':<14} {pupil.sorting_name:<32} "
            f"{pupil.year_group:<8} {pupil.class_name:<8} {left}".rstrip()
        )
    return EXIT_OK
