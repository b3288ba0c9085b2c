"""Recording, submitting and amending incidents: the bound book's use cases."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import Any

from incident_recorder.domain import policy
from incident_recorder.domain.diff import FieldChange, changes
from incident_recorder.domain.errors import (
    CannotSubmit,
    InvalidInput,
    NotAllowed,
    NotFound,
    NothingChanged,
    ReasonRequired,
    RecordLocked,
)
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    IncidentQuery,
    IncidentStatus,
    IncidentSummary,
    IncidentVersion,
    NewPupil,
    Page,
    ParentsStatus,
    Pupil,
    Role,
    SchoolSettings,
    StaffMember,
    WhatHappened,
    Who,
)
from incident_recorder.domain.parents_told import hide_withheld_details
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.policy import Finding, PolicyContext
from incident_recorder.domain.pupil_names import pupil_names
from incident_recorder.domain.pupils import upn_problem
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.services.ports import Store, Visibility
from incident_recorder.services.session import Session, to_local
from incident_recorder.services.statement_requests import ask_named_staff

PARENTS_COPY_ONLY = "Your account can see the copy for parents, not the full record."


def details_sha256(details: IncidentDetails) -> str:
    return hashlib.sha256(details_to_json(details).encode("utf-8")).hexdigest()


def other_pupil_names(
    store: Store, on: date, text: str, pupil: Pupil | None
) -> frozenset[tuple[str, ...]]:
    """The ways other pupils on roll on ``on`` may be named in ``text`` (the store
    narrows the roll by the text), less the ways ``pupil`` itself may be named: for the
    warning that a summary or letter for parents names another child."""
    own = (
        set()
        if pupil is None
        else pupil_names(pupil.first_name, pupil.preferred_name, pupil.last_name)
    )
    others: set[tuple[str, ...]] = set()
    for other in store.pupils.names_on_roll(on, text):
        if pupil is None or other.id != pupil.id:
            others |= pupil_names(other.first_name, other.preferred_name, other.last_name)
    return frozenset(others - own)


class IncidentService:
    def __init__(self, session: Session) -> None:
        self._s = session
        # Other pupils' names that might be in the summary for parents, read once per
        # record, pupil and summary text: ((incident id, pupil id, text), the names).
        self._roll_names: (
            tuple[tuple[int | None, int | None, str], frozenset[tuple[str, ...]]] | None
        ) = None

    # ------------------------------------------------------------------ visibility

    def visibility(self) -> Visibility | None:
        """Which records lists may show this user (None: all of them)."""
        user = self._s.user
        if user.sees_all_records:
            return None
        return Visibility(user_id=user.id, staff_id=user.staff_id)

    def parents_duties_visibility(self) -> Visibility | None:
        """Which records the parents' duties list may show this user (None: every
        record it holds). The list never holds a record where telling parents was
        withheld (store/parent_contacts.py), so for the school office None means
        every submitted record except those."""
        if self._s.user.sees_all_parents_duties:
            return None
        return self.visibility()

    def may_see(self, incident: Incident) -> bool:
        """The read rule: a draft its author only; submitted records all (SENCO, lead)
        or the user's own and those they are named on."""
        user = self._s.user
        if incident.status is IncidentStatus.DRAFT:
            return incident.author_id == user.id
        if user.sees_all_records or incident.author_id == user.id:
            return True
        if not user.may_record:
            return False
        return any(i.staff_id == user.staff_id for i in incident.details.who.staff)

    def may_see_parents_duties(self, incident: Incident) -> bool:
        """Whether the user works this submitted record's parents' duties (the Parents
        and carers tab): whoever may see the record, and the school office for every
        record except those where telling parents was withheld for the child's safety."""
        if incident.status is not IncidentStatus.SUBMITTED:
            return False
        if self.may_see(incident):
            return True
        withheld = incident.details.parents.status is ParentsStatus.WITHHELD
        return self._s.user.sees_all_parents_duties and not withheld

    def may_see_parents_copy(self, incident: Incident) -> bool:
        """Whether the user may read (and print) this record's copy for parents: there
        is none where telling parents was withheld."""
        withheld = incident.details.parents.status is ParentsStatus.WITHHELD
        return not withheld and self.may_see_parents_duties(incident)

    def may_see_full_record(self, incident_id: int) -> bool:
        """Whether opening ``incident_id`` shows the full record (else, at most, the copy
        for parents). Nothing is audited: the record is not shown."""
        return self.may_see(self._s.store.incidents.get(incident_id))

    def _no_access(self, incident: Incident) -> NotAllowed:
        if self.may_see_parents_copy(incident):
            return NotAllowed(PARENTS_COPY_ONLY)
        return NotAllowed("You do not have access to this record.")

    def _require_recorder(self) -> None:
        if not self._s.user.may_record:
            raise NotAllowed(
                "Your account cannot record incidents. Ask an administrator to give it the "
                "Staff role."
            )

    def _load(self, incident_id: int, parents_copy: bool = False) -> Incident:
        """The record if the user may see it (``parents_copy``: or its copy for
        parents); else NotAllowed, in words that say which."""
        incident = self._s.store.incidents.get(incident_id)
        if self.may_see(incident):
            return incident
        if parents_copy and self.may_see_parents_copy(incident):
            return incident
        raise self._no_access(incident)

    # ------------------------------------------------------------------ drafts

    def new_draft(self, details: IncidentDetails | None = None) -> Incident:
        self._require_recorder()
        store = self._s.store
        with store.transaction():
            incident = store.incidents.create_draft(
                self._s.user.id, details or IncidentDetails(), self._s.now()
            )
            self._s.audit("create", incident.id, "draft started")
        return incident

    def add_pupil_to_event(self, incident_id: int) -> Incident:
        """Another pupil held in the same event: a new linked draft that starts with the
        event's shared details (when, where, staff, account); the pupil's own details are
        left for this record."""
        self._require_recorder()
        source = self._load(incident_id)
        d = source.details
        start = IncidentDetails(
            when_where=d.when_where,
            who=Who(pupil_id=None, staff=d.who.staff, other_witnesses=d.who.other_witnesses),
            what_happened=WhatHappened(account=d.what_happened.account),
        )
        store = self._s.store
        with store.transaction():
            incident = store.incidents.create_draft(
                self._s.user.id, start, self._s.now(), event_id=source.event_id
            )
            self._s.audit("create", incident.id, f"draft linked to event {source.event_id}")
        return incident

    def save_draft(self, incident_id: int, details: IncidentDetails) -> None:
        """Autosave. Only the author's own draft; submitted records are locked."""
        incident = self._s.store.incidents.get(incident_id)
        if incident.author_id != self._s.user.id:
            raise NotAllowed("Only the person who started a draft can change it.")
        if incident.status is IncidentStatus.SUBMITTED:
            raise RecordLocked(incident.reference or str(incident_id))
        self._s.store.incidents.save_draft(incident_id, details, self._s.now())

    def discard_draft(self, incident_id: int) -> None:
        incident = self._s.store.incidents.get(incident_id)
        if incident.author_id != self._s.user.id or incident.status is not IncidentStatus.DRAFT:
            raise NotAllowed(
                "Only the author can discard a draft, and only before it is submitted."
            )
        store = self._s.store
        with store.transaction():
            store.incidents.discard_draft(incident_id)
            self._s.audit("discard_draft", incident_id)

    def drafts(self) -> list[IncidentSummary]:
        return self._s.store.incidents.drafts(self._s.user.id)

    # ------------------------------------------------------------------ reading

    def open(self, incident_id: int) -> Incident:
        """Read a record; viewing a submitted record is audited."""
        incident = self._load(incident_id)
        if incident.status is IncidentStatus.SUBMITTED:
            self._s.audit(
                "view", incident.id, incident.reference or "", details_sha256(incident.details)
            )
        return incident

    def open_parents_copy(self, incident_id: int) -> Incident:
        """Read a submitted record for its copy for parents (the school office's way
        in). Someone who may see the full record opens it as :meth:`open` does; anyone
        else's opening is audited as ``view_parents_copy`` (ids and a hash only)."""
        incident = self._s.store.incidents.get(incident_id)
        if self.may_see(incident):
            return self.open(incident_id)
        if not self.may_see_parents_copy(incident):
            raise self._no_access(incident)
        self._s.audit(
            "view_parents_copy",
            incident.id,
            incident.reference or "",
            details_sha256(incident.details),
        )
        return incident

    def by_reference(self, reference: str, parents_copy: bool = False) -> Incident:
        """The record ``reference``, opened (and audited) as :meth:`open` does.
        ``parents_copy``: for its copy for parents, which the school office may have
        without the full record; then nothing is read here for such a user (making the
        copy opens it, audited)."""
        found = self._s.store.incidents.by_reference(reference.strip())
        if found is not None and not self.may_see(found) and self.may_see_parents_copy(found):
            if parents_copy:
                return found
            raise NotAllowed(PARENTS_COPY_ONLY)
        if found is None or not self.may_see(found):
            raise NotFound(f"There is no record {reference} that you can see.")
        return self.open(found.id)

    def search(self, query: IncidentQuery) -> Page[IncidentSummary]:
        if not self._s.user.reads_records:
            return Page((), 0)
        if query.status is IncidentStatus.DRAFT:
            # A draft belongs to its author alone, whatever the author's roles.
            mine = Visibility(user_id=self._s.user.id, staff_id=None)
            return self._s.store.incidents.search(query, mine)
        return self._s.store.incidents.search(query, self.visibility())

    def linked(self, incident: Incident) -> list[IncidentSummary]:
        """Other records from the same event (other pupils held)."""
        return [
            s for s in self._s.store.incidents.in_event(incident.event_id) if s.id != incident.id
        ]

    def versions(self, incident_id: int, parents_copy: bool = False) -> list[IncidentVersion]:
        """Every version, oldest first. ``parents_copy``: for the copy for parents, which
        the school office may read without the full record (the caller cuts them down)."""
        self._load(incident_id, parents_copy)
        return self._s.store.incidents.versions(incident_id)

    def compare(self, before: IncidentVersion, after: IncidentVersion) -> list[FieldChange]:
        b, a = before.details, after.details
        if not self.sees_withheld_details:
            b, a = hide_withheld_details(b), hide_withheld_details(a)
        return changes(b, a, self.describe_value)

    @property
    def sees_withheld_details(self) -> bool:
        """Why telling parents was withheld is for safeguarding leads only (issue 5)."""
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    def describe_value(self, key: str, value: Any) -> str | None:
        """Names for ids in a comparison."""
        store = self._s.store
        if key == "who.pupil_id" and isinstance(value, int):
            try:
                return store.pupils.get(value).display_name
            except NotFound:
                return f"pupil {value}"
        if key == "who.staff" and isinstance(value, list):
            parts = []
            for item in value:
                try:
                    name = store.staff.get(int(item["staff_id"])).full_name
                except (NotFound, KeyError, TypeError, ValueError):
                    name = "unknown"
                parts.append(f"{name} ({str(item.get('part', '')).replace('_', ' ')})")
            return "; ".join(parts) or "—"
        return None

    # ------------------------------------------------------------------ policy

    def findings(self, details: IncidentDetails, incident: Incident | None = None) -> list[Finding]:
        """The policy findings for the form, as it stands."""
        return policy.evaluate(details, self._context(details, incident))

    def date_question(
        self, details: IncidentDetails, incident: Incident | None = None
    ) -> str | None:
        """What to ask before keeping a date long ago (policy.date_question), or None."""
        return policy.date_question(details, self._context(details, incident))

    def _context(self, details: IncidentDetails, incident: Incident | None) -> PolicyContext:
        """What the policy rules need besides the record. Reads the settings, the pupil
        and the plan in force once each; submit and amend reuse ``plan`` from it."""
        settings = self._s.settings()
        zone = settings.school.timezone
        now_local = to_local(self._s.now(), zone)
        recorded_on = now_local.date()
        if incident is not None and incident.submitted_at is not None:
            recorded_on = to_local(incident.submitted_at, zone).date()
        pupil: Pupil | None = None
        plan: BehaviourPlan | None = None
        pupil_id = details.who.pupil_id
        if pupil_id is not None:
            try:
                pupil = self._s.store.pupils.get(pupil_id)
            except NotFound:
                pupil = None
            if pupil is not None:
                plan = self._s.store.plans.in_force(
                    pupil_id, details.when_where.date or now_local.date()
                )
        return PolicyContext(
            now_local=now_local,
            recorded_on=recorded_on,
            pupil=pupil,
            pupil_has_plan=None if pupil is None else plan is not None,
            hold_warning_minutes=settings.hold_warning_minutes,
            plan=plan,
            other_pupil_names=self._other_pupil_names(details, incident, pupil, now_local.date()),
        )

    def _other_pupil_names(
        self, details: IncidentDetails, incident: Incident | None, pupil: Pupil | None, today: date
    ) -> frozenset[tuple[str, ...]]:
        """The names of other pupils on roll that might be in the summary for parents,
        for the warning when it names one; read once per record, pupil and text."""
        text = details.parents.summary_for_parents
        if not text.strip():
            return frozenset()
        key = (None if incident is None else incident.id, details.who.pupil_id, text)
        if self._roll_names is None or self._roll_names[0] != key:
            names = other_pupil_names(self._s.store, today, text, pupil)
            self._roll_names = (key, names)
        return self._roll_names[1]

    def plan_in_force(self, details: IncidentDetails) -> BehaviourPlan | None:
        """The pupil's behaviour support plan in force on the incident's date (today
        while no date is entered), for the form to show beside the steps."""
        pupil_id = details.who.pupil_id
        if pupil_id is None or not self._s.user.may_record:
            return None
        day = details.when_where.date or self._s.local_now().date()
        return self._s.store.plans.in_force(pupil_id, day)

    def _with_plan_version(
        self, details: IncidentDetails, context: PolicyContext
    ) -> IncidentDetails:
        """``details`` naming the version of the plan in force (``context.plan``, as
        plan_in_force gives it: none for an account that cannot record)."""
        plan = context.plan if self._s.user.may_record else None
        version = None if plan is None else plan.version
        if details.who.plan_version == version:
            return details
        return dataclasses.replace(
            details, who=dataclasses.replace(details.who, plan_version=version)
        )

    # ------------------------------------------------------------------ submit and amend

    def submit(self, incident_id: int, details: IncidentDetails) -> Incident:
        """Lock the record with its reference. Raises CannotSubmit with what is missing."""
        incident = self._s.store.incidents.get(incident_id)
        if incident.author_id != self._s.user.id:
            raise NotAllowed("Only the person who started a draft can submit it.")
        if incident.status is IncidentStatus.SUBMITTED:
            raise RecordLocked(incident.reference or str(incident_id))
        context = self._context(details, incident)  # the pupil and the plan, read once
        remaining = policy.outstanding(policy.evaluate(details, context))
        if remaining:
            raise CannotSubmit(remaining)
        details = self._with_plan_version(details, context)
        store = self._s.store
        with store.transaction():
            done = store.incidents.submit(incident_id, details, self._s.user.id, self._s.now())
            self._s.audit("submit", done.id, done.reference or "", details_sha256(details))
            ask_named_staff(self._s, done)  # each adult's own account (issue 13)
        return done

    def may_amend(self, incident: Incident) -> bool:
        user = self._s.user
        if incident.status is not IncidentStatus.SUBMITTED:
            return False
        if user.has(Role.SENCO, Role.SAFEGUARDING_LEAD):
            return True
        return user.may_record and self.may_see(incident)

    def amend(self, incident_id: int, details: IncidentDetails, reason: str) -> Incident:
        """A new version with who, when and why. Every earlier version stays readable."""
        incident = self._load(incident_id)
        if incident.status is not IncidentStatus.SUBMITTED:
            raise NotAllowed("Only a submitted record can be amended; a draft is simply edited.")
        if not self.may_amend(incident):
            raise NotAllowed("Your account cannot amend this record.")
        if not reason.strip():
            raise ReasonRequired()
        # The plan version does not change what the context reads: read it once.
        context = self._context(details, incident)
        details = self._with_plan_version(details, context)
        if details == incident.details:
            raise NothingChanged()
        remaining = policy.outstanding(policy.evaluate(details, context))
        if remaining:
            raise CannotSubmit(remaining)
        store = self._s.store
        with store.transaction():
            done = store.incidents.amend(
                incident_id, details, self._s.user.id, reason.strip(), self._s.now()
            )
            self._s.audit(
                "amend",
                done.id,
                f"{done.reference} version {done.version}",
                details_sha256(details),
            )
            ask_named_staff(self._s, done)  # anyone newly named is asked too (issue 13)
        return done


class DirectoryService:
    """Pupils, staff and pick-lists, as the incident form needs them."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def settings(self) -> SchoolSettings:
        """The school's pick-lists and limits, for the form."""
        return self._s.settings()

    def local_now(self) -> datetime:
        """The school's wall-clock time (naive), e.g. to default a new record to today."""
        return self._s.local_now()

    def search_pupils(self, text: str, limit: int = 50) -> list[Pupil]:
        return self._s.store.pupils.search(text.strip(), limit)

    def pupil(self, pupil_id: int) -> Pupil:
        return self._s.store.pupils.get(pupil_id)

    def staff_list(self) -> list[StaffMember]:
        return self._s.store.staff.list()

    def staff(self, staff_id: int) -> StaffMember:
        return self._s.store.staff.get(staff_id)

    def _refuse_office_only(self) -> None:
        """Quick-add belongs to the incident form, which the school office alone has no
        way into (docs/permissions.md)."""
        if self._s.user.office_only:
            raise NotAllowed("Your account cannot add pupils or staff.")

    def quick_add_staff(self, full_name: str, job_title: str = "") -> StaffMember:
        """Add an adult to the staff list (or return the entry already there)."""
        self._refuse_office_only()
        name = " ".join(full_name.split())
        if len(name) < 2:
            raise InvalidInput("Please enter the member of staff's full name.")
        for member in self._s.store.staff.list():
            if member.full_name.lower() == name.lower():
                return member
        store = self._s.store
        with store.transaction():
            member = store.staff.add(name, " ".join(job_title.split()))
            self._s.audit("staff_added", detail=f"staff {member.id}")
        return member

    def quick_add_pupil(self, pupil: NewPupil) -> Pupil:
        """Add a pupil by hand, until the MIS import does it (issue 4)."""
        self._refuse_office_only()
        first = " ".join(pupil.first_name.split())
        last = " ".join(pupil.last_name.split())
        if not first or not last:
            raise InvalidInput("Please enter the pupil's first name and last name.")
        upn = pupil.upn.strip().upper()
        if upn:
            problem = upn_problem(upn)
            if problem:
                raise InvalidInput(problem)
            if any(p.upn == upn for p in self._s.store.pupils.search(upn, 5)):
                raise InvalidInput(f"A pupil with UPN {upn} is already on the list.")
        today = self._s.local_now().date()
        if pupil.date_of_birth is not None and pupil.date_of_birth >= today:
            raise InvalidInput("The date of birth must be in the past.")
        clean = dataclasses.replace(
            pupil,
            first_name=first,
            last_name=last,
            upn=upn,
            preferred_name=" ".join(pupil.preferred_name.split()),
        )
        store = self._s.store
        with store.transaction():
            added = store.pupils.add(clean)
            self._s.audit("pupil_added", detail=f"pupil {added.id}")
        return added
