"""The demo's contacts with parents (issue 5): nearly every record has the family told
and the letter sent; the two newest are still outstanding (one not told yet, one told
but no letter), so the "parents to tell" list and its badge have something to show.
Records where telling parents was withheld are left alone.

Issue 13, the written record supplied: most records with a letter have the copy of the
record supplied with it (posted with the letter, or handed over), so a newcomer sees
both: the three newest with a letter have no copy yet ("record not supplied"), and one
amended record has only its first version supplied ("version 2 is newer")."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.model import (
    ContactMethod,
    Incident,
    IncidentQuery,
    IncidentSort,
    ParentsStatus,
)
from incident_recorder.domain.parents_copy import CopyHow, CopySupply
from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
)
from incident_recorder.services.ports import Store
from incident_recorder.services.session import from_local

_DELIVERIES = (LetterDelivery.HANDED, LetterDelivery.HANDED, LetterDelivery.POSTED,
               LetterDelivery.EMAILED)  # fmt: skip


def demo_parent_contacts(store: Store, now_local: datetime, zone: str, seed: int) -> int:
    """Write the contacts; returns how many. ``now_local`` bounds every moment."""
    rng = random.Random(seed)
    page = store.incidents.search(
        IncidentQuery(limit=100_000, sort=IncidentSort.DATE, descending=False)
    )
    records = [store.incidents.get(s.id) for s in page.rows]
    records = [r for r in records if r.details.parents.status is not ParentsStatus.WITHHELD]
    not_told = next(
        (r for r in reversed(records) if r.details.parents.status is not ParentsStatus.TOLD), None
    )
    no_letter = next(
        (r for r in reversed(records) if r.details.parents.status is ParentsStatus.TOLD), None
    )
    written = 0
    with_letter: list[tuple[Incident, ParentContactEntry]] = []
    with store.transaction():
        for record in records:
            entries = _entries(store, record, rng, now_local)
            if record is not_told:
                entries = [e for e in entries if e.kind is ContactEntryKind.ATTEMPT][:1]
                entries = [_replace_outcome(e, AttemptOutcome.MESSAGE_LEFT) for e in entries]
            elif record is no_letter:
                entries = [e for e in entries if e.kind is ContactEntryKind.ATTEMPT]
            for entry in entries:
                recorded = from_local(entry.at + timedelta(minutes=rng.randint(2, 40)), zone)
                store.parent_contacts.add(entry, record.author_id, recorded)
                written += 1
                if entry.kind is ContactEntryKind.LETTER_SENT:
                    with_letter.append((record, entry))
        _demo_copies(store, with_letter, rng, now_local, zone)
    return written


def _demo_copies(
    store: Store,
    with_letter: list[tuple[Incident, ParentContactEntry]],
    rng: random.Random,
    now_local: datetime,
    zone: str,
) -> int:
    """The copies of the record supplied (see the module's note); returns how many."""
    keep = with_letter[:-3] if len(with_letter) > 3 else []
    amended = next((r for r, _ in reversed(keep) if r.version > 1), None)  # the newest
    written = 0
    for record, letter in keep:
        handed = rng.random() < 0.3
        at = letter.at + timedelta(days=1, hours=1) if handed else letter.at
        if at > now_local:
            at = letter.at
        supply = CopySupply(
            incident_id=record.id,
            version=1 if record is amended else record.version,
            at=at,
            how=CopyHow.HANDED if handed else CopyHow.POSTED,
            parent=letter.parent,
            by_whom=letter.by_whom,
            note="" if handed else "Enclosed with the letter.",
        )
        recorded = from_local(at + timedelta(minutes=rng.randint(2, 30)), zone)
        store.parents_copies.add(supply, record.author_id, recorded)
        written += 1
    return written


def _replace_outcome(entry: ParentContactEntry, outcome: AttemptOutcome) -> ParentContactEntry:
    return ParentContactEntry(
        entry.incident_id, entry.kind, entry.at, entry.method, entry.parent, outcome.value,
        entry.by_whom, "Left a message on the mobile asking them to ring the office.",
    )  # fmt: skip


def _entries(
    store: Store, record: Incident, rng: random.Random, now_local: datetime
) -> list[ParentContactEntry]:
    d = record.details
    day = d.when_where.date
    if day is None or d.who.pupil_id is None:
        return []
    try:
        contacts = store.pupils.get(d.who.pupil_id).contacts
    except NotFound:
        return []
    parent = contacts[0].name if contacts else "Parent or carer"
    try:
        by = store.users.get(record.author_id).full_name
    except NotFound:
        by = ""
    start = datetime.combine(day, d.when_where.end or d.when_where.start or time(12, 0))
    out: list[ParentContactEntry] = []
    p = d.parents
    if p.status is not ParentsStatus.TOLD:
        first = start + timedelta(minutes=rng.randint(20, 90))
        out.append(
            ParentContactEntry(
                record.id, ContactEntryKind.ATTEMPT, first, ContactMethod.PHONE.value, parent,
                AttemptOutcome.NO_ANSWER.value, by,
            )
        )  # fmt: skip
        told = datetime.combine(day + timedelta(days=1), time(8, rng.randint(30, 55)))
        out.append(
            ParentContactEntry(
                record.id, ContactEntryKind.ATTEMPT, told, ContactMethod.IN_PERSON.value,
                parent, AttemptOutcome.TOLD.value, by, "Spoke at the school gate.",
            )
        )  # fmt: skip
        letter_at = told + timedelta(minutes=5)
    else:
        told_at = p.told_at or start
        letter_at = max(told_at, datetime.combine(day, time(15, 15)))
    how = rng.choice(_DELIVERIES)
    out.append(
        ParentContactEntry(
            record.id, ContactEntryKind.LETTER_SENT, letter_at, how.value, parent, "", by
        )
    )
    if rng.random() < 0.15:
        out.append(
            ParentContactEntry(
                record.id, ContactEntryKind.REPLY, letter_at + timedelta(days=1, hours=1),
                ContactMethod.PHONE.value, parent, "", by,
                "Thanked us for letting them know; asked for a meeting with the class teacher.",
            )
        )  # fmt: skip
    return [e for e in out if e.at <= now_local]
