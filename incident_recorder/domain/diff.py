"""What changed between two versions of a record, field by field, in words."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from incident_recorder.domain.body_map import InjuryMark, region_label
from incident_recorder.domain.durations import duration_text
from incident_recorder.domain.model import HoldUse, IncidentDetails
from incident_recorder.domain.serialise import to_plain
from incident_recorder.domain.steps import Step

# Friendly names for fields whose name does not read well on its own.
_FIELD_LABELS: dict[str, str] = {
    "when_where.date": "Date",
    "when_where.start": "Start time",
    "when_where.end": "End time",
    "who.pupil_id": "Pupil",
    "who.staff": "Staff involved",
    "what_happened.antecedent_types": "Kind of antecedent",
    "what_happened.antecedents": "What led up to it",
    "what_happened.pupil_behaviour": "What the pupil did",
    "what_happened.account": "Account in time order",
    "deescalation.other": "Other de-escalation",
    "deescalation.no_time_reason": "Why there was no time",
    "necessity.not_punishment_confirmed": "Not used as a punishment (confirmed)",
    "intervention.kind": "Kind of intervention",
    "intervention.holds": "Holds and techniques",
    "intervention.staff_count": "Number of staff",
    "intervention.floor_position": "Ground, prone or supine position",
    "intervention.floor_positions": "Floor positions",
    "intervention.floor_how": "How the floor position came about",
    "intervention.floor_seconds": "How long the floor position lasted",
    "intervention.floor_release": "How the pupil was released",
    "intervention.abc_never_restricted": "Airway, breathing, circulation never restricted",
    "intervention.abc_details": "Airway, breathing, circulation: what happened",
    "injuries.pupil_marks": "The pupil's injuries on the body map",
    "injuries.staff_marks": "Injuries to staff on the body map",
    "debriefs.pupil_voice": "The pupil's own words",
    "parents.status": "Parents or carers told",
    "parents.withheld_decided_by": "Who decided to withhold telling parents",
    "parents.la_told_at": "Local authority told at",
    "parents.la_told_who": "Local authority: who was told",
    "parents.summary_for_parents": "Summary for parents and carers",
    "follow_up.how_child_is_now": "How the pupil is now",
    "follow_up.plan_review_needed": "Behaviour support plan review needed",
    "follow_up.risk_assessment_review_needed": "Risk assessment review needed",
    "explanations": "Explanations for warnings",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    key: str  # "section.field"
    section: str  # the form step's title
    label: str
    before: str
    after: str


def field_label(key: str) -> str:
    if key in _FIELD_LABELS:
        return _FIELD_LABELS[key]
    name = key.rsplit(".", 1)[-1]
    return name.replace("_", " ").capitalize()


def section_title(key: str) -> str:
    head = key.split(".", 1)[0]
    try:
        return Step(head).heading
    except ValueError:
        return "Explanations" if head == "explanations" else head.replace("_", " ").capitalize()


def flatten(details: IncidentDetails) -> dict[str, Any]:
    plain = to_plain(details)
    out: dict[str, Any] = {}
    for section, value in plain.items():
        if isinstance(value, dict):
            for name, inner in value.items():
                out[f"{section}.{name}"] = inner
        else:
            out[section] = value
    return out


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _typed(details: IncidentDetails) -> dict[str, Any]:
    """The same keys as :func:`flatten`, with the model's own values (enums, dates)."""
    out: dict[str, Any] = {}
    for section in dataclasses.fields(details):
        value = getattr(details, section.name)
        if dataclasses.is_dataclass(value):
            for inner in dataclasses.fields(value):
                out[f"{section.name}.{inner.name}"] = getattr(value, inner.name)
        else:
            out[section.name] = value
    return out


# Fields holding a duration in seconds, printed as "1 minute 30 seconds".
_DURATIONS = frozenset({"intervention.floor_seconds"})


def _readable(value: Any, key: str = "") -> str | None:
    """Enums by their label, dates as dd/mm/yyyy and durations in words, as the record
    shows them; None for anything :func:`_text` already words well."""
    if key in _DURATIONS and isinstance(value, int):
        return duration_text(value)
    if isinstance(value, tuple) and value and all(isinstance(v, HoldUse) for v in value):
        return "; ".join(
            f"{h.technique or 'Technique not named'}, "
            f"{duration_text(h.seconds) or 'time not given'}"
            for h in value
        )
    if isinstance(value, tuple) and value and all(isinstance(v, InjuryMark) for v in value):
        return "; ".join(
            f"{n}. {m.kind.label if m.kind else 'Kind not given'}: {region_label(m.region)}"
            + (f" ({m.note.strip()})" if m.note.strip() else "")
            for n, m in enumerate(value, start=1)
        )
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return label if isinstance(label, str) else str(value.value).replace("_", " ").capitalize()
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, frozenset) and value and all(isinstance(v, Enum) for v in value):
        return "; ".join(sorted(_readable(v) or "" for v in value))
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        # explanations: (finding code, text) pairs
        return "; ".join(f"{str(c).replace('_', ' ').capitalize()}: {t}" for c, t in value)
    return None


def changes(
    before: IncidentDetails,
    after: IncidentDetails,
    describe: Callable[[str, Any], str | None] | None = None,
) -> list[FieldChange]:
    """Fields whose value differs, in form order. ``describe(key, value)`` may turn ids
    into names (e.g. a pupil id into the pupil's name); None falls back to plain text."""
    a, b = flatten(before), flatten(after)
    typed_a, typed_b = _typed(before), _typed(after)
    out = []
    # A field left out of the stored JSON while empty (the body map's marks) may be in
    # one version only: every field, in form order.
    for key in typed_b:
        if a.get(key) == b.get(key):
            continue

        def show(value: Any, typed: Any, key: str = key) -> str:
            if describe is not None:
                text = describe(key, value)
                if text is not None:
                    return text
            return _readable(typed, key) or _text(value)

        before_text = show(a.get(key), typed_a.get(key))
        after_text = show(b.get(key), typed_b.get(key))
        out.append(FieldChange(key, section_title(key), field_label(key), before_text, after_text))
    return out
