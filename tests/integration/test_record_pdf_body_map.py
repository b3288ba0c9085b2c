"""The body map in the printed record: the full record prints the front and back figures
with the marked regions numbered and a table beside them; the parents' copy describes the
pupil's injuries in words and leaves out the staff's; a record without marks prints
exactly as it always did. Read back with pdftotext; rendered with pdftoppm to look at.
Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from incident_recorder.documents.record_pdf import render_record
from incident_recorder.domain.body_map import InjuryKind, InjuryMark
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentVersion,
    Injuries,
    Pupil,
    SchoolDetails,
    WhenWhere,
    Who,
)
from incident_recorder.domain.record_document import (
    RecordDocument,
    names_to_hide,
    parents_copy_version,
)

SCHOOL = SchoolDetails(name="Fictional Birch Academy", address="2 Nowhere Road")
ALEX = Pupil(id=1, upn="C123456789012", first_name="Alex", last_name="Fairweather")
PLAIN = IncidentDetails(
    when_where=WhenWhere(date(2026, 11, 2), time(10, 5), time(10, 20), "Library"),
    who=Who(pupil_id=1),
    injuries=Injuries(
        pupil_injured=True,
        pupil_injury="Grazed elbow on the carpet.",
        staff_injured=True,
        staff_injury="STAFF-INJURY scratch",
        others_injured=False,
        first_aid="Cleaned and a plaster.",
        first_aid_by="Ms Imaginary",
    ),
)
MARKED = dataclasses.replace(
    PLAIN,
    injuries=dataclasses.replace(
        PLAIN.injuries,
        pupil_marks=(
            InjuryMark("front_right_elbow", InjuryKind.GRAZE, "carpet burn"),
            InjuryMark("back_left_shoulder", InjuryKind.RED_MARK),
        ),
        staff_marks=(InjuryMark("front_left_hand", InjuryKind.CUT, "STAFFNOTE"),),
    ),
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


def _doc(details: IncidentDetails, for_parents: bool = False) -> RecordDocument:
    saved = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
    version = IncidentVersion(1, details, saved, 9, "Siân Evans", "", "0" * 64)
    if for_parents:
        version = parents_copy_version(version, names_to_hide([ALEX], ALEX))
    return RecordDocument(
        school=SCHOOL,
        pupil=ALEX,
        reference="2026-0013",
        versions=(version,),
        staff_names={},
        printed_on=datetime(2026, 11, 23, 9, 30),
        printed_by="Siân Evans",
        for_parents=for_parents,
    )


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())  # lines wrap where the page is narrow


@needs_poppler
def test_full_record_prints_the_figure_numbered_with_its_table(tmp_path: Path) -> None:
    pdf = render_record(_doc(MARKED))
    text = _text(pdf, tmp_path, "full")
    assert "Body map: injuries to the pupil" in text
    assert "Body map: injuries to staff" in text
    assert "their right is on your left" in text and "their right is on your right" in text
    assert "Where the pupil was hurt" in text
    assert "A graze to the right elbow and a red mark to the back of the left shoulder." in text
    assert "Right elbow (front)" in text and "Back of the left shoulder (back)" in text
    assert "carpet burn" in text and "STAFFNOTE" in text
    # Rendered for the lead to look at: the page with the figure.
    (tmp_path / "full.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "full.pdf"), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)
    shots = Path("/work/notes/shots")
    if shots.is_dir():
        for n, page in enumerate(pages, start=1):
            shutil.copy(page, shots / f"13-bodymap-printed-page{n}.png")


@needs_poppler
def test_parents_copy_has_the_words_not_the_staff_marks(tmp_path: Path) -> None:
    pdf = render_record(_doc(MARKED, for_parents=True))
    text = _text(pdf, tmp_path, "parents")
    assert "A graze to the right elbow and a red mark to the back of the left shoulder." in text
    assert "STAFFNOTE" not in text and "Where staff were hurt" not in text
    assert "Body map:" not in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "2",
            "-l",
            "2",
            str(tmp_path / "parents.pdf"),
            str(tmp_path / "parents"),
        ],
        check=True,
    )
    shots = Path("/work/notes/shots")
    if shots.is_dir():
        for page in tmp_path.glob("parents-*.png"):
            shutil.copy(page, shots / "13-bodymap-parents-copy-page2.png")


def test_a_record_without_marks_prints_exactly_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same record with the body map fields absent from its stored JSON altogether
    # (as every record saved before issue 13) and present but empty: identical PDFs,
    # and nothing about a body map on them.
    from reportlab import rl_config

    from incident_recorder.domain.serialise import details_from_json, details_to_json

    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation time or random id
    stored = details_to_json(PLAIN)
    assert "marks" not in stored
    old = details_from_json(stored)
    assert old == PLAIN
    assert render_record(_doc(old)) == render_record(_doc(PLAIN))
    assert render_record(_doc(PLAIN)) != render_record(_doc(MARKED))
