"""What the policy rules find in a record (domain/policy.py): a blocking problem, or a
warning that needs a written explanation. Its own module so that the errors
(``CannotSubmit`` carries the findings) need not import the rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from incident_recorder.domain.steps import Step


class Severity(StrEnum):
    BLOCKING = "blocking"  # must be put right before submit
    WARNING = "warning"  # needs a written explanation before submit


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable identifier, e.g. "required:when_where.date" or "late_recording"
    severity: Severity
    step: Step
    field: str  # "<step>.<field>" the finding belongs beside
    message: str  # plain English, shown to the member of staff
    explained: bool = False  # warnings only: an explanation has been written
    # Warnings only: the record field that holds the explanation, when it is not the
    # generic explanations map (e.g. no de-escalation is explained by "no time" reason).
    explanation_field: str | None = None

    @property
    def outstanding(self) -> bool:
        return self.severity is Severity.BLOCKING or not self.explained
