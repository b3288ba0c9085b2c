"""Behaviour support plans in the domain: the plan in force, the checklist order, what a
plan needs before it is saved, and the policy warnings a plan drives (table-driven)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import HoldUse, IncidentDetails, Pupil, SenStatus
from incident_recorder.domain.plans import (
    BehaviourPlan,
    check_plan,
    in_force,
    plan_problems,
    strategies_first,
)
from incident_recorder.domain.policy import PolicyContext, Severity, evaluate
from incident_recorder.domain.steps import Step
from tests.fakes import complete_details

DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 15, 0)
PUPIL = Pupil(id=7, upn="B801200005001", first_name="Amara", last_name="Okafor")
PLAN = BehaviourPlan(
    pupil_id=7,
    version=2,
    helpful_strategies=("Offered choices",),
    approved_techniques=("Friendly hold (standing)", "Single elbow"),
    medical_notes="Asthma: nothing that presses on the chest.",
    ruled_out_techniques=("Wrap (standing)",),
    written_by="Siân Griffiths",
    start_date=date(2026, 1, 5),
    review_date=date(2026, 7, 5),
)
PLAN_CODES = {"technique_not_in_plan", "technique_ruled_out", "no_plan"}


def holds(*names: str) -> Callable[[IncidentDetails], IncidentDetails]:
    def change(d: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            d,
            intervention=dataclasses.replace(
                d.intervention, holds=tuple(HoldUse(n, 2 * 60) for n in names)
            ),
        )

    return change


def codes(change: Callable[[IncidentDetails], IncidentDetails], **ctx: Any) -> set[str]:
    details = change(complete_details(PUPIL.id, 3, DAY))
    context = PolicyContext(now_local=NOW, recorded_on=DAY, pupil=PUPIL, **ctx)
    return {f.code for f in evaluate(details, context)} & PLAN_CODES


EHCP = dataclasses.replace(PUPIL, sen_status=SenStatus.EHCP)

CASES: list[tuple[str, Callable[[IncidentDetails], IncidentDetails], dict[str, Any], set[str]]] = [
    ("approved techniques only", holds("Single elbow", "Friendly hold (standing)"), {}, set()),
    ("approved, spelt in another case", holds("single  ELBOW"), {}, set()),
    ("a technique the plan does not approve", holds("Figure of four"), {}, {"not"}),
    ("a technique the medical note rules out", holds("Wrap (standing)"), {}, {"ruled"}),
    ("both kinds at once", holds("Wrap (standing)", "Figure of four"), {}, {"not", "ruled"}),
    ("no technique named yet", holds(""), {}, set()),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(c, e, id=name) for name, c, _, e in CASES],
)
def test_techniques_are_checked_against_the_plan(
    change: Callable[[IncidentDetails], IncidentDetails], expected: set[str]
) -> None:
    names = {"not": "technique_not_in_plan", "ruled": "technique_ruled_out"}
    assert codes(change, plan=PLAN, pupil_has_plan=True) == {names[e] for e in expected}


@pytest.mark.parametrize(
    ("pupil", "plan", "has_plan", "expected"),
    [
        pytest.param(EHCP, None, False, {"no_plan"}, id="EHCP without a plan"),
        pytest.param(EHCP, PLAN, True, set(), id="EHCP with a plan"),
        pytest.param(PUPIL, None, False, set(), id="no SEND, no plan"),
        pytest.param(PUPIL, None, None, set(), id="plans not known"),
    ],
)
def test_the_no_plan_warning_follows_the_plan_in_force(
    pupil: Pupil, plan: BehaviourPlan | None, has_plan: bool | None, expected: set[str]
) -> None:
    details = holds("Single elbow")(complete_details(pupil.id, 3, DAY))
    context = PolicyContext(
        now_local=NOW, recorded_on=DAY, pupil=pupil, pupil_has_plan=has_plan, plan=plan
    )
    assert {f.code for f in evaluate(details, context)} & PLAN_CODES == expected


def test_without_a_plan_no_technique_is_questioned() -> None:
    assert codes(holds("Figure of four"), plan=None, pupil_has_plan=False) == set()


def test_a_plan_warning_needs_an_explanation_on_the_intervention_step() -> None:
    details = holds("Figure of four")(complete_details(PUPIL.id, 3, DAY))
    context = PolicyContext(now_local=NOW, recorded_on=DAY, pupil=PUPIL, plan=PLAN)
    found = [f for f in evaluate(details, context) if f.code == "technique_not_in_plan"]
    assert len(found) == 1
    warning = found[0]
    assert warning.severity is Severity.WARNING and warning.outstanding
    assert warning.step is Step.INTERVENTION and warning.field == "intervention.holds"
    assert "'Figure of four'" in warning.message and "version 2" in warning.message
    explained = details.with_explanation("technique_not_in_plan", "Pupil ran at the road.")
    again = [f for f in evaluate(explained, context) if f.code == "technique_not_in_plan"]
    assert again[0].explained and not again[0].outstanding


def version(n: int, start: date) -> BehaviourPlan:
    return dataclasses.replace(PLAN, version=n, start_date=start)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2025, 12, 31), None, id="before any plan"),
        pytest.param(date(2026, 1, 5), 1, id="the first day of version 1"),
        pytest.param(date(2026, 2, 28), 1, id="before version 2 starts"),
        pytest.param(date(2026, 3, 1), 2, id="version 2 has started"),
        pytest.param(date(2026, 6, 1), 3, id="version 3 has started"),
    ],
)
def test_the_plan_in_force_is_the_newest_version_started_by_that_day(
    on: date, expected: int | None
) -> None:
    versions = [
        version(1, date(2026, 1, 5)),
        version(2, date(2026, 3, 1)),
        version(3, date(2026, 6, 1)),
    ]
    found = in_force(versions, on)
    assert (found.version if found else None) == expected


def test_a_correction_saved_later_with_the_same_start_replaces_the_earlier_version() -> None:
    found = in_force([version(1, date(2026, 1, 5)), version(2, date(2026, 1, 5))], DAY)
    assert found is not None and found.version == 2


def test_the_checklist_lists_the_plans_strategies_first() -> None:
    school = ("Calm voice", "Offered choices", "Gave space", "Humour")
    plan = dataclasses.replace(PLAN, helpful_strategies=("Humour", "Offered choices"))
    assert strategies_first(school, plan) == [
        "Humour",
        "Offered choices",
        "Calm voice",
        "Gave space",
    ]
    assert strategies_first(school, None) == list(school)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param({"start_date": None}, "date the plan starts", id="no start"),
        pytest.param({"review_date": None}, "will be reviewed", id="no review"),
        pytest.param({"review_date": date(2026, 1, 5)}, "after the start date", id="review early"),
        pytest.param({"written_by": "  "}, "who wrote", id="no author"),
        pytest.param(
            {"ruled_out_techniques": ("Single elbow",)}, "both approved and ruled out", id="both"
        ),
    ],
)
def test_a_plan_says_plainly_what_is_missing(change: dict[str, Any], problem: str) -> None:
    bad = dataclasses.replace(PLAN, **change)
    assert any(problem in p for p in plan_problems(bad))
    with pytest.raises(InvalidInput, match=problem):
        check_plan(bad)


def test_a_complete_plan_has_no_problems() -> None:
    assert plan_problems(PLAN) == []
