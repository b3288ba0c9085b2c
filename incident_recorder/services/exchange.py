"""Export and import of pupils, staff and records as JSON (docs/data-format.md).

The document is plain data (dicts and lists) so the caller decides where it goes: the
command line writes it only to the file the user named. Exporting personal data in the
clear is the user's explicit choice, and both directions are audited.

Import is all-or-nothing: the whole file is read and checked first, then everything is
written in one transaction, so a refused or failed import changes nothing.

Behaviour support plans travel with their pupils: every saved version, with its number,
the time it was saved and the account that saved it, so a record's ``who.plan_version``
names the same version after an import. A file made before plans were exported (no
``"plans"`` list) still imports. Recorded plan reviews travel the same way, linked to
the records they considered by reference (services/exchange_reviews.py).

The pieces: exchange_format.py (the file's shape), exchange_write.py (out),
exchange_read.py (reading and checking a file), exchange_import.py (writing it in).
"""

from __future__ import annotations

from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentQuery, IncidentStatus, Role
from incident_recorder.domain.serialise import to_plain
from incident_recorder.services.exchange_calendar import export_calendar
from incident_recorder.services.exchange_format import (
    FORMAT,
    FORMAT_VERSION,
    ExportedIncident,
    ExportedPlan,
    ExportedUser,
    ExportedVersion,
    ImportResult,
    dumps,
    parse,
    plan_to_plain,
)
from incident_recorder.services.exchange_governors import export_governors_reports
from incident_recorder.services.exchange_import import Importer
from incident_recorder.services.exchange_read import check_document, plan_from_plain, read_document
from incident_recorder.services.exchange_records import entry_usernames, export_entries
from incident_recorder.services.exchange_statements import export_statements, statement_usernames
from incident_recorder.services.exchange_training import export_training
from incident_recorder.services.exchange_write import Exporter
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ExchangeService",
    "ExportedIncident",
    "ExportedPlan",
    "ExportedUser",
    "ExportedVersion",
    "ImportResult",
    "check_document",
    "dumps",
    "parse",
    "plan_from_plain",
    "plan_to_plain",
]

_PAGE = 500


class ExchangeService:
    def __init__(self, session: Session, app_version: str = "") -> None:
        self._s = session
        self._app_version = app_version

    def _require(self, action: str) -> None:
        self._s.require(Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD, action=action)

    # ------------------------------------------------------------------ out

    def export(self, include_drafts: bool = False) -> dict[str, Any]:
        """Everything, as a JSON-ready document. Audited."""
        self._require("export the records")
        store = self._s.store
        incidents = list(store.incidents.all_submitted())
        if include_drafts:
            page = store.incidents.search(IncidentQuery(status=IncidentStatus.DRAFT, limit=10**9))
            incidents += [store.incidents.get(row.id) for row in page.rows]
        incidents.sort(key=lambda i: i.id)
        exporter = Exporter(store)
        records = exporter.records(incidents)
        pupils = sorted(store.pupils.list(), key=lambda p: p.id)
        plans = exporter.plans(pupils)
        reviews = exporter.reviews(pupils, incidents)
        submitted = {i.id: i.reference for i in incidents if i.reference}
        entries = export_entries(store, submitted, exporter.usernames)
        statements = export_statements(store, submitted, exporter.usernames)
        training = export_training(store, exporter.usernames)
        governors = export_governors_reports(store, exporter.usernames)
        user_names = (
            entry_usernames(entries)
            | statement_usernames(statements)
            | (
                {r["author"] for r in records}
                | {v["saved_by"] for r in records for v in r["versions"]}
                | {p["saved_by"] for p in plans}
                | {r["recorded_by"] for r in reviews}
                | {t["recorded_by"] for t in training}
                | {g["made_by"] for g in governors}
            )
        )
        users = [u for u in store.users.list() if u.username in user_names]
        staff = sorted(store.staff.list(active_only=False), key=lambda s: s.id)
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "exported_at": to_plain(self._s.now()),
            "exported_by": self._s.user.username,
            "app_version": self._app_version,
            "school": self._s.settings().school.name,
            "pupils": [to_plain(p) for p in pupils],
            "staff": [to_plain(s) for s in staff],
            "users": [
                to_plain(ExportedUser(u.username, u.full_name, u.roles, u.staff_id, u.active))
                for u in sorted(users, key=lambda u: u.username)
            ],
            "plans": plans,
            "incidents": records,
            "reviews": reviews,
            **entries,
            "statements": statements,
            "staff_training": training,
            "governors_reports": governors,
            "school_calendar": export_calendar(store),
        }
        self._s.audit(
            "export",
            detail=f"{len(records)} records, {len(pupils)} pupils, {len(staff)} staff, "
            f"{len(plans)} plan versions, {len(reviews)} plan reviews, "
            f"{len(entries['parent_contacts'])} contacts with parents, "
            f"{len(entries['sign_offs'])} sign-offs, {len(entries['documents'])} documents, "
            f"{len(entries['parents_copies'])} copies supplied to parents, "
            f"{len(statements)} staff statement requests, "
            f"{len(training)} training entries, {len(governors)} governors' reports as JSON",
        )
        return document

    def records(self) -> list[dict[str, Any]]:
        """The submitted records this user may see, in full (every version), in the
        export's shape. Audited as one entry."""
        service = IncidentService(self._s)
        store = self._s.store
        ids: list[int] = []
        offset = 0
        while True:
            page = service.search(IncidentQuery(offset=offset, limit=_PAGE))
            ids += [row.id for row in page.rows]
            offset += _PAGE
            if offset >= page.total or not page.rows:
                break
        incidents = sorted((store.incidents.get(i) for i in ids), key=lambda i: i.id)
        records = Exporter(store).records(incidents)
        self._s.audit("list_records", detail=f"{len(records)} records in full")
        return records

    # ------------------------------------------------------------------ in

    def import_document(self, document: Any) -> ImportResult:
        """Add a file's pupils, staff, accounts and records. All or nothing; audited."""
        self._require("import records")
        plan = read_document(document)
        store = self._s.store
        taken = [
            e.reference
            for e in plan.incidents
            if e.reference and store.incidents.by_reference(e.reference) is not None
        ]
        if taken:
            more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
            raise BadImportFile(
                f"Record {taken[0]}{more} is already in this database, so nothing was "
                "imported. A file can only be imported into a database that does not hold "
                "its records yet."
            )
        with store.transaction():
            return Importer(self._s, plan).run()
