"""The printable record: gathering a submitted record for printing, and auditing each
copy produced. The same read rights as opening the record (``IncidentService``); the
audit entries carry the record's id, which copy and a hash, never a name."""

from __future__ import annotations

from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import IncidentStatus, ParentsStatus
from incident_recorder.domain.record_document import (
    RecordDocument,
    names_to_hide,
    parents_copy_version,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session

FULL = "full record"
PARENTS = "copy for parents"


def copy_name(for_parents: bool) -> str:
    return PARENTS if for_parents else FULL


class RecordDocumentService:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._incidents = IncidentService(session)

    def build(self, incident_id: int, for_parents: bool) -> RecordDocument:
        """The record ready to print. Raises NotAllowed if the user may not open it,
        InvalidInput for a draft, or for a parents' copy while telling parents is
        withheld for the pupil's safety."""
        incident = self._incidents.open(incident_id)
        if incident.status is not IncidentStatus.SUBMITTED or not incident.reference:
            raise InvalidInput("Only a submitted record can be printed. Submit the draft first.")
        versions = tuple(self._incidents.versions(incident_id))
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
        if for_parents:
            hide = names_to_hide(store.pupils.list(), pupil)
            versions = tuple(parents_copy_version(v, hide) for v in versions)
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
        )
        self._s.audit("record_document", incident_id, copy_name(for_parents))
        return document

    def document_output(self, incident_id: int, how: str, sha256: str, for_parents: bool) -> None:
        """Record that a copy was saved or printed (``how``: "saved", "printed"), with
        the hash of exactly the bytes produced."""
        self._incidents.versions(incident_id)  # the same read rights as building it
        self._s.audit("record_printed", incident_id, f"{copy_name(for_parents)}, {how}", sha256)
