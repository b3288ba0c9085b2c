"""A seeded, fictional school: pupils, staff, accounts and incident records.

Used by the demo (``incident-recorder demo``), the tests and the benchmarks. Pure and
deterministic: the same seed and arguments always give the same school, with no I/O and
only the standard library. Every person and place is made up (see
:mod:`incident_recorder.domain.generator_text`).

Records are realistic rather than uniform: a few pupils account for most incidents (as
in real schools), times fall in school hours on school days, most records are written the
same day, and some are late, have injuries, a floor hold, a long hold, no time for
de-escalation, parents not told yet or telling them withheld, amendments, several pupils
held in one event, or are still drafts. Every submitted version passes the policy rules
at the moment it was saved, with a written explanation wherever a warning fires.

Ids inside the generated records are *indexes*: ``who.pupil_id`` indexes
:attr:`GeneratedSchool.pupils` and each ``StaffInvolvement.staff_id`` indexes
:attr:`GeneratedSchool.staff`. :func:`with_ids` swaps them for the database's ids.
Moments (``created_at`` and so on) are the school's local wall-clock time, naive.

It scales linearly: 20,000 pupils and 100,000 incidents take a few seconds.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from incident_recorder.domain import generator_text as txt
from incident_recorder.domain import policy
from incident_recorder.domain.body_map import InjuryKind, InjuryMark
from incident_recorder.domain.durations import about_duration
from incident_recorder.domain.model import (
    ContactMethod,
    Debriefs,
    Deescalation,
    FloorPosition,
    FollowUp,
    FollowUpAction,
    HoldUse,
    IncidentDetails,
    Injuries,
    Intervention,
    InterventionKind,
    LawfulGround,
    Necessity,
    NewPupil,
    ParentsContact,
    ParentsStatus,
    Referral,
    Role,
    SchoolDetails,
    SenStatus,
    StaffInvolvement,
    StaffPart,
    WhatHappened,
    WhenWhere,
    Who,
)
from incident_recorder.domain.pupils import make_upn

# --------------------------------------------------------------------------- results


# The body map for each of generator_text's descriptions, in the same order.
_PUPIL_MARKS: tuple[tuple[InjuryMark, ...], ...] = (
    (InjuryMark("front_left_wrist", InjuryKind.RED_MARK, "faded within half an hour"),),
    (InjuryMark("front_right_knee", InjuryKind.GRAZE),),
    (InjuryMark("front_right_forearm", InjuryKind.OTHER, "scratches"),),
    (InjuryMark("back_right_elbow", InjuryKind.OTHER, "bump, no swelling"),),
)
_STAFF_MARKS: tuple[tuple[InjuryMark, ...], ...] = (
    (InjuryMark("back_right_hand", InjuryKind.OTHER, "scratch"),),
    (InjuryMark("front_left_forearm", InjuryKind.OTHER, "bite; the skin was not broken"),),
    (InjuryMark("front_right_shin", InjuryKind.BRUISE),),
    (),  # hair pulled: nothing to mark
)


@dataclass(frozen=True, slots=True)
class GeneratedStaff:
    full_name: str
    job_title: str


@dataclass(frozen=True, slots=True)
class GeneratedUser:
    username: str
    full_name: str
    roles: frozenset[Role]
    staff_index: int  # the account's entry in GeneratedSchool.staff


@dataclass(frozen=True, slots=True)
class GeneratedAmendment:
    details: IncidentDetails
    reason: str
    user_index: int
    at: datetime  # local wall clock


@dataclass(frozen=True, slots=True)
class GeneratedIncident:
    event: int  # records with the same number were one event (several pupils held)
    author: int  # index into GeneratedSchool.users
    created_at: datetime  # local wall clock: when the draft was started
    submitted_at: datetime | None  # None: still a draft
    details: IncidentDetails  # version 1 (or the draft); ids are indexes
    amendments: tuple[GeneratedAmendment, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


@dataclass(frozen=True, slots=True)
class GeneratedSchool:
    school: SchoolDetails
    pupils: tuple[NewPupil, ...]
    staff: tuple[GeneratedStaff, ...]  # [0] head (DSL), [1] SENCO, [2] deputy head (DSL)
    users: tuple[GeneratedUser, ...]  # [0] the head: administrator and safeguarding lead
    incidents: tuple[GeneratedIncident, ...]  # in the order they were started


def with_ids(
    details: IncidentDetails, pupil_ids: Sequence[int], staff_ids: Sequence[int]
) -> IncidentDetails:
    """The record with the generator's indexes replaced by database ids."""
    who = details.who
    pupil = None if who.pupil_id is None else pupil_ids[who.pupil_id]
    staff = tuple(StaffInvolvement(staff_ids[s.staff_id], s.part) for s in who.staff)
    return dataclasses.replace(details, who=dataclasses.replace(who, pupil_id=pupil, staff=staff))


# --------------------------------------------------------------------------- school days


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * (a + 11 * h + 22 * m) // 451 + 114) // 31
    p = (h + m - 7 * (a + 11 * h + 22 * m) // 451 + 114) % 31
    return date(year, n, p + 1)


def _last_monday(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def _holidays(year: int) -> list[tuple[date, date]]:
    """Typical English school holidays touching ``year`` (inclusive ranges)."""
    easter = _easter(year)
    feb = date(year, 2, 15)
    feb_monday = feb - timedelta(days=feb.weekday())
    oct_half = _last_monday(year, 10)
    may_half = _last_monday(year, 5)
    first_may = date(year, 5, 1)
    may_day = first_may + timedelta(days=(7 - first_may.weekday()) % 7)
    return [
        (date(year, 1, 1), date(year, 1, 3)),
        (feb_monday, feb_monday + timedelta(days=4)),
        (easter - timedelta(days=9), easter + timedelta(days=8)),
        (may_day, may_day),
        (may_half, may_half + timedelta(days=4)),
        (date(year, 7, 22), date(year, 9, 3)),
        (oct_half, oct_half + timedelta(days=4)),
        (date(year, 12, 20), date(year, 12, 31)),
    ]


def school_days(start: date, end: date) -> list[date]:
    """Weekdays from ``start`` to ``end`` (inclusive) outside the usual holidays."""
    closed: set[date] = set()
    for year in range(start.year, end.year + 1):
        for first, last in _holidays(year):
            day = first
            while day <= last:
                closed.add(day)
                day += timedelta(days=1)
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


# --------------------------------------------------------------------------- people


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "ð": "d"})


def username_for(full_name: str) -> str:
    """'Siân Griffiths' -> 's.griffiths': plain letters, as typed at sign-in."""
    folded = unicodedata.normalize("NFKD", full_name.translate(_FOLD))
    plain = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -")).lower()
    parts = plain.replace("-", " ").split()
    if not parts:
        return "user"
    name = f"{parts[0][0]}.{''.join(parts[1:]) or parts[0]}"
    return name[:28]


def _pupils(rng: random.Random, count: int, year0: int, involved: set[int]) -> list[NewPupil]:
    classes_per_year = max(2, -(-count // (len(txt.YEAR_GROUPS) * 30)))
    la_codes = (202, 204, 206, 208, 209, 210, 211, 212, 213, 316, 330, 372)
    pupils = []
    # A stream of its own, so the names, years and records stay as they were.
    traits = random.Random(year0 * 100_003 + count)
    for i in range(count):
        first = rng.choice(txt.FIRST_NAMES)
        last = rng.choice(txt.LAST_NAMES)
        preferred = txt.PREFERRED.get(first, "") if rng.random() < 0.6 else ""
        k = rng.randrange(len(txt.YEAR_GROUPS))
        born_from = date(year0 - 5 - k, 9, 1)
        born = born_from + timedelta(days=rng.randrange(365))
        index = k * classes_per_year + rng.randrange(classes_per_year)
        class_name = txt.CLASS_NAMES[index % len(txt.CLASS_NAMES)]
        if index >= len(txt.CLASS_NAMES):
            class_name += f" {index // len(txt.CLASS_NAMES) + 1}"
        # (school number, serial) is unique per pupil, so every UPN is unique.
        block, place = divmod(i, 1000)
        upn = make_upn(rng.choice(la_codes), 2000 + block, year0 - k, (place * 389) % 1000)
        roll = rng.random()
        if i in involved:
            sen = SenStatus.EHCP if roll < 0.35 else SenStatus.SEN_SUPPORT if roll < 0.7 else None
            looked_after = rng.random() < 0.1
        else:
            sen = SenStatus.EHCP if roll < 0.03 else SenStatus.SEN_SUPPORT if roll < 0.15 else None
            looked_after = rng.random() < 0.01
        pupil = NewPupil(
            first_name=first,
            last_name=last,
            upn=upn,
            preferred_name=preferred,
            date_of_birth=born,
            year_group=txt.YEAR_GROUPS[k],
            class_name=class_name,
            sen_status=sen or SenStatus.NONE,
            looked_after=looked_after,
        )
        pupils.append(_characteristics(pupil, traits, i in involved))
    return pupils


# The MIS's characteristics, for the Reports screen's disproportionality tables: an
# inner-London mix of ethnicities (DfE codes), with pupils who are held more often a
# little more likely to be boys, on free school meals, of Black Caribbean or mixed White
# and Black Caribbean heritage, or known to children's social care (as national data
# show), so that a newcomer sees what the analysis is for. Made-up proportions.
_ETHNICITIES = (
    ("WBRI", 28), ("WOTH", 11), ("WIRI", 2), ("WROM", 1), ("ABAN", 12), ("AIND", 2),
    ("APKN", 1), ("AOTH", 3), ("BAFR", 10), ("BCRB", 4), ("BOTH", 2), ("MWBC", 4),
    ("MWBA", 2), ("MWAS", 2), ("MOTH", 5), ("CHNE", 2), ("OOTH", 7), ("REFU", 1),
    ("NOBT", 1),
)  # fmt: skip
_HELD_MORE = {"BCRB": 3, "MWBC": 3}
_LANGUAGES = {
    "ABAN": "Bengali", "BAFR": "Somali", "OOTH": "Arabic", "WOTH": "Polish",
    "CHNE": "Chinese", "AOTH": "Tamil", "APKN": "Urdu", "AIND": "Gujarati",
    "WROM": "Romanian",
}  # fmt: skip


def _characteristics(pupil: NewPupil, rng: random.Random, involved: bool) -> NewPupil:
    weights = [w * (_HELD_MORE.get(code, 1) if involved else 1) for code, w in _ETHNICITIES]
    ethnicity = rng.choices([code for code, _ in _ETHNICITIES], weights)[0]
    language = _LANGUAGES.get(ethnicity, "")
    eal = bool(language) and rng.random() < 0.6
    return dataclasses.replace(
        pupil,
        sex="M" if rng.random() < (0.78 if involved else 0.5) else "F",
        ethnicity=ethnicity,
        free_school_meals=rng.random() < (0.55 if involved else 0.35),
        pupil_premium=rng.random() < (0.6 if involved else 0.4),
        eal=eal,
        first_language=language if eal else "English",
        child_in_need=rng.random() < (0.08 if involved else 0.02),
        child_protection_plan=rng.random() < (0.03 if involved else 0.005),
        previously_looked_after=rng.random() < 0.01,
        kinship_care=rng.random() < 0.01,
    )


def _staff(rng: random.Random, count: int) -> list[GeneratedStaff]:
    titles = ["Headteacher", "SENCO", "Deputy headteacher"]
    seen: set[str] = set()
    staff = []
    for i in range(count):
        for _ in range(20):
            name = f"{rng.choice(txt.FIRST_NAMES)} {rng.choice(txt.LAST_NAMES)}"
            if name not in seen:
                break
        seen.add(name)
        title = titles[i] if i < len(titles) else rng.choice(txt.STAFF_TITLES)
        staff.append(GeneratedStaff(name, title))
    return staff


def _users(staff: list[GeneratedStaff], count: int) -> list[GeneratedUser]:
    roles = [
        frozenset({Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD}),
        frozenset({Role.SENCO}),
        frozenset({Role.SAFEGUARDING_LEAD}),
    ]
    taken: set[str] = set()
    users = []
    for i in range(count):
        base = username_for(staff[i].full_name)
        name = base
        for n in itertools.count(2):
            if name not in taken:
                break
            name = f"{base}{n}"
        taken.add(name)
        role = roles[i] if i < len(roles) else frozenset({Role.STAFF})
        users.append(GeneratedUser(name, staff[i].full_name, role, i))
    return users


# --------------------------------------------------------------------------- the school


def generate_school(
    seed: int, pupils: int, incidents: int, start: date, end: date
) -> GeneratedSchool:
    """A fictional school with ``pupils`` pupils and ``incidents`` records (drafts
    included) on school days from ``start`` to ``end``; nothing is dated after ``end``."""
    if pupils < 2:
        raise ValueError("a school needs at least two pupils")
    days = school_days(start, end)
    if incidents and not days:
        raise ValueError("there are no school days between start and end")
    rng = random.Random(seed)
    name, address = txt.SCHOOLS[rng.randrange(len(txt.SCHOOLS))]
    school = SchoolDetails(name=name, address=address, phone="01632 960 418")
    year0 = end.year if end.month >= 9 else end.year - 1
    involved_order = rng.sample(range(pupils), max(min(pupils, 5), pupils // 12))
    pupil_list = _pupils(rng, pupils, year0, set(involved_order))
    staff = _staff(rng, max(10, pupils // 7))
    users = _users(staff, min(len(staff), 4 + pupils // 30, 200))
    builder = _Builder(rng, pupil_list, staff, users, days, end, involved_order)
    return GeneratedSchool(
        school=school,
        pupils=tuple(pupil_list),
        staff=tuple(staff),
        users=tuple(users),
        incidents=tuple(builder.build(incidents)),
    )


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(0, 0)) + timedelta(minutes=minutes)


def _group(holds: tuple[HoldUse, ...]) -> str:
    """What the adults did to the child: "hold" if any technique held them, else
    "guide", else "no_contact" (also when no technique was used)."""
    groups = {txt.TECHNIQUE_GROUPS.get(h.technique, "hold") for h in holds}
    if "hold" in groups:
        return "hold"
    return "guide" if "guide" in groups else "no_contact"


def _voices(shared: _Shared) -> tuple[str, ...]:
    """What pupils say afterwards; those about being held only when they were."""
    if _group(shared.holds) == "hold":
        return txt.PUPIL_VOICE
    return tuple(v for v in txt.PUPIL_VOICE if "held" not in v)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(slots=True)
class _Event:
    day: date
    start: int  # minutes after midnight
    pupils: int  # 1 or 2


@dataclass(slots=True)
class _Shared:
    """What the records of one event have in common."""

    day: date
    start: int
    end: int
    location: str
    staff: tuple[StaffInvolvement, ...]
    account: str
    holds: tuple[HoldUse, ...]
    kind: InterventionKind
    scenario: txt.Scenario
    late_day: date | None
    author: int


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        pupils: list[NewPupil],
        staff: list[GeneratedStaff],
        users: list[GeneratedUser],
        days: list[date],
        end: date,
        involved: list[int],
    ) -> None:
        self.rng = rng
        self.pupils = pupils
        self.staff = staff
        self.users = users
        self.days = days
        self.day_index = {d: i for i, d in enumerate(days)}
        self.limit = datetime.combine(end, time(23, 59))
        self.involved = involved
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(involved))]
        self.pupil_cum = list(itertools.accumulate(weights))
        author_weights = [1.0 if i < 3 else 3.0 for i in range(len(users))]
        self.author_cum = list(itertools.accumulate(author_weights))
        self.dsl = staff[0].full_name
        self.senco = staff[1].full_name

    # ------------------------------------------------------------------ helpers

    def _weighted(self, cum: list[float]) -> int:
        return bisect.bisect_left(cum, self.rng.random() * cum[-1])

    def _pupil(self, other_than: int | None = None) -> int:
        for _ in range(10):
            pick = self.involved[self._weighted(self.pupil_cum)]
            if pick != other_than:
                return pick
        return next(p for p in [*self.involved, 0, 1] if p != other_than)

    def _name(self, pupil: int) -> str:
        p = self.pupils[pupil]
        return p.preferred_name or p.first_name

    def _next_day(self, day: date, ahead: int) -> date | None:
        i = self.day_index[day] + ahead
        return self.days[i] if i < len(self.days) else None

    def _fill(self, text: str, **extra: str) -> str:
        return text.format(dsl=self.dsl, senco=self.senco, **extra)

    # ------------------------------------------------------------------ records

    def build(self, count: int) -> list[GeneratedIncident]:
        rng = self.rng
        events, total = [], 0
        while total < count:
            size = 2 if count - total >= 2 and rng.random() < 0.08 else 1
            events.append(
                _Event(rng.choice(self.days), rng.randint(8 * 60 + 45, 15 * 60 + 10), size)
            )
            total += size
        events.sort(key=lambda e: (e.day, e.start))
        drafts_from = len(events) - max(3, count // 60) if count else 0
        # Drafts are work in progress: from the last few school days.
        recent = self.days[-3:]
        for event in events[max(drafts_from, 0) :]:
            event.day = max(event.day, rng.choice(recent))
        events.sort(key=lambda e: (e.day, e.start))
        out: list[GeneratedIncident] = []
        for number, event in enumerate(events):
            draft = number >= drafts_from
            # The latest draft is the first account's, so the demo sign-in has one to finish.
            mine = draft and number == len(events) - 1
            out.extend(self._event(number, event, draft=draft, mine=mine))
        out.sort(key=lambda r: r.created_at)
        return out

    def _event(
        self, number: int, event: _Event, draft: bool, mine: bool = False
    ) -> list[GeneratedIncident]:
        rng = self.rng
        first = self._pupil()
        second = self._pupil(other_than=first) if event.pupils == 2 else None
        shared = self._shared(event, first, second, draft, mine)
        records: list[GeneratedIncident] = []
        created = _at(shared.day, shared.end + rng.randint(10, 40))
        if shared.late_day is not None:
            created = _at(shared.late_day, rng.randint(8 * 60, 16 * 60))
        for pupil in (first, second):
            if pupil is None:
                continue
            submitted = None if draft else created + timedelta(minutes=rng.randint(12, 45))
            if draft and records:
                created = records[-1].created_at + timedelta(minutes=rng.randint(3, 10))
            record = self._record(number, shared, pupil, created, submitted, draft)
            records.append(record)
            if submitted is not None:
                created = submitted + timedelta(minutes=rng.randint(2, 10))
        return records

    def _shared(
        self, event: _Event, first: int, second: int | None, draft: bool, mine: bool
    ) -> _Shared:
        rng = self.rng
        scenario = rng.choice(txt.SCENARIOS)
        location = rng.choice(scenario.places) if rng.random() < 0.85 else rng.choice(txt.LOCATIONS)
        author = self._weighted(self.author_cum)
        if mine or (draft and rng.random() < 0.3):
            author = 0
        author_staff = self.users[author].staff_index
        lead = author_staff if rng.random() < 0.7 else rng.randrange(len(self.staff))
        others = [s for s in rng.sample(range(len(self.staff)), 4) if s != lead]
        helpers = others[: rng.choice((0, 1, 1, 2)) + (second is not None)]
        staff = [StaffInvolvement(lead, StaffPart.CARRIED_OUT)]
        staff += [StaffInvolvement(s, StaffPart.ASSISTED) for s in helpers]
        if rng.random() < 0.3 and len(others) > len(helpers):
            staff.append(StaffInvolvement(others[len(helpers)], StaffPart.WITNESSED))
        if author_staff not in (s.staff_id for s in staff):
            staff.append(StaffInvolvement(author_staff, StaffPart.WITNESSED))
        roll = rng.random()
        kind = (
            InterventionKind.REASONABLE_FORCE
            if roll < 0.78
            else InterventionKind.RESTRAINT_WITHOUT_FORCE
            if roll < 0.95
            else InterventionKind.SECLUSION
        )
        holds = self._holds(kind)
        length = -(-sum(h.seconds or 0 for h in holds) // 60) or rng.randint(5, 15)
        end = event.start + length + rng.randint(0, 4)
        late_day = self._next_day(event.day, rng.choice((1, 1, 2))) if rng.random() < 0.12 else None
        names = self._name(first) + (f" and {self._name(second)}" if second is not None else "")
        lead_name = self.staff[lead].full_name
        account = self._account(event.start, end, holds, kind, scenario, names, lead_name)
        if second is not None and helpers:
            account += (
                f" At {_hhmm(event.start + 1)} {self._name(second)} joined in, and "
                f"{self.staff[helpers[0]].full_name} guided {self._name(second)} away to keep "
                "both pupils safe."
            )
        return _Shared(
            event.day,
            event.start,
            end,
            location,
            tuple(staff),
            account,
            holds,
            kind,
            scenario,
            late_day,
            author,
        )

    def _holds(self, kind: InterventionKind) -> tuple[HoldUse, ...]:
        rng = self.rng
        if kind is InterventionKind.SECLUSION:
            return ()
        if kind is InterventionKind.RESTRAINT_WITHOUT_FORCE:
            return (HoldUse(rng.choice(txt.GENTLE_HOLDS), rng.randint(4, 48) * 5),)
        picks = rng.sample(txt.FORCE_HOLDS, rng.choice((1, 1, 2)))
        holds = [HoldUse(p, rng.randint(4, 72) * 5) for p in dict.fromkeys(picks)]
        if rng.random() < 0.03:
            holds[0] = HoldUse(holds[0].technique, rng.randint(11, 15) * 60)
        return tuple(holds)

    def _account(
        self,
        start: int,
        end: int,
        holds: tuple[HoldUse, ...],
        kind: InterventionKind,
        scenario: txt.Scenario,
        name: str,
        adult: str,
    ) -> str:
        rng = self.rng
        before = start - rng.randint(2, 8)
        calming = (
            f"{_hhmm(before)} {name} became {rng.choice(txt.UPSET_WORDS)}. {adult} "
            f"{rng.choice(txt.DEESCALATION_SHORT).format(name=name)}."
        )
        if kind is InterventionKind.SECLUSION:
            middle = (
                f" {_hhmm(start)} {name} {scenario.danger}, so the other pupils were taken out "
                f"and {name} stayed in the calm room with {adult} just outside the open door."
            )
        else:
            used = ", then ".join(
                txt.HOLD_PHRASES.get(h.technique, h.technique.lower()) for h in holds
            )
            middle = f" {_hhmm(start)} {name} {scenario.danger}, so {adult} {used}."
            held = any(txt.TECHNIQUE_GROUPS.get(h.technique) == "hold" for h in holds)
            if end - start >= 3 and held:
                middle += (
                    f" {_hhmm(start + (end - start) // 2)} {name} began to calm while {adult} "
                    f"talked about {rng.choice(txt.CALM_TOPICS)}, and the hold was loosened."
                )
        after = rng.choice(txt.AFTERWARDS).format(adult=adult)
        return f"{calming}{middle} {_hhmm(end)} It ended and {name} {after}."

    def _record(
        self,
        event: int,
        shared: _Shared,
        pupil: int,
        created: datetime,
        submitted: datetime | None,
        draft: bool,
    ) -> GeneratedIncident:
        rng = self.rng
        name = self._name(pupil)
        adult = self.staff[shared.staff[0].staff_id].full_name
        # What the recorder could know by the time they saved it.
        by = submitted or created
        who = Who(pupil, shared.staff, rng.choice(("", "", "", *txt.EXTRA_WITNESSES)))
        antecedent = rng.choice(range(len(txt.ANTECEDENTS)))  # as rng.choice(ANTECEDENTS)
        details = IncidentDetails(
            when_where=WhenWhere(
                shared.day,
                time(*divmod(shared.start, 60)),
                time(*divmod(shared.end, 60)),
                shared.location,
            ),
            who=who,
            what_happened=WhatHappened(
                antecedents=txt.ANTECEDENTS[antecedent].format(name=name),
                # Some recorders tick no kind (the records from before the list existed).
                antecedent_types=() if event % 6 == 5 else txt.ANTECEDENT_TYPES[antecedent],
                pupil_behaviour=shared.scenario.behaviour,
                account=shared.account,
            ),
            deescalation=self._deescalation(name),
            necessity=Necessity(
                grounds=frozenset(shared.scenario.grounds),
                justification=self._justification(shared, name, adult),
                not_punishment_confirmed=True,
            ),
            intervention=self._intervention(shared, name),
            injuries=self._injuries(shared, name),
            debriefs=self._debriefs(shared, name, by),
            parents=self._parents(shared, pupil, name, by),
        )
        details = dataclasses.replace(details, follow_up=self._follow_up(shared, details, name))
        details = self._for_parents(details, shared, pupil, name)
        if draft:
            keep = rng.randint(2, 9)
            blank = IncidentDetails()
            cut = {
                f.name: getattr(blank, f.name)
                for n, f in enumerate(dataclasses.fields(IncidentDetails))
                if n >= keep
            }
            return GeneratedIncident(
                event, shared.author, created, None, dataclasses.replace(details, **cut)
            )
        assert submitted is not None
        details = self._explain(details, submitted, submitted.date(), name, shared)
        amendments = self._amendments(shared, details, submitted, name)
        return GeneratedIncident(event, shared.author, created, submitted, details, amendments)

    def _deescalation(self, name: str) -> Deescalation:
        rng = self.rng
        if rng.random() < 0.05:
            return Deescalation(no_time_reason=rng.choice(txt.NO_TIME_REASONS).format(name=name))
        picks = rng.sample(range(len(txt.STRATEGIES)), rng.randint(1, 4))
        return Deescalation(
            strategies=tuple(txt.STRATEGIES[i] for i in sorted(picks)),
            other=rng.choice(txt.DEESCALATION_OTHER).format(name=name),
        )

    @staticmethod
    def _justification(shared: _Shared, name: str, adult: str) -> str:
        """Why it was necessary, in words that match what the adults did (the scenarios'
        own words are about a hold)."""
        group = _group(shared.holds)
        if group == "hold":
            return shared.scenario.justification.format(name=name, adult=adult)
        if shared.kind is InterventionKind.SECLUSION:
            bank = txt.JUSTIFY_SECLUSION
        else:
            bank = txt.JUSTIFY_GUIDE if group == "guide" else txt.JUSTIFY_NO_CONTACT
        return bank[(shared.start + len(name)) % len(bank)].format(name=name, adult=adult)

    def _intervention(self, shared: _Shared, name: str) -> Intervention:
        rng = self.rng
        count = sum(s.part in (StaffPart.CARRIED_OUT, StaffPart.ASSISTED) for s in shared.staff)
        result = Intervention(
            kind=shared.kind,
            holds=shared.holds,
            staff_count=count,
            floor_position=False,
            abc_never_restricted=True,
        )
        held = any(txt.TECHNIQUE_GROUPS.get(h.technique) == "hold" for h in shared.holds)
        if shared.kind is not InterventionKind.SECLUSION and rng.random() < 0.03 and held:
            roll = rng.random()
            where = (
                FloorPosition.GROUND
                if roll < 0.8
                else FloorPosition.PRONE
                if roll < 0.9
                else FloorPosition.SUPINE
            )
            result = dataclasses.replace(
                result,
                floor_position=True,
                floor_positions=frozenset({where}),
                floor_how=rng.choice(txt.FLOOR_HOW[where.value]).format(name=name),
                # Released at once: seconds, face down or up; a little longer seated.
                floor_seconds=rng.randint(2, 8) * 5
                if where is not FloorPosition.GROUND
                else rng.randint(4, 24) * 5,
                floor_release=rng.choice(txt.FLOOR_RELEASE[where.value]).format(name=name),
            )
        if rng.random() < 0.005:
            result = dataclasses.replace(
                result,
                abc_never_restricted=False,
                abc_details=rng.choice(txt.ABC_DETAILS).format(name=name),
            )
        return result

    def _injuries(self, shared: _Shared, name: str) -> Injuries:
        rng = self.rng
        pupil = rng.random() < 0.12
        staff = rng.random() < 0.06
        others = rng.random() < 0.02
        damage = ""
        if LawfulGround.PREVENT_DAMAGE in shared.scenario.grounds or rng.random() < 0.05:
            damage = rng.choice(txt.DAMAGE)
        if not (pupil or staff or others):
            return Injuries(False, "", False, "", False, "", property_damage=damage)
        aid = rng.choice(txt.FIRST_AID)
        aider = self.staff[rng.randrange(len(self.staff))].full_name
        # randrange(n) draws exactly as choice() did, so the same seed makes the same
        # records as before the body map; each description has its marks beside it.
        hurt = rng.randrange(len(txt.PUPIL_INJURIES)) if pupil else 0
        adult = rng.randrange(len(txt.STAFF_INJURIES)) if staff else 0
        return Injuries(
            pupil_injured=pupil,
            pupil_injury=txt.PUPIL_INJURIES[hurt].format(name=name) if pupil else "",
            staff_injured=staff,
            staff_injury=txt.STAFF_INJURIES[adult] if staff else "",
            others_injured=others,
            others_injury=rng.choice(txt.OTHER_INJURIES) if others else "",
            first_aid=aid,
            first_aid_by="" if aid == "none needed" else f"{aider} (first aider)",
            medical_attention=rng.choice(txt.MEDICAL),
            property_damage=damage,
            pupil_marks=_PUPIL_MARKS[hurt] if pupil else (),
            staff_marks=_STAFF_MARKS[adult] if staff else (),
        )

    def _debriefs(self, shared: _Shared, name: str, by: datetime) -> Debriefs:
        rng = self.rng
        adult = self.staff[shared.staff[0].staff_id].full_name
        staff_debrief = self._fill(rng.choice(txt.STAFF_DEBRIEF))
        support = rng.choice(txt.STAFF_SUPPORT).format(adult=adult)
        if rng.random() < 0.15:
            return Debriefs(
                pupil_debriefed=False,
                pupil_not_debriefed_reason=rng.choice(txt.NOT_DEBRIEFED).format(name=name),
                staff_debrief=staff_debrief,
                staff_support=support,
            )
        at = _at(shared.day, shared.end + rng.randint(10, 60))
        at = min(at, by - timedelta(minutes=3), _at(shared.day, 17 * 60))
        at = max(at, _at(shared.day, shared.end + 5))
        return Debriefs(
            pupil_debriefed=True,
            pupil_debrief_at=at,
            pupil_debrief_by=rng.choice((adult, self.senco, "Class teacher", "Key adult")),
            pupil_voice=rng.choice(_voices(shared)).format(name=name),
            staff_debrief=staff_debrief,
            staff_support=support,
        )

    def _parents(self, shared: _Shared, pupil: int, name: str, by: datetime) -> ParentsContact:
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:
            la_at = min(_at(shared.day, shared.end + rng.randint(20, 90)), by)
            return ParentsContact(
                status=ParentsStatus.WITHHELD,
                withheld_reason=rng.choice(txt.WITHHELD).format(name=name),
                withheld_decided_by="The designated safeguarding lead",
                la_told_at=max(la_at, _at(shared.day, shared.end + 1)),
                la_told_who=rng.choice(txt.LA_WHO).format(name=name),
            )
        if roll < 0.15:
            return ParentsContact(
                status=ParentsStatus.NOT_YET,
                not_yet_reason=rng.choice(txt.NOT_YET),
            )
        told = _at(shared.day, shared.end + rng.randint(15, 120))
        if shared.late_day is not None and rng.random() < 0.25:
            told = _at(shared.late_day, rng.randint(8 * 60 + 30, 9 * 60))  # the next morning
        told = max(min(told, by - timedelta(minutes=2)), _at(shared.day, shared.end + 1))
        carer = "Foster carer" if self.pupils[pupil].looked_after else rng.choice(txt.TOLD_WHO)
        how = rng.choices(list(ContactMethod), weights=(20, 70, 5, 3, 2))[0]
        teller = rng.choice((self.dsl, self.senco, self.staff[shared.staff[0].staff_id].full_name))
        return ParentsContact(
            status=ParentsStatus.TOLD, told_who=carer, told_how=how, told_at=told, told_by=teller
        )

    def _follow_up(self, shared: _Shared, d: IncidentDetails, name: str) -> FollowUp:
        rng = self.rng
        referrals: set[Referral] = set()
        if d.injuries.any_injury or d.intervention.floor_position:
            referrals.add(Referral.SAFEGUARDING_LEAD)
        if d.parents.status is ParentsStatus.WITHHELD:
            referrals.add(Referral.SOCIAL_CARE)
        if rng.random() < 0.03:
            referrals.add(Referral.HEALTH)
        owners = {"senco": self.senco, "dsl": self.dsl, "admin": "Site manager"}
        actions = []
        for text, owner in rng.sample(txt.ACTIONS, rng.choice((0, 0, 1, 1, 2))):
            due = shared.day + timedelta(days=rng.randint(3, 21))
            actions.append(FollowUpAction(text.format(name=name), owners[owner], due))
        return FollowUp(
            pupil_support=rng.choice(txt.SUPPORT).format(name=name),
            plan_review_needed=rng.random() < 0.3,
            risk_assessment_review_needed=rng.random() < 0.2,
            referrals=frozenset(referrals),
            actions=tuple(actions),
        )

    @staticmethod
    def _for_parents(d: IncidentDetails, shared: _Shared, pupil: int, name: str) -> IncidentDetails:
        """The summary for parents and how the pupil is now. Chosen without the random
        generator, so the rest of the demo stays as it was before these fields."""
        pick = shared.start + pupil
        how_now = txt.HOW_NOW[pick % len(txt.HOW_NOW)].format(name=name)
        d = dataclasses.replace(
            d, follow_up=dataclasses.replace(d.follow_up, how_child_is_now=how_now)
        )
        if d.parents.status is ParentsStatus.WITHHELD:
            return d
        groups = {txt.TECHNIQUE_GROUPS.get(h.technique, "hold") for h in shared.holds}
        if shared.kind is InterventionKind.SECLUSION:
            bank = txt.PARENT_SUMMARIES_SECLUSION
        elif "hold" in groups:
            bank = txt.PARENT_SUMMARIES
        elif "guide" in groups:
            bank = txt.PARENT_SUMMARIES_GUIDED
        else:
            bank = txt.PARENT_SUMMARIES_NO_CONTACT
        seconds = sum(h.seconds or 0 for h in shared.holds)
        summary = bank[pick % len(bank)].format(name=name, time=about_duration(seconds))
        return dataclasses.replace(
            d, parents=dataclasses.replace(d.parents, summary_for_parents=summary)
        )

    # ------------------------------------------------------------------ policy

    def _explain(
        self, d: IncidentDetails, now: datetime, recorded_on: date, name: str, shared: _Shared
    ) -> IncidentDetails:
        """Write an explanation for every warning the policy raises at ``now``."""
        ctx = policy.PolicyContext(now_local=now, recorded_on=recorded_on)
        for finding in policy.evaluate(d, ctx):
            if finding.severity is policy.Severity.WARNING and not finding.explained:
                bank = txt.EXPLANATIONS.get(finding.code, (txt.GENERIC_EXPLANATION,))
                text = self._fill(self.rng.choice(bank), name=name, time=_hhmm(shared.end + 20))
                d = d.with_explanation(finding.code, text)
        return d

    def _amendments(
        self, shared: _Shared, d: IncidentDetails, submitted: datetime, name: str
    ) -> tuple[GeneratedAmendment, ...]:
        rng = self.rng
        out: list[GeneratedAmendment] = []
        after, current = submitted, d
        next_day = self._next_day(shared.day, 1)
        kinds: list[str] = []
        if d.parents.status is ParentsStatus.NOT_YET and next_day and rng.random() < 0.85:
            kinds.append("parents")
        elif d.debriefs.pupil_debriefed is False and next_day and rng.random() < 0.5:
            kinds.append("debrief")
        elif rng.random() < 0.08:
            kinds.append(rng.choice(("end_time", "witness", "action")))
        if kinds and rng.random() < 0.2:
            kinds.append("action")
        for kind in kinds:
            at = after + timedelta(days=rng.randint(0, 3), minutes=rng.randint(30, 300))
            changed, reason, at = self._amend(kind, shared, current, name, at)
            if at > self.limit or changed == current:
                break
            changed = self._explain(changed, at, submitted.date(), name, shared)
            user = shared.author if rng.random() < 0.6 else rng.choice((1, 2))
            out.append(GeneratedAmendment(changed, reason, user, at))
            after, current = at, changed
        return tuple(out)

    def _amend(
        self, kind: str, shared: _Shared, d: IncidentDetails, name: str, at: datetime
    ) -> tuple[IncidentDetails, str, datetime]:
        rng = self.rng
        adult = self.staff[shared.staff[0].staff_id].full_name
        reason = rng.choice(txt.AMEND_REASONS[kind]).format(adult=adult)
        next_day = self._next_day(shared.day, 1) or shared.day
        morning = _at(next_day, rng.randint(8 * 60 + 30, 9 * 60 + 15))
        if kind == "parents":
            told = ParentsContact(
                status=ParentsStatus.TOLD,
                told_who=rng.choice(txt.TOLD_WHO),
                told_how=ContactMethod.PHONE,
                told_at=morning,
                told_by=self.dsl,
                summary_for_parents=d.parents.summary_for_parents,
            )
            return (
                dataclasses.replace(d, parents=told),
                reason,
                max(at, morning + timedelta(hours=1)),
            )
        if kind == "debrief":
            debrief = dataclasses.replace(
                d.debriefs,
                pupil_debriefed=True,
                pupil_debrief_at=morning,
                pupil_debrief_by="Key adult",
                pupil_voice=rng.choice(_voices(shared)).format(name=name),
                pupil_not_debriefed_reason="",
            )
            return (
                dataclasses.replace(d, debriefs=debrief),
                reason,
                max(at, morning + timedelta(hours=1)),
            )
        if kind == "end_time":
            w = d.when_where
            assert w.end is not None
            new_end = (datetime.combine(shared.day, w.end) + timedelta(minutes=2)).time()
            return (
                dataclasses.replace(d, when_where=dataclasses.replace(w, end=new_end)),
                reason,
                at,
            )
        if kind == "witness":
            extra = rng.choice(txt.EXTRA_WITNESSES)
            witnesses = "; ".join(x for x in (d.who.other_witnesses, extra) if x)
            who = dataclasses.replace(d.who, other_witnesses=witnesses)
            return dataclasses.replace(d, who=who), reason, at
        text, owner = rng.choice(txt.ACTIONS)
        owners = {"senco": self.senco, "dsl": self.dsl, "admin": "Site manager"}
        action = FollowUpAction(
            text.format(name=name), owners[owner], at.date() + timedelta(days=14)
        )
        follow = dataclasses.replace(d.follow_up, actions=(*d.follow_up.actions, action))
        return dataclasses.replace(d, follow_up=follow), reason, at
