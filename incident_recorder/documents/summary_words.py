"""The words and figures of the one-page pupil summary (what each line says, capped so
the page always fits); summary_layout.py lays them out and summary_pdf.py makes the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from incident_recorder.domain.documents import summary_file_name as domain_summary_file_name
from incident_recorder.domain.durations import short_duration
from incident_recorder.domain.model import Pupil

if TYPE_CHECKING:
    from incident_recorder.domain.plans import BehaviourPlan
    from incident_recorder.domain.review import PupilReview, PupilSummary

TITLE = "Pupil summary for review meeting"
CONFIDENTIAL = "Confidential: contains personal data of a child"
NO_PLAN = "There is no behaviour support plan for this pupil."
NO_REVIEW = "No review of the plan has been recorded yet."
NO_INCIDENTS = "No incidents recorded."
TOP = 5  # entries shown in each list before "and N more"
BREAKDOWN_HEADINGS = (
    "Time of day",
    "Day of the week",
    "Where",
    "What happened before",
    "Techniques used",
    "Strategies tried",
)
FIGURE_LABELS = (
    "Incidents",
    "With a hold",
    "With an injury",
    "On the floor",
    "First",
    "Last",
    "Not yet reviewed",
)


def summary_file_name(summary: PupilSummary) -> str:
    """The name the app proposes when saving (see domain/documents.py)."""
    return domain_summary_file_name(summary.printed_on)


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def top(rows: Sequence[tuple[str, str]], limit: int = TOP) -> list[tuple[str, str]]:
    """The first ``limit`` rows, then "and N more" when some were left off."""
    if len(rows) <= limit:
        return list(rows)
    return [*rows[:limit], (f"and {len(rows) - limit} more", "")]


def short_band(label: str) -> str:
    """A time band's label short enough for one line: "Lunch 12:00–13:15"."""
    return label.replace("Lunchtime, ", "Lunch ").replace(" to ", "–")


def _day(value: date | None, missing: str = "not recorded") -> str:
    return value.strftime("%d/%m/%Y") if value else missing


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def pupil_rows(pupil: Pupil) -> list[tuple[str, str]]:
    sen = pupil.sen_status.label
    if pupil.primary_need:
        sen += f" ({pupil.primary_need})"
    care = "Looked after" if pupil.looked_after else ""
    if pupil.previously_looked_after:
        care = "Previously looked after"
    eal = _yes_no(pupil.eal)
    if pupil.eal and pupil.first_language:
        eal += f" ({pupil.first_language})"
    return [
        ("Name", f"{pupil.first_name} {pupil.last_name}"),
        ("Preferred name", pupil.preferred_name or "—"),
        ("Date of birth", _day(pupil.date_of_birth)),
        ("Year and class", ", ".join(p for p in (pupil.year_group, pupil.class_name) if p) or "—"),
        ("SEN", sen),
        ("Looked after", care or "No"),
        ("EAL", eal),
    ]


def plan_rows(plan: BehaviourPlan) -> list[tuple[str, str]]:
    return [
        ("Version", f"{plan.version}, from {_day(plan.start_date, 'no start date')}"),
        ("Review date", _day(plan.review_date, "not set")),
        ("Approved techniques", "; ".join(plan.approved_techniques) or "None"),
        ("Ruled out", "; ".join(plan.ruled_out_techniques) or "None"),
        ("Medical notes", plan.medical_notes or "None"),
    ]


def figure_values(review: PupilReview) -> tuple[str, ...]:
    return (
        str(review.incidents),
        str(review.with_hold),
        str(review.injuries.any),
        str(review.floor.incidents),
        _day(review.first, "—"),
        _day(review.last, "—"),
        str(len(review.not_yet_reviewed)),
    )


# What the numbers in each breakdown count, shown above them.
BREAKDOWN_UNITS = (
    "incidents",
    "incidents",
    "incidents",
    "incidents",
    "holds · time held",
    "tried · % held",
)


def breakdowns(review: PupilReview) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each breakdown's heading, unit and rows, the largest first, zeros left out."""

    def counted(rows: Sequence[Any]) -> list[tuple[str, str]]:
        kept = sorted((r for r in rows if r.incidents), key=lambda r: -r.incidents)
        return [(r.label, str(r.incidents)) for r in kept]

    techniques = [
        (t.technique, f"{t.holds} · {short_duration(t.seconds) or '—'}") for t in review.techniques
    ]
    strategies = [(s.strategy, f"{s.tried} · {s.percent_held}%") for s in review.strategies]
    lists = (
        [(short_band(k), v) for k, v in counted(review.time_of_day)],
        counted(review.weekday),
        counted(review.location),
        counted(review.antecedents),
        techniques,
        strategies,
    )
    return [
        (h, unit, top(rows))
        for h, unit, rows in zip(BREAKDOWN_HEADINGS, BREAKDOWN_UNITS, lists, strict=True)
    ]
