"""The trust's report across schools, read back with pypdf: each school's figures
beside the trust's, small numbers as "fewer than 5" in each, the trust's charts and
disproportionality, and the same bytes every time. Every school here is fictional."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from incident_recorder.documents.renderer import ReportlabRenderer
from incident_recorder.documents.trust_pdf import (
    ALL_SCHOOLS,
    TITLE,
    render_trust_report,
    render_trust_report_pages,
)
from incident_recorder.domain.oversight.published import PublishedReport, Shown
from tests.integration.oversight_sample import MADE_AT, published

NAMES = (
    "Fictional Ash Primary School",
    "Fictional Birch Academy",
    "Fictional Cedar Junior School",
    "Fictional Damson Infant School",
)


def _trust() -> PublishedReport:
    schools = [published(name) for name in NAMES]
    # One school with a small number of incidents, shown as "fewer than 5".
    schools[3] = dataclasses.replace(
        schools[3],
        incidents=Shown("fewer than 5", True),
        pupils_with_incident=Shown("fewer than 5", True),
    )
    return dataclasses.replace(
        published("Fictional Orchard Learning Trust", 4), schools=tuple(schools)
    )


def pages_of(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_trust_report_shows_each_school_beside_the_whole() -> None:
    data, count = render_trust_report_pages(_trust(), MADE_AT)
    pages = pages_of(data)
    assert count == len(pages)
    text = " ".join(pages)
    assert TITLE in pages[0] and "Fictional Orchard Learning Trust" in pages[0]
    assert "Schools (4):" in pages[0]
    assert "14/09/2027 at 16:05" in pages[0]
    # The headline table: a row per school and the total.
    assert "Fictional Ash Primary School 342 271 55 31 650" in text
    assert "Fictional Damson Infant School fewer than 5 271 fewer than 5 31 650" in text
    assert f"{ALL_SCHOOLS} 1368 1084 220 124 2600" in text
    # Compliance side by side: three schools in the first table, the fourth in the next.
    assert "Recording and telling parents, school by school" in text
    assert text.count("Recorded the same day") >= 2
    assert "301 of 342" in text and "fewer than 5 of 342" in text
    assert "Incidents per month, school by school" in text
    # The trust's own charts and disproportionality.
    assert "Incidents per week" in text and "Location" in text
    assert "Who it happens to, across all schools" in text
    assert "4.2 (95% CI 2.9 to 6.1)" in text
    assert "This report names no pupil." in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_trust_report_is_the_same_bytes_each_time() -> None:
    trust = _trust()
    first = render_trust_report(trust, MADE_AT)
    assert render_trust_report(trust, MADE_AT) == first
    assert ReportlabRenderer().trust_report(trust, MADE_AT) == first


def test_a_trust_report_without_schools_still_prints_its_compliance() -> None:
    text = " ".join(pages_of(render_trust_report(published("Fictional Lone Trust"), MADE_AT)))
    assert "Schools (0): none" in text
    assert "Recorded the same day 301 342 88%" in text
