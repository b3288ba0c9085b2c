"""The desk's rules, table-driven: school days, overdue, the reasons a record needs
attention first (in their fixed order), the items a record asks a lead to consider,
decisions superseding, and the state of an amendment request."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from incident_recorder.domain import desk
from incident_recorder.domain.desk import (
    INJURY_REVIEW,
    AmendmentReply,
    AmendmentRequest,
    DeskCount,
    ReferralDecision,
    ReferralDecisionKind,
    RequestState,
    attention_reasons,
    latest_decisions,
    open_items,
    overdue,
    referral_items,
    request_state,
)
from incident_recorder.domain.model import (
    FloorPosition,
    HoldUse,
    IncidentDetails,
    Injuries,
    Intervention,
    Referral,
)
from incident_recorder.domain.parents_copy import Duty, DutyFinding, DutyState
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.school_days import add_school_days, school_days_between

MON, TUE, WED, THU, FRI = (date(2026, 3, d) for d in (2, 3, 4, 5, 6))
SAT, SUN, NEXT_MON = date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (MON, MON, 0),
        (MON, TUE, 1),
        (MON, WED, 2),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (FRI, NEXT_MON, 1),
        (SAT, NEXT_MON, 1),
        (MON, NEXT_MON, 5),
        (MON, date(2026, 3, 30), 20),
        (WED, MON, 0),  # backwards: none
    ],
)
def test_school_days_between(start: date, end: date, days: int) -> None:
    assert school_days_between(start, end) == days


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [(MON, 0, MON), (MON, 2, WED), (THU, 2, NEXT_MON), (FRI, 1, NEXT_MON), (SAT, 1, NEXT_MON)],
)
def test_add_school_days(day: date, n: int, expected: date) -> None:
    assert add_school_days(day, n) == expected


@pytest.mark.parametrize(
    ("submitted", "today", "limit", "is_overdue"),
    [
        (MON, WED, 2, False),  # two school days: still in time
        (MON, THU, 2, True),  # after two school days
        (THU, NEXT_MON, 2, False),  # the weekend does not count
        (THU, date(2026, 3, 10), 2, True),
        (MON, TUE, 0, True),
        (MON, MON, 0, False),
        (MON, NEXT_MON, 5, False),
    ],
)
def test_overdue(submitted: date, today: date, limit: int, is_overdue: bool) -> None:
    assert overdue(submitted, today, limit) is is_overdue


def _told(state: DutyState) -> DutyFinding:
    return DutyFinding(Duty.TOLD, state, "")


def _copy(state: DutyState) -> DutyFinding:
    return DutyFinding(Duty.COPY, state, "")


PLAN = BehaviourPlan(pupil_id=1, version=2, ruled_out_techniques=("Seated double elbow",))
PRONE_SUPINE = Intervention(
    floor_position=True, floor_positions=frozenset({FloorPosition.PRONE, FloorPosition.SUPINE})
)
REASON_CASES = [
    ("nothing", IncidentDetails(), (), None, ()),
    ("prone", IncidentDetails(intervention=PRONE_SUPINE), (), None, (desk.PRONE, desk.SUPINE)),
    (
        "ground only",
        IncidentDetails(
            intervention=Intervention(
                floor_position=True, floor_positions=frozenset({FloorPosition.GROUND})
            )
        ),
        (),
        None,
        (desk.GROUND,),
    ),
    (
        "floor, position not said",
        IncidentDetails(intervention=Intervention(floor_position=True)),
        (),
        None,
        (desk.FLOOR,),
    ),
    (
        "positions left from before the floor answer was no",
        IncidentDetails(
            intervention=Intervention(
                floor_position=False, floor_positions=frozenset({FloorPosition.PRONE})
            )
        ),
        (),
        None,
        (),
    ),
    (
        "airway",
        IncidentDetails(intervention=Intervention(abc_never_restricted=False)),
        (),
        None,
        (desk.AIRWAY,),
    ),
    (
        "airway never restricted",
        IncidentDetails(intervention=Intervention(abc_never_restricted=True)),
        (),
        None,
        (),
    ),
    (
        "injuries",
        IncidentDetails(injuries=Injuries(pupil_injured=True, staff_injured=True)),
        (),
        None,
        (desk.PUPIL_INJURY, desk.STAFF_INJURY),
    ),
    (
        "hold over",
        IncidentDetails(
            intervention=Intervention(holds=(HoldUse("Single elbow", 14 * 60), HoldUse("x", 30)))
        ),
        (),
        None,
        ("Hold of 14 minutes, over the school's 10",),
    ),
    (
        "hold exactly at the limit",
        IncidentDetails(intervention=Intervention(holds=(HoldUse("Single elbow", 600),))),
        (),
        None,
        (),
    ),
    (
        "hold with seconds",
        IncidentDetails(intervention=Intervention(holds=(HoldUse("Single elbow", 630),))),
        (),
        None,
        ("Hold of 10 minutes 30 seconds, over the school's 10",),
    ),
    (
        "told late",
        IncidentDetails(),
        (_told(DutyState.DONE_LATE),),
        None,
        (desk.NOT_TOLD_SAME_DAY,),
    ),
    ("not told", IncidentDetails(), (_told(DutyState.OVERDUE),), None, (desk.NOT_TOLD_SAME_DAY,)),
    ("not told yet, same day", IncidentDetails(), (_told(DutyState.DUE),), None, ()),
    ("told", IncidentDetails(), (_told(DutyState.DONE),), None, ()),
    ("withheld", IncidentDetails(), (_told(DutyState.WITHHELD),), None, ()),
    ("not supplied", IncidentDetails(), (_copy(DutyState.DUE),), None, (desk.NOT_SUPPLIED,)),
    ("supplied", IncidentDetails(), (_copy(DutyState.DONE),), None, ()),
    ("aged 20", IncidentDetails(), (_copy(DutyState.NOT_REQUIRED),), None, ()),
    (
        "ruled out",
        IncidentDetails(intervention=Intervention(holds=(HoldUse("seated  double ELBOW"),))),
        (),
        PLAN,
        (desk.RULED_OUT,),
    ),
    (
        "ruled out, no plan",
        IncidentDetails(intervention=Intervention(holds=(HoldUse("Seated double elbow"),))),
        (),
        None,
        (),
    ),
    (
        "everything, in order of seriousness",
        IncidentDetails(
            intervention=Intervention(
                holds=(HoldUse("Seated double elbow", 900),),
                floor_position=True,
                floor_positions=frozenset(FloorPosition),
                abc_never_restricted=False,
            ),
            injuries=Injuries(pupil_injured=True, others_injured=True),
        ),
        (_told(DutyState.OVERDUE), _copy(DutyState.OVERDUE)),
        PLAN,
        (
            desk.PRONE,
            desk.AIRWAY,
            desk.SUPINE,
            desk.GROUND,
            desk.PUPIL_INJURY,
            desk.OTHER_INJURY,
            "Hold of 15 minutes, over the school's 10",
            desk.NOT_TOLD_SAME_DAY,
            desk.NOT_SUPPLIED,
            desk.RULED_OUT,
        ),
    ),
]


@pytest.mark.parametrize(
    ("details", "duties", "plan", "reasons"),
    [case[1:] for case in REASON_CASES],
    ids=[case[0] for case in REASON_CASES],
)
def test_attention_reasons(
    details: IncidentDetails,
    duties: tuple[DutyFinding, ...],
    plan: BehaviourPlan | None,
    reasons: tuple[str, ...],
) -> None:
    assert attention_reasons(details, duties, 10, plan) == reasons


def test_the_briefs_wording() -> None:
    assert desk.PRONE == "Prone (face down) position"
    assert desk.AIRWAY == "Airway or breathing may have been restricted"
    assert desk.PUPIL_INJURY == "Injury to the pupil"
    assert desk.NOT_TOLD_SAME_DAY == "Parents not told the same day"
    assert desk.NOT_SUPPLIED == "Record not supplied to parents"
    assert desk.RULED_OUT == "A technique the plan rules out was used"


@pytest.mark.parametrize(
    ("injury", "referrals", "items"),
    [
        (False, (), ()),
        (True, (), (INJURY_REVIEW,)),
        (False, (Referral.SAFEGUARDING_LEAD,), ("safeguarding_lead",)),  # the concern
        (True, (Referral.LADO, Referral.POLICE), (INJURY_REVIEW, "police", "lado")),
        (False, ("health", "social_care"), ("social_care", "health")),
        (False, tuple(Referral), tuple(r.value for r in Referral)),
    ],
)
def test_referral_items(
    injury: bool, referrals: tuple[Referral | str, ...], items: tuple[str, ...]
) -> None:
    assert referral_items(injury, referrals) == items


def _decision(item: str, kind: ReferralDecisionKind, n: int) -> ReferralDecision:
    return ReferralDecision(
        1, item, kind, datetime(2026, 3, 2, 9, n), f"note {n}", id=n,
        decided_by_name="Halima Ionescu", recorded_at=datetime(2026, 3, 2, 9, n, tzinfo=UTC),
    )  # fmt: skip


MADE, NOT_NEEDED = ReferralDecisionKind.MADE, ReferralDecisionKind.NOT_NEEDED


@pytest.mark.parametrize(
    ("items", "decisions", "still_open", "standing"),
    [
        ((INJURY_REVIEW,), (), (INJURY_REVIEW,), {}),
        (
            (INJURY_REVIEW, "police"),
            ((INJURY_REVIEW, NOT_NEEDED),),
            ("police",),
            {INJURY_REVIEW: 1},
        ),
        (
            ("police",),
            (("police", NOT_NEEDED), ("police", MADE)),  # the newer supersedes
            (),
            {"police": 2},
        ),
        ((), (("health", MADE),), (), {"health": 1}),  # decided without being ticked
    ],
)
def test_open_items_and_superseding(
    items: tuple[str, ...],
    decisions: tuple[tuple[str, ReferralDecisionKind], ...],
    still_open: tuple[str, ...],
    standing: dict[str, int],
) -> None:
    made = [_decision(item, kind, n) for n, (item, kind) in enumerate(decisions, start=1)]
    assert open_items(items, made) == still_open
    assert {k: v.id for k, v in latest_decisions(made).items()} == standing


@pytest.mark.parametrize(
    ("item", "kind", "line"),
    [
        (INJURY_REVIEW, NOT_NEEDED, "Injury reviewed: no referral needed, decided by Halima"),
        (INJURY_REVIEW, MADE, "Injury reviewed: referral made, decided by Halima"),
        ("police", MADE, "Police: referral made, decided by Halima Ionescu on 02/03/2026 at 09:01"),
        ("lado", NOT_NEEDED, "LADO (allegation about an adult): no referral needed"),
    ],
)
def test_decision_lines(item: str, kind: ReferralDecisionKind, line: str) -> None:
    assert _decision(item, kind, 1).line().startswith(line)


AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("closed", "latest", "replied", "state"),
    [
        (False, 1, False, RequestState.WAITING),
        (False, 1, True, RequestState.REPLIED),
        (False, 2, False, RequestState.AMENDED),
        (False, 2, True, RequestState.AMENDED),
        (True, 1, True, RequestState.CLOSED),
        (True, 2, False, RequestState.CLOSED),
    ],
)
def test_request_state(closed: bool, latest: int, replied: bool, state: RequestState) -> None:
    request = AmendmentRequest(1, 1, "Please add the time.", id=7, closed_at=AT if closed else None)
    replies = [AmendmentReply(7, "Will do.", id=1)] if replied else []
    assert request_state(request, replies, latest) is state
    assert state.open is (state in (RequestState.WAITING, RequestState.REPLIED))


def test_the_count_adds_the_extra_sections() -> None:
    assert DeskCount(2, 1, 1, (("Statements outstanding", 3),)).total == 7
    assert DeskCount().total == 0


def test_the_printed_record_lists_each_referral_decision_and_what_is_not_decided() -> None:
    from incident_recorder.domain.desk import (
        ReferralDecision,
        ReferralDecisionKind,
        referrals_section,
    )
    from incident_recorder.domain.model import Referral

    first = ReferralDecision(
        1, Referral.SOCIAL_CARE.value, ReferralDecisionKind.NOT_NEEDED,
        datetime(2026, 11, 19, 16, 5), "Nothing new known.", id=1, decided_by_name="Ana Lead",
        recorded_at=datetime(2026, 11, 19, 16, 6, tzinfo=UTC),
    )  # fmt: skip
    second = ReferralDecision(
        1, Referral.SOCIAL_CARE.value, ReferralDecisionKind.MADE,
        datetime(2026, 11, 20, 9, 0), "Referred after the call.", id=2,
        decided_by_name="Ana Lead", recorded_at=datetime(2026, 11, 20, 9, 1, tzinfo=UTC),
    )  # fmt: skip
    items = (INJURY_REVIEW, Referral.SOCIAL_CARE.value)
    section = referrals_section(items, [second, first])
    assert section is not None
    rows = section.rows
    assert rows[0] == (
        "19/11/2026 16:05",
        "Children's social care: no referral needed, decided by Ana Lead on 19/11/2026 at "
        "16:05. Nothing new known. (Replaced by a later decision.)",
    )
    assert rows[1][1].startswith("Children's social care: referral made, decided by Ana Lead")
    assert "Replaced" not in rows[1][1]
    assert rows[2] == ("Not decided yet", "Injury review: no decision recorded yet.")
    assert referrals_section((), []) is None
