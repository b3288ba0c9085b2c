"""The governors' report made the way the app makes it: a large fictional school's year
(about 1,500 named pupils, 5,000 incidents) through ``compute_report`` and
``publish``, then the PDF. No pupil's name reaches the paper, no count from 1 to 4
prints as itself, and it renders well inside the issue's 3 seconds."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import datetime

from pypdf import PdfReader

from incident_recorder.documents.governors_pdf import render_governors_report_pages
from incident_recorder.documents.trust_pdf import render_trust_report
from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.governors import GovernorsReportDocument, GovernorsTexts
from incident_recorder.domain.oversight.report_json import inputs_fingerprint
from incident_recorder.domain.oversight.suppression import publish
from tests.integration.oversight_inputs import SCHOOL, merged, names, school_year_inputs

MADE_AT = datetime(2027, 9, 14, 16, 5)


def _document() -> tuple[GovernorsReportDocument, float]:
    inputs = school_year_inputs()
    started = time.perf_counter()
    report = compute_report(inputs)
    published = publish(report)
    took = time.perf_counter() - started
    doc = GovernorsReportDocument(
        published=published,
        texts=GovernorsTexts("Impact.", "Taken.", "Planned."),
        made_by="Mr Fictional Head",
        made_at=MADE_AT,
        fingerprint=inputs_fingerprint(inputs),
        report_number=1,
    )
    return doc, took


def _text(data: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages
    )


def test_a_large_schools_year_names_no_pupil_and_renders_in_time() -> None:
    doc, figures_took = _document()
    render_governors_report_pages(doc)  # reportlab imported, fonts registered
    started = time.perf_counter()
    data, pages = render_governors_report_pages(doc)
    took = time.perf_counter() - started
    assert figures_took + took < 3.0, f"figures {figures_took:.2f} s, PDF {took:.2f} s"
    assert took < 1.5, f"{took:.2f} s"
    text = _text(data)
    assert SCHOOL in text and pages > 5
    assert f"Inputs fingerprint (SHA-256): {doc.fingerprint}" in text
    for name in names():
        for part in name.split():
            assert part not in text, part  # neither a first name nor a surname
    # Each hidden count of a breakdown prints as its published words, never the count.
    hidden = [
        (row.label, row.count.text)
        for pattern in doc.published.patterns
        for row in pattern.rows
        if row.count.hidden
    ]
    hidden += [(c.label, c.count.text) for c in doc.published.compliance if c.count.hidden]
    assert len(hidden) >= 2, "the fixture should have some small numbers"
    for label, shown in hidden:
        assert f"{label} {shown}" in text, label
    assert "Minibus fewer than 5" in text
    # Term starts marked on the charts (publish() passes them through).
    assert "term 03/09" in text and "term 05/01" in text and "term 19/04" in text


def test_the_same_figures_give_the_same_bytes() -> None:
    doc, _ = _document()
    again, _ = _document()
    assert render_governors_report_pages(doc)[0] == render_governors_report_pages(again)[0]


def test_a_trust_report_of_three_schools() -> None:
    schools = ["Fictional Alder School", "Fictional Beech School", "Fictional Cherry School"]
    parts = [school_year_inputs(600, 900, seed=n, school=name) for n, name in enumerate(schools, 1)]
    trust = compute_report(merged(parts, "Fictional Orchard Trust"))
    trust = replace(trust, schools=tuple(compute_report(p) for p in parts))
    published = publish(trust)
    started = time.perf_counter()
    data = render_trust_report(published, MADE_AT)
    assert time.perf_counter() - started < 3.0
    text = _text(data)
    assert "Fictional Orchard Trust" in text
    for name in schools:
        assert name in text
    for p in published.schools:
        assert f"{p.school} {p.incidents.text} {p.last_year_incidents.text}" in text
    for name in names():
        for part in name.split():
            assert part not in text, part
