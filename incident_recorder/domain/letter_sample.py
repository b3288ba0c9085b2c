"""The sample letter the wording editor previews: the school's real letterhead, logo,
signatory and contact, with made-up facts about a made-up child ("Sam"), so an
administrator sees exactly how their wording prints without opening anyone's record."""

from __future__ import annotations

from datetime import date, time

from incident_recorder.domain.letters import (
    Hold,
    LetterContent,
    LetterFacts,
    Letterhead,
    Recipient,
    build_letter,
)
from incident_recorder.domain.model import InterventionKind, LetterSettings, SchoolDetails

SAMPLE_DATE = date(2026, 11, 17)
SAMPLE_REFERENCE = "2026-0000"
SAMPLE_RECIPIENT = Recipient(
    addressee="Mr and Mrs Sample",
    salutation="Dear Mr and Mrs Sample",
    address_lines=("1 Example Road", "Sampletown", "AB1 2CD"),
)


def sample_facts(school: SchoolDetails, letters: LetterSettings) -> LetterFacts:
    """Made-up facts for the preview (no real child), with the school's own people."""
    return LetterFacts(
        reference=SAMPLE_REFERENCE,
        incident_date=SAMPLE_DATE,
        place="the playground",
        child="Sam",
        child_full_name="Sam Sample",
        summary=(
            "At morning break Sam became very upset during a game and started to run "
            "towards the school gate, which was open for a delivery."
        ),
        why_necessary=(
            "Sam was about to run into the road. Talking to Sam and offering a quiet space "
            "did not help in time, so an adult held Sam's arm to keep Sam safe."
        ),
        start_time=time(10, 15),
        end_time=time(10, 19),
        holds=(Hold("an adult held Sam's arm and walked beside Sam", 150),),
        total_seconds=150,
        kind=InterventionKind.REASONABLE_FORCE,
        breathing_never_restricted=True,
        child_now="Sam calmed down quickly, had a drink and went back to class happily.",
        support="Sam's class teacher will check in with Sam each morning this week.",
        child_account="Sam told us the game felt unfair and Sam wanted to go home.",
        plan_review=True,
        contact_name=letters.contact_name or "the school office",
        contact_role=letters.contact_role,
        contact_phone=letters.contact_phone or school.phone,
        school_name=school.name,
        signatory_name=letters.signatory_name or "The headteacher",
        signatory_role=letters.signatory_role.label,
    )


def sample_letter(
    template: str, school: SchoolDetails, letters: LetterSettings, logo_png: bytes | None
) -> LetterContent:
    """The sample letter, ready to lay out; InvalidInput if the wording has problems."""
    return build_letter(
        template,
        sample_facts(school, letters),
        Letterhead.from_school(school, logo_png),
        SAMPLE_RECIPIENT,
        SAMPLE_DATE,
        template_version="preview",
    )
