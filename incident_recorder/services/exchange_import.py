"""Writing a checked JSON export into the database (inside the caller's transaction):
pupils matched by UPN, staff by name, accounts by username, then plan versions, records,
plan reviews, contacts with parents, sign-offs and documents."""

from __future__ import annotations

import dataclasses
from datetime import UTC

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentStatus,
    NewPupil,
    StaffInvolvement,
    StaffMember,
)
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.services.exchange_calendar import import_calendar
from incident_recorder.services.exchange_format import ExportedIncident, ExportedPlan, ImportResult
from incident_recorder.services.exchange_governors import import_governors_reports
from incident_recorder.services.exchange_read import ImportPlan
from incident_recorder.services.exchange_records import import_entries
from incident_recorder.services.exchange_reviews import import_reviews
from incident_recorder.services.exchange_statements import import_statements
from incident_recorder.services.exchange_training import import_training
from incident_recorder.services.incidents import details_sha256
from incident_recorder.services.ports import RecordToImport, VersionToImport
from incident_recorder.services.session import Session


class Importer:
    def __init__(self, session: Session, plan: ImportPlan) -> None:
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
        training = import_training(self._store, self._plan.training, self.staff_ids, self.user_ids)
        governors = import_governors_reports(
            self._store, self._plan.governors_reports, self.user_ids
        )
        statements = import_statements(
            self._store,
            self._plan.statements,
            references,
            self.staff_ids,
            self.user_ids,
            lambda action, incident_id, detail: self._s.audit(action, incident_id, detail),
        )
        calendar = import_calendar(self._store, self._plan.calendar)
        if calendar:
            self._s.audit("settings_changed", detail="school calendar: from the imported file")
        c = self.counts
        self._s.audit(
            "import",
            detail=f"{records} records, {drafts} drafts, {c['pupils_added']} pupils added, "
            f"{c['staff_added']} staff added, {plan_versions} plan versions, {reviews} plan "
            f"reviews, {added.contacts} contacts with parents, {added.sign_offs} sign-offs, "
            f"{added.documents} documents, {statements} staff statements, {training} training "
            f"entries, {governors} governors' reports added from JSON",
        )
        return ImportResult(
            records=records,
            drafts=drafts,
            plan_versions=plan_versions,
            reviews=reviews,
            parent_contacts=added.contacts,
            sign_offs=added.sign_offs,
            documents=added.documents,
            parents_copies=added.copies,
            staff_training=training,
            governors_reports=governors,
            statements=statements,
            desk_entries=added.desk,
            calendar=calendar,
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
