"""The incident list's Status column says whether a record was amended and signed off."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from incident_recorder.domain.model import IncidentStatus, IncidentSummary
from incident_recorder.ui.models.incident_columns import status_text

ROW = IncidentSummary(
    id=1,
    reference="2026-0001",
    status=IncidentStatus.SUBMITTED,
    occurred_on=None,
    start=None,
    pupil_id=None,
    pupil_name="",
    location="",
    author_id=1,
    author_name="",
    injury=False,
    floor_position=False,
    version=1,
    updated_at=datetime(2026, 11, 20, tzinfo=UTC),
)


def test_the_status_says_amended_and_signed_off() -> None:
    assert status_text(ROW) == "Submitted"
    assert status_text(dataclasses.replace(ROW, signed_off=True)) == "Submitted, signed off"
    amended = dataclasses.replace(ROW, version=2, signed_off=True)
    assert status_text(amended) == "Submitted, amended, signed off"
    draft = dataclasses.replace(ROW, status=IncidentStatus.DRAFT, reference=None, version=0)
    assert status_text(draft) == "Draft"
