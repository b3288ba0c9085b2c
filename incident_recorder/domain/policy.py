"""The policy rules: what a record must hold before it can be submitted, and what
needs a written explanation.

Follows Camden's *Restrictive Interventions and Use of Reasonable Force Policy*
(April 2026): force only as a last resort, after de-escalation where possible, on a
lawful ground, never as punishment, never restricting airway, breathing or
circulation, floor holds avoided; recorded the same day; parents told as soon as
practicable, ideally the same day.

Two checks of our own keep slips out of the bound book:

* **The date.** A date before the pupil was born is refused. A date more than a year
  before the day the record is made (today for a draft; the day it was submitted, for
  an amendment) is not refused but asked about once (:func:`date_question`): the form
  asks "is that the right date?" before the record is submitted.
* **Length.** Each free-text box has a generous limit (:data:`TEXT_LIMITS`) that the
  form counts down under the box. Text over the limit is kept as typed, never cut, and
  blocks Submit with a plain message until it is shortened. Only the summary for
  parents is kept short (it is printed in their letter); the others are set well above
  what a full account needs, so that they only catch an accidental paste.

:func:`evaluate` is a pure function of the record and a small context; the form
shows its findings beside the fields and again on the review page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from incident_recorder.domain.body_map import InjuryMark, mark_problems

# Finding and Severity live in domain/findings.py, so that domain/errors.py need not
# import the rules; the front-ends go on importing them from here.
from incident_recorder.domain.findings import Finding as Finding
from incident_recorder.domain.findings import Severity as Severity
from incident_recorder.domain.model import (
    IncidentDetails,
    InterventionKind,
    ParentsStatus,
    Pupil,
    SenStatus,
    StaffPart,
)
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.domain.pupil_names import names_in_text
from incident_recorder.domain.steps import Step
from incident_recorder.domain.training import StaffTraining, TrainingState


@dataclass(frozen=True, slots=True)
class PolicyContext:
    now_local: datetime  # school-local wall clock, naive
    recorded_on: date  # the day the record is (being) recorded: today, or the day submitted
    pupil: Pupil | None = None
    pupil_has_plan: bool | None = None  # None: behaviour support plans not known
    hold_warning_minutes: int = 10
    # The pupil's behaviour support plan in force on the incident's date, if any.
    plan: BehaviourPlan | None = None
    # Other pupils on roll, as name words (domain/pupil_names.py), for the warning
    # when the summary for parents names one.
    other_pupil_names: frozenset[tuple[str, ...]] = frozenset()
    # Issue 13: each member of staff who held the pupil, with their positive-handling
    # training on the incident's date (empty: not known, so no training warning).
    staff_training: tuple[StaffTraining, ...] = ()


def outstanding(findings: list[Finding]) -> list[Finding]:
    """What still stands between the record and Submit."""
    return [f for f in findings if f.outstanding]


def can_submit(findings: list[Finding]) -> bool:
    return not outstanding(findings)


def for_step(findings: list[Finding], step: Step) -> list[Finding]:
    return [f for f in findings if f.step is step]


def evaluate(d: IncidentDetails, ctx: PolicyContext) -> list[Finding]:
    """Every finding for the record, in form order (blocking before warnings per step)."""
    warnings = list(_warnings(d, ctx))
    found = list(_blocking(d, ctx)) + warnings + list(_long_explanations(d, warnings))
    order = {s: i for i, s in enumerate(Step)}
    found.sort(key=lambda f: (order[f.step], f.severity is Severity.WARNING))
    return found


# --------------------------------------------------------------------------- blocking


def _req(step: Step, name: str, message: str) -> Finding:
    return Finding(
        code=f"required:{step.value}.{name}",
        severity=Severity.BLOCKING,
        step=step,
        field=f"{step.value}.{name}",
        message=message,
    )


def _block(step: Step, name: str, code: str, message: str) -> Finding:
    return Finding(code, Severity.BLOCKING, step, f"{step.value}.{name}", message)


def _blank(text: str) -> bool:
    return not text.strip()


def _blocking(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    for check in _BLOCKING_CHECKS:
        yield from check(d, ctx)
    yield from _date_before_birth(d, ctx)
    yield from _too_long(d)


def _when_where(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, w = Step.WHEN_WHERE, d.when_where
    if w.date is None:
        yield _req(s, "date", "Enter the date of the incident.")
    if w.start is None:
        yield _req(s, "start", "Enter the time the intervention started.")
    if w.end is None:
        yield _req(s, "end", "Enter the time the intervention ended.")
    if _blank(w.location):
        yield _req(s, "location", "Choose or type where it happened.")
    if w.start is not None and w.end is not None and w.end <= w.start:
        yield _block(s, "end", "end_before_start", "The end time must be after the start time.")
    if w.date is not None:
        today = ctx.now_local.date()
        if w.date > today:
            yield _block(s, "date", "future", "The date cannot be in the future.")
        elif w.date == today:
            if w.start is not None and w.start > ctx.now_local.time():
                yield _block(s, "start", "future", "The start time cannot be in the future.")
            elif w.end is not None and w.end > ctx.now_local.time():
                yield _block(s, "end", "future", "The end time cannot be in the future.")


def _who(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s = Step.WHO
    if d.who.pupil_id is None:
        yield _req(s, "pupil", "Choose the pupil the intervention was used on.")
    if not d.who.staff:
        yield _req(s, "staff", "Add the staff who were involved and the part each played.")
    elif not any(i.part is StaffPart.CARRIED_OUT for i in d.who.staff):
        yield _block(
            s, "staff", "no_staff_carried_out", "Say which member of staff carried out the hold."
        )


def _what_happened(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, w = Step.WHAT_HAPPENED, d.what_happened
    if _blank(w.antecedents):
        yield _req(s, "antecedents", "Describe what led up to the incident.")
    if _blank(w.pupil_behaviour):
        yield _req(s, "pupil_behaviour", "Describe what the pupil did.")
    if _blank(w.account):
        yield _req(s, "account", "Give an account of the incident in time order.")


def _deescalation(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    if not d.deescalation.recorded and _blank(d.deescalation.no_time_reason):
        yield _req(
            Step.DEESCALATION,
            "strategies",
            "Tick the de-escalation tried, or say why there was no time to try any.",
        )


def _necessity(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, n = Step.NECESSITY, d.necessity
    if not n.grounds:
        yield _req(s, "grounds", "Choose at least one reason why intervention was necessary.")
    if _blank(n.justification):
        yield _req(s, "justification", "Explain why intervention was necessary and proportionate.")
    if not n.not_punishment_confirmed:
        yield _req(s, "not_punishment", "Confirm that force was not used as a punishment.")


def _intervention(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, i = Step.INTERVENTION, d.intervention
    if i.kind is None:
        yield _req(s, "kind", "Choose the kind of intervention.")
    if i.kind is not None and i.kind is not InterventionKind.SECLUSION and not i.holds:
        yield _req(s, "holds", "Add the holds or techniques used.")
    for n, hold in enumerate(i.holds, start=1):
        if _blank(hold.technique):
            yield _block(s, "holds", f"hold_technique:{n}", f"Name the technique for hold {n}.")
        if hold.seconds is None or hold.seconds < 0:
            yield _block(
                s,
                "holds",
                f"hold_time:{n}",
                f"Enter how long hold {n} lasted (minutes and seconds).",
            )
        elif hold.seconds == 0:
            yield _block(
                s,
                "holds",
                f"hold_time:{n}",
                f"Hold {n} cannot have lasted no time at all: enter about how long it lasted, "
                "even if it was only a few seconds.",
            )
    if i.staff_count is None or i.staff_count < 1:
        yield _req(s, "staff_count", "Enter how many staff took part in the intervention.")
    if i.floor_position is None:
        yield _req(s, "floor_position", "Say whether the pupil was on the ground, prone or supine.")
    elif i.floor_position:
        if not i.floor_positions:
            yield _req(s, "floor_positions", "Say which floor position happened.")
        if _blank(i.floor_how):
            yield _req(s, "floor_how", "Describe how the floor position came about.")
        if i.floor_seconds is None or i.floor_seconds < 0:
            yield _req(
                s,
                "floor_seconds",
                "Enter how long the floor position lasted (minutes and seconds).",
            )
        elif i.floor_seconds == 0:
            yield _req(
                s,
                "floor_seconds",
                "A floor position cannot have lasted no time at all: enter about how long it "
                "lasted, even if it was only a few seconds.",
            )
        if _blank(i.floor_release):
            yield _req(s, "floor_release", "Describe how the pupil was released.")
    if i.abc_never_restricted is None:
        yield _req(
            s,
            "abc",
            "Confirm that the pupil's airway, breathing and circulation were never restricted, "
            "or describe what happened.",
        )
    elif not i.abc_never_restricted and _blank(i.abc_details):
        yield _req(s, "abc_details", "Describe what happened to airway, breathing or circulation.")


def _injuries(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, j = Step.INJURIES, d.injuries
    for who, answered, text, label in (
        ("pupil", j.pupil_injured, j.pupil_injury, "the pupil"),
        ("staff", j.staff_injured, j.staff_injury, "staff"),
        ("others", j.others_injured, j.others_injury, "anyone else"),
    ):
        if answered is None:
            yield _req(s, f"{who}_injured", f"Say whether {label} was injured.")
        elif answered and _blank(text):
            yield _req(s, f"{who}_injury", f"Describe the injury to {label}.")
    yield from _body_map(s, "pupil_marks", j.pupil_marks if j.pupil_injured else ())
    yield from _body_map(s, "staff_marks", j.staff_marks if j.staff_injured else ())
    if j.any_injury:
        if _blank(j.first_aid):
            yield _req(s, "first_aid", "Describe the first aid given, or write 'none needed'.")
        elif _blank(j.first_aid_by) and not _says_none(j.first_aid):
            yield _req(s, "first_aid_by", "Say who gave the first aid.")


def _body_map(s: Step, name: str, marks: tuple[InjuryMark, ...]) -> Iterator[Finding]:
    """Each mark on the body map needs a kind, and an "other" injury a note."""
    for n, message in mark_problems(marks):
        yield Finding(
            code=f"required:{s.value}.{name}.{n}",
            severity=Severity.BLOCKING,
            step=s,
            field=f"{s.value}.{name}",
            message=message,
        )


# Answers that mean no first aid was given, so nobody gave it.
_NONE_ANSWERS = {"none", "none needed", "none required", "not needed", "not required", "no", "n/a"}


def _says_none(text: str) -> bool:
    return text.strip().rstrip(".").strip().lower() in _NONE_ANSWERS


def _debriefs(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, b = Step.DEBRIEFS, d.debriefs
    if b.pupil_debriefed is None:
        yield _req(s, "pupil_debriefed", "Say whether the pupil has been debriefed.")
    elif b.pupil_debriefed:
        if b.pupil_debrief_at is None:
            yield _req(s, "pupil_debrief_at", "Enter when the pupil was debriefed.")
        elif b.pupil_debrief_at > ctx.now_local:
            yield _block(
                s,
                "pupil_debrief_at",
                "debrief_in_future",
                "The time the pupil was debriefed is in the future.",
            )
        if _blank(b.pupil_debrief_by):
            yield _req(s, "pupil_debrief_by", "Say who debriefed the pupil.")
        if _blank(b.pupil_voice):
            yield _req(
                s,
                "pupil_voice",
                "Write what the pupil said, in their own words (or that they chose not to say "
                "anything).",
            )
    elif _blank(b.pupil_not_debriefed_reason):
        yield _req(s, "pupil_not_debriefed_reason", "Say why the pupil has not been debriefed yet.")


def _parents(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, p = Step.PARENTS, d.parents
    if p.status is None:
        yield _req(s, "status", "Say whether the pupil's parents or carers have been told.")
    elif p.status is ParentsStatus.TOLD:
        if _blank(p.told_who):
            yield _req(s, "told_who", "Say which parent or carer was told.")
        if p.told_how is None:
            yield _req(s, "told_how", "Say how they were told.")
        if p.told_at is None:
            yield _req(s, "told_at", "Enter when they were told.")
        elif p.told_at > ctx.now_local:
            yield _block(
                s, "told_at", "told_in_future", "The time parents were told is in the future."
            )
        if _blank(p.told_by):
            yield _req(s, "told_by", "Say who told them.")
    elif p.status is ParentsStatus.NOT_YET:
        if _blank(p.not_yet_reason):
            yield _req(s, "not_yet_reason", "Say why parents or carers have not been told yet.")
    else:
        if _blank(p.withheld_reason):
            yield _req(
                s,
                "withheld_reason",
                "Explain why telling parents or carers would put the pupil at risk of "
                "significant harm.",
            )
        if _blank(p.withheld_decided_by):
            yield _req(
                s,
                "withheld_decided_by",
                "Say who decided that telling parents or carers would put the pupil at risk.",
            )
        if p.la_told_at is None:
            yield _req(
                s,
                "la_told_at",
                "When telling parents is withheld, record when the local authority was told.",
            )
        elif p.la_told_at > ctx.now_local:
            yield _block(
                s,
                "la_told_at",
                "la_told_in_future",
                "The time the local authority was told is in the future.",
            )
        if _blank(p.la_told_who):
            yield _req(s, "la_told_who", "Record who at the local authority was told.")
    if p.status is not ParentsStatus.WITHHELD and _blank(p.summary_for_parents):
        yield _req(
            s,
            "summary_for_parents",
            "Write a short summary of what happened for the letter to parents or carers, "
            "without naming any other child.",
        )


def _follow_up(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    s, f = Step.FOLLOW_UP, d.follow_up
    if _blank(f.how_child_is_now):
        yield _req(s, "how_child_is_now", "Say how the pupil is now.")
    if _blank(f.pupil_support):
        yield _req(s, "pupil_support", "Describe the support the pupil will have.")
    if f.plan_review_needed is None:
        yield _req(s, "plan_review", "Say whether the pupil's behaviour support plan needs review.")
    if f.risk_assessment_review_needed is None:
        yield _req(s, "risk_review", "Say whether the risk assessment needs review.")
    for n, action in enumerate(f.actions, start=1):
        if _blank(action.description):
            yield _block(s, "actions", f"action_description:{n}", f"Describe action {n}.")
        if _blank(action.owner):
            yield _block(s, "actions", f"action_owner:{n}", f"Say who owns action {n}.")
        if action.due is None:
            yield _block(s, "actions", f"action_due:{n}", f"Give action {n} a due date.")


_BLOCKING_CHECKS: tuple[Callable[[IncidentDetails, PolicyContext], Iterator[Finding]], ...] = (
    _when_where,
    _who,
    _what_happened,
    _deescalation,
    _necessity,
    _intervention,
    _injuries,
    _debriefs,
    _parents,
    _follow_up,
)


# --------------------------------------------------------------------------- warnings


def _warn(
    d: IncidentDetails,
    code: str,
    step: Step,
    name: str,
    message: str,
    explanation_field: str | None = None,
    explanation: str | None = None,
) -> Finding:
    text = d.explanation(code) if explanation is None else explanation
    return Finding(
        code=code,
        severity=Severity.WARNING,
        step=step,
        field=f"{step.value}.{name}",
        message=message,
        explained=bool(text.strip()),
        explanation_field=explanation_field,
    )


def _warnings(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    day = d.when_where.date
    if day is not None and ctx.recorded_on > day:
        yield _warn(
            d,
            "late_recording",
            Step.WHEN_WHERE,
            "date",
            "This is being recorded after the day of the incident. The policy asks for the "
            "same day: please explain why it was not possible.",
        )
    p = d.parents
    if day is not None:
        told_late = (
            p.status is ParentsStatus.TOLD and p.told_at is not None and p.told_at.date() > day
        )
        not_told = p.status is ParentsStatus.NOT_YET and ctx.now_local.date() > day
        if told_late or not_told:
            yield _warn(
                d,
                "parents_not_same_day",
                Step.PARENTS,
                "status",
                "Parents or carers were not told by the end of the day of the incident. "
                "Please explain why.",
            )
    if not d.deescalation.recorded:
        yield _warn(
            d,
            "no_deescalation",
            Step.DEESCALATION,
            "strategies",
            "No de-escalation is recorded. Force should be a last resort: say why there was "
            "no time to try any.",
            explanation_field="deescalation.no_time_reason",
            explanation=d.deescalation.no_time_reason,
        )
    i = d.intervention
    if i.floor_position:
        yield _warn(
            d,
            "floor_position",
            Step.INTERVENTION,
            "floor_position",
            "The pupil was held on the ground, prone or supine. The policy says these "
            "positions must be avoided and released at once: please explain why it happened "
            "and what will stop it happening again.",
        )
    if i.abc_never_restricted is False:
        yield _warn(
            d,
            "abc_restricted",
            Step.INTERVENTION,
            "abc",
            "Airway, breathing or circulation may have been restricted. Tell the safeguarding "
            "lead now, and record here that you have.",
        )
    limit = ctx.hold_warning_minutes
    long_holds = [
        n for n, h in enumerate(i.holds, 1) if h.seconds is not None and h.seconds > limit * 60
    ]
    if long_holds:
        yield _warn(
            d,
            "long_hold",
            Step.INTERVENTION,
            "holds",
            f"A hold lasted more than {limit} minutes. Please explain why it could not be "
            "released sooner.",
        )
    if d.injuries.any_injury:
        yield _warn(
            d,
            "injury",
            Step.INJURIES,
            "pupil_injured",
            "Someone was injured. Tell the safeguarding lead, and record here when and who "
            "you told.",
        )
    pupil = ctx.pupil
    if pupil is not None and ctx.pupil_has_plan is False:
        needs_plan = pupil.sen_status is not SenStatus.NONE or pupil.looked_after
        if needs_plan:
            yield _warn(
                d,
                "no_plan",
                Step.WHO,
                "pupil",
                "This pupil has SEND, an EHCP or is looked after, but has no behaviour support "
                "plan. Please explain, and consider asking the SENCO to write one.",
            )
    named = names_in_text(d.parents.summary_for_parents, ctx.other_pupil_names)
    if named and d.parents.status is not ParentsStatus.WITHHELD:
        yield _warn(
            d,
            "summary_names_other_pupil",
            Step.PARENTS,
            "summary_for_parents",
            f"The summary for parents and carers seems to name another pupil "
            f"({_names(named)}). Other children must not be named in a letter: please take "
            "the name out, or explain why it is not another pupil.",
        )
    yield from _plan_warnings(d, ctx)
    yield from _training_warnings(d, ctx)


def _training_warnings(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    """A warning when someone who held the pupil had no positive-handling training
    recorded, or it had expired by the incident's date (domain/training.py)."""
    missing = [t.name for t in ctx.staff_training if t.on_day.state is TrainingState.NONE]
    expired = [t for t in ctx.staff_training if t.on_day.state is TrainingState.EXPIRED]
    if missing:
        have = "has" if len(missing) == 1 else "have"
        yield _warn(
            d,
            "staff_training_missing",
            Step.WHO,
            "staff",
            f"{_and(missing)} {have} no positive-handling training recorded. Please explain "
            "why they held the pupil (and tell the administrator if the training is "
            "missing from the staff list).",
        )
    if expired:
        said = " ".join(
            f"{t.name}'s {t.on_day.record.course} training expired on "
            f"{t.on_day.expires_on:%d/%m/%Y}."
            for t in expired
            if t.on_day.record is not None and t.on_day.expires_on is not None
        )
        yield _warn(
            d,
            "staff_training_expired",
            Step.WHO,
            "staff",
            f"{said} Please explain why they held the pupil before a refresher.",
        )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _plan_warnings(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    plan = ctx.plan
    if plan is None:
        return
    used: list[str] = []
    for hold in d.intervention.holds:
        name = " ".join(hold.technique.split())
        if name and name.casefold() not in {u.casefold() for u in used}:
            used.append(name)
    ruled_out = [t for t in used if plan.rules_out(t)]
    not_approved = [t for t in used if not plan.approves(t) and t not in ruled_out]
    if ruled_out:
        yield _warn(
            d,
            "technique_ruled_out",
            Step.INTERVENTION,
            "holds",
            f"The pupil's behaviour support plan (version {plan.version}) rules out "
            f"{_names(ruled_out)} for medical or physical reasons. Check the pupil is well, "
            "tell the SENCO, and explain why it was used.",
        )
    if not_approved:
        yield _warn(
            d,
            "technique_not_in_plan",
            Step.INTERVENTION,
            "holds",
            f"{_names(not_approved)} {'is' if len(not_approved) == 1 else 'are'} not among "
            f"the techniques approved in the pupil's behaviour support plan (version "
            f"{plan.version}). Please explain why it was needed.",
        )


def _names(items: list[str]) -> str:
    quoted = [f"'{i}'" for i in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


# --------------------------------------------------------------------------- the date


def _date_before_birth(d: IncidentDetails, ctx: PolicyContext) -> Iterator[Finding]:
    """A date before the pupil was born is a slip: refused, with the date of birth."""
    day, pupil = d.when_where.date, ctx.pupil
    if day is None or pupil is None or pupil.date_of_birth is None:
        return
    if day < pupil.date_of_birth:
        yield _block(
            Step.WHEN_WHERE,
            "date",
            "before_birth",
            f"The date is before {pupil.display_name} was born "
            f"({pupil.date_of_birth:%d/%m/%Y}). Check the date.",
        )


def a_year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def date_question(d: IncidentDetails, ctx: PolicyContext) -> str | None:
    """The question to ask before a record with a date long ago is submitted, or None.

    A date more than a year before the day the record is made (``ctx.recorded_on``:
    today, or the day it was submitted) is allowed, since a school may record an old
    incident it has only just heard of, but it is more often a slip (01/01/1900, or the
    wrong year), so staff are asked to check it. A date the policy refuses (in the
    future, before the pupil was born) is not asked about: its finding says what to do.
    """
    day = d.when_where.date
    if day is None or day >= a_year_before(ctx.recorded_on):
        return None
    born = ctx.pupil.date_of_birth if ctx.pupil is not None else None
    if born is not None and day < born:
        return None
    today = ctx.now_local.date()
    since = (
        "ago"
        if ctx.recorded_on >= today
        else f"before the record was submitted ({ctx.recorded_on:%d/%m/%Y})"
    )
    return (
        f"The date of the incident is {day:%d/%m/%Y}, more than a year {since}. "
        "Is that the right date?"
    )


# --------------------------------------------------------------------------- length


@dataclass(frozen=True, slots=True)
class TextLimit:
    limit: int  # the most characters the box may hold at submit
    what: str  # the box in a sentence: "The account of the incident"


_LONG, _MEDIUM, _SHORT = 4000, 3000, 2000

# The free-text boxes of the form, by "<step>.<field>", with their limits.
TEXT_LIMITS: dict[str, TextLimit] = {
    "who.other_witnesses": TextLimit(_SHORT, "The list of other witnesses"),
    "what_happened.antecedents": TextLimit(_LONG, "What led up to it"),
    "what_happened.pupil_behaviour": TextLimit(_LONG, "What the pupil did"),
    "what_happened.account": TextLimit(8000, "The account of the incident"),
    "deescalation.other": TextLimit(_SHORT, "The other de-escalation tried"),
    "deescalation.no_time_reason": TextLimit(_SHORT, "The reason there was no time"),
    "necessity.justification": TextLimit(_LONG, "The justification"),
    "intervention.floor_how": TextLimit(_SHORT, "How the floor position came about"),
    "intervention.floor_release": TextLimit(_SHORT, "How the pupil was released"),
    "intervention.abc_details": TextLimit(
        _SHORT, "What happened to airway, breathing or circulation"
    ),
    "injuries.pupil_injury": TextLimit(_SHORT, "The pupil's injury"),
    "injuries.staff_injury": TextLimit(_SHORT, "The injury to staff"),
    "injuries.others_injury": TextLimit(_SHORT, "The injuries to others"),
    "injuries.first_aid": TextLimit(_SHORT, "The first aid given"),
    "injuries.medical_attention": TextLimit(_SHORT, "The medical attention"),
    "injuries.property_damage": TextLimit(_SHORT, "The damage to property"),
    "debriefs.pupil_voice": TextLimit(_LONG, "What the pupil said"),
    "debriefs.pupil_not_debriefed_reason": TextLimit(_SHORT, "The reason for no debrief"),
    "debriefs.staff_debrief": TextLimit(_MEDIUM, "The staff debrief"),
    "debriefs.staff_support": TextLimit(_SHORT, "The support offered to staff"),
    "parents.not_yet_reason": TextLimit(_SHORT, "The reason parents have not been told"),
    "parents.withheld_reason": TextLimit(_MEDIUM, "The reason for not telling parents"),
    # Printed in the letter to parents and carers: a few kind, plain sentences.
    "parents.summary_for_parents": TextLimit(1500, "The summary for parents and carers"),
    "follow_up.how_child_is_now": TextLimit(_SHORT, "How the pupil is now"),
    "follow_up.pupil_support": TextLimit(_MEDIUM, "The support the pupil will have"),
}
EXPLANATION_LIMIT = TextLimit(_MEDIUM, "Your explanation")


def text_limit(field: str) -> int | None:
    """The limit of the free-text box ``field`` ("<step>.<field>"), or None."""
    found = TEXT_LIMITS.get(field)
    return None if found is None else found.limit


def length(text: str) -> int:
    """The length the limits count: characters as typed, line breaks included."""
    return len(text)


def _too_long_message(what: str, count: int, limit: int) -> str:
    return (
        f"{what} is too long to submit: {count:,} characters, and the most is {limit:,}. "
        f"Please shorten it by {count - limit:,} characters. Nothing you typed is lost."
    )


def _too_long(d: IncidentDetails) -> Iterator[Finding]:
    for field, rule in TEXT_LIMITS.items():
        section, name = field.split(".", 1)
        count = length(getattr(getattr(d, section), name))
        if count > rule.limit:
            yield _block(
                Step(section),
                name,
                f"too_long:{field}",
                _too_long_message(rule.what, count, rule.limit),
            )


def _long_explanations(d: IncidentDetails, warnings: list[Finding]) -> Iterator[Finding]:
    """An explanation written for a warning is held to its limit too (beside it)."""
    for warning in warnings:
        if warning.explanation_field is not None:
            continue
        count = length(d.explanation(warning.code))
        if count > EXPLANATION_LIMIT.limit:
            yield Finding(
                f"too_long:explanation.{warning.code}",
                Severity.BLOCKING,
                warning.step,
                warning.field,
                _too_long_message(
                    f"Your explanation of “{_first_sentence(warning.message)}”",
                    count,
                    EXPLANATION_LIMIT.limit,
                ),
            )


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + ("." if dot else "")
