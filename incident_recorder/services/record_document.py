"""The printable record: gathering a submitted record for printing, and auditing each
copy produced. The same read rights as opening the record (``IncidentService``); the
audit entries carry the record's id, which copy and a hash, never a name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from incident_recorder.domain.desk import details_items, referrals_section
from incident_recorder.domain.documents import (
    DocumentKind,
    DocumentOutput,
    OutputHow,
    Pdf,
    record_file_name,
)
from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentStatus,
    IncidentVersion,
    ParentsStatus,
    Role,
)
from incident_recorder.domain.parents_copy import (
    aged_20_or_over,
    copy_status,
    duties_section,
    duty_findings,
)
from incident_recorder.domain.parents_told import (
    hide_withheld_details,
    incident_start,
    summarise,
)
from incident_recorder.domain.record_contacts import contacts_section
from incident_recorder.domain.record_document import (
    RecordDocument,
    RecordSection,
    documents_section,
    names_to_hide,
    parents_copy_version,
)
from incident_recorder.domain.sign_off import sign_off_section
from incident_recorder.domain.statements import statements_section
from incident_recorder.domain.training import TRAINING_HEADING, training_rows
from incident_recorder.services.incidents import IncidentService, details_sha256
from incident_recorder.services.ports import DocumentRenderer
from incident_recorder.services.session import Session, to_local
from incident_recorder.services.statements import StatementService
from incident_recorder.services.training import held_training

FULL = "full record"
PARENTS = "copy for parents"


def copy_name(for_parents: bool) -> str:
    return PARENTS if for_parents else FULL


@dataclass(frozen=True, slots=True)
class MadeRecord:
    """The printable record made, and the note kept that it was previewed, printed or
    saved."""

    pdf: Pdf
    output: DocumentOutput


class RecordDocumentService:
    def __init__(self, session: Session, renderer: DocumentRenderer) -> None:
        self._s = session
        self._renderer = renderer
        self._incidents = IncidentService(session)

    def parents_copy(self, incident_id: int) -> RecordDocument:
        """The copy for parents to read on screen (the school office's parents' view):
        the same content as the printed copy; the opening is audited (ids only)."""
        return self.build(incident_id, for_parents=True)

    def render(self, incident_id: int, for_parents: bool) -> Pdf:
        """The record as a PDF in memory (:meth:`build`, then laid out); see
        :meth:`record` once it is previewed, printed or saved."""
        document = self.build(incident_id, for_parents)
        pdf = self._renderer.record(document)
        return replace(pdf, file_name=record_file_name(document.reference, for_parents))

    def make(self, incident_id: int, for_parents: bool, how: OutputHow) -> MadeRecord:
        """Render the record and keep that it was ``how`` (the command line's way)."""
        pdf = self.render(incident_id, for_parents)
        return MadeRecord(pdf, self.record(incident_id, for_parents, how, pdf))

    def record(
        self, incident_id: int, for_parents: bool, how: OutputHow, pdf: Pdf
    ) -> DocumentOutput:
        """Keep that ``pdf`` was previewed, printed or saved (``how``), with the hash of
        exactly its bytes and its pages."""
        return self.document_output(incident_id, how, pdf.sha256, for_parents, pdf.pages)

    def build(self, incident_id: int, for_parents: bool) -> RecordDocument:
        """The record ready to print. Raises NotAllowed if the user may not open it,
        InvalidInput for a draft, or for a parents' copy while telling parents is
        withheld for the pupil's safety."""
        incidents = self._incidents
        # The school office reads the copy for parents only (IncidentService says so).
        incident = (
            incidents.open_parents_copy(incident_id) if for_parents else incidents.open(incident_id)
        )
        if incident.status is not IncidentStatus.SUBMITTED or not incident.reference:
            raise InvalidInput("Only a submitted record can be printed. Submit the draft first.")
        versions = tuple(incidents.versions(incident_id, parents_copy=for_parents))
        store = self._s.store
        pupil_id = incident.details.who.pupil_id
        if pupil_id is None:
            raise InvalidInput("This record has no pupil, so it cannot be printed.")
        pupil = store.pupils.get(pupil_id)
        if for_parents and incident.details.parents.status is ParentsStatus.WITHHELD:
            raise NotAllowed(
                "There is no copy for parents of this record: it says telling parents was "
                "withheld for the pupil's safety."
            )
        staff_ids = {s.staff_id for v in versions for s in v.details.who.staff}
        staff_names = {}
        for staff_id in staff_ids:
            try:
                staff_names[staff_id] = store.staff.get(staff_id).full_name
            except NotFound:
                continue
        pupil_names = {}
        for other_id in {v.details.who.pupil_id for v in versions} - {None, pupil.id}:
            assert other_id is not None
            try:
                pupil_names[other_id] = store.pupils.get(other_id).display_name
            except NotFound:
                continue
        linked = tuple(
            s.reference for s in self._incidents.linked(incident) if s.reference is not None
        )
        if not self._incidents.sees_withheld_details:  # for safeguarding leads only
            versions = tuple(replace(v, details=hide_withheld_details(v.details)) for v in versions)
        if for_parents:
            hide = names_to_hide(store.pupils.list(), pupil)
            # Staff names stay whole ("Halima Ionescu" is a teacher, even if a pupil on
            # roll is called Halima too).
            keep = {m.full_name for m in store.staff.list(active_only=False)}
            keep |= set(staff_names.values()) | {v.saved_by_name for v in versions}
            versions = tuple(parents_copy_version(v, hide, keep) for v in versions)
            pupil_names, linked = {}, ()
        document = RecordDocument(
            school=self._s.settings().school,
            pupil=pupil,
            reference=incident.reference,
            versions=versions,
            staff_names=staff_names,
            pupil_names=pupil_names,
            linked_references=linked,
            printed_on=self._s.local_now(),
            printed_by=self._s.user.full_name,
            for_parents=for_parents,
            later_sections=(
                *self._training(versions[-1].details, for_parents),
                sign_off_section(
                    store.sign_offs.for_incident(incident_id),
                    for_parents,
                    lambda moment: to_local(moment, self._s.settings().school.timezone),
                    versions[-1].number,
                ),
                *self._referrals(incident_id, versions[-1].details, for_parents),
                *self._statements(incident_id, for_parents),
                *self._contacts(incident_id, versions[-1].details, for_parents),
                *self._duties(incident_id, versions[-1], pupil.date_of_birth, for_parents),
                documents_section(
                    store.documents.outputs_for(incident_id),
                    for_parents,
                    lambda moment: to_local(moment, self._s.settings().school.timezone),
                ),
            ),
        )
        self._s.audit("record_document", incident_id, copy_name(for_parents))
        return document

    def _training(self, latest: IncidentDetails, for_parents: bool) -> tuple[RecordSection, ...]:
        """Issue 13: each member of staff who held the pupil, with their training as it
        stood on the incident's date (from the training list; not in the record, so
        no version's fingerprint changes). The full record only."""
        day = latest.when_where.date
        if for_parents or day is None:
            return ()
        months = self._s.settings().training_valid_months
        held = held_training(self._s.store, latest.who.staff, day, months)
        if not held:
            return ()
        return (RecordSection(f"{TRAINING_HEADING} (on {day:%d/%m/%Y})", training_rows(held)),)

    def _referrals(
        self, incident_id: int, latest: IncidentDetails, for_parents: bool
    ) -> tuple[RecordSection, ...]:
        """Issue 13: the lead's decisions about referrals (and injuries), in the full
        record printed by a safeguarding lead; never in the parents' copy."""
        if for_parents or not self._s.user.has(Role.SAFEGUARDING_LEAD):
            return ()
        decisions = self._s.store.desk.decisions([incident_id])
        section = referrals_section(details_items(latest), decisions)
        return () if section is None else (section,)

    def _statements(self, incident_id: int, for_parents: bool) -> tuple[RecordSection, ...]:
        """Issue 13: each adult's own account (the parents' copy says only how many
        the school keeps). Left out when nobody was asked."""
        states = StatementService(self._s).for_record(incident_id, parents_copy=for_parents)
        zone = self._s.settings().school.timezone
        section = statements_section(states, for_parents, lambda m: to_local(m, zone))
        return () if section is None else (section,)

    def _contacts(
        self, incident_id: int, latest: IncidentDetails, for_parents: bool
    ) -> tuple[RecordSection, ...]:
        """Contacts with parents after the record, with whether they were told. Left
        out where telling parents was withheld, unless a safeguarding lead prints it."""
        withheld = latest.parents.status is ParentsStatus.WITHHELD
        if withheld and (for_parents or not self._s.user.has(Role.SAFEGUARDING_LEAD)):
            return ()
        entries = self._s.store.parent_contacts.for_incident(incident_id)
        summary = summarise(latest, entries, self._s.local_now())
        return (contacts_section(summary, entries, for_parents),)

    def _duties(
        self,
        incident_id: int,
        latest: IncidentVersion,
        date_of_birth: date | None,
        for_parents: bool,
    ) -> tuple[RecordSection, ...]:
        """Issue 13: told the same day, the letter, and whether the written record was
        supplied as soon as practicable (or not required by law, section 93A). Left out
        where telling parents was withheld, unless a safeguarding lead prints it."""
        details = latest.details
        withheld = details.parents.status is ParentsStatus.WITHHELD
        if withheld and (for_parents or not self._s.user.has(Role.SAFEGUARDING_LEAD)):
            return ()
        now = self._s.local_now()
        store = self._s.store
        summary = summarise(details, store.parent_contacts.for_incident(incident_id), now)
        supplies = store.parents_copies.for_incident(incident_id)
        adult = aged_20_or_over(date_of_birth, details.when_where.date)
        duties = duty_findings(
            summary, copy_status(supplies, latest.number), incident_start(details), now, adult
        )
        return (duties_section(duties, supplies, for_parents),)

    def document_output(
        self,
        incident_id: int,
        how: OutputHow | str,
        sha256: str,
        for_parents: bool,
        pages: int = 1,
    ) -> DocumentOutput:
        """Keep that a copy was previewed, printed or saved (``how``), with the hash of
        exactly the bytes produced: stored with the record's documents and audited."""
        # The same read rights as build: the copy for parents for the school office.
        versions = self._incidents.versions(incident_id, parents_copy=for_parents)
        how = OutputHow(how)
        kind = DocumentKind.RECORD_FOR_PARENTS if for_parents else DocumentKind.RECORD
        output = DocumentOutput(
            incident_id=incident_id, kind=kind, how=how, sha256=sha256, pages=max(1, pages)
        )
        store = self._s.store
        with store.transaction():
            stored = store.documents.add_output(output, self._s.user.id, self._s.clock.now())
            # record_sha256 names the record version printed (the audit check matches it
            # against the versions); the PDF's own hash is in the detail.
            detail = f"{copy_name(for_parents)}, {how.value}, pdf sha256 {sha256}"
            latest = details_sha256(versions[-1].details) if versions else None
            self._s.audit("record_printed", incident_id, detail, latest)
        return stored
