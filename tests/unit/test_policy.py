"""The policy rules, table by table: each row changes one thing in a complete, valid
record and says exactly which findings must appear."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from incident_recorder.domain.model import (
    ContactMethod,
    FloorPosition,
    HoldUse,
    IncidentDetails,
    InterventionKind,
    ParentsStatus,
    Pupil,
    SenStatus,
    StaffInvolvement,
    StaffPart,
)
from incident_recorder.domain.policy import (
    Finding,
    PolicyContext,
    Severity,
    can_submit,
    evaluate,
    for_step,
    outstanding,
)
from incident_recorder.domain.steps import Step
from tests.fakes import complete_details

DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 15, 0)  # the afternoon of the incident
NEXT_DAY = DAY + timedelta(days=1)
PUPIL = Pupil(id=7, upn="B801200005001", first_name="Amara", last_name="Okafor")


def complete_record() -> IncidentDetails:
    return complete_details(pupil_id=PUPIL.id, staff_id=3, day=DAY)


def context(**changes: Any) -> PolicyContext:
    base = PolicyContext(now_local=NOW, recorded_on=DAY, pupil=PUPIL, pupil_has_plan=None)
    return dataclasses.replace(base, **changes)


def edit(section: str, **changes: Any) -> Callable[[IncidentDetails], IncidentDetails]:
    """A change to one section of the record."""

    def apply(d: IncidentDetails) -> IncidentDetails:
        part = dataclasses.replace(getattr(d, section), **changes)
        return dataclasses.replace(d, **{section: part})

    return apply


def both(*edits: Callable[[IncidentDetails], IncidentDetails]) -> Callable[..., IncidentDetails]:
    def apply(d: IncidentDetails) -> IncidentDetails:
        for e in edits:
            d = e(d)
        return d

    return apply


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_complete_record_can_be_submitted() -> None:
    findings = evaluate(complete_record(), context())
    assert findings == []
    assert can_submit(findings)


def test_an_empty_record_shows_what_is_missing_on_every_step() -> None:
    findings = evaluate(IncidentDetails(), context(pupil=None))
    assert not can_submit(findings)
    form_steps = [s for s in Step if s is not Step.REVIEW]
    assert {f.step for f in findings} == set(form_steps)
    for step in form_steps:
        assert any(f.severity is Severity.BLOCKING for f in for_step(findings, step)), step


def test_findings_come_in_form_order_blocking_first_within_a_step() -> None:
    record = both(
        edit("what_happened", account=""),
        edit("injuries", pupil_injured=True, pupil_injury="", first_aid=""),
        edit("when_where", location=""),
    )(complete_record())
    findings = evaluate(record, context())
    steps = [f.step.number for f in findings]
    assert steps == sorted(steps)
    injuries = for_step(findings, Step.INJURIES)
    assert injuries[-1].severity is Severity.WARNING
    assert all(f.severity is Severity.BLOCKING for f in injuries[:-1])


# --------------------------------------------------------------------------- blocking

TOLD_LATER_TODAY = datetime(2026, 3, 10, 16, 0)

BLOCKING_ROWS: list[tuple[str, Callable[[IncidentDetails], IncidentDetails], set[str]]] = [
    # When and where
    ("no date", edit("when_where", date=None), {"required:when_where.date"}),
    ("no start time", edit("when_where", start=None), {"required:when_where.start"}),
    ("no end time", edit("when_where", end=None), {"required:when_where.end"}),
    ("no location", edit("when_where", location=""), {"required:when_where.location"}),
    ("location only spaces", edit("when_where", location="   "), {"required:when_where.location"}),
    ("end equals start", edit("when_where", end=time(10, 5)), {"end_before_start"}),
    ("end before start", edit("when_where", end=time(9, 55)), {"end_before_start"}),
    ("date tomorrow", edit("when_where", date=DAY + timedelta(days=1)), {"future"}),
    (
        "start later today",
        edit("when_where", start=time(15, 30), end=time(15, 40)),
        {"future"},
    ),
    ("end later today", edit("when_where", start=time(14, 50), end=time(15, 10)), {"future"}),
    # Who
    ("no pupil", edit("who", pupil_id=None), {"required:who.pupil"}),
    ("no staff", edit("who", staff=()), {"required:who.staff"}),
    (
        "nobody carried out the hold",
        edit("who", staff=(StaffInvolvement(3, StaffPart.WITNESSED),)),
        {"no_staff_carried_out"},
    ),
    # What happened
    (
        "no antecedents",
        edit("what_happened", antecedents=""),
        {"required:what_happened.antecedents"},
    ),
    (
        "no pupil behaviour",
        edit("what_happened", pupil_behaviour=" "),
        {"required:what_happened.pupil_behaviour"},
    ),
    ("no account", edit("what_happened", account=""), {"required:what_happened.account"}),
    # De-escalation: nothing ticked, nothing written and no reason
    (
        "no de-escalation and no reason",
        edit("deescalation", strategies=(), other=""),
        {"required:deescalation.strategies", "no_deescalation"},
    ),
    # Necessity
    ("no lawful ground", edit("necessity", grounds=frozenset()), {"required:necessity.grounds"}),
    ("no justification", edit("necessity", justification=""), {"required:necessity.justification"}),
    (
        "not-punishment not confirmed",
        edit("necessity", not_punishment_confirmed=False),
        {"required:necessity.not_punishment"},
    ),
    # Intervention
    ("no kind", edit("intervention", kind=None), {"required:intervention.kind"}),
    (
        "force without holds",
        edit("intervention", holds=()),
        {"required:intervention.holds"},
    ),
    (
        "hold with no technique",
        edit("intervention", holds=(HoldUse("Single elbow", 2 * 60), HoldUse(" ", 1 * 60))),
        {"hold_technique:2"},
    ),
    (
        "hold with no duration",
        edit("intervention", holds=(HoldUse("Single elbow", None),)),
        {"hold_time:1"},
    ),
    (
        "hold with negative duration",
        edit("intervention", holds=(HoldUse("Single elbow", -1),)),
        {"hold_time:1"},
    ),
    (
        "hold lasting no time at all",
        edit("intervention", holds=(HoldUse("Single elbow", 0),)),
        {"hold_time:1"},
    ),
    (
        "floor position lasting no time at all",
        edit(
            "intervention",
            floor_position=True,
            floor_positions=frozenset({FloorPosition.PRONE}),
            floor_how="Slipped while held.",
            floor_seconds=0,
            floor_release="Released at once.",
        ),
        {"required:intervention.floor_seconds", "floor_position"},
    ),
    (
        "no staff count",
        edit("intervention", staff_count=None),
        {"required:intervention.staff_count"},
    ),
    ("zero staff", edit("intervention", staff_count=0), {"required:intervention.staff_count"}),
    (
        "floor position not answered",
        edit("intervention", floor_position=None),
        {"required:intervention.floor_position"},
    ),
    (
        "floor position with no details",
        edit("intervention", floor_position=True),
        {
            "required:intervention.floor_positions",
            "required:intervention.floor_how",
            "required:intervention.floor_seconds",
            "required:intervention.floor_release",
            "floor_position",
        },
    ),
    (
        "airway, breathing, circulation not answered",
        edit("intervention", abc_never_restricted=None),
        {"required:intervention.abc"},
    ),
    (
        "airway restricted with no details",
        edit("intervention", abc_never_restricted=False),
        {"required:intervention.abc_details", "abc_restricted"},
    ),
    # Injuries
    (
        "pupil injury not answered",
        edit("injuries", pupil_injured=None),
        {"required:injuries.pupil_injured"},
    ),
    (
        "staff injury not answered",
        edit("injuries", staff_injured=None),
        {"required:injuries.staff_injured"},
    ),
    (
        "others' injury not answered",
        edit("injuries", others_injured=None),
        {"required:injuries.others_injured"},
    ),
    (
        "pupil injured, nothing described",
        edit("injuries", pupil_injured=True),
        {"required:injuries.pupil_injury", "required:injuries.first_aid", "injury"},
    ),
    (
        "staff injured, first aid given by nobody",
        edit("injuries", staff_injured=True, staff_injury="Bitten hand", first_aid="Cleaned"),
        {"required:injuries.first_aid_by", "injury"},
    ),
    (
        "others injured, nothing described",
        edit("injuries", others_injured=True, first_aid="Ice pack", first_aid_by="Office"),
        {"required:injuries.others_injury", "injury"},
    ),
    # Debriefs
    (
        "debrief not answered",
        edit("debriefs", pupil_debriefed=None),
        {"required:debriefs.pupil_debriefed"},
    ),
    (
        "debriefed, nothing recorded",
        edit("debriefs", pupil_debrief_at=None, pupil_debrief_by="", pupil_voice=""),
        {
            "required:debriefs.pupil_debrief_at",
            "required:debriefs.pupil_debrief_by",
            "required:debriefs.pupil_voice",
        },
    ),
    (
        "not debriefed, no reason",
        edit("debriefs", pupil_debriefed=False),
        {"required:debriefs.pupil_not_debriefed_reason"},
    ),
    (
        "debriefed later today",
        edit("debriefs", pupil_debrief_at=TOLD_LATER_TODAY),
        {"debrief_in_future"},
    ),
    # Parents or carers
    ("parents not answered", edit("parents", status=None), {"required:parents.status"}),
    (
        "told, nothing recorded",
        edit("parents", told_who="", told_how=None, told_at=None, told_by=""),
        {
            "required:parents.told_who",
            "required:parents.told_how",
            "required:parents.told_at",
            "required:parents.told_by",
        },
    ),
    ("told later today", edit("parents", told_at=TOLD_LATER_TODAY), {"told_in_future"}),
    (
        "not yet told, no reason",
        edit("parents", status=ParentsStatus.NOT_YET),
        {"required:parents.not_yet_reason"},
    ),
    (
        "withheld with nothing recorded",
        edit("parents", status=ParentsStatus.WITHHELD),
        {
            "required:parents.withheld_reason",
            "required:parents.withheld_decided_by",
            "required:parents.la_told_at",
            "required:parents.la_told_who",
        },
    ),
    (
        "withheld, local authority told later today",
        edit(
            "parents",
            status=ParentsStatus.WITHHELD,
            withheld_reason="A disclosure about home",
            withheld_decided_by="Ms R Okafor, safeguarding lead",
            la_told_at=TOLD_LATER_TODAY,
            la_told_who="Children's services duty desk",
        ),
        {"la_told_in_future"},
    ),
    # Follow-up
    ("no pupil support", edit("follow_up", pupil_support=""), {"required:follow_up.pupil_support"}),
    (
        "plan review not answered",
        edit("follow_up", plan_review_needed=None),
        {"required:follow_up.plan_review"},
    ),
    (
        "risk review not answered",
        edit("follow_up", risk_assessment_review_needed=None),
        {"required:follow_up.risk_review"},
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=desc) for desc, change, expected in BLOCKING_ROWS],
)
def test_blocking_rule(
    change: Callable[[IncidentDetails], IncidentDetails], expected: set[str]
) -> None:
    findings = evaluate(change(complete_record()), context())
    assert codes(findings) == expected
    assert not can_submit(findings)
    for f in findings:
        assert f.field.startswith(f"{f.step.value}.")
        assert f.message.strip().endswith(".")
        if f.code.startswith("required:") or f.code in {"future", "end_before_start"}:
            assert f.severity is Severity.BLOCKING


def test_follow_up_actions_need_a_description_an_owner_and_a_due_date() -> None:
    from incident_recorder.domain.model import FollowUpAction

    record = edit(
        "follow_up",
        actions=(
            FollowUpAction("Review the plan", "SENCO", DAY + timedelta(days=7)),
            FollowUpAction(""),
        ),
    )(complete_record())
    assert codes(evaluate(record, context())) == {
        "action_description:2",
        "action_owner:2",
        "action_due:2",
    }


def test_the_future_blocks_on_the_field_that_is_wrong() -> None:
    late_start = edit("when_where", start=time(15, 30), end=time(15, 40))(complete_record())
    (finding,) = evaluate(late_start, context())
    assert finding.field == "when_where.start"
    late_end = edit("when_where", start=time(14, 50), end=time(15, 10))(complete_record())
    (finding,) = evaluate(late_end, context())
    assert finding.field == "when_where.end"


def test_a_past_day_with_an_afternoon_time_is_not_the_future() -> None:
    record = both(
        edit("when_where", date=DAY - timedelta(days=1), start=time(16, 0), end=time(16, 5)),
        edit("debriefs", pupil_debrief_at=datetime(2026, 3, 9, 16, 30)),
        edit("parents", told_at=datetime(2026, 3, 9, 17, 0)),
    )(complete_record())
    assert codes(evaluate(record, context())) == {"late_recording"}


def test_seclusion_needs_no_holds() -> None:
    record = edit("intervention", kind=InterventionKind.SECLUSION, holds=())(complete_record())
    assert evaluate(record, context()) == []


@pytest.mark.parametrize("answer", ["none needed", "None.", "Not required", "n/a"])
def test_no_first_aid_needs_nobody_named_as_giving_it(answer: str) -> None:
    record = edit(
        "injuries", staff_injured=True, staff_injury="A scratch on the wrist", first_aid=answer
    )(complete_record())
    assert codes(evaluate(record, context())) == {"injury"}


# --------------------------------------------------------------------------- warnings

FLOOR_RECORDED = edit(
    "intervention",
    floor_position=True,
    floor_positions=frozenset({FloorPosition.GROUND}),
    floor_how="The pupil dropped to the floor during a standing hold.",
    floor_seconds=1 * 60,
    floor_release="Released at once and the pupil sat up.",
)
PUPIL_INJURED = edit(
    "injuries",
    pupil_injured=True,
    pupil_injury="Red mark on the forearm",
    first_aid="Cold compress",
    first_aid_by="First aider",
)

WARNING_ROWS: list[
    tuple[str, Callable[[IncidentDetails], IncidentDetails], dict[str, Any], set[str]]
] = [
    (
        "recorded the day after",
        lambda d: d,
        {"now_local": datetime(2026, 3, 11, 9, 0), "recorded_on": NEXT_DAY},
        {"late_recording"},
    ),
    (
        "recorded on the day",
        lambda d: d,
        {"now_local": datetime(2026, 3, 10, 23, 59)},
        set(),
    ),
    (
        "parents not yet told, recorded the day after",
        edit("parents", status=ParentsStatus.NOT_YET, not_yet_reason="No answer on the phone"),
        {"now_local": datetime(2026, 3, 11, 9, 0), "recorded_on": NEXT_DAY},
        {"late_recording", "parents_not_same_day"},
    ),
    (
        "parents not yet told, still the same day",
        edit("parents", status=ParentsStatus.NOT_YET, not_yet_reason="Mother is at work"),
        {},
        set(),
    ),
    (
        "parents told the next morning (amended then)",
        edit("parents", told_at=datetime(2026, 3, 11, 8, 30)),
        {"now_local": datetime(2026, 3, 11, 9, 0)},
        {"parents_not_same_day"},
    ),
    (
        "parents told late on the day itself",
        edit("parents", told_at=datetime(2026, 3, 10, 14, 59)),
        {},
        set(),
    ),
    (
        "telling parents withheld, the day after",
        edit(
            "parents",
            status=ParentsStatus.WITHHELD,
            withheld_reason="A disclosure about home",
            withheld_decided_by="Ms R Okafor, safeguarding lead",
            la_told_at=datetime(2026, 3, 10, 14, 0),
            la_told_who="Children's services duty desk",
        ),
        {"now_local": datetime(2026, 3, 11, 9, 0)},
        set(),
    ),
    (
        "no de-escalation, no time",
        edit("deescalation", strategies=(), other="", no_time_reason="It happened in seconds."),
        {},
        {"no_deescalation"},
    ),
    (
        "only 'other' de-escalation written",
        edit("deescalation", strategies=(), other="Sang the calming song we use."),
        {},
        set(),
    ),
    ("ground position", FLOOR_RECORDED, {}, {"floor_position"}),
    (
        "airway restricted, described",
        edit(
            "intervention",
            abc_never_restricted=False,
            abc_details="The pupil's arm pressed on their chest for a few seconds.",
        ),
        {},
        {"abc_restricted"},
    ),
    ("pupil injured", PUPIL_INJURED, {}, {"injury"}),
    (
        "staff injured",
        edit(
            "injuries",
            staff_injured=True,
            staff_injury="Bitten hand",
            first_aid="Cleaned and dressed",
            first_aid_by="School nurse",
        ),
        {},
        {"injury"},
    ),
    (
        "hold of exactly 10 minutes",
        edit("intervention", holds=(HoldUse("Seated wrap", 10 * 60),)),
        {},
        set(),
    ),
    (
        "hold of 11 minutes",
        edit(
            "intervention", holds=(HoldUse("Single elbow", 2 * 60), HoldUse("Seated wrap", 11 * 60))
        ),
        {},
        {"long_hold"},
    ),
    (
        "hold of 11 minutes, school allows 15",
        edit("intervention", holds=(HoldUse("Seated wrap", 11 * 60),)),
        {"hold_warning_minutes": 15},
        set(),
    ),
    (
        "hold of 16 minutes, school allows 15",
        edit("intervention", holds=(HoldUse("Seated wrap", 16 * 60),)),
        {"hold_warning_minutes": 15},
        {"long_hold"},
    ),
    (
        "SEN support, no plan",
        lambda d: d,
        {
            "pupil": dataclasses.replace(PUPIL, sen_status=SenStatus.SEN_SUPPORT),
            "pupil_has_plan": False,
        },
        {"no_plan"},
    ),
    (
        "EHCP, no plan",
        lambda d: d,
        {"pupil": dataclasses.replace(PUPIL, sen_status=SenStatus.EHCP), "pupil_has_plan": False},
        {"no_plan"},
    ),
    (
        "looked after, no plan",
        lambda d: d,
        {"pupil": dataclasses.replace(PUPIL, looked_after=True), "pupil_has_plan": False},
        {"no_plan"},
    ),
    (
        "EHCP, plans not kept yet",
        lambda d: d,
        {"pupil": dataclasses.replace(PUPIL, sen_status=SenStatus.EHCP), "pupil_has_plan": None},
        set(),
    ),
    (
        "EHCP with a plan",
        lambda d: d,
        {"pupil": dataclasses.replace(PUPIL, sen_status=SenStatus.EHCP), "pupil_has_plan": True},
        set(),
    ),
    (
        "no SEND, not looked after, no plan",
        lambda d: d,
        {"pupil_has_plan": False},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("change", "ctx", "expected"),
    [pytest.param(c, ctx, e, id=desc) for desc, c, ctx, e in WARNING_ROWS],
)
def test_warning(
    change: Callable[[IncidentDetails], IncidentDetails], ctx: dict[str, Any], expected: set[str]
) -> None:
    findings = evaluate(change(complete_record()), context(**ctx))
    assert codes(findings) == expected
    for f in findings:
        assert f.severity is Severity.WARNING
        assert f.field.startswith(f"{f.step.value}.")
    # No de-escalation is explained by the "no time" reason; the rest still need words.
    still_needed = expected - {"no_deescalation"}
    assert can_submit(findings) == (not still_needed)
    assert {f.code for f in outstanding(findings)} == still_needed


def test_the_hold_warning_names_the_schools_limit() -> None:
    record = edit("intervention", holds=(HoldUse("Seated wrap", 16 * 60),))(complete_record())
    (finding,) = evaluate(record, context(hold_warning_minutes=15))
    assert "15 minutes" in finding.message


@pytest.mark.parametrize(
    ("change", "ctx", "code"),
    [
        pytest.param(
            lambda d: d,
            {"now_local": datetime(2026, 3, 11, 9, 0), "recorded_on": NEXT_DAY},
            "late_recording",
            id="late_recording",
        ),
        pytest.param(
            edit("parents", told_at=datetime(2026, 3, 11, 8, 30)),
            {"now_local": datetime(2026, 3, 11, 9, 0)},
            "parents_not_same_day",
            id="parents_not_same_day",
        ),
        pytest.param(FLOOR_RECORDED, {}, "floor_position", id="floor_position"),
        pytest.param(PUPIL_INJURED, {}, "injury", id="injury"),
        pytest.param(
            edit("intervention", holds=(HoldUse("Seated wrap", 12 * 60),)),
            {},
            "long_hold",
            id="long",
        ),
        pytest.param(
            edit("intervention", abc_never_restricted=False, abc_details="Pressed on chest"),
            {},
            "abc_restricted",
            id="abc_restricted",
        ),
        pytest.param(
            lambda d: d,
            {"pupil": dataclasses.replace(PUPIL, looked_after=True), "pupil_has_plan": False},
            "no_plan",
            id="no_plan",
        ),
    ],
)
def test_a_written_explanation_clears_a_warning(
    change: Callable[[IncidentDetails], IncidentDetails], ctx: dict[str, Any], code: str
) -> None:
    record = change(complete_record())
    (before,) = evaluate(record, context(**ctx))
    assert before.code == code and not before.explained and not can_submit([before])

    blank = record.with_explanation(code, "   ")
    assert not can_submit(evaluate(blank, context(**ctx)))

    explained = record.with_explanation(code, "Told the safeguarding lead at 15:10.")
    (after,) = evaluate(explained, context(**ctx))
    assert after.explained and after.severity is Severity.WARNING
    assert can_submit([after])


def test_no_deescalation_is_explained_in_its_own_field() -> None:
    record = edit("deescalation", strategies=(), other="", no_time_reason="Ran into the road.")(
        complete_record()
    )
    (finding,) = evaluate(record, context())
    assert finding.code == "no_deescalation"
    assert finding.explained
    assert finding.explanation_field == "deescalation.no_time_reason"


def test_an_explanation_does_not_excuse_a_blocking_finding() -> None:
    record = edit("when_where", location="")(complete_record())
    record = record.with_explanation("required:when_where.location", "Forgot")
    assert not can_submit(evaluate(record, context()))


def test_each_warning_sits_beside_its_step() -> None:
    record = both(FLOOR_RECORDED, PUPIL_INJURED)(complete_record())
    findings = evaluate(record, context())
    assert {(f.code, f.step) for f in findings} == {
        ("floor_position", Step.INTERVENTION),
        ("injury", Step.INJURIES),
    }
    assert for_step(findings, Step.INJURIES)[0].code == "injury"
    assert for_step(findings, Step.WHO) == []


def test_told_parents_by_email_the_same_evening_is_on_time() -> None:
    record = edit("parents", told_how=ContactMethod.EMAIL, told_at=datetime(2026, 3, 10, 21, 0))(
        complete_record()
    )
    assert evaluate(record, context(now_local=datetime(2026, 3, 10, 21, 30))) == []


def test_a_floor_position_of_twenty_seconds_is_complete() -> None:
    record = edit(
        "intervention",
        floor_position=True,
        floor_positions=frozenset({FloorPosition.PRONE}),
        floor_how="Slipped while held.",
        floor_seconds=20,
        floor_release="Released at once.",
    )(complete_record())
    findings = evaluate(record, context())
    assert "required:intervention.floor_seconds" not in codes(findings)
    zero = [
        f for f in evaluate(edit("intervention", holds=(HoldUse("Wrap", 0),))(record), context())
    ]
    assert any("no time at all" in f.message for f in zero)


def test_a_long_hold_is_counted_in_seconds() -> None:
    just_ten = edit("intervention", holds=(HoldUse("Seated wrap", 10 * 60),))(complete_record())
    over = edit("intervention", holds=(HoldUse("Seated wrap", 10 * 60 + 5),))(complete_record())
    assert "long_hold" not in codes(evaluate(just_ten, context()))
    assert "long_hold" in codes(evaluate(over, context()))
