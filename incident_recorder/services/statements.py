"""Each adult's own account of a record (issue 13, part 3; docs/permissions.md).

Requests are made when a record is submitted or amended (services/statement_requests).
The member of staff a request is for answers it: their account in their own words, or
that they have nothing to add; each answer is a new version, kept with its SHA-256 and
never changed. A safeguarding lead may close a request answered on paper, and sees the
statements still outstanding. Everyone who may read a record sees its statements.

Each action is audited with ids and version numbers only: ``statement_written``,
``statement_nothing_to_add``, ``statement_on_paper`` (the statement's SHA-256 is in the
detail; ``record_sha256`` is left empty, as it names record versions only).
"""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import Incident, IncidentStatus, Role
from incident_recorder.domain.statements import (
    OUTSTANDING_AFTER_SCHOOL_DAYS,
    OutstandingRow,
    RequestState,
    Statement,
    StatementContext,
    StatementKind,
    StatementRequest,
    canonical_text,
    outstanding,
    parts_by_staff,
    states_for_record,
    text_problem,
    text_sha256,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session, to_local

NOT_YOURS = (
    "This statement is asked of another member of staff: only they can write it. If "
    "they gave it on paper, a safeguarding lead can record where it is filed."
)
ON_PAPER_ACTION = "record a statement given on paper"
OUTSTANDING_ACTION = "see the staff statements still outstanding"
_AUDIT = {
    StatementKind.ACCOUNT: "statement_written",
    StatementKind.NOTHING_TO_ADD: "statement_nothing_to_add",
    StatementKind.ON_PAPER: "statement_on_paper",
}


class StatementService:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._incidents = IncidentService(session)

    # ------------------------------------------------------------------ rights

    @property
    def may_mark_on_paper(self) -> bool:
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    @property
    def may_see_outstanding(self) -> bool:
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    @property
    def is_linked(self) -> bool:
        """Whether the signed-in account is linked to a staff-list entry (statements
        are asked of staff entries, so an account without one is asked for none)."""
        return self._s.user.staff_id is not None

    def is_mine(self, request: StatementRequest) -> bool:
        staff_id = self._s.user.staff_id
        return staff_id is not None and request.staff_id == staff_id

    def _local(self, moment: datetime) -> datetime:
        return to_local(moment, self._s.settings().school.timezone)

    def local(self, moment: datetime) -> datetime:
        """A stored UTC time as the school's wall-clock time (for the screens)."""
        return self._local(moment)

    def local_now(self) -> datetime:
        return self._s.local_now()

    # ------------------------------------------------------------------ reading

    def _with_account(self) -> set[int]:
        return {u.staff_id for u in self._s.store.users.list() if u.active and u.staff_id}

    def _names(self, staff_ids: set[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for staff_id in staff_ids:
            try:
                names[staff_id] = self._s.store.staff.get(staff_id).full_name
            except NotFound:
                continue
        return names

    def _pupil_name(self, incident: Incident) -> str:
        pupil_id = incident.details.who.pupil_id
        if pupil_id is None:
            return "Not recorded"
        try:
            return self._s.store.pupils.get(pupil_id).display_name
        except NotFound:
            return f"Pupil no. {pupil_id}"

    def _states(self, incident: Incident, requests: list[StatementRequest]) -> list[RequestState]:
        store = self._s.store
        statements = store.statements.statements_for_requests(r.id or 0 for r in requests)
        names = self._names({r.staff_id for r in requests})
        states = states_for_record(
            requests, statements, incident.details, names, self._with_account()
        )
        pupil = self._pupil_name(incident)
        reference = incident.reference or ""
        return [
            RequestState(
                s.request, s.statements, s.staff_name, s.parts, s.has_account, reference, pupil
            )
            for s in states
        ]

    def for_record(self, incident_id: int, parents_copy: bool = False) -> list[RequestState]:
        """The record's requests and statements: the same read rights as the record
        (``parents_copy``: as its copy for parents, which shows only how many there
        are, for the school office: issue 13)."""
        # NotAllowed / NotFound as for reading
        self._incidents.versions(incident_id, parents_copy=parents_copy)
        incident = self._s.store.incidents.get(incident_id)
        return self._states(incident, self._s.store.statements.requests_for_incident(incident_id))

    def my_request_for(self, incident_id: int) -> RequestState | None:
        """The signed-in person's own request on this record, if they were asked."""
        return next((s for s in self.for_record(incident_id) if self.is_mine(s.request)), None)

    def my_requests(self) -> list[RequestState]:
        """Every request made of the signed-in person (through their account's staff
        entry; none without one), the ones waiting first, then the newest."""
        staff_id = self._s.user.staff_id
        if staff_id is None:
            return []
        store = self._s.store
        found: list[RequestState] = []
        by_incident: dict[int, list[StatementRequest]] = {}
        for request in store.statements.requests_for_staff(staff_id):
            by_incident.setdefault(request.incident_id, []).append(request)
        for incident_id, requests in by_incident.items():
            found += self._states(store.incidents.get(incident_id), requests)
        return sorted(
            found,
            key=lambda s: (not s.waiting, -s.request.requested_at.timestamp()),
        )

    def my_waiting_count(self) -> int:
        """How many of the signed-in person's requests wait for an answer."""
        staff_id = self._s.user.staff_id
        if staff_id is None:
            return 0
        waiting = {r.id for r in self._s.store.statements.waiting()}
        return sum(
            1 for r in self._s.store.statements.requests_for_staff(staff_id) if r.id in waiting
        )

    def context(self, request_id: int) -> StatementContext:
        """What the editor shows: the record and the author's account, read only. For
        the person asked (or anyone who may read the record)."""
        store = self._s.store
        request = store.statements.request(request_id)
        incident = store.incidents.get(request.incident_id)
        if not self.is_mine(request) and not self._incidents.may_see(incident):
            raise NotAllowed("You do not have access to this record.")
        versions = store.incidents.versions(incident.id)
        author = versions[0].saved_by_name if versions else ""
        day = incident.details.when_where.date
        statements = store.statements.statements_for_requests([request_id])
        kept = store.statements.draft(request_id) if self.is_mine(request) else None
        return StatementContext(
            request_id=request_id,
            incident_id=incident.id,
            reference=incident.reference or "",
            occurred_on="" if day is None else f"{day:%d/%m/%Y}",
            pupil_name=self._pupil_name(incident),
            author_name=author or "a former member of staff",
            author_account=incident.details.what_happened.account,
            parts=parts_by_staff(incident.details).get(request.staff_id, ()),
            latest=max(statements, key=lambda s: s.version) if statements else None,
            draft="" if kept is None else kept[0],
            draft_kept_at=None if kept is None else self._local(kept[1]),
        )

    def keep_draft(self, request_id: int, text: str) -> None:
        """Keep what the person asked has typed and not yet saved (as they type, and
        when the app locks or the editor closes), so none of it is lost; empty text
        removes the draft. Not audited: a draft is not a statement."""
        store = self._s.store
        request = store.statements.request(request_id)
        if not self.is_mine(request):
            raise NotAllowed(NOT_YOURS)
        store.statements.save_draft(request_id, text, self._s.user.id, self._s.now())

    # ------------------------------------------------------------------ writing

    def write(self, request_id: int, text: str) -> Statement:
        """Save the signed-in person's account in their own words (the next version)."""
        return self._save(request_id, StatementKind.ACCOUNT, text)

    def nothing_to_add(self, request_id: int, note: str = "") -> Statement:
        """Say they have nothing to add (with an optional note); the next version."""
        return self._save(request_id, StatementKind.NOTHING_TO_ADD, note)

    def mark_on_paper(self, request_id: int, where_filed: str) -> Statement:
        """A safeguarding lead records that a request still waiting was answered on
        paper, and where the paper is filed; that closes it."""
        self._s.require(Role.SAFEGUARDING_LEAD, action=ON_PAPER_ACTION)
        return self._save(request_id, StatementKind.ON_PAPER, where_filed)

    def _save(self, request_id: int, kind: StatementKind, text: str) -> Statement:
        store = self._s.store
        request = store.statements.request(request_id)
        incident = store.incidents.get(request.incident_id)
        if incident.status is not IncidentStatus.SUBMITTED:
            raise InvalidInput("This record is not submitted.")
        existing = store.statements.statements_for_requests([request_id])
        if kind is StatementKind.ON_PAPER:
            if not self._incidents.may_see(incident):
                raise NotAllowed("You do not have access to this record.")
            if existing:
                raise InvalidInput(
                    "This statement has been given already, so it cannot be marked as "
                    "given on paper."
                )
        elif not self.is_mine(request):
            raise NotAllowed(NOT_YOURS)
        problem = text_problem(kind, text)
        if problem:
            raise InvalidInput(problem)
        clean = canonical_text(text)
        version = 1 + max((s.version for s in existing), default=0)
        with store.transaction():
            saved = store.statements.add_statement(
                Statement(
                    request_id=request_id,
                    version=version,
                    kind=kind,
                    text=clean,
                    sha256=text_sha256(clean),
                    saved_at=self._s.now(),
                    saved_by=self._s.user.id,
                )
            )
            self._s.audit(
                _AUDIT[kind],
                incident.id,
                f"request {request_id} version {version} sha256 {saved.sha256}",
            )
        return saved

    # ------------------------------------------------------------------ the desk

    def outstanding(
        self, school_days_after: int = OUTSTANDING_AFTER_SCHOOL_DAYS
    ) -> list[OutstandingRow]:
        """Statements still waiting after ``school_days_after`` school days (by the
        school calendar), longest waiting first: for safeguarding leads (the desk)."""
        self._s.require(Role.SAFEGUARDING_LEAD, action=OUTSTANDING_ACTION)
        store = self._s.store
        by_incident: dict[int, list[StatementRequest]] = {}
        for request in store.statements.waiting():
            by_incident.setdefault(request.incident_id, []).append(request)
        states: list[RequestState] = []
        for incident_id, requests in by_incident.items():
            incident = store.incidents.get(incident_id)
            if incident.status is IncidentStatus.SUBMITTED:
                states += self._states(incident, requests)
        found = outstanding(
            states, self._s.local_now(), school_days_after, self._local, self._s.calendar()
        )
        return [
            OutstandingRow(
                incident_id=o.state.request.incident_id,
                reference=o.state.reference,
                pupil_name=o.state.pupil_name,
                request_id=o.state.request.id or 0,
                staff_id=o.state.request.staff_id,
                staff_name=o.state.name,
                requested_at=o.state.request.requested_at,
                requested_local=self._local(o.state.request.requested_at),
                school_days_waiting=o.school_days_waiting,
                has_account=o.state.has_account,
            )
            for o in found
        ]
