"""Recorded plan reviews in the pupil review (antecedent kinds, the timeline, what is
still to review, chart markers) and in the "plan reviews due" list, against fixtures
counted by hand (the tables in the docstrings)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from incident_recorder.domain.model import Pupil, WhatHappened
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import (
    DueReason,
    PupilPlanState,
    PupilReview,
    ReviewIncident,
    pupil_review,
    reviews_due,
)
from tests.unit.test_review import PLANS, eight_incidents

DEMAND, TRANSITION = "Demand or task given", "Transition or change of activity"
CONFLICT, NOT_KNOWN = "Conflict with another pupil", "Not known"

# Incident -> kinds ticked (the eight incidents of test_review.py):
#   1 demand, transition   2 demand   3 -   4 demand (typed twice, odd case and spaces)
#   5 conflict   6 transition   7 -   8 conflict, not known
# Demand 3 (1, 2, 4); conflict 2 (5, 8); transition 2 (1, 6); not known 1; none 2 (3, 7).
KINDS: dict[int, tuple[str, ...]] = {
    1: (DEMAND, TRANSITION),
    2: (DEMAND,),
    3: (),
    4: ("demand or task  given", DEMAND),
    5: (CONFLICT,),
    6: (TRANSITION,),
    7: (" ",),
    8: (CONFLICT, NOT_KNOWN),
}


def with_kinds(incident: ReviewIncident) -> ReviewIncident:
    details = incident.details
    what = dataclasses.replace(WhatHappened(), antecedent_types=KINDS[incident.id])
    return dataclasses.replace(incident, details=dataclasses.replace(details, what_happened=what))


def record(review_id: int, held: date, **changes: object) -> PlanReviewRecord:
    return dataclasses.replace(
        PlanReviewRecord(
            1,
            held_on=held,
            outcome=ReviewOutcome.NO_CHANGE,
            reason="Holds are fewer.",
            participants=("Siân Griffiths (SENCO)",),
            next_review=date(2026, 6, 1),
            plan_version=1,
            id=review_id,
        ),
        **changes,  # type: ignore[arg-type]
    )


# Review 1 on Tue 20/01 (the day of incident 4): incidents 1-4, parents there.
# Review 2 on Tue 10/02 (the day plan version 2 starts): incident 5, the pupil there.
# Still to review: 6 (09/02), 7 (05/03 12:59), 8 (05/03, no time).
FIRST = record(
    1,
    date(2026, 1, 20),
    participants=("Siân Griffiths (SENCO)", "Class teacher"),
    parents_took_part=True,
    incident_ids=(1, 2, 3, 4),
    next_review=date(2026, 3, 1),
)
SECOND = record(
    2,
    date(2026, 2, 10),
    outcome=ReviewOutcome.PLAN_UPDATED,
    pupil_took_part=True,
    incident_ids=(5,),
    next_review=date(2026, 5, 10),
)


@pytest.fixture
def review() -> PupilReview:
    incidents = [with_kinds(i) for i in reversed(eight_incidents())]
    return pupil_review(incidents, PLANS, [FIRST, SECOND])


def test_antecedent_kinds_most_first_with_the_unrecorded_last(review: PupilReview) -> None:
    assert [(c.label, c.incidents) for c in review.antecedents] == [
        (DEMAND, 3),
        (CONFLICT, 2),
        (TRANSITION, 2),
        (NOT_KNOWN, 1),
        ("Kind not recorded", 2),
    ]


def test_reviews_newest_first_and_the_incidents_still_to_review(review: PupilReview) -> None:
    assert [r.id for r in review.reviews] == [2, 1]
    assert review.not_yet_reviewed == (6, 7, 8)


def test_with_no_reviews_every_incident_waits_in_date_order() -> None:
    review = pupil_review(list(reversed(eight_incidents())), PLANS)
    assert review.not_yet_reviewed == (1, 2, 3, 4, 5, 6, 7, 8)
    assert review.reviews == ()
    assert "review" not in {e.kind for e in review.timeline}


def test_timeline_orders_plan_then_incidents_then_review_on_one_day(
    review: PupilReview,
) -> None:
    assert [
        (e.on.strftime("%d/%m"), e.kind, e.incident_id or e.review_id) for e in review.timeline
    ] == [
        ("01/01", "plan", None),
        ("05/01", "incident", 1),
        ("07/01", "incident", 2),
        ("16/01", "incident", 3),
        ("20/01", "incident", 4),
        ("20/01", "review", 1),
        ("07/02", "incident", 5),
        ("09/02", "incident", 6),
        ("10/02", "plan", None),
        ("10/02", "review", 2),
        ("05/03", "incident", 7),
        ("05/03", "incident", 8),
    ]


def test_review_entries_say_the_outcome_who_took_part_and_the_next_date(
    review: PupilReview,
) -> None:
    first, second = [e for e in review.timeline if e.kind == "review"]
    assert first.title == "Plan review: no change to the plan"
    assert first.detail == (
        "With: Siân Griffiths (SENCO), Class teacher, parents or carers; "
        "4 incidents considered; next review 01/03/2026"
    )
    assert (first.review_id, first.plan_version, first.at) == (1, 1, None)
    assert second.title == "Plan review: plan updated"
    assert second.detail == (
        "With: Siân Griffiths (SENCO), the pupil; 1 incident considered; next review 10/05/2026"
    )


def test_review_days_are_chart_markers(review: PupilReview) -> None:
    held = [m for m in review.markers if m.kind == "review"]
    assert [(m.on, m.label) for m in held] == [
        (date(2026, 1, 20), "Plan reviewed"),
        (date(2026, 2, 10), "Plan reviewed"),
    ]
    january, february, _ = review.months
    assert [m.kind for m in january.markers] == ["plan_start", "review"]
    assert {m.kind for m in february.markers} == {"plan_start", "review"}


def test_no_incidents_and_no_reviews_leave_the_new_figures_empty() -> None:
    empty = pupil_review([], [])
    assert (empty.antecedents, empty.reviews, empty.not_yet_reviewed) == ((), (), ())


# ------------------------------------------------------------------ reviews due

TODAY = date(2026, 3, 10)
d = date


def state(
    n: int,
    plan: tuple[date, date] | None,
    saved: date | None,
    incidents: tuple[date, ...],
    held: date,
    next_review: date,
) -> PupilPlanState:
    current = (
        None
        if plan is None
        else BehaviourPlan(n, version=1, start_date=plan[0], review_date=plan[1])
    )
    last = record(n, held, pupil_id=n, next_review=next_review)
    return PupilPlanState(Pupil(n, "", f"Pupil{n}", "Nowak"), current, saved, incidents, last)


def states() -> list[PupilPlanState]:
    """Hand-counted, today 10/03/2026, threshold 3 (plan: start, review date, saved):

    pupil  plan               last review    incidents            rows
    11     05/01 01/03 05/01  20/02 > 20/05  06/01 02/02 20/02    since review: 3
                                             21/02 02/03 03/03    (21/02 02/03 03/03)
    12     05/01 01/07 05/01  10/01 > 01/03  06/01 12/01          review's date 9 days late
    13     01/01 01/03 01/02  10/01 > 01/07  05/02 06/02 07/02    plan date 9 days late;
                                                                  since plan change: 3
    14     no plan            01/02 > 01/05  15/01 01/02 03/02    1 since review, no plan
    15     no plan            01/02 > 01/05  15/01 01/02          nothing
    16     01/02 01/03 01/02  01/02 > 01/04  01/02 02/02 03/02    since review: 3
                                             04/02                (same day as the change)
    """
    return [
        state(
            11,
            (d(2026, 1, 5), d(2026, 3, 1)),
            d(2026, 1, 5),
            (
                d(2026, 1, 6),
                d(2026, 2, 2),
                d(2026, 2, 20),
                d(2026, 2, 21),
                d(2026, 3, 2),
                d(2026, 3, 3),
            ),
            d(2026, 2, 20),
            d(2026, 5, 20),
        ),
        state(
            12,
            (d(2026, 1, 5), d(2026, 7, 1)),
            d(2026, 1, 5),
            (d(2026, 1, 6), d(2026, 1, 12)),
            d(2026, 1, 10),
            d(2026, 3, 1),
        ),
        state(
            13,
            (d(2026, 1, 1), d(2026, 3, 1)),
            d(2026, 2, 1),
            (d(2026, 2, 5), d(2026, 2, 6), d(2026, 2, 7)),
            d(2026, 1, 10),
            d(2026, 7, 1),
        ),
        state(
            14,
            None,
            None,
            (d(2026, 1, 15), d(2026, 2, 1), d(2026, 2, 3)),
            d(2026, 2, 1),
            d(2026, 5, 1),
        ),
        state(15, None, None, (d(2026, 1, 15), d(2026, 2, 1)), d(2026, 2, 1), d(2026, 5, 1)),
        state(
            16,
            (d(2026, 2, 1), d(2026, 3, 1)),
            d(2026, 2, 1),
            (d(2026, 2, 1), d(2026, 2, 2), d(2026, 2, 3), d(2026, 2, 4)),
            d(2026, 2, 1),
            d(2026, 4, 1),
        ),
    ]


def test_a_recorded_review_resets_the_count_and_sets_the_due_date() -> None:
    rows = reviews_due(states(), TODAY)
    assert [(r.pupil_id, r.reason, r.incidents, r.review_date) for r in rows] == [
        (13, DueReason.PAST_REVIEW_DATE, 3, d(2026, 3, 1)),
        (12, DueReason.PAST_REVIEW_DATE, 2, d(2026, 3, 1)),
        (11, DueReason.INCIDENTS_SINCE_PLAN, 3, d(2026, 5, 20)),
        (13, DueReason.INCIDENTS_SINCE_PLAN, 3, d(2026, 3, 1)),
        (16, DueReason.INCIDENTS_SINCE_PLAN, 3, d(2026, 4, 1)),
        (14, DueReason.NO_PLAN, 1, None),
    ]


def test_the_texts_say_whether_they_count_from_the_plan_or_the_last_review() -> None:
    rows = {(r.pupil_id, r.reason): r for r in reviews_due(states(), TODAY)}
    late_plan = rows[13, DueReason.PAST_REVIEW_DATE]
    assert late_plan.text == "The plan's review date, 01/03/2026, passed 9 days ago."
    late_review = rows[12, DueReason.PAST_REVIEW_DATE]
    assert late_review.text == (
        "The next review date, 01/03/2026, set at the last review on 10/01/2026, passed 9 days ago."
    )
    assert late_review.days_overdue == 9
    since_review = rows[11, DueReason.INCIDENTS_SINCE_PLAN]
    assert since_review.text == (
        "3 incidents since the last review on 20/02/2026 (the list shows 3 or more)."
    )
    assert (since_review.since, since_review.last_review) == (d(2026, 2, 20), d(2026, 2, 20))
    since_plan = rows[13, DueReason.INCIDENTS_SINCE_PLAN]
    assert since_plan.text == (
        "3 incidents since the plan was last changed on 01/02/2026 (the list shows 3 or more)."
    )
    assert (since_plan.since, since_plan.last_review) == (d(2026, 2, 1), d(2026, 1, 10))
    assert rows[14, DueReason.NO_PLAN].text == (
        "1 incident since the last review on 01/02/2026 and no behaviour support plan."
    )


def test_a_higher_threshold_leaves_out_the_pupils_below_it() -> None:
    rows = reviews_due(states(), TODAY, threshold=4)
    assert not [r for r in rows if r.reason is DueReason.INCIDENTS_SINCE_PLAN]


def test_the_chart_runs_on_to_a_review_held_after_the_last_incident() -> None:
    # Incidents run 05/01 to 05/03/2026; a review on 14/04 must show on the chart, but a
    # future review date (10/05, set at that review) does not stretch it.
    late = record(3, date(2026, 4, 14), incident_ids=(6, 7, 8), next_review=date(2026, 5, 10))
    figures = pupil_review(eight_incidents(), PLANS, [FIRST, SECOND, late])
    assert figures.last == date(2026, 3, 5)
    assert [m.label for m in figures.months] == [
        "January 2026",
        "February 2026",
        "March 2026",
        "April 2026",
    ]
    assert [m.kind for m in figures.months[-1].markers] == ["review"]
    assert figures.months[-1].incidents == 0
