"""Importing pupils from the school's MIS (a CSV export): preview, then one transaction.

A re-import updates the pupils it matches by UPN (only the fields the file has a
column for; contacts are replaced when the file has contact columns) and never
duplicates them. A **full** import also marks the pupils on roll whom the file does not
list as having left today; nobody is ever deleted, since their records must be kept.
Pupils added by hand without a UPN cannot be matched, so an import leaves them alone.
Allowed to administrators and SENCOs; audited with counts only (no names). The preview
also says how the parents and carers were read (``contact_notes``) and groups the
problems by kind (``problem_groups``); dates of birth are checked against the school's
date from the session's clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.mis_import import (
    MisField,
    PupilRow,
    apply_overrides,
    check_rows,
    guess_mapping,
    read_table,
)
from incident_recorder.domain.mis_problems import (
    ProblemGroup,
    RowProblem,
    group_problems,
    problem_count,
)
from incident_recorder.domain.model import NewPupil, Pupil, Role
from incident_recorder.services.ports import Progress
from incident_recorder.services.progress import NO_PROGRESS, stop_if_asked
from incident_recorder.services.session import Session


class ImportHasProblems(BadImportFile):
    """The file has row-level problems: nothing is written until they are fixed. The
    message names each kind of problem with its count and an example."""

    def __init__(self, problems: tuple[RowProblem, ...]) -> None:
        self.problems = problems
        self.groups = group_problems(problems)
        super().__init__(
            f"The file has {problem_count(problems)}, so nothing was imported. Fix them in "
            "the MIS or the file and try again:\n" + "\n".join(g.heading for g in self.groups)
        )


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do (or, from :meth:`PupilImportService.run`, did)."""

    mapping: Mapping[MisField, str]
    ignored_columns: tuple[str, ...]
    new: int
    updated: int
    unchanged: int
    left: int
    problems: tuple[RowProblem, ...]
    full: bool
    _plan: _Plan = field(repr=False, compare=False)
    # How the parents and carers were read (who has parental responsibility, who
    # receives letters, and how that was decided), in sentences for the school to check.
    contact_notes: tuple[str, ...] = ()

    @property
    def can_import(self) -> bool:
        return not self.problems

    @property
    def problem_groups(self) -> tuple[ProblemGroup, ...]:
        """The problems by kind, most serious first, each with its count and example."""
        return group_problems(self.problems)

    @property
    def problem_count(self) -> str:
        """ "12 problems in 10 rows"."""
        return problem_count(self.problems)


@dataclass(frozen=True, slots=True)
class _Plan:
    adds: tuple[NewPupil, ...]
    updates: tuple[Pupil, ...]
    leavers: tuple[Pupil, ...]


class PupilImportService:
    def __init__(self, session: Session) -> None:
        self._s = session

    def preview(
        self, data: bytes, overrides: Mapping[str, str] | None = None, full: bool = False
    ) -> ImportPreview:
        """Read and check the file and compare it with the list; writes nothing."""
        self._s.require(Role.ADMINISTRATOR, Role.SENCO, action="import pupils")
        table = read_table(data)
        mapping = apply_overrides(table.header, guess_mapping(table.header), overrides or {})
        checked = check_rows(table, mapping, today=self._s.local_now().date())
        plan = self._plan(checked.pupils, full and not checked.problems)
        used = set(mapping.values())
        return ImportPreview(
            mapping=mapping,
            ignored_columns=tuple(c for c in table.header if c not in used and c),
            new=len(plan.adds),
            updated=len(plan.updates),
            unchanged=len(checked.pupils) - len(plan.adds) - len(plan.updates),
            left=len(plan.leavers),
            problems=checked.problems,
            full=full,
            _plan=plan,
            contact_notes=checked.contact_notes,
        )

    def run(
        self,
        data: bytes,
        overrides: Mapping[str, str] | None = None,
        full: bool = False,
        progress: Progress = NO_PROGRESS,
    ) -> ImportPreview:
        """Import the file in one transaction. Raises ImportHasProblems (nothing written)
        while any row has a problem. ``progress`` hears how far it has got and may stop
        it (Cancelled) at any point before the transaction commits: nothing is written."""
        progress.step(0, 0, "Reading and checking the file")
        preview = self.preview(data, overrides, full)
        if preview.problems:
            raise ImportHasProblems(preview.problems)
        plan = preview._plan
        store = self._s.store
        changed = (*plan.updates, *plan.leavers)
        total = len(plan.adds) + len(changed)

        def saving(done: int) -> None:
            if done % 100 == 0:
                stop_if_asked(progress, "The import")
                progress.step(done, total, f"Saving pupils: {done:,} of {total:,}")

        with store.transaction():
            for done, new in enumerate(plan.adds):
                saving(done)
                store.pupils.add(new)
            for done, pupil in enumerate(changed, start=len(plan.adds)):
                saving(done)
                store.pupils.update(pupil)
            stop_if_asked(progress, "The import")  # the last moment nothing is kept
            self._s.audit(
                "import_pupils",
                detail=(
                    f"{'full ' if full else ''}pupil import: {preview.new} new, "
                    f"{preview.updated} updated, {preview.unchanged} unchanged, "
                    f"{preview.left} marked as left"
                ),
            )
        return preview

    def _plan(self, rows: tuple[PupilRow, ...], full: bool) -> _Plan:
        existing = {p.upn: p for p in self._s.store.pupils.list() if p.upn}
        adds: list[NewPupil] = []
        updates: list[Pupil] = []
        for row in rows:
            found = existing.get(row.upn)
            extra: dict[str, object] = {}
            if row.contacts is not None:
                extra["contacts"] = row.contacts
            if found is None:
                adds.append(NewPupil(upn=row.upn, **{**row.values, **extra}))
                continue
            # Someone who reappears in the MIS is back on roll.
            changed = dataclasses.replace(found, left_on=None, **{**row.values, **extra})
            if changed != found:
                updates.append(changed)
        leavers: list[Pupil] = []
        if full:
            listed = {row.upn for row in rows}
            today = self._s.local_now().date()
            leavers = [
                dataclasses.replace(p, left_on=today)
                for upn, p in existing.items()
                if upn not in listed and p.left_on is None
            ]
        return _Plan(tuple(adds), tuple(updates), tuple(leavers))
