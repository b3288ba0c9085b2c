"""A recorded review of a pupil's behaviour support plan: the meeting's outcome, who
took part, the incidents it considered and when the plan is next reviewed.

Reviews are records, like incidents: once saved they are never changed or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.labelled import LabelledEnum


class ReviewOutcome(LabelledEnum):
    PLAN_UPDATED = "plan_updated", "Plan updated"
    NO_CHANGE = "no_change", "No change to the plan"


@dataclass(frozen=True, slots=True)
class PlanReviewRecord:
    pupil_id: int
    held_on: date | None = None  # the day of the review meeting
    outcome: ReviewOutcome | None = None
    reason: str = ""  # why the plan was or was not changed, and what changed
    participants: tuple[str, ...] = ()  # who took part: one entry per person, with role
    pupil_took_part: bool = False
    parents_took_part: bool = False
    incident_ids: tuple[int, ...] = ()  # the submitted incidents considered
    next_review: date | None = None
    # The plan version current when the review was recorded (None: no plan yet).
    plan_version: int | None = None
    # Filled in by the store when saved.
    id: int = 0
    recorded_at: datetime | None = None  # UTC
    recorded_by: int | None = None  # user id
    recorded_by_name: str = ""


def review_problems(review: PlanReviewRecord, today: date) -> list[str]:
    """What must be put right before the review can be saved, in plain words."""
    problems: list[str] = []
    if review.held_on is None:
        problems.append("Enter the date of the review.")
    elif review.held_on > today:
        problems.append("The review date cannot be in the future.")
    if review.outcome is None:
        problems.append("Choose the outcome: plan updated, or no change.")
    if not review.reason.strip():
        problems.append(
            "Say why the plan was changed, and how."
            if review.outcome is ReviewOutcome.PLAN_UPDATED
            else "Say why the plan does not need to change."
        )
    if not any(p.strip() for p in review.participants):
        problems.append("Say who took part in the review.")
    if review.next_review is None:
        problems.append("Enter the date of the next review.")
    elif review.held_on is not None and review.next_review <= review.held_on:
        problems.append("The next review must be after the date of this review.")
    return problems


def check_review(review: PlanReviewRecord, today: date) -> None:
    """Raise InvalidInput listing every problem, if there are any."""
    problems = review_problems(review, today)
    if problems:
        raise InvalidInput(" ".join(problems))
