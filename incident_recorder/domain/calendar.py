"""The school calendar: terms and the days the school is closed within them.

A school day is a weekday inside a term that is not a closure (an INSET day, a bank
holiday). Dates outside every term the calendar knows of (a year nobody has entered
yet) fall back to "a weekday is a school day", so nothing stops counting when the
calendar runs out.

The school keeps its own calendar (Administration ▸ School calendar…); until it does,
the app uses :func:`default_english_calendar`, the usual pattern of English term dates
(the rule is written out there and in ``docs/school-calendar.md``). The Reports
screen's periods ("This term", "Last term", "This school year", "Last school year")
come from :func:`period_choices`.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from itertools import pairwise

from incident_recorder.domain.oversight.facts import Period


@dataclass(frozen=True, slots=True)
class Term:
    """A term (or half term), inclusive dates."""

    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Closure:
    """A day the school is closed within a term (INSET day, bank holiday)."""

    day: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """Terms in date order (they must not overlap) and closures within them."""

    terms: tuple[Term, ...] = ()
    closures: tuple[Closure, ...] = ()
    # Worked out once (the desk asks about many days): term starts, closed days.
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False, default=())
    _closed: frozenset[date] = field(init=False, repr=False, compare=False, default=frozenset())
    # Every weekday within the calendar's span that is not a school day (holidays
    # between terms, closures), in order: a count of school days is then the weekdays
    # less a bisection of this list, however far apart the two days are.
    _off: tuple[date, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        terms = tuple(sorted(self.terms, key=lambda t: (t.start, t.end)))
        closures = tuple(sorted(self.closures, key=lambda c: c.day))
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "closures", closures)
        object.__setattr__(self, "_starts", tuple(t.start for t in terms))
        object.__setattr__(self, "_closed", frozenset(c.day for c in closures))
        off: list[date] = []
        for before, after in pairwise(terms):
            day = before.end + timedelta(days=1)
            while day < after.start:
                if day.weekday() < 5:
                    off.append(day)
                day += timedelta(days=1)
        off += [c.day for c in closures if c.day.weekday() < 5 and self._in_a_term(c.day)]
        object.__setattr__(self, "_off", tuple(sorted(set(off))))

    def _in_a_term(self, day: date) -> bool:
        return self.term_on(day) is not None

    @property
    def first_day(self) -> date | None:
        return self.terms[0].start if self.terms else None

    @property
    def last_day(self) -> date | None:
        return self.terms[-1].end if self.terms else None

    def term_on(self, day: date) -> Term | None:
        i = bisect_right(self._starts, day) - 1
        if i >= 0 and self.terms[i].start <= day <= self.terms[i].end:
            return self.terms[i]
        return None

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        first, last = self.first_day, self.last_day
        if first is None or last is None or day < first or day > last:
            return True  # outside what the calendar knows: every weekday counts
        if self.term_on(day) is None:
            return False  # a holiday between terms
        return day not in self._closed

    def closure_on(self, day: date) -> Closure | None:
        """The closure on ``day``, if the school is closed that day within a term."""
        if day not in self._closed:
            return None
        return self.closures[bisect_left([c.day for c in self.closures], day)]

    def school_days_between(self, start: date, end: date) -> int:
        """The school days after ``start`` up to and including ``end`` (0 when ``end``
        is not after ``start``). Asked on a Friday, by Monday one school day has gone."""
        if end <= start:
            return 0
        first, last = self.first_day, self.last_day
        if first is None or last is None or end < first or start >= last:
            return _weekdays_between(start, end)  # wholly outside: weekdays count
        off = bisect_right(self._off, end) - bisect_right(self._off, start)
        return _weekdays_between(start, end) - off

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (before it when ``n`` is negative)."""
        step = 1 if n >= 0 else -1
        left = abs(n)
        current = day
        while left:
            current += timedelta(days=step)
            if self.is_school_day(current):
                left -= 1
        return current

    def term_starts(self, start: date, end: date) -> tuple[date, ...]:
        """First days of the terms that begin within ``start``..``end``."""
        return tuple(t.start for t in self.terms if start <= t.start <= end)


WEEKDAYS_ONLY = SchoolCalendar()
"""No terms at all: every weekday is a school day."""


def _weekdays_between(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


# --------------------------------------------------------------------------- checks

TERM_NAME_MAX = 60
CLOSURE_REASON_MAX = 120


def calendar_problems(cal: SchoolCalendar) -> list[str]:
    """What is wrong with a calendar the school typed, in plain words (empty if none):
    a term needs a name and must end on or after its first day; terms must not
    overlap; a closure must fall on a weekday inside a term, once."""
    problems: list[str] = []
    if not cal.terms:
        problems.append("Please add at least one term.")
    for term in cal.terms:
        what = f"The term starting {term.start:%d/%m/%Y}"
        if not term.name.strip():
            problems.append(f"{what} needs a name, such as Autumn 1.")
        elif len(term.name) > TERM_NAME_MAX:
            problems.append(f"{what} has a long name: keep it to {TERM_NAME_MAX} characters.")
        if term.end < term.start:
            problems.append(
                f"{term.name or what} ends ({term.end:%d/%m/%Y}) before it starts "
                f"({term.start:%d/%m/%Y})."
            )
    for before, after in zip(cal.terms, cal.terms[1:], strict=False):
        if after.start <= before.end:
            problems.append(
                f"{after.name} ({after.start:%d/%m/%Y} to {after.end:%d/%m/%Y}) overlaps "
                f"{before.name} ({before.start:%d/%m/%Y} to {before.end:%d/%m/%Y}): terms "
                "cannot share a day."
            )
    seen: set[date] = set()
    for closure in cal.closures:
        day = f"{closure.day:%d/%m/%Y}"
        if closure.day in seen:
            problems.append(f"{day} is listed as a closure twice.")
        seen.add(closure.day)
        if len(closure.reason) > CLOSURE_REASON_MAX:
            problems.append(
                f"The reason for closing on {day} is long: keep it to {CLOSURE_REASON_MAX} "
                "characters."
            )
        if closure.day.weekday() >= 5:
            problems.append(f"{day} is a weekend day: the school is closed then anyway.")
        elif cal.terms and cal.term_on(closure.day) is None:
            problems.append(
                f"{day} is not in any term: a closure is a day off during a term (the "
                "holidays between terms are already days off)."
            )
    return problems


# --------------------------------------------------------------------------- England


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    month, day = divmod(h + m - 7 * ((a + 11 * h + 22 * m) // 451) + 114, 31)
    return date(year, month, day + 1)


def _first_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _last_weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return _last_weekday_on_or_before(last, 0)


def _next_weekday(day: date) -> date:
    """``day`` if it is a weekday, else the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def english_bank_holidays(year: int) -> tuple[Closure, ...]:
    """England's bank holidays in ``year`` (New Year's Day, Good Friday, Easter Monday,
    the early May, spring and summer bank holidays, Christmas Day and Boxing Day, each
    moved to the next weekday not already a holiday when it falls at a weekend). Extra
    one-off holidays (a coronation, a jubilee) are not known: add them as closures."""
    easter = easter_sunday(year)
    days = [
        Closure(_next_weekday(date(year, 1, 1)), "New Year's Day (bank holiday)"),
        Closure(easter - timedelta(days=2), "Good Friday (bank holiday)"),
        Closure(easter + timedelta(days=1), "Easter Monday (bank holiday)"),
        Closure(_first_weekday_on_or_after(date(year, 5, 1), 0), "Early May bank holiday"),
        Closure(_last_monday(year, 5), "Spring bank holiday"),
        Closure(_last_monday(year, 8), "Summer bank holiday"),
    ]
    christmas = _next_weekday(date(year, 12, 25))
    boxing = _next_weekday(date(year, 12, 26))
    if boxing <= christmas:
        boxing = _next_weekday(christmas + timedelta(days=1))
    days += [
        Closure(christmas, "Christmas Day (bank holiday)"),
        Closure(boxing, "Boxing Day (bank holiday)"),
    ]
    return tuple(days)


def _term_end(day: date) -> date:
    """The last weekday on or before ``day``; a Monday gives way to the Friday before
    (nobody comes back for one day)."""
    end = _last_weekday_on_or_before(day, 4) if day.weekday() >= 5 else day
    return end - timedelta(days=3) if end.weekday() == 0 else end


def _easter_holiday(year: int) -> tuple[date, date]:
    """The spring term's last day and the summer term's first around Easter ``year``.

    Easter on or before 31 March: the holiday is the two weeks after Easter (from Good
    Friday); Easter from 1 to 14 April: the week before and the week after; Easter
    from 15 April: the two weeks before (back on the Tuesday after Easter Monday)."""
    easter = easter_sunday(year)
    if easter <= date(year, 3, 31):
        first_off, back = easter - timedelta(days=2), easter + timedelta(days=15)
    elif easter <= date(year, 4, 14):
        first_off, back = easter - timedelta(days=6), easter + timedelta(days=8)
    else:
        first_off, back = easter - timedelta(days=13), easter + timedelta(days=2)
    last = first_off - timedelta(days=1)
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    return last, back


def english_school_year(year: int) -> tuple[Term, ...]:
    """The six half terms of the school year that starts in September ``year`` (the
    rule: ``docs/school-calendar.md``).

    - Autumn 1: from the first Wednesday of September to the Friday before the
      October half term (the week of the last Monday of October); Autumn 2: from the
      Monday after to the last weekday on or before 20 December.
    - Spring 1: from the first weekday on or after 4 January to the Friday before the
      February half term (the week of the first Monday on or after 12 February);
      Spring 2: from the Monday after to the day before the Easter holiday
      (:func:`_easter_holiday`).
    - Summer 1: from the day after the Easter holiday to the Friday before the late May
      half term (the week of the spring bank holiday, the last Monday of May);
      Summer 2: from the Monday after to the last weekday on or before 22 July.
    A term that would end on a Monday ends on the Friday before.
    """
    autumn_start = _first_weekday_on_or_after(date(year, 9, 1), 2)
    october = _last_monday(year, 10)
    autumn_end = _term_end(date(year, 12, 20))
    spring = year + 1
    spring_start = _next_weekday(date(spring, 1, 4))
    february = _first_weekday_on_or_after(date(spring, 2, 12), 0)
    spring_end, summer_start = _easter_holiday(spring)
    may = _last_monday(spring, 5)
    summer_end = _term_end(date(spring, 7, 22))
    friday_before = timedelta(days=3)
    monday_after = timedelta(days=7)
    return (
        Term("Autumn 1", autumn_start, october - friday_before),
        Term("Autumn 2", october + monday_after, autumn_end),
        Term("Spring 1", spring_start, february - friday_before),
        Term("Spring 2", february + monday_after, spring_end),
        Term("Summer 1", summer_start, may - friday_before),
        Term("Summer 2", may + monday_after, summer_end),
    )


def default_english_calendar(first_year: int, last_year: int) -> SchoolCalendar:
    """Standard English term dates for the school years starting in September of
    ``first_year`` to ``last_year`` (:func:`english_school_year`), with England's bank
    holidays that fall in term as closures. Half terms are the holidays between the
    half terms. INSET days are the school's own: it adds them as closures."""
    terms: list[Term] = []
    for year in range(first_year, last_year + 1):
        terms += english_school_year(year)
    calendar = SchoolCalendar(tuple(terms))
    closures = [
        c
        for year in range(first_year, last_year + 2)
        for c in english_bank_holidays(year)
        if calendar.term_on(c.day) is not None and c.day.weekday() < 5
    ]
    return SchoolCalendar(tuple(terms), tuple(closures))


def school_year_of(day: date) -> int:
    """The year the school year holding ``day`` starts in (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_name(year: int) -> str:
    """ "2026/27" for the school year starting in September 2026."""
    return f"{year}/{(year + 1) % 100:02d}"


def standard_calendar_around(today: date) -> SchoolCalendar:
    """The standard calendar for last school year, this one and the next."""
    year = school_year_of(today)
    return default_english_calendar(year - 1, year + 1)


# --------------------------------------------------------------------------- periods


class Season(Enum):
    AUTUMN = "Autumn"
    SPRING = "Spring"
    SUMMER = "Summer"


def season_of(term: Term) -> Season:
    """Which of the three terms a term (or half term) belongs to: by its name when it
    says ("Autumn 2", "Spring term"), else by the month it starts in (August to
    December: autumn; January to March: spring; April to July: summer)."""
    name = term.name.casefold()
    for season in Season:
        if season.value.casefold() in name:
            return season
    if term.start.month >= 8:
        return Season.AUTUMN
    return Season.SPRING if term.start.month <= 3 else Season.SUMMER


@dataclass(frozen=True, slots=True)
class SchoolTerm:
    """One of the three terms of a school year, its half terms inside it."""

    season: Season
    school_year: int  # the year the school year starts in
    start: date
    end: date

    @property
    def calendar_year(self) -> int:
        return self.school_year if self.season is Season.AUTUMN else self.school_year + 1

    @property
    def name(self) -> str:
        """ "Autumn term 2026", "Spring term 2027"."""
        return f"{self.season.value} term {self.calendar_year}"


def school_terms(cal: SchoolCalendar) -> tuple[SchoolTerm, ...]:
    """The calendar's terms grouped into autumn, spring and summer terms, in order."""
    found: dict[tuple[int, Season], SchoolTerm] = {}
    for term in cal.terms:
        season = season_of(term)
        # August counts with the autumn: a school that starts before 1 September.
        year = term.start.year if term.start.month >= 8 else term.start.year - 1
        key = (year, season)
        if key in found:
            old = found[key]
            found[key] = SchoolTerm(
                season, year, min(old.start, term.start), max(old.end, term.end)
            )
        else:
            found[key] = SchoolTerm(season, year, term.start, term.end)
    return tuple(sorted(found.values(), key=lambda t: t.start))


def _dates(start: date, end: date) -> str:
    return f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"


def period_choices(cal: SchoolCalendar, today: date) -> tuple[Period, ...]:
    """ "This term", "Last term", "This school year", "Last school year", in that order.

    A term is autumn, spring or summer with its half terms inside it (from its first
    day to its last, the half-term holiday included); in a holiday, "this term" is the
    one that has just ended. A school year runs from 1 September to 31 August. Where
    the calendar lacks a term of this school year or the two before (not entered yet),
    the standard English dates stand in for it. Each label is "<choice>: <what>
    (<dates>)", e.g. "This term: Autumn term 2026 (02/09/2026 to 18/12/2026)"; the part
    after the first ": " names the period without reference to today (for paper).
    """
    year = school_year_of(today)
    terms = list(school_terms(cal))
    have = {(t.school_year, t.season) for t in terms}
    for t in school_terms(default_english_calendar(year - 2, year)):
        if (t.school_year, t.season) not in have and not any(
            o.start <= t.end and t.start <= o.end for o in terms
        ):
            terms.append(t)
    terms.sort(key=lambda t: t.start)
    started = [t for t in terms if t.start <= today]
    this_term = started[-1] if started else terms[0]
    before = [t for t in terms if t.start < this_term.start]
    last_term = before[-1] if before else this_term
    this_year_start, last_year_start = date(year, 9, 1), date(year - 1, 9, 1)
    return (
        Period(
            this_term.start,
            this_term.end,
            f"This term: {this_term.name} ({_dates(this_term.start, this_term.end)})",
        ),
        Period(
            last_term.start,
            last_term.end,
            f"Last term: {last_term.name} ({_dates(last_term.start, last_term.end)})",
        ),
        Period(
            this_year_start,
            date(year + 1, 8, 31),
            f"This school year: {school_year_name(year)} "
            f"({_dates(this_year_start, date(year + 1, 8, 31))})",
        ),
        Period(
            last_year_start,
            date(year, 8, 31),
            f"Last school year: {school_year_name(year - 1)} "
            f"({_dates(last_year_start, date(year, 8, 31))})",
        ),
    )


def period_name(period: Period) -> str:
    """The label without its "This term: " part ("Autumn term 2026 (… to …)")."""
    _, sep, rest = period.label.partition(": ")
    return rest if sep else period.label
