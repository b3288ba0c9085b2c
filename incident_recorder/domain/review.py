"""The SENCO's pupil review figures, as pure functions over plain values (no I/O).

The breakdowns live in ``review_breakdowns``, the timeline in ``review_timeline`` and
the school-wide "plan reviews due" list in ``reviews_due``; their public names are
re-exported here, so callers import from this module.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from incident_recorder.domain.model import Pupil, SchoolDetails
from incident_recorder.domain.plan_reviews import PlanReviewRecord
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review_breakdowns import (
    NO_ANTECEDENT,
    NO_LOCATION,
    NO_TIME,
    TIME_BANDS,
    WEEKDAYS,
    Count,
    FloorCounts,
    InjuryCounts,
    ReviewIncident,
    StrategyCount,
    TechniqueCount,
    count_antecedents,
    count_floor,
    count_injuries,
    count_strategies,
    count_techniques,
    incident_day,
    is_hold,
    most_first,
    tidy,
    time_band,
    weekday_name,
)
from incident_recorder.domain.review_timeline import TimelineEntry, timeline_entries
from incident_recorder.domain.reviews_due import (
    DueReason,
    PupilPlanState,
    ReviewDue,
    needs_plan_status,
    reviews_due,
)

__all__ = [
    "NO_ANTECEDENT",
    "NO_LOCATION",
    "NO_TIME",
    "TIME_BANDS",
    "WEEKDAYS",
    "Count",
    "DueReason",
    "FloorCounts",
    "InjuryCounts",
    "Marker",
    "PeriodCount",
    "PupilPlanState",
    "PupilReview",
    "PupilSummary",
    "ReviewDue",
    "ReviewIncident",
    "StrategyCount",
    "TechniqueCount",
    "TimelineEntry",
    "needs_plan_status",
    "plan_markers",
    "pupil_review",
    "reviews_due",
    "time_band",
    "weekday_name",
]

# ------------------------------------------------------------------ outputs


@dataclass(frozen=True, slots=True)
class Marker:
    """A date to mark on the chart: ``kind`` is "plan_start" or "plan_review" (dates
    in a plan version), or "review" (a recorded review meeting; ``plan_version`` is the
    version current then, 0 if there was no plan yet)."""

    on: date
    kind: str
    plan_version: int

    @property
    def label(self) -> str:
        if self.kind == "review":
            return "Plan reviewed"
        what = "started" if self.kind == "plan_start" else "review date"
        return f"Plan version {self.plan_version} {what}"


@dataclass(frozen=True, slots=True)
class PeriodCount:
    start: date  # the Monday of an ISO week, or the 1st of a month
    end: date  # the last day of the period
    label: str
    incidents: int
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True, slots=True)
class PupilReview:
    incidents: int
    with_hold: int  # incidents with at least one technique
    first: date | None
    last: date | None
    undated: int  # incidents without a date (left out of the chart and the timeline)
    weeks: tuple[PeriodCount, ...]
    months: tuple[PeriodCount, ...]
    markers: tuple[Marker, ...]  # plan starts, plan review dates, reviews held; date order
    time_of_day: tuple[Count, ...]
    weekday: tuple[Count, ...]
    location: tuple[Count, ...]
    techniques: tuple[TechniqueCount, ...]
    injuries: InjuryCounts
    floor: FloorCounts
    strategies: tuple[StrategyCount, ...]
    no_strategy: int  # incidents with no de-escalation strategy ticked
    timeline: tuple[TimelineEntry, ...]
    # Per kind of antecedent ticked, most first, then NO_ANTECEDENT last (if any).
    antecedents: tuple[Count, ...] = ()
    reviews: tuple[PlanReviewRecord, ...] = ()  # recorded reviews, newest first
    # Ids of the incidents no recorded review has considered yet, in date order.
    not_yet_reviewed: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PupilSummary:
    """Everything the one-page pupil summary PDF shows."""

    pupil: Pupil
    school: SchoolDetails
    plan: BehaviourPlan | None  # the current version
    review: PupilReview
    printed_on: date
    printed_by: str  # the full name of the user printing it


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# ------------------------------------------------------------------ periods


def _weeks(first: date, last: date) -> list[tuple[date, date, str]]:
    monday = first - timedelta(days=first.weekday())
    out = []
    while monday <= last:
        year, week, _ = monday.isocalendar()
        out.append(
            (
                monday,
                monday + timedelta(days=6),
                # Formatted by hand: strftime imports a module at every call, and ten
                # years of a pupil's weeks is some 500 labels.
                f"Week {week} of {year} ({monday.day:02d}/{monday.month:02d}/{monday.year})",
            )
        )
        monday += timedelta(days=7)
    return out


def _months(first: date, last: date) -> list[tuple[date, date, str]]:
    out = []
    start = first.replace(day=1)
    while start <= last:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        out.append(
            (start, following - timedelta(days=1), f"{MONTHS[start.month - 1]} {start.year}")
        )
        start = following
    return out


def _counted(
    periods: list[tuple[date, date, str]], days: Counter[date], markers: Sequence[Marker]
) -> tuple[PeriodCount, ...]:
    starts = [start for start, _, _ in periods]
    per: Counter[int] = Counter()
    for day, n in days.items():
        per[bisect_right(starts, day) - 1] += n
    return tuple(
        PeriodCount(
            start,
            end,
            label,
            per[index],
            tuple(m for m in markers if start <= m.on <= end),
        )
        for index, (start, end, label) in enumerate(periods)
    )


def plan_markers(
    plans: Iterable[BehaviourPlan], reviews: Iterable[PlanReviewRecord] = ()
) -> tuple[Marker, ...]:
    """Plan start and review dates, and the days recorded reviews were held."""
    found = []
    for plan in plans:
        if plan.start_date is not None:
            found.append(Marker(plan.start_date, "plan_start", plan.version))
        if plan.review_date is not None:
            found.append(Marker(plan.review_date, "plan_review", plan.version))
    for review in reviews:
        if review.held_on is not None:
            found.append(Marker(review.held_on, "review", review.plan_version or 0))
    return tuple(sorted(found, key=lambda m: (m.on, m.plan_version, m.kind)))


# ------------------------------------------------------------------ the review


def pupil_review(
    incidents: Sequence[ReviewIncident],
    plans: Iterable[BehaviourPlan],
    reviews: Iterable[PlanReviewRecord] = (),
) -> PupilReview:
    """Every figure of the pupil review, from the pupil's submitted incidents, the
    versions of their plan and the reviews recorded so far."""
    plan_list = sorted(plans, key=lambda p: p.version)
    review_list = sorted(reviews, key=_newest_first)
    markers = plan_markers(plan_list, review_list)
    dated = [i for i in incidents if i.details.when_where.date is not None]
    days: Counter[date] = Counter(incident_day(i) for i in dated)
    first, last = (min(days), max(days)) if days else (None, None)
    # The chart runs on past the last incident to the latest plan start or review
    # meeting, so a review held after the incidents shows on it (future review dates
    # do not stretch it).
    end = max([last, *(m.on for m in markers if m.kind != "plan_review")]) if last else None
    weeks = _counted(_weeks(first, end), days, markers) if first and end else ()
    months = _counted(_months(first, end), days, markers) if first and end else ()

    bands: Counter[str] = Counter(time_band(i.details.when_where.start) for i in incidents)
    time_of_day = [Count(name, bands[name]) for name, _ in TIME_BANDS]
    if bands[NO_TIME]:
        time_of_day.append(Count(NO_TIME, bands[NO_TIME]))
    weekdays: Counter[str] = Counter(weekday_name(incident_day(i)) for i in dated)
    places: Counter[str] = Counter(
        tidy(i.details.when_where.location) or NO_LOCATION for i in incidents
    )

    return PupilReview(
        incidents=len(incidents),
        with_hold=sum(1 for i in incidents if is_hold(i.details)),
        first=first,
        last=last,
        undated=len(incidents) - len(dated),
        weeks=weeks,
        months=months,
        markers=markers,
        time_of_day=tuple(time_of_day),
        weekday=tuple(Count(d, weekdays[d]) for d in WEEKDAYS),
        location=most_first(places),
        techniques=count_techniques(incidents),
        injuries=count_injuries(incidents),
        floor=count_floor(incidents),
        strategies=count_strategies(incidents),
        no_strategy=sum(1 for i in incidents if not i.details.deescalation.strategies),
        timeline=timeline_entries(dated, plan_list, review_list),
        antecedents=count_antecedents(incidents),
        reviews=tuple(review_list),
        not_yet_reviewed=_not_yet_reviewed(incidents, review_list),
    )


def _newest_first(review: PlanReviewRecord) -> tuple[int, int]:
    held = review.held_on.toordinal() if review.held_on else 0
    return (-held, -review.id)


def _not_yet_reviewed(
    incidents: Sequence[ReviewIncident], reviews: Sequence[PlanReviewRecord]
) -> tuple[int, ...]:
    considered = {i for review in reviews for i in review.incident_ids}
    waiting = [i for i in incidents if i.id not in considered]
    return tuple(
        i.id
        for i in sorted(
            waiting,
            key=lambda i: (
                i.details.when_where.date or date.max,
                i.details.when_where.start or time.max,
                i.id,
            ),
        )
    )
