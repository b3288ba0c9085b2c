"""Filling the benchmark database fast: the generator's school as bulk inserts.

What goes in is what the app would have written had the school recorded every record
through it: each record created, submitted and amended at its generated moment, in time
order, so references run in submission order within each year and the audit chain reads
as a school's would. The rows are built with the store's own helpers (list columns,
references, fingerprints, audit hashes) and written with ``executemany`` on the store's
connection inside one transaction.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from incident_recorder.domain.generator import GeneratedIncident, GeneratedSchool, with_ids
from incident_recorder.domain.model import IncidentDetails, ParentsStatus
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.services.session import from_local
from incident_recorder.store._values import sha256_text, utc_text
from incident_recorder.store.audit import GENESIS_HASH, entry_hash
from incident_recorder.store.database import SqlStore
from incident_recorder.store.incidents import reference_for
from incident_recorder.store.list_columns import LIST_COLUMNS, list_columns

_CHUNK = 5000
_AUDIT_COLUMNS = (
    "seq, at, actor_id, action, incident_id, detail, record_sha256, prev_hash, entry_hash"
)
_INCIDENT_COLUMNS = (
    "id, event_id, status, reference, author_id, created_at, updated_at, submitted_at, "
    "draft_json, version, " + ", ".join(LIST_COLUMNS)
)
# The newest submitted records left without a letter, so the "parents to tell" list holds
# a handful, as in a school that keeps up (issue 5).
OUTSTANDING = 5


# An audit entry: (at, action, actor, record, detail, fingerprint of the version)
_Entry = tuple[str, str, int, int | None, str, str | None]


@dataclass(slots=True)
class _Record:
    generated: GeneratedIncident
    id: int = 0
    event_id: int = 0
    reference: str | None = None
    # (details, saved_at UTC text, saved_by user id, reason) per version
    versions: list[tuple[IncidentDetails, str, int, str]] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    submitted_at: str | None = None


def chosen_records(school: GeneratedSchool, submitted: int, drafts: int) -> list[GeneratedIncident]:
    """The first ``submitted`` submitted records and the latest ``drafts`` drafts."""
    done = [r for r in school.incidents if not r.is_draft]
    done.sort(key=lambda r: (r.submitted_at, r.created_at))
    open_drafts = [r for r in school.incidents if r.is_draft][-drafts:] if drafts else []
    kept = done[:submitted] + open_drafts
    kept.sort(key=lambda r: r.created_at)
    return kept


def fill(
    store: SqlStore,
    school: GeneratedSchool,
    head_id: int,
    head_staff: int | None,
    submitted: int,
    drafts: int,
    zone: str,
    rng: random.Random,
    log: Any = print,
) -> dict[str, int]:
    """Everyone and every record in one transaction; returns what was written."""
    db = store.connection

    def utc(wall_clock: datetime) -> str:
        return utc_text(from_local(wall_clock, zone))

    # A bulk load of a fresh file: a rollback journal holds almost nothing, where WAL
    # would write every page twice. The app's WAL mode is put back afterwards.
    db.execute("PRAGMA journal_mode = DELETE")
    with store.transaction():
        staff_ids = [head_staff if head_staff is not None else store.staff.add("Head").id]
        staff_ids += [store.staff.add(s.full_name, s.job_title).id for s in school.staff[1:]]
        user_ids = [head_id]
        user_ids += [
            store.users.add(u.username, u.full_name, u.roles, staff_ids[u.staff_index]).id
            for u in school.users[1:]
        ]
        pupil_ids = [store.pupils.add(p).id for p in school.pupils]
        log(f"  {len(pupil_ids):,} pupils, {len(staff_ids):,} staff, {len(user_ids)} accounts")

        records = [_Record(r) for r in chosen_records(school, submitted, drafts)]
        audit = _history(records, user_ids, pupil_ids, staff_ids, utc, rng)
        db.executemany(
            "INSERT INTO events (id, created_at, created_by) VALUES (?, ?, ?)",
            _events(records, user_ids),
        )
        db.executemany(
            f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) "
            f"VALUES ({_marks(10 + len(LIST_COLUMNS))})",
            [_incident_row(r, user_ids) for r in records],
        )
        db.executemany(
            "INSERT INTO incident_staff (incident_id, staff_id) VALUES (?, ?)",
            [
                (r.id, s)
                for r in records
                for s in sorted({i.staff_id for i in r.versions[-1][0].who.staff})
            ],
        )
        contacts = _parent_contact_rows(records, user_ids)
        db.executemany(
            "INSERT INTO parent_contacts (incident_id, kind, at, parent, method, outcome, "
            "by_whom, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contacts,
        )
        version_count = 0
        for rows in _chunks(_version_rows(records)):
            db.executemany(
                "INSERT INTO incident_versions (incident_id, number, details_json, saved_at, "
                "saved_by, reason, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            version_count += len(rows)
        years: dict[int, int] = {}
        for r in records:
            if r.reference is not None:
                year, number = (int(part) for part in r.reference.split("-"))
                years[year] = max(years.get(year, 0), number)
        db.executemany(
            "INSERT INTO reference_counters (year, last_number) VALUES (?, ?)",
            sorted(years.items()),
        )
        audit_count = _append_audit(store, audit)
    db.execute("PRAGMA journal_mode = WAL")
    return {
        "pupils": len(pupil_ids),
        "staff": len(staff_ids),
        "accounts": len(user_ids),
        "submitted": sum(r.reference is not None for r in records),
        "drafts": sum(r.reference is None for r in records),
        "versions": version_count,
        "amended": sum(len(r.versions) > 1 for r in records),
        "audit_entries": audit_count,
        "parent_contacts": len(contacts),
    }


def _history(
    records: list[_Record],
    user_ids: list[int],
    pupil_ids: list[int],
    staff_ids: list[int],
    utc: Any,
    rng: random.Random,
) -> list[_Entry]:
    """Walk every step in time order: ids, references and versions for the records, and
    the audit entries (in time order)."""
    steps: list[tuple[datetime, int, int, int]] = []  # (moment, order, record, step)
    for n, record in enumerate(records):
        g = record.generated
        # The author signs in a few minutes before starting the record.
        steps.append((g.created_at - timedelta(minutes=rng.randint(1, 9)), len(steps), n, -2))
        steps.append((g.created_at, len(steps), n, -1))
        if g.submitted_at is not None:
            steps.append((g.submitted_at, len(steps), n, 0))
            if rng.random() < 0.6:  # a senior leader reads it later
                later = g.submitted_at + timedelta(hours=rng.randint(1, 30))
                steps.append((later, len(steps), n, -3))
        for k, amendment in enumerate(g.amendments, start=1):
            steps.append((amendment.at, len(steps), n, k))
    steps.sort()
    next_id = 1
    events: dict[int, int] = {}  # generated event number -> database id
    counters: dict[int, int] = {}  # year -> last reference number
    entries: list[_Entry] = []
    for moment, _order, n, step in steps:
        record = records[n]
        g = record.generated
        author = user_ids[g.author]
        at = utc(moment)
        if step == -2:
            entries.append((at, "sign_in", author, None, "", None))
        elif step == -1:
            record.id, next_id = next_id, next_id + 1
            if g.event not in events:
                events[g.event] = record.id  # the event takes its first record's id
            record.event_id = events[g.event]
            record.created_at = record.updated_at = at
            if g.is_draft:
                record.versions.append((with_ids(g.details, pupil_ids, staff_ids), at, author, ""))
            entries.append((at, "create", author, record.id, "draft started", None))
        elif step == 0:
            year = int(at[:4])
            counters[year] = counters.get(year, 0) + 1
            record.reference = reference_for(year, counters[year])
            record.submitted_at = record.updated_at = at
            details = with_ids(g.details, pupil_ids, staff_ids)
            record.versions.append((details, at, author, ""))
            entries.append((at, "submit", author, record.id, record.reference, _sha(details)))
        elif step == -3:
            if record.reference is None:
                continue
            reader = user_ids[rng.randrange(min(3, len(user_ids)))]
            sha = _sha(record.versions[-1][0])
            entries.append((at, "view", reader, record.id, record.reference, sha))
        else:
            amendment = g.amendments[step - 1]
            details = with_ids(amendment.details, pupil_ids, staff_ids)
            by = user_ids[amendment.user_index]
            record.versions.append((details, at, by, amendment.reason))
            record.updated_at = at
            detail = f"{record.reference} version {len(record.versions)}"
            entries.append((at, "amend", by, record.id, detail, _sha(details)))
    return entries


_JSON_CACHE: dict[int, tuple[IncidentDetails, str, str]] = {}


def _json(details: IncidentDetails) -> tuple[str, str]:
    """The canonical JSON of ``details`` and its SHA-256, each worked out once."""
    hit = _JSON_CACHE.get(id(details))
    if hit is not None and hit[0] is details:
        return hit[1], hit[2]
    text = details_to_json(details)
    digest = sha256_text(text)
    _JSON_CACHE[id(details)] = (details, text, digest)
    return text, digest


def _sha(details: IncidentDetails) -> str:
    return _json(details)[1]


def _events(records: list[_Record], user_ids: list[int]) -> list[tuple[int, str, int]]:
    seen: dict[int, tuple[int, str, int]] = {}
    for r in records:
        if r.event_id not in seen:
            seen[r.event_id] = (r.event_id, r.created_at, user_ids[r.generated.author])
    return sorted(seen.values())


def _incident_row(r: _Record, user_ids: list[int]) -> tuple[Any, ...]:
    details = r.versions[-1][0]
    columns = list_columns(details)
    draft = r.reference is None
    return (
        r.id,
        r.event_id,
        "draft" if draft else "submitted",
        r.reference,
        user_ids[r.generated.author],
        r.created_at,
        r.updated_at,
        r.submitted_at,
        _json(details)[0] if draft else None,
        0 if draft else len(r.versions),
        *(columns[name] for name in LIST_COLUMNS),
    )


def _parent_contact_rows(records: list[_Record], user_ids: list[int]) -> list[tuple[Any, ...]]:
    """A letter sent (and, when the form said not yet, a call where they were told) for
    every submitted record but the newest ``OUTSTANDING``; withheld records none."""
    done = sorted(
        (r for r in records if r.reference is not None), key=lambda r: r.submitted_at or ""
    )
    rows: list[tuple[Any, ...]] = []
    for r in done[: max(0, len(done) - OUTSTANDING)]:
        parents = r.versions[-1][0].parents
        day = r.versions[-1][0].when_where.date
        if parents.status is ParentsStatus.WITHHELD or day is None:
            continue
        by, at = user_ids[r.generated.author], r.submitted_at or r.created_at
        if parents.status is not ParentsStatus.TOLD:
            rows.append((r.id, "attempt", f"{day.isoformat()}T16:10", "Parent", "phone", "told",
                         "", "", at, by))  # fmt: skip
        rows.append((r.id, "letter_sent", f"{day.isoformat()}T16:20", "Parent", "handed", "",
                     "", "", at, by))  # fmt: skip
    return rows


def _version_rows(records: list[_Record]) -> Iterator[tuple[Any, ...]]:
    for r in records:
        if r.reference is None:
            continue
        for number, (details, at, by, reason) in enumerate(r.versions, start=1):
            text, digest = _json(details)
            yield (r.id, number, text, at, by, reason, digest)
            _JSON_CACHE.pop(id(details), None)  # written: free the text


def _append_audit(store: SqlStore, entries: list[_Entry]) -> int:
    """The entries after the set-up's, chained with the store's own hash."""
    head = store.audit.head()
    prev = GENESIS_HASH if head is None else head.entry_hash
    seq = 0 if head is None else head.seq
    rows = []
    for at, action, actor, incident_id, detail, sha in entries:
        seq += 1
        digest = entry_hash(prev, seq, at, actor, action, incident_id, detail, sha)
        rows.append((seq, at, actor, action, incident_id, detail, sha, prev, digest))
        prev = digest
    for chunk in _chunks(iter(rows)):
        store.connection.executemany(
            f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES ({_marks(9)})", chunk
        )
    return len(rows)


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _marks(count: int) -> str:
    return ", ".join("?" * count)
