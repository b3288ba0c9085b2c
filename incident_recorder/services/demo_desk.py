"""The demo's safeguarding desk (issue 13): one record left waiting to be signed off
well past the school's two school days, with a prone position and an injury (the
record is amended to add the prone position when the demo has none); every other
record with an injury or a referral ticked has the lead's decisions recorded, except
one, left open; and one amendment request, to a member of staff who can sign in to the
demo, with their reply. Each entry is audited as the services do it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import datetime, time, timedelta

from incident_recorder.domain.desk import (
    AmendmentReply,
    AmendmentRequest,
    ReferralDecision,
    ReferralDecisionKind,
    referral_items,
)
from incident_recorder.domain.model import FloorPosition, Incident, Role
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.ports import Store
from incident_recorder.services.session import from_local, to_local

NOT_NEEDED_NOTE = "Reviewed with the class teacher and first aider: no referral needed."
MADE_NOTE = "Referred by telephone; the reference is on the safeguarding file."


def _prone(incident: Incident) -> bool:
    i = incident.details.intervention
    return bool(i.floor_position and FloorPosition.PRONE in i.floor_positions)


def overdue_record(store: Store, lead_id: int, now: datetime, zone: str) -> int | None:
    """Choose (and, if need be, amend) the record left overdue; returns its id."""
    today = to_local(now, zone).date()
    window = [
        i
        for i in store.incidents.all_submitted()
        if i.details.when_where.date is not None
        and today - timedelta(days=24) <= i.details.when_where.date <= today - timedelta(days=7)
        and i.details.injuries.pupil_injured
        and i.version == 1
    ]
    if not window:
        return None
    chosen = next((i for i in reversed(window) if _prone(i)), window[-1])
    if not _prone(chosen):
        details = chosen.details
        details = dataclasses.replace(
            details,
            intervention=dataclasses.replace(
                details.intervention,
                floor_position=True,
                floor_positions=frozenset({FloorPosition.PRONE}),
                floor_how="The pupil slipped and went to the floor face down during the hold.",
                floor_seconds=20,
                floor_release="Released at once and helped to sit up.",
            ),
        ).with_explanation(
            "floor_position", "The pupil slipped during a standing hold; released at once."
        )
        assert chosen.submitted_at is not None
        at = chosen.submitted_at + timedelta(hours=1)
        with store.transaction():
            done = store.incidents.amend(
                chosen.id, details, chosen.author_id, "The floor position was left out.", at
            )
            store.audit.append(
                chosen.author_id, "amend", at, done.id,
                f"{done.reference} version {done.version}", details_sha256(details),
            )  # fmt: skip
    return chosen.id


def _school_time(after: datetime, zone: str, now: datetime) -> datetime:
    """The next school-day morning after ``after`` (UTC), before ``now``."""
    day = to_local(after, zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return min(from_local(datetime.combine(day, time(9, 30)), zone), now - timedelta(hours=1))


def demo_desk(
    store: Store,
    lead_id: int,
    now: datetime,
    zone: str,
    left_open: Collection[int] = (),
    author_usernames: Collection[str] = (),
) -> None:
    """Decisions for the records with referrals to consider (all but ``left_open`` and
    the newest one), and one amendment request with its reply to a record written by
    one of ``author_usernames`` (accounts that can sign in to the demo)."""
    candidates = store.desk.referrals_open(limit=100_000)
    keep_open = set(left_open) | {c.incident_id for c in candidates[-1:]}
    with store.transaction():
        for record in candidates:
            if record.incident_id in keep_open:
                continue
            at = _school_time(record.submitted_at, zone, now)
            for item in referral_items(record.injury, record.referrals):
                made = item != "injury_review"
                saved = store.desk.add_decision(
                    ReferralDecision(
                        record.incident_id,
                        item,
                        ReferralDecisionKind.MADE if made else ReferralDecisionKind.NOT_NEEDED,
                        to_local(at, zone),
                        MADE_NOTE if made else NOT_NEEDED_NOTE,
                    ),
                    lead_id,
                    at,
                )
                store.audit.append(
                    lead_id, "referral_decision", at, record.incident_id,
                    f"decision {saved.id} {item} {saved.decision.value}",
                )  # fmt: skip
    authors = [u for u in store.users.list() if u.username in set(author_usernames)]
    staff_first = sorted(authors, key=lambda u: not u.has(Role.STAFF))
    for author in staff_first:
        written = [
            r for r in store.desk.to_sign_off(limit=100_000) if r.author_id == author.id
        ] or [
            r
            for r in (store.desk.record(i.id) for i in store.incidents.all_submitted())
            if r.author_id == author.id
        ]
        if not written:
            continue
        record = written[-1]
        asked = _school_time(record.submitted_at, zone, now)
        replied = asked + timedelta(minutes=50)
        with store.transaction():
            request = store.desk.add_request(
                AmendmentRequest(
                    record.incident_id,
                    record.version,
                    "Please add who gave first aid, and when the pupil's parents were phoned.",
                ),
                lead_id,
                asked,
            )
            store.audit.append(
                lead_id, "amendment_requested", asked, record.incident_id,
                f"request {request.id} version {record.version}",
            )  # fmt: skip
            reply = store.desk.add_reply(
                AmendmentReply(
                    request.id or 0,
                    "The office first aider; I phoned at 15:10. I will amend it tomorrow.",
                ),
                author.id,
                replied,
            )
            store.audit.append(
                author.id, "amendment_request_replied", replied, record.incident_id,
                f"request {request.id} reply {reply.id}",
            )  # fmt: skip
        return
