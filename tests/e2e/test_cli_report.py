"""``incident-recorder report`` in subprocesses: the governors' report of the demo
school (kept, with its CSV and JSON), plain one-line refusals, and a trust's roll-up
of two schools' exports with no database. Everyone in the demo is fictional."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

from incident_recorder.services.demo import DEMO_OFFICE, DEMO_PASSPHRASE
from tests.e2e.conftest import Run

TODAY = date.today()
START = TODAY - timedelta(days=365)


def _report(cli: Run, demo: Path, *args: str | Path, user: str = "demo") -> tuple[int, str, str]:
    done = cli("report", "--data-dir", demo, "--user", user, *args, passphrase=DEMO_PASSPHRASE)
    return done.code, done.out, done.err


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_school_s_report_with_its_csv_and_json(cli: Run, demo: Path, tmp_path: Path) -> None:
    pdf, csv, figures = tmp_path / "governors.pdf", tmp_path / "rows.csv", tmp_path / "figures.json"
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps({"impact": "Families told us the calls mattered."}), "utf-8")
    code, out, err = _report(
        cli, demo, "--from", f"{START:%d/%m/%Y}", "--to", TODAY.isoformat(),
        "-o", pdf, "--csv", csv, "--json", figures, "--texts", texts,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Governors' report 1 for ") and "incidents" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    printed = _text(pdf)
    assert "Families told us the calls mattered." in printed
    listed = cli("pupils", "list", "--data-dir", demo, "--user", "demo", passphrase=DEMO_PASSPHRASE)
    assert listed.code == 0, listed.err
    rows = [line for line in listed.out.splitlines() if line.strip()]
    upns = [line[:14].strip() for line in rows]
    sorting = [line[15:47].strip() for line in rows]  # "Surname, First"
    names = [f"{first} {last}" for last, _, first in (n.partition(", ") for n in sorting)]
    assert len(names) > 100 and all(" " in n for n in names)
    flat = " ".join(printed.split())
    assert not [n for n in names if n in flat]  # no pupil named on paper
    assert not [u for u in upns if u.startswith(tuple("ABCDEFGHJKLMNPQRTUVWXYZ")) and u in flat]
    header = csv.read_text("utf-8-sig").splitlines()[0]
    assert "pupil_key" in header and "name" not in header.split(",")
    data = json.loads(figures.read_text("utf-8"))
    assert isinstance(data, dict) and data
    # The same file again without --overwrite: one plain line, exit 2, nothing kept.
    code, out, err = _report(
        cli, demo, "--from", START.isoformat(), "--to", TODAY.isoformat(), "-o", pdf
    )
    assert code == 2 and len(err.strip().splitlines()) == 1 and "already exists" in err
    # With --overwrite, a second report is kept.
    code, out, err = _report(
        cli, demo, "--from", START.isoformat(), "--to", TODAY.isoformat(), "-o", pdf,
        "--overwrite",
    )  # fmt: skip
    assert code == 0 and out.startswith("Governors' report 2 for "), err


def test_mistakes_are_one_plain_line(cli: Run, demo: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "g.pdf"
    cases = [
        (("--from", "31/02/2026", "--to", "01/03/2026", "-o", pdf), "not a real date"),
        (("--from", "soon", "--to", "01/03/2026", "-o", pdf), "write it as dd/mm/yyyy"),
        (("--from", "01/03/2026", "--to", "01/02/2026", "-o", pdf), "ends before it starts"),
        (("--to", "01/03/2026", "-o", pdf), "--from DATE and --to DATE"),
    ]
    for args, words in cases:
        code, _out, err = _report(cli, demo, *args)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    code, _out, err = _report(
        cli, demo, "--from", "01/09/2025", "--to", "31/08/2026", "-o", pdf, user=DEMO_OFFICE[0]
    )
    assert code == 2 and "Only a safeguarding lead or senior leader" in err
    assert not pdf.exists()


def test_a_trust_roll_up_needs_no_database(cli: Run, demo: Path, tmp_path: Path) -> None:
    first = tmp_path / "oak.csv"
    code, _out, err = _report(
        cli, demo, "--from", START.isoformat(), "--to", TODAY.isoformat(),
        "-o", tmp_path / "oak.pdf", "--csv", first,
    )  # fmt: skip
    assert code == 0, err
    text = first.read_text("utf-8-sig")
    school = text.splitlines()[1].split(",")[2]
    second = tmp_path / "willow.csv"
    second.write_text(text.replace(school, "Fictional Willow Academy"), "utf-8-sig")
    trust = tmp_path / "trust.pdf"
    done = cli(
        "report", "--merge", first, second, "-o", trust, "--json", tmp_path / "trust.json",
        "--csv", tmp_path / "trust.csv", "--data-dir", tmp_path / "nowhere",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "for 2 schools" in done.out
    printed = _text(trust)
    assert "Fictional Willow Academy" in printed
    assert not (tmp_path / "nowhere").exists()  # no data folder was made or opened
    rows = (tmp_path / "trust.csv").read_text("utf-8-sig").splitlines()
    assert sum(r.split(",")[2] == "Fictional Willow Academy" for r in rows[1:]) > 0
    # The trust's own CSV reads back school by school (a local authority's roll-up).
    again = cli("report", "--merge", tmp_path / "trust.csv", "-o", tmp_path / "again.pdf")
    assert again.code == 0 and "for 2 schools" in again.out, again.err
    # The JSON of the true figures, for checking the sums: it holds what paper hides.
    true = tmp_path / "true.json"
    done = cli("report", "--merge", first, second, "-o", tmp_path / "t3.pdf", "--json", true,
               "--unsuppressed")  # fmt: skip
    assert done.code == 0 and "not for sharing" in done.out, done.err
    shared = (tmp_path / "trust.json").read_text("utf-8")
    assert true.read_text("utf-8") != shared and shared.count("null") > true.read_text(
        "utf-8"
    ).count("null")
    done = cli("report", "--merge", first, "-o", tmp_path / "t4.pdf", "--unsuppressed")
    assert done.code == 2 and "give --json FILE too" in done.err
    bad = tmp_path / "bad.csv"
    bad.write_text("not,an,export\n", "utf-8")
    done = cli("report", "--merge", first, bad, "-o", tmp_path / "t2.pdf")
    assert done.code == 2 and len(done.err.strip().splitlines()) == 1, done.err
    assert "bad.csv" in done.err
