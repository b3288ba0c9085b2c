"""The printable behaviour support plan: the text read back from the PDF with pypdf.
Everyone named here is fictional."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from incident_recorder.documents.plan_pdf import (
    NOTHING,
    SECTION_HEADINGS,
    plan_file_name,
    render_plan,
)
from incident_recorder.domain.model import NewPupil, Pupil, Role, SchoolDetails
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.services.plans import PlanService
from tests.fakes import RENDERER, new_school, sign_in_as

SCHOOL = SchoolDetails(name="Fictional Oak Primary School", address="1 Imaginary Lane")
ZOE = Pupil(
    id=7,
    upn="A123456789012",
    first_name="Zoë",
    last_name="Łukasiewicz",
    year_group="Year 5",
    class_name="Beech",
)
PLAN = BehaviourPlan(
    pupil_id=7,
    version=3,
    triggers="Sudden loud noises such as the fire bell",
    early_warning_signs="Hums and covers her ears",
    helpful_strategies=("Offered a break or the calm space", "Calm, low voice"),
    helpful_other="A job to do often helps her reset",
    to_avoid="Standing close behind her",
    approved_techniques=("Friendly hold (standing)",),
    medical_notes="Asthma: nothing that presses on the chest",
    ruled_out_techniques=("Wrap (standing)",),
    communication_needs="Short sentences; a now-and-next board",
    written_by="Siân Griffiths",
    pupil_contributed=True,
    parents_contributed=False,
    start_date=date(2026, 1, 5),
    review_date=date(2026, 7, 5),
)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_section_and_the_plans_details_are_printed() -> None:
    text = flat(" ".join(pages_text(render_plan(PLAN, ZOE, SCHOOL, date(2026, 3, 20)))))
    assert "Fictional Oak Primary School" in text
    for heading in SECTION_HEADINGS:
        assert heading in text
    for expected in (
        "Sudden loud noises such as the fire bell",
        "Hums and covers her ears",
        "Offered a break or the calm space",
        "A job to do often helps her reset",
        "Standing close behind her",
        "Friendly hold (standing)",
        "Asthma: nothing that presses on the chest",
        "Wrap (standing)",
        "Short sentences; a now-and-next board",
        "Year 5, Beech",
        "Plan version 3",
        "Start date 05/01/2026",
        "Review date 05/07/2026",
        "Written by Siân Griffiths",
        "The pupil contributed Yes",
        "Parents or carers contributed No",
        "Printed 20/03/2026",
    ):
        assert expected in text
    assert NOTHING not in text


def test_accented_names_round_trip() -> None:
    text = " ".join(pages_text(render_plan(PLAN, ZOE, SCHOOL)))
    assert "Zoë Łukasiewicz" in text
    assert "Siân Griffiths" in text


def test_an_empty_section_says_nothing_was_recorded() -> None:
    bare = BehaviourPlan(pupil_id=7, version=1, written_by="Siân Griffiths")
    text = flat(" ".join(pages_text(render_plan(bare, ZOE, SCHOOL))))
    assert text.count(NOTHING) == len(SECTION_HEADINGS)
    assert "Start date not set" in text


def test_a_long_plan_flows_on_to_numbered_pages() -> None:
    long = "When the fire bell rings she needs time and space to settle. " * 120
    plan = BehaviourPlan(
        pupil_id=7, version=2, triggers=long, to_avoid=long, written_by="Tomasz Nowak"
    )
    pages = pages_text(render_plan(plan, ZOE, SCHOOL))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    endings = sum(len(re.findall(r"settle\.", t)) for t in pages)
    assert endings == 240  # none of the text is lost at a page break


def test_text_that_looks_like_markup_prints_as_typed() -> None:
    plan = BehaviourPlan(pupil_id=7, version=1, triggers="Being told <no> & sent out")
    assert "Being told <no> & sent out" in " ".join(pages_text(render_plan(plan, ZOE, SCHOOL)))


def test_the_proposed_file_name_has_the_version_but_no_name() -> None:
    assert plan_file_name(PLAN) == "behaviour-plan-v3.pdf"


def test_reportlab_is_imported_only_when_a_document_is_made() -> None:
    import subprocess
    import sys

    probe = "import sys, incident_recorder.documents.plan_pdf; print('reportlab' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- the audit


def test_saving_a_pdf_is_audited_with_the_plan_version_and_no_name() -> None:
    school = new_school()
    pupil = DirectoryService(school.admin).quick_add_pupil(NewPupil("Zoë", "Łukasiewicz"))
    senco = sign_in_as(school, "p.shah", frozenset({Role.SENCO, Role.STAFF}), "Priya Shah")
    PlanService(senco, RENDERER).plan_printed(pupil.id, 3, "saved as PDF")
    data = school.stores.data
    assert data is not None
    entry = data.audit[-1]
    assert entry.action == "plan_print"
    assert entry.detail == f"pupil {pupil.id} plan version 3, saved as PDF"
    assert "Zoë" not in entry.detail
