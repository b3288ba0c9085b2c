"""The anonymised CSV made from the demo school's real encrypted store
(``ReportService.export_csv``): every cell is one of the format's values, and nothing
else (no pupil's name or UPN, no free text from a record, no reference); the export is
audited; and the file read back gives the school's own figures. Everyone here is
fictional."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from incident_recorder.domain.ethnicity import ETHNICITY_CODES, EthnicGroup
from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.csv_rows import (
    CSV_COLUMNS,
    FLAGS,
    OPTIONAL_FLAGS,
    OTHER_TYPED,
    read_export,
)
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.reports import ReportService
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import CHEAP_KDF


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("csv-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(vault, stores, FakeClock(), load_pick_lists())
    session = AccountService(vault, stores, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


def _period(session: Session) -> Period:
    days = [
        i.details.when_where.date
        for i in session.store.incidents.all_submitted()
        if i.details.when_where.date
    ]
    return Period(min(days), max(days))


def test_every_cell_is_a_value_of_the_format_and_nothing_else(demo: Session) -> None:
    reports = ReportService(demo, RENDERER)
    period = _period(demo)
    data = reports.export_csv(period)
    text = data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == CSV_COLUMNS
    settings = demo.settings()
    years = {p.year_group for p in demo.store.pupils.list()}
    yes_no, maybe = {"yes", "no"}, {"yes", "no", ""}
    allowed = {
        "row_type": {"period", "term_start", "pupil", "incident", "last_year_incident"},
        "format_version": {"1"},
        "school": {settings.school.name},
        "year_group": years | {""},
        "ethnic_group": {g.value for g in EthnicGroup} | {""},
        "ethnicity": set(ETHNICITY_CODES) | {""},
        "sex": {"F", "M", ""},
        "sen": {"none", "sen_support", "ehcp", ""},
        "kind": {"reasonable_force", "restraint_without_force", "seclusion", ""},
        "location": set(settings.locations) | {OTHER_TYPED, ""},
        **{name: yes_no | {""} for name in FLAGS},
        **{name: maybe for name in OPTIONAL_FLAGS},
        **{
            name: yes_no | {""}
            for name in (
                "looked_after",
                "previously_looked_after",
                "kinship_care",
                "child_in_need_or_protection",
                "free_school_meals",
                "eal",
            )
        },
    }
    lists = {
        "techniques": set(settings.techniques) | {OTHER_TYPED},
        "antecedent_kinds": set(settings.antecedent_types),
        "floor_positions": {"ground", "prone", "supine"},
    }
    patterns = {
        "period_start": r"\d{4}-\d\d-\d\d",
        "period_end": r"\d{4}-\d\d-\d\d",
        "date": r"(\d{4}-\d\d-\d\d)?",
        "start_time": r"(\d\d:\d\d)?",
        "incident_no": r"\d*",
        "days_on_roll": r"\d*",
        "duration_minutes": r"\d*",
        "pupil_key": r"(P[0-9a-f]{12})?",
    }
    assert set(allowed) | set(lists) | set(patterns) == set(CSV_COLUMNS)
    kinds = {r[0] for r in rows}
    assert {"period", "pupil", "incident"} <= kinds
    for n, row in enumerate(rows, start=2):
        for column, cell in zip(CSV_COLUMNS, row, strict=True):
            if column in allowed:
                assert cell in allowed[column], (n, column, cell)
            elif column in lists:
                assert not cell or set(cell.split(";")) <= lists[column], (n, column, cell)
            else:
                assert re.fullmatch(patterns[column], cell), (n, column, cell)


def test_no_name_upn_or_reference_and_the_export_is_audited(demo: Session) -> None:
    reports = ReportService(demo, RENDERER)
    data = reports.export_csv(_period(demo))
    text = data.decode("utf-8-sig")
    # A surname may be a place on the pick-list too (the demo has a Hall): the test
    # above holds every cell to the format's values; this one looks for the rest.
    settings = demo.settings()
    places = {*settings.locations, *settings.techniques, *settings.antecedent_types}
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row} - places
    pupils = demo.store.pupils.list()
    assert pupils
    for pupil in pupils:
        if pupil.upn:
            assert pupil.upn not in text
        for name in (pupil.first_name, pupil.last_name, pupil.display_name):
            assert name not in cells
    references = [i.reference for i in demo.store.incidents.all_submitted() if i.reference]
    assert references and not any(r in text for r in references)
    entry = demo.store.audit.entries(limit=5)[0]
    assert entry.action == "oversight_exported" and "sha256" in entry.detail
    assert not any(p.last_name in entry.detail for p in pupils)


def test_the_file_read_back_gives_the_school_s_own_figures(demo: Session) -> None:
    reports = ReportService(demo, RENDERER)
    period = _period(demo)
    result = reports.compute(period)
    back = compute_report(read_export(reports.export_csv(result), "demo.csv"))
    assert back.totals == result.report.totals
    assert back.compliance == tuple(
        replace(f, references=g.references)
        for f, g in zip(result.report.compliance, back.compliance, strict=True)
    )
    for ours, theirs in zip(back.disproportionality, result.report.disproportionality, strict=True):
        assert [(g.group, g.on_roll, g.with_incident, g.incidents) for g in ours.groups] == [
            (g.group, g.on_roll, g.with_incident, g.incidents) for g in theirs.groups
        ]
    assert [p.count for p in back.weekly] == [p.count for p in result.report.weekly]
    assert back.period.start == period.start and back.period.end == period.end
    assert isinstance(back.period.start, date)
