"""What SQLCipher this build carries and how the store configures it, for the
self-check and the About dialog. Opens only an in-memory database under a random key:
nothing is written to disk."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from incident_recorder.store.connection import DATA_KEY_BYTES, Connection

# What the store relies on (see connection.py and docs/security-model.md).
EXPECTED_PAGE_SIZE = 4096
EXPECTED_HMAC = "HMAC_SHA512"


@dataclass(frozen=True, slots=True)
class CipherInfo:
    sqlcipher_version: str  # e.g. "4.19.0 community"
    sqlite_version: str
    provider: str  # e.g. "openssl OpenSSL 3.6.0 1 Oct 2025"
    page_size: int
    hmac: str
    uses_hmac: bool
    plaintext_header: int
    temp_store_memory: bool
    keyed: bool  # the in-memory database accepted a raw 256-bit key

    @property
    def summary(self) -> str:
        """One line for people: the cipher settings the database is opened with."""
        return (
            f"AES-256 with a raw 256-bit key, {self.hmac} on every {self.page_size}-byte "
            f"page, {'no' if self.plaintext_header == 0 else 'a'} plaintext header"
        )

    @property
    def as_expected(self) -> bool:
        return (
            self.keyed
            and self.uses_hmac
            and self.hmac == EXPECTED_HMAC
            and self.page_size == EXPECTED_PAGE_SIZE
            and self.plaintext_header == 0
        )


def cipher_info() -> CipherInfo:
    """Open an in-memory database exactly as the store opens its file (raw key, the same
    pragmas) and read back the cipher settings."""
    from pathlib import Path

    quiet = logging.getLogger("incident_recorder.store")
    was_disabled, quiet.disabled = quiet.disabled, True  # "journal_mode is memory": expected
    try:
        db = Connection.open(Path(":memory:"), os.urandom(DATA_KEY_BYTES))
    finally:
        quiet.disabled = was_disabled
    try:
        version = str(db.pragma("cipher_version") or "")

        def text(name: str) -> str:
            value = db.pragma(name)
            return "" if value is None else str(value)

        return CipherInfo(
            sqlcipher_version=version,
            sqlite_version=str(db.scalar("SELECT sqlite_version()")),
            provider=f"{text('cipher_provider')} {text('cipher_provider_version')}".strip(),
            page_size=int(text("cipher_page_size") or 0),
            hmac=text("cipher_hmac_algorithm"),
            uses_hmac=text("cipher_use_hmac") == "1",
            plaintext_header=int(text("cipher_plaintext_header_size") or 0),
            temp_store_memory=int(db.pragma("temp_store") or 0) == 2,
            keyed=bool(version),
        )
    finally:
        db.close()
