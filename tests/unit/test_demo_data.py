"""The demo's antecedent kinds and recorded plan reviews: from the school's default
list, consistent with the generated text, and reviews a SENCO could have recorded."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from incident_recorder.domain import generator_text as txt
from incident_recorder.domain.generator import GeneratedSchool, generate_school
from incident_recorder.domain.plan_reviews import ReviewOutcome, review_problems
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.demo import _demo_plans
from incident_recorder.services.demo_reviews import DemoReview, demo_reviews

START, END = date(2024, 9, 1), date(2026, 3, 9)


@pytest.fixture(scope="module")
def school() -> GeneratedSchool:
    return generate_school(2026, 300, 200, START, END)


@pytest.fixture(scope="module")
def reviews(school: GeneratedSchool) -> list[DemoReview]:
    return demo_reviews(school, _demo_plans(school), END)


def test_antecedent_kinds_come_from_the_default_list(school: GeneratedSchool) -> None:
    default = set(load_pick_lists().antecedents)
    assert len(txt.ANTECEDENT_TYPES) == len(txt.ANTECEDENTS)
    assert {k for kinds in txt.ANTECEDENT_TYPES for k in kinds} <= default
    ticked = Counter(len(r.details.what_happened.antecedent_types) for r in school.incidents)
    assert set(ticked) == {0, 1, 2}
    assert ticked[0] < ticked[1] + ticked[2]  # most records say what led up to them


def test_antecedent_kinds_match_what_the_recorder_wrote(school: GeneratedSchool) -> None:
    for record in school.incidents:
        what = record.details.what_happened
        if not what.antecedent_types:
            continue
        pupil = school.pupils[record.details.who.pupil_id or 0]
        name = pupil.preferred_name or pupil.first_name
        matching = [
            kinds
            for text, kinds in zip(txt.ANTECEDENTS, txt.ANTECEDENT_TYPES, strict=True)
            if text.format(name=name) == what.antecedents
        ]
        assert what.antecedent_types in matching


def test_the_pupils_with_revised_plans_have_one_or_two_reviews(
    school: GeneratedSchool, reviews: list[DemoReview]
) -> None:
    revised = {p.pupil_id for _, p in _demo_plans(school) if p.version == 2}
    per_pupil = Counter(r.review.pupil_id for r in reviews)
    assert set(per_pupil) == revised and revised
    assert set(per_pupil.values()) <= {1, 2}
    outcomes = [r.review.outcome for r in reviews]
    assert ReviewOutcome.PLAN_UPDATED in outcomes


def test_each_review_could_have_been_recorded_then(
    school: GeneratedSchool, reviews: list[DemoReview]
) -> None:
    senco = school.users[1].full_name
    for demo in reviews:
        review = demo.review
        assert review.held_on is not None and review.held_on <= END
        assert review_problems(review, END) == []
        assert f"{senco} (SENCO)" in review.participants
        assert any(p.startswith("Parent: ") for p in review.participants)
        assert demo.records
        for n in demo.records:
            record = school.incidents[n]
            assert record.details.who.pupil_id == review.pupil_id
            assert record.submitted_at is not None and record.submitted_at < demo.at
