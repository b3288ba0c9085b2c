"""The record as JSON: lossless both ways, forgiving of extra keys, plain about bad data."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time
from typing import Any

import pytest

from incident_recorder.domain.body_map import InjuryKind, InjuryMark
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import (
    ContactMethod,
    Debriefs,
    Deescalation,
    FloorPosition,
    FollowUp,
    FollowUpAction,
    HoldUse,
    IncidentDetails,
    Injuries,
    Intervention,
    InterventionKind,
    LawfulGround,
    Necessity,
    ParentsContact,
    ParentsStatus,
    Referral,
    StaffInvolvement,
    StaffPart,
    WhatHappened,
    WhenWhere,
    Who,
)
from incident_recorder.domain.serialise import (
    canonical_json,
    details_from_json,
    details_to_json,
    from_plain,
    to_plain,
)


def everything() -> IncidentDetails:
    """Every field of the record set to something other than its default."""
    return IncidentDetails(
        when_where=WhenWhere(date(2026, 3, 10), time(10, 5), time(10, 20), "Dining hall"),
        who=Who(
            pupil_id=12,
            staff=(
                StaffInvolvement(3, StaffPart.CARRIED_OUT),
                StaffInvolvement(4, StaffPart.WITNESSED),
            ),
            other_witnesses="Lunchtime supervisor",
            plan_version=2,
        ),
        what_happened=WhatHappened(
            antecedents="Queue for lunch",
            antecedent_types=("Unstructured time", "Conflict with a peer"),
            pupil_behaviour="Pushed Tomasz Nowak",
            account="12:10 … 12:20 ’",
        ),
        deescalation=Deescalation(("Offered choices",), "Humour", "It was sudden"),
        necessity=Necessity(
            frozenset({LawfulGround.PREVENT_INJURY, LawfulGround.REMOVE_DISRUPTIVE}),
            "Others were at risk",
            True,
        ),
        intervention=Intervention(
            kind=InterventionKind.RESTRAINT_WITHOUT_FORCE,
            holds=(HoldUse("Single elbow", 4 * 60), HoldUse("Seated wrap", 6 * 60)),
            staff_count=2,
            floor_position=True,
            floor_positions=frozenset({FloorPosition.PRONE, FloorPosition.GROUND}),
            floor_how="Slipped during the hold",
            floor_seconds=1 * 60,
            floor_release="Released at once",
            abc_never_restricted=False,
            abc_details="Brief pressure on the back",
        ),
        injuries=Injuries(
            pupil_injured=True,
            pupil_injury="Graze on knee",
            staff_injured=True,
            staff_injury="Scratch",
            others_injured=False,
            others_injury="(none)",
            first_aid="Cleaned",
            first_aid_by="Siân Griffiths",
            medical_attention="None needed",
            property_damage="Broken chair",
            pupil_marks=(
                InjuryMark("front_right_knee", InjuryKind.GRAZE, "carpet"),
                InjuryMark("back_left_calf", InjuryKind.OTHER, "swelling"),
            ),
            staff_marks=(InjuryMark("front_left_wrist", InjuryKind.RED_MARK, "scratch"),),
        ),
        debriefs=Debriefs(
            pupil_debriefed=True,
            pupil_debrief_at=datetime(2026, 3, 10, 14, 30),
            pupil_debrief_by="Key adult",
            pupil_voice="« I was scared »",
            pupil_not_debriefed_reason="n/a",
            staff_debrief="Held at 15:30",
            staff_support="Offered time out",
        ),
        parents=ParentsContact(
            status=ParentsStatus.WITHHELD,
            told_who="Father",
            told_how=ContactMethod.IN_PERSON,
            told_at=datetime(2026, 3, 10, 15, 45),
            told_by="Deputy head",
            not_yet_reason="Phone off",
            withheld_reason="Risk of significant harm",
            withheld_decided_by="Ms R Okafor, safeguarding lead",
            la_told_at=datetime(2026, 3, 10, 16, 0),
            la_told_who="MASH duty worker",
            summary_for_parents="Zoë was upset at lunch; an adult held her arm for a minute.",
        ),
        follow_up=FollowUp(
            pupil_support="Daily check-in",
            plan_review_needed=True,
            risk_assessment_review_needed=False,
            referrals=frozenset({Referral.SOCIAL_CARE, Referral.LADO}),
            actions=(FollowUpAction("Review the plan", "SENCO", date(2026, 3, 17)),),
            how_child_is_now="Calm and back in class",
        ),
        explanations=(("floor_position", "Slipped"), ("injury", "Told the DSL at 14:00")),
    )


def _defaults_left(value: Any, path: str) -> list[str]:
    """Fields (recursively) still holding their default value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        left = []
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            if f.default is not dataclasses.MISSING:
                default: Any = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            else:
                default = object()
            # False is a real answer here, but so is the default None: both count as set.
            if inner == default and not (inner is False and default is None):
                left.append(f"{path}.{f.name}")
            left += _defaults_left(inner, f"{path}.{f.name}")
        return left
    if isinstance(value, tuple):
        return [p for item in value for p in _defaults_left(item, path)]
    return []


def test_the_fully_populated_record_really_sets_every_field() -> None:
    assert _defaults_left(everything(), "details") == []


def test_round_trip_through_json_is_lossless() -> None:
    original = everything()
    text = details_to_json(original)
    assert details_from_json(text) == original
    assert details_to_json(details_from_json(text)) == text


def test_canonical_json_is_stable_and_keeps_accents_readable() -> None:
    text = canonical_json(everything())
    assert text == canonical_json(from_plain(IncidentDetails, json.loads(text)))
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert "Siân Griffiths" in text
    assert '": ' not in text and '", "' not in text


def test_plain_form_uses_words_and_iso_dates() -> None:
    plain = to_plain(everything())
    assert plain["when_where"] == {
        "date": "2026-03-10",
        "start": "10:05",
        "end": "10:20",
        "location": "Dining hall",
    }
    assert plain["intervention"]["kind"] == "restraint_without_force"
    assert plain["intervention"]["floor_positions"] == ["ground", "prone"]
    json.dumps(plain)  # JSON-compatible throughout


def test_unknown_keys_are_ignored_and_missing_keys_take_defaults() -> None:
    plain = to_plain(everything())
    plain["added_in_a_later_version"] = {"x": 1}
    plain["when_where"]["weather"] = "rain"
    del plain["follow_up"]
    read = from_plain(IncidentDetails, plain)
    assert read.when_where == everything().when_where
    assert read.follow_up == FollowUp()


@pytest.mark.parametrize(
    ("data", "names"),
    [
        ({"when_where": {"date": "31/02/2026"}}, "when_where.date"),
        ({"when_where": {"start": 905}}, "when_where.start"),
        ({"when_where": {"end": "25:00"}}, "when_where.end"),
        ({"when_where": []}, "when_where"),
        ({"who": {"pupil_id": "12"}}, "who.pupil_id"),
        ({"who": {"pupil_id": True}}, "who.pupil_id"),
        ({"who": {"staff": [{"staff_id": 3}]}}, "who.staff.part"),
        ({"who": {"staff": [{"staff_id": 3, "part": "cheered"}]}}, "who.staff.part"),
        ({"who": {"staff": [{"staff_id": 3, "part": ["led"]}]}}, "who.staff.part"),
        ({"necessity": {"grounds": "prevent_injury"}}, "necessity.grounds"),
        ({"necessity": {"grounds": ["to_win"]}}, "necessity.grounds"),
        ({"necessity": {"not_punishment_confirmed": "yes"}}, "necessity.not_punishment_confirmed"),
        ({"intervention": {"holds": [{"technique": "Wrap", "minutes": "ten"}]}}, "holds.minutes"),
        ({"parents": {"told_at": "yesterday"}}, "parents.told_at"),
        ({"explanations": [["injury"]]}, "explanations"),
    ],
)
def test_bad_data_is_refused_with_a_plain_message(data: dict[str, Any], names: str) -> None:
    with pytest.raises(BadImportFile) as caught:
        from_plain(IncidentDetails, data)
    message = str(caught.value)
    assert names in message
    for internal in ("__init__", "zip()", "positional", "isoformat", "Traceback", "<class"):
        assert internal not in message


def test_a_file_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BadImportFile, match="expected an object"):
        from_plain(IncidentDetails, ["not", "a", "record"])


def test_text_that_is_not_json_is_not_silently_accepted() -> None:
    with pytest.raises(ValueError):
        details_from_json("{not json")


def test_durations_saved_in_minutes_by_an_earlier_version_read_as_seconds() -> None:
    old = {
        "intervention": {
            "holds": [{"technique": "Wrap", "minutes": 3}, {"technique": "Guide", "minutes": None}],
            "floor_position": True,
            "floor_minutes": 1,
        }
    }
    details = from_plain(IncidentDetails, old)
    assert [(h.technique, h.seconds) for h in details.intervention.holds] == [
        ("Wrap", 180),
        ("Guide", None),
    ]
    assert details.intervention.floor_seconds == 60
    # Written back, it says seconds only; a value in seconds wins over an old one.
    plain = to_plain(details)["intervention"]
    assert plain["holds"][0] == {"technique": "Wrap", "seconds": 180}
    assert "floor_minutes" not in plain and plain["floor_seconds"] == 60
    both = {"intervention": {"holds": [{"technique": "Wrap", "minutes": 3, "seconds": 20}]}}
    assert from_plain(IncidentDetails, both).intervention.holds[0].seconds == 20


def test_an_old_duration_that_is_not_a_number_is_refused_by_name() -> None:
    with pytest.raises(BadImportFile, match="minutes"):
        from_plain(IncidentDetails, {"intervention": {"floor_minutes": "ten"}})


def test_body_map_marks_round_trip_and_read_by_name() -> None:
    plain = to_plain(everything())
    assert plain["injuries"]["pupil_marks"][0] == {
        "region": "front_right_knee",
        "kind": "graze",
        "note": "carpet",
    }
    assert from_plain(IncidentDetails, plain) == everything()


def test_a_record_saved_before_the_body_map_keeps_its_json_and_hash() -> None:
    # As every record saved before issue 13 was stored: no body map keys at all.
    before = to_plain(everything())
    for key in ("pupil_marks", "staff_marks"):
        del before["injuries"][key]
    stored = json.dumps(before, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    read = details_from_json(stored)
    assert read.injuries.pupil_marks == () and read.injuries.staff_marks == ()
    # Written again it is the very same text, so its SHA-256 (audit chain, sign-offs,
    # exports) still matches.
    assert details_to_json(read) == stored


def test_a_mark_of_an_unknown_kind_is_refused() -> None:
    plain = to_plain(everything())
    plain["injuries"]["pupil_marks"][0]["kind"] = "burn"
    with pytest.raises(BadImportFile, match="pupil_marks"):
        from_plain(IncidentDetails, plain)
