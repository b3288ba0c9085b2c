"""Issue 14's own check, end to end in subprocesses on the demo school: "We will compute
the figures ourselves from a JSON export of a school we make, compare every rate, ratio
and interval with the report's JSON and PDF, and look for any way to recover a
suppressed count."

The figures here are worked out from ``incident-recorder export`` alone (pupils with
their characteristics and dates on roll; every record's latest version), with nothing
of the app's oversight code, then compared with ``report --json --unsuppressed``, with
the governors' PDF read back with pdftotext, and the shared (suppressed) JSON is
attacked by subtraction. Everyone in the demo is fictional."""

from __future__ import annotations

import json
import math
import re
import subprocess
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from incident_recorder.domain.ethnicity import ethnic_group
from incident_recorder.services.demo import DEMO_PASSPHRASE
from tests.e2e.conftest import Run

END = date.today()
START = END - timedelta(days=364)
DAYS = (END - START).days + 1
Z = 1.959964


def _cli(cli: Run, demo: Path, *args: str | Path) -> str:
    done = cli(*args, "--data-dir", demo, "--user", "demo", passphrase=DEMO_PASSPHRASE)
    assert done.code == 0, done.err
    return done.out


def _day(text: str | None) -> date | None:
    return None if not text else date.fromisoformat(text)


def _groups(p: dict[str, Any]) -> dict[str, str]:
    """Each characteristic's group for one exported pupil (the docs' group keys)."""
    code = p.get("ethnicity") or ""
    major = ethnic_group(code) if code else None
    flags = {
        "looked_after": p["looked_after"],
        "previously_looked_after": p["previously_looked_after"],
        "kinship_care": p["kinship_care"],
        "child_in_need_or_protection": p["child_in_need"] or p["child_protection_plan"],
        "free_school_meals": p["free_school_meals"],
        "eal": p["eal"],
    }
    groups = {key: (key if yes else "others") for key, yes in flags.items()}
    groups.update(
        sen=p["sen_status"],
        sex=p["sex"],
        year_group=p["year_group"],
        ethnicity=code,
        ethnic_group="" if major is None else major.value,
    )
    return groups


def _by_hand(export: dict[str, Any]) -> dict[tuple[str, str], dict[str, float]]:
    """Per characteristic and group: on roll (head count), n (days-weighted), pupils
    with an incident, incidents; and the whole roll's, under ("all", "all")."""
    pupils: dict[int, tuple[float, dict[str, str]]] = {}
    for p in export["pupils"]:
        joined, left = _day(p.get("joined_on")), _day(p.get("left_on"))
        first = max(START, joined) if joined else START
        last = min(END, left - timedelta(days=1)) if left else END
        if last >= first:
            pupils[p["id"]] = ((last - first).days + 1, _groups(p))
    incidents: dict[int, int] = defaultdict(int)
    for record in export["incidents"]:
        if record["status"] != "submitted":
            continue
        details = record["versions"][-1]["details"]
        day = _day(details["when_where"]["date"])
        if day is not None and START <= day <= END and details["who"]["pupil_id"] in pupils:
            incidents[details["who"]["pupil_id"]] += 1
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(
        lambda: {"on_roll": 0, "n": 0.0, "with": 0, "incidents": 0}
    )
    for pupil_id, (days, groups) in pupils.items():
        for cell in [("all", "all"), *groups.items()]:
            s = sums[cell]
            s["on_roll"] += 1
            s["n"] += days / DAYS
            s["with"] += incidents[pupil_id] > 0
            s["incidents"] += incidents[pupil_id]
    return sums


@pytest.fixture
def made(cli: Run, demo: Path, tmp_path: Path) -> dict[str, Any]:
    export = tmp_path / "school.json"
    _cli(cli, demo, "export", "--json", export)
    true_json, shared_json, pdf = (
        tmp_path / "true.json",
        tmp_path / "shared.json",
        tmp_path / "g.pdf",
    )
    period = ("--from", f"{START:%d/%m/%Y}", "--to", f"{END:%d/%m/%Y}")
    _cli(cli, demo, "report", *period, "-o", pdf, "--json", shared_json)
    _cli(
        cli,
        demo,
        "report",
        *period,
        "-o",
        tmp_path / "g2.pdf",
        "--json",
        true_json,
        "--unsuppressed",
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return {
        "export": json.loads(export.read_text("utf-8")),
        "true": json.loads(true_json.read_text("utf-8")),
        "shared": json.loads(shared_json.read_text("utf-8")),
        "pdf": " ".join(text.split()),
    }


def test_every_rate_ratio_and_interval_matches_our_own_sums(made: dict[str, Any]) -> None:
    sums = _by_hand(made["export"])
    report = made["true"]
    whole = sums[("all", "all")]
    assert report["totals"]["pupils_on_roll"]["value"] == whole["on_roll"]
    assert report["totals"]["pupils_with_incident"]["value"] == whole["with"]
    assert whole["with"] >= 10  # the demo has enough to analyse
    checked = on_paper = 0
    for table in report["disproportionality"]:
        for g in table["groups"]:
            mine = sums[(table["key"], g["group"])]
            assert g["on_roll"]["value"] == mine["on_roll"], (table["key"], g["group"])
            assert g["with_incident"]["value"] == mine["with"], (table["key"], g["group"])
            assert g["incidents"]["value"] == mine["incidents"], (table["key"], g["group"])
            assert g["on_roll_equivalent"] == pytest.approx(mine["n"], abs=1e-6)
            rate = g["rate_per_100"]["value"]
            assert rate == pytest.approx(100 * mine["with"] / mine["n"], abs=1e-6)
            ratio = g["risk_ratio"]
            if ratio is None:
                assert g["no_ratio_reason"]
                continue
            a, n1 = mine["with"], mine["n"]
            c, n0 = whole["with"] - a, whole["n"] - n1
            rr = (a / n1) / (c / n0)
            se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
            low, high = rr * math.exp(-Z * se), rr * math.exp(Z * se)
            assert ratio["value"] == pytest.approx(rr, rel=1e-5)
            assert ratio["interval"] == pytest.approx([low, high], rel=1e-5)
            assert ratio["flagged"] is (low > 1)
            # The PDF prints the same ratio and interval (one decimal place or two).
            checked += 1
            # On paper (the PDF and the shared JSON): the same ratio and interval,
            # correctly rounded, or none where a count behind it is suppressed.
            printed = g["risk_ratio_on_paper"]
            shared = _shared_group(made["shared"], table["key"], g["group"])
            assert shared["risk_ratio_on_paper"] == printed
            if shared["risk_ratio"] is None:
                assert g["with_incident"]["hidden_on_paper"] or g["on_roll"]["hidden_on_paper"]
                continue
            for shown, exact in zip(_numbers(printed), (rr, low, high), strict=True):
                assert _rounds_to(shown, exact), (printed, rr, low, high)
            assert printed in made["pdf"], printed
            on_paper += 1
    assert checked >= 3 and on_paper >= 1  # ratios worked out, and printed


def _shared_group(shared: dict[str, Any], key: str, group: str) -> dict[str, Any]:
    table = next(t for t in shared["disproportionality"] if t["key"] == key)
    return next(g for g in table["groups"] if g["group"] == group)


def _numbers(printed: str) -> list[str]:
    """ "3.1 (95% CI 1.4 to 6.7)" -> ["3.1", "1.4", "6.7"]."""
    match = re.fullmatch(r"([0-9.]+) \(95% CI ([0-9.]+) to ([0-9.]+)\)", printed)
    assert match is not None, printed
    return list(match.groups())


def _rounds_to(shown: str, exact: float) -> bool:
    """Whether ``shown`` is ``exact`` correctly rounded to its own decimal places."""
    places = len(shown.partition(".")[2])
    return bool(abs(float(shown) - exact) <= 0.5 * 10.0**-places + 1e-9)


def test_the_compliance_counts_match_the_records(made: dict[str, Any]) -> None:
    export = made["export"]
    injured = total = 0
    for record in export["incidents"]:
        if record["status"] != "submitted":
            continue
        details = record["versions"][-1]["details"]
        day = _day(details["when_where"]["date"])
        if day is None or not START <= day <= END:
            continue
        total += 1
        injured += bool(details["injuries"]["pupil_injured"])
    figures = {c["key"]: c for c in made["true"]["compliance"]}
    assert made["true"]["totals"]["incidents"]["value"] == total
    assert figures["pupil_injured"]["count"]["value"] == injured
    assert figures["pupil_injured"]["of"]["value"] == total


def test_no_suppressed_count_can_be_recovered_from_what_is_shared(made: dict[str, Any]) -> None:
    shared = made["shared"]
    assert shared["suppressed"] is True
    for table in shared["disproportionality"]:
        for field in ("on_roll", "with_incident", "incidents"):
            total_key = {"on_roll": "pupils_on_roll", "with_incident": "pupils_with_incident"}
            cells = [g[field] for g in table["groups"]]
            shown = [c["value"] for c in cells if not c["hidden_on_paper"]]
            hidden = [c for c in cells if c["hidden_on_paper"]]
            assert all(c["value"] is None for c in hidden)
            assert all(v == 0 or v >= 5 for v in shown), (table["key"], field)
            # With the total known, one hidden cell alone would be the difference.
            total = shared["totals"].get(total_key.get(field, ""), {"hidden_on_paper": True})
            complete = sum(1 for g in table["groups"] if g["group"]) == len(table["groups"])
            if hidden and complete and not total["hidden_on_paper"]:
                assert len(hidden) != 1, (table["key"], field)
        for g in table["groups"]:
            if g["with_incident"]["hidden_on_paper"]:
                assert g["rate_per_100"]["value"] is None and g["risk_ratio"] is None
    for figure in shared["compliance"]:
        count, of = figure["count"], figure["of"]
        if count["hidden_on_paper"]:
            assert figure["percent"]["value"] is None
        elif not of["hidden_on_paper"] and count["value"] is not None and of["value"]:
            gap = of["value"] - count["value"]  # the complement is a count too
            assert gap == 0 or gap >= 5, figure["key"]
    # The PDF holds no name of any pupil on roll.
    pdf = made["pdf"]
    names = {f"{p['first_name']} {p['last_name']}" for p in made["export"]["pupils"]}
    assert not [n for n in names if n in pdf]
