"""``incident-recorder pupils import`` and ``pupils list`` in subprocesses."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import ADMIN_PASSPHRASE, Run

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mis"
SIMS = SAMPLES / "sims-style.csv"


def _school(cli: Run, folder: Path) -> None:
    made = cli(
        "init",
        "--data-dir",
        folder,
        "--school",
        "Fictional Rowan Primary",
        "--admin",
        "r.admin",
        "--full-name",
        "Siân Griffiths",
        passphrase=ADMIN_PASSPHRASE,
    )
    assert made.code == 0, made.err


def _pupils(cli: Run, folder: Path, *args: str | Path) -> tuple[int, str, str]:
    done = cli(
        "pupils", *args, "--data-dir", folder, "--user", "r.admin", passphrase=ADMIN_PASSPHRASE
    )
    return done.code, done.out, done.err


def test_dry_run_then_import_then_list(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    code, out, err = _pupils(cli, folder, "import", SIMS, "--dry-run")
    assert code == 0, err
    assert "upn <- UPN" in out and "last_name <- Legal Surname" in out
    assert "30 new, 0 updated, 0 unchanged; 0 problems." in out
    assert "Dry run: nothing was imported." in out
    assert _pupils(cli, folder, "list")[1].strip() == "There are no pupils on the list yet."

    code, out, err = _pupils(cli, folder, "import", SIMS)
    assert code == 0, err
    assert "Imported: 30 added, 0 updated." in out
    code, out, _ = _pupils(cli, folder, "list")
    lines = out.splitlines()
    assert len(lines) == 30
    assert any(line.startswith("H873204114101  Ó Briain, Mei") for line in lines), lines[:3]

    fewer = tmp_path / "fewer.csv"
    fewer.write_bytes(b"".join(SIMS.read_bytes().splitlines(keepends=True)[:-1]))
    code, out, err = _pupils(cli, folder, "import", fewer, "--full")
    assert code == 0, err
    assert "0 new, 0 updated, 29 unchanged, 1 to be marked as left" in out
    listed = _pupils(cli, folder, "list")[1].splitlines()
    assert len(listed) == 30
    (leaver,) = [line for line in listed if re.search(r"left \d\d/\d\d/\d{4}$", line)]
    assert leaver == listed[-1]  # pupils who have left come after those on roll


def test_problems_exit_2_list_every_row_and_write_nothing(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    lines = SIMS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    bad = lines[1].replace("BOTH", "XYZ", 1)
    dob = lines[2].split(",")[4]
    broken = lines[2].replace(dob, "31/02/2015", 1)
    path = tmp_path / "bad.csv"
    path.write_text("".join([lines[0], bad, broken, lines[1]]), encoding="utf-8")
    code, out, err = _pupils(cli, folder, "import", path)
    assert code == 2
    assert "Traceback" not in err
    assert "Row 2: 'XYZ' is not a DfE ethnicity code." in err
    assert "Row 3: the date of birth '31/02/2015' is not a real date." in err
    assert "appears twice (rows 2 and 4)" in err
    assert "Nothing was imported." in err
    assert "3 problems." in out
    assert _pupils(cli, folder, "list")[1].strip() == "There are no pupils on the list yet."


def test_mapping_override_and_unreadable_files(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    path = tmp_path / "odd.csv"
    path.write_text("Pupil Ref,Surname,Forename\nH873204114101,Ó Briain,Mei\n", encoding="cp1252")
    code, _, err = _pupils(cli, folder, "import", path)
    assert code == 2 and "No column was recognised for the UPN" in err
    code, out, err = _pupils(cli, folder, "import", path, "--mapping", "upn=Pupil Ref")
    assert code == 0, err
    assert "Imported: 1 added" in out
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = _pupils(cli, folder, "import", empty)
    assert code == 2 and "The file is empty" in err
    code, _, err = _pupils(cli, folder, "import", tmp_path / "missing.csv")
    assert code == 2 and "There is no file" in err
