"""The JSON export's format (docs/data-format.md): what its records, accounts and plan
versions hold, and the text of a document. Shared by services/exchange_write.py (out) and
services/exchange_read.py (in)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentDetails, IncidentStatus, Role
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.serialise import to_plain

FORMAT = "incident-recorder-export"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ExportedUser:
    username: str
    full_name: str
    roles: frozenset[Role]
    staff_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class ExportedVersion:
    number: int
    saved_at: datetime
    saved_by: str  # username
    reason: str
    details: IncidentDetails


@dataclass(frozen=True, slots=True)
class ExportedIncident:
    reference: str | None  # None for a draft
    status: IncidentStatus
    event: int  # records with the same number were one event; numbered in file order
    author: str  # username
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    versions: tuple[ExportedVersion, ...]  # submitted records: every version, oldest first
    draft: IncidentDetails | None  # drafts only


@dataclass(frozen=True, slots=True)
class ExportedPlan:
    """One saved version of a pupil's behaviour support plan. In the file it is the
    plan's own fields, flat, with ``saved_by`` the account's username."""

    plan: BehaviourPlan  # its saved_by / saved_by_name are not used
    saved_by: str  # username


@dataclass(frozen=True, slots=True)
class ImportResult:
    records: int
    drafts: int
    pupils_added: int
    pupils_matched: int
    staff_added: int
    staff_matched: int
    users_added: int
    plan_versions: int = 0  # plan versions added (those already here are not counted)
    reviews: int = 0  # recorded plan reviews added (those already here are not counted)
    parent_contacts: int = 0  # contacts with parents added to the records
    sign_offs: int = 0
    documents: int = 0  # letters and printed records produced, as recorded
    parents_copies: int = 0  # copies of the record supplied to parents (issue 13)
    staff_training: int = 0  # training entries added (issue 13)
    governors_reports: int = 0  # governors' reports kept (issue 14)
    statements: int = 0  # staff statement versions (issue 13)
    desk_entries: int = 0  # referral decisions, amendment requests, replies, closings
    calendar: bool = False  # the file's school calendar kept (the database had none)


def dumps(document: Any) -> str:
    """The JSON text of a document: UTF-8 names as they are, two-space indents."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse(text: str) -> Any:
    """JSON text to data; BadImportFile (naming line and column) when it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadImportFile(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Nothing was imported."
        ) from None


def plan_to_plain(exported: ExportedPlan) -> dict[str, Any]:
    """A plan version as it is written in the file."""
    plain: dict[str, Any] = to_plain(exported.plan)
    del plain["saved_by_name"]
    plain["saved_by"] = exported.saved_by
    return plain
