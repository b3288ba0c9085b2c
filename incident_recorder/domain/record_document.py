"""The printable record: what goes into it, and what the copy for parents leaves out.

Two copies can be printed from a submitted record:

* the **full record**, for the school's files (the pupil file, a local-authority
  request, a tribunal): every field of every version, and every amendment's reason;
* the **copy for parents and carers**, for parents who ask for the record itself. It
  leaves out the notes kept for staff (the internal account in time order, which can
  name other children; the names of other witnesses; the staff debrief and the support
  for staff; the details of injuries to staff and to other people) and puts
  "another pupil" wherever another pupil on roll is named in what remains.

Written explanations for warnings (why a hold lasted so long, why parents were not told
the same day) stay in the parents' copy: they explain decisions about the parents' own
child, which parents are entitled to see (they would be disclosed to a subject access
request anyway), and leaving them out would read as concealment. Other pupils' names
are taken out of them like everywhere else.

Pure: no I/O, no Qt, no reportlab.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from incident_recorder.domain.documents import (
    DEFAULT_TEMPLATE_VERSION,
    DocumentKind,
    DocumentOutput,
    OutputHow,
)
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentVersion,
    Pupil,
    SchoolDetails,
)

FULL_HEADING = "Full record — for the school's files"
PARENTS_HEADING = "Copy for parents and carers"
ANOTHER_PUPIL = "another pupil"
PARENTS_NOTE = (
    "This copy leaves out other pupils' names (shown as \u201canother pupil\u201d) and the "
    "notes kept for staff only: the internal account of the incident, the names of other "
    "witnesses, the staff debrief, support for staff, and details of injuries to staff "
    "or to other people."
)
KEPT_BY_SCHOOL = "Yes (the details are kept by the school)"

# The fields the parents' copy leaves out, as "section.field" keys (domain/diff.py).
STAFF_ONLY_FIELDS = frozenset(
    {
        "what_happened.account",
        "who.other_witnesses",
        "debriefs.staff_debrief",
        "debriefs.staff_support",
        "injuries.staff_injury",
        "injuries.others_injury",
        "injuries.staff_marks",
    }
)


@dataclass(frozen=True, slots=True)
class RecordSection:
    """A titled list of (label, text) rows printed after the form's sections."""

    heading: str
    rows: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RecordDocument:
    """Everything the printed record shows, names already resolved.

    For the parents' copy the versions are already cut down by
    :func:`parents_copy_details` and :func:`without_pupil_names` (the service does it),
    so the renderer never sees what the copy leaves out."""

    school: SchoolDetails
    pupil: Pupil
    reference: str
    versions: tuple[IncidentVersion, ...]  # oldest first; version 1 is the submission
    staff_names: Mapping[int, str] = field(default_factory=dict)
    # Names for pupil ids in the versions (a pupil changed by an amendment). In the
    # parents' copy only the pupil themself is named; any other id is "another pupil".
    pupil_names: Mapping[int, str] = field(default_factory=dict)
    linked_references: tuple[str, ...] = ()  # other pupils' records from the same event
    printed_on: datetime | None = None  # the school's wall-clock time, naive
    printed_by: str = ""
    for_parents: bool = False
    # Hook for the rest of issue 5 (sign-off, letters sent, contact with parents): each
    # section prints after the form's sections. Nothing is printed while it is empty.
    later_sections: tuple[RecordSection, ...] = ()

    @property
    def heading(self) -> str:
        return PARENTS_HEADING if self.for_parents else FULL_HEADING

    @property
    def latest(self) -> IncidentVersion:
        return self.versions[-1]

    def staff_name(self, staff_id: int) -> str:
        return self.staff_names.get(staff_id, f"Staff member no. {staff_id}")

    def pupil_name(self, pupil_id: int | None) -> str:
        if pupil_id is None:
            return "Not recorded"
        if pupil_id == self.pupil.id:
            return self.pupil.display_name
        if self.for_parents:
            return ANOTHER_PUPIL
        return self.pupil_names.get(pupil_id, f"Pupil no. {pupil_id}")


# --------------------------------------------------------------------------- names


def names_to_hide(pupils: Iterable[Pupil], pupil: Pupil) -> tuple[str, ...]:
    """The names of every pupil but ``pupil`` as they may be written: full names (legal
    and preferred), first names and preferred names. A first name the child shares with
    another pupil is kept (it is the child's own name too); their full name is not."""
    own = {n.casefold() for n in (pupil.first_name, pupil.preferred_name) if n.strip()}
    found: set[str] = set()
    for other in pupils:
        if other.id == pupil.id:
            continue
        for first in {other.first_name, other.preferred_name}:
            if not first.strip():
                continue
            found.add(f"{first} {other.last_name}")
            if first.casefold() not in own:
                found.add(first)
    return tuple(sorted((" ".join(n.split()) for n in found if n.strip()), key=len, reverse=True))


def without_pupil_names(text: str, names: Iterable[str], keep: Iterable[str] = ()) -> str:
    """``text`` with each of ``names`` (whole words, any case) as "another pupil".
    Longer names go first, so "Tom Smith" becomes "another pupil", not
    "another pupil Smith". A name in ``keep`` (the staff's full names) stays whole even
    when it starts with another pupil's first name: "Halima Ionescu", a teacher, is not
    "another pupil Ionescu"."""
    hidden = {n.strip().casefold() for n in names if n.strip()}
    kept = {" ".join(n.split()).casefold() for n in keep if len(n.split()) > 1}
    ordered = sorted({n.strip() for n in names if n.strip()} | set(kept), key=len, reverse=True)
    if not text or not hidden:
        return text
    parts = [r"\s+".join(re.escape(w) for w in name.split()) for name in ordered]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)

    def replace(found: re.Match[str]) -> str:
        if " ".join(found.group(0).split()).casefold() in kept - hidden:
            return found.group(0)
        before = text[: found.start()].rstrip()
        starts = not before or before[-1] in ".!?\n"
        return ANOTHER_PUPIL.capitalize() if starts else ANOTHER_PUPIL

    return pattern.sub(replace, text)


def _scrub(value: object, names: tuple[str, ...], keep: tuple[str, ...] = ()) -> object:
    """Every string inside a dataclass value, names taken out (recursively)."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return without_pupil_names(value, names, keep)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {
            f.name: _scrub(getattr(value, f.name), names, keep) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changed)
    if isinstance(value, tuple):
        return tuple(_scrub(v, names, keep) for v in value)
    return value


def parents_copy_details(
    details: IncidentDetails, other_pupil_names: Iterable[str], keep: Iterable[str] = ()
) -> IncidentDetails:
    """``details`` as the copy for parents shows them: the staff-only fields emptied
    (see :data:`STAFF_ONLY_FIELDS`) and other pupils' names replaced everywhere (but
    not inside the staff's full names, ``keep``)."""
    d = details
    cut = dataclasses.replace(
        d,
        who=dataclasses.replace(d.who, other_witnesses=""),
        what_happened=dataclasses.replace(d.what_happened, account=""),
        debriefs=dataclasses.replace(d.debriefs, staff_debrief="", staff_support=""),
        injuries=dataclasses.replace(d.injuries, staff_injury="", others_injury="", staff_marks=()),
    )
    scrubbed = _scrub(cut, tuple(other_pupil_names), tuple(keep))
    assert isinstance(scrubbed, IncidentDetails)
    return scrubbed


def parents_copy_version(
    version: IncidentVersion, other_pupil_names: Iterable[str], keep: Iterable[str] = ()
) -> IncidentVersion:
    names, kept = tuple(other_pupil_names), tuple(keep)
    return dataclasses.replace(
        version,
        details=parents_copy_details(version.details, names, kept),
        reason=without_pupil_names(version.reason, names, kept),
    )


# --------------------------------------------------------------------------- documents

DOCUMENTS_HEADING = "Letters and documents produced"
LETTERS_HEADING = "Letters sent to parents and carers"
_HOW = {
    OutputHow.PREVIEWED: "previewed",
    OutputHow.PRINTED: "printed",
    OutputHow.SAVED: "saved as a PDF",
}


def documents_section(
    outputs: Iterable[DocumentOutput],
    for_parents: bool,
    local: Callable[[datetime], datetime] = lambda moment: moment,
) -> RecordSection:
    """What was previewed, printed or saved from the record before this copy, oldest
    first, one row each: when (``local`` turns the stored UTC time into the school's
    wall-clock time), what, how, by whom, to whom, the letter wording's version and
    the start of the SHA-256 of the bytes. The parents' copy lists only the letters
    that were printed or saved (not previews, nor copies of the record)."""
    rows: list[tuple[str, str]] = []
    for output in outputs:
        if for_parents and (
            output.kind is not DocumentKind.LETTER or output.how is OutputHow.PREVIEWED
        ):
            continue
        when = f"{local(output.at):%d/%m/%Y %H:%M}" if output.at else "Time not known"
        text = f"{output.kind.label}: {_HOW[output.how]}"
        if output.by_name:
            text += f" by {output.by_name}"
        if output.recipient:
            text += f", to {output.recipient}"
        details = []
        if output.template_version is not None:
            version = output.template_version
            details.append(
                "the shipped letter wording"
                if version == DEFAULT_TEMPLATE_VERSION
                else f"letter wording version {version}"
            )
        details.append(f"{output.pages} page{'s' if output.pages != 1 else ''}")
        details.append(f"fingerprint {output.sha256[:12]}")
        rows.append((when, f"{text} ({', '.join(details)})."))
    if not rows:
        none = "No letters have been sent yet." if for_parents else "None before this copy."
        rows.append(("", none))
    return RecordSection(LETTERS_HEADING if for_parents else DOCUMENTS_HEADING, tuple(rows))
