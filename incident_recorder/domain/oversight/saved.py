"""A governors' report as kept (schema 16): what it was made from and the PDF's hash,
so the same report can be printed again and shown to be the one governors saw.
Pure: no I/O, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsTexts


@dataclass(frozen=True, slots=True)
class SavedReport:
    """One governors' report kept. ``made_at`` is UTC; ``fingerprint`` the SHA-256 of
    the inputs it was computed from; ``pdf_sha256`` that of the PDF's bytes."""

    id: int
    period: Period
    made_at: datetime
    made_by: int
    made_by_name: str
    fingerprint: str
    texts: GovernorsTexts
    pdf_sha256: str
    pdf_size: int = 0
