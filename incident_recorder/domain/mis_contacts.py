"""Parents and carers in an MIS export: recognising their columns, reading them, and
deciding who has parental responsibility and who receives letters when the file does
not say.

**Columns.** MIS exports name the same thing in many orders: ``Contact 1 Surname``,
``Contact1 Forename``, ``Priority 1 Contact Surname``, ``Priority Contact 1: Email``,
``Primary Guardian Forename``, ``Secondary Carer Mobile``, ``Parent/Carer 2 Relationship``,
``Guardian 2: Home Telephone``, ``Parent Email`` (no number: the first), ``Parent Name 2``,
``Mother Forename``. A header is a *prefix* naming the person (who, and which one) and a
*part* naming the detail (see :data:`PARTS`). Primary, main and first are contact 1;
secondary and second are contact 2. "Mother …" and "Father …" columns take the contact
numbers no numbered column uses, in the order they first appear, and give the
relationship when there is no relationship column.

**Who has parental responsibility** (when the file has no column for it): the
relationship decides. A mother, father, parent, adoptive parent or legal or special
guardian is taken to have it; anyone else (a step-parent, grandparent, foster carer,
other relative or a blank relationship) is not. Most fathers have it but not all, so
the preview says how it was decided and asks the school to check.

**Who receives letters** (when the file has no column for it): everyone with parental
responsibility. A file that has the column is obeyed, a blank cell being no.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from incident_recorder.domain.mis_problems import ProblemKind, RowProblem
from incident_recorder.domain.model import Contact

CONTACTS = 2  # contact columns recognised for contacts 1 and 2

# The details of a contact, each with the folded column-name endings that hold it.
PARTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "names", "display name", "legal name"),
    "title": ("title", "salutation title", "courtesy title"),
    "forename": (
        "forename", "forenames", "first name", "first names", "given name", "given names",
        "legal forename", "christian name",
    ),
    "surname": ("surname", "last name", "family name", "legal surname"),
    "relationship": (
        "relationship", "relation", "relationship to pupil", "relationship to student",
        "relationship to child", "relationship to learner", "relationship type",
        "relationship description", "relationship desc", "relationship name",
    ),
    "parental_responsibility": (
        "parental responsibility", "pr", "has parental responsibility", "parental resp",
        "parental responsibility flag", "has pr", "with parental responsibility",
    ),
    "receives_correspondence": (
        "correspondence", "receives correspondence", "receive correspondence",
        "send correspondence", "gets correspondence", "mailing", "mailings",
        "include in mailings", "include in correspondence", "receives mail", "mail merge",
        "receives letters", "receive letters", "send letters", "letters",
    ),
    "lives_with_pupil": (
        "lives with pupil", "lives with student", "lives with child", "lives with learner",
        "lives with", "living with pupil", "living with student", "resides with pupil",
        "resides with student", "same address as pupil", "same address as student",
        "at pupils address", "at students address", "same household",
    ),
    "priority": (
        "priority", "contact priority", "priority order", "priority no", "priority number",
        "order", "contact order",
    ),
    "phone": (
        "phone", "telephone", "tel", "phone number", "telephone number", "tel no",
        "tel number", "phone no", "main phone", "main telephone", "primary phone",
        "contact number", "contact phone", "contact telephone", "day phone",
    ),
    "mobile": (
        "mobile", "mobile phone", "mobile telephone", "mobile number", "mobile tel",
        "mobile no", "mobile telephone number", "mobile phone number", "mob", "cell",
        "cell phone",
    ),
    "home_phone": (
        "home phone", "home telephone", "home tel", "home number", "home phone number",
        "home telephone number", "home no", "landline", "home landline",
    ),
    "work_phone": (
        "work phone", "work telephone", "work tel", "work number", "work phone number",
        "work telephone number", "work no", "daytime phone", "daytime telephone",
        "business phone", "work mobile",
    ),
    "email": (
        "email", "e mail", "email address", "e mail address", "main email", "home email",
        "personal email", "primary email", "email addr",
    ),
    "preferred_language": (
        "language", "preferred language", "home language", "first language",
        "main language", "spoken language", "language spoken",
    ),
    "house_name": ("house name", "flat", "apartment", "building", "house name number"),
    "house_number": ("house number", "house no", "house num", "building number"),
    "address": (
        "address", "home address", "full address", "address line 1", "address 1",
        "address line one", "line 1", "street", "street address", "house and street",
        "address block", "postal address", "correspondence address", "address street",
    ),
    "address_line2": ("address line 2", "address 2", "address line two", "line 2",
                      "locality", "district", "village"),
    "address_line3": ("address line 3", "address 3", "address line three", "line 3"),
    "town": ("town", "city", "town city", "city town", "post town", "town or city"),
    "county": ("county", "region", "county region"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zip code"),
}  # fmt: skip
_PART_OF = {alias: part for part, aliases in PARTS.items() for alias in aliases}
# Yes/no details: part -> what a problem calls it.
FLAG_PARTS = {
    "parental_responsibility": "parental responsibility",
    "receives_correspondence": "receives correspondence",
    "lives_with_pupil": "lives with pupil",
}
_PHONES = (("phone", ""), ("mobile", "mobile"), ("home_phone", "home"), ("work_phone", "work"))
_ADDRESS = ("house_name", "address", "address_line2", "address_line3", "town", "county")

_ROLES = frozenset(
    {"contact", "contacts", "parent", "parents", "carer", "carers", "guardian", "guardians"}
)
_PARENT_WORDS = {"mother": "mother", "mum": "mother", "father": "father", "dad": "father"}
_NUMBERS = {"1": "1", "2": "2", "one": "1", "two": "2", "1st": "1", "2nd": "2"}
_ORDINALS = {"primary": "1", "main": "1", "first": "1", "secondary": "2", "second": "2"}
_FLAG_TAILS = (" y n", " yes no", " t f", " true false", " flag", " indicator")


def _prefix(tokens: list[str]) -> str | None:
    """Which contact a header's leading words name: "1", "2", "" (no number: the first),
    "mother" or "father"; None if they do not name one."""
    number: str | None = None
    roles = 0
    parent: str | None = None
    priority = False
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _ROLES:
            roles += 1
        elif token in _PARENT_WORDS:
            if parent or roles:
                return None
            parent = _PARENT_WORDS[token]
        elif token in ("or", "and"):
            if not (i and tokens[i - 1] in _ROLES and after in _ROLES):
                return None
        elif token == "priority":
            if priority:
                return None
            priority = True
        elif token in ("no", "number", "num"):
            if after not in _NUMBERS:
                return None
        elif token in _NUMBERS:
            if number:
                return None
            number = _NUMBERS[token]
        elif token in _ORDINALS:  # "Primary Guardian", never "Guardian Primary"
            if number or roles:
                return None
            number = _ORDINALS[token]
        else:
            return None
    if parent:
        return parent if number is None and not priority and not roles else None
    if not roles:
        return number if priority and number else None  # "Priority 1 Surname"
    return number or ""


def recognise_contact(folded: str) -> tuple[str, str] | None:
    """(which contact, which detail) for a folded header, or None. Which contact is
    "1", "2", "" (no number given: the first), "mother" or "father"."""
    found = _recognise(folded, bare=True)
    if found is None:
        for tail in _FLAG_TAILS:  # "Contact 1 Parental Responsibility (Y/N)"
            if folded.endswith(tail):
                found = _recognise(folded.removesuffix(tail), bare=False)
                break
    return found


def _recognise(folded: str, bare: bool) -> tuple[str, str] | None:
    tokens = folded.split()
    for cut in range(len(tokens) - 1, 0, -1):  # the longest prefix that names someone
        part = _PART_OF.get(" ".join(tokens[cut:]))
        if part is not None:
            slot = _prefix(tokens[:cut])
            if slot is not None:
                return slot, part
    if len(tokens) >= 3 and tokens[-1] in ("1", "2"):  # "Parent Name 2"
        for cut in range(len(tokens) - 2, 0, -1):
            part = _PART_OF.get(" ".join(tokens[cut:-1]))
            if part is not None and _prefix(tokens[:cut]) == "":
                return tokens[-1], part
    slot = _prefix(tokens) if bare else None
    if slot:  # "Contact 1", "Primary Carer", "Mother": their name
        return slot, "name"
    return None


_PR_RELATIONSHIPS = frozenset(
    {
        "mother", "father", "parent", "mum", "dad", "mummy", "daddy",
        "adoptive mother", "adoptive father", "adoptive parent", "adopted mother",
        "adopted father", "adoptive mum", "adoptive dad",
        "guardian", "legal guardian", "special guardian",
    }
)  # fmt: skip


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def implies_parental_responsibility(relationship: str) -> bool:
    """Whether a relationship is taken to carry parental responsibility when the file
    does not say (see the module notes)."""
    return _fold(relationship) in _PR_RELATIONSHIPS


# ------------------------------------------------------------------ reading a row


@dataclass(slots=True)
class ContactTally:
    """What the file's contacts were, and how their flags were decided, for the
    preview's notes."""

    contacts: int = 0
    letters: int = 0
    pr_by_relationship: Counter[str] = field(default_factory=Counter)  # relationship -> n
    pr_yes_by_relationship: int = 0
    pr_no_relationship: int = 0  # no relationship given (taken not to have it)
    correspondence_by_default_yes: int = 0
    correspondence_by_default_no: int = 0
    shared_address: int = 0


@dataclass(frozen=True, slots=True)
class ContactColumns:
    """Which of a file's contacts have which columns (the same for every row)."""

    slots: Mapping[int, frozenset[str]]  # contact number -> the details it has columns for
    implied_relationship: Mapping[int, str]  # from "Mother …" columns

    def without(self, part: str) -> list[int]:
        return [n for n, parts in self.slots.items() if part not in parts]


def read_contacts(
    row: int,
    slots: Mapping[int, Mapping[str, str]],
    columns: ContactColumns,
    problems: list[RowProblem],
    tally: ContactTally,
) -> tuple[Contact, ...]:
    """One row's contacts from their details (contact number -> part -> cell)."""
    read: list[tuple[Contact, bool | None, int | None]] = []
    for n, parts in slots.items():
        if not any(parts.values()):
            continue
        contact = _one_contact(row, n, parts, columns, problems, tally)
        if contact is not None:
            read.append(contact)
    _share_home(read, tally)
    read.sort(key=lambda c: (c[2] is None, c[2] or 0))  # stable: file order otherwise
    return tuple(c[0] for c in read)


def _one_contact(
    row: int,
    n: int,
    parts: Mapping[str, str],
    columns: ContactColumns,
    problems: list[RowProblem],
    tally: ContactTally,
) -> tuple[Contact, bool | None, int | None] | None:
    name = parts.get("name", "") or " ".join(
        p for p in (parts.get("title"), parts.get("forename"), parts.get("surname")) if p
    )
    if not name:
        problems.append(
            RowProblem(ProblemKind.CONTACT_NO_NAME, row, f"contact {n} has details but no name.")
        )
        return None
    flags: dict[str, bool | None] = {}
    for part, words in FLAG_PARTS.items():
        flags[part] = None
        if part in parts:
            flags[part] = _yes_no(parts[part])
            if flags[part] is None:
                problems.append(
                    RowProblem(
                        ProblemKind.CONTACT_NOT_YES_NO,
                        row,
                        f"'{parts[part]}' under contact {n}'s {words} is not yes or no.",
                        value=parts[part],
                        subject=words,
                    )
                )
    priority = _priority(row, n, parts.get("priority", ""), problems)
    relationship = parts.get("relationship", "") or columns.implied_relationship.get(n, "")
    tally.contacts += 1
    pr = flags["parental_responsibility"]
    if "parental_responsibility" not in parts:
        pr = implies_parental_responsibility(relationship)
        if pr:
            tally.pr_yes_by_relationship += 1
        elif relationship.strip():
            tally.pr_by_relationship[" ".join(relationship.split()).lower()] += 1
        else:
            tally.pr_no_relationship += 1
    correspondence = flags["receives_correspondence"]
    if "receives_correspondence" not in parts:
        correspondence = bool(pr)
        if correspondence:
            tally.correspondence_by_default_yes += 1
        else:
            tally.correspondence_by_default_no += 1
    if pr and correspondence:
        tally.letters += 1
    contact = Contact(
        name=name,
        relationship=relationship,
        parental_responsibility=bool(pr),
        address=_address(parts),
        phone=_phones(parts),
        email=parts.get("email", ""),
        preferred_language=parts.get("preferred_language", ""),
        receives_correspondence=bool(correspondence),
    )
    return contact, flags["lives_with_pupil"], priority


def _yes_no(text: str) -> bool | None:
    folded = _fold(text)
    if folded in ("y", "yes", "true", "t", "1", "x", "ticked"):
        return True
    if folded in ("n", "no", "false", "f", "0", "", "none"):
        return False
    return None


def _priority(row: int, n: int, text: str, problems: list[RowProblem]) -> int | None:
    if not text.strip():
        return None
    match = re.fullmatch(r"(?:priority\s*)?(\d{1,3})(?:st|nd|rd|th)?", text.strip().lower())
    if match is None:
        problems.append(
            RowProblem(
                ProblemKind.CONTACT_PRIORITY,
                row,
                f"'{text}' under contact {n}'s priority is not a number.",
                value=text,
            )
        )
        return None
    return int(match[1])


def _address(parts: Mapping[str, str]) -> str:
    """The address one line a part, for the letter's envelope window."""
    number = parts.get("house_number", "").strip()
    lines = []
    for key in _ADDRESS:
        line = parts.get(key, "").strip()
        if key == "address" and number:
            line = f"{number} {line}".strip()
        lines.append(line)
    lines.append(parts.get("postcode", "").strip())
    return "\n".join(line for line in lines if line)


def _phones(parts: Mapping[str, str]) -> str:
    """One number as it is; several as "07700 900123 (mobile), 01632 960123 (home)"."""
    numbers: list[tuple[str, str]] = []
    for key, label in _PHONES:
        number = " ".join(parts.get(key, "").split())
        if number and number not in (n for n, _ in numbers):
            numbers.append((number, label))
    if len(numbers) == 1:
        return numbers[0][0]
    return ", ".join(f"{n} ({label})" if label else n for n, label in numbers)


def _share_home(read: list[tuple[Contact, bool | None, int | None]], tally: ContactTally) -> None:
    """A contact with no address who lives with the pupil lives where the other
    contact who lives with the pupil does."""
    home = next((c.address for c, lives, _ in read if lives and c.address), "")
    if not home:
        return
    for i, (contact, lives, priority) in enumerate(read):
        if lives and not contact.address:
            read[i] = (_with_address(contact, home), lives, priority)
            tally.shared_address += 1


def _with_address(contact: Contact, address: str) -> Contact:
    return Contact(
        name=contact.name,
        relationship=contact.relationship,
        parental_responsibility=contact.parental_responsibility,
        address=address,
        phone=contact.phone,
        email=contact.email,
        preferred_language=contact.preferred_language,
        receives_correspondence=contact.receives_correspondence,
    )


# ------------------------------------------------------------------ the preview's notes


def _people(n: int) -> str:
    return f"{n:,} {'parent or carer' if n == 1 else 'parents and carers'}"


def _which(numbers: list[int], columns: ContactColumns) -> str:
    if len(numbers) == len(columns.slots):
        return ""
    return " for " + " and ".join(f"parent or carer {n}" for n in numbers)


def contact_notes(columns: ContactColumns | None, tally: ContactTally) -> tuple[str, ...]:
    """How the file's parents and carers were read, in plain sentences, so the school
    can check before importing."""
    if columns is None or not columns.slots:
        return (
            "The file has no parent or carer columns, so the parents and carers already "
            "on the list are left as they are.",
        )
    if not tally.contacts:
        return (
            "The file's parent and carer columns are empty, so the pupils in it will have "
            "no parents or carers on the list.",
        )
    notes = [
        f"{_people(tally.contacts)} in the file; {tally.letters:,} of them will be sent "
        "letters (they have parental responsibility and receive correspondence)."
    ]
    no_pr = columns.without("parental_responsibility")
    no_relationship = [
        n for n in columns.without("relationship") if n not in columns.implied_relationship
    ]
    if not no_pr:
        notes.append("Parental responsibility is read from the file.")
    elif set(no_pr) <= set(no_relationship):
        notes.append(
            f"The file has no parental responsibility or relationship column"
            f"{_which(no_pr, columns)}, so nobody there is taken to have parental "
            "responsibility and they will not be sent letters. Add the Parental "
            "Responsibility column to the report in your MIS and import it again, or set "
            "it for each parent on the pupil's page."
        )
    else:
        others = ", ".join(f"{rel} ({n})" for rel, n in sorted(tally.pr_by_relationship.items()))
        blank = (
            f" {_people(tally.pr_no_relationship)} with no relationship in the file "
            f"{'is' if tally.pr_no_relationship == 1 else 'are'} taken not to have it."
            if tally.pr_no_relationship
            else ""
        )
        notes.append(
            f"The file has no parental responsibility column{_which(no_pr, columns)}, so it "
            "was decided from the relationship to the pupil: a mother, father, parent, "
            "adoptive parent or guardian is taken to have it "
            f"({tally.pr_yes_by_relationship:,}); anyone else is not"
            f"{f': {others}' if others else ''}.{blank} Not every father has parental "
            "responsibility: please check, and correct it in your MIS or on the pupil's page."
        )
    no_correspondence = columns.without("receives_correspondence")
    if not no_correspondence:
        notes.append("Who receives letters is read from the file's correspondence column.")
    else:
        notes.append(
            "The file has no column saying who receives correspondence"
            f"{_which(no_correspondence, columns)}, so everyone with parental "
            f"responsibility will be sent letters ({tally.correspondence_by_default_yes:,})"
            + (
                f" and the others will not ({tally.correspondence_by_default_no:,})."
                if tally.correspondence_by_default_no
                else "."
            )
        )
    if columns.implied_relationship:
        said = "; ".join(
            f"the “{rel}” columns are parent or carer {n}, with the relationship {rel}"
            for n, rel in sorted(columns.implied_relationship.items())
        )
        notes.append(f"There is no relationship column, so {said}.")
    if tally.shared_address:
        notes.append(
            f"{_people(tally.shared_address)} with no address of their own "
            f"{'lives' if tally.shared_address == 1 else 'live'} with the pupil, so "
            f"{'was' if tally.shared_address == 1 else 'were'} given the address of the "
            "parent or carer they live with."
        )
    return tuple(notes)
