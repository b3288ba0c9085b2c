"""The report's JSON and the inputs' fingerprint."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.report_json import (
    inputs_fingerprint,
    report_json,
    report_json_text,
)
from tests.unit.oversight import school


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    return report_json(compute_report(school.inputs()))


def test_round_trips_through_json_text_with_the_same_key_order(data: dict[str, object]) -> None:
    report = compute_report(school.inputs())
    text = report_json_text(report)
    assert json.loads(text) == data
    assert text == report_json_text(compute_report(school.inputs()))  # stable
    assert list(data) == [
        "format", "version", "suppressed", "school", "period", "rules", "totals",
        "compliance", "patterns", "weekly", "monthly", "term_starts", "repeated_pupils",
        "disproportionality", "schools",
    ]  # fmt: skip
    assert data["period"] == {
        "start": "2026-09-01",
        "end": "2026-10-31",
        "label": "01/09/2026 to 31/10/2026",
        "days": 61,
    }


def test_every_figure_has_its_numerator_denominator_and_interval(data: dict[str, object]) -> None:
    compliance = {c["key"]: c for c in data["compliance"]}  # type: ignore[attr-defined]
    letters = compliance["letter_within_1_school_day"]
    assert letters["count"] == {"value": 10, "hidden_on_paper": False, "on_paper": "10"}
    assert letters["percent"]["numerator"] == 10
    assert letters["percent"]["denominator"] == 15
    assert letters["percent"]["value"] == 66.666667  # rounded to 6 places
    assert letters["percent"]["on_paper"] == "67%"

    tables = {t["key"]: t for t in data["disproportionality"]}  # type: ignore[attr-defined]
    fsm = tables["free_school_meals"]["groups"][0]
    assert fsm["with_incident"]["value"] == 10
    assert fsm["rate_per_100"] == {
        "numerator": 10,
        "denominator": 15.0,
        "per": 100,
        "value": 66.666667,
        "interval": None,
        "hidden_on_paper": True,
        "on_paper": "not shown",
    }
    rr = fsm["risk_ratio"]
    assert rr["value"] == 9.333333
    # Katz: exp(ln(28/3) -/+ 1.959964 * sqrt(1/10 - 1/15 + 1/1 - 1/14))
    se = math.sqrt(1 / 10 - 1 / 15 + 1 - 1 / 14)
    low, high = (28 / 3) * math.exp(-1.959964 * se), (28 / 3) * math.exp(1.959964 * se)
    assert rr["interval"] == [pytest.approx(low, abs=2e-6), pytest.approx(high, abs=2e-4)]
    assert rr["interval"] == [round(x, 6) for x in rr["interval"]]  # 6 places
    assert (rr["a"], rr["n1"], rr["c"], rr["n0"]) == (10, 15.0, 1, 14.0)
    assert rr["flagged"] is True
    boys = tables["sex"]["groups"][1]
    assert boys["on_roll_equivalent"] == round(14 + 31 / 61, 6)
    assert data["totals"]["on_roll_equivalent"] == 29.0  # type: ignore[index]
    assert data["repeated_pupils"] == [
        {"pupil": "Pupil A", "incidents": 6},
        {"pupil": "Pupil B", "incidents": 3},
        {"pupil": "Pupil C", "incidents": 2},
        {"pupil": "Pupil D", "incidents": 2},
    ]
    assert "Pupil Number" not in json.dumps(data) and "p16" not in json.dumps(data)


def test_suppressed_form_has_no_hidden_number(data: dict[str, object]) -> None:
    shared = report_json(compute_report(school.inputs()), suppressed=True)
    tables = {t["key"]: t for t in shared["disproportionality"]}
    girls = tables["sex"]["groups"][0]
    assert girls["with_incident"] == {
        "value": None,
        "hidden_on_paper": True,
        "on_paper": "fewer than 5",
    }
    assert girls["rate_per_100"]["numerator"] is None
    assert tables["free_school_meals"]["groups"][0]["risk_ratio"] is None
    assert shared["repeated_pupils"] == []

    def numbers(node: object) -> list[object]:
        if isinstance(node, dict):
            if node.get("hidden_on_paper"):
                assert node.get("value") is None and node.get("numerator") is None
            return [x for v in node.values() for x in numbers(v)]
        if isinstance(node, list):
            return [x for v in node for x in numbers(v)]
        return [node]

    numbers(shared)


def test_fingerprint_is_stable_and_ignores_order_and_names() -> None:
    base = school.inputs()
    fp = inputs_fingerprint(base)
    assert len(fp) == 64 and int(fp, 16) >= 0
    assert inputs_fingerprint(school.inputs()) == fp
    shuffled = replace(
        base, incidents=tuple(reversed(base.incidents)), pupils=tuple(reversed(base.pupils))
    )
    assert inputs_fingerprint(shuffled) == fp
    assert inputs_fingerprint(school.inputs(names_shown=True)) == fp
    # Known value: the canonical form must not drift between versions unnoticed.
    assert fp == FERNHILL_FINGERPRINT


def test_fingerprint_changes_with_any_input() -> None:
    base = school.inputs()
    fp = inputs_fingerprint(base)
    one = base.incidents[0]
    changed = [
        replace(base, incidents=(replace(one, pupil_injured=True), *base.incidents[1:])),
        replace(base, incidents=(replace(one, copy_supplied=False), *base.incidents[1:])),
        replace(base, incidents=base.incidents[1:]),
        replace(base, last_year=base.last_year[1:]),
        replace(base, pupils=(replace(base.pupils[0], days_on_roll=60), *base.pupils[1:])),
        replace(
            base,
            pupils=(
                replace(
                    base.pupils[0],
                    characteristics=replace(base.pupils[0].characteristics, eal=True),
                ),
                *base.pupils[1:],
            ),
        ),
        replace(base, period=replace(base.period, end=base.period.end.replace(day=30))),
        replace(base, rules=replace(base.rules, hide_below=10)),
        replace(base, school="Another School"),
    ]
    prints = {inputs_fingerprint(c) for c in changed}
    assert fp not in prints and len(prints) == len(changed)


FERNHILL_FINGERPRINT = "d098b3fc7e4a8cfd4e4cb74e3c9b5229c068fed1a328fd3fded81f37f12e4734"
