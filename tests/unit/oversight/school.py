""" "Fernhill Academy", a small fictional school whose every figure is counted by hand
in ``test_compute.py``.

Period: Tuesday 01/09/2026 to Saturday 31/10/2026 (61 days). 30 pupils, 20 incidents,
6 incidents in the same period last year. All names are made up.

Pupils (p01 to p15 girls, p16 to p30 boys):

=====  ===  ======  ==========  =====  ====  ====  ===  ====  ======
pupil  sex  days    SEN         LAC    FSM   EAL   kin  CIN   ethn.
=====  ===  ======  ==========  =====  ====  ====  ===  ====  ======
p01    F    61      EHCP               FSM                    WBRI
p02    F    61      SEN supp.   LAC    FSM                    WBRI
p03    F    61      SEN supp.          FSM         kin        WBRI
p04-05 F    61                         FSM                    WBRI
p06-09 F    61                                                WBRI
p10-11 F    61                               EAL              WBRI
p12-14 F    61                                                WBRI
p15    F    30 (left 30/09)                                   WBRI
p16    M    61      EHCP        LAC    FSM               CIN  WBRI
p17    M    61      EHCP               FSM               CIN  WBRI
p18-20 M    61      EHCP               FSM                    WBRI
p21    M    61      EHCP               FSM                    BCRB
p22-23 M    61      SEN supp.          FSM                    BCRB
p24-25 M    61                         FSM                    BCRB
p26    M    61                               EAL              AIND
p27-28 M    61                                                AIND
p29    M    61                                                (none)
p30    M    31 (joined 01/10)                                 (none)
=====  ===  ======  ==========  =====  ====  ====  ===  ====  ======

Year 7: p01-p08 and p16-p23 (16 pupils); Year 8: p09-p15 and p24-p30 (14 pupils).
"""

from __future__ import annotations

from datetime import date, time

from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)

PERIOD = Period(date(2026, 9, 1), date(2026, 10, 31), "01/09/2026 to 31/10/2026")

_EHCP = {1, 16, 17, 18, 19, 20, 21}
_SUPPORT = {2, 3, 22, 23}
_LAC = {2, 16}
_FSM = {1, 2, 3, 4, 5, *range(16, 26)}
_EAL = {10, 11, 26}
_KIN = {3}
_CIN = {16, 17}
_YEAR7 = {*range(1, 9), *range(16, 24)}


def _ethnicity(n: int) -> tuple[str, str]:
    if n <= 20:
        return "WBRI", "white"
    if n <= 25:
        return "BCRB", "black"
    if n <= 28:
        return "AIND", "asian"
    return "", ""


def _pupil(n: int) -> PupilFacts:
    code, group = _ethnicity(n)
    sen = "ehcp" if n in _EHCP else "sen_support" if n in _SUPPORT else "none"
    days = 30 if n == 15 else 31 if n == 30 else 61
    return PupilFacts(
        key=f"p{n:02d}",
        days_on_roll=days,
        characteristics=Characteristics(
            ethnicity=code,
            ethnic_group=group,
            sex="F" if n <= 15 else "M",
            sen=sen,
            looked_after=n in _LAC,
            kinship_care=n in _KIN,
            child_in_need_or_protection=n in _CIN,
            free_school_meals=n in _FSM,
            eal=n in _EAL,
            year_group="Year 7" if n in _YEAR7 else "Year 8",
        ),
        name=f"Pupil Number{n:02d}",
    )


PUPILS = tuple(_pupil(n) for n in range(1, 31))

RF, RWF, SEC = "reasonable_force", "restraint_without_force", "seclusion"
ELBOW, FOUR, GUIDE = "Single elbow", "Figure of four", "Guide"
DEMAND, TRANSITION, PEERS = "Demand", "Transition", "Peer conflict"


def _i(
    n: int,
    pupil: int,
    on: date,
    start: time | None,
    kind: str,
    techniques: tuple[str, ...],
    antecedents: tuple[str, ...],
    location: str,
) -> IncidentFacts:
    """Incident R<n>, with the flags below (by incident number)."""
    floor = {2: frozenset({"prone"}), 7: frozenset({"ground"}), 9: frozenset({"ground", "supine"})}
    return IncidentFacts(
        reference=f"R{n:02d}",
        pupil_key=f"p{pupil:02d}",
        occurred_on=on,
        start=start,
        kind=kind,
        techniques=techniques,
        antecedent_kinds=antecedents,
        location=location,
        recorded_same_day=n not in (5, 17),
        parents_told_same_day=None if n == 10 else n not in (8, 14),
        letter_within_1_school_day=True if n <= 10 else False if n <= 15 else None,
        copy_supplied=True if n == 18 else False if n == 19 else None,
        signed_off_within_2_school_days=n != 2,
        deescalation_recorded=n not in (3, 6),
        floor_positions=floor.get(n, frozenset()),
        hold_over_threshold=n in (2, 9),
        pupil_injured=n == 7,
        staff_injured=False,
        staff_training_expired=None,
    )


D = date
INCIDENTS = (
    _i(1, 16, D(2026, 9, 2), time(8, 45), RF, (ELBOW,), (DEMAND,), "Classroom"),
    _i(2, 16, D(2026, 9, 3), time(10, 0), RF, (ELBOW, FOUR), (DEMAND, TRANSITION), "Corridor"),
    _i(3, 17, D(2026, 9, 8), time(12, 30), RWF, (), (TRANSITION,), "Playground"),
    _i(4, 1, D(2026, 9, 9), time(13, 20), RF, (GUIDE,), (), "Classroom"),
    _i(5, 16, D(2026, 9, 10), time(14, 0), RF, (ELBOW,), (DEMAND,), "classroom"),
    _i(6, 18, D(2026, 9, 15), time(9, 30), SEC, (), (PEERS,), "Hall"),
    _i(7, 17, D(2026, 9, 16), time(11, 0), RF, (FOUR,), (PEERS,), "Corridor"),
    _i(8, 19, D(2026, 9, 17), time(15, 45), RF, (GUIDE,), (DEMAND,), ""),
    _i(9, 16, D(2026, 9, 22), time(10, 45), RF, (ELBOW,), (DEMAND,), "Classroom"),
    _i(10, 2, D(2026, 9, 23), None, RWF, (), (), "Classroom"),
    _i(11, 20, D(2026, 9, 29), time(13, 30), RF, (GUIDE,), (TRANSITION,), "Playground"),
    _i(12, 1, D(2026, 10, 1), time(8, 30), RF, (GUIDE,), (DEMAND,), "Classroom"),
    _i(13, 21, D(2026, 10, 2), time(12, 15), RF, (ELBOW,), (DEMAND,), "Corridor"),
    _i(14, 30, D(2026, 10, 6), time(10, 15), SEC, (), (PEERS,), "Hall"),
    _i(15, 16, D(2026, 10, 7), time(14, 30), RF, (FOUR,), (DEMAND,), "Classroom"),
    _i(16, 17, D(2026, 10, 13), time(9, 10), RF, (ELBOW,), (TRANSITION,), "Corridor"),
    _i(17, 22, D(2026, 10, 14), time(16, 0), RF, (GUIDE,), (DEMAND,), "Playground"),
    _i(18, 3, D(2026, 10, 15), time(11, 45), RF, (ELBOW,), (DEMAND,), "Classroom"),
    _i(19, 18, D(2026, 10, 20), time(13, 0), "", (), (), "Hall"),
    _i(20, 16, D(2026, 10, 24), time(10, 30), RF, (ELBOW,), (DEMAND,), "Classroom"),
)


def _l(n: int, on: date, start: time | None, kind: str, tech: tuple[str, ...],
       ante: tuple[str, ...], location: str) -> IncidentFacts:  # fmt: skip
    return IncidentFacts(
        reference=f"L{n}",
        pupil_key=f"old{n}",
        occurred_on=on,
        start=start,
        kind=kind,
        techniques=tech,
        antecedent_kinds=ante,
        location=location,
    )


LAST_YEAR = (
    _l(1, D(2025, 9, 3), time(9, 15), RF, (ELBOW,), (DEMAND,), "Classroom"),
    _l(2, D(2025, 9, 10), time(12, 0), RF, (GUIDE,), (TRANSITION,), "Dining hall"),
    _l(3, D(2025, 10, 2), None, SEC, (), (DEMAND,), "Classroom"),
    _l(4, D(2025, 10, 8), time(14, 0), RF, (ELBOW,), (), "Corridor"),
    _l(5, D(2025, 10, 8), time(8, 0), RF, (ELBOW,), (DEMAND,), "Classroom"),
    _l(6, D(2025, 10, 25), time(11, 0), RWF, (), (PEERS,), "Hall"),
)


def inputs(*, names_shown: bool = False) -> ReportInputs:
    return ReportInputs(
        period=PERIOD,
        pupils=PUPILS,
        incidents=INCIDENTS,
        last_year=LAST_YEAR,
        term_starts=(date(2026, 9, 1),),
        school="Fernhill Academy",
        names_shown=names_shown,
    )
