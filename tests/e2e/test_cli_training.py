"""``incident-recorder training import`` and ``training due`` in subprocesses.
Everyone named is fictional."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.e2e.conftest import ADMIN_PASSPHRASE, Run


def _school(cli: Run, folder: Path) -> None:
    made = cli(
        "init", "--data-dir", folder, "--school", "Fictional Rowan Primary",
        "--admin", "r.admin", "--full-name", "Siân Griffiths",
        passphrase=ADMIN_PASSPHRASE,
    )  # fmt: skip
    assert made.code == 0, made.err


def _training(cli: Run, folder: Path, *args: str | Path) -> tuple[int, str, str]:
    done = cli(
        "training", *args, "--data-dir", folder, "--user", "r.admin", passphrase=ADMIN_PASSPHRASE
    )
    return done.code, done.out, done.err


def test_import_then_due(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    soon = date.today() - timedelta(days=365 - 20)  # runs out in about 20 days
    csv = tmp_path / "training.csv"
    csv.write_text(
        "Name,Course,Date trained\n"
        f"siân  griffiths,Team-Teach,{soon:%d/%m/%Y}\n"
        "Jo Marsh,Team-Teach,01/02/2020\n"
        "Jo Marsh,Team-Teach,31/02/2020\n",
        encoding="utf-8-sig",
    )
    code, out, err = _training(cli, folder, "import", csv, "--dry-run")
    assert code == 0, err
    assert "1 to add; 1 for 1 person not on the staff list; 1 row with a problem" in out
    assert "Row 4: the date trained '31/02/2020' is not a real date" in err
    assert "Dry run: nothing was imported." in out
    code, out, err = _training(cli, folder, "due")
    assert code == 0, err
    assert "No training runs out in the next 60 days" in out

    code, out, err = _training(cli, folder, "import", csv, "--add-unknown")
    assert code == 0, err
    assert "Imported: 2 training entries, 1 added to the staff list." in out
    code, out, err = _training(cli, folder, "due")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("Jo Marsh: Team-Teach, trained 01/02/2020, valid until 01/02/2021")
    assert "expired" in lines[0]
    assert lines[1].startswith("Siân Griffiths: Team-Teach") and "expires in" in lines[1]

    bad = tmp_path / "bad.csv"
    bad.write_text("Who,When\nx,y\n")
    code, out, err = _training(cli, folder, "import", bad)
    assert code == 2
    assert "no 'Name' and 'Course' and 'Date trained' column" in err
