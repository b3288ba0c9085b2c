"""Documents produced from records, the saved versions of the letter wording and the
school's logo. The first two are kept unchanged: migration 0006's triggers refuse UPDATE
and DELETE."""

from __future__ import annotations

import hashlib
from datetime import datetime

from incident_recorder.domain.documents import (
    DocumentKind,
    DocumentOutput,
    LetterTemplateVersion,
    OutputHow,
)
from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.store._values import sha256_text, utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_OUTPUT_SELECT = (
    "SELECT d.id, d.incident_id, d.kind, d.how, d.recipient, d.template_version, d.pages, "
    "d.sha256, d.at, d.by_user, u.full_name AS by_name "
    "FROM document_outputs AS d LEFT JOIN users AS u ON u.id = d.by_user"
)
_TEMPLATE_SELECT = (
    "SELECT t.version, t.body, t.sha256, t.saved_at, t.saved_by, u.full_name AS by_name "
    "FROM letter_templates AS t LEFT JOIN users AS u ON u.id = t.saved_by"
)


def _output(row: Row) -> DocumentOutput:
    return DocumentOutput(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        kind=DocumentKind(row["kind"]),
        how=OutputHow(row["how"]),
        recipient=row["recipient"],
        template_version=(
            None if row["template_version"] is None else int(row["template_version"])
        ),
        pages=int(row["pages"]),
        sha256=row["sha256"],
        at=utc_from_text(row["at"]),
        by_user=int(row["by_user"]),
        by_name=row["by_name"] or "",
    )


def _template(row: Row) -> LetterTemplateVersion:
    return LetterTemplateVersion(
        version=int(row["version"]),
        text=row["body"],
        sha256=row["sha256"],
        saved_at=utc_from_text(row["saved_at"]),
        saved_by=int(row["saved_by"]),
        saved_by_name=row["by_name"] or "",
    )


class SqlDocumentRepository:
    """``store.documents``: what was produced from each record, and the letter wording."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    # ------------------------------------------------------------------ outputs

    def add_output(self, output: DocumentOutput, by_user: int, now: datetime) -> DocumentOutput:
        if len(output.sha256) != 64:
            raise InvalidInput("A document's hash must be a SHA-256 in hex.")
        if self._db.one("SELECT 1 FROM incidents WHERE id = ?", (output.incident_id,)) is None:
            raise NotFound(f"There is no record with id {output.incident_id}.")
        with self._db.transaction():
            output_id = self._db.insert(
                "INSERT INTO document_outputs (incident_id, kind, how, recipient, "
                "template_version, pages, sha256, at, by_user) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    output.incident_id,
                    output.kind.value,
                    output.how.value,
                    output.recipient,
                    output.template_version,
                    max(1, output.pages),
                    output.sha256,
                    utc_text(now),
                    by_user,
                ),
            )
        row = self._db.one(f"{_OUTPUT_SELECT} WHERE d.id = ?", (output_id,))
        assert row is not None
        return _output(row)

    def outputs_for(self, incident_id: int) -> list[DocumentOutput]:
        """Everything produced from one record, oldest first."""
        rows = self._db.all(
            f"{_OUTPUT_SELECT} WHERE d.incident_id = ? ORDER BY d.id", (incident_id,)
        )
        return [_output(r) for r in rows]

    # ------------------------------------------------------------------ letter wording

    def current_template(self) -> LetterTemplateVersion | None:
        """The newest saved letter wording; None while the school uses the default."""
        row = self._db.one(f"{_TEMPLATE_SELECT} ORDER BY t.version DESC LIMIT 1")
        return None if row is None else _template(row)

    def template(self, version: int) -> LetterTemplateVersion:
        row = self._db.one(f"{_TEMPLATE_SELECT} WHERE t.version = ?", (version,))
        if row is None:
            raise NotFound(f"There is no saved letter template version {version}.")
        return _template(row)

    def templates(self) -> list[LetterTemplateVersion]:
        """Every saved version of the letter wording, newest first."""
        return [_template(r) for r in self._db.all(f"{_TEMPLATE_SELECT} ORDER BY t.version DESC")]

    def add_template(self, text: str, saved_by: int, now: datetime) -> LetterTemplateVersion:
        """Save ``text`` as the next version (1, 2, 3 …)."""
        if not text.strip():
            raise InvalidInput("The letter template is empty.")
        with self._db.transaction():
            last = self._db.scalar("SELECT max(version) FROM letter_templates")
            version = 1 if last is None else int(last) + 1
            self._db.execute(
                "INSERT INTO letter_templates (version, body, sha256, saved_at, saved_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (version, text, sha256_text(text), utc_text(now), saved_by),
            )
        return self.template(version)

    # ------------------------------------------------------------------ logo

    def logo(self) -> bytes | None:
        """The school's logo as PNG bytes, or None."""
        value = self._db.scalar("SELECT png FROM school_logo WHERE id = 1")
        return None if value is None else bytes(value)

    def set_logo(self, png: bytes | None, saved_by: int, now: datetime) -> None:
        """Keep ``png`` as the logo (None: no logo)."""
        with self._db.transaction():
            if png is None:
                self._db.execute("DELETE FROM school_logo WHERE id = 1")
                return
            self._db.execute(
                "INSERT INTO school_logo (id, png, sha256, saved_at, saved_by) "
                "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET png = excluded.png, "
                "sha256 = excluded.sha256, saved_at = excluded.saved_at, "
                "saved_by = excluded.saved_by",
                (png, hashlib.sha256(png).hexdigest(), utc_text(now), saved_by),
            )
