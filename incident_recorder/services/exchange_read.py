"""Reading and checking a JSON export before anything is written: its format and
version, its pupils, staff, accounts, plan versions and records, and that everything they
refer to is in the file. Every problem is a BadImportFile naming what is wrong."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentStatus, Pupil, StaffMember
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.serialise import from_plain
from incident_recorder.services.exchange_calendar import read_calendar
from incident_recorder.services.exchange_format import (
    FORMAT,
    FORMAT_VERSION,
    ExportedIncident,
    ExportedPlan,
    ExportedUser,
)
from incident_recorder.services.exchange_governors import (
    ExportedGovernorsReport,
    read_governors_reports,
)
from incident_recorder.services.exchange_records import RecordEntries, read_entries
from incident_recorder.services.exchange_reviews import ExportedReview, read_reviews
from incident_recorder.services.exchange_statements import (
    ExportedStatementRequest,
    read_statements,
)
from incident_recorder.services.exchange_training import ExportedTraining, read_training

_REFERENCE = re.compile(r"^(\d{4})-(\d{4,})$")


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """A file that has been read and checked, ready to import."""

    pupils: tuple[Pupil, ...]
    staff: tuple[StaffMember, ...]
    users: tuple[ExportedUser, ...]
    incidents: tuple[ExportedIncident, ...]
    plans: tuple[ExportedPlan, ...] = ()  # by pupil, each pupil's oldest version first
    reviews: tuple[ExportedReview, ...] = ()
    entries: RecordEntries = dataclasses.field(default_factory=RecordEntries)
    training: tuple[ExportedTraining, ...] = ()  # staff training (issue 13)
    # The governors' reports kept, each with its PDF (issue 14).
    governors_reports: tuple[tuple[ExportedGovernorsReport, bytes], ...] = ()
    statements: tuple[ExportedStatementRequest, ...] = ()  # issue 13
    calendar: SchoolCalendar | None = None  # the school's own calendar (issue 14)


def plan_from_plain(value: Any, n: int) -> ExportedPlan:
    """The ``n``th entry of the file's "plans" list; BadImportFile when it is not valid."""
    where = f"Behaviour support plan {n} in the file"
    if not isinstance(value, dict):
        raise BadImportFile(f"{where} is not valid: expected an object. Nothing was imported.")
    saved_by = value.get("saved_by")
    if not isinstance(saved_by, str) or not saved_by:
        raise BadImportFile(f"{where} does not say which account saved it. Nothing was imported.")
    fields = {k: v for k, v in value.items() if k not in ("saved_by", "saved_by_name")}
    try:
        plan = from_plain(BehaviourPlan, fields)
    except BadImportFile as exc:
        raise BadImportFile(f"{where} is not valid: {exc} Nothing was imported.") from None
    if plan.version < 1 or plan.saved_at is None:
        raise BadImportFile(
            f"{where} lacks its version number or the time it was saved. Nothing was imported."
        )
    if plan.start_date is None or plan.review_date is None:
        raise BadImportFile(f"{where} lacks its start date or review date. Nothing was imported.")
    _aware(plan.saved_at, where)
    return ExportedPlan(plan, saved_by)


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list):
        raise BadImportFile(f'The file has no "{key}" list, so it cannot be imported.')
    return value


def _items(cls: type[Any], values: list[Any], what: str) -> list[Any]:
    out = []
    for n, value in enumerate(values, start=1):
        try:
            out.append(from_plain(cls, value))
        except BadImportFile as exc:
            raise BadImportFile(f"{what} {n} in the file is not valid: {exc}") from None
    return out


def _aware(moment: datetime | None, where: str) -> None:
    if moment is not None and moment.utcoffset() is None:
        raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")


def check_document(document: Any) -> None:
    """Everything about a file that can be checked without the database (its format,
    version, fields, and that every record's pupils, staff and accounts are in it).
    Raises BadImportFile; the command line calls this before signing in."""
    read_document(document)


def read_document(document: Any) -> ImportPlan:
    """Check the whole file before anything is written."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadImportFile(
            "This file is not an Incident Recorder export (it does not say "
            f'"format": "{FORMAT}"). Nothing was imported.'
        )
    version = document.get("version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > 1
        raise BadImportFile(
            f"This export is format version {version!r}, made by a newer version of Incident "
            "Recorder. Please update Incident Recorder to import it."
            if newer
            else f"This export has format version {version!r}; this version of Incident "
            f"Recorder reads version {FORMAT_VERSION}. Nothing was imported."
        )
    pupils: list[Pupil] = _items(Pupil, _list(document, "pupils"), "Pupil")
    staff: list[StaffMember] = _items(StaffMember, _list(document, "staff"), "Staff entry")
    users: list[ExportedUser] = _items(ExportedUser, _list(document, "users"), "Account")
    incidents: list[ExportedIncident] = _items(
        ExportedIncident, _list(document, "incidents"), "Record"
    )
    _unique([p.id for p in pupils], "pupil id")
    _unique([p.upn for p in pupils if p.upn], "UPN")
    _unique([s.id for s in staff], "staff id")
    _unique([u.username for u in users], "account")
    _unique([i.reference for i in incidents if i.reference], "reference")
    pupil_ids = {p.id for p in pupils}
    staff_ids = {s.id for s in staff}
    usernames = {u.username for u in users}
    for user in users:
        if user.staff_id is not None and user.staff_id not in staff_ids:
            raise BadImportFile(
                f"Account '{user.username}' is linked to staff entry {user.staff_id}, which is "
                "not in the file. Nothing was imported."
            )
    plans = _read_plans(document, pupil_ids, usernames)
    known = None if plans is None else {(p.plan.pupil_id, p.plan.version) for p in plans}
    for n, record in enumerate(incidents, start=1):
        _check_record(n, record, pupil_ids, staff_ids, usernames, known)
    submitted = {
        i.reference: i.versions[-1].details.who.pupil_id
        for i in incidents
        if i.reference and i.versions
    }
    reviews = read_reviews(document, pupil_ids, usernames, submitted, known)
    versions = {
        i.reference: tuple(v.details for v in i.versions)
        for i in incidents
        if i.reference and i.versions
    }
    entries = read_entries(document, usernames, versions)
    statements = read_statements(
        document, usernames, staff_ids, {ref: len(v) for ref, v in versions.items()}
    )
    return ImportPlan(
        tuple(pupils),
        tuple(staff),
        tuple(users),
        tuple(incidents),
        tuple(plans or ()),
        reviews,
        entries,
        training=read_training(document, staff_ids, usernames),
        governors_reports=read_governors_reports(document, usernames),
        statements=statements,
        calendar=read_calendar(document),
    )


def _read_plans(
    document: dict[str, Any], pupil_ids: set[int], usernames: set[str]
) -> list[ExportedPlan] | None:
    """The file's plan versions grouped by pupil, oldest first; None for a file made
    before plans were exported (it has no "plans" list)."""
    if "plans" not in document:
        return None
    plans = [plan_from_plain(v, n) for n, v in enumerate(_list(document, "plans"), start=1)]
    by_pupil: dict[int, list[ExportedPlan]] = {}
    for n, exported in enumerate(plans, start=1):
        plan = exported.plan
        if plan.pupil_id not in pupil_ids:
            raise BadImportFile(
                f"Behaviour support plan {n} in the file is for pupil {plan.pupil_id}, who is "
                "not in the file's list of pupils. Nothing was imported."
            )
        if exported.saved_by not in usernames:
            raise BadImportFile(
                f"Behaviour support plan {n} in the file was saved by the account "
                f"'{exported.saved_by}', which is not in the file's accounts. Nothing was "
                "imported."
            )
        by_pupil.setdefault(plan.pupil_id, []).append(exported)
    ordered: list[ExportedPlan] = []
    for pupil_id in sorted(by_pupil):
        versions = sorted(by_pupil[pupil_id], key=lambda p: p.plan.version)
        if [p.plan.version for p in versions] != list(range(1, len(versions) + 1)):
            raise BadImportFile(
                f"The behaviour support plan of pupil {pupil_id} in the file has versions "
                "that are not numbered 1, 2, 3 without gaps or repeats. Nothing was imported."
            )
        ordered += versions
    return ordered


def _unique(values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise BadImportFile(f"The file lists {what} {value} twice. Nothing was imported.")
        seen.add(value)


def _check_record(
    n: int,
    r: ExportedIncident,
    pupil_ids: set[int],
    staff_ids: set[int],
    usernames: set[str],
    plans: set[tuple[int, int]] | None,
) -> None:
    name = f"Record {r.reference}" if r.reference else f"Draft {n}"

    def bad(problem: str) -> BadImportFile:
        return BadImportFile(f"{name} in the file {problem}. Nothing was imported.")

    for moment in (r.created_at, r.updated_at, r.submitted_at, *(v.saved_at for v in r.versions)):
        _aware(moment, name)
    if r.status is IncidentStatus.SUBMITTED:
        if r.reference is None or not _REFERENCE.match(r.reference):
            raise bad(f"has no valid reference (found {r.reference!r}; expected e.g. 2026-0001)")
        if r.submitted_at is None or not r.versions or r.draft is not None:
            raise bad("is marked submitted but lacks its submitted time or versions")
        if [v.number for v in r.versions] != list(range(1, len(r.versions) + 1)):
            raise bad("has versions that are not numbered 1, 2, 3 in order")
        for v in r.versions:
            if (v.number == 1) != (not v.reason.strip()):
                raise bad(f"has version {v.number} with a missing or unexpected reason")
        details = [v.details for v in r.versions]
    else:
        if r.reference is not None or r.versions or r.draft is None:
            raise bad("is marked as a draft but has a reference or versions")
        details = [r.draft]
    unknown = sorted({r.author, *(v.saved_by for v in r.versions)} - usernames)
    if unknown:
        raise bad(f"names the account '{unknown[0]}', which is not in the file's accounts")
    for d in details:
        pupil = d.who.pupil_id
        if pupil is not None and pupil not in pupil_ids:
            raise bad(f"refers to pupil {pupil}, who is not in the file's list of pupils")
        version = d.who.plan_version
        if plans is not None and version is not None and (pupil, version) not in plans:
            raise bad(
                f"refers to version {version} of the behaviour support plan of pupil {pupil}, "
                "which is not in the file's plans"
            )
        for involved in d.who.staff:
            if involved.staff_id not in staff_ids:
                raise bad(
                    f"refers to staff entry {involved.staff_id}, which is not in the file's "
                    "staff list"
                )
