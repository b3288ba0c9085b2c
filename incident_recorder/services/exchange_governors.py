"""The governors' reports kept (issue 14, schema 16) in the JSON export
(``"governors_reports"``): each report with its period, who made it (by username) and
when, the inputs' fingerprint, the head's texts, and the PDF itself (base64) with its
SHA-256, checked on import. A file made before reports were exported (no list) still
imports; a report already kept here (the same PDF) is not added twice."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.services.ports import Store

KEY = "governors_reports"


@dataclass(frozen=True, slots=True)
class ExportedGovernorsReport:
    period_start: date
    period_end: date
    period_label: str
    made_at: datetime  # UTC
    made_by: str  # username
    inputs_sha256: str
    texts: GovernorsTexts
    pdf_base64: str
    pdf_sha256: str


def export_governors_reports(store: Store, usernames: dict[int, str]) -> list[dict[str, Any]]:
    """Every report kept, oldest first."""
    out: list[dict[str, Any]] = []
    for saved in reversed(store.governors_reports.list()):
        pdf = store.governors_reports.pdf(saved.id)
        exported = ExportedGovernorsReport(
            saved.period.start,
            saved.period.end,
            saved.period.label,
            saved.made_at,
            usernames.get(saved.made_by, f"user-{saved.made_by}"),
            saved.fingerprint,
            saved.texts,
            base64.b64encode(pdf).decode("ascii"),
            saved.pdf_sha256,
        )
        out.append(to_plain(exported))
    return out


def read_governors_reports(
    document: dict[str, Any], usernames: set[str]
) -> tuple[tuple[ExportedGovernorsReport, bytes], ...]:
    """The file's reports with their PDFs, each checked against its SHA-256."""
    values = document.get(KEY, [])
    if not isinstance(values, list):
        raise BadImportFile(f'The file\'s "{KEY}" is not a list, so it cannot be imported.')
    found: list[tuple[ExportedGovernorsReport, bytes]] = []
    for n, value in enumerate(values, start=1):
        where = f"Governors' report {n} in the file"
        try:
            item = from_plain(ExportedGovernorsReport, value)
            pdf = base64.b64decode(item.pdf_base64, validate=True)
        except (BadImportFile, binascii.Error) as exc:
            raise BadImportFile(f"{where} is not valid: {exc} Nothing was imported.") from None
        if item.made_at.utcoffset() is None:
            raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")
        if item.made_by not in usernames:
            raise BadImportFile(
                f"{where} names the account '{item.made_by}', which is not in its accounts. "
                "Nothing was imported."
            )
        if hashlib.sha256(pdf).hexdigest() != item.pdf_sha256:
            raise BadImportFile(
                f"{where} does not match the SHA-256 kept with it, so it is not the report "
                "governors saw. Nothing was imported."
            )
        if item.period_end < item.period_start or len(item.inputs_sha256) != 64:
            raise BadImportFile(
                f"{where} has a period that ends before it starts, or no fingerprint."
            )
        found.append((item, pdf))
    return tuple(found)


def import_governors_reports(
    store: Store,
    items: tuple[tuple[ExportedGovernorsReport, bytes], ...],
    user_ids: dict[str, int],
) -> int:
    """Keep each report not already kept here (the same PDF); returns how many."""
    held = {saved.pdf_sha256 for saved in store.governors_reports.list()}
    added = 0
    for item, pdf in items:
        if item.pdf_sha256 in held:
            continue
        store.governors_reports.add(
            Period(item.period_start, item.period_end, item.period_label),
            item.inputs_sha256,
            item.texts,
            pdf,
            user_ids[item.made_by],
            item.made_at.astimezone(UTC),
        )
        held.add(item.pdf_sha256)
        added += 1
    return added
