"""Realistic report inputs for a fictional large school's year: about 1,500 pupils on
roll, every one with a (fictional) name, and about 5,000 incidents, made from a fixed
seed so the same inputs come every time."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)

SCHOOL = "Fictional Hawthorn Community School"
PERIOD = Period(date(2026, 9, 1), date(2027, 8, 31), "School year 2026 to 2027")
TERM_STARTS = (date(2026, 9, 3), date(2027, 1, 5), date(2027, 4, 19))

FIRST = (
    "Aoife", "Bartholomew", "Cerys", "Dmitri", "Eilidh", "Florentyna", "Gethin", "Hafsa",
    "Ignatius", "Jessamy", "Kwabena", "Lowenna", "Mortimer", "Niamh", "Oluwaseun",
    "Perpetua", "Quillon", "Rhiannon", "Siân", "Tobiah", "Ulrika", "Vasilisa", "Wilhelmina",
    "Xanthe", "Yusra", "Zebedee",
)  # fmt: skip
LAST = (
    "Abernethy", "Blackthorne", "Cadwallader", "Dunwoody", "Etheridge", "Fairweather",
    "Gallowglass", "Hollingsworth", "Inchbald", "Juniper", "Kettleborough", "Lightfoot",
    "Montmorency", "Nettlebed", "Ormerod", "Pennyfeather", "Quennell", "Ravenscroft",
    "Shufflebotham", "Tregothnan", "Underhill", "Vavasour", "Wetherspoon-Fictional",
    "Yelverton", "Zouche",
)  # fmt: skip
GROUPS = (
    ("WBRI", "white"), ("WOTH", "white"), ("BCRB", "black"), ("BAFR", "black"),
    ("APKN", "asian"), ("AIND", "asian"), ("MWBC", "mixed"), ("OOTH", "other"), ("", ""),
)  # fmt: skip
LOCATIONS = (
    "Classroom", "Corridor", "Playground", "Dining hall", "Sensory room", "Library",
    "Hall", "Toilets", "Reception area", "Music room", "Car park", "Field", "",
)  # fmt: skip
TECHNIQUES = (
    "Friendly hold (standing)", "Single elbow", "Figure of four", "Double elbow",
    "Wrap (standing)",
)  # fmt: skip
ANTECEDENTS = ("Transition", "Demand placed", "Peer conflict", "Sensory overload", "Unknown")
RARE = ("Minibus", "Minibus", "Minibus", "Swimming pool")  # small numbers to hide
KINDS = ("reasonable_force", "restraint_without_force", "seclusion", "")


def names() -> list[str]:
    return [f"{f} {s}" for s in LAST for f in FIRST]


def _pupils(rng: random.Random, count: int) -> tuple[PupilFacts, ...]:
    every = names()
    out = []
    for i in range(count):
        code, group = GROUPS[rng.randrange(len(GROUPS))]
        sen = rng.choices(("none", "sen_support", "ehcp"), (80, 14, 6))[0]
        out.append(
            PupilFacts(
                key=str(i + 1),
                days_on_roll=PERIOD.days if rng.random() > 0.08 else rng.randrange(30, PERIOD.days),
                characteristics=Characteristics(
                    ethnicity=code,
                    ethnic_group=group,
                    sex=rng.choice(("F", "M", "M", "F", "")),
                    sen=sen,
                    looked_after=rng.random() < 0.01,
                    previously_looked_after=rng.random() < 0.015,
                    kinship_care=rng.random() < 0.004,
                    child_in_need_or_protection=rng.random() < 0.03,
                    free_school_meals=rng.random() < 0.25,
                    eal=rng.random() < 0.18,
                    year_group=str(7 + i % 5),
                ),
                name=every[i % len(every)],
            )
        )
    return tuple(out)


def _incidents(
    rng: random.Random, pupils: tuple[PupilFacts, ...], count: int, shift: int, prefix: str
) -> tuple[IncidentFacts, ...]:
    # Incidents fall on a small share of pupils, more often those with an EHCP.
    weights = [8.0 if p.characteristics.sen == "ehcp" else 1.0 for p in pupils[: len(pupils) // 4]]
    some = pupils[: len(pupils) // 4]
    days = [PERIOD.start + timedelta(days=d) for d in range(PERIOD.days)]
    school_days = [
        d for d in days if d.weekday() < 5 and not (d.month == 8 or (d.month == 12 and d.day > 19))
    ]
    out = []
    for i in range(count):
        pupil = rng.choices(some, weights)[0]
        day = rng.choice(school_days) - timedelta(days=shift)
        out.append(
            IncidentFacts(
                reference=f"{prefix}{i + 1:05d}",
                pupil_key=pupil.key,
                occurred_on=day,
                start=time(rng.randrange(8, 16), rng.randrange(60)),
                kind=rng.choice(KINDS),
                techniques=tuple(rng.sample(TECHNIQUES, rng.randrange(0, 3))),
                antecedent_kinds=tuple(rng.sample(ANTECEDENTS, rng.randrange(0, 3))),
                location=RARE[i] if i < len(RARE) else rng.choice(LOCATIONS),
                duration_minutes=rng.randrange(1, 25),
                recorded_same_day=rng.random() < 0.9,
                parents_told_same_day=rng.random() < 0.93,
                letter_within_1_school_day=rng.random() < 0.85,
                copy_supplied=None if day < date(2027, 4, 1) else rng.random() < 0.8,
                signed_off_within_2_school_days=rng.random() < 0.8,
                deescalation_recorded=rng.random() > 0.01,
                floor_positions=frozenset({"prone"}) if rng.random() < 0.003 else frozenset(),
                hold_over_threshold=rng.random() < 0.03,
                pupil_injured=rng.random() < 0.0008,
                staff_injured=rng.random() < 0.02,
                staff_training_expired=rng.random() < 0.001,
            )
        )
    return tuple(out)


def school_year_inputs(
    pupils: int = 1500, incidents: int = 5000, seed: int = 14, school: str = SCHOOL
) -> ReportInputs:
    rng = random.Random(seed)
    roll = _pupils(rng, pupils)
    return ReportInputs(
        period=PERIOD,
        pupils=roll,
        incidents=_incidents(rng, roll, incidents, 0, "R"),
        last_year=_incidents(rng, roll, incidents * 4 // 5, 365, "L"),
        term_starts=TERM_STARTS,
        school=school,
        names_shown=True,
    )


def merged(parts: list[ReportInputs], trust: str) -> ReportInputs:
    """The schools' inputs as one trust's: keys prefixed with the school."""
    from dataclasses import replace

    def key(school: str, value: str) -> str:
        return f"{school}/{value}"

    return ReportInputs(
        period=PERIOD,
        pupils=tuple(
            replace(p, key=key(i.school, p.key), school=i.school) for i in parts for p in i.pupils
        ),
        incidents=tuple(
            replace(x, pupil_key=key(i.school, x.pupil_key), school=i.school)
            for i in parts
            for x in i.incidents
        ),
        last_year=tuple(
            replace(x, pupil_key=key(i.school, x.pupil_key), school=i.school)
            for i in parts
            for x in i.last_year
        ),
        term_starts=TERM_STARTS,
        school=trust,
    )
