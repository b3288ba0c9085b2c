"""Tracking that parents and carers were told: each call or meeting, the letter sent,
each reply, written on a submitted record; what that adds up to; and the list of
records whose parents are still to be told or sent the letter.

Why telling parents was withheld (and who decided, and who at the local authority was
told) is shown to safeguarding leads only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import (
    ContactMethod,
    Incident,
    ParentsContact,
    ParentsStatus,
    Role,
)
from incident_recorder.domain.parents_copy import (
    CopyHow,
    CopyStatus,
    CopySupply,
    DutyFinding,
    SupplyKind,
    aged_20_or_over,
    copy_status,
    duty_findings,
)
from incident_recorder.domain.parents_told import (
    WITHHELD_HIDDEN,
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
    ParentsToldSummary,
    ToTellRow,
    incident_start,
    summarise,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session


@dataclass(frozen=True, slots=True)
class ParentsView:
    """What the "Parents and carers" tab shows for one record."""

    incident_id: int
    reference: str
    summary: ParentsToldSummary
    entries: tuple[ParentContactEntry, ...]
    withheld_lines: tuple[str, ...]  # empty unless withheld; hidden from non-leads
    parent_names: tuple[str, ...]  # the pupil's parents and carers, to pick from
    may_record: bool
    # Issue 13: the written record supplied to the parents, and the duties in words.
    copy: CopyStatus | None = None
    supplies: tuple[CopySupply, ...] = ()
    duties: tuple[DutyFinding, ...] = ()
    adult: bool = False  # aged 20 or over on the day: not required by law (s. 93A)


def withheld_lines(parents: ParentsContact, user_is_lead: bool) -> tuple[str, ...]:
    """The withheld block in words: in full for a safeguarding lead, else one line."""
    if parents.status is not ParentsStatus.WITHHELD:
        return ()
    if not user_is_lead:
        return (WITHHELD_HIDDEN,)
    la_at = "" if parents.la_told_at is None else f"{parents.la_told_at:%d/%m/%Y %H:%M}"
    return (
        "Withheld for the child's safety.",
        f"Why: {parents.withheld_reason or 'not recorded'}",
        f"Who decided: {parents.withheld_decided_by or 'not recorded'}",
        f"Local authority told: {la_at or 'not recorded'}"
        + (f", {parents.la_told_who}" if parents.la_told_who else ""),
    )


class ParentsService:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._incidents = IncidentService(session)

    # ------------------------------------------------------------------ who may

    @property
    def user_name(self) -> str:
        return self._s.user.full_name

    def local_now(self) -> datetime:
        return self._s.local_now()

    @property
    def _works_with_records(self) -> bool:
        """Whether the user deals with parents about records: whoever records incidents
        or reads them all, and the school office (not administration alone)."""
        return self._s.user.deals_with_parents

    @property
    def office_only(self) -> bool:
        """The school office alone: records open as the parents' view (the copy for
        parents and the Parents and carers tab), never as the full record."""
        return self._s.user.office_only

    def opens_as_parents_copy(self, incident_id: int) -> bool:
        """Whether opening ``incident_id`` from the parents' duties list shows the
        parents' view (the user may not read the full record, only its copy for
        parents). Nothing is read for the user, so nothing is audited."""
        return not self._incidents.may_see_full_record(incident_id)

    @property
    def is_lead(self) -> bool:
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    def _submitted(self, incident_id: int) -> Incident:
        incident = self._s.store.incidents.get(incident_id)
        if not self._incidents.may_see_parents_duties(incident):
            raise NotAllowed("You do not have access to this record.")
        return incident

    # ------------------------------------------------------------------ reading

    def view(self, incident_id: int) -> ParentsView:
        incident = self._submitted(incident_id)
        entries = self._s.store.parent_contacts.for_incident(incident_id)
        supplies = self._s.store.parents_copies.for_incident(incident_id)
        names: tuple[str, ...] = ()
        adult = False
        pupil_id = incident.details.who.pupil_id
        if pupil_id is not None:
            pupil = self._s.store.pupils.get(pupil_id)
            names = tuple(
                f"{c.name} ({c.relationship})" if c.relationship else c.name for c in pupil.contacts
            )
            adult = aged_20_or_over(pupil.date_of_birth, incident.details.when_where.date)
        now = self._s.local_now()
        summary = summarise(incident.details, entries, now)
        copy = copy_status(supplies, incident.version)
        return ParentsView(
            incident_id=incident.id,
            reference=incident.reference or "",
            summary=summary,
            entries=tuple(entries),
            withheld_lines=withheld_lines(incident.details.parents, self.is_lead),
            parent_names=names,
            may_record=self._works_with_records,
            copy=copy,
            supplies=tuple(supplies),
            duties=duty_findings(summary, copy, incident_start(incident.details), now, adult),
            adult=adult,
        )

    def amended_copy_due(self, incident_id: int) -> int | None:
        """After an amendment: the version the parents had, when a copy of an earlier
        version went and the latest has neither gone nor been decided against (so the
        user is asked whether the amended copy should go too); else None."""
        try:
            view = self.view(incident_id)
        except NotAllowed:
            return None
        if view.summary.withheld or view.copy is None or not view.copy.newer_due:
            return None
        return view.copy.supplied_version

    def summary(self, incident_id: int) -> ParentsToldSummary:
        return self.view(incident_id).summary

    def to_tell(self, limit: int = 500) -> list[ToTellRow]:
        if not self._works_with_records:
            return []
        visible = self._incidents.parents_duties_visibility()
        return self._s.store.parent_contacts.to_tell(visible, limit)

    def to_tell_count(self) -> int:
        if not self._works_with_records:
            return 0
        visible = self._incidents.parents_duties_visibility()
        return self._s.store.parent_contacts.to_tell_count(visible)

    # ------------------------------------------------------------------ writing

    def record_attempt(
        self,
        incident_id: int,
        at: datetime,
        method: ContactMethod,
        outcome: AttemptOutcome,
        parent: str = "",
        by_whom: str = "",
        note: str = "",
    ) -> ParentContactEntry:
        """A call, meeting or message to tell parents."""
        return self._add(
            ParentContactEntry(
                incident_id, ContactEntryKind.ATTEMPT, at, method.value, parent, outcome.value,
                by_whom, note,
            )
        )  # fmt: skip

    def record_letter_sent(
        self,
        incident_id: int,
        at: datetime,
        how: LetterDelivery,
        parent: str = "",
        by_whom: str = "",
        note: str = "",
    ) -> ParentContactEntry:
        return self._add(
            ParentContactEntry(
                incident_id, ContactEntryKind.LETTER_SENT, at, how.value, parent, "",
                by_whom, note,
            )
        )  # fmt: skip

    def record_reply(
        self,
        incident_id: int,
        at: datetime,
        method: ContactMethod,
        parent: str = "",
        by_whom: str = "",
        note: str = "",
    ) -> ParentContactEntry:
        """A reply from parents, or a meeting with them (it counts as telling them)."""
        return self._add(
            ParentContactEntry(
                incident_id, ContactEntryKind.REPLY, at, method.value, parent, "", by_whom, note
            )
        )

    def _add(self, entry: ParentContactEntry) -> ParentContactEntry:
        incident = self._submitted(entry.incident_id)
        if not self._works_with_records:
            raise NotAllowed("Your account cannot record contacts with parents.")
        if incident.details.parents.status is ParentsStatus.WITHHELD and not self.is_lead:
            raise NotAllowed(
                "Telling parents was withheld for this child's safety: only a safeguarding "
                "lead can record contact with them."
            )
        at = entry.at.replace(tzinfo=None, second=0, microsecond=0)
        if at > self._s.local_now():
            raise InvalidInput("The time is in the future. Check the date and time.")
        when = incident.details.when_where
        if when.date is not None and at.date() < when.date:
            raise InvalidInput("The time is before the incident. Check the date and time.")
        if not entry.parent.strip():
            raise InvalidInput("Say which parent or carer.")
        by_whom = entry.by_whom.strip() or self._s.user.full_name
        with self._s.store.transaction():
            saved = self._s.store.parent_contacts.add(
                ParentContactEntry(
                    incident_id=entry.incident_id,
                    kind=entry.kind,
                    at=at,
                    method=entry.method,
                    parent=entry.parent,
                    outcome=entry.outcome,
                    by_whom=by_whom,
                    note=entry.note,
                ),
                self._s.user.id,
                self._s.now(),
            )
            self._s.audit(
                "parent_contact",
                entry.incident_id,
                f"contact {saved.id} {entry.kind.value} {entry.outcome}".strip(),
            )
        return saved

    # ------------------------------------------------------------------ the copy

    def _check_copy(self, incident: Incident) -> None:
        if not self._works_with_records:
            raise NotAllowed("Your account cannot record the copy supplied to parents.")
        if incident.details.parents.status is ParentsStatus.WITHHELD:
            raise NotAllowed(
                "Telling parents was withheld for this child's safety, so no copy of the "
                "record goes to them."
            )

    def _moment(self, incident: Incident, at: datetime) -> datetime:
        at = at.replace(tzinfo=None, second=0, microsecond=0)
        if at > self._s.local_now():
            raise InvalidInput("The time is in the future. Check the date and time.")
        day = incident.details.when_where.date
        if day is not None and at.date() < day:
            raise InvalidInput("The time is before the incident. Check the date and time.")
        return at

    def record_copy_supplied(
        self,
        incident_id: int,
        at: datetime,
        how: CopyHow,
        parent: str,
        by_whom: str = "",
        note: str = "",
        version: int | None = None,
    ) -> CopySupply:
        """The written record (the copy for parents of ``version``, the latest when
        None) went to ``parent``: handed over, posted with the letter or emailed."""
        incident = self._submitted(incident_id)
        self._check_copy(incident)
        if not parent.strip():
            raise InvalidInput("Say which parent or carer.")
        supply = CopySupply(
            incident_id=incident_id,
            version=incident.version if version is None else version,
            at=self._moment(incident, at),
            how=how,
            parent=parent,
            by_whom=by_whom.strip() or self._s.user.full_name,
            note=note,
        )
        with self._s.store.transaction():
            saved = self._s.store.parents_copies.add(supply, self._s.user.id, self._s.now())
            self._s.audit(
                "parents_copy_supplied",
                incident_id,
                f"copy {saved.id} of version {saved.version} {how.value}",
            )
        return saved

    def decline_amended_copy(self, incident_id: int, reason: str) -> CopySupply:
        """Keep that the latest (amended) version need not go to the parents, and why
        (for example, the amendment corrected a spelling)."""
        incident = self._submitted(incident_id)
        self._check_copy(incident)
        if not reason.strip():
            raise InvalidInput("Say why the amended copy need not go to the parents.")
        supplies = self._s.store.parents_copies.for_incident(incident_id)
        if not copy_status(supplies, incident.version).newer_due:
            raise InvalidInput(
                "There is no amended version waiting: the parents have the latest copy, "
                "or none has gone yet."
            )
        supply = CopySupply(
            incident_id=incident_id,
            version=incident.version,
            at=self._s.local_now(),
            how=None,
            kind=SupplyKind.NOT_NEEDED,
            by_whom=self._s.user.full_name,
            note=reason,
        )
        with self._s.store.transaction():
            saved = self._s.store.parents_copies.add(supply, self._s.user.id, self._s.now())
            self._s.audit(
                "parents_copy_not_needed", incident_id, f"version {saved.version} need not go"
            )
        return saved

    def record_sent_together(
        self, incident_id: int, how: CopyHow, parents: Sequence[str], at: datetime | None = None
    ) -> list[CopySupply]:
        """The letter and the copy of the record went out together, to each of
        ``parents`` (the letter's addressees): both are kept, in one transaction."""
        incident = self._submitted(incident_id)
        self._check_copy(incident)
        moment = self._moment(incident, at or self._s.local_now())
        delivery = LetterDelivery(how.value)
        saved: list[CopySupply] = []
        with self._s.store.transaction():
            for parent in parents:
                self.record_letter_sent(incident_id, moment, delivery, parent, note="")
                saved.append(
                    self.record_copy_supplied(
                        incident_id, moment, how, parent, note="Enclosed with the letter."
                    )
                )
        return saved
