"""The safeguarding desk's entries in the JSON export (issue 13): the leads' referral
decisions (``"referral_decisions"``) and the amendment requests with their replies and
closing (``"amendment_requests"``). Each names its record by reference and its accounts
by username, like the other entries (services/exchange_records.py). A file without
them still imports; an entry already on the record is not added twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from incident_recorder.domain.desk import (
    ITEMS,
    AmendmentReply,
    AmendmentRequest,
    ReferralDecision,
    ReferralDecisionKind,
)
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.services.ports import Store


@dataclass(frozen=True, slots=True)
class ExportedDecision:
    record: str
    referral: str
    decision: ReferralDecisionKind
    at: datetime  # local wall clock, no offset
    note: str
    decided_by: str  # username
    recorded_at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class ExportedReply:
    text: str
    replied_by: str
    replied_at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class ExportedRequest:
    record: str
    version: int
    text: str
    requested_by: str
    requested_at: datetime  # UTC
    replies: tuple[ExportedReply, ...] = ()
    closed_by: str = ""  # "" while open (or closed by the record's amendment)
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeskEntries:
    decisions: tuple[ExportedDecision, ...] = ()
    requests: tuple[ExportedRequest, ...] = ()


def export_desk(
    store: Store, references: dict[int, str], usernames: dict[int, str]
) -> dict[str, list[dict[str, Any]]]:
    def who(user_id: int | None) -> str:
        return "" if user_id is None else usernames.get(user_id, f"user-{user_id}")

    decisions = []
    for d in store.desk.decisions(list(references)):
        assert d.recorded_at is not None
        decisions.append(
            to_plain(
                ExportedDecision(
                    references[d.incident_id],
                    d.referral,
                    d.decision,
                    d.at,
                    d.note,
                    who(d.decided_by),
                    d.recorded_at,
                )
            )
        )
    requests = []
    for incident_id, reference in references.items():
        for t in reversed(store.desk.requests(incident_id=incident_id, limit=100_000)):
            r = t.request
            assert r.requested_at is not None
            replies = tuple(
                ExportedReply(a.text, who(a.replied_by), a.replied_at or r.requested_at)
                for a in t.replies
            )
            requests.append(
                to_plain(
                    ExportedRequest(
                        reference,
                        r.version,
                        r.text,
                        who(r.requested_by),
                        r.requested_at,
                        replies,
                        who(r.closed_by),
                        r.closed_at,
                    )
                )
            )
    return {"referral_decisions": decisions, "amendment_requests": requests}


def desk_usernames(lists: dict[str, list[dict[str, Any]]]) -> set[str]:
    names = {d["decided_by"] for d in lists.get("referral_decisions", [])}
    for r in lists.get("amendment_requests", []):
        names |= {r["requested_by"], *(a["replied_by"] for a in r.get("replies", []))}
        if r.get("closed_by"):
            names.add(r["closed_by"])
    return names


def _read(document: dict[str, Any], key: str, cls: type[Any], what: str) -> list[Any]:
    values = document.get(key, [])
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


def read_desk(
    document: dict[str, Any], usernames: set[str], versions: dict[str, int]
) -> DeskEntries:
    """The file's desk lists, checked; ``versions`` maps each submitted record's
    reference to how many versions it has in the file."""
    decisions: list[ExportedDecision] = _read(
        document, "referral_decisions", ExportedDecision, "Referral decision"
    )
    requests: list[ExportedRequest] = _read(
        document, "amendment_requests", ExportedRequest, "Amendment request"
    )

    def bad(where: str, problem: str) -> BadImportFile:
        return BadImportFile(f"{where} {problem}. Nothing was imported.")

    def check(where: str, record: str, names: tuple[str, ...], moments: tuple[Any, ...]) -> None:
        if record not in versions:
            raise bad(where, f"is for record {record}, which is not a submitted record in it")
        for name in names:
            if name and name not in usernames:
                raise bad(where, f"names the account '{name}', which is not in its accounts")
        if any(m is not None and m.utcoffset() is None for m in moments):
            raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")

    for n, d in enumerate(decisions, start=1):
        where = f"Referral decision {n} in the file"
        check(where, d.record, (d.decided_by,), (d.recorded_at,))
        if d.referral not in ITEMS:
            raise bad(where, f"is about '{d.referral}', which is not a referral")
        if d.at.utcoffset() is not None:
            raise bad(
                where, "gives when it was decided with an offset; it takes the school's clock"
            )
    for n, r in enumerate(requests, start=1):
        where = f"Amendment request {n} in the file"
        names = (r.requested_by, r.closed_by, *(a.replied_by for a in r.replies))
        moments = (r.requested_at, r.closed_at, *(a.replied_at for a in r.replies))
        check(where, r.record, names, moments)
        if not 1 <= r.version <= versions[r.record]:
            raise bad(where, f"is about version {r.version} of record {r.record}, which it lacks")
        if not r.text.strip() or any(not a.text.strip() for a in r.replies):
            raise bad(where, "has no words")
        if bool(r.closed_by) is (r.closed_at is None):
            raise bad(where, "says who closed it without when, or when without who")
    return DeskEntries(tuple(decisions), tuple(requests))


def import_desk(
    store: Store, entries: DeskEntries, incident_ids: dict[str, int], user_ids: dict[str, int]
) -> int:
    """Add the desk's entries to the imported records (inside the caller's
    transaction); returns how many decisions, requests, replies and closings were added."""
    added = 0
    seen: dict[int, set[ReferralDecision]] = {}
    for d in entries.decisions:
        incident_id = incident_ids[d.record]
        decision = ReferralDecision(
            incident_id, d.referral, d.decision, d.at.replace(tzinfo=None), d.note.strip(),
            decided_by=user_ids[d.decided_by], recorded_at=d.recorded_at.astimezone(UTC),
        )  # fmt: skip
        if incident_id not in seen:
            seen[incident_id] = {
                ReferralDecision(
                    e.incident_id,
                    e.referral,
                    e.decision,
                    e.at,
                    e.note,
                    decided_by=e.decided_by,
                    recorded_at=e.recorded_at,
                )
                for e in store.desk.decisions([incident_id])
            }
        if decision in seen[incident_id]:
            continue
        assert decision.decided_by is not None and decision.recorded_at is not None
        store.desk.add_decision(decision, decision.decided_by, decision.recorded_at)
        seen[incident_id].add(decision)
        added += 1
    for r in entries.requests:
        incident_id = incident_ids[r.record]
        at = r.requested_at.astimezone(UTC)
        here = store.desk.requests(incident_id=incident_id, limit=100_000)
        thread = next(
            (
                t for t in here
                if (t.request.version, t.request.text, t.request.requested_at)
                == (r.version, r.text.strip(), at)
            ),
            None,
        )  # fmt: skip
        if thread is None:
            request = store.desk.add_request(
                AmendmentRequest(incident_id, r.version, r.text), user_ids[r.requested_by], at
            )
            request_id, had, closed = request.id or 0, set(), False
            added += 1
        else:
            request_id = thread.request.id or 0
            had = {(a.text, a.replied_at) for a in thread.replies}
            closed = thread.request.closed_at is not None
        for a in r.replies:
            when = a.replied_at.astimezone(UTC)
            if (a.text.strip(), when) not in had:
                store.desk.add_reply(
                    AmendmentReply(request_id, a.text), user_ids[a.replied_by], when
                )
                added += 1
        if r.closed_at is not None and not closed:
            store.desk.close_request(request_id, user_ids[r.closed_by], r.closed_at.astimezone(UTC))
            added += 1
    return added
