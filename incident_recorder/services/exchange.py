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
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    IncidentQuery,
    IncidentStatus,
    NewPupil,
    Pupil,
    Role,
    StaffInvolvement,
    StaffMember,
)
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.services.exchange_records import (
    RecordEntries,
    entry_usernames,
    export_entries,
    import_entries,
    read_entries,
)
from incident_recorder.services.exchange_reviews import (
    ExportedReview,
    export_reviews,
    import_reviews,
    read_reviews,
)
from incident_recorder.services.incidents import IncidentService, details_sha256
from incident_recorder.services.ports import RecordToImport, Store, VersionToImport
from incident_recorder.services.session import Session

FORMAT = "incident-recorder-export"
FORMAT_VERSION = 1
_REFERENCE = re.compile(r"^(\d{4})-(\d{4,})$")
_PAGE = 500


# --------------------------------------------------------------------------- the format


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


# --------------------------------------------------------------------------- the service


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
        exporter = _Exporter(store)
        records = exporter.records(incidents)
        pupils = sorted(store.pupils.list(), key=lambda p: p.id)
        plans = exporter.plans(pupils)
        reviews = exporter.reviews(pupils, incidents)
        submitted = {i.id: i.reference for i in incidents if i.reference}
        entries = export_entries(store, submitted, exporter.usernames)
        user_names = entry_usernames(entries) | (
            {r["author"] for r in records}
            | {v["saved_by"] for r in records for v in r["versions"]}
            | {p["saved_by"] for p in plans}
            | {r["recorded_by"] for r in reviews}
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
        }
        self._s.audit(
            "export",
            detail=f"{len(records)} records, {len(pupils)} pupils, {len(staff)} staff, "
            f"{len(plans)} plan versions, {len(reviews)} plan reviews, "
            f"{len(entries['parent_contacts'])} contacts with parents, "
            f"{len(entries['sign_offs'])} sign-offs, {len(entries['documents'])} documents "
            "as JSON",
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
        records = _Exporter(store).records(incidents)
        self._s.audit("list_records", detail=f"{len(records)} records in full")
        return records

    # ------------------------------------------------------------------ in

    def import_document(self, document: Any) -> ImportResult:
        """Add a file's pupils, staff, accounts and records. All or nothing; audited."""
        self._require("import records")
        plan = _read(document)
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
            return _Importer(self._s, plan).run()


# --------------------------------------------------------------------------- export


class _Exporter:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.usernames = {u.id: u.username for u in store.users.list()}
        self._events: dict[int, int] = {}

    def _username(self, user_id: int) -> str:
        return self.usernames.get(user_id, f"user-{user_id}")

    def records(self, incidents: list[Incident]) -> list[dict[str, Any]]:
        return [self._record(i) for i in incidents]

    def plans(self, pupils: list[Pupil]) -> list[dict[str, Any]]:
        """Every saved version of every pupil's plan, by pupil id then version."""
        out = []
        for pupil in pupils:
            for plan in reversed(self._store.plans.versions(pupil.id)):
                username = "" if plan.saved_by is None else self._username(plan.saved_by)
                out.append(plan_to_plain(ExportedPlan(plan, username)))
        return out

    def reviews(self, pupils: list[Pupil], incidents: list[Incident]) -> list[dict[str, Any]]:
        """Every recorded plan review, by pupil id then oldest first."""
        references = {i.id: i.reference for i in incidents if i.reference}
        return export_reviews(self._store, [p.id for p in pupils], self.usernames, references)

    def _record(self, incident: Incident) -> dict[str, Any]:
        event = self._events.setdefault(incident.event_id, len(self._events) + 1)
        submitted = incident.status is IncidentStatus.SUBMITTED
        versions = self._store.incidents.versions(incident.id) if submitted else []
        exported = ExportedIncident(
            reference=incident.reference,
            status=incident.status,
            event=event,
            author=self._username(incident.author_id),
            created_at=incident.created_at,
            updated_at=incident.updated_at,
            submitted_at=incident.submitted_at,
            versions=tuple(
                ExportedVersion(
                    v.number, v.saved_at, self._username(v.saved_by), v.reason, v.details
                )
                for v in versions
            ),
            draft=None if submitted else incident.details,
        )
        plain: dict[str, Any] = to_plain(exported)
        return plain


# --------------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class _Plan:
    pupils: tuple[Pupil, ...]
    staff: tuple[StaffMember, ...]
    users: tuple[ExportedUser, ...]
    incidents: tuple[ExportedIncident, ...]
    plans: tuple[ExportedPlan, ...] = ()  # by pupil, each pupil's oldest version first
    reviews: tuple[ExportedReview, ...] = ()
    entries: RecordEntries = dataclasses.field(default_factory=RecordEntries)


def plan_to_plain(exported: ExportedPlan) -> dict[str, Any]:
    """A plan version as it is written in the file."""
    plain: dict[str, Any] = to_plain(exported.plan)
    del plain["saved_by_name"]
    plain["saved_by"] = exported.saved_by
    return plain


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
    _read(document)


def _read(document: Any) -> _Plan:
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
    return _Plan(
        tuple(pupils),
        tuple(staff),
        tuple(users),
        tuple(incidents),
        tuple(plans or ()),
        reviews,
        entries,
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


class _Importer:
    def __init__(self, session: Session, plan: _Plan) -> None:
        self._s = session
        self._store = session.store
        self._plan = plan
        self.pupil_ids: dict[int, int] = {}
        self.staff_ids: dict[int, int] = {}
        self.user_ids: dict[str, int] = {}
        self.counts = dict.fromkeys(
            ("pupils_added", "pupils_matched", "staff_added", "staff_matched", "users_added"), 0
        )

    def run(self) -> ImportResult:
        self._pupils()
        self._staff()
        self._users()
        plan_versions = self._plans()
        records = drafts = 0
        events: dict[int, int] = {}
        references: dict[str, int] = {}
        for exported in self._plan.incidents:
            incident = self._store.incidents.import_record(
                self._record(exported, events.get(exported.event))
            )
            events.setdefault(exported.event, incident.event_id)
            if incident.reference:
                references[incident.reference] = incident.id
            if incident.status is IncidentStatus.DRAFT:
                drafts += 1
            else:
                records += 1
            self._s.audit(
                "import",
                incident.id,
                incident.reference or "draft",
                None if incident.reference is None else details_sha256(incident.details),
            )
        reviews = import_reviews(
            self._store, self._plan.reviews, self.pupil_ids, self.user_ids, references
        )
        added = import_entries(self._store, self._plan.entries, references, self.user_ids)
        c = self.counts
        self._s.audit(
            "import",
            detail=f"{records} records, {drafts} drafts, {c['pupils_added']} pupils added, "
            f"{c['staff_added']} staff added, {plan_versions} plan versions, {reviews} plan "
            f"reviews, {added.contacts} contacts with parents, {added.sign_offs} sign-offs, "
            f"{added.documents} documents added from JSON",
        )
        return ImportResult(
            records=records,
            drafts=drafts,
            plan_versions=plan_versions,
            reviews=reviews,
            parent_contacts=added.contacts,
            sign_offs=added.sign_offs,
            documents=added.documents,
            **c,
        )

    def _pupils(self) -> None:
        existing = {p.upn: p for p in self._store.pupils.list() if p.upn}
        for pupil in self._plan.pupils:
            found = existing.get(pupil.upn.strip().upper()) if pupil.upn else None
            if found is not None:
                if _folded(found.first_name, found.last_name) != _folded(
                    pupil.first_name, pupil.last_name
                ):
                    raise BadImportFile(
                        f"The database already has a pupil with UPN {pupil.upn} under another "
                        "name, so nothing was imported. Check the UPN in the file."
                    )
                self.pupil_ids[pupil.id] = found.id
                self.counts["pupils_matched"] += 1
                continue
            # Every field a new pupil takes (the MIS details and contacts too), then the
            # date they left, which only an update sets.
            added = self._store.pupils.add(
                NewPupil(**{f.name: getattr(pupil, f.name) for f in dataclasses.fields(NewPupil)})
            )
            if pupil.left_on is not None:
                added = self._store.pupils.update(dataclasses.replace(added, left_on=pupil.left_on))
            self.pupil_ids[pupil.id] = added.id
            self.counts["pupils_added"] += 1

    def _staff(self) -> None:
        unclaimed: dict[str, list[StaffMember]] = {}
        for member in self._store.staff.list(active_only=False):
            unclaimed.setdefault(_folded(member.full_name), []).append(member)
        for member in self._plan.staff:
            same = unclaimed.get(_folded(member.full_name))
            if same:
                self.staff_ids[member.id] = same.pop(0).id
                self.counts["staff_matched"] += 1
                continue
            self.staff_ids[member.id] = self._store.staff.add(member.full_name, member.job_title).id
            self.counts["staff_added"] += 1

    def _users(self) -> None:
        for user in self._plan.users:
            found = self._store.users.by_username(user.username)
            if found is None:
                staff = None if user.staff_id is None else self.staff_ids[user.staff_id]
                found = self._store.users.add(user.username, user.full_name, user.roles, staff)
                self.counts["users_added"] += 1
            self.user_ids[user.username] = found.id

    def _plans(self) -> int:
        """Each pupil's plan versions with their numbers, saved times and authors. A
        pupil already here (matched by UPN) may already hold the file's first versions,
        unchanged; then only the later ones are added. Returns the number added."""
        by_pupil: dict[int, list[ExportedPlan]] = {}
        for exported in self._plan.plans:
            by_pupil.setdefault(self.pupil_ids[exported.plan.pupil_id], []).append(exported)
        added = 0
        for pupil_id, versions in by_pupil.items():
            here = list(reversed(self._store.plans.versions(pupil_id)))
            same = len(here) <= len(versions) and all(
                _same_plan(old, new.plan, self.user_ids[new.saved_by])
                for old, new in zip(here, versions, strict=False)
            )
            if not same:
                upn = self._store.pupils.get(pupil_id).upn or f"id {pupil_id}"
                raise BadImportFile(
                    f"The pupil with UPN {upn} already has a behaviour support plan in this "
                    "database that differs from the one in the file, so nothing was imported."
                )
            for exported in versions[len(here) :]:
                plan = exported.plan
                saved_at = plan.saved_at
                assert saved_at is not None  # checked when the file was read
                stored = self._store.plans.add(
                    dataclasses.replace(plan, pupil_id=pupil_id, saved_by=None, saved_by_name=""),
                    self.user_ids[exported.saved_by],
                    saved_at.astimezone(UTC),
                )
                if stored.version != plan.version:  # cannot happen: versions run 1, 2, 3
                    raise BadImportFile(
                        f"A behaviour support plan version could not keep its number "
                        f"{plan.version}, so nothing was imported."
                    )
                added += 1
        return added

    def _details(self, details: IncidentDetails) -> IncidentDetails:
        """The file's pupil and staff ids swapped for this database's."""
        who = details.who
        pupil = None if who.pupil_id is None else self.pupil_ids[who.pupil_id]
        staff = tuple(StaffInvolvement(self.staff_ids[i.staff_id], i.part) for i in who.staff)
        return dataclasses.replace(
            details, who=dataclasses.replace(who, pupil_id=pupil, staff=staff)
        )

    def _record(self, e: ExportedIncident, event_id: int | None) -> RecordToImport:
        return RecordToImport(
            author_id=self.user_ids[e.author],
            created_at=e.created_at.astimezone(UTC),
            updated_at=e.updated_at.astimezone(UTC),
            event_id=event_id,
            reference=e.reference,
            submitted_at=None if e.submitted_at is None else e.submitted_at.astimezone(UTC),
            versions=tuple(
                VersionToImport(
                    self._details(v.details),
                    v.saved_at.astimezone(UTC),
                    self.user_ids[v.saved_by],
                    v.reason,
                )
                for v in e.versions
            ),
            draft=None if e.draft is None else self._details(e.draft),
        )


def _same_plan(here: BehaviourPlan, there: BehaviourPlan, saved_by: int) -> bool:
    """Whether a version already in the database is the file's version."""

    def bare(plan: BehaviourPlan) -> BehaviourPlan:
        saved_at = None if plan.saved_at is None else plan.saved_at.astimezone(UTC)
        return dataclasses.replace(
            plan, pupil_id=0, saved_at=saved_at, saved_by=None, saved_by_name=""
        )

    return here.saved_by == saved_by and bare(here) == bare(there)


def _folded(*parts: str) -> str:
    return " ".join(" ".join(parts).casefold().split())
