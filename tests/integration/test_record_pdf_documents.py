"""The printed record lists the letters and documents produced from it; the parents'
copy lists only the letters sent. A letter prints the school's logo. Everyone named
here is fictional."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import UTC, date, datetime
from typing import Any

from PIL import Image
from pypdf import PdfReader

from incident_recorder.documents.letter_pdf import render_letter
from incident_recorder.documents.record_pdf import render_record
from incident_recorder.domain.documents import DocumentKind, DocumentOutput, OutputHow
from incident_recorder.domain.letters import LetterFacts, Letterhead, Recipient, build_letter
from incident_recorder.domain.model import SchoolDetails
from incident_recorder.domain.record_document import RecordDocument, documents_section
from incident_recorder.infra.letter_resources import default_letter_template
from tests.integration.test_record_pdf import _doc


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def _output(kind: DocumentKind, how: OutputHow, **more: object) -> DocumentOutput:
    return DocumentOutput(
        incident_id=1,
        kind=kind,
        how=how,
        sha256=hashlib.sha256(f"{kind}{how}".encode()).hexdigest(),
        pages=1,
        at=datetime(2026, 11, 3, 9, 30, tzinfo=UTC),
        by_name="Siân Evans",
        **more,  # type: ignore[arg-type]
    )


OUTPUTS = (
    _output(
        DocumentKind.LETTER, OutputHow.PRINTED, recipient="Mrs Ewa Kowalska", template_version=3
    ),
    _output(DocumentKind.RECORD, OutputHow.SAVED),
)


def _with_outputs(for_parents: bool) -> RecordDocument:
    doc = _doc(for_parents)
    section = documents_section(OUTPUTS, for_parents, lambda m: m.replace(tzinfo=None))
    return dataclasses.replace(doc, later_sections=(section,))


def test_the_full_record_lists_the_letters_and_documents_produced() -> None:
    text = _text(render_record(_with_outputs(for_parents=False)))
    assert "Letters and documents produced" in text
    assert "03/11/2026 09:30" in text
    assert "printed by Siân Evans, to Mrs Ewa Kowalska" in text
    assert "letter wording version 3" in text
    assert "Full record: saved as a PDF" in text
    assert OUTPUTS[1].sha256[:12] in text


def test_the_parents_copy_lists_only_the_letters_and_still_hides_staff_only_notes() -> None:
    text = _text(render_record(_with_outputs(for_parents=True)))
    assert "Letters sent to parents and carers" in text
    assert "Mrs Ewa Kowalska" in text
    assert "Full record: saved" not in text
    assert "SECRET-ACCOUNT" not in text and "STAFF-DEBRIEF" not in text
    assert "Tomasz" not in text


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 58, 95)).save(out, "PNG")
    return out.getvalue()


def test_a_letter_prints_the_school_logo() -> None:
    school = SchoolDetails(name="Fictional Oak Primary School", address="1 Imaginary Lane")
    facts = LetterFacts(
        reference="2026-0042",
        incident_date=date(2026, 11, 2),
        place="the hall",
        child="Zoë",
        child_full_name="Zoë Łukasiewicz",
        summary="Zoë was upset in assembly.",
        why_necessary="Zoë was about to fall from the stage.",
        contact_name="Mr Gethin Evans",
        signatory_name="Ms Adaeze Mensah",
    )
    recipient = Recipient("Mrs Ewa Kowalska", "Dear Mrs Kowalska", ("2 Example Road",))

    def images(logo: bytes | None) -> int:
        content = build_letter(
            default_letter_template(),
            facts,
            Letterhead.from_school(school, logo),
            recipient,
            date(2026, 11, 3),
        )
        page = PdfReader(io.BytesIO(render_letter(content))).pages[0]
        resources: Any = page["/Resources"].get_object()
        xobjects: Any = resources.get("/XObject")
        found = [ref.get_object() for ref in xobjects.get_object().values()] if xobjects else []
        return sum(1 for x in found if x["/Subtype"] == "/Image")

    assert images(_png(600, 300)) == 1
    assert images(None) == 0
