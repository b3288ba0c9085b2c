"""The pupil review's figures and the "plan reviews due" list, against eight incidents
and two plan versions counted by hand (see the table in ``eight_incidents``)."""

from __future__ import annotations

from datetime import date, time

import pytest

from incident_recorder.domain.model import (
    Deescalation,
    FloorPosition,
    HoldUse,
    IncidentDetails,
    Injuries,
    Intervention,
    Pupil,
    SenStatus,
    WhenWhere,
)
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import (
    DueReason,
    PupilPlanState,
    PupilReview,
    ReviewIncident,
    pupil_review,
    reviews_due,
    time_band,
)

CALM, CHOICES, TIME_OUT = "Calm voice", "Offered choices", "Time out"
FRIENDLY, ELBOW, WRAP = "Friendly hold (standing)", "Single elbow", "Wrap"


def incident(
    n: int,
    day: date,
    start: time | None,
    place: str,
    holds: tuple[HoldUse, ...] = (),
    strategies: tuple[str, ...] = (),
    injuries: Injuries | None = None,
    floor: frozenset[FloorPosition] = frozenset(),
    floor_seconds: int | None = None,
) -> ReviewIncident:
    details = IncidentDetails(
        when_where=WhenWhere(date=day, start=start, location=place),
        deescalation=Deescalation(strategies=strategies),
        intervention=Intervention(
            holds=holds,
            floor_position=bool(floor),
            floor_positions=floor,
            floor_seconds=floor_seconds,
        ),
        injuries=injuries or Injuries(),
    )
    return ReviewIncident(n, f"2026-{n:04d}", details)


def eight_incidents() -> list[ReviewIncident]:
    """Hand-counted (F friendly hold, E single elbow, W wrap; minutes in brackets):

    #  day            start  place       holds        strategies         other
    1  Mon 05/01/26   08:45  Classroom   F(3)         choices, calm      pupil hurt
    2  Wed 07/01/26   10:30  Playground  E(2), F(-)   calm               staff hurt; prone 1 min
    3  Fri 16/01/26   12:00  Classroom   -            choices, time out
    4  Tue 20/01/26   13:15  Hall        F(5)         -                  pupil, other hurt
    5  Sat 07/02/26   15:30  Playground  E(4)         time out
    6  Mon 09/02/26   09:00  Classroom   -            calm
    7  Thu 05/03/26   12:59  (blank)     W(2)         choices            ground, supine 3 min
    8  Thu 05/03/26   (none) Classroom   -            -
    """
    return [
        incident(
            1,
            date(2026, 1, 5),
            time(8, 45),
            "Classroom",
            (HoldUse(FRIENDLY, 3 * 60),),
            (CHOICES, CALM),
            Injuries(pupil_injured=True, staff_injured=False),
        ),
        incident(
            2,
            date(2026, 1, 7),
            time(10, 30),
            "Playground",
            (HoldUse(ELBOW, 2 * 60), HoldUse(FRIENDLY, None)),
            (CALM,),
            Injuries(staff_injured=True),
            frozenset({FloorPosition.PRONE}),
            60,
        ),
        incident(3, date(2026, 1, 16), time(12, 0), "Classroom", (), (CHOICES, TIME_OUT)),
        incident(
            4,
            date(2026, 1, 20),
            time(13, 15),
            " Hall ",
            (HoldUse("friendly hold  (standing)", 5 * 60),),
            (),
            Injuries(pupil_injured=True, others_injured=True),
        ),
        incident(
            5, date(2026, 2, 7), time(15, 30), "Playground", (HoldUse(ELBOW, 4 * 60),), (TIME_OUT,)
        ),
        incident(6, date(2026, 2, 9), time(9, 0), "Classroom", (), (CALM,)),
        incident(
            7,
            date(2026, 3, 5),
            time(12, 59),
            "",
            (HoldUse(WRAP, 2 * 60),),
            (CHOICES,),
            floor=frozenset({FloorPosition.GROUND, FloorPosition.SUPINE}),
            floor_seconds=3 * 60,
        ),
        incident(8, date(2026, 3, 5), None, "Classroom"),
    ]


PLANS = (
    BehaviourPlan(1, version=1, start_date=date(2026, 1, 1), review_date=date(2026, 3, 1)),
    BehaviourPlan(1, version=2, start_date=date(2026, 2, 10), review_date=date(2026, 5, 10)),
)


@pytest.fixture
def review() -> PupilReview:
    return pupil_review(eight_incidents(), reversed(PLANS))


def counts(rows: tuple[object, ...]) -> list[tuple[str, int]]:
    return [(r.label, r.incidents) for r in rows]  # type: ignore[attr-defined]


def test_totals(review: PupilReview) -> None:
    assert review.incidents == 8
    assert review.with_hold == 5  # 1, 2, 4, 5, 7
    assert (review.first, review.last) == (date(2026, 1, 5), date(2026, 3, 5))
    assert review.undated == 0


def test_incidents_per_iso_week_with_empty_weeks_and_plan_markers(review: PupilReview) -> None:
    assert [(w.label, w.incidents) for w in review.weeks] == [
        ("Week 2 of 2026 (05/01/2026)", 2),
        ("Week 3 of 2026 (12/01/2026)", 1),
        ("Week 4 of 2026 (19/01/2026)", 1),
        ("Week 5 of 2026 (26/01/2026)", 0),
        ("Week 6 of 2026 (02/02/2026)", 1),  # Saturday 07/02 counts in its ISO week
        ("Week 7 of 2026 (09/02/2026)", 1),
        ("Week 8 of 2026 (16/02/2026)", 0),
        ("Week 9 of 2026 (23/02/2026)", 0),
        ("Week 10 of 2026 (02/03/2026)", 2),
    ]
    marked = {w.label: [m.label for m in w.markers] for w in review.weeks if w.markers}
    assert marked == {
        "Week 7 of 2026 (09/02/2026)": ["Plan version 2 started"],
        "Week 9 of 2026 (23/02/2026)": ["Plan version 1 review date"],  # Sunday 01/03
    }


def test_incidents_per_month_and_every_marker(review: PupilReview) -> None:
    assert [(m.label, m.incidents) for m in review.months] == [
        ("January 2026", 4),
        ("February 2026", 2),
        ("March 2026", 2),
    ]
    assert [m.start for m in review.months] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert review.months[1].end == date(2026, 2, 28)
    assert [(m.on, m.kind, m.plan_version) for m in review.markers] == [
        (date(2026, 1, 1), "plan_start", 1),
        (date(2026, 2, 10), "plan_start", 2),
        (date(2026, 3, 1), "plan_review", 1),
        (date(2026, 5, 10), "plan_review", 2),
    ]


def test_time_of_day_bands(review: PupilReview) -> None:
    assert counts(review.time_of_day) == [
        ("Before 09:00", 1),
        ("09:00 to 10:30", 1),
        ("10:30 to 12:00", 1),
        ("Lunchtime, 12:00 to 13:15", 2),
        ("13:15 to 15:30", 1),
        ("After 15:30", 1),
        ("Time not recorded", 1),
    ]
    assert time_band(time(10, 29)) == "09:00 to 10:30"
    assert time_band(time(15, 29)) == "13:15 to 15:30"


def test_weekdays_and_locations(review: PupilReview) -> None:
    assert counts(review.weekday) == [
        ("Monday", 2),
        ("Tuesday", 1),
        ("Wednesday", 1),
        ("Thursday", 2),
        ("Friday", 1),
        ("Weekend", 1),
    ]
    assert counts(review.location) == [
        ("Classroom", 4),
        ("Playground", 2),
        ("Hall", 1),
        ("Place not recorded", 1),
    ]


def test_techniques_counted_by_use_incident_and_time(review: PupilReview) -> None:
    rows = [(t.technique, t.holds, t.incidents, t.seconds, t.untimed) for t in review.techniques]
    assert rows == [
        (FRIENDLY, 3, 3, 8 * 60, 1),  # 3 + 5 minutes; one use on 07/01 untimed
        (ELBOW, 2, 2, 6 * 60, 0),
        (WRAP, 1, 1, 2 * 60, 0),
    ]


def test_injuries_and_floor_positions(review: PupilReview) -> None:
    inj = review.injuries
    assert (inj.pupil, inj.staff, inj.others, inj.any) == (2, 1, 1, 3)
    assert review.floor.incidents == 2
    assert review.floor.seconds == 4 * 60
    assert [c.incidents for c in review.floor.positions] == [1, 1, 1]  # ground, prone, supine


def test_strategies_and_how_often_each_preceded_a_hold(review: PupilReview) -> None:
    rows = [(s.strategy, s.tried, s.then_held, s.percent_held) for s in review.strategies]
    assert rows == [
        (CALM, 3, 2, 67),  # 1, 2 held; 6 not
        (CHOICES, 3, 2, 67),  # 1, 7 held; 3 not
        (TIME_OUT, 2, 1, 50),  # 5 held; 3 not
    ]
    assert review.no_strategy == 2  # 4 and 8


def test_timeline_in_date_order_with_plan_versions(review: PupilReview) -> None:
    order = [e.incident_id or f"plan {e.plan_version}" for e in review.timeline]
    assert order == ["plan 1", 1, 2, 3, 4, 5, 6, "plan 2", 7, 8]
    first = review.timeline[1]
    assert first.title == "Incident 2026-0001"
    assert first.detail == f"Classroom; {FRIENDLY}"
    assert review.timeline[0].detail == "review by 01/03/2026"
    assert review.timeline[-1].detail == "Classroom; no hold recorded"


def test_a_pupil_with_no_incidents_has_empty_figures() -> None:
    empty = pupil_review([], [])
    assert (empty.incidents, empty.weeks, empty.months, empty.timeline) == (0, (), (), ())
    assert all(c.incidents == 0 for c in empty.weekday)


# ------------------------------------------------------------------ reviews due

TODAY = date(2026, 3, 10)


def pupil(n: int, **changes: object) -> Pupil:
    return Pupil(n, "", f"Pupil{n}", "Okafor", **changes)  # type: ignore[arg-type]


def plan(pupil_id: int, start: date, review: date) -> BehaviourPlan:
    return BehaviourPlan(pupil_id, version=1, start_date=start, review_date=review)


def states() -> list[PupilPlanState]:
    d = date
    return [
        # 1: review date passed 9 days ago; 3 incidents since it started (one before)
        PupilPlanState(
            pupil(1),
            plan(1, d(2026, 1, 5), d(2026, 3, 1)),
            d(2026, 1, 5),
            (d(2025, 12, 1), d(2026, 1, 6), d(2026, 2, 2), d(2026, 3, 2)),
        ),
        # 2: incidents but no plan
        PupilPlanState(pupil(2), None, None, (d(2026, 1, 6), d(2026, 2, 2))),
        # 3: an EHCP, looked after, one incident, no plan
        PupilPlanState(
            pupil(3, sen_status=SenStatus.EHCP, looked_after=True), None, None, (d(2026, 2, 9),)
        ),
        # 4: plan in date, 2 incidents since
        PupilPlanState(
            pupil(4),
            plan(4, d(2026, 1, 5), d(2026, 7, 1)),
            d(2026, 1, 5),
            (d(2026, 1, 6), d(2026, 2, 2)),
        ),
        # 5: has left: never listed
        PupilPlanState(pupil(5, left_on=d(2026, 2, 1)), None, None, (d(2026, 1, 6),)),
        # 6: no plan and no incidents: nothing to do
        PupilPlanState(pupil(6, sen_status=SenStatus.SEN_SUPPORT), None, None, ()),
        # 7: plan started 01/01 but changed on 01/02: only incidents from then count
        PupilPlanState(
            pupil(7),
            plan(7, d(2026, 1, 1), d(2026, 7, 1)),
            d(2026, 2, 1),
            (d(2026, 1, 15), d(2026, 2, 5), d(2026, 2, 6)),
        ),
    ]


def test_reviews_due_lists_each_reason_with_its_numbers() -> None:
    rows = reviews_due(states(), TODAY)
    assert [(r.pupil_id, r.reason, r.incidents) for r in rows] == [
        (1, DueReason.PAST_REVIEW_DATE, 4),
        (1, DueReason.INCIDENTS_SINCE_PLAN, 3),
        (3, DueReason.NEEDS_PLAN, 1),
        (2, DueReason.NO_PLAN, 2),
    ]
    late, since, needs, no_plan = rows
    assert late.days_overdue == 9
    assert late.text == "The plan's review date, 01/03/2026, passed 9 days ago."
    assert since.since == date(2026, 1, 5)
    assert since.text == (
        "3 incidents since the plan was last changed on 05/01/2026 (the list shows 3 or more)."
    )
    assert no_plan.text == "2 incidents and no behaviour support plan."
    assert needs.text == (
        "1 incident and no behaviour support plan; the pupil has an EHCP and is looked after."
    )


def test_the_incident_threshold_is_a_parameter() -> None:
    rows = reviews_due(states(), TODAY, threshold=2)
    since = {r.pupil_id: r.incidents for r in rows if r.reason is DueReason.INCIDENTS_SINCE_PLAN}
    assert since == {1: 3, 4: 2, 7: 2}  # pupil 7: only the two since the change on 01/02
