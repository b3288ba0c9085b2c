"""What Help ▸ About shows about the open records: the audit chain's head (entry number
and short hash, for a paper checkpoint) and the data folder. No personal data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from incident_recorder.services.session import Session

SHORT_HASH = 8


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    short_hash: str

    @property
    def text(self) -> str:
        return f"entry {self.seq}, {self.short_hash}"


class AboutService:
    """Read-only facts for the About dialog; reading them is not itself audited."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def audit_head(self) -> AuditHead | None:
        head = self._session.store.audit.head()
        if head is None:
            return None
        return AuditHead(head.seq, head.entry_hash[:SHORT_HASH])

    def data_folder(self) -> Path | None:
        """The folder holding the database, when the store is a file on disk."""
        folder = getattr(self._session.store, "data_dir", None)
        return Path(folder) if folder is not None else None
