"""Documents produced from a record (letters to parents and carers, the printable
record) and the saved versions of the school's letter wording. Each preview, print and
save is kept with a hash of exactly the bytes produced, so the school can show what a
parent was sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
