"""Signing off records: a safeguarding lead or senior leader confirms they have read a
submitted record and that the follow-up is in hand (DESIGN.md §5).

Each sign-off is for the record's latest version, kept with that version's SHA-256, and
audited as ``record_signed_off`` (the audit check matches the hash against the record's
versions). The audit entry carries the record's id and version number, never a name.
"""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import Incident, IncidentStatus, IncidentVersion, Role
from incident_recorder.domain.sign_off import (
    COMMENT_LIMIT,
    SignOff,
    SignOffState,
    sign_off_state,
)
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session, to_local

SIGN_OFF_ACTION = "sign off records"


class SignOffService:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._incidents = IncidentService(session)

    @property
    def may_sign_off(self) -> bool:
        """Whether the signed-in user holds the safeguarding lead / senior leader role."""
        return self._s.user.has(Role.SAFEGUARDING_LEAD)

    def _local(self, moment: datetime) -> datetime:
        return to_local(moment, self._s.settings().school.timezone)

    def history(self, incident_id: int) -> list[SignOff]:
        """The record's sign-offs, oldest first (the same read rights as the versions)."""
        self._incidents.versions(incident_id)  # NotAllowed / NotFound as for reading
        return self._s.store.sign_offs.for_incident(incident_id)

    def state(self, incident_id: int) -> SignOffState:
        """Whether the latest version is signed off, with a sentence to show."""
        versions = self._incidents.versions(incident_id)
        latest = versions[-1].number if versions else 0
        return sign_off_state(
            self._s.store.sign_offs.for_incident(incident_id), latest, self._local
        )

    def versions(self, incident_id: int) -> list[IncidentVersion]:
        """The record's versions, oldest first (to say what is being signed)."""
        return self._incidents.versions(incident_id)

    def sign_off(self, incident_id: int, comment: str = "") -> SignOff:
        """Sign off the record's latest version. NotAllowed for anyone but a safeguarding
        lead or for a record they may not see; InvalidInput for a draft, or if the latest
        version is signed off already."""
        self._s.require(Role.SAFEGUARDING_LEAD, action=SIGN_OFF_ACTION)
        incident: Incident = self._incidents.open(incident_id)
        if incident.status is not IncidentStatus.SUBMITTED:
            raise InvalidInput("Only a submitted record can be signed off. This is a draft.")
        comment = comment.strip()
        if len(comment) > COMMENT_LIMIT:
            raise InvalidInput(f"The comment is too long: keep it under {COMMENT_LIMIT} letters.")
        versions = self._incidents.versions(incident_id)
        if not versions:
            raise InvalidInput("This record has no saved version to sign off.")
        latest = versions[-1]
        existing = self._s.store.sign_offs.for_incident(incident_id)
        if any(s.version == latest.number for s in existing):
            raise InvalidInput(
                f"Version {latest.number} of this record is signed off already. It needs "
                "signing off again only after it is amended."
            )
        store = self._s.store
        with store.transaction():
            stored = store.sign_offs.add(
                SignOff(incident_id, latest.number, latest.sha256, comment),
                self._s.user.id,
                self._s.now(),
            )
            self._s.audit(
                "record_signed_off", incident_id, f"version {latest.number}", latest.sha256
            )
        return stored
