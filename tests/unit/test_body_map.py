"""The body map's regions, words and rules (issue 13): named regions front and back with
the pupil's own left and right, the words a letter and the parents' copy use, the
findings before submit, and the figure's shapes (each region found where it is drawn)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from incident_recorder.domain.body_map import (
    MAX_MARKS,
    REGIONS,
    BodyView,
    InjuryKind,
    InjuryMark,
    mark_problems,
    marks_sentence,
    marks_words,
    region,
    region_label,
    regions_of,
)
from incident_recorder.domain.body_map_shapes import (
    HEIGHT,
    WIDTH,
    centre,
    label_point,
    region_at,
    shape,
)
from incident_recorder.domain.diff import changes
from incident_recorder.domain.model import IncidentDetails, Injuries, Pupil
from incident_recorder.domain.policy import PolicyContext, Severity, evaluate
from incident_recorder.domain.record_document import parents_copy_details
from incident_recorder.domain.record_sections import body_map_figures, body_map_rows
from tests.fakes import complete_details

G, B, R, C, OTHER = (
    InjuryKind.GRAZE,
    InjuryKind.BRUISE,
    InjuryKind.RED_MARK,
    InjuryKind.CUT,
    InjuryKind.OTHER,
)


@pytest.mark.parametrize(
    ("marks", "words"),
    [
        ([], ""),
        ([("front_right_elbow", G, "")], "a graze to the right elbow"),
        (
            [("front_left_upper_arm", B, ""), ("back_left_shoulder", R, "")],
            "a bruise to the left upper arm and a red mark to the back of the left shoulder",
        ),
        (
            [("front_face", C, "small"), ("front_right_wrist", R, ""), ("back_lower_back", B, "")],
            "a cut to the face, a red mark to the right wrist and a bruise to the lower back",
        ),
        (
            [("front_right_knee", OTHER, "some  swelling")],
            "an injury to the right knee (some swelling)",
        ),
        ([("back_head", G, "")], "a graze to the back of the head"),
        ([("back_right_calf", B, "")], "a bruise to the right calf"),
        ([("front_neck", R, "")], "a red mark to the front of the neck"),
        ([("no_such_place", G, "")], "a graze (the place on the body is not known)"),
    ],
)
def test_marks_in_words(marks: list[tuple[str, InjuryKind, str]], words: str) -> None:
    assert marks_words([InjuryMark(*m) for m in marks]) == words


def test_the_sentence_has_a_capital_and_a_full_stop() -> None:
    marks = [InjuryMark("front_right_elbow", G)]
    assert marks_sentence(marks) == "A graze to the right elbow."
    assert marks_sentence([]) == ""


def test_every_region_is_named_once_front_and_back_left_and_right() -> None:
    codes = [r.code for r in REGIONS]
    names = [(r.view, r.name) for r in REGIONS]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert len(regions_of(BodyView.FRONT)) == len(regions_of(BodyView.BACK)) == 26
    for r in REGIONS:
        if r.side:
            other = "left" if r.side == "right" else "right"
            assert r.side in r.name and region(r.code.replace(r.side, other)) is not None
    assert region_label("front_right_elbow") == "Right elbow (front)"
    assert region_label("back_left_shoulder") == "Back of the left shoulder (back)"


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([("front_chest", G, "")], []),
        ([("front_chest", None, "")], [(1, "Say what kind of injury mark 1 (chest) is.")]),
        (
            [("front_chest", G, ""), ("back_right_heel", OTHER, " ")],
            [(2, "Describe the injury marked 'other' at mark 2 (right heel).")],
        ),
        ([("back_right_heel", OTHER, "blister")], []),
        (
            [("front_chest", G, "x" * 201)],
            [(1, "Shorten the note of mark 1 (chest) to 200 characters or fewer.")],
        ),
        (
            [("elsewhere", G, "")],
            [(1, "Mark 1 is on a part of the body this version does not know.")],
        ),
    ],
)
def test_mark_problems(
    marks: list[tuple[str, InjuryKind | None, str]], expected: list[tuple[int, str]]
) -> None:
    assert mark_problems([InjuryMark(*m) for m in marks]) == expected


def test_too_many_marks_is_a_problem() -> None:
    marks = [InjuryMark(r.code, G) for r in REGIONS[: MAX_MARKS + 1]]
    assert mark_problems(marks)[0][0] == 0
    assert mark_problems(marks[:MAX_MARKS]) == []


def _with_marks(
    pupil: tuple[InjuryMark, ...] = (), staff: tuple[InjuryMark, ...] = ()
) -> IncidentDetails:
    d = complete_details(pupil_id=7, staff_id=3, day=date(2026, 3, 10))
    injuries = Injuries(
        pupil_injured=True,
        pupil_injury="Graze",
        staff_injured=True,
        staff_injury="Scratch",
        others_injured=False,
        first_aid="Plaster",
        first_aid_by="Ms Example",
        pupil_marks=pupil,
        staff_marks=staff,
    )
    return dataclasses.replace(d, injuries=injuries)


def _ctx() -> PolicyContext:
    pupil = Pupil(id=7, upn="B801200005001", first_name="Amara", last_name="Okafor")
    return PolicyContext(
        now_local=datetime(2026, 3, 10, 15, 0),
        recorded_on=date(2026, 3, 10),
        pupil=pupil,
        pupil_has_plan=None,
    )


def test_a_mark_without_a_kind_blocks_submit_on_its_own_field() -> None:
    d = _with_marks(
        pupil=(InjuryMark("front_right_elbow", None),),
        staff=(InjuryMark("front_left_hand", OTHER, ""),),
    )
    found = [f for f in evaluate(d, _ctx()) if f.field.endswith("_marks")]
    assert [(f.field, f.severity, f.message) for f in found] == [
        (
            "injuries.pupil_marks",
            Severity.BLOCKING,
            "Say what kind of injury mark 1 (right elbow) is.",
        ),
        (
            "injuries.staff_marks",
            Severity.BLOCKING,
            "Describe the injury marked 'other' at mark 1 (left hand).",
        ),
    ]
    fine = _with_marks(pupil=(InjuryMark("front_right_elbow", G),))
    assert not [f for f in evaluate(fine, _ctx()) if f.field.endswith("_marks")]


def test_the_parents_copy_has_the_pupils_marks_in_words_and_no_staff_marks() -> None:
    d = _with_marks(
        pupil=(InjuryMark("front_right_elbow", G),),
        staff=(InjuryMark("front_left_hand", C, "ring"),),
    )
    assert body_map_rows(d, parents=False) == [
        ("Where the pupil was hurt", "A graze to the right elbow."),
        ("Where staff were hurt", "A cut to the left hand."),
    ]
    cut = parents_copy_details(d, ())
    assert cut.injuries.staff_marks == () and cut.injuries.pupil_marks == d.injuries.pupil_marks
    assert body_map_rows(cut, parents=True) == [
        ("Where the pupil was hurt", "A graze to the right elbow.")
    ]
    assert body_map_figures(cut, parents=True) == ()
    figures = body_map_figures(d, parents=False)
    assert [f.title for f in figures] == [
        "Body map: injuries to the pupil",
        "Body map: injuries to staff",
    ]
    assert figures[1].table.rows == (("1", "Left hand (front)", "Cut", "ring"),)


def test_a_record_without_marks_has_no_body_map_rows() -> None:
    d = _with_marks()
    assert body_map_rows(d, parents=False) == [] and body_map_figures(d, parents=False) == ()


def test_an_amendment_adding_a_mark_is_listed_in_words() -> None:
    before = _with_marks()
    after = _with_marks(pupil=(InjuryMark("back_left_shoulder", R, "faint"),))
    found = [c for c in changes(before, after) if c.key == "injuries.pupil_marks"]
    assert [(c.label, c.before, c.after) for c in found] == [
        (
            "The pupil's injuries on the body map",
            "—",
            "1. Red mark: Back of the left shoulder (back) (faint)",
        )
    ]


@pytest.mark.parametrize("code", [r.code for r in REGIONS])
def test_each_region_is_found_where_it_is_drawn(code: str) -> None:
    view = region(code).view  # type: ignore[union-attr]
    assert region_at(view, centre(code)) == code
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in shape(code))
    # A limb's number sits beside it, outwards (its shading stays in sight), on the page.
    (x, y), (lx, ly) = centre(code), label_point(code)
    assert 0 < lx < WIDTH and ly == y
    if region(code).side:  # type: ignore[union-attr]
        assert region_at(view, (lx, ly)) != code and abs(lx - WIDTH / 2) > abs(x - WIDTH / 2)
    else:
        assert (lx, ly) == (x, y)


@pytest.mark.parametrize(
    ("view", "point", "expected"),
    [
        # The pupil's right is on the viewer's left in front, on the viewer's right behind.
        (BodyView.FRONT, (33.0, 157.0), "front_right_elbow"),
        (BodyView.FRONT, (127.0, 157.0), "front_left_elbow"),
        (BodyView.BACK, (127.0, 157.0), "back_right_elbow"),
        (BodyView.BACK, (80.0, 30.0), "back_head"),
        (BodyView.FRONT, (80.0, 30.0), "front_face"),
        (BodyView.FRONT, (3.0, 3.0), None),
        (BodyView.FRONT, (80.0, 250.0), None),  # between the legs
    ],
)
def test_region_at(view: BodyView, point: tuple[float, float], expected: str | None) -> None:
    assert region_at(view, point) == expected
