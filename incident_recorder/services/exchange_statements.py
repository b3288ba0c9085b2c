"""Staff statements in the JSON export (issue 13, ``"statements"``): each request made
of a member of staff for their own account of a record, with every version of what
they gave. In the file a request names its record by reference, its member of staff
by the file's staff id, and each version's account by username; each version's
SHA-256 is checked against its text on the way in. A file made before statements
were exported (no ``"statements"`` list) still imports; a request already on the
record is not added twice (only versions newer than the ones here are added)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.domain.statements import (
    Statement,
    StatementKind,
    StatementRequest,
    canonical_text,
    text_sha256,
)
from incident_recorder.services.ports import Store

KEY = "statements"


@dataclass(frozen=True, slots=True)
class ExportedStatementVersion:
    version: int
    kind: StatementKind
    text: str
    sha256: str
    saved_at: datetime  # UTC
    saved_by: str  # username


@dataclass(frozen=True, slots=True)
class ExportedStatementRequest:
    record: str  # the record's reference
    staff_id: int  # in the file's staff list
    requested_at: datetime  # UTC
    for_version: int
    versions: tuple[ExportedStatementVersion, ...] = ()


def export_statements(
    store: Store, references: dict[int, str], usernames: dict[int, str]
) -> list[dict[str, Any]]:
    """The requests of the records ``references`` (id to reference), with every version."""
    out: list[dict[str, Any]] = []
    for incident_id, reference in references.items():
        requests = store.statements.requests_for_incident(incident_id)
        by_request: dict[int, list[Statement]] = {}
        for s in store.statements.statements_for_incident(incident_id):
            by_request.setdefault(s.request_id, []).append(s)
        for r in requests:
            versions = tuple(
                ExportedStatementVersion(
                    s.version,
                    s.kind,
                    s.text,
                    s.sha256,
                    s.saved_at,
                    usernames.get(s.saved_by, f"user-{s.saved_by}"),
                )
                for s in sorted(by_request.get(r.id or 0, []), key=lambda s: s.version)
            )
            exported = ExportedStatementRequest(
                reference, r.staff_id, r.requested_at, r.for_version, versions
            )
            out.append(to_plain(exported))
    return out


def statement_usernames(items: list[dict[str, Any]]) -> set[str]:
    return {v["saved_by"] for item in items for v in item.get("versions", [])}


def read_statements(
    document: dict[str, Any],
    usernames: set[str],
    staff_ids: set[int],
    record_versions: dict[str, int],
) -> tuple[ExportedStatementRequest, ...]:
    """The file's requests, checked against the rest of the file (``record_versions``:
    each submitted record's reference and how many versions it has)."""
    if KEY not in document:
        return ()
    values = document[KEY]
    if not isinstance(values, list):
        raise BadImportFile(f'The file\'s "{KEY}" is not a list, so it cannot be imported.')
    found: list[ExportedStatementRequest] = []
    seen: set[tuple[str, int]] = set()
    for n, value in enumerate(values, start=1):
        where = f"Staff statement request {n} in the file"
        try:
            item: ExportedStatementRequest = from_plain(ExportedStatementRequest, value)
        except BadImportFile as exc:
            raise BadImportFile(f"{where} is not valid: {exc} Nothing was imported.") from None
        if item.record not in record_versions:
            raise _bad(where, f"is for record {item.record}, which is not a submitted record in it")
        if not 1 <= item.for_version <= record_versions[item.record]:
            raise _bad(where, f"names version {item.for_version}, which the record lacks")
        if item.staff_id not in staff_ids:
            raise _bad(where, f"names staff entry {item.staff_id}, not in the file's staff list")
        if (item.record, item.staff_id) in seen:
            raise _bad(where, "asks the same member of staff about the same record twice")
        seen.add((item.record, item.staff_id))
        moments = (item.requested_at, *(v.saved_at for v in item.versions))
        if any(m.utcoffset() is None for m in moments):
            raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")
        numbers = [v.version for v in item.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise _bad(where, "does not number its versions 1, 2, 3 and so on")
        for v in item.versions:
            if v.saved_by not in usernames:
                raise _bad(where, f"names the account '{v.saved_by}', not in its accounts")
            if canonical_text(v.text) != v.text or text_sha256(v.text) != v.sha256:
                raise BadImportFile(
                    f"Version {v.version} of a statement on record {item.record} does not match "
                    "its fingerprint, so it may have been changed after it was given. Nothing "
                    "was imported."
                )
            if v.kind is not StatementKind.NOTHING_TO_ADD and not v.text:
                raise _bad(where, f"has an empty version {v.version}")
        found.append(item)
    return tuple(found)


def _bad(where: str, problem: str) -> BadImportFile:
    return BadImportFile(f"{where} {problem}. Nothing was imported.")


def import_statements(
    store: Store,
    requests: tuple[ExportedStatementRequest, ...],
    incident_ids: dict[str, int],
    staff_ids: dict[int, int],
    user_ids: dict[str, int],
    audit: Callable[[str, int, str], None],
) -> int:
    """Add the requests and versions not here yet, inside the caller's transaction,
    each audited (``audit(action, incident_id, detail)``, as ``statement_imported``
    with its fingerprint); returns how many statement versions were added."""
    added = 0
    for item in requests:
        incident_id = incident_ids[item.record]
        staff_id = staff_ids[item.staff_id]
        here = next(
            (
                r
                for r in store.statements.requests_for_incident(incident_id)
                if r.staff_id == staff_id
            ),
            None,
        )
        if here is None:
            here = store.statements.add_request(
                StatementRequest(
                    incident_id, staff_id, item.requested_at.astimezone(UTC), item.for_version
                )
            )
        have = max(
            (s.version for s in store.statements.statements_for_requests([here.id or 0])),
            default=0,
        )
        for v in item.versions:
            if v.version <= have:
                continue
            saved = store.statements.add_statement(
                Statement(
                    here.id or 0,
                    v.version,
                    v.kind,
                    v.text,
                    v.sha256,
                    v.saved_at.astimezone(UTC),
                    user_ids[v.saved_by],
                )
            )
            audit(
                "statement_imported",
                incident_id,
                f"request {here.id} version {v.version} sha256 {saved.sha256}",
            )
            added += 1
    return added
