"""The governors' report PDF, read back with pypdf: what a governor would read on each
page, "fewer than 5" where a count is small, the head's words however long, the inputs'
fingerprint on every page, and the same bytes every time. Everyone named here is
fictional."""

from __future__ import annotations

import dataclasses
import io
import time

from pypdf import PdfReader

from incident_recorder.documents.governors_pdf import (
    ACTIONS_PLANNED,
    ACTIONS_TAKEN,
    DRAFT,
    IMPACT,
    NOTHING_WRITTEN,
    TITLE,
    render_governors_report,
    render_governors_report_pages,
)
from incident_recorder.documents.oversight_layout import FLAGGED, HOW_TO_READ
from incident_recorder.documents.renderer import ReportlabRenderer
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.domain.oversight.published import Shown
from tests.integration.oversight_sample import (
    FINGERPRINT,
    LONG_IMPACT,
    SCHOOL,
    governors_document,
)


def pages_of(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_the_cover_says_what_the_report_is_for_whom_and_when() -> None:
    pages = pages_of(render_governors_report(governors_document()))
    cover = pages[0]
    for words in (
        SCHOOL,
        TITLE,
        "School year 2026 to 2027: 01/09/2026 to 31/08/2027",
        "14/09/2027 at 16:05 by Ms Harriet Fictional",
        "Report number 3",
        "This report names no pupil.",
    ):
        assert words in cover, words
    # The fingerprint in full on the cover (it may wrap), and at the foot of every page.
    assert f"Inputs fingerprint {FINGERPRINT}" in cover
    for number, page in enumerate(pages, start=1):
        assert f"Inputs fingerprint (SHA-256): {FINGERPRINT}" in page, number
        assert f"Page {number} of {len(pages)}" in page


def test_the_summary_compliance_and_how_to_read_it() -> None:
    text = " ".join(pages_of(render_governors_report(governors_document())))
    assert "From 01/09/2026 to 31/08/2027 there were 342 incidents of restrictive" in text
    assert "55 pupils had at least one incident, of 650 pupils on roll" in text
    assert "31 pupils had more than one incident." in text
    assert "In the same period last year there were 271 incidents." in text
    assert HOW_TO_READ in text
    for words in ("Risk ratio.", "The 95% interval.", "“Fewer than 5”.", "Rates per 100 pupils."):
        assert words in text
    # Compliance: count, of, percentage; a small count and its percentage hidden.
    assert "Recorded the same day 301 342 88%" in text
    assert "Only incidents from 1 April 2027, when the duty began" in text
    assert "No de-escalation recorded fewer than 5 342 not shown" in text
    assert "Staff whose training had expired 0 342 0%" in text


def test_every_chart_has_its_table_and_small_numbers_never_print() -> None:
    text = " ".join(pages_of(render_governors_report(governors_document())))
    assert "Incidents per week" in text and "Week of Incidents Last year" in text
    assert "Incidents per month" in text and "Month Incidents Last year" in text
    for heading in (
        "Kind of intervention",
        "Technique",
        "Location",
        "Time of day",
        "Day of the week",
        "What led up to it",
    ):
        assert text.count(heading) >= 2, heading  # the chart's title and its table's column
    assert "Reasonable force 210 180" in text
    assert "Before school fewer than 5 fewer than 5" in text
    assert "Sep 2026 0 fewer than 5" in text
    assert "term 03/09" in text and "term 05/01" in text and "term 19/04" in text
    assert "<5" in text  # the hatched bars' marks
    assert "One incident may count under more than one heading" in text
    assert "The chart shows the 14 largest; the table lists all." in text
    # The longest location's name is in the table in full.
    assert "outdoor education centre in the national park" in text
    # A count from 1 to 4 never prints as itself in the location table.
    assert "Field 1" not in text and "Art room 2" not in text


def test_disproportionality_with_the_ratio_the_reading_and_the_flag() -> None:
    text = " ".join(pages_of(render_governors_report(governors_document())))
    assert "Who it happens to" in text
    for characteristic in (
        "Special educational needs",
        "Ethnicity (major group)",
        "Sex",
        "Looked after",
        "Previously looked after",
        "Kinship care",
        "Child in need or child protection plan",
        "Free school meals",
        "English as an additional language",
        "Year group",
    ):
        assert characteristic in text, characteristic
    assert "EHCP 42 19 131 45.2 311.9 4.2 (95% CI 2.9 to 6.1) " + FLAGGED in text
    assert (
        "Pupils with an EHCP were 4.2 times as likely to have had an incident as other pupils"
        " (95% CI 2.9 to 6.1)." in text
    )
    assert "No ratio: fewer than 10 pupils of the group on roll" in text
    assert "SEN support 96 14 70 14.6 72.9 1.3 (95% CI 0.8 to 2.2) No" in text
    assert "Comparison group –" in text  # no ratio: nothing to flag
    assert "Mixed or multiple ethnic groups 40 fewer than 5 17 not shown not shown" in text


def test_the_heads_texts_flow_across_pages_and_nothing_is_lost() -> None:
    data, count = render_governors_report_pages(governors_document())
    pages = pages_of(data)
    assert count == len(pages)
    first = next(i for i, p in enumerate(pages) if "Paragraph 1: we spoke" in p)
    last = next(i for i, p in enumerate(pages) if "Paragraph 30: we spoke" in p)
    assert last - first >= 3  # about 5,800 words: several pages
    text = " ".join(pages[first:])
    for number in range(1, 31):
        assert f"Paragraph {number}: we spoke" in text
    assert IMPACT in pages[first]
    tail = pages[last]
    assert ACTIONS_TAKEN in text and ACTIONS_PLANNED in text
    assert "A quiet room opened beside the dining hall." in text
    assert "Review every hold longer than 10 minutes with the family within a week." in tail
    assert LONG_IMPACT.count("\n") == 29


def test_empty_texts_and_a_draft_say_so() -> None:
    doc = dataclasses.replace(governors_document(report_number=0), texts=GovernorsTexts())
    text = " ".join(pages_of(render_governors_report(doc)))
    assert DRAFT in text
    assert "report 3" not in text and "draft" in text
    assert text.count(NOTHING_WRITTEN) == 3


def test_the_same_report_gives_the_same_bytes_and_its_own_date() -> None:
    doc = governors_document()
    first = render_governors_report(doc)
    assert render_governors_report(doc) == first
    assert ReportlabRenderer().governors_report(doc) == first
    info = PdfReader(io.BytesIO(first)).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.strftime("%d/%m/%Y %H:%M") == "14/09/2027 16:05"
    assert info.title == TITLE
    # Another word in the head's text, or another moment: other bytes.
    changed = dataclasses.replace(
        doc, texts=dataclasses.replace(doc.texts, actions_planned="Something else.")
    )
    assert render_governors_report(changed) != first
    later = dataclasses.replace(doc, made_at=doc.made_at.replace(minute=6))
    assert render_governors_report(later) != first


def test_a_full_years_report_renders_well_under_three_seconds() -> None:
    doc = governors_document()
    render_governors_report(doc)  # fonts registered and reportlab imported once
    started = time.perf_counter()
    data, pages = render_governors_report_pages(doc)
    took = time.perf_counter() - started
    assert pages >= 12 and data.startswith(b"%PDF")
    assert took < 1.5, f"{took:.2f} s"


def test_a_figure_hidden_to_protect_another_is_said_to_be_not_shown() -> None:
    doc = governors_document()
    hidden = dataclasses.replace(
        doc.published,
        pupils_with_incident=Shown("not shown", hidden=True),
        repeated_pupils=Shown("fewer than 5", hidden=True),
    )
    text = " ".join(pages_of(render_governors_report(dataclasses.replace(doc, published=hidden))))
    assert (
        "The number of pupils who had at least one incident is not shown (so that a small "
        "number elsewhere cannot be worked out), of 650 pupils on roll" in text
    )
    assert "Fewer than 5 pupils had more than one incident." in text
    assert "Pupils with at least one incident not shown" in text  # the summary table


def test_how_to_read_it_gives_the_schools_own_smallest_group() -> None:
    from incident_recorder.domain.oversight.facts import SuppressionRules

    text = " ".join(pages_of(render_governors_report(governors_document())))
    assert "fewer than 10 pupils on roll or fewer than 5 with an incident" in text
    doc = governors_document()
    rules = SuppressionRules(min_on_roll=20, min_with_incident=3)
    doc = dataclasses.replace(doc, published=dataclasses.replace(doc.published, rules=rules))
    text = " ".join(pages_of(render_governors_report(doc)))
    assert "fewer than 20 pupils on roll or fewer than 3 with an incident" in text
