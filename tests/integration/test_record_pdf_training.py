"""The printed record shows the positive-handling training of each member of staff who
held the pupil, as it stood on the incident's date (the full record only; the parents'
copy leaves it out), read back with pdftotext. Everyone named here is fictional."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from incident_recorder.domain.model import NewPupil, Role, StaffInvolvement, StaffPart
from incident_recorder.domain.training import TrainingRecord
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.training import TrainingService
from tests.fakes import INCIDENT_DAY, RENDERER, complete_details, new_school, sign_in_as

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(done.stdout.split())


def test_the_full_record_prints_each_holders_training_on_the_day(tmp_path: Path) -> None:
    school = new_school()
    admin = TrainingService(school.admin)
    sam = school.store.staff.add("Sam Okafor", "Teaching assistant").id
    ana = school.store.staff.add("Ana Diaz").id
    ben = school.store.staff.add("Ben Ford").id
    wit = school.store.staff.add("Wendy Witness").id
    admin.add(TrainingRecord(sam, "Team-Teach", date(2026, 1, 12)))
    admin.add(TrainingRecord(ben, "Team-Teach", date(2024, 9, 3), date(2025, 9, 3)))
    pupil = school.store.pupils.add(NewPupil("Mia", "Jones", year_group="4")).id
    author = sign_in_as(school, "a.author", frozenset({Role.STAFF}), "Ann Author")
    incidents = IncidentService(author)
    details = complete_details(pupil, sam, INCIDENT_DAY)
    staff = (
        StaffInvolvement(sam, StaffPart.CARRIED_OUT),
        StaffInvolvement(ana, StaffPart.ASSISTED),
        StaffInvolvement(ben, StaffPart.ASSISTED),
        StaffInvolvement(wit, StaffPart.WITNESSED),
    )
    details = dataclasses.replace(details, who=dataclasses.replace(details.who, staff=staff))
    for code in ("staff_training_missing", "staff_training_expired"):
        details = details.with_explanation(code, "Explained for the test.")
    done = incidents.submit(incidents.new_draft(details).id, details)
    # Training recorded after the incident does not change what the record says.
    school.clock.advance(days=3)
    admin.add(TrainingRecord(ana, "Team-Teach", date(2026, 3, 12)))
    lead = sign_in_as(school, "l.lead", frozenset({Role.SAFEGUARDING_LEAD}))
    records = RecordDocumentService(lead, RENDERER)
    full = _text(RENDERER.record(records.build(done.id, for_parents=False)).data, tmp_path, "full")
    assert (
        "Positive-handling training of the staff who held the pupil (on "
        f"{INCIDENT_DAY:%d/%m/%Y})" in full
    )
    assert "Sam Okafor Team-Teach, trained 12/01/2026, valid until 12/01/2027" in full
    assert "Ana Diaz No positive-handling training recorded" in full
    assert "Ben Ford Team-Teach, trained 03/09/2024, expired on 03/09/2025" in full
    assert "Wendy Witness Team-Teach" not in full and "Wendy Witness No positive" not in full
    parents = _text(
        RENDERER.record(records.build(done.id, for_parents=True)).data, tmp_path, "parents"
    )
    assert "Positive-handling training" not in parents
    shots = Path("/tmp/shots-training")
    if shots.is_dir() and shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(tmp_path / "full.pdf"), str(shots / "record")],
            check=True,
        )
