"""The printed record's sections as plain text, in the form's order.

In: a :class:`RecordDocument` (and one of its versions). Out: :class:`PrintedSection`
values (a heading, label/value rows and, for staff and holds, a table) that
``documents/record_pdf.py`` lays out. The parents' copy leaves out the rows of the
staff-only fields altogether (rather than printing them as "Not recorded"). Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from incident_recorder.domain.body_map import InjuryMark, marks_sentence, region_label
from incident_recorder.domain.diff import FieldChange, changes
from incident_recorder.domain.durations import duration_text
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentVersion,
    ParentsStatus,
)
from incident_recorder.domain.parents_told import WITHHELD_HIDDEN, withheld_details_hidden
from incident_recorder.domain.record_document import KEPT_BY_SCHOOL, RecordDocument
from incident_recorder.domain.steps import Step

NOT_RECORDED = "Not recorded"
Row = tuple[str, str]

# Where each warning's written explanation is shown, and what it is called (the
# printed record and the record view both use these).
EXPLANATION_TITLES: dict[str, tuple[Step, str]] = {
    "late_recording": (Step.WHEN_WHERE, "Why it was recorded after the day"),
    "no_plan": (Step.WHO, "Why there is no behaviour support plan"),
    "staff_training_missing": (Step.WHO, "Why staff with no training recorded held the pupil"),
    "staff_training_expired": (Step.WHO, "Why staff whose training had expired held the pupil"),
    "floor_position": (Step.INTERVENTION, "Why a floor position happened"),
    "abc_restricted": (Step.INTERVENTION, "Safeguarding lead told (airway, breathing)"),
    "long_hold": (Step.INTERVENTION, "Why the hold lasted so long"),
    "injury": (Step.INJURIES, "Safeguarding lead told about the injury"),
    "parents_not_same_day": (Step.PARENTS, "Why parents were not told the same day"),
    "summary_names_other_pupil": (Step.PARENTS, "Summary for parents names another pupil"),
}

PARENTS_STATUS_WORDS = {
    ParentsStatus.TOLD: "Told",
    ParentsStatus.NOT_YET: "Not yet told",
    ParentsStatus.WITHHELD: (
        "Withheld: telling them would put the pupil at risk of significant harm"
    ),
}


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "None recorded"


@dataclass(frozen=True, slots=True)
class BodyMapFigure:
    """A body map to print beside its table: whose injuries, the marks, and the table
    (number, where, kind, note) in the marks' order."""

    title: str
    marks: tuple[InjuryMark, ...]
    table: Table


@dataclass(frozen=True, slots=True)
class PrintedSection:
    heading: str
    rows: tuple[Row, ...] = ()
    table: Table | None = None
    table_after: int = 0  # the table goes after this many rows
    body_maps: tuple[BodyMapFigure, ...] = ()  # printed after the rows


def text(value: str) -> str:
    return value.strip() or NOT_RECORDED


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else NOT_RECORDED


def clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value else NOT_RECORDED


def moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else NOT_RECORDED


def yes_no(value: bool | None, yes: str = "Yes", no: str = "No") -> str:
    return NOT_RECORDED if value is None else (yes if value else no)


def number(value: int | None, unit: str = "") -> str:
    if value is None:
        return NOT_RECORDED
    return f"{value} {unit}{'s' if unit and value != 1 else ''}".strip()


def items(values: Iterable[str], none: str = NOT_RECORDED) -> str:
    listed = [v.strip() for v in values if v.strip()]
    return "\n".join(f"• {v}" for v in listed) if listed else none


def sections(doc: RecordDocument, version: IncidentVersion) -> list[PrintedSection]:
    """The version's record, section by section in the form's order."""
    d = version.details
    parents = doc.for_parents
    out: dict[Step, list[Row]] = {}
    tables: dict[Step, tuple[Table, int]] = {}
    w = d.when_where
    out[Step.WHEN_WHERE] = [
        ("Date", day(w.date)),
        ("Start time", clock(w.start)),
        ("End time", clock(w.end)),
        ("Duration", number(w.duration_minutes, "minute")),
        ("Location", text(w.location)),
    ]
    pupil = doc.pupil
    about = ", ".join(x for x in (pupil.year_group, f"UPN {pupil.upn}" if pupil.upn else "") if x)
    name = doc.pupil_name(d.who.pupil_id)
    if d.who.pupil_id == pupil.id and about:
        name += f" ({about})"
    out[Step.WHO] = [("Pupil", name)]
    staff = tuple((doc.staff_name(s.staff_id), s.part.label) for s in d.who.staff)
    tables[Step.WHO] = (Table(("Member of staff", "Part in the incident"), staff), 1)
    if not parents:
        out[Step.WHO].append(("Other witnesses", text(d.who.other_witnesses)))
    plan = d.who.plan_version
    out[Step.WHO].append(
        (
            "Behaviour support plan",
            "None on record for the incident's date"
            if plan is None
            else f"Version {plan}, in force on the incident's date",
        )
    )
    h = d.what_happened
    out[Step.WHAT_HAPPENED] = [
        ("Kind of antecedent", items(h.antecedent_types)),
        ("What led up to it", text(h.antecedents)),
        ("What the pupil did", text(h.pupil_behaviour)),
    ]
    if not parents:
        out[Step.WHAT_HAPPENED].append(("The incident in time order", text(h.account)))
    e = d.deescalation
    out[Step.DEESCALATION] = [
        ("De-escalation tried", items(e.strategies)),
        ("Other de-escalation", text(e.other)),
    ]
    if e.no_time_reason.strip() or not e.recorded:
        out[Step.DEESCALATION].append(("Why there was no time", text(e.no_time_reason)))
    n = d.necessity
    out[Step.NECESSITY] = [
        ("Why it was necessary", items(sorted(g.label for g in n.grounds))),
        ("Justification", text(n.justification)),
        (
            "Force not used as a punishment",
            "Confirmed" if n.not_punishment_confirmed else NOT_RECORDED,
        ),
    ]
    out[Step.INTERVENTION], holds = _intervention(d)
    tables[Step.INTERVENTION] = (holds, 1)
    out[Step.INJURIES] = _injuries(d, parents)
    out[Step.DEBRIEFS] = _debriefs(d, parents)
    out[Step.PARENTS] = _parents(d)
    f = d.follow_up
    actions = [
        f"{a.description or 'Not described'} (owner: {a.owner or 'not given'}; due "
        f"{a.due.strftime('%d/%m/%Y') if a.due else 'not given'})"
        for a in f.actions
    ]
    out[Step.FOLLOW_UP] = [
        ("How the pupil is now", text(f.how_child_is_now)),
        ("Support for the pupil", text(f.pupil_support)),
        ("Behaviour support plan needs review", yes_no(f.plan_review_needed)),
        ("Risk assessment needs review", yes_no(f.risk_assessment_review_needed)),
        ("Referrals", items(sorted(r.label for r in f.referrals), none="None")),
        ("Actions", items(actions, none="None")),
    ]
    extra: list[Row] = []
    for code, explanation in d.explanations:
        step, title = EXPLANATION_TITLES.get(code, (None, code.replace("_", " ").capitalize()))
        row = (f"Explanation: {title}", text(explanation))
        (extra if step is None else out[step]).append(row)
    printed = []
    for step, rows in out.items():
        table, after = tables.get(step, (None, 0))
        heading = f"{step.number}. {step.heading}"
        maps = body_map_figures(d, parents) if step is Step.INJURIES else ()
        printed.append(PrintedSection(heading, tuple(rows), table, after, maps))
    if extra:
        printed.append(PrintedSection("Other explanations", tuple(extra)))
    return printed


def _intervention(d: IncidentDetails) -> tuple[list[Row], Table]:
    i = d.intervention
    holds = tuple(
        (
            h.technique or "Technique not named",
            duration_text(h.seconds) if h.seconds is not None else "Time not given",
        )
        for h in i.holds
    )
    rows: list[Row] = [
        ("Kind of intervention", i.kind.label if i.kind else NOT_RECORDED),
        ("Total time held", duration_text(i.total_hold_seconds) or NOT_RECORDED),
        ("Number of staff", number(i.staff_count)),
        ("Ground, prone or supine position", yes_no(i.floor_position)),
    ]
    if i.floor_position:
        rows += [
            ("Floor positions", items(sorted(p.label for p in i.floor_positions))),
            ("How it came about", text(i.floor_how)),
            ("How long it lasted", duration_text(i.floor_seconds) or NOT_RECORDED),
            ("How the pupil was released", text(i.floor_release)),
        ]
    abc = yes_no(i.abc_never_restricted, "Never restricted", "Restricted, or not sure")
    rows.append(("Airway, breathing and circulation", abc))
    if i.abc_never_restricted is False:
        rows.append(("What happened to airway, breathing or circulation", text(i.abc_details)))
    return rows, Table(("Hold or technique", "How long"), holds)


def _injuries(d: IncidentDetails, parents: bool) -> list[Row]:
    j = d.injuries
    rows: list[Row] = []
    for label, injured, detail, private in (
        ("Pupil injured", j.pupil_injured, j.pupil_injury, False),
        ("Staff injured", j.staff_injured, j.staff_injury, True),
        ("Anyone else injured", j.others_injured, j.others_injury, True),
    ):
        value = yes_no(injured)
        if injured:
            value = KEPT_BY_SCHOOL if parents and private else f"Yes: {text(detail)}"
        rows.append((label, value))
    rows += body_map_rows(d, parents)
    if j.any_injury:
        rows += [
            ("First aid", text(j.first_aid)),
            ("First aid given by", text(j.first_aid_by)),
            ("Medical attention", text(j.medical_attention)),
        ]
    rows.append(("Damage to property", j.property_damage.strip() or "None"))
    return rows


def _shown_marks(d: IncidentDetails, parents: bool) -> list[tuple[str, tuple[InjuryMark, ...]]]:
    """(whose, marks) for each person with marks on the body map that this copy shows:
    the parents' copy shows only the pupil's."""
    j = d.injuries
    out = []
    if j.pupil_injured and j.pupil_marks:
        out.append(("the pupil", j.pupil_marks))
    if j.staff_injured and j.staff_marks and not parents:
        out.append(("staff", j.staff_marks))
    return out


def body_map_rows(d: IncidentDetails, parents: bool) -> list[Row]:
    """The body map in words: "Where the pupil was hurt": "A graze to the right elbow."
    (no rows for a record without marks, so it prints as it always did)."""
    return [
        (f"Where {whose} {'was' if whose == 'the pupil' else 'were'} hurt", marks_sentence(marks))
        for whose, marks in _shown_marks(d, parents)
    ]


def body_map_figures(d: IncidentDetails, parents: bool) -> tuple[BodyMapFigure, ...]:
    """The figures the full record prints (the parents' copy has the words only)."""
    if parents:
        return ()
    out = []
    for whose, marks in _shown_marks(d, parents):
        rows = tuple(
            (
                str(n),
                region_label(m.region),
                m.kind.label if m.kind else NOT_RECORDED,
                m.note.strip() or "—",
            )
            for n, m in enumerate(marks, start=1)
        )
        title = f"Body map: injuries to {whose}"
        out.append(BodyMapFigure(title, marks, Table(("No.", "Where", "Kind", "Note"), rows)))
    return tuple(out)


def _debriefs(d: IncidentDetails, parents: bool) -> list[Row]:
    b = d.debriefs
    rows: list[Row] = [("Pupil debriefed", yes_no(b.pupil_debriefed))]
    if b.pupil_debriefed:
        rows += [
            ("When", moment(b.pupil_debrief_at)),
            ("By whom", text(b.pupil_debrief_by)),
            ("The pupil's own words", text(b.pupil_voice)),
        ]
    elif b.pupil_debriefed is False:
        rows.append(("Why not yet", text(b.pupil_not_debriefed_reason)))
    if not parents:
        rows += [
            ("Staff debrief", text(b.staff_debrief)),
            ("Support for staff", text(b.staff_support)),
        ]
    return rows


def _parents(d: IncidentDetails) -> list[Row]:
    p = d.parents
    rows: list[Row] = [
        ("Parents or carers told", PARENTS_STATUS_WORDS[p.status] if p.status else NOT_RECORDED)
    ]
    if p.status is ParentsStatus.TOLD:
        rows += [
            ("Who was told", text(p.told_who)),
            ("How", p.told_how.label if p.told_how else NOT_RECORDED),
            ("When", moment(p.told_at)),
            ("Told by", text(p.told_by)),
        ]
    elif p.status is ParentsStatus.NOT_YET:
        rows.append(("Why not yet", text(p.not_yet_reason)))
    elif p.status is ParentsStatus.WITHHELD and withheld_details_hidden(p):
        rows.append(("Details", WITHHELD_HIDDEN))
    elif p.status is ParentsStatus.WITHHELD:
        rows += [
            ("Why telling them would put the pupil at risk", text(p.withheld_reason)),
            ("Who decided", text(p.withheld_decided_by)),
            ("Local authority told at", moment(p.la_told_at)),
            ("Who at the local authority", text(p.la_told_who)),
        ]
    rows.append(("Summary for parents", text(p.summary_for_parents)))
    return rows


def amendments(doc: RecordDocument) -> list[tuple[IncidentVersion, list[FieldChange]]]:
    """Each version after the first, with the fields it changed (names for ids)."""

    def describe(key: str, value: Any) -> str | None:
        if key == "who.pupil_id":
            return doc.pupil_name(value if isinstance(value, int) else None)
        if key == "who.staff" and isinstance(value, list):
            parts = []
            for item in value:
                staff_id = item.get("staff_id") if isinstance(item, dict) else None
                who = doc.staff_name(staff_id) if isinstance(staff_id, int) else "unknown"
                parts.append(f"{who} ({str(item.get('part', '')).replace('_', ' ')})")
            return "; ".join(parts) or "—"
        return None

    describer: Callable[[str, Any], str | None] = describe
    out = []
    for before, after in zip(doc.versions, doc.versions[1:], strict=False):
        out.append((after, changes(before.details, after.details, describer)))
    return out
