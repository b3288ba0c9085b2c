"""The safeguarding lead's desk (issue 13): one place for what waits for a safeguarding
lead or senior leader (records to sign off, referrals to consider, amendments they
asked for), and the author's side of an amendment request (read it, reply).

Who may: the desk, referral decisions, asking for and closing amendment requests are
for safeguarding leads and senior leaders; the author of a record reads and replies to
the requests about it (docs/permissions.md). Every refusal is a plain NotAllowed.
Audit entries carry ids, codes and version numbers, never names or text.

Other parts of the app add their own sections to the count with ``extra_sections``
(label, count function), e.g. "Statements outstanding after 1 school day".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from incident_recorder.domain.desk import (
    ITEMS,
    NOTE_LIMIT,
    TEXT_LIMIT,
    AmendmentReply,
    AmendmentRequest,
    AmendmentThread,
    DeskCount,
    DeskRecord,
    ReferralDecision,
    ReferralDecisionKind,
    ReferralToConsider,
    ToSignOff,
    attention_reasons,
    days_waiting,
    item_label,
    open_items,
    overdue,
    referral_items,
)
from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import Referral, Role
from incident_recorder.domain.parents_copy import aged_20_or_over, copy_status, duty_findings
from incident_recorder.domain.parents_told import incident_start, summarise
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.statements import OutstandingRow
from incident_recorder.services.session import Session, to_local
from incident_recorder.services.statements import StatementService

ExtraSection = tuple[str, Callable[[], int]]
DESK_ACTION = "use the safeguarding desk"
LIST_LIMIT = 100


STATEMENTS_LABEL = "Statements outstanding after 1 school day"


class DeskService:
    def __init__(
        self,
        session: Session,
        extra_sections: Sequence[ExtraSection] = (),
        statements: StatementService | None = None,
    ) -> None:
        self._s = session
        # Hook for other parts of the app (label, count function).
        self.extra_sections: list[ExtraSection] = list(extra_sections)
        # The staff statements still waiting after 1 school day (a fourth section).
        self._statements = statements

    @property
    def has_statements(self) -> bool:
        return self._statements is not None

    def statements_outstanding(self) -> list[OutstandingRow]:
        """Staff statements still waiting after 1 school day, longest first (leads)."""
        self._require_lead()
        return [] if self._statements is None else self._statements.outstanding()

    # ------------------------------------------------------------------ who may

    @property
    def is_lead(self) -> bool:
        """Whether the user holds the safeguarding lead / senior leader role."""
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    def _require_lead(self, action: str = DESK_ACTION) -> None:
        if not self.is_lead:
            raise NotAllowed(
                f"Only a safeguarding lead or senior leader can {action}. Your account "
                "does not have that role."
            )

    def _local(self, moment: datetime) -> datetime:
        return to_local(moment, self._s.settings().school.timezone)

    def local_now(self) -> datetime:
        return self._s.local_now()

    @property
    def user_id(self) -> int:
        return self._s.user.id

    @property
    def timezone(self) -> str:
        return self._s.settings().school.timezone

    @property
    def overdue_school_days(self) -> int:
        return self._s.settings().sign_off_overdue_school_days

    # ------------------------------------------------------------------ to sign off

    def to_sign_off(self, limit: int = LIST_LIMIT) -> list[ToSignOff]:
        """Records whose latest version is not signed off, oldest submitted first, each
        with the reasons it needs attention first and whether it is overdue."""
        self._require_lead()
        store = self._s.store
        settings = self._s.settings()
        now = self._s.local_now()
        today = now.date()
        calendar = self._s.calendar()
        plans: dict[tuple[int, date], BehaviourPlan | None] = {}
        dobs: dict[int, date | None] = {}
        rows: list[ToSignOff] = []
        for r in store.desk.to_sign_off(limit):
            details = store.incidents.get(r.incident_id).details
            summary = summarise(details, store.parent_contacts.for_incident(r.incident_id), now)
            copy = copy_status(store.parents_copies.for_incident(r.incident_id), r.version)
            plan: BehaviourPlan | None = None
            adult = False
            day = details.when_where.date
            if r.pupil_id is not None and day is not None:
                if (r.pupil_id, day) not in plans:
                    plans[(r.pupil_id, day)] = store.plans.in_force(r.pupil_id, day)
                plan = plans[(r.pupil_id, day)]
                if r.pupil_id not in dobs:
                    try:
                        dobs[r.pupil_id] = store.pupils.get(r.pupil_id).date_of_birth
                    except NotFound:
                        dobs[r.pupil_id] = None
                adult = aged_20_or_over(dobs[r.pupil_id], day)
            duties = duty_findings(summary, copy, incident_start(details), now, adult)
            submitted_on = self._local(r.submitted_at).date()
            rows.append(
                ToSignOff(
                    incident_id=r.incident_id,
                    reference=r.reference,
                    pupil_name=r.pupil_name,
                    occurred_on=r.occurred_on,
                    submitted_on=submitted_on,
                    version=r.version,
                    days_waiting=days_waiting(submitted_on, today, calendar),
                    overdue=overdue(
                        submitted_on, today, settings.sign_off_overdue_school_days, calendar
                    ),
                    reasons=attention_reasons(details, duties, settings.hold_warning_minutes, plan),
                )
            )
        return rows

    # ------------------------------------------------------------------ referrals

    def _to_consider(self, r: DeskRecord, decisions: list[ReferralDecision]) -> ReferralToConsider:
        mine = tuple(d for d in decisions if d.incident_id == r.incident_id)
        items = referral_items(r.injury, r.referrals)
        return ReferralToConsider(
            incident_id=r.incident_id,
            reference=r.reference,
            pupil_name=r.pupil_name,
            occurred_on=r.occurred_on,
            open_items=open_items(items, mine),
            decisions=mine,
        )

    def referrals(self, limit: int = LIST_LIMIT) -> list[ReferralToConsider]:
        """Records with an injury, a safeguarding concern (a referral to the designated
        safeguarding lead ticked) or another referral ticked and not yet decided, oldest
        first, each with what is open and who decided what and when."""
        self._require_lead()
        records = self._s.store.desk.referrals_open(limit)
        decisions = self._s.store.desk.decisions([r.incident_id for r in records])
        return [self._to_consider(r, decisions) for r in records]

    def referral_state(self, incident_id: int) -> ReferralToConsider:
        """One record's referrals: what is open and every decision (leads only)."""
        self._require_lead()
        record = self._s.store.desk.record(incident_id)
        return self._to_consider(record, self._s.store.desk.decisions([incident_id]))

    def record_referral_decision(
        self,
        incident_id: int,
        referral: Referral | str,
        decision: ReferralDecisionKind,
        note: str = "",
        at: datetime | None = None,
    ) -> ReferralDecision:
        """Keep a lead's decision: the referral was made, or none is needed (say why).
        ``referral`` is a Referral, or "injury_review" for whether an injury needs one.
        A newer decision about the same item supersedes the older, which is kept."""
        self._require_lead("record referral decisions")
        code = str(referral)
        if code not in ITEMS:
            raise InvalidInput(f"There is no referral called {code!r}.")
        note = note.strip()
        if decision is ReferralDecisionKind.NOT_NEEDED and not note:
            raise InvalidInput(f"Say why no referral is needed ({item_label(code)}).")
        if len(note) > NOTE_LIMIT:
            raise InvalidInput(f"The note is too long: keep it under {NOTE_LIMIT:,} letters.")
        moment = (at or self._s.local_now()).replace(tzinfo=None, second=0, microsecond=0)
        if moment > self._s.local_now():
            raise InvalidInput("The time is in the future. Check the date and time.")
        store = self._s.store
        with store.transaction():
            saved = store.desk.add_decision(
                ReferralDecision(incident_id, code, decision, moment, note),
                self._s.user.id,
                self._s.now(),
            )
            self._s.audit(
                "referral_decision", incident_id, f"decision {saved.id} {code} {decision.value}"
            )
        return saved

    # ------------------------------------------------------------------ amendments

    def request_amendment(self, incident_id: int, text: str) -> AmendmentRequest:
        """Ask the record's author to amend it (about its latest version)."""
        self._require_lead("ask for an amendment")
        text = text.strip()
        if not text:
            raise InvalidInput("Say what should be amended, and why.")
        if len(text) > TEXT_LIMIT:
            raise InvalidInput(f"The request is too long: keep it under {TEXT_LIMIT:,} letters.")
        store = self._s.store
        record = store.desk.record(incident_id)
        with store.transaction():
            saved = store.desk.add_request(
                AmendmentRequest(incident_id, record.version, text), self._s.user.id, self._s.now()
            )
            self._s.audit(
                "amendment_requested", incident_id, f"request {saved.id} version {record.version}"
            )
        return saved

    def _thread(self, request_id: int) -> AmendmentThread:
        try:
            return self._s.store.desk.request(request_id)
        except NotFound:
            raise NotAllowed("That amendment request is not there to see.") from None

    def reply(self, request_id: int, text: str) -> AmendmentReply:
        """The author's reply to an amendment request on their record."""
        thread = self._thread(request_id)
        if thread.author_id != self._s.user.id:
            raise NotAllowed("Only the member of staff who wrote the record can reply to this.")
        if not thread.state.open:
            raise InvalidInput("This request is closed, so it cannot take a reply.")
        text = text.strip()
        if not text:
            raise InvalidInput("Write a reply first.")
        if len(text) > TEXT_LIMIT:
            raise InvalidInput(f"The reply is too long: keep it under {TEXT_LIMIT:,} letters.")
        store = self._s.store
        with store.transaction():
            saved = store.desk.add_reply(
                AmendmentReply(request_id, text), self._s.user.id, self._s.now()
            )
            self._s.audit(
                "amendment_request_replied",
                thread.request.incident_id,
                f"request {request_id} reply {saved.id}",
            )
        return saved

    def close_request(self, request_id: int) -> None:
        """A lead closes a request (no amendment needed after all, or done another way)."""
        self._require_lead("close an amendment request")
        thread = self._thread(request_id)
        if not thread.state.open:
            raise InvalidInput("This request is closed already.")
        store = self._s.store
        with store.transaction():
            store.desk.close_request(request_id, self._s.user.id, self._s.now())
            self._s.audit(
                "amendment_request_closed", thread.request.incident_id, f"request {request_id}"
            )

    def amendment_requests(self, closed_limit: int = 30) -> list[AmendmentThread]:
        """The desk's "Amendments requested": every open request (newest first), then
        the most recently closed."""
        self._require_lead()
        desk = self._s.store.desk
        opened = desk.requests(open_only=True, limit=500)
        recent = [t for t in desk.requests(limit=closed_limit + len(opened)) if not t.state.open]
        return opened + recent[:closed_limit]

    def may_see_requests(self, incident_id: int) -> bool:
        if self.is_lead:
            return True
        try:
            return self._s.store.desk.record(incident_id).author_id == self._s.user.id
        except NotFound:
            return False

    def requests_for(self, incident_id: int) -> list[AmendmentThread]:
        """The requests about one record, newest first: for leads and its author."""
        if not self.may_see_requests(incident_id):
            raise NotAllowed(
                "Only a safeguarding lead or the member of staff who wrote the record can "
                "see the amendment requests about it."
            )
        return self._s.store.desk.requests(incident_id=incident_id, limit=500)

    def my_amendment_requests(self) -> list[AmendmentThread]:
        """The open requests about records the user wrote (shown after sign-in)."""
        if not self._s.user.may_record:
            return []
        return self._s.store.desk.requests(author_id=self._s.user.id, open_only=True, limit=500)

    # ------------------------------------------------------------------ the count

    def waiting(self) -> DeskCount:
        """What waits: for a lead, records to sign off, open referrals, open amendment
        requests and the extra sections; for anyone else, the open requests about the
        records they wrote."""
        desk = self._s.store.desk
        if not self.is_lead:
            if not self._s.user.may_record:
                return DeskCount()
            return DeskCount(amendments=desk.open_requests_count(author_id=self._s.user.id))
        return DeskCount(
            to_sign_off=desk.to_sign_off_count(),
            referrals=desk.referrals_open_count(),
            amendments=desk.open_requests_count(),
            extra=tuple((label, count()) for label, count in self._extras()),
        )

    def _extras(self) -> list[ExtraSection]:
        extras = list(self.extra_sections)
        if self._statements is not None:
            extras.append((STATEMENTS_LABEL, lambda: len(self.statements_outstanding())))
        return extras

    def waiting_count(self) -> int:
        return self.waiting().total
