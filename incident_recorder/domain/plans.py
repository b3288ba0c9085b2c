"""Behaviour support plans: what helps a pupil, and which physical interventions are
agreed for them, as plain immutable values.

A pupil has at most one current plan; each save makes a new numbered version and
earlier versions are kept unchanged. The plan *in force* on a day is the newest
version whose start date is on or before that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from incident_recorder.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class BehaviourPlan:
    pupil_id: int
    version: int = 0  # 0 until saved; then 1, 2, 3...
    triggers: str = ""
    early_warning_signs: str = ""
    # What helps: strategies from the school's de-escalation list, then anything else.
    helpful_strategies: tuple[str, ...] = ()
    helpful_other: str = ""
    to_avoid: str = ""
    approved_techniques: tuple[str, ...] = ()  # from the school's techniques list
    medical_notes: str = ""  # medical or physical considerations, e.g. asthma
    ruled_out_techniques: tuple[str, ...] = ()  # unsafe for this pupil (medical reasons)
    communication_needs: str = ""
    written_by: str = ""
    pupil_contributed: bool = False
    parents_contributed: bool = False
    start_date: date | None = None
    review_date: date | None = None
    # Filled in by the store when the version is saved.
    saved_at: datetime | None = None  # UTC
    saved_by: int | None = None  # user id
    saved_by_name: str = ""

    def approves(self, technique: str) -> bool:
        return _key(technique) in {_key(t) for t in self.approved_techniques}

    def rules_out(self, technique: str) -> bool:
        return _key(technique) in {_key(t) for t in self.ruled_out_techniques}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def plan_problems(plan: BehaviourPlan) -> list[str]:
    """What must be put right before the plan can be saved, in plain words."""
    problems: list[str] = []
    if plan.start_date is None:
        problems.append("Enter the date the plan starts.")
    if plan.review_date is None:
        problems.append("Enter the date the plan will be reviewed.")
    elif plan.start_date is not None and plan.review_date <= plan.start_date:
        problems.append("The review date must be after the start date.")
    if not plan.written_by.strip():
        problems.append("Say who wrote the plan.")
    both = sorted(
        {_key(t) for t in plan.approved_techniques} & {_key(t) for t in plan.ruled_out_techniques}
    )
    if both:
        names = [t for t in plan.approved_techniques if _key(t) in both]
        problems.append(
            "A technique cannot be both approved and ruled out: " + ", ".join(names) + "."
        )
    return problems


def check_plan(plan: BehaviourPlan) -> None:
    """Raise InvalidInput listing every problem, if there are any."""
    problems = plan_problems(plan)
    if problems:
        raise InvalidInput(" ".join(problems))


def in_force(versions: Iterable[BehaviourPlan], on: date) -> BehaviourPlan | None:
    """The newest version that had started by ``on``, or None."""
    started = [v for v in versions if v.start_date is not None and v.start_date <= on]
    return max(started, key=lambda v: v.version, default=None)


def strategies_first(school_list: Iterable[str], plan: BehaviourPlan | None) -> list[str]:
    """The de-escalation checklist in order: the plan's strategies first (in the plan's
    order), then the rest of the school's list."""
    first = list(plan.helpful_strategies) if plan is not None else []
    keys = {_key(s) for s in first}
    return first + [s for s in school_list if _key(s) not in keys]
