"""The parent-letter figure: the one place issue 5 plugs the real letter in.

While the letter is not yet wired to a service, :func:`letter_builder` times the
letter engine (template filling and ``documents/letter_pdf.py``) on the school's real
details; its floor (a bare reportlab one-page document) is still measured beside it.

To plug the letter in, make :func:`letter_builder` return a function that builds the
parent letter for one submitted record and returns the PDF bytes, through the same
service the app's "Parent letter" action calls. It runs in a fresh process, so its
first call pays for importing reportlab lazily, as the first letter in a session does;
everything before the returned function is called (signing in, choosing the record)
is not timed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from incident_recorder.services.session import Session

NOT_BUILT = "not built yet (issue 5)"


def letter_builder(data_dir: str, username: str, passphrase: str) -> Callable[[], bytes] | None:
    """A function that builds one parent letter as PDF bytes.

    Until the letter service is wired (issue 5), this times the letter ENGINE the
    service will call: the school's details come from the database and the facts from
    the newest record (reference, date, time, place) plus fixed fictional wording, then
    the default template is filled and laid out. Once ``ParentLetterService`` exists,
    return ``lambda: letters.letter_pdf(record.id)`` instead (see the module notes).
    """
    from datetime import date

    from incident_recorder.domain.letters import (
        Hold,
        LetterFacts,
        Letterhead,
        build_letter,
        everyday_words,
        letter_recipients,
    )
    from incident_recorder.domain.model import Contact, IncidentQuery
    from incident_recorder.infra.letter_resources import default_letter_template, technique_words
    from incident_recorder.services.incidents import IncidentService

    session = _sign_in(data_dir, username, passphrase)
    rows = IncidentService(session).search(IncidentQuery(limit=1)).rows
    record = rows[0] if rows else None
    school = session.settings().school
    template, words = default_letter_template(), technique_words()
    facts = LetterFacts(
        reference=(record.reference if record else None) or "2026-0001",
        incident_date=(record.occurred_on if record else None) or date(2026, 11, 17),
        start_time=record.start if record else None,
        place=(record.location if record else "") or "Classroom",
        child="Amara",
        child_full_name="Amara Okafor",
        summary="During maths, Amara became upset and ran towards the open fire door.",
        why_necessary="The door leads to the car park, where cars were moving.",
        holds=(Hold(everyday_words("Single elbow", words), 120),),
        total_seconds=120,
        child_now="Amara calmed down in the quiet room and went back to class.",
        contact_name="Siân Griffiths",
        contact_role="Deputy Headteacher",
        contact_phone=school.phone,
        signatory_name="Tomasz Nowak",
        signatory_role="Headteacher",
    )
    parents = [
        Contact(
            "Amara Okafor's parent", "Mother", True, "1 Imaginary Lane\nEX1 2AB", "", "", "", True
        )
    ]
    recipient = letter_recipients(parents).letters[0]

    def build() -> bytes:
        from incident_recorder.documents.letter_pdf import render_letter

        content = build_letter(
            template, facts, Letterhead.from_school(school), recipient, date.today()
        )
        return render_letter(content)

    return build


def _sign_in(data_dir: str, username: str, passphrase: str) -> Session:
    """A session on the benchmark's database (untimed: only the letter is measured)."""
    from incident_recorder.app import build_accounts

    return build_accounts(Path(data_dir)).sign_in(username, passphrase)
