"""The school's details and the letter settings: administrators only, and audited.

The letter to parents and carers (issue 5) prints the school's name, address, phone and
email as its letterhead, is signed by the head or the safeguarding lead named here, and
invites parents to talk to the contact named here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from incident_recorder.domain.errors import InvalidInput
from incident_recorder.domain.model import (
    KindDefinitions,
    LetterSettings,
    Role,
    SchoolDetails,
    SchoolSettings,
)
from incident_recorder.services.session import Session

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\- ]{6,20}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LOGO_MAX_BYTES = 1024 * 1024


def _line(text: str) -> str:
    return " ".join(text.split())


def _address(text: str) -> str:
    """Keep the lines of an address, each tidied; drop empty lines."""
    return "\n".join(_line(part) for part in text.splitlines() if part.strip())


def _check_phone(phone: str, whose: str) -> None:
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
        raise InvalidInput(f"{whose} phone number does not look right: use digits and spaces.")


def _check_email(email: str, whose: str) -> None:
    if email and not _EMAIL.match(email):
        raise InvalidInput(f"{whose} email address does not look right, e.g. office@school.org.")


class SettingsService:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _require_admin(self) -> None:
        self._s.require(Role.ADMINISTRATOR, action="change the school's details and letters")

    def school_settings(self) -> SchoolSettings:
        """Everything the school has set (the lists, the time zone, the idle lock...)."""
        return self._s.settings()

    def school_details(self) -> SchoolDetails:
        return self._s.settings().school

    def letter_settings(self) -> LetterSettings:
        return self._s.settings().letters

    def save_school_and_letters(self, school: SchoolDetails, letters: LetterSettings) -> None:
        """Check and save the school's details and the letter settings. Raises
        InvalidInput with a plain message for the first problem found."""
        self._require_admin()
        school = dataclasses.replace(
            school,
            name=_line(school.name),
            address=_address(school.address),
            phone=_line(school.phone),
            email=school.email.strip(),
        )
        letters = dataclasses.replace(
            letters,
            signatory_name=_line(letters.signatory_name),
            contact_name=_line(letters.contact_name),
            contact_role=_line(letters.contact_role),
            contact_phone=_line(letters.contact_phone),
            contact_email=letters.contact_email.strip(),
        )
        if len(school.name) < 3:
            raise InvalidInput("Please enter the school's name.")
        if not school.address:
            raise InvalidInput("Please enter the school's address: it is printed on letters.")
        _check_phone(school.phone, "The school's")
        _check_email(school.email, "The school's")
        if not letters.signatory_name:
            raise InvalidInput("Please enter the name of the person who signs the letters.")
        if not letters.contact_name:
            raise InvalidInput("Please enter the name of the person parents can talk to.")
        if not (letters.contact_phone or letters.contact_email or school.phone):
            raise InvalidInput("Please give a phone number or email address parents can use.")
        _check_phone(letters.contact_phone, "The contact's")
        _check_email(letters.contact_email, "The contact's")
        current: SchoolSettings = self._s.settings()
        updated = dataclasses.replace(current, school=school, letters=letters)
        if updated == current:
            return
        store = self._s.store
        with store.transaction():
            store.settings.save(updated)
            changed = [
                part
                for part, before, after in (
                    ("school", current.school, school),
                    ("letters", current.letters, letters),
                )
                if before != after
            ]
            self._s.audit("settings_changed", detail=" and ".join(changed))

    def save_sign_off_overdue_days(self, days: int) -> None:
        """After how many school days the safeguarding desk marks a record overdue for
        signing off (issue 13; administrators only, audited)."""
        self._require_admin()
        if not 1 <= days <= 20:
            raise InvalidInput("Choose between 1 and 20 school days for signing off.")
        current = self._s.settings()
        if current.sign_off_overdue_school_days == days:
            return
        store = self._s.store
        with store.transaction():
            store.settings.save(dataclasses.replace(current, sign_off_overdue_school_days=days))
            self._s.audit("settings_changed", detail="sign-off overdue days")

    def save_report_minimums(self, on_roll: int, with_incident: int) -> None:
        """The smallest group the Reports screen gives a risk ratio: pupils on roll and
        pupils with an incident (issue 14; administrators only, audited)."""
        self._require_admin()
        if not 2 <= on_roll <= 100:
            raise InvalidInput("Choose between 2 and 100 pupils on roll for a group's ratio.")
        if not 1 <= with_incident <= 50:
            raise InvalidInput(
                "Choose between 1 and 50 pupils with an incident for a group's ratio."
            )
        current = self._s.settings()
        if (current.report_min_on_roll, current.report_min_with_incident) == (
            on_roll,
            with_incident,
        ):
            return
        store = self._s.store
        with store.transaction():
            store.settings.save(
                dataclasses.replace(
                    current, report_min_on_roll=on_roll, report_min_with_incident=with_incident
                )
            )
            self._s.audit(
                "settings_changed",
                detail=f"report group minimums {on_roll} on roll, {with_incident} with an incident",
            )

    # ------------------------------------------------------------------ definitions

    def kind_definitions(self) -> KindDefinitions:
        """The school's own words for each kind of intervention ("" where it uses the
        shipped wording)."""
        return self._s.settings().definitions

    def save_kind_definitions(self, definitions: KindDefinitions, shipped: KindDefinitions) -> None:
        """Keep the school's wording (administrators only, audited). A field left
        empty, or the same as ``shipped``, keeps following the shipped wording."""
        self._require_admin()
        tidy = KindDefinitions(
            *(
                "" if " ".join(mine.split()) == theirs else mine.strip()
                for mine, theirs in zip(
                    dataclasses.astuple(definitions), dataclasses.astuple(shipped), strict=True
                )
            )
        )
        if any(len(text) > 2000 for text in dataclasses.astuple(tidy)):
            raise InvalidInput("Each definition can be up to 2,000 characters.")
        current = self._s.settings()
        if tidy == current.definitions:
            return
        store = self._s.store
        with store.transaction():
            store.settings.save(dataclasses.replace(current, definitions=tidy))
            self._s.audit("settings_changed", detail="definitions of the kinds")

    # ------------------------------------------------------------------ the logo

    def logo(self) -> bytes | None:
        """The school's logo as PNG bytes (printed at the top of letters), or None."""
        return self._s.store.documents.logo()

    def set_logo(self, png: bytes) -> None:
        """Keep ``png`` as the school's logo (administrators only). The window reads
        the picture and scales it down; this checks it is a PNG of at most 1 MB."""
        self._require_admin()
        if not png.startswith(PNG_SIGNATURE):
            raise InvalidInput("The logo must be a PNG picture. Please choose another file.")
        if len(png) > LOGO_MAX_BYTES:
            raise InvalidInput("The logo is too big (more than 1 MB). Please choose a smaller one.")
        if png == self.logo():
            return
        store = self._s.store
        with store.transaction():
            store.documents.set_logo(png, self._s.user.id, self._s.clock.now())
            digest = hashlib.sha256(png).hexdigest()
            self._s.audit("logo_changed", detail=f"{len(png)} bytes", record_sha256=digest)

    def clear_logo(self) -> None:
        """Remove the logo (administrators only): letters print without one."""
        self._require_admin()
        if self.logo() is None:
            return
        store = self._s.store
        with store.transaction():
            store.documents.set_logo(None, self._s.user.id, self._s.clock.now())
            self._s.audit("logo_removed")
