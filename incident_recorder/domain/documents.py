"""Documents produced from a record (letters to parents and carers, the printable
record) and the saved versions of the school's letter wording. Each preview, print and
save is kept with a hash of exactly the bytes produced, so the school can show what a
parent was sent."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from incident_recorder.domain.labelled import LabelledEnum

# The letter wording shipped in resources/letters/ counts as version 0: a school that
# never edits it still has each letter's wording traceable to the app's version.
DEFAULT_TEMPLATE_VERSION = 0


class DocumentKind(LabelledEnum):
    LETTER = "letter", "Letter to parents and carers"
    RECORD = "record", "Full record"
    RECORD_FOR_PARENTS = "record_for_parents", "Copy of the record for parents"


class OutputHow(LabelledEnum):
    PREVIEWED = "previewed", "Previewed"
    PRINTED = "printed", "Printed"
    SAVED = "saved", "Saved as PDF"


@dataclass(frozen=True, slots=True)
class DocumentOutput:
    """One preview, print or save of a document made from a record."""

    incident_id: int
    kind: DocumentKind
    how: OutputHow
    sha256: str  # of the PDF bytes, hex
    pages: int
    recipient: str = ""  # a letter's addressee as printed ("Mrs A Nowak")
    template_version: int | None = None  # letters only
    id: int | None = None  # set by the store
    at: datetime | None = None  # UTC, set by the store
    by_user: int | None = None
    by_name: str = ""


@dataclass(frozen=True, slots=True)
class LetterTemplateVersion:
    """A saved version of the letter wording (version 0: the shipped default)."""

    version: int
    text: str
    sha256: str
    saved_at: datetime | None = None  # UTC; None for the shipped default
    saved_by: int | None = None
    saved_by_name: str = ""


@dataclass(frozen=True, slots=True)
class Pdf:
    """A document as made: exactly these bytes (kept in memory, never written unless the
    user saves them), how many pages they hold, and the name proposed for saving (the
    reference or a date, never a person's name)."""

    data: bytes = field(repr=False)
    pages: int
    file_name: str = "document.pdf"

    @property
    def sha256(self) -> str:
        """The fingerprint kept with each preview, print and save."""
        return hashlib.sha256(self.data).hexdigest()


def letter_file_name(reference: str, index: int) -> str:
    """The name the app proposes when saving copy ``index`` (1, 2, ...) of a letter: the
    reference only, never a pupil's or parent's name."""
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", reference).strip("-") or "letter"
    return f"parent-letter-{safe}-{index}.pdf"


def record_file_name(reference: str, for_parents: bool) -> str:
    """The name proposed when saving the printable record: the reference only."""
    safe = "".join(c for c in reference if c.isalnum() or c in "-_") or "record"
    return f"record-{safe}{'-for-parents' if for_parents else ''}.pdf"


def summary_file_name(printed_on: date) -> str:
    """The name proposed when saving a pupil summary: the date, never the pupil's name,
    which would then show in folder listings and recent-file menus."""
    return f"pupil-summary-{printed_on:%Y-%m-%d}.pdf"


def plan_file_name(version: int) -> str:
    """The name proposed when saving a behaviour support plan: its version, no name."""
    return f"behaviour-plan-v{version}.pdf"
