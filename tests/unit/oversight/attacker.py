"""A reader trying to recover suppressed counts from a published report.

Written apart from ``suppression.py`` (its own cells, its own linear algebra): it reads
only the published texts, and the sums anyone can see on paper (rows add up to their
total, weeks to months, groups to the roll, schools to the trust). It knows what
"fewer than 5" means (1 to 4) and takes "not shown" as anything from 0 up.

``recovered(published, report)`` lists every hidden count it can work out exactly,
and every unprinted small count (a compliance figure's misses, pupils with one
incident) it can pin down. ``report`` gives only the structure a reader also has
(week start dates) and, for unprinted counts, whether the truth is small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.published import PublishedReport, Shown

INF = math.inf


@dataclass
class Reader:
    names: list[str] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    known: list[bool] = field(default_factory=list)
    secret: list[bool] = field(default_factory=list)  # must not be pinned down
    sums: list[dict[int, int]] = field(default_factory=list)
    limits: list[dict[int, int]] = field(default_factory=list)  # sum(a x) >= 0
    by_name: dict[str, int] = field(default_factory=dict)

    def read(self, name: str, shown: Shown) -> int:
        text = shown.text.replace(",", "")
        if text.isdigit():
            bounds: tuple[float, float] = (int(text), int(text))
        elif text.startswith("fewer than "):
            bounds = (1, int(text.removeprefix("fewer than ")) - 1)
        else:
            assert text == "not shown", f"{name}: {text!r}"
            bounds = (0, INF)
        return self._cell(name, bounds, known=text.isdigit(), secret=not text.isdigit())

    def unknown(self, name: str, truly_small: bool) -> int:
        return self._cell(name, (0, INF), known=False, secret=truly_small)

    def _cell(self, name: str, bounds: tuple[float, float], known: bool, secret: bool) -> int:
        i = len(self.names)
        self.names.append(name)
        self.lo.append(bounds[0])
        self.hi.append(bounds[1])
        self.known.append(known)
        self.secret.append(secret)
        self.by_name[name] = i
        return i

    def add(self, parts: list[int], whole: int) -> None:
        eq: dict[int, int] = {}
        for p in parts:
            eq[p] = eq.get(p, 0) + 1
        eq[whole] = eq.get(whole, 0) - 1
        self.sums.append({k: v for k, v in eq.items() if v})

    def at_least(self, parts: list[int], whole: int) -> None:
        line: dict[int, int] = {}
        for p in parts:
            line[p] = line.get(p, 0) + 1
        line[whole] = line.get(whole, 0) - 1
        self.limits.append({k: v for k, v in line.items() if v})

    # -------------------------------------------------------------- solving

    def exactly_known(self) -> set[int]:
        """Cells whose value is fixed by the sums: e_i is in the row space of the
        sums restricted to the unknown cells (a rank test, by dense elimination,
        within each group of unknown cells that the sums tie together)."""
        unknown = [i for i in range(len(self.names)) if not self.known[i]]
        eqs = [[c for c in eq if not self.known[c]] for eq in self.sums]
        parent = {c: c for c in unknown}

        def root(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for cells in eqs:
            for c in cells[1:]:
                parent[root(c)] = root(cells[0])
        groups: dict[int, list[int]] = {}
        for c in unknown:
            groups.setdefault(root(c), []).append(c)
        found = set()
        for members in groups.values():
            col = {c: k for k, c in enumerate(members)}
            rows = []
            for eq in self.sums:
                row = [Fraction(0)] * len(members)
                for c, a in eq.items():
                    if c in col:
                        row[col[c]] += a
                if any(row):
                    rows.append(row)
            if not rows:
                continue
            # In reduced row echelon form, x_k is fixed exactly when k is a pivot
            # column whose row is zero in every free (non-pivot) column.
            reduced, pivots = _rref(rows)
            free = set(range(len(members))) - set(pivots)
            for r, k in enumerate(pivots):
                if all(reduced[r][j] == 0 for j in free):
                    found.add(members[k])
        return found

    def narrowed(self) -> set[int]:
        lo, hi = list(self.lo), list(self.hi)
        lines = [(eq, True) for eq in self.sums] + [(eq, False) for eq in self.limits]
        for _ in range(500):
            changed = False
            for eq, equal in lines:
                for c, a in eq.items():
                    if self.known[c]:
                        continue
                    # a*x_c = -sum(others), or a*x_c >= -sum(others)
                    s_lo = s_hi = 0.0
                    for d, b in eq.items():
                        if d == c:
                            continue
                        s_lo += b * (lo[d] if b > 0 else hi[d])
                        s_hi += b * (hi[d] if b > 0 else lo[d])
                    if equal:
                        new = sorted((-s_lo / a, -s_hi / a))
                    elif a > 0:
                        new = [-s_hi / a, INF]
                    else:
                        new = [-INF, -s_hi / a]
                    if new[0] > lo[c] + 1e-9:
                        lo[c] = math.ceil(new[0] - 1e-9)
                        changed = True
                    if new[1] < hi[c] - 1e-9:
                        hi[c] = math.floor(new[1] + 1e-9)
                        changed = True
            if not changed:
                break
        return {c for c in range(len(self.names)) if not self.known[c] and lo[c] == hi[c]}

    def recovered(self) -> list[str]:
        found = self.exactly_known() | self.narrowed()
        return sorted(self.names[c] for c in found if self.secret[c])


def _rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    """Gauss-Jordan elimination: the reduced rows and each one's pivot column."""
    m = [list(r) for r in rows]
    pivots: list[int] = []
    rank = 0
    cols = len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((r for r in range(rank, len(m)) if m[r][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        lead = m[rank][c]
        m[rank] = [x / lead for x in m[rank]]
        for r in range(len(m)):
            if r != rank and m[r][c] != 0:
                f = m[r][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[rank], strict=True)]
        pivots.append(c)
        rank += 1
    return m[:rank], pivots


def _earlier(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def read_report(
    reader: Reader, pub: PublishedReport, report: OversightReport, prefix: str = ""
) -> None:
    r = reader.read
    incidents = r(f"{prefix}incidents", pub.incidents)
    pupils = r(f"{prefix}pupils_with_incident", pub.pupils_with_incident)
    roll = r(f"{prefix}pupils_on_roll", pub.pupils_on_roll)
    last = r(f"{prefix}last_year_incidents", pub.last_year_incidents)
    repeated = r(f"{prefix}repeated", pub.repeated_pupils)
    once_true = report.totals.pupils_with_incident - len(report.repeated)
    once = reader.unknown(f"{prefix}once", 0 < once_true < 5)
    reader.add([repeated, once], pupils)

    for f, true in zip(pub.compliance, report.compliance, strict=True):
        count = r(f"{prefix}compliance/{f.key}/count", f.count)
        of = r(f"{prefix}compliance/{f.key}/of", f.of)
        rest = reader.unknown(f"{prefix}compliance/{f.key}/rest", 0 < true.of - true.count < 5)
        reader.add([count, rest], of)
        if not f.note:  # nothing left out: asked of every incident
            reader.add([of], incidents)

    floor = {k: reader.by_name[f"{prefix}compliance/{k}/count"] for k in (
        "floor_any", "prone", "supine", "ground")}  # fmt: skip
    reader.at_least([floor["prone"], floor["supine"], floor["ground"]], floor["floor_any"])
    for k in ("prone", "supine", "ground"):
        reader.at_least([floor["floor_any"]], floor[k])

    for table in pub.patterns:
        cells = [
            (
                r(f"{prefix}{table.key}/{row.label}/count", row.count),
                r(f"{prefix}{table.key}/{row.label}/last", row.last_year),
            )
            for row in table.rows
        ]
        if table.multi:
            for col, whole in ((0, incidents), (1, last)):
                reader.at_least([pair[col] for pair in cells], whole)
                for pair in cells:
                    reader.at_least([whole], pair[col])
        else:
            reader.add([c for c, _ in cells], incidents)
            reader.add([b for _, b in cells], last)

    weeks = [
        (
            r(f"{prefix}week/{p.start}/count", s.count),
            r(f"{prefix}week/{p.start}/last", s.last_year),
        )
        for p, s in zip(report.weekly, pub.weekly, strict=True)
    ]
    months = [
        (
            r(f"{prefix}month/{p.start}/count", s.count),
            r(f"{prefix}month/{p.start}/last", s.last_year),
        )
        for p, s in zip(report.monthly, pub.monthly, strict=True)
    ]
    for series in (weeks, months):
        reader.add([c for c, _ in series], incidents)
        reader.add([b for _, b in series], last)
    # Weeks and months that cover the same days (this year; last year, whose weeks
    # are 364 days earlier and months a year earlier).
    for col, shift, back in ((0, 0, 0), (1, 364, 1)):
        start = _earlier(report.period.start, back)
        after = _earlier(report.period.end, back) + timedelta(days=1)

        def clip(d: date, start: date = start, after: date = after) -> date:
            return min(max(d, start), after)

        w_span = [
            (clip(p.start - timedelta(days=shift)), clip(p.start - timedelta(days=shift - 7)))
            for p in report.weekly
        ]
        m_span = [
            (clip(_earlier(p.start, back)), clip(_earlier(_next_month(p.start), back)))
            for p in report.monthly
        ]
        cuts = sorted({a for a, _ in w_span} & {a for a, _ in m_span} | {start, after})
        for a, b in pairwise(cuts):
            w = [weeks[i][col] for i, (x, y) in enumerate(w_span) if a <= x < y <= b]
            m = [months[i][col] for i, (x, y) in enumerate(m_span) if a <= x < y <= b]
            if w and m:
                reader.sums.append({**{c: 1 for c in w}, **{c: -1 for c in m}})

    by_key: dict[str, list[list[int]]] = {}
    for characteristic in pub.disproportionality:
        cols: list[list[int]] = [[], [], []]
        for g in characteristic.groups:
            base = f"{prefix}{characteristic.key}/{g.group_label}"
            cols[0].append(r(f"{base}/on_roll", g.on_roll))
            cols[1].append(r(f"{base}/with_incident", g.with_incident))
            cols[2].append(r(f"{base}/incidents", g.incidents))
        reader.add(cols[0], roll)
        reader.add(cols[1], pupils)
        reader.add(cols[2], incidents)
        by_key[characteristic.key] = cols
    # A major ethnic group is the sum of its detailed codes (the census's own list).
    if "ethnic_group" in by_key and "ethnicity" in by_key:
        tables = {t.key: t for t in report.disproportionality}
        detail_keys = [g.group for g in tables["ethnicity"].groups]
        for row, major in enumerate(tables["ethnic_group"].groups):
            members = [
                k
                for k, code in enumerate(detail_keys)
                if (ETHNICITY_CODES[code][1].value if code in ETHNICITY_CODES else code)
                == major.group
            ]
            for col in range(3):
                reader.add(
                    [by_key["ethnicity"][col][k] for k in members],
                    by_key["ethnic_group"][col][row],
                )

    for i, (spub, srep) in enumerate(zip(pub.schools, report.schools, strict=True)):
        read_report(reader, spub, srep, f"{prefix}school{i}/")
    if pub.schools:
        mine = [
            n for n in reader.by_name if n.startswith(prefix) and "school" not in n[len(prefix) :]
        ]
        for name in mine:
            tail = name[len(prefix) :]
            parts = [
                reader.by_name[f"{prefix}school{i}/{tail}"]
                for i in range(len(pub.schools))
                if f"{prefix}school{i}/{tail}" in reader.by_name
            ]
            if parts:
                reader.add(parts, reader.by_name[name])


def recovered(pub: PublishedReport, report: OversightReport) -> list[str]:
    reader = Reader()
    read_report(reader, pub, report)
    return reader.recovered()
