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
    assert "30 new, 0 updated, 0 unchanged; no problems." in out
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
    assert "3 problems in 3 rows." in out
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


def test_contact_columns_in_sims_order_are_read_and_the_rules_printed(
    cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    code, out, err = _pupils(cli, folder, "import", SAMPLES / "sims-priority-contacts.csv")
    assert code == 0, err
    assert "contact1_surname <- Priority 1 Contact Surname" in out
    assert "contact2_lives_with_pupil <- Priority 2 Contact Lives With Pupil" in out
    assert "Columns not read" not in out
    assert "Parents and carers:\n  51 parents and carers in the file; 44 of them" in out
    assert "no column saying who receives correspondence" in out


def _slips(tmp_path: Path) -> Path:
    """The SIMS sample with typing slips in 12 UPNs and one date that does not exist."""
    lines = SIMS.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0]]
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if n <= 13:
            cells[0] = ("B" if cells[0][0] != "B" else "C") + cells[0][1:]
        elif n == 14:
            cells[4] = "31/02/2014"
        out.append(",".join(cells))
    path = tmp_path / "slips.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_dry_run_groups_problems_by_kind_and_all_problems_lists_every_row(
    cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "school"
    _school(cli, folder)
    path = _slips(tmp_path)
    code, out, err = _pupils(cli, folder, "import", path, "--dry-run")
    assert code == 2
    assert "13 problems in 13 rows." in out
    lines = err.splitlines()
    assert lines[0] == "Problems (13 problems in 13 rows), most serious first:"
    assert lines[1].startswith(
        "  12 rows: the UPN's check letter does not match (often a typing slip) (for example "
        "row 2: '"
    )
    assert [line[:12] for line in lines[2:7]] == [f"      Row {n}:" for n in range(2, 7)]
    assert lines[7] == "      … and 7 more of this kind"
    assert lines[8] == "  1 row: the date of birth is not a real date (row 14: '31/02/2014')"
    assert lines[9] == "      Row 14: the date of birth '31/02/2014' is not a real date."
    assert lines[10] == "7 more problems are not listed: add --all-problems to list every one."
    assert "Nothing was imported." in lines[11]

    code, _, err = _pupils(cli, folder, "import", path, "--dry-run", "--all-problems")
    assert code == 2
    listed = [line for line in err.splitlines() if line.startswith("      Row ")]
    assert [int(line.split()[1].rstrip(":")) for line in listed] == list(range(2, 15))
    assert "more of this kind" not in err and "--all-problems" not in err
