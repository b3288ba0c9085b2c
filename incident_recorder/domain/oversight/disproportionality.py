"""Disproportionality: who restrictive interventions happen to, against the roll.

For each characteristic the pupils on roll at any time in the period are split into
groups (each pupil in exactly one group of each characteristic). For a group:

- ``on_roll``: the head count of its pupils on roll at any time in the period;
- ``on_roll_equivalent``: the same weighted by days on roll, each pupil counting as
  ``days_on_roll / period.days`` (a pupil who joined half way through counts as a half);
- ``with_incident``: its pupils with at least one incident in the period;
- ``incidents``: the incidents of its pupils.

Rates are per 100 pupils on the equivalent roll. The risk ratio compares the group's
risk of at least one incident with that of all other pupils on roll:
``RR = (a / n1) / (c / n0)`` with ``a`` the group's pupils with an incident, ``n1``
its equivalent roll, ``c`` and ``n0`` the same for all other pupils. Its 95%
confidence interval is Katz's log method:
``exp(ln RR +/- 1.96 * sqrt(1/a - 1/n1 + 1/c - 1/n0))``.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from incident_recorder.domain.ethnicity import (
    ETHNICITY_CODES,
    EthnicGroup,
    ethnic_group,
    ethnicity_label,
)
from incident_recorder.domain.model import SenStatus
from incident_recorder.domain.oversight.facts import Characteristics, PupilFacts, SuppressionRules
from incident_recorder.domain.oversight.figures import CharacteristicTable, GroupRow, RiskRatio

Z_95 = 1.959963984540054  # the standard normal's 97.5th centile (1.96)

OTHERS = "others"  # the group key of "All other pupils" in a yes/no table
OTHERS_LABEL = "All other pupils"
NOT_RECORDED = "not_recorded"
COMPARISON_REASON = "These are the pupils the group above is compared with."


def risk_ratio(a: float, n1: float, c: float, n0: float) -> RiskRatio | None:
    """The risk ratio ``(a/n1) / (c/n0)`` with its 95% CI by Katz's log method.

    None when it cannot be worked out: no incident in either group, or an empty group.
    Where ``a > n1`` (possible when pupils with an incident were on roll for only part
    of the period) the ``-1/n1`` term is left out of the variance, and likewise for
    ``c > n0``: the interval of a rate ratio, which is wider."""
    if a <= 0 or c <= 0 or n1 <= 0 or n0 <= 0:
        return None
    ratio = (a / n1) / (c / n0)
    # Where pupils on roll for part of the period make ``a`` exceed ``n1`` (a "risk"
    # above 1), the -1/n term is dropped for that side: the variance of a rate, wider.
    variance = (1.0 / a - (1.0 / n1 if a <= n1 else 0.0)) + (
        1.0 / c - (1.0 / n0 if c <= n0 else 0.0)
    )
    se = math.sqrt(max(variance, 0.0))
    log_rr = math.log(ratio)
    return RiskRatio(
        ratio=ratio, low=math.exp(log_rr - Z_95 * se), high=math.exp(log_rr + Z_95 * se)
    )


def format_ratio(x: float, places: int = 1) -> str:
    """One decimal place ("4.2"); two below 0.1 ("0.05") so a small ratio is not "0.0"."""
    return f"{x:.{places}f}" if x >= 0.095 else f"{x:.{places + 1}f}"


def _texts(rr: RiskRatio) -> tuple[str, str, str]:
    """The ratio and its interval as text: one decimal place, or two where one place
    would print the interval as a single number ("1.0 to 1.0")."""
    for places in (1, 2, 3):
        texts = (
            format_ratio(rr.ratio, places),
            format_ratio(rr.low, places),
            format_ratio(rr.high, places),
        )
        if texts[1] != texts[2]:
            break
    return texts


def ratio_text(rr: RiskRatio) -> str:
    """ "4.2 (95% CI 2.9 to 6.1)"."""
    shown, low, high = _texts(rr)
    return f"{shown} (95% CI {low} to {high})"


def reading(subject: str, rr: RiskRatio) -> str:
    """The ratio in plain words, honest about chance."""
    shown, low, high = _texts(rr)
    ci = f"(95% CI {low} to {high})"
    about = 0.95 <= rr.ratio < 1.05  # shows as 1.0
    if about:
        text = f"{subject} were about as likely to be restrained as other pupils {ci}."
    elif rr.ratio > 1.0:
        text = f"{subject} were {shown} times as likely to be restrained as other pupils {ci}."
    else:
        text = (
            f"{subject} were less likely to be restrained than other pupils: "
            f"{shown} times as likely {ci}."
        )
    if rr.flagged:
        text += " The whole interval is above 1."
    elif rr.low <= 1.0 <= rr.high and not about:
        text += " The interval includes 1, so the difference could be chance."
    return text


# ------------------------------------------------------------------ characteristics


@dataclass(frozen=True, slots=True)
class _Group:
    key: str
    label: str
    subject: str  # how a reading names the group's pupils


@dataclass(frozen=True, slots=True)
class Characteristic:
    """One characteristic: how to find a pupil's group, and the groups' words in order.

    ``yes_no`` characteristics have a group and its complement ("All other pupils");
    the complement carries no ratio of its own."""

    key: str
    label: str
    group_of: Callable[[Characteristics], str]
    groups: Callable[[Sequence[str]], tuple[_Group, ...]]  # from the keys present
    yes_no: bool = False


_ETHNIC_SUBJECTS: dict[str, str] = {
    EthnicGroup.WHITE.value: "White pupils",
    EthnicGroup.MIXED.value: "Pupils of mixed or multiple ethnic groups",
    EthnicGroup.ASIAN.value: "Asian or Asian British pupils",
    EthnicGroup.BLACK.value: "Black or Black British pupils",
    EthnicGroup.CHINESE.value: "Chinese pupils",
    EthnicGroup.OTHER.value: "Pupils of any other ethnic group",
    EthnicGroup.REFUSED_OR_NOT_OBTAINED.value: (
        "Pupils whose ethnicity was refused or not obtained"
    ),
}
_NO_ETHNICITY = _Group(NOT_RECORDED, "Not recorded", "Pupils with no ethnicity recorded")


def _ethnic_groups(present: Sequence[str]) -> tuple[_Group, ...]:
    known = [g for g in EthnicGroup if g.value in present]
    out = [_Group(g.value, g.label, _ETHNIC_SUBJECTS[g.value]) for g in known]
    for key in sorted(set(present) - {g.value for g in EthnicGroup} - {NOT_RECORDED}):
        out.append(_Group(key, key, f"Pupils recorded as {key}"))
    if NOT_RECORDED in present:
        out.append(_NO_ETHNICITY)
    return tuple(out)


def _ethnic_group_of(c: Characteristics) -> str:
    value = c.ethnic_group.strip().lower()
    if value:
        return value
    found = ethnic_group(c.ethnicity) if c.ethnicity else None
    return found.value if found is not None else NOT_RECORDED


def _ethnicity_subject(code: str) -> str:
    if code == "REFU":
        return "Pupils whose ethnicity was refused"
    if code == "NOBT":
        return "Pupils whose ethnicity was not yet obtained"
    return f"Pupils recorded as {ethnicity_label(code)}"


def _ethnicities(present: Sequence[str]) -> tuple[_Group, ...]:
    codes = [c for c in ETHNICITY_CODES if c in present]
    codes += sorted(set(present) - set(ETHNICITY_CODES) - {NOT_RECORDED})
    out = [_Group(c, ethnicity_label(c), _ethnicity_subject(c)) for c in codes]
    if NOT_RECORDED in present:
        out.append(_NO_ETHNICITY)
    return tuple(out)


def _sexes(present: Sequence[str]) -> tuple[_Group, ...]:
    out = [_Group("F", "Girls", "Girls"), _Group("M", "Boys", "Boys")]
    extra = sorted(set(present) - {"F", "M", NOT_RECORDED})
    out += [_Group(k, k, f"Pupils recorded as {k}") for k in extra]
    if NOT_RECORDED in present:
        out.append(_Group(NOT_RECORDED, "Not recorded", "Pupils with no sex recorded"))
    return tuple(out)


_SEN_SUBJECTS = {
    SenStatus.NONE.value: "Pupils with no SEN",
    SenStatus.SEN_SUPPORT.value: "Pupils on SEN support",
    SenStatus.EHCP.value: "Pupils with an EHCP",
}


def _sen(present: Sequence[str]) -> tuple[_Group, ...]:
    return tuple(_Group(s.value, s.label, _SEN_SUBJECTS[s.value]) for s in SenStatus)


def _sen_of(c: Characteristics) -> str:
    return c.sen if c.sen in _SEN_SUBJECTS else SenStatus.NONE.value


_YEAR_RE = re.compile(r"^(?:year\s*|y)?(\d{1,2})$", re.IGNORECASE)


@lru_cache(maxsize=512)
def year_label(value: str) -> str:
    """ "7", "Y7" and "Year 7" are all "Year 7"; "R" is "Reception"; "N1" "Nursery 1"."""
    v = value.strip()
    m = _YEAR_RE.match(v)
    if m:
        return f"Year {int(m.group(1))}"
    if v.upper() in ("R", "REC", "RECEPTION"):
        return "Reception"
    if v.upper() in ("N", "N1", "N2", "NURSERY"):
        return "Nursery" if v.upper() in ("N", "NURSERY") else f"Nursery {v[1]}"
    return v


def _year_order(label: str) -> tuple[int, int, str]:
    if label.startswith("Nursery"):
        return (0, 0, label)
    if label == "Reception":
        return (1, 0, label)
    m = re.match(r"^Year (\d+)$", label)
    if m:
        return (2, int(m.group(1)), label)
    return (3, 0, label)


def _year_of(c: Characteristics) -> str:
    return year_label(c.year_group) if c.year_group.strip() else NOT_RECORDED


def _years(present: Sequence[str]) -> tuple[_Group, ...]:
    keys = sorted((k for k in present if k != NOT_RECORDED), key=_year_order)
    out = [_Group(k, k, f"Pupils in {k}") for k in keys]
    if NOT_RECORDED in present:
        out.append(_Group(NOT_RECORDED, "Not recorded", "Pupils with no year group recorded"))
    return tuple(out)


def _yes_no(key: str, label: str, subject: str) -> Callable[[Sequence[str]], tuple[_Group, ...]]:
    def groups(present: Sequence[str]) -> tuple[_Group, ...]:
        return (_Group(key, label, subject), _Group(OTHERS, OTHERS_LABEL, "All other pupils"))

    return groups


def _flag(name: str) -> Callable[[Characteristics], str]:
    def group_of(c: Characteristics) -> str:
        return name if getattr(c, name) else OTHERS

    return group_of


def _or_not_recorded(name: str) -> Callable[[Characteristics], str]:
    def group_of(c: Characteristics) -> str:
        value = str(getattr(c, name)).strip()
        return value.upper() if value else NOT_RECORDED

    return group_of


def _bool_characteristic(key: str, label: str, group_label: str, subject: str) -> Characteristic:
    return Characteristic(key, label, _flag(key), _yes_no(key, group_label, subject), yes_no=True)


CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic("ethnic_group", "Ethnic group", _ethnic_group_of, _ethnic_groups),
    Characteristic(
        "ethnicity", "Ethnicity (detailed)", _or_not_recorded("ethnicity"), _ethnicities
    ),
    Characteristic("sex", "Sex", _or_not_recorded("sex"), _sexes),
    Characteristic("sen", "Special educational needs", _sen_of, _sen),
    _bool_characteristic("looked_after", "Looked after", "Looked after", "Looked-after pupils"),
    _bool_characteristic(
        "previously_looked_after",
        "Previously looked after",
        "Previously looked after",
        "Previously looked-after pupils",
    ),
    _bool_characteristic(
        "kinship_care", "Kinship care", "In kinship care", "Pupils in kinship care"
    ),
    _bool_characteristic(
        "child_in_need_or_protection",
        "Child in need or child protection plan",
        "Child in need or on a child protection plan",
        "Pupils who are children in need or on a child protection plan",
    ),
    _bool_characteristic(
        "free_school_meals",
        "Free school meals",
        "Eligible for free school meals",
        "Pupils eligible for free school meals",
    ),
    _bool_characteristic(
        "eal",
        "English as an additional language",
        "English as an additional language",
        "Pupils with English as an additional language",
    ),
    Characteristic("year_group", "Year group", _year_of, _years),
)


def _no_ratio_reason(
    on_roll: int, with_incident: int, others_on_roll: int, others_with: int, rules: SuppressionRules
) -> str:
    if on_roll < rules.min_on_roll:
        return (
            f"Fewer than {rules.min_on_roll} pupils on roll in this group: "
            "too few for a fair comparison."
        )
    if others_on_roll == 0:
        return "There are no other pupils to compare with."
    if with_incident < rules.min_with_incident:
        return (
            f"Fewer than {rules.min_with_incident} pupils in this group had an incident: "
            "too few for a fair comparison."
        )
    if others_with == 0:
        return "No other pupils had an incident, so there is nothing to compare with."
    return "The comparison cannot be made."


def characteristic_tables(
    pupils: Sequence[PupilFacts],
    incidents_by_pupil: Mapping[str, int],
    period_days: int,
    rules: SuppressionRules,
) -> tuple[CharacteristicTable, ...]:
    """Every characteristic's table, in one pass over the roll per characteristic."""
    days = max(period_days, 1)
    # Per pupil once: (equivalent, has incident, incidents, characteristics).
    rows = []
    total_head = 0
    total_eq = 0.0
    total_with = 0
    total_incidents = 0
    for p in pupils:
        eq = min(max(p.days_on_roll, 0), days) / days
        n = incidents_by_pupil.get(p.key, 0)
        rows.append((eq, n, p.characteristics))
        total_head += 1
        total_eq += eq
        total_with += 1 if n else 0
        total_incidents += n
    eqs = [r[0] for r in rows]
    chars = [r[2] for r in rows]
    hit = [(i, r[1]) for i, r in enumerate(rows) if r[1]]
    tables = []
    for ch in CHARACTERISTICS:
        keys = list(map(ch.group_of, chars))
        head: dict[str, int] = Counter(keys)
        equiv: dict[str, float] = dict.fromkeys(head, 0.0)
        for g, e in zip(keys, eqs, strict=True):
            equiv[g] += e
        with_: dict[str, int] = {}
        count: dict[str, int] = {}
        for i, n in hit:
            g = keys[i]
            with_[g] = with_.get(g, 0) + 1
            count[g] = count.get(g, 0) + n
        groups = []
        for grp in ch.groups(tuple(head)):
            h = head.get(grp.key, 0)
            e = equiv.get(grp.key, 0.0)
            w = with_.get(grp.key, 0)
            others_head = total_head - h
            others_eq = max(total_eq - e, 0.0)
            others_with = total_with - w
            rr: RiskRatio | None = None
            reason = ""
            words = ""
            if ch.yes_no and grp.key == OTHERS:
                reason = COMPARISON_REASON
            else:
                ok = (
                    h >= rules.min_on_roll
                    and others_head > 0
                    and w >= rules.min_with_incident
                    and others_with > 0
                )
                rr = risk_ratio(w, e, others_with, others_eq) if ok else None
                if rr is None:
                    reason = _no_ratio_reason(h, w, others_head, others_with, rules)
                else:
                    words = reading(grp.subject, rr)
            groups.append(
                GroupRow(
                    characteristic=ch.key,
                    characteristic_label=ch.label,
                    group=grp.key,
                    group_label=grp.label,
                    on_roll=h,
                    on_roll_equivalent=e,
                    with_incident=w,
                    incidents=count.get(grp.key, 0),
                    others_on_roll_equivalent=others_eq,
                    others_with_incident=others_with,
                    ratio=rr,
                    no_ratio_reason=reason,
                    reading=words,
                )
            )
        tables.append(CharacteristicTable(ch.key, ch.label, tuple(groups)))
    return tuple(tables)
