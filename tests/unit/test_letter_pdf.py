"""The parent letter on A4, read back out of the PDF as a parent would read it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, time
from typing import Any

from pypdf import PdfReader

from incident_recorder.documents.letter_pdf import letter_file_name, render_letter
from incident_recorder.domain.letters import (
    Hold,
    LetterContent,
    LetterFacts,
    Letterhead,
    Recipient,
    build_letter,
    letter_recipients,
)
from incident_recorder.domain.model import Contact, SchoolDetails
from incident_recorder.infra.letter_resources import default_letter_template

SCHOOL = SchoolDetails(
    "Riverside Primary School",
    "Riverside Road\nLondon\nN1 7GU",
    "020 7946 0123",
    "office@riverside.example.sch.uk",
)
FACTS = LetterFacts(
    reference="2026-0042",
    incident_date=date(2026, 11, 17),
    place="Classroom",
    child="Zoë",
    child_full_name="Zoë Łukasiewicz",
    summary="During maths, Zoë became upset and ran towards the open fire door.",
    why_necessary="The door leads to the car park, where cars were moving.",
    start_time=time(10, 15),
    end_time=time(10, 19),
    holds=(Hold("an adult held your child's arm at the elbow and wrist to guide them", 120),),
    total_seconds=120,
    child_now="Zoë calmed down in the quiet room and went back to class.",
    contact_name="Siân Ní Bhriain",
    contact_role="Deputy Headteacher",
    contact_phone="020 7946 0123",
    signatory_name="Νίκος Παπαδόπουλος",
    signatory_role="Headteacher",
)
RECIPIENT = Recipient(
    addressee="Amara Okafor and Tomasz Nowak",
    salutation="Dear Amara Okafor and Tomasz Nowak",
    address_lines=("12 Elm Road", "Islington", "London", "N1 2AB"),
)


def letter(facts: LetterFacts = FACTS, recipient: Recipient = RECIPIENT) -> LetterContent:
    return build_letter(
        default_letter_template(),
        facts,
        Letterhead.from_school(SCHOOL),
        recipient,
        date(2026, 11, 17),
    )


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_short_letter_is_one_page_with_everything_in_order() -> None:
    pages = pages_text(render_letter(letter()))
    assert len(pages) == 1
    text = flat(pages[0])
    in_order = [
        "Riverside Primary School",
        "Riverside Road, London, N1 7GU",
        "Telephone 020 7946 0123",
        "office@riverside.example.sch.uk",
        "PRIVATE AND CONFIDENTIAL",
        "Amara Okafor and Tomasz Nowak 12 Elm Road Islington London N1 2AB",
        "17 November 2026",
        "Our reference: 2026-0042",
        "Dear Amara Okafor and Tomasz Nowak,",
        "Tuesday 17 November 2026, between 10:15 and 10:19",
        "Where: Classroom",
        FACTS.summary,
        FACTS.why_necessary,
        "An adult held your child's arm at the elbow and wrist to guide them (about 2 minutes).",
        "Zoë was not hurt.",
        FACTS.child_now,
        "Siân Ní Bhriain (Deputy Headteacher) on 020 7946 0123",
        "Our reference is 2026-0042.",
        "Yours sincerely,",
        "Νίκος Παπαδόπουλος Headteacher",
        "Page 1 of 1",
    ]
    positions = [text.find(part) for part in in_order]
    assert -1 not in positions, [p for p, at in zip(in_order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


def test_a_long_letter_flows_on_with_a_running_header_and_page_numbers() -> None:
    long_summary = "\n\n".join(
        f"Part {n}: Zoë left the classroom and went along the corridor towards the hall, "
        "where another class was having PE. Staff walked with her and spoke quietly." * 2
        for n in range(1, 16)
    )
    pages = pages_text(render_letter(letter(replace(FACTS, summary=long_summary))))
    assert len(pages) >= 2
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
    for page in pages[1:]:
        assert "Riverside Primary School" in page and "Reference 2026-0042" in page
        assert "PRIVATE AND CONFIDENTIAL" not in page  # the address is on page 1 only
    everything = flat(" ".join(pages))
    for n in range(1, 16):  # nothing lost between pages
        assert f"Part {n}: Zoë left the classroom" in everything
    # The signature block stays together at the end.
    assert "Yours sincerely," in pages[-1] and "Νίκος Παπαδόπουλος" in pages[-1]


def test_accented_and_greek_names_print_and_the_font_is_embedded() -> None:
    recipient = letter_recipients(
        [
            Contact(
                "Siân Ní Bhriain",
                parental_responsibility=True,
                receives_correspondence=True,
                address="Tŷ Gwyn, Heol y Bont, Caerdydd",
            )
        ]
    ).letters[0]
    pdf = render_letter(letter(recipient=recipient))
    text = flat(pages_text(pdf)[0])
    for name in ("Dear Siân Ní Bhriain,", "Tŷ Gwyn", "Zoë", "Νίκος Παπαδόπουλος"):
        assert name in text
    resources: Any = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    fonts = resources.get_object()["/Font"].get_object()
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    assert any("DejaVuSans" in n for n in names)


def test_what_the_writer_types_prints_as_typed() -> None:
    facts = replace(FACTS, summary="Zoë said <b>stop</b> & left; 5 > 3")
    assert "Zoë said <b>stop</b> & left; 5 > 3" in flat(pages_text(render_letter(letter(facts)))[0])


def test_the_childs_own_words_and_the_plan_review_are_printed_when_given() -> None:
    facts = replace(FACTS, child_account="I was cross about the game.", plan_review=True)
    text = flat(" ".join(pages_text(render_letter(letter(facts)))))
    assert "What Zoë told us" in text and "I was cross about the game." in text
    assert "look again at Zoë's behaviour support plan" in text


def test_a_logo_is_drawn_and_a_damaged_one_is_left_out() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 58, 95)).save(buffer, format="PNG")
    with_logo = replace(letter(), letterhead=Letterhead.from_school(SCHOOL, buffer.getvalue()))
    page = PdfReader(io.BytesIO(render_letter(with_logo))).pages[0]
    assert len(page.images) == 1
    damaged = replace(letter(), letterhead=Letterhead.from_school(SCHOOL, b"not a png"))
    assert "Riverside Primary School" in pages_text(render_letter(damaged))[0]


def test_the_file_name_has_the_reference_and_copy_but_no_name() -> None:
    assert letter_file_name("2026-0042", 2) == "parent-letter-2026-0042-2.pdf"
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", letter_file_name("../2026/0042 ", 1))


def test_reportlab_is_imported_only_when_a_letter_is_made() -> None:
    import subprocess
    import sys

    probe = "import sys, incident_recorder.documents.letter_pdf; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_names_the_font_cannot_print_are_warned_about_before_the_letter_goes() -> None:
    from incident_recorder.documents.fonts import unprintable_characters
    from incident_recorder.documents.letter_pdf import unprintable_warning, with_font_warning
    from incident_recorder.domain.letter_draft import LetterDraft

    # Latin with accents, Welsh, Irish, Greek and Cyrillic all print.
    assert unprintable_warning(letter()) == ""
    assert unprintable_characters("Zoë Łukasiewicz Siân Ní Bhriain Νίκος Дмитрий") == []
    # Chinese characters have no glyph; Arabic would print unjoined and backwards.
    assert unprintable_characters("李明", "محمد") == ["李", "明", "م", "ح", "د"]
    chinese = replace(RECIPIENT, addressee="李明", salutation="Dear 李明")
    warning = unprintable_warning(letter(recipient=chinese))
    assert "李 明" in warning and "Latin letters" in warning
    draft = LetterDraft(1, "2026-0042", (letter(recipient=chinese),), 0, ("Earlier warning",))
    assert with_font_warning(draft).warnings == ("Earlier warning", warning)
    plain = replace(draft, copies=(letter(),))
    assert with_font_warning(plain) == plain


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_a_letter_that_nearly_fits_is_set_on_one_page() -> None:
    """It used to run onto a second page for its last three lines: a letter that would
    spill over by a little is set a little closer, on one page, all of it there."""
    from incident_recorder.documents import letter_pdf

    sentence = "Zoë told us she felt worried about the fire alarm test that morning. "
    spilling = None
    for count in range(1, 30):
        facts = replace(FACTS, summary=sentence * count, support="Time with her key adult.")
        _pdf, pages = letter_pdf._render(letter(facts), compact=False)
        if pages == 2:
            spilling = facts
            break
    assert spilling is not None, "no letter ran onto a second page"
    made = render_letter(letter(spilling))
    assert _page_count(made) == 1
    text = flat(pages_text(made)[0])
    assert "Page 1 of 1" in text and "Yours sincerely," in text
    assert text.count("fire alarm test") == spilling.summary.count("fire alarm test")
    assert "Νίκος Παπαδόπουλος" in text


def test_a_very_long_summary_flows_across_pages_without_losing_a_word() -> None:
    words = [f"word{n:04d}" for n in range(1400)]  # about 10,000 characters
    facts = replace(FACTS, summary=" ".join(words) + " The end of the summary.")
    pdf = render_letter(letter(facts))
    pages = pages_text(pdf)
    assert len(pages) >= 3
    text = flat(" ".join(pages))
    found = re.findall(r"word\d{4}", text)
    assert found == words  # every word, once, in order: nothing clipped
    assert "The end of the summary." in text and "Yours sincerely," in flat(pages[-1])
    assert f"Page {len(pages)} of {len(pages)}" in flat(pages[-1])
