"""``incident-recorder calendar show`` in a subprocess: the standard English dates for
a school that keeps none, with the periods the reports offer. Everyone is fictional."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from incident_recorder.domain.calendar import school_year_name, school_year_of
from tests.e2e.conftest import ADMIN_PASSPHRASE, Run


def test_calendar_show(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    made = cli(
        "init", "--data-dir", folder, "--school", "Fictional Rowan Primary",
        "--admin", "r.admin", "--full-name", "Siân Griffiths",
        passphrase=ADMIN_PASSPHRASE,
    )  # fmt: skip
    assert made.code == 0, made.err
    done = cli(
        "calendar", "show", "--data-dir", folder, "--user", "r.admin",
        passphrase=ADMIN_PASSPHRASE,
    )  # fmt: skip
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == "The standard English term dates (the school keeps none of its own)."
    assert any(line.startswith("  Autumn 1: ") and "school days)" in line for line in lines)
    assert "Early May bank holiday" in done.out
    year = school_year_of(date.today())
    assert (
        f"  This school year: {school_year_name(year)} (01/09/{year} to 31/08/{year + 1})" in lines
    )
    assert any(line.startswith("  This term: ") for line in lines)
