"""The one-page pupil summary for a review meeting: the text read back from the PDF with
pypdf, and the page count, with light and very heavy data. Everyone named here is
fictional."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from datetime import date, time, timedelta

from pypdf import PdfReader

from incident_recorder.documents.summary_chart import (
    MEETING,
    PLAN_START,
    last_twelve_months,
    marks,
)
from incident_recorder.documents.summary_pdf import render_summary
from incident_recorder.documents.summary_words import (
    BREAKDOWN_HEADINGS,
    CONFIDENTIAL,
    NO_INCIDENTS,
    NO_PLAN,
    NO_REVIEW,
    TITLE,
    clip,
    summary_file_name,
    top,
)
from incident_recorder.domain.model import (
    Deescalation,
    FloorPosition,
    HoldUse,
    IncidentDetails,
    Injuries,
    Intervention,
    Pupil,
    SchoolDetails,
    SenStatus,
    WhatHappened,
    WhenWhere,
)
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.review import (
    PupilSummary,
    ReviewIncident,
    pupil_review,
)

SCHOOL = SchoolDetails(name="Fictional Oak Primary School", address="1 Imaginary Lane")
TODAY = date(2026, 11, 23)
SIAN = Pupil(
    id=7,
    upn="A123456789012",
    first_name="Siân",
    last_name="Ní Bhriain",
    preferred_name="Sia",
    date_of_birth=date(2016, 4, 9),
    year_group="Year 5",
    class_name="Beech",
    sen_status=SenStatus.EHCP,
    primary_need="SEMH",
    previously_looked_after=True,
    eal=True,
    first_language="Irish",
)
ZOE = Pupil(id=8, upn="B123456789012", first_name="Zoë", last_name="Łukasiewicz")
PLAN = BehaviourPlan(
    pupil_id=7,
    version=2,
    approved_techniques=("Friendly hold (standing)", "Single elbow"),
    ruled_out_techniques=("Wrap (standing)",),
    medical_notes="Asthma: nothing that presses on the chest",
    written_by="Tomasz Nowak",
    start_date=date(2026, 9, 7),
    review_date=date(2026, 12, 4),
)
EARLIER = BehaviourPlan(pupil_id=7, version=1, start_date=date(2026, 3, 2))
REVIEW = PlanReviewRecord(
    pupil_id=7,
    held_on=date(2026, 9, 4),
    outcome=ReviewOutcome.PLAN_UPDATED,
    reason="Fewer holds since the calm space; added a now-and-next board.",
    participants=("Amara Okafor, SENCO", "Tomasz Nowak, class teacher"),
    parents_took_part=True,
    next_review=date(2026, 12, 4),
    plan_version=1,
)


def one(n: int, day: date, place: str, technique: str, minutes: int | None) -> ReviewIncident:
    details = IncidentDetails(
        when_where=WhenWhere(date=day, start=time(9 + n % 7, 10), location=place),
        what_happened=WhatHappened(antecedent_types=(f"Antecedent kind {n % 9}",)),
        deescalation=Deescalation(strategies=(f"Strategy number {n % 11}", "Calm voice")),
        intervention=Intervention(
            holds=(HoldUse(technique, minutes),),
            floor_position=n % 10 == 0,
            floor_positions=frozenset({FloorPosition.SUPINE}) if n % 10 == 0 else frozenset(),
        ),
        injuries=Injuries(pupil_injured=n % 13 == 0),
    )
    return ReviewIncident(n, f"2026-{n:04d}", details)


def summary(
    pupil: Pupil = SIAN,
    incidents: int = 6,
    plan: BehaviourPlan | None = PLAN,
    reviews: tuple[PlanReviewRecord, ...] = (REVIEW,),
    long_names: bool = False,
) -> PupilSummary:
    pad = " in the building beside the far playground by the old hall" if long_names else ""
    rows = [
        one(
            n,
            TODAY - timedelta(days=n % 400),
            f"Place {n % 37}{pad}",
            f"Technique {n % 14}{pad}",
            n % 6 or None,
        )
        for n in range(1, incidents + 1)
    ]
    plans = [EARLIER, PLAN] if plan else []
    considered = tuple(r.id for r in rows[: incidents - incidents // 3])
    linked = tuple(dataclasses.replace(r, incident_ids=considered) for r in reviews)
    review = pupil_review(rows, plans, linked)
    return PupilSummary(pupil, SCHOOL, plan, review, TODAY, "Amara Okafor")


def text_of(pdf: bytes) -> tuple[int, str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return len(pages), " ".join(" ".join(p.extract_text().split()) for p in pages)


def test_every_section_and_the_figures_are_printed_on_one_page() -> None:
    count, text = text_of(render_summary(summary()))
    assert count == 1
    for expected in (
        "Fictional Oak Primary School",
        TITLE,
        "Sia Ní Bhriain",
        "Name Siân Ní Bhriain",
        "Preferred name Sia",
        "Date of birth 09/04/2016",
        "Year 5, Beech",
        "EHCP (SEMH)",
        "Previously looked after",
        "Yes (Irish)",
        "Behaviour support plan",
        "2, from 07/09/2026",
        "Review date 04/12/2026",
        "Friendly hold (standing); Single elbow",
        "Wrap (standing)",
        "Asthma: nothing that presses on the chest",
        "Incidents in each of the last 12 months",
        "Last recorded review",
        "Held on 04/09/2026",
        "Plan updated",
        "Next review 04/12/2026",
        "Amara Okafor, SENCO; Tomasz Nowak, class teacher",
        "with parents or carers",
        "Printed 23/11/2026 by Amara Okafor",
        CONFIDENTIAL,
        *BREAKDOWN_HEADINGS,
    ):
        assert expected in text, expected
    assert "Calm voice 6 · 100%" in text  # tried six times, each then held


def test_hundreds_of_incidents_and_long_names_still_fit_on_one_page() -> None:
    heavy = summary(incidents=340, long_names=True)
    count, text = text_of(render_summary(heavy))
    assert count == 1
    assert "340" in text
    assert "and 32 more" in text  # 37 places: five shown
    assert "and 9 more" in text  # 14 techniques
    assert "…" in text  # long place and technique names are cut short
    assert "far playground by the old hall" not in text
    assert CONFIDENTIAL in text


def test_a_long_review_and_plan_are_cut_short_not_spilled_on_to_a_second_page() -> None:
    words = "The team agreed to keep the calm space and the now-and-next board. " * 40
    plan = BehaviourPlan(
        pupil_id=7,
        version=9,
        medical_notes=words,
        approved_techniques=tuple(f"Technique with a long name {n}" for n in range(40)),
        start_date=date(2026, 9, 7),
    )
    review = PlanReviewRecord(
        pupil_id=7,
        held_on=date(2026, 11, 2),
        outcome=ReviewOutcome.NO_CHANGE,
        reason=words,
        participants=tuple(f"Participant {n}, teaching assistant" for n in range(30)),
        next_review=date(2027, 2, 1),
    )
    count, text = text_of(render_summary(summary(incidents=300, plan=plan, reviews=(review,))))
    assert count == 1
    assert "No change to the plan" in text
    assert text.count("now-and-next board") < 10


def test_accented_names_are_read_back_as_typed() -> None:
    _, sian = text_of(render_summary(summary()))
    assert "Siân Ní Bhriain" in sian
    _, zoe = text_of(render_summary(summary(pupil=ZOE)))
    assert "Zoë Łukasiewicz" in zoe


def test_a_pupil_with_no_incidents_and_no_plan_gets_a_plain_page() -> None:
    count, text = text_of(render_summary(summary(pupil=ZOE, incidents=0, plan=None, reviews=())))
    assert count == 1
    for expected in (NO_PLAN, NO_INCIDENTS, NO_REVIEW, "Date of birth not recorded"):
        assert expected in text
    assert "Time of day" not in text


def test_the_proposed_file_name_has_the_date_but_no_name() -> None:
    assert summary_file_name(summary()) == "pupil-summary-2026-11-23.pdf"


def test_lists_are_capped_and_long_text_is_cut_with_an_ellipsis() -> None:
    rows = [(f"Place {n}", str(n)) for n in range(8)]
    assert top(rows) == [*rows[:5], ("and 3 more", "")]
    assert top(rows[:5]) == rows[:5]
    assert clip("Calm  voice", 20) == "Calm voice"
    assert clip("A very long place name indeed", 10) == "A very lo…"


def test_the_chart_covers_the_twelve_months_to_the_printing_day_and_marks_plan_dates() -> None:
    review = summary(incidents=40).review
    bars = last_twelve_months(review.months, TODAY)
    assert [(b.year, b.month) for b in (bars[0], bars[-1])] == [(2025, 12), (2026, 11)]
    assert sum(b.incidents for b in bars) == sum(
        p.incidents for p in review.months if p.start >= date(2025, 12, 1)
    )
    found = marks(bars, review.markers, [date(2026, 9, 4), date(2024, 1, 1)])
    assert [(m.kind, m.text) for m in found] == [
        (PLAN_START, "v1"),
        (MEETING, ""),
        (PLAN_START, "v2"),
    ]  # the plan's review date (04/12/2026) and the 2024 meeting are outside the chart


def test_reportlab_is_imported_only_when_a_summary_is_made() -> None:
    probe = "import sys, incident_recorder.documents.summary_pdf; print('reportlab' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
