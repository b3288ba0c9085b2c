"""Small-number suppression: ``publish(report)`` turns the true figures into what may
be printed or exported. The rules are written out for people in
``docs/oversight-suppression.md``; in short:

1. **Primary.** Every count from 1 to ``hide_below - 1`` shows as "fewer than 5".
   0 shows as "0".
2. **Secondary.** The published counts are tied together by sums a reader can do:
   a table's rows add up to its total; a yes/no group and "all other pupils" add up
   to all pupils; a compliance count and the incidents it misses add up to the
   incidents asked about; the weeks add up to the months they make up; a trust's
   schools add up to the trust. Each such sum is an *equation*. A hidden count must
   not be recoverable from them, either by subtraction (any combination of the
   equations: checked exactly, by linear algebra) or by the limits a reader knows
   ("fewer than 5" is 1 to 4; checked by narrowing each hidden count's range through
   the equations until nothing changes). Where a hidden count could be worked out,
   the smallest shown count next to it in the same sum is hidden as well ("not
   shown"), and the check runs again, until nothing hidden can be worked out.
3. **Derived figures.** A percentage, rate or ratio worked out from a hidden count
   shows "not shown"; so does a group's rate where its pupils on roll are hidden.

Counts a reader can work out but that are not printed (the incidents a compliance
figure misses, the pupils with only one incident) are protected too: where one is
from 1 to 4, it must not be recoverable either.

A reader is taken to know: every shown count exactly; that "fewer than 5" is 1 to 4;
that "not shown" may be any number, 0 included (secondary suppression may hide a 0,
and where nothing else protects a small count the "fewer than 5" cells of that sum
show "not shown" too); and every sum above. Pure: no I/O, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.oversight.disproportionality import (
    COMPARISON_REASON,
    NOT_RECORDED,
    ratio_text,
)
from incident_recorder.domain.oversight.figures import OversightReport, SeriesPoint
from incident_recorder.domain.oversight.published import (
    PublishedCharacteristic,
    PublishedCompliance,
    PublishedGroup,
    PublishedPattern,
    PublishedPatternRow,
    PublishedReport,
    PublishedSeriesPoint,
    Shown,
)

NOT_SHOWN = "not shown"
NONE = "–"  # a percentage or rate of nothing (no incidents asked about, no pupils on roll)
HIDDEN_REASON = "Not shown, so that a small number cannot be worked out."
_INF = math.inf


# ------------------------------------------------------------------ the sheet of cells


@dataclass(slots=True)
class _Sheet:
    """Every count of a report (and of a trust's schools) as cells, with the sums that
    tie them together. A cell is *printed* (a figure on paper), *virtual* (not printed
    but worked out by a reader: always unknown to them) or *known* (not printed, but
    taken as known to the reader to be safe, e.g. a table's own total)."""

    hide_below: int
    values: list[int] = field(default_factory=list)
    printed: list[bool] = field(default_factory=list)
    virtual: list[bool] = field(default_factory=list)
    total: list[bool] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    wide: list[bool] = field(default_factory=list)  # hidden as "not shown" (0 upwards)
    paths: dict[str, int] = field(default_factory=dict)
    equations: list[tuple[tuple[int, int], ...]] = field(default_factory=list)
    # sum(a_i x_i) >= 0: limits a reader also knows (a technique row is at most the
    # total; every incident is in at least one row; a prone hold is a hold on the floor)
    inequalities: list[tuple[tuple[int, int], ...]] = field(default_factory=list)
    broken: int = 0  # sums that did not hold (left out; none in a consistent report)
    solved: dict[object, frozenset[int]] = field(default_factory=dict)  # cache, per group

    def _add(self, path: str, value: int, printed: bool, virtual: bool, total: bool) -> int:
        i = len(self.values)
        self.values.append(value)
        self.printed.append(printed)
        self.virtual.append(virtual)
        self.total.append(total)
        small = 0 < value < self.hide_below
        self.hidden.append(virtual or (printed and small))
        self.wide.append(virtual)
        if path:
            self.paths[path] = i
        return i

    def cell(self, path: str, value: int, *, total: bool = False) -> int:
        return self._add(path, value, True, False, total)

    def unprinted(self, path: str, value: int) -> int:
        """A count a reader can work out from printed ones (always unknown to them)."""
        return self._add(path, value, False, True, False)

    def known(self, path: str, value: int) -> int:
        """A sum not printed, taken as known to the reader (the safe assumption)."""
        return self._add(path, value, False, False, True)

    def sums_to(self, parts: Iterable[int], whole: int) -> None:
        """``sum(parts) == whole``."""
        terms = [(c, 1) for c in parts]
        terms.append((whole, -1))
        self.equation(terms)

    def equation(self, terms: Sequence[tuple[int, int]]) -> None:
        merged: dict[int, int] = {}
        for c, a in terms:
            merged[c] = merged.get(c, 0) + a
        eq = tuple((c, a) for c, a in merged.items() if a)
        if sum(self.values[c] * a for c, a in eq) != 0:
            self.broken += 1
        elif len(eq) > 1:
            self.equations.append(eq)

    def at_least(self, parts: Iterable[int], whole: int) -> None:
        """``sum(parts) >= whole``."""
        merged: dict[int, int] = {}
        for c in parts:
            merged[c] = merged.get(c, 0) + 1
        merged[whole] = merged.get(whole, 0) - 1
        line = tuple((c, a) for c, a in merged.items() if a)
        if sum(self.values[c] * a for c, a in line) < 0:
            self.broken += 1
        elif len(line) > 1:
            self.inequalities.append(line)

    def lines(self) -> list[tuple[tuple[int, int], ...]]:
        """Every sum and every limit, sums first."""
        return self.equations + self.inequalities

    def alias_or_known(self, path: str, value: int, headline: int) -> int:
        """A sum not printed: the same as a headline figure when it equals it (then
        a reader knows it exactly when, and only when, the headline is shown),
        otherwise taken as known to the reader."""
        if value == self.values[headline]:
            c = self.unprinted(path, value)
            self.sums_to((c,), headline)
            return c
        return self.known(path, value)

    def sensitive(self, c: int) -> bool:
        """A cell that must not be recoverable: a hidden printed count, or an
        unprinted one from 1 to hide_below - 1."""
        if self.virtual[c]:
            return 0 < self.values[c] < self.hide_below
        return self.printed[c] and self.hidden[c]

    def unknown(self, c: int) -> bool:
        return self.hidden[c]

    def bounds(self, c: int) -> tuple[float, float]:
        if not self.hidden[c]:
            return (self.values[c], self.values[c])
        if self.wide[c]:
            return (0, _INF)
        return (1, self.hide_below - 1)


# ------------------------------------------------------------------ the audit


def _linear_determined(sheet: _Sheet) -> set[int]:
    """Unknown cells whose value follows from the equations by any combination of
    them (subtraction included): exact, by reduced row echelon form over the unknowns.

    Each group of unknown cells tied together by the sums is solved on its own (and
    remembered between rounds while it does not change). A sum with an unprinted count
    that nothing needs protecting and that no other sum contains can always be made to
    hold by that count alone, so it tells a reader nothing: such sums are left out
    first (repeatedly), which keeps the groups small."""
    rows = [{c: a for c, a in eq if sheet.hidden[c]} for eq in sheet.equations]
    rows = [r for r in rows if r]
    uses: dict[int, int] = {}
    for r in rows:
        for c in r:
            uses[c] = uses.get(c, 0) + 1
    live = [True] * len(rows)
    changed = True
    while changed:
        changed = False
        for k, r in enumerate(rows):
            if live[k] and any(
                uses[c] == 1 and sheet.virtual[c] and not sheet.sensitive(c) for c in r
            ):
                live[k] = False
                changed = True
                for c in r:
                    uses[c] -= 1
    kept = [r for k, r in enumerate(rows) if live[k]]
    # Groups of unknown cells tied by the kept sums.
    parent: dict[int, int] = {}

    def root(c: int) -> int:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in kept:
        first, *others = r
        for c in others:
            parent[root(c)] = root(first)
    groups: dict[int, list[dict[int, int]]] = {}
    for r in kept:
        groups.setdefault(root(next(iter(r))), []).append(r)
    found: set[int] = set()
    for members in groups.values():
        key = tuple(sorted(tuple(sorted(r.items())) for r in members))
        known = sheet.solved.get(key)
        if known is None:
            known = frozenset(_solve(members))
            sheet.solved[key] = known
        found |= known
    return found


def _solve(rows: Sequence[dict[int, int]]) -> set[int]:
    pivots: dict[int, dict[int, Fraction]] = {}
    for eq in rows:
        row = {c: Fraction(a) for c, a in eq.items()}
        for p in [c for c in row if c in pivots]:
            factor = row.get(p)
            if factor is None:
                continue
            for c, v in pivots[p].items():
                nv = row.get(c, Fraction(0)) - factor * v
                if nv:
                    row[c] = nv
                else:
                    row.pop(c, None)
        if not row:
            continue
        col = min(row)
        lead = row[col]
        row = {c: v / lead for c, v in row.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor is None:
                continue
            for c, v in row.items():
                nv = other.get(c, Fraction(0)) - factor * v
                if nv:
                    other[c] = nv
                else:
                    other.pop(c, None)
        pivots[col] = row
    return {p for p, row in pivots.items() if len(row) == 1}


def _interval_determined(sheet: _Sheet) -> set[int]:
    """Unknown cells whose range, narrowed through the sums and limits from what a
    reader knows of each cell, comes down to a single value. Each group of unknown
    cells tied together is narrowed on its own, and remembered while it does not
    change."""
    lines = sheet.lines()
    n_eq = len(sheet.equations)
    ids = [k for k, line in enumerate(lines) if any(sheet.hidden[c] for c, _ in line)]
    parent: dict[int, int] = {}

    def root(c: int) -> int:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for k in ids:
        unknown = [c for c, _ in lines[k] if sheet.hidden[c]]
        for c in unknown[1:]:
            parent[root(c)] = root(unknown[0])
    groups: dict[int, list[int]] = {}
    for k in ids:
        first = next(c for c, _ in lines[k] if sheet.hidden[c])
        groups.setdefault(root(first), []).append(k)
    found: set[int] = set()
    for members in groups.values():
        cells = sorted({c for k in members for c, _ in lines[k] if sheet.hidden[c]})
        key = ("ranges", tuple(members), tuple(sheet.wide[c] for c in cells), tuple(cells))
        known = sheet.solved.get(key)
        if known is None:
            eqs = [lines[k] for k in members if k < n_eq]
            limits = [lines[k] for k in members if k >= n_eq]
            known = frozenset(_narrow(sheet, eqs, limits))
            sheet.solved[key] = known
        found |= known
    return found


_Line = tuple[tuple[int, int], ...]


def _narrow(sheet: _Sheet, eqs: Sequence[_Line], limits: Sequence[_Line]) -> set[int]:
    lo: dict[int, float] = {}
    hi: dict[int, float] = {}
    for line in (*eqs, *limits):
        for c, _ in line:
            if c not in lo:
                lo[c], hi[c] = sheet.bounds(c)
    tagged = [(line, True) for line in eqs] + [(line, False) for line in limits]
    for _ in range(1_000):
        changed = False
        for line, equal in tagged:
            # sum(a_i x_i) = 0 (or >= 0): each term's range, then each cell's from
            # the others'.
            t_lo = [lo[c] if a > 0 else -hi[c] for c, a in line]
            t_hi = [hi[c] if a > 0 else -lo[c] for c, a in line]
            s_lo = sum(t_lo)
            s_hi = sum(t_hi)
            for k, (c, a) in enumerate(line):
                if not sheet.hidden[c]:
                    continue
                # others' sum range (guard inf - inf by recomputing when infinite)
                o_lo = s_lo - t_lo[k] if math.isfinite(t_lo[k]) else _sum_except(t_lo, k)
                o_hi = s_hi - t_hi[k] if math.isfinite(t_hi[k]) else _sum_except(t_hi, k)
                # a * x = -(others), or a * x >= -(others): a * x >= -o_hi at least
                if a > 0:
                    new_lo, new_hi = -o_hi, (-o_lo if equal else _INF)
                else:
                    new_lo, new_hi = (o_lo if equal else -_INF), o_hi
                if new_lo > lo[c]:
                    lo[c] = math.ceil(new_lo)
                    changed = True
                if new_hi < hi[c]:
                    hi[c] = math.floor(new_hi)
                    changed = True
        if not changed:
            break
    return {c for c in lo if sheet.hidden[c] and lo[c] == hi[c]}


def _sum_except(values: Sequence[float], k: int) -> float:
    return sum(v for i, v in enumerate(values) if i != k)


def recoverable(sheet: _Sheet) -> set[int]:
    """The cells that must not be recoverable but are."""
    found = _linear_determined(sheet) | _interval_determined(sheet)
    return {c for c in found if sheet.sensitive(c)}


def _protect(sheet: _Sheet) -> None:
    """Secondary suppression, repeated until nothing sensitive can be worked out.
    Each round fixes at most one exposed cell per sum, then the audit runs again."""
    by_cell: dict[int, list[int]] = {}
    for k, line in enumerate(sheet.lines()):
        for c, _ in line:
            by_cell.setdefault(c, []).append(k)
    given_up: set[int] = set()
    while True:
        exposed = recoverable(sheet) - given_up
        if not exposed:
            return
        touched: set[int] = set()
        for c in sorted(exposed):
            ks = by_cell.get(c, [])
            if touched.intersection(ks):
                continue
            touched.update(ks)
            if not _hide_next_to(sheet, ks) and not _hide_component(sheet, c, by_cell):
                given_up.add(c)  # nothing printed is left to hide around it


def _hide(sheet: _Sheet, pick: int) -> None:
    sheet.hidden[pick] = True
    sheet.wide[pick] = True


def _hide_next_to(sheet: _Sheet, eq_ids: Sequence[int]) -> bool:
    """Hide the smallest shown count in the sum with fewest hidden cells (not a
    total if there is another choice; a 0 only if nothing else is left); failing
    that, show the sums' "fewer than 5" cells as "not shown". False if nothing
    could be done."""
    lines = sheet.lines()
    eqs = sorted(
        (lines[k] for k in eq_ids),
        key=lambda eq: sum(1 for x, _ in eq if sheet.hidden[x]),
    )

    def smallest(allow_totals: bool) -> int | None:
        for eq in eqs:
            found = [
                x
                for x, _ in eq
                if sheet.printed[x] and not sheet.hidden[x] and (allow_totals or not sheet.total[x])
            ]
            if found:
                return min(found, key=lambda x: (sheet.values[x] == 0, sheet.values[x], x))
        return None

    pick = smallest(False)
    if pick is not None:
        _hide(sheet, pick)
        return True
    narrow = [x for eq in eqs for x, _ in eq if sheet.hidden[x] and not sheet.wide[x]]
    if narrow:
        for x in narrow:
            sheet.wide[x] = True
        return True
    pick = smallest(True)
    if pick is not None:
        _hide(sheet, pick)
        return True
    return False


def _hide_component(sheet: _Sheet, c: int, by_cell: dict[int, list[int]]) -> bool:
    """The last resort: hide every printed count tied to ``c`` by any chain of sums."""
    lines = sheet.lines()
    seen = {c}
    todo = [c]
    changed = False
    while todo:
        x = todo.pop()
        for k in by_cell.get(x, []):
            for y, _ in lines[k]:
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
    for y in seen:
        if sheet.printed[y] and (not sheet.hidden[y] or not sheet.wide[y]):
            _hide(sheet, y)
            changed = True
    return changed


# ------------------------------------------------------------------ building the sheet


@dataclass(slots=True)
class _Layout:
    """Where each published number of one report sits on the sheet."""

    headline: dict[str, int]
    compliance: list[tuple[int, int]]  # (count, of)
    patterns: list[list[tuple[int, int]]]  # per table, per row: (count, last_year)
    weekly: list[tuple[int, int]]
    monthly: list[tuple[int, int]]
    groups: list[list[tuple[int, int, int]]]  # per table, per group: (roll, with, incidents)
    schools: list[_Layout]


def _series(
    sheet: _Sheet, prefix: str, name: str, points: Sequence[SeriesPoint], lay: dict[str, int]
) -> list[tuple[int, int]]:
    cells = [
        (
            sheet.cell(f"{prefix}{name}/{p.start.isoformat()}/count", p.count),
            sheet.cell(f"{prefix}{name}/{p.start.isoformat()}/last_year", p.last_year),
        )
        for p in points
    ]
    sheet.sums_to((c for c, _ in cells), lay["incidents"])
    before = sheet.alias_or_known(
        f"{prefix}{name}/last_year_total",
        sum(p.last_year for p in points),
        lay["last_year_incidents"],
    )
    sheet.sums_to((b for _, b in cells), before)
    return cells


def _weeks_and_months(
    sheet: _Sheet,
    report: OversightReport,
    weekly: Sequence[tuple[int, int]],
    monthly: Sequence[tuple[int, int]],
) -> None:
    """Where a run of weeks covers exactly the same days as a run of months (a month
    starting on a Monday, or the period's own ends), the weeks' counts add up to the
    months': a sum a reader can use. The same for last year's columns, whose weeks are
    52 weeks earlier and whose months a year earlier. (A sum is only added where it
    holds: one that holds by chance only protects more.)"""
    if not report.weekly or not report.monthly:
        return
    period = report.period
    year = timedelta(days=364)
    for col, w_shift, m_back, window in (
        (0, timedelta(0), 0, (period.start, period.end)),
        (1, year, 1, (_year_earlier(period.start), _year_earlier(period.end))),
    ):
        start, after = window[0], window[1] + timedelta(days=1)

        def clip(d: date, start: date = start, after: date = after) -> date:
            return min(max(d, start), after)

        weeks = [
            (clip(p.start - w_shift), clip(p.start - w_shift + timedelta(days=7)))
            for p in report.weekly
        ]
        months = [
            (
                clip(_year_earlier(p.start, m_back)),
                clip(_year_earlier(_next_month(p.start), m_back)),
            )
            for p in report.monthly
        ]
        common = {x for x, _ in weeks} & {x for x, _ in months}
        edges = sorted(common | {start, after})
        for a, b in pairwise(edges):
            w = [weekly[i][col] for i, (x, y) in enumerate(weeks) if a <= x and y <= b and x < y]
            m = [monthly[i][col] for i, (x, y) in enumerate(months) if a <= x and y <= b and x < y]
            if w and m:
                sheet.equation([(c, 1) for c in w] + [(c, -1) for c in m])


def _year_earlier(d: date, years: int = 1) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _ethnic_groups_add_up(
    sheet: _Sheet, report: OversightReport, groups: Sequence[Sequence[tuple[int, int, int]]]
) -> None:
    """The detailed ethnicity codes of a major group add up to the group: a reader
    knows which code is in which group."""
    tables = {t.key: (t, cells) for t, cells in zip(report.disproportionality, groups, strict=True)}
    if "ethnic_group" not in tables or "ethnicity" not in tables:
        return
    major, major_cells = tables["ethnic_group"]
    detail, detail_cells = tables["ethnicity"]
    parts: dict[str, list[tuple[int, int, int]]] = {}
    for g, cells in zip(detail.groups, detail_cells, strict=True):
        entry = ETHNICITY_CODES.get(g.group)
        parent = entry[1].value if entry else (NOT_RECORDED if g.group == NOT_RECORDED else "")
        if parent:
            parts.setdefault(parent, []).append(cells)
    for g, cells in zip(major.groups, major_cells, strict=True):
        for col in range(3):
            sheet.sums_to((p[col] for p in parts.get(g.group, [])), cells[col])


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _build(sheet: _Sheet, report: OversightReport, prefix: str) -> _Layout:
    t = report.totals
    headline = {
        "incidents": sheet.cell(f"{prefix}headline/incidents", t.incidents, total=True),
        "pupils_with_incident": sheet.cell(
            f"{prefix}headline/pupils_with_incident", t.pupils_with_incident, total=True
        ),
        "pupils_on_roll": sheet.cell(
            f"{prefix}headline/pupils_on_roll", t.pupils_on_roll, total=True
        ),
        "last_year_incidents": sheet.cell(
            f"{prefix}headline/last_year_incidents", t.last_year_incidents, total=True
        ),
        "repeated_pupils": sheet.cell(f"{prefix}headline/repeated_pupils", len(report.repeated)),
    }
    # Pupils with exactly one incident = pupils with an incident - pupils with more.
    once = sheet.unprinted(
        f"{prefix}headline/pupils_once", t.pupils_with_incident - len(report.repeated)
    )
    sheet.sums_to((headline["repeated_pupils"], once), headline["pupils_with_incident"])

    compliance = []
    for f in report.compliance:
        of = sheet.cell(f"{prefix}compliance/{f.key}/of", f.of, total=True)
        if f.of == t.incidents:
            sheet.sums_to((of,), headline["incidents"])
        count = sheet.cell(f"{prefix}compliance/{f.key}/count", f.count)
        rest = sheet.unprinted(f"{prefix}compliance/{f.key}/rest", f.of - f.count)
        sheet.sums_to((count, rest), of)
        compliance.append((count, of))
    # A hold in a floor position is a hold on the floor, and every hold on the floor
    # was in at least one of the positions.
    counts = {f.key: c for f, (c, _) in zip(report.compliance, compliance, strict=True)}
    if {"floor_any", "prone", "supine", "ground"} <= set(counts):
        positions = [counts["prone"], counts["supine"], counts["ground"]]
        sheet.at_least(positions, counts["floor_any"])
        for c in positions:
            sheet.at_least((counts["floor_any"],), c)

    patterns: list[list[tuple[int, int]]] = []
    for table in report.patterns:
        cells = [
            (
                sheet.cell(f"{prefix}pattern/{table.key}/{row.label.casefold()}/count", row.count),
                sheet.cell(
                    f"{prefix}pattern/{table.key}/{row.label.casefold()}/last_year", row.last_year
                ),
            )
            for row in table.rows
        ]
        if table.multi:
            # Every incident is in at least one row, and no row has more than all.
            for col, whole in ((0, headline["incidents"]), (1, headline["last_year_incidents"])):
                sheet.at_least((pair[col] for pair in cells), whole)
                for pair in cells:
                    sheet.at_least((whole,), pair[col])
        else:
            sheet.sums_to((c for c, _ in cells), headline["incidents"])
            sheet.sums_to((b for _, b in cells), headline["last_year_incidents"])
        patterns.append(cells)

    weekly = _series(sheet, prefix, "weekly", report.weekly, headline)
    monthly = _series(sheet, prefix, "monthly", report.monthly, headline)
    _weeks_and_months(sheet, report, weekly, monthly)

    groups: list[list[tuple[int, int, int]]] = []
    for characteristic in report.disproportionality:
        trio: list[tuple[int, int, int]] = []
        for g in characteristic.groups:
            base = f"{prefix}group/{characteristic.key}/{g.group}"
            three = (
                sheet.cell(f"{base}/on_roll", g.on_roll),
                sheet.cell(f"{base}/with_incident", g.with_incident),
                sheet.cell(f"{base}/incidents", g.incidents),
            )
            if 0 < g.with_incident < sheet.hide_below:
                # The incidents of fewer than 5 pupils are those pupils' own (one pupil
                # of a small group, held 23 times): hidden with the count of pupils.
                _hide(sheet, three[2])
            trio.append(three)
        for col, name, whole_key in (
            (0, "on_roll", "pupils_on_roll"),
            (1, "with_incident", "pupils_with_incident"),
            (2, "incidents", "incidents"),
        ):
            whole = sheet.alias_or_known(
                f"{prefix}group/{characteristic.key}/total/{name}",
                sum(sheet.values[c[col]] for c in trio),
                headline[whole_key],
            )
            sheet.sums_to((c[col] for c in trio), whole)
        groups.append(trio)
    _ethnic_groups_add_up(sheet, report, groups)

    own = [p for p in sheet.paths if p.startswith(prefix)]
    schools = [
        _build(sheet, school, f"{prefix}@school{i}/") for i, school in enumerate(report.schools)
    ]
    if report.schools:
        # A trust's figure is the sum of its schools' same figures.
        for path in own:
            tail = path[len(prefix) :]
            parts = [
                sheet.paths[f"{prefix}@school{i}/{tail}"]
                for i in range(len(report.schools))
                if f"{prefix}@school{i}/{tail}" in sheet.paths
            ]
            if parts:
                sheet.sums_to(parts, sheet.paths[path])
    return _Layout(headline, compliance, patterns, weekly, monthly, groups, schools)


# ------------------------------------------------------------------ publishing


def _count(sheet: _Sheet, c: int) -> Shown:
    if not sheet.hidden[c]:
        return Shown(f"{sheet.values[c]:,}")
    if sheet.wide[c]:
        return Shown(NOT_SHOWN, hidden=True)
    return Shown(f"fewer than {sheet.hide_below}", hidden=True)


def half_up(x: float, places: int) -> str:
    """``x`` to ``places`` decimal places, halves rounded up (12.5% shows as 13%), as
    people round by hand; a tiny allowance absorbs binary fractions (66.65 -> 66.7)."""
    scale = 10**places
    n = math.floor(x * scale + 0.5 + 1e-9)
    return f"{n / scale:.{places}f}"


def _derived(text: str, *hidden: bool) -> Shown:
    return Shown(NOT_SHOWN, hidden=True) if any(hidden) else Shown(text)


def _render(sheet: _Sheet, report: OversightReport, lay: _Layout) -> PublishedReport:
    h = sheet.hidden
    compliance = []
    for f, (count, of) in zip(report.compliance, lay.compliance, strict=True):
        pct = f.percent
        compliance.append(
            PublishedCompliance(
                key=f.key,
                label=f.label,
                count=_count(sheet, count),
                of=_count(sheet, of),
                percent=_derived(NONE if pct is None else f"{half_up(pct, 0)}%", h[count], h[of]),
                note=f.note,
            )
        )
    patterns = [
        PublishedPattern(
            key=table.key,
            title=table.title,
            rows=tuple(
                PublishedPatternRow(row.label, _count(sheet, c), _count(sheet, b))
                for row, (c, b) in zip(table.rows, cells, strict=True)
            ),
            multi=table.multi,
        )
        for table, cells in zip(report.patterns, lay.patterns, strict=True)
    ]

    def series(
        points: Sequence[SeriesPoint], cells: Sequence[tuple[int, int]]
    ) -> tuple[PublishedSeriesPoint, ...]:
        return tuple(
            PublishedSeriesPoint(p.label, _count(sheet, c), _count(sheet, b), p.start)
            for p, (c, b) in zip(points, cells, strict=True)
        )

    characteristics = []
    for table, cells in zip(report.disproportionality, lay.groups, strict=True):
        rows = []
        for g, (roll, with_, n) in zip(table.groups, cells, strict=True):
            rate = g.rate_per_100
            per = g.incidents_per_100
            masked = h[roll] or h[with_]
            if g.ratio is not None:
                ratio = _derived(ratio_text(g.ratio), masked)
            else:
                plain = g.no_ratio_reason == COMPARISON_REASON or not masked
                ratio = Shown(g.no_ratio_reason if plain else HIDDEN_REASON, hidden=masked)
            rows.append(
                PublishedGroup(
                    characteristic_label=g.characteristic_label,
                    group_label=g.group_label,
                    on_roll=_count(sheet, roll),
                    with_incident=_count(sheet, with_),
                    incidents=_count(sheet, n),
                    rate_per_100=_derived(NONE if rate is None else half_up(rate, 1), masked),
                    incidents_per_100=_derived(
                        NONE if per is None else half_up(per, 1), h[roll], h[n]
                    ),
                    ratio=ratio,
                    reading="" if masked and g.ratio is not None else g.reading,
                    flagged=bool(g.ratio and g.ratio.flagged and not masked),
                )
            )
        characteristics.append(PublishedCharacteristic(table.key, table.label, tuple(rows)))

    hl = lay.headline
    return PublishedReport(
        period=report.period,
        school=report.school,
        incidents=_count(sheet, hl["incidents"]),
        pupils_with_incident=_count(sheet, hl["pupils_with_incident"]),
        pupils_on_roll=_count(sheet, hl["pupils_on_roll"]),
        last_year_incidents=_count(sheet, hl["last_year_incidents"]),
        repeated_pupils=_count(sheet, hl["repeated_pupils"]),
        compliance=tuple(compliance),
        patterns=tuple(patterns),
        weekly=series(report.weekly, lay.weekly),
        monthly=series(report.monthly, lay.monthly),
        disproportionality=tuple(characteristics),
        schools=tuple(
            _render(sheet, school, school_lay)
            for school, school_lay in zip(report.schools, lay.schools, strict=True)
        ),
        term_starts=report.term_starts,
        rules=report.rules,
    )


def _sheet(report: OversightReport) -> tuple[_Sheet, _Layout]:
    sheet = _Sheet(hide_below=max(report.rules.hide_below, 1))
    layout = _build(sheet, report, "")
    _protect(sheet)
    return sheet, layout


def publish(report: OversightReport) -> PublishedReport:
    """The report as it may be printed or exported: small numbers suppressed.

    Every list in the result lines up index for index with the report's own
    (compliance, each pattern's rows, weeks, months, each characteristic's groups,
    schools), so a screen showing the true figures can mark those that paper hides
    with ``published....hidden``."""
    sheet, layout = _sheet(report)
    return _render(sheet, report, layout)


def hidden_cells(report: OversightReport) -> frozenset[str]:
    """The paths of the printed counts that paper hides ("pattern/location/hall/count",
    "group/sen/ehcp/with_incident", "weekly/2026-09-07/count", ...)."""
    sheet, _ = _sheet(report)
    return frozenset(p for p, c in sheet.paths.items() if sheet.printed[c] and sheet.hidden[c])
