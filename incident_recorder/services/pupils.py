"""The pupil list and a pupil's record: reading for everyone signed in, adding and
editing for SENCOs and administrators. Audited with ids only (no names)."""

from __future__ import annotations

import dataclasses

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import Contact, Pupil, Role
from incident_recorder.domain.pupils import upn_problem
from incident_recorder.services.session import Session

EDITORS = (Role.SENCO, Role.ADMINISTRATOR)


def _tidy(text: str) -> str:
    return " ".join(text.split())


class PupilService:
    def __init__(self, session: Session) -> None:
        self._s = session

    @property
    def may_edit(self) -> bool:
        """Whether the signed-in user may add, edit and import pupils."""
        return self._s.user.has(*EDITORS)

    def search(self, text: str = "", limit: int = 5000) -> list[Pupil]:
        """Pupils whose name or UPN contains ``text``, on roll first."""
        return self._s.store.pupils.search(text.strip(), limit)

    def get(self, pupil_id: int) -> Pupil:
        return self._s.store.pupils.get(pupil_id)

    def update(self, pupil: Pupil) -> Pupil:
        """Save an edited pupil (every field, contacts replaced as a whole)."""
        self._s.require(*EDITORS, action="edit pupils")
        first, last = _tidy(pupil.first_name), _tidy(pupil.last_name)
        if not first or not last:
            raise InvalidInput("Please enter the pupil's first name and last name.")
        upn = pupil.upn.strip().upper().replace(" ", "")
        if upn:
            problem = upn_problem(upn)
            if problem:
                raise InvalidInput(problem)
            if any(p.upn == upn and p.id != pupil.id for p in self._s.store.pupils.list()):
                raise InvalidInput(f"Another pupil on the list already has UPN {upn}.")
        today = self._s.local_now().date()
        if pupil.date_of_birth is not None and pupil.date_of_birth >= today:
            raise InvalidInput("The date of birth must be in the past.")
        contacts: list[Contact] = []
        for number, contact in enumerate(pupil.contacts, start=1):
            name = _tidy(contact.name)
            if not name:
                raise InvalidInput(
                    f"Parent or carer {number} has no name. Enter their name or remove them."
                )
            contacts.append(dataclasses.replace(contact, name=name))
        clean = dataclasses.replace(
            pupil,
            first_name=first,
            last_name=last,
            upn=upn,
            preferred_name=_tidy(pupil.preferred_name),
            contacts=tuple(contacts),
        )
        store = self._s.store
        with store.transaction():
            saved = store.pupils.update(clean)
            self._s.audit("pupil_edited", detail=f"pupil {saved.id}")
        return saved
