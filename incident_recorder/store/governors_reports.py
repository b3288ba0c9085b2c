"""The governors' reports kept (schema 16): written once, never changed or removed
(migration 0016's triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.domain.oversight.saved import SavedReport
from incident_recorder.store._values import date_from_text, date_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_SELECT = (
    "SELECT g.id, g.period_start, g.period_end, g.period_label, g.made_at, g.made_by, "
    "g.inputs_sha256, g.texts_json, g.pdf_sha256, length(g.pdf) AS pdf_size, "
    "u.full_name AS by_name FROM governors_reports AS g LEFT JOIN users AS u ON u.id = g.made_by"
)


def texts_json(texts: GovernorsTexts) -> str:
    return json.dumps(
        {
            "impact": texts.impact,
            "actions_taken": texts.actions_taken,
            "actions_planned": texts.actions_planned,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def texts_from_json(text: str) -> GovernorsTexts:
    value = json.loads(text)
    return GovernorsTexts(
        impact=str(value.get("impact", "")),
        actions_taken=str(value.get("actions_taken", "")),
        actions_planned=str(value.get("actions_planned", "")),
    )


def _saved(row: Row) -> SavedReport:
    start = date_from_text(row["period_start"])
    end = date_from_text(row["period_end"])
    assert start is not None and end is not None
    return SavedReport(
        id=int(row["id"]),
        period=Period(start, end, row["period_label"]),
        made_at=utc_from_text(row["made_at"]),
        made_by=int(row["made_by"]),
        made_by_name=row["by_name"] or "",
        fingerprint=row["inputs_sha256"],
        texts=texts_from_json(row["texts_json"]),
        pdf_sha256=row["pdf_sha256"],
        pdf_size=int(row["pdf_size"] or 0),
    )


class SqlGovernorsReportRepository:
    """``store.governors_reports``."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(
        self,
        period: Period,
        fingerprint: str,
        texts: GovernorsTexts,
        pdf: bytes,
        made_by: int,
        now: datetime,
    ) -> SavedReport:
        """Keep a report made now; the PDF's SHA-256 is worked out here."""
        report_id = self._db.insert(
            "INSERT INTO governors_reports (period_start, period_end, period_label, made_at, "
            "made_by, inputs_sha256, texts_json, pdf, pdf_sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                date_text(period.start),
                date_text(period.end),
                period.label,
                utc_text(now),
                made_by,
                fingerprint,
                texts_json(texts),
                pdf,
                hashlib.sha256(pdf).hexdigest(),
            ),
        )
        return self.get(report_id)

    def get(self, report_id: int) -> SavedReport:
        row = self._db.one(f"{_SELECT} WHERE g.id = ?", (report_id,))
        if row is None:
            raise NotFound(f"There is no governors' report number {report_id}.")
        return _saved(row)

    def list(self) -> list[SavedReport]:
        """Every report kept, newest first."""
        return [_saved(r) for r in self._db.all(f"{_SELECT} ORDER BY g.id DESC")]

    def pdf(self, report_id: int) -> bytes:
        """The PDF's bytes exactly as kept."""
        row = self._db.one("SELECT pdf FROM governors_reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFound(f"There is no governors' report number {report_id}.")
        return bytes(row["pdf"])
