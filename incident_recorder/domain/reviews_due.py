"""The school-wide "plan reviews due" list, as a pure function over plain values.

A recorded plan review (``PlanReviewRecord``) counts as the plan's last review:

* "Incidents since" counts incidents on or after the current plan version's start date
  and the day it was saved, and strictly after the day of the last recorded review (the
  review meeting considered that day's incidents).
* The review is due on the last review's ``next_review`` when that review was held on or
  after the day the current plan version was saved; otherwise (the plan was changed
  after the meeting) on the plan's own review date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from incident_recorder.domain.model import Pupil, SenStatus
from incident_recorder.domain.plan_reviews import PlanReviewRecord
from incident_recorder.domain.plans import BehaviourPlan


class DueReason(StrEnum):
    PAST_REVIEW_DATE = "past_review_date"
    INCIDENTS_SINCE_PLAN = "incidents_since_plan"  # since the plan changed or last review
    # Listed in this order: pupils with SEND or looked after come before others without a plan.
    NEEDS_PLAN = "needs_plan"  # SEN support, EHCP or looked after, incidents, no plan
    NO_PLAN = "no_plan"


@dataclass(frozen=True, slots=True)
class PupilPlanState:
    """What the "reviews due" list needs to know about one pupil."""

    pupil: Pupil
    plan: BehaviourPlan | None  # the current (newest) version
    plan_saved_on: date | None  # the local day that version was saved
    incident_dates: tuple[date, ...]  # the pupil's submitted incidents
    last_review: PlanReviewRecord | None = None  # the newest recorded review


@dataclass(frozen=True, slots=True)
class ReviewDue:
    pupil_id: int
    reason: DueReason
    text: str  # the reason in plain words, with its numbers
    incidents: int  # incidents that count towards the reason (all, or since)
    since: date | None = None  # the plan's start or last change, or the last review
    review_date: date | None = None  # when the next review is (or was) due
    days_overdue: int | None = None
    last_review: date | None = None  # the day of the last recorded review, if any


def needs_plan_status(pupil: Pupil) -> list[str]:
    """Why a plan matters for this pupil (SEN support, an EHCP, looked after), in words."""
    why = []
    if pupil.sen_status is SenStatus.SEN_SUPPORT:
        why.append("has SEN support")
    elif pupil.sen_status is SenStatus.EHCP:
        why.append("has an EHCP")
    if pupil.looked_after:
        why.append("is looked after")
    return why


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _review_day(state: PupilPlanState) -> date | None:
    review = state.last_review
    return review.held_on if review is not None else None


def _due_date(state: PupilPlanState) -> tuple[date | None, bool]:
    """When the plan's next review is due, and whether that date was set at a recorded
    review (rather than in the plan itself)."""
    plan, review = state.plan, state.last_review
    assert plan is not None
    if (
        review is not None
        and review.held_on is not None
        and review.next_review is not None
        and (state.plan_saved_on is None or review.held_on >= state.plan_saved_on)
    ):
        return review.next_review, True
    return plan.review_date, False


def _no_plan_row(state: PupilPlanState) -> ReviewDue | None:
    pupil, held = state.pupil, _review_day(state)
    count = sum(1 for d in state.incident_dates if held is None or d > held)
    if not count:
        return None
    incidents = plural(count, "incident")
    if held is not None:
        incidents += f" since the last review on {held:%d/%m/%Y}"
    why = needs_plan_status(pupil)
    if why:
        text = f"{incidents} and no behaviour support plan; the pupil {' and '.join(why)}."
        return ReviewDue(pupil.id, DueReason.NEEDS_PLAN, text, count, since=held, last_review=held)
    text = f"{incidents} and no behaviour support plan."
    return ReviewDue(pupil.id, DueReason.NO_PLAN, text, count, since=held, last_review=held)


def _plan_rows(state: PupilPlanState, today: date, threshold: int) -> list[ReviewDue]:
    pupil, plan, held = state.pupil, state.plan, _review_day(state)
    assert plan is not None
    rows: list[ReviewDue] = []
    due, set_at_review = _due_date(state)
    if due is not None and due < today:
        late = (today - due).days
        if set_at_review:
            text = (
                f"The next review date, {due:%d/%m/%Y}, set at the last review on "
                f"{held:%d/%m/%Y}, passed {plural(late, 'day')} ago."
            )
        else:
            text = f"The plan's review date, {due:%d/%m/%Y}, passed {plural(late, 'day')} ago."
        rows.append(
            ReviewDue(
                pupil.id,
                DueReason.PAST_REVIEW_DATE,
                text,
                len(state.incident_dates),
                review_date=due,
                days_overdue=late,
                last_review=held,
            )
        )
    starts = [d for d in (plan.start_date, state.plan_saved_on) if d is not None]
    changed = max(starts) if starts else None
    after_review = held is not None and (changed is None or held >= changed)
    recent = sum(
        1
        for d in state.incident_dates
        if (changed is None or d >= changed) and (held is None or d > held)
    )
    if recent >= threshold:
        if after_review:
            since, where = held, f" since the last review on {held:%d/%m/%Y}"
        else:
            since = changed
            where = " since the plan was last changed" + (
                f" on {changed:%d/%m/%Y}" if changed else ""
            )
        rows.append(
            ReviewDue(
                pupil.id,
                DueReason.INCIDENTS_SINCE_PLAN,
                f"{plural(recent, 'incident')}{where} (the list shows {threshold} or more).",
                recent,
                since=since,
                review_date=due,
                last_review=held,
            )
        )
    return rows


def reviews_due(
    states: Iterable[PupilPlanState], today: date, threshold: int = 3
) -> list[ReviewDue]:
    """The school-wide list, one row per pupil and reason, pupils who have left skipped.

    A pupil with SEN support, an EHCP or looked-after status, incidents and no plan is
    listed once, under NEEDS_PLAN (not again under NO_PLAN); with no plan, incidents on
    or before the day of a recorded review no longer count. Rows come in reason order,
    most incidents first, then by pupil id."""
    rows: list[ReviewDue] = []
    for state in states:
        if state.pupil.left_on is not None:
            continue
        if state.plan is None:
            row = _no_plan_row(state)
            rows.extend([row] if row else [])
        else:
            rows.extend(_plan_rows(state, today, threshold))
    order = list(DueReason)
    return sorted(rows, key=lambda r: (order.index(r.reason), -r.incidents, r.pupil_id))
