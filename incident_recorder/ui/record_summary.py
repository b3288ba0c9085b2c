"""The whole record as readable HTML, section by section in the form's order.

Used by the form's review page and by the record viewer. Dates are dd/mm/yyyy, times
HH:MM, people are named (not numbered), and a blank answer reads "Not recorded".
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime, time

from incident_recorder.domain.body_map import (
    LEFT_RIGHT_NOTE,
    marks_sentence,
    marks_words,
    region_label,
)
from incident_recorder.domain.durations import duration_text
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import (
    IncidentDetails,
    ParentsStatus,
)
from incident_recorder.domain.parents_told import (
    WITHHELD_HIDDEN,
    hide_withheld_details,
    withheld_details_hidden,
)
from incident_recorder.domain.record_sections import (
    EXPLANATION_TITLES,
    NOT_RECORDED,
    PARENTS_STATUS_WORDS,
)
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.body_map_figure import figure_png_base64

Row = tuple[str, str]  # label, HTML value


def _text(value: str) -> str:
    if not value.strip():
        return f"<i>{NOT_RECORDED}</i>"
    return html.escape(value.strip()).replace("\n", "<br>")


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else f"<i>{NOT_RECORDED}</i>"


def _time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else f"<i>{NOT_RECORDED}</i>"


def _moment(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else f"<i>{NOT_RECORDED}</i>"


def _yes_no(value: bool | None, yes: str = "Yes", no: str = "No") -> str:
    return f"<i>{NOT_RECORDED}</i>" if value is None else (yes if value else no)


def _duration(seconds: int | None) -> str:
    return duration_text(seconds) if seconds is not None else f"<i>{NOT_RECORDED}</i>"


def _number(value: int | None, unit: str = "") -> str:
    if value is None:
        return f"<i>{NOT_RECORDED}</i>"
    return f"{value} {unit}{'s' if unit and value != 1 else ''}".strip()


def _items(values: Iterable[str]) -> str:
    listed = [html.escape(v) for v in values if v.strip()]
    if not listed:
        return f"<i>{NOT_RECORDED}</i>"
    return "<br>".join(f"• {v}" for v in listed)


def _section(heading: str, rows: list[Row]) -> str:
    body = "".join(
        f'<tr><th align="left" valign="top" width="34%">{html.escape(label)}</th>'
        f'<td valign="top">{value}</td></tr>'
        for label, value in rows
    )
    return (
        f"<h3>{html.escape(heading)}</h3>"
        f'<table width="100%" cellspacing="0" cellpadding="4">{body}</table>'
    )


def _pupil(pupil_id: int | None, directory: DirectoryService) -> str:
    if pupil_id is None:
        return f"<i>{NOT_RECORDED}</i>"
    try:
        p = directory.pupil(pupil_id)
    except IncidentRecorderError:
        return f"Pupil no. {pupil_id} (not on the list)"
    extra = ", ".join(x for x in (p.year_group, f"UPN {p.upn}" if p.upn else "") if x)
    return html.escape(p.display_name + (f" ({extra})" if extra else ""))


def _plan_version(version: int | None) -> str:
    if version is None:
        return "None on record for the incident's date"
    return f"Version {version}, in force on the incident's date"


def _staff_name(staff_id: int, directory: DirectoryService) -> str:
    try:
        return directory.staff(staff_id).full_name
    except IncidentRecorderError:
        return f"Staff member no. {staff_id}"


def record_html(
    details: IncidentDetails, incidents: IncidentService, directory: DirectoryService
) -> str:
    """The record as HTML for a QTextBrowser (or printing). ``incidents`` is part of
    the signature so that viewers can pass the same services everywhere."""
    d = details if incidents.sees_withheld_details else hide_withheld_details(details)
    sections: dict[Step, list[Row]] = {}
    w = d.when_where
    duration = w.duration_minutes
    sections[Step.WHEN_WHERE] = [
        ("Date", _date(w.date)),
        ("Start time", _time(w.start)),
        ("End time", _time(w.end)),
        ("Duration", _number(duration, "minute")),
        ("Location", _text(w.location)),
    ]
    staff = [f"{_staff_name(s.staff_id, directory)}: {s.part.label.lower()}" for s in d.who.staff]
    sections[Step.WHO] = [
        ("Pupil", _pupil(d.who.pupil_id, directory)),
        ("Staff involved", _items(staff)),
        ("Other witnesses", _text(d.who.other_witnesses)),
        ("Behaviour support plan", _plan_version(d.who.plan_version)),
    ]
    training = incidents.held_training(d)
    if training:
        sections[Step.WHO].insert(
            2,
            (
                "Positive-handling training on the day",
                _items(f"{t.name}: {t.on_day.text}" for t in training),
            ),
        )
    h = d.what_happened
    sections[Step.WHAT_HAPPENED] = [
        ("Kind of antecedent", _items(h.antecedent_types)),
        ("What led up to it", _text(h.antecedents)),
        ("What the pupil did", _text(h.pupil_behaviour)),
        ("The incident in time order", _text(h.account)),
    ]
    e = d.deescalation
    sections[Step.DEESCALATION] = [
        ("De-escalation tried", _items(e.strategies)),
        ("Other de-escalation", _text(e.other)),
    ]
    if e.no_time_reason.strip() or not e.recorded:
        sections[Step.DEESCALATION].append(("Why there was no time", _text(e.no_time_reason)))
    n = d.necessity
    grounds = [g.label for g in sorted(n.grounds, key=lambda g: g.label)]
    sections[Step.NECESSITY] = [
        ("Why it was necessary", _items(grounds)),
        ("Justification", _text(n.justification)),
        (
            "Force not used as a punishment",
            "Confirmed" if n.not_punishment_confirmed else f"<i>{NOT_RECORDED}</i>",
        ),
    ]
    sections[Step.INTERVENTION] = _intervention_rows(d)
    sections[Step.INJURIES] = _injury_rows(d)
    sections[Step.DEBRIEFS] = _debrief_rows(d)
    sections[Step.PARENTS] = _parents_rows(d)
    f = d.follow_up
    actions = [
        f"{a.description or 'Not described'} — owner: {a.owner or 'not given'} — due "
        f"{a.due.strftime('%d/%m/%Y') if a.due else 'not given'}"
        for a in f.actions
    ]
    sections[Step.FOLLOW_UP] = [
        ("How the pupil is now", _text(f.how_child_is_now)),
        ("Support for the pupil", _text(f.pupil_support)),
        ("Behaviour support plan needs review", _yes_no(f.plan_review_needed)),
        ("Risk assessment needs review", _yes_no(f.risk_assessment_review_needed)),
        ("Referrals", _items(sorted(r.label for r in f.referrals)) if f.referrals else "None"),
        ("Actions", _items(actions) if actions else "None"),
    ]
    extra: list[Row] = []
    for code, text in d.explanations:
        step, title = EXPLANATION_TITLES.get(code, (None, code.replace("_", " ").capitalize()))
        row = (f"Explanation: {title}", _text(text))
        if step is None:
            extra.append(row)
        else:
            sections[step].append(row)
    parts = [_section(f"{step.number}. {step.heading}", rows) for step, rows in sections.items()]
    if extra:
        parts.append(_section("Other explanations", extra))
    return "<html><body>" + "".join(parts) + "</body></html>"


def _intervention_rows(d: IncidentDetails) -> list[Row]:
    i = d.intervention
    holds = [
        f"{h.technique or 'Technique not named'}: "
        f"{duration_text(h.seconds) if h.seconds is not None else 'time not given'}"
        for h in i.holds
    ]
    rows: list[Row] = [
        ("Kind of intervention", i.kind.label if i.kind else f"<i>{NOT_RECORDED}</i>"),
        ("Holds or techniques", _items(holds)),
        ("Total time held", _duration(i.total_hold_seconds)),
        ("Number of staff", _number(i.staff_count)),
        ("Ground, prone or supine position", _yes_no(i.floor_position)),
    ]
    if i.floor_position:
        positions = [p.label for p in sorted(i.floor_positions, key=lambda p: p.label)]
        rows += [
            ("Floor positions", _items(positions)),
            ("How it came about", _text(i.floor_how)),
            ("How long it lasted", _duration(i.floor_seconds)),
            ("How the pupil was released", _text(i.floor_release)),
        ]
    rows.append(
        (
            "Airway, breathing and circulation",
            _yes_no(i.abc_never_restricted, "Never restricted", "Restricted, or not sure"),
        )
    )
    if i.abc_never_restricted is False:
        rows.append(("What happened to airway, breathing or circulation", _text(i.abc_details)))
    return rows


def _injury_rows(d: IncidentDetails) -> list[Row]:
    j = d.injuries
    rows: list[Row] = []
    for label, injured, text in (
        ("Pupil injured", j.pupil_injured, j.pupil_injury),
        ("Staff injured", j.staff_injured, j.staff_injury),
        ("Anyone else injured", j.others_injured, j.others_injury),
    ):
        value = _yes_no(injured)
        if injured:
            value = f"Yes: {_text(text)}"
        rows.append((label, value))
    rows += _body_map_rows(d)
    if j.any_injury:
        rows += [
            ("First aid", _text(j.first_aid)),
            ("First aid given by", _text(j.first_aid_by)),
            ("Medical attention", _text(j.medical_attention)),
        ]
    rows.append(("Damage to property", _text(j.property_damage) if j.property_damage else "None"))
    return rows


def _body_map_rows(d: IncidentDetails) -> list[Row]:
    """Each body map with marks: the words, the figure (shaded and numbered) and the
    numbered list (none for a record without marks)."""
    j = d.injuries
    rows: list[Row] = []
    for whose, injured, marks in (
        ("the pupil", j.pupil_injured, j.pupil_marks),
        ("staff", j.staff_injured, j.staff_marks),
    ):
        if not injured or not marks:
            continue
        listed = "<br>".join(
            html.escape(
                f"{n}. {m.kind.label if m.kind else NOT_RECORDED}: {region_label(m.region)}"
                + (f" ({m.note.strip()})" if m.note.strip() else "")
            )
            for n, m in enumerate(marks, start=1)
        )
        alt = html.escape(f"Body map of {whose}: {marks_words(marks)}", quote=True)
        picture = f'<img src="data:image/png;base64,{figure_png_base64(marks)}" alt="{alt}">'
        was = "was" if whose == "the pupil" else "were"
        anchor = f'<a name="body-map-{"pupil" if whose == "the pupil" else "staff"}"></a>'
        value = (
            f"{anchor}{html.escape(marks_sentence(marks))}<br>{picture}<br>"
            f"<small>{html.escape(LEFT_RIGHT_NOTE)}</small><br>{listed}"
        )
        rows.append((f"Where {whose} {was} hurt (body map)", value))
    return rows


def _debrief_rows(d: IncidentDetails) -> list[Row]:
    b = d.debriefs
    rows: list[Row] = [("Pupil debriefed", _yes_no(b.pupil_debriefed))]
    if b.pupil_debriefed:
        rows += [
            ("When", _moment(b.pupil_debrief_at)),
            ("By whom", _text(b.pupil_debrief_by)),
            ("The pupil's own words", _text(b.pupil_voice)),
        ]
    elif b.pupil_debriefed is False:
        rows.append(("Why not yet", _text(b.pupil_not_debriefed_reason)))
    rows += [
        ("Staff debrief", _text(b.staff_debrief)),
        ("Support for staff", _text(b.staff_support)),
    ]
    return rows


def _parents_rows(d: IncidentDetails) -> list[Row]:
    p = d.parents
    rows: list[Row] = [
        (
            "Parents or carers told",
            PARENTS_STATUS_WORDS[p.status] if p.status else f"<i>{NOT_RECORDED}</i>",
        )
    ]
    if p.status is ParentsStatus.TOLD:
        rows += [
            ("Who was told", _text(p.told_who)),
            ("How", p.told_how.label if p.told_how else f"<i>{NOT_RECORDED}</i>"),
            ("When", _moment(p.told_at)),
            ("Told by", _text(p.told_by)),
        ]
    elif p.status is ParentsStatus.NOT_YET:
        rows.append(("Why not yet", _text(p.not_yet_reason)))
    elif p.status is ParentsStatus.WITHHELD and withheld_details_hidden(p):
        rows.append(("Details", _text(WITHHELD_HIDDEN)))
    elif p.status is ParentsStatus.WITHHELD:
        rows += [
            ("Why telling them would put the pupil at risk", _text(p.withheld_reason)),
            ("Who decided", _text(p.withheld_decided_by)),
            ("Local authority told at", _moment(p.la_told_at)),
            ("Who at the local authority", _text(p.la_told_who)),
        ]
    if p.status is not ParentsStatus.WITHHELD or p.summary_for_parents.strip():
        rows.append(("Summary for parents and carers", _text(p.summary_for_parents)))
    return rows
