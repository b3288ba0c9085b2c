"""Fictional parents and carers for the demo school's pupils, so that its records make
sensible letters to parents and carers (issue 5). Everyone here is made up; the
addresses use streets invented for the demo and Camden-like postcodes.

Most pupils live with two parents at one address (one letter, "Dear Mr and Mrs ...");
every fifth pupil has parents who live apart (two letters); every seventh has a
grandparent who is an emergency contact without parental responsibility (no letter).
"""

from __future__ import annotations

import dataclasses

from incident_recorder.domain.model import Contact, LetterSettings, NewPupil, SignatoryRole

_STREETS = (
    "Orchard Lane",
    "Kettle Row",
    "Willow Crescent",
    "Lantern Court",
    "Marigold Road",
    "Heron Close",
    "Quince Street",
    "Foxglove Walk",
)
_MOTHERS = ("Amina", "Claire", "Joanna", "Nadia", "Ruth", "Sofia", "Grace", "Leila")
_FATHERS = ("Daniel", "Marek", "Samuel", "Omar", "Tom", "Kwame", "Luis", "Ravi")


def _address(index: int, offset: int = 0) -> str:
    number = 3 + (index * 7 + offset * 13) % 90
    street = _STREETS[(index + offset) % len(_STREETS)]
    return f"{number} {street}\nLondon\nNW1 {1 + (index + offset) % 9}AB"


def demo_contacts(index: int, last_name: str) -> tuple[Contact, ...]:
    """The contacts of the demo's pupil number ``index`` (from 0)."""
    mother = _MOTHERS[index % len(_MOTHERS)]
    father = _FATHERS[(index // 2) % len(_FATHERS)]
    home = _address(index)
    apart = index % 5 == 4
    contacts = [
        Contact(
            f"Mrs {mother} {last_name}",
            "Mother",
            parental_responsibility=True,
            address=home,
            phone=f"07700 900{index % 1000:03d}",
            receives_correspondence=True,
        ),
        Contact(
            f"Mr {father} {last_name}",
            "Father",
            parental_responsibility=True,
            address=_address(index, 1) if apart else home,
            phone=f"07700 901{index % 1000:03d}",
            receives_correspondence=True,
        ),
    ]
    if index % 7 == 3:
        contacts.append(Contact(f"Pat {last_name}", "Grandparent", phone="020 7946 0999"))
    return tuple(contacts)


def with_demo_contacts(pupil: NewPupil, index: int) -> NewPupil:
    """The pupil with their fictional parents and carers, unless they already have some."""
    if pupil.contacts:
        return pupil
    return dataclasses.replace(pupil, contacts=demo_contacts(index, pupil.last_name))


def demo_letter_settings(head_name: str, phone: str) -> LetterSettings:
    """Who signs the demo's letters (the head) and whom parents may call."""
    return LetterSettings(
        signatory_name=head_name,
        signatory_role=SignatoryRole.HEAD,
        contact_name="Mrs Joy Adebayo",
        contact_role="Family support worker",
        contact_phone=phone,
    )
