"""``report``: the school's governors' report for a period (made and kept), with the
anonymised CSV export and the figures as JSON; or, with ``--merge``, a trust's roll-up
of several schools' exports, which opens no database (docs/reports.md). Everything goes
through the reports services, as in the app."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path

from incident_recorder.cli_commands.common import EXIT_OK, signed_in
from incident_recorder.cli_commands.records import _output_path
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.infra.files import write_private


def parse_day(text: str, what: str) -> date:
    """dd/mm/yyyy (also with - or .) or yyyy-mm-dd; InvalidInput in plain words."""
    cleaned = text.strip()
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", cleaned)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    try:
        if numeric:
            return date(int(numeric[3]), int(numeric[2]), int(numeric[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        raise InvalidInput(f"{what} '{text}' is not a real date.") from None
    raise InvalidInput(f"{what} '{text}' is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.")


def _read(path_text: str) -> bytes:
    path = Path(path_text).expanduser()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except OSError as error:
        raise InvalidInput(f"Could not read {path}: {error.strerror or error}.") from None


def _texts(path_text: str | None) -> object:
    from incident_recorder.domain.oversight.governors import GovernorsTexts

    if path_text is None:
        return GovernorsTexts()
    try:
        value = json.loads(_read(path_text).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(f"{path_text} is not a JSON file of the head's texts.") from None
    names = ("impact", "actions_taken", "actions_planned")
    if not isinstance(value, dict) or not all(isinstance(value.get(n, ""), str) for n in names):
        raise InvalidInput(
            f"{path_text} should hold a JSON object with text for any of "
            '"impact", "actions_taken" and "actions_planned".'
        )
    unknown = sorted(set(value) - set(names))
    if unknown:
        raise InvalidInput(f"{path_text} has a text the report does not know: {unknown[0]!r}.")
    return GovernorsTexts(**{n: value.get(n, "") for n in names})


def _outputs(args: argparse.Namespace) -> tuple[Path, Path | None, Path | None]:
    pdf = _output_path(args.output, args.overwrite)
    csv = None if args.csv is None else _output_path(args.csv, args.overwrite)
    figures = None if args.json is None else _output_path(args.json, args.overwrite)
    named = [p.resolve() for p in (pdf, csv, figures) if p is not None]
    if len(set(named)) != len(named):
        raise InvalidInput("Give the PDF, the CSV and the JSON different file names.")
    return pdf, csv, figures


def cmd_report(args: argparse.Namespace) -> int:
    if args.unsuppressed and not args.json:
        raise InvalidInput("--unsuppressed is about the JSON: give --json FILE too.")
    if args.merge:
        if args.date_from or args.date_to or args.texts:
            raise InvalidInput(
                "--merge makes a trust's report from the files alone: leave out "
                "--from, --to and --texts."
            )
        return _merge(args)
    if not args.date_from or not args.date_to:
        raise InvalidInput("Give the period with --from DATE and --to DATE (or --merge FILES).")
    from incident_recorder.domain.oversight.facts import Period
    from incident_recorder.domain.oversight.governors import GovernorsTexts

    start = parse_day(args.date_from, "The --from date")
    end = parse_day(args.date_to, "The --to date")
    if end < start:
        raise InvalidInput("The period ends before it starts: check --from and --to.")
    label = args.label or f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
    texts = _texts(args.texts)
    assert isinstance(texts, GovernorsTexts)
    pdf_path, csv_path, json_path = _outputs(args)
    with signed_in(args) as opened:
        services = opened.services
        reports = services.reports
        result = reports.compute(Period(start, end, label))
        with services.transaction():  # a file that cannot be written: nothing is kept
            saved = reports.make_governors_report(result, texts)
            write_private(pdf_path, reports.saved_pdf(saved.id))
            if csv_path is not None:
                write_private(csv_path, reports.export_csv(result))
            if json_path is not None:
                write_private(json_path, reports.figures_json(result, not args.unsuppressed))
    totals = result.report.totals
    print(
        f"Governors' report {saved.id} for {label}: {totals.incidents:,} incidents, "
        f"{totals.pupils_with_incident:,} pupils, {totals.pupils_on_roll:,} on roll; "
        f"in {pdf_path} (SHA-256 {saved.pdf_sha256})."
    )
    _said(args, csv_path, json_path)
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from incident_recorder.services.reports import TrustReportService

    pdf_path, csv_path, json_path = _outputs(args)
    files = [(Path(name).name, _read(name)) for name in args.merge]
    renderer = args.entry.renderer
    if renderer is None:
        raise InvalidInput("This installation cannot make PDFs.")
    made = TrustReportService(renderer()).make(files)
    write_private(pdf_path, made.pdf)
    if csv_path is not None:
        write_private(csv_path, made.csv)
    if json_path is not None:
        write_private(json_path, made.json if not args.unsuppressed else made.true_json)
    totals = made.report.totals
    count = len(made.report.schools)
    schools = "1 school" if count == 1 else f"{count:,} schools"
    print(
        f"The trust's report for {schools}: {totals.incidents:,} "
        f"incidents, {totals.pupils_on_roll:,} pupils on roll; in {pdf_path}."
    )
    _said(args, csv_path, json_path)
    return EXIT_OK


def _said(args: argparse.Namespace, csv_path: Path | None, json_path: Path | None) -> None:
    if csv_path is not None:
        print(f"The anonymised rows are in {csv_path} (no names, UPNs or free text).")
    if json_path is not None:
        true = " (the true figures, small numbers included: not for sharing)"
        print(f"Every figure is in {json_path}{true if args.unsuppressed else ''}.")
