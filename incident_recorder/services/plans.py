"""Behaviour support plans: reading a pupil's plan, and saving a new version of it.

SENCOs and administrators write plans; anyone who records incidents (and the
safeguarding lead) may read the plan of a pupil they record about. Audit entries
carry ids and version numbers only.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from incident_recorder.domain.documents import Pdf, plan_file_name
from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import Pupil, Role, SchoolSettings
from incident_recorder.domain.plans import BehaviourPlan, check_plan
from incident_recorder.services.ports import DocumentRenderer
from incident_recorder.services.session import Session

WRITERS = (Role.SENCO, Role.ADMINISTRATOR)


class PlanService:
    def __init__(self, session: Session, renderer: DocumentRenderer) -> None:
        """``renderer`` makes a plan's PDF for the class team and parents."""
        self._s = session
        self._renderer = renderer

    # ------------------------------------------------------------------ who may

    @property
    def may_write(self) -> bool:
        return self._s.user.has(*WRITERS)

    @property
    def may_read(self) -> bool:
        user = self._s.user
        return user.may_record or user.has(*WRITERS, Role.SAFEGUARDING_LEAD)

    def _require_reader(self) -> None:
        if not self.may_read:
            raise NotAllowed("Your account cannot read behaviour support plans.")

    # ------------------------------------------------------------------ reading

    def settings(self) -> SchoolSettings:
        """The school's de-escalation strategies and techniques, for the editor."""
        return self._s.settings()

    def local_today(self) -> date:
        return self._s.local_now().date()

    def pupil(self, pupil_id: int) -> Pupil:
        self._require_reader()
        return self._s.store.pupils.get(pupil_id)

    def search_pupils(self, text: str, limit: int = 50) -> list[Pupil]:
        self._require_reader()
        return self._s.store.pupils.search(text.strip(), limit)

    def current(self, pupil_id: int, on: date | None = None) -> BehaviourPlan | None:
        """The plan in force on ``on`` (the newest version started by then), or with no
        day the newest version."""
        self._require_reader()
        plans = self._s.store.plans
        return plans.current(pupil_id) if on is None else plans.in_force(pupil_id, on)

    def versions(self, pupil_id: int) -> list[BehaviourPlan]:
        """Every saved version, newest first. Opening them is audited."""
        self._require_reader()
        found = self._s.store.plans.versions(pupil_id)
        self._s.audit("plan_view", detail=f"pupil {pupil_id}, {len(found)} plan version(s)")
        return found

    def plan_pdf(self, plan: BehaviourPlan) -> Pdf:
        """A version of a pupil's plan as a PDF in memory, dated today."""
        self._require_reader()
        pupil = self._s.store.pupils.get(plan.pupil_id)
        school = self._s.settings().school
        pdf = self._renderer.plan(plan, pupil, school, self.local_today())
        return dataclasses.replace(pdf, file_name=plan_file_name(plan.version))

    def plan_printed(self, pupil_id: int, version: int, how: str) -> None:
        """Record that a version of the plan left the app (``how``: e.g. "saved as PDF").
        The audit entry carries the pupil's id and the version, never a name."""
        self._require_reader()
        self._s.audit("plan_print", detail=f"pupil {pupil_id} plan version {version}, {how}")

    # ------------------------------------------------------------------ writing

    def save(self, plan: BehaviourPlan) -> BehaviourPlan:
        """Save ``plan`` as the pupil's new current version. InvalidInput lists what
        must be put right; NotAllowed unless a SENCO or administrator."""
        if not self.may_write:
            raise NotAllowed("Only a SENCO or an administrator can change behaviour support plans.")
        tidy = dataclasses.replace(
            plan,
            written_by=" ".join(plan.written_by.split()),
            helpful_strategies=_unique(plan.helpful_strategies),
            approved_techniques=_unique(plan.approved_techniques),
            ruled_out_techniques=_unique(plan.ruled_out_techniques),
        )
        check_plan(tidy)
        store = self._s.store
        store.pupils.get(tidy.pupil_id)  # NotFound for a pupil who is not on the list
        with store.transaction():
            saved = store.plans.add(tidy, self._s.user.id, self._s.now())
            self._s.audit(
                "plan_saved", detail=f"pupil {saved.pupil_id} plan version {saved.version}"
            )
        return saved


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        name = " ".join(item.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())
