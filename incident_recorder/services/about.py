"""What Help ▸ About shows about the app and the open records: the version, licence,
how the database is encrypted, the data folder and the audit chain's head (entry number
and short hash, for a paper checkpoint). No personal data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from incident_recorder.services.session import Session
from incident_recorder.services.shipped import Shipped

SHORT_HASH = 8
NO_ENTRIES = "no entries yet"


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    short_hash: str

    @property
    def text(self) -> str:
        return f"entry {self.seq}, {self.short_hash}"


@dataclass(frozen=True, slots=True)
class CipherFacts:
    """SQLCipher's version and the settings the database is opened with (the store's
    cipher_info, through the composition root)."""

    sqlcipher: str
    settings: str
    as_expected: bool


@dataclass(frozen=True, slots=True)
class AboutFacts:
    version: str
    licence: str
    sqlcipher: str
    encryption: str
    data_folder: str
    audit_head: str


class AboutService:
    """Read-only facts for the About dialog; reading them is not itself audited."""

    def __init__(
        self,
        session: Session,
        shipped: Shipped | None = None,
        cipher: Callable[[], CipherFacts] | None = None,
    ) -> None:
        self._session = session
        self._shipped = shipped
        self._cipher = cipher

    def audit_head(self) -> AuditHead | None:
        head = self._session.store.audit.head()
        if head is None:
            return None
        return AuditHead(head.seq, head.entry_hash[:SHORT_HASH])

    def data_folder(self) -> Path | None:
        """The folder holding the database, when the store is a file on disk."""
        folder = getattr(self._session.store, "data_dir", None)
        return Path(folder) if folder is not None else None

    def facts(self) -> AboutFacts:
        """Everything the About dialog shows, in words."""
        shipped = self._shipped
        try:
            cipher = self._cipher() if self._cipher is not None else None
        except Exception as error:  # the finding is that it could not be checked
            cipher = CipherFacts("not available", f"could not be checked ({error})", False)
        if cipher is None:
            cipher = CipherFacts("not available", "not checked", False)
        state = "encrypted" if cipher.as_expected else "NOT as expected: ask your IT support"
        head, folder = self.audit_head(), self.data_folder()
        version = shipped.app_version if shipped else ""
        if shipped and shipped.frozen:
            version += " (installed app)"
        licence = shipped.licence if shipped else ""
        return AboutFacts(
            version=version,
            licence=f"{licence}; fonts: DejaVu (free licence, in the fonts folder)",
            sqlcipher=cipher.sqlcipher,
            encryption=f"{state}: {cipher.settings}",
            data_folder=str(folder) if folder is not None else "(not a folder on disk)",
            audit_head=head.text if head is not None else NO_ENTRIES,
        )
