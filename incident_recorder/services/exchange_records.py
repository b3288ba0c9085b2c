"""What was written on records after they were made, in the JSON export (see
:mod:`incident_recorder.services.exchange`): contacts with parents, sign-offs and the
documents produced (letters and printed records, with their PDF hashes), and the
copies of the written record supplied to parents (issue 13, ``"parents_copies"``).

In the file each entry names its record by reference (a submitted record in the file's
``incidents``) and its account by username. A file made before these were exported (no
``"parent_contacts"``, ``"sign_offs"``, ``"documents"`` or ``"parents_copies"`` list)
still imports. The
school's letter wording and logo are settings, never exported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from incident_recorder.domain.documents import DocumentKind, DocumentOutput, OutputHow
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentDetails
from incident_recorder.domain.parents_copy import CopyHow, CopySupply, SupplyKind
from incident_recorder.domain.parents_told import ContactEntryKind, ParentContactEntry
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.services.exchange_desk import (
    DeskEntries,
    desk_usernames,
    export_desk,
    import_desk,
    read_desk,
)
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.ports import Store

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class ExportedContact:
    record: str  # the record's reference
    kind: ContactEntryKind
    at: datetime  # local wall clock, no offset
    method: str
    parent: str
    outcome: str
    by_whom: str
    note: str
    recorded_at: datetime  # UTC
    recorded_by: str  # username


@dataclass(frozen=True, slots=True)
class ExportedSignOff:
    record: str
    version: int
    version_sha256: str
    comment: str
    signed_at: datetime  # UTC
    signed_by: str


@dataclass(frozen=True, slots=True)
class ExportedDocument:
    record: str
    kind: DocumentKind
    how: OutputHow
    sha256: str  # of the PDF bytes
    pages: int
    recipient: str
    template_version: int | None
    at: datetime  # UTC
    by: str


@dataclass(frozen=True, slots=True)
class ExportedCopy:
    """A copy of the written record supplied to parents, or a decision that an amended
    version need not go."""

    record: str
    version: int
    kind: SupplyKind
    at: datetime  # local wall clock, no offset
    how: CopyHow | None
    parent: str
    by_whom: str
    note: str
    recorded_at: datetime  # UTC
    recorded_by: str  # username


@dataclass(frozen=True, slots=True)
class RecordEntries:
    contacts: tuple[ExportedContact, ...] = ()
    sign_offs: tuple[ExportedSignOff, ...] = ()
    documents: tuple[ExportedDocument, ...] = ()
    copies: tuple[ExportedCopy, ...] = ()
    desk: DeskEntries = field(default_factory=DeskEntries)  # issue 13: the desk's entries


@dataclass(frozen=True, slots=True)
class EntriesAdded:
    contacts: int = 0
    sign_offs: int = 0
    documents: int = 0
    copies: int = 0
    desk: int = 0  # referral decisions, amendment requests, replies and closings


# --------------------------------------------------------------------------- export


def export_entries(
    store: Store, references: dict[int, str], usernames: dict[int, str]
) -> dict[str, list[dict[str, Any]]]:
    """The three lists for the submitted records ``references`` (id to reference), by
    record in the given order, each record's entries oldest first."""

    def who(user_id: int | None) -> str:
        return "" if user_id is None else usernames.get(user_id, f"user-{user_id}")

    contacts: list[dict[str, Any]] = []
    sign_offs: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    copies: list[dict[str, Any]] = []
    for incident_id, reference in references.items():
        for k in store.parents_copies.for_incident(incident_id):
            assert k.recorded_at is not None
            exported_copy = ExportedCopy(
                reference, k.version, k.kind, k.at, k.how, k.parent, k.by_whom, k.note,
                k.recorded_at, who(k.recorded_by),
            )  # fmt: skip
            copies.append(to_plain(exported_copy))
        for c in store.parent_contacts.for_incident(incident_id):
            assert c.recorded_at is not None
            exported_contact = ExportedContact(
                reference, c.kind, c.at, c.method, c.parent, c.outcome, c.by_whom, c.note,
                c.recorded_at, who(c.recorded_by),
            )  # fmt: skip
            contacts.append(to_plain(exported_contact))
        for s in store.sign_offs.for_incident(incident_id):
            assert s.signed_at is not None
            exported_sign_off = ExportedSignOff(
                reference, s.version, s.version_sha256, s.comment, s.signed_at, who(s.signed_by)
            )
            sign_offs.append(to_plain(exported_sign_off))
        for d in store.documents.outputs_for(incident_id):
            assert d.at is not None
            exported_document = ExportedDocument(
                reference, d.kind, d.how, d.sha256, d.pages, d.recipient, d.template_version,
                d.at, who(d.by_user),
            )  # fmt: skip
            documents.append(to_plain(exported_document))
    return {
        "parent_contacts": contacts,
        "sign_offs": sign_offs,
        "documents": documents,
        "parents_copies": copies,
        **export_desk(store, references, usernames),
    }


def entry_usernames(lists: dict[str, list[dict[str, Any]]]) -> set[str]:
    """The accounts the lists name (so they go in the file's ``users``)."""
    return (
        {c["recorded_by"] for c in lists["parent_contacts"]}
        | {s["signed_by"] for s in lists["sign_offs"]}
        | {d["by"] for d in lists["documents"]}
        | {k["recorded_by"] for k in lists.get("parents_copies", [])}
        | desk_usernames(lists)
    )


# --------------------------------------------------------------------------- reading


def read_entries(
    document: dict[str, Any], usernames: set[str], versions: dict[str, tuple[IncidentDetails, ...]]
) -> RecordEntries:
    """The file's lists, checked against the rest of the file. ``versions`` maps each
    submitted record's reference to its versions' details, oldest first."""
    contacts: list[ExportedContact] = _read(
        document, "parent_contacts", ExportedContact, "Contact with parents"
    )
    sign_offs: list[ExportedSignOff] = _read(document, "sign_offs", ExportedSignOff, "Sign-off")
    documents: list[ExportedDocument] = _read(document, "documents", ExportedDocument, "Document")
    copies: list[ExportedCopy] = _read(
        document, "parents_copies", ExportedCopy, "Copy of the record supplied to parents"
    )

    def check(where: str, record: str, username: str, moments: tuple[datetime, ...]) -> None:
        for moment in moments:
            if moment.utcoffset() is None:
                raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")
        if record not in versions:
            raise _bad(where, f"is for record {record}, which is not a submitted record in it")
        if username not in usernames:
            raise _bad(where, f"names the account '{username}', which is not in its accounts")

    for n, c in enumerate(contacts, start=1):
        where = f"Contact with parents {n} in the file"
        check(where, c.record, c.recorded_by, (c.recorded_at,))
        if c.at.utcoffset() is not None:
            raise _bad(where, "gives when it happened with an offset; it takes the school's clock")
        if not c.method:
            raise _bad(where, "does not say how the contact was made")
    signed: set[tuple[str, int]] = set()
    for n, s in enumerate(sign_offs, start=1):
        where = f"Sign-off {n} in the file"
        check(where, s.record, s.signed_by, (s.signed_at,))
        details = versions[s.record]
        if not 1 <= s.version <= len(details):
            raise _bad(where, f"is for version {s.version} of record {s.record}, which it lacks")
        if (s.record, s.version) in signed:
            raise _bad(where, f"signs off version {s.version} of record {s.record} a second time")
        signed.add((s.record, s.version))
        if s.version_sha256 != details_sha256(details[s.version - 1]):
            raise BadImportFile(
                f"The sign-off of record {s.record} (version {s.version}) does not match that "
                "version of the record in the file: its fingerprint differs, so the record may "
                "have been changed after it was signed off. Nothing was imported."
            )
    for n, d in enumerate(documents, start=1):
        where = f"Document {n} in the file"
        check(where, d.record, d.by, (d.at,))
        if len(d.sha256) != 64 or not set(d.sha256) <= _HEX:
            raise _bad(where, "has no valid SHA-256 (64 lower-case hex digits)")
        if d.pages < 1:
            raise _bad(where, "has no pages")
    for n, k in enumerate(copies, start=1):
        where = f"Copy of the record supplied to parents {n} in the file"
        check(where, k.record, k.recorded_by, (k.recorded_at,))
        if k.at.utcoffset() is not None:
            raise _bad(where, "gives when it happened with an offset; it takes the school's clock")
        if not 1 <= k.version <= len(versions[k.record]):
            raise _bad(where, f"is for version {k.version} of record {k.record}, which it lacks")
        if (k.kind is SupplyKind.SUPPLIED) is (k.how is None):
            raise _bad(where, "says how it went only for a copy supplied")
    desk = read_desk(document, usernames, {k: len(v) for k, v in versions.items()})
    return RecordEntries(tuple(contacts), tuple(sign_offs), tuple(documents), tuple(copies), desk)


def _bad(where: str, problem: str) -> BadImportFile:
    return BadImportFile(f"{where} {problem}. Nothing was imported.")


def _read(document: dict[str, Any], key: str, cls: type[Any], what: str) -> list[Any]:
    if key not in document:
        return []
    values = document[key]
    if not isinstance(values, list):
        raise BadImportFile(f'The file\'s "{key}" is not a list, so it cannot be imported.')
    out = []
    for n, value in enumerate(values, start=1):
        try:
            out.append(from_plain(cls, value))
        except BadImportFile as exc:
            raise BadImportFile(
                f"{what} {n} in the file is not valid: {exc} Nothing was imported."
            ) from None
    return out


# --------------------------------------------------------------------------- import


def import_entries(
    store: Store, entries: RecordEntries, incident_ids: dict[str, int], user_ids: dict[str, int]
) -> EntriesAdded:
    """Add the entries to the imported records with their times and authors, inside the
    caller's transaction. An entry already on the record is not added twice."""
    contacts = _add(
        entries.contacts,
        store.parent_contacts.for_incident,
        lambda c: ParentContactEntry(
            incident_ids[c.record],
            c.kind,
            c.at.replace(tzinfo=None),
            c.method,
            c.parent,
            c.outcome,
            c.by_whom,
            c.note,
            recorded_at=c.recorded_at.astimezone(UTC),
            recorded_by=user_ids[c.recorded_by],
        ),
        lambda c: _replace(c, id=None, recorded_by_name=""),
        lambda c: store.parent_contacts.add(c, _who(c.recorded_by), _when(c.recorded_at)),
    )
    version_sha: dict[int, list[str]] = {}

    def sign_off(s: ExportedSignOff) -> SignOff:
        incident_id = incident_ids[s.record]
        if incident_id not in version_sha:
            version_sha[incident_id] = [v.sha256 for v in store.incidents.versions(incident_id)]
        # The fingerprint of the version as kept here (the same unless ids were renumbered).
        sha = version_sha[incident_id][s.version - 1]
        at = s.signed_at.astimezone(UTC)
        return SignOff(incident_id, s.version, sha, s.comment, None, at, user_ids[s.signed_by])

    sign_offs = _add(
        entries.sign_offs,
        store.sign_offs.for_incident,
        sign_off,
        lambda s: _replace(s, id=None, signed_by_name=""),
        lambda s: store.sign_offs.add(s, _who(s.signed_by), _when(s.signed_at)),
    )
    documents = _add(
        entries.documents,
        store.documents.outputs_for,
        lambda d: DocumentOutput(
            incident_ids[d.record],
            d.kind,
            d.how,
            d.sha256,
            d.pages,
            d.recipient,
            d.template_version,
            at=d.at.astimezone(UTC),
            by_user=user_ids[d.by],
        ),
        lambda d: _replace(d, id=None, by_name=""),
        lambda d: store.documents.add_output(d, _who(d.by_user), _when(d.at)),
    )
    copies = _add(
        entries.copies,
        store.parents_copies.for_incident,
        lambda k: CopySupply(
            incident_ids[k.record],
            k.version,
            k.at.replace(tzinfo=None),
            k.how,
            k.kind,
            k.parent,
            k.by_whom,
            k.note,
            recorded_at=k.recorded_at.astimezone(UTC),
            recorded_by=user_ids[k.recorded_by],
        ),
        lambda k: _replace(k, id=None, recorded_by_name=""),
        lambda k: store.parents_copies.add(k, _who(k.recorded_by), _when(k.recorded_at)),
    )
    desk = import_desk(store, entries.desk, incident_ids, user_ids)
    return EntriesAdded(contacts, sign_offs, documents, copies, desk)


def _add(
    exported: tuple[Any, ...],
    stored: Callable[[int], list[Any]],
    build: Callable[[Any], Any],
    bare: Callable[[Any], Any],
    add: Callable[[Any], Any],
) -> int:
    """Add each entry not already on its record; returns the number added."""
    here: dict[int, set[Any]] = {}
    added = 0
    for item in exported:
        entry = build(item)
        if entry.incident_id not in here:
            here[entry.incident_id] = {bare(e) for e in stored(entry.incident_id)}
        if entry in here[entry.incident_id]:
            continue
        add(entry)
        here[entry.incident_id].add(entry)
        added += 1
    return added


def _replace(entry: Any, **changes: Any) -> Any:
    return dataclasses.replace(entry, **changes)


def _who(user_id: int | None) -> int:
    assert user_id is not None
    return user_id


def _when(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment
