"""What changed between two versions of a record, in words a reader understands."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from typing import Any

from incident_recorder.domain.diff import changes, field_label, flatten, section_title
from incident_recorder.domain.model import HoldUse, InterventionKind, StaffInvolvement, StaffPart
from tests.fakes import complete_details

BEFORE = complete_details(pupil_id=1, staff_id=2, day=date(2026, 3, 10))


def test_identical_versions_have_no_changes() -> None:
    assert changes(BEFORE, BEFORE) == []


def test_a_changed_text_field_names_its_step_and_shows_both_values() -> None:
    after = dataclasses.replace(
        BEFORE, when_where=dataclasses.replace(BEFORE.when_where, location="Corridor")
    )
    (change,) = changes(BEFORE, after)
    assert change.key == "when_where.location"
    assert change.section == "When and where"
    assert change.label == "Location"
    assert (change.before, change.after) == ("Classroom", "Corridor")


def test_changes_come_in_form_order() -> None:
    after = dataclasses.replace(
        BEFORE,
        follow_up=dataclasses.replace(BEFORE.follow_up, plan_review_needed=True),
        when_where=dataclasses.replace(BEFORE.when_where, end=time(10, 25)),
        intervention=dataclasses.replace(
            BEFORE.intervention, kind=InterventionKind.SECLUSION, holds=()
        ),
    )
    found = changes(BEFORE, after)
    assert [c.key for c in found] == [
        "when_where.end",
        "intervention.kind",
        "intervention.holds",
        "follow_up.plan_review_needed",
    ]
    review = found[-1]
    assert review.label == "Behaviour support plan review needed"
    assert (review.before, review.after) == ("No", "Yes")
    assert found[0].label == "End time" and found[0].after == "10:25"


def test_empty_values_read_as_a_dash_and_lists_as_text() -> None:
    after = dataclasses.replace(
        BEFORE,
        intervention=dataclasses.replace(
            BEFORE.intervention, holds=(HoldUse("Seated wrap", 4 * 60),)
        ),
        what_happened=dataclasses.replace(BEFORE.what_happened, antecedents=""),
    )
    by_key = {c.key: c for c in changes(BEFORE, after)}
    assert by_key["what_happened.antecedents"].after == "—"
    assert by_key["intervention.holds"].after == "Seated wrap, 4 minutes"
    assert "Friendly hold (standing)" in by_key["intervention.holds"].before


def test_describe_turns_ids_into_names() -> None:
    after = dataclasses.replace(
        BEFORE,
        who=dataclasses.replace(
            BEFORE.who,
            pupil_id=9,
            staff=(StaffInvolvement(2, StaffPart.ASSISTED),),
        ),
    )
    names = {1: "Amara Okafor", 9: "Tomasz Nowak"}

    def describe(key: str, value: Any) -> str | None:
        return names.get(value) if key == "who.pupil_id" else None

    by_key = {c.key: c for c in changes(BEFORE, after, describe)}
    assert (by_key["who.pupil_id"].before, by_key["who.pupil_id"].after) == (
        "Amara Okafor",
        "Tomasz Nowak",
    )
    assert by_key["who.pupil_id"].label == "Pupil"
    assert "assisted" in by_key["who.staff"].after  # no describer: falls back to text


def test_an_added_explanation_shows_as_a_change() -> None:
    after = BEFORE.with_explanation("injury", "Told the safeguarding lead at 14:00")
    (change,) = changes(BEFORE, after)
    assert change.section == "Explanations"
    assert "Told the safeguarding lead" in change.after


def test_labels_and_titles_for_unlisted_fields_are_readable() -> None:
    assert field_label("injuries.property_damage") == "Property damage"
    assert section_title("parents.told_by") == "Parents or carers"
    assert "intervention.floor_seconds" in flatten(BEFORE)
