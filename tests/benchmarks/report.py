"""A benchmark figure beside its floor and target, printed as a table and saved as JSON."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Target(Enum):
    RATIO = "ratio"  # figure / floor <= limit
    OVER_FLOOR = "over_floor"  # figure - floor <= limit (ms)
    AT_MOST = "at_most"  # figure <= limit (in the row's unit)


@dataclass
class Row:
    name: str
    target: Target
    limit: float
    unit: str = "ms"
    samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)
    floor_name: str = ""
    note: str = ""
    # A figure that cannot be measured yet (e.g. the parent letter before issue 5).
    missing: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def figure(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def floor(self) -> float | None:
        return statistics.median(self.floor_samples) if self.floor_samples else None

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.floor:
            return None
        return self.figure / self.floor

    @property
    def target_text(self) -> str:
        if self.target is Target.RATIO:
            return f"ratio ≤ {self.limit:g}"
        if self.target is Target.OVER_FLOOR:
            return f"≤ floor + {self.limit:g} {self.unit}"
        return f"≤ {self.limit:g} {self.unit}"

    @property
    def verdict(self) -> str:
        figure = self.figure
        if self.missing or figure is None:
            return "not built" if self.missing else "no figure"
        if self.target is Target.RATIO:
            ratio = self.ratio
            if ratio is None:
                return "no floor"
            ok = ratio <= self.limit
        elif self.target is Target.OVER_FLOOR:
            floor = self.floor
            if floor is None:
                return "no floor"
            ok = figure - floor <= self.limit
        else:
            ok = figure <= self.limit
        return "pass" if ok else "MISS"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "figure": _round(self.figure),
            "floor": _round(self.floor),
            "floor_name": self.floor_name,
            "ratio": _round(self.ratio, 3),
            "target": {"kind": self.target.value, "limit": self.limit, "text": self.target_text},
            "verdict": self.verdict,
            "missing": self.missing or None,
            "samples": [_round(s) for s in self.samples],
            "floor_samples": [_round(s) for s in self.floor_samples],
            "note": self.note,
            **({"extra": self.extra} if self.extra else {}),
        }


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> str:
    """The figures as a plain-text table, one row a line, notes underneath."""
    head = ("figure", "median", "floor", "ratio", "target", "result")
    lines: list[tuple[str, ...]] = [head]
    notes: list[str] = []
    for row in rows:
        figure = row.missing if row.missing else _number(row.figure, row.unit)
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            (row.name, figure, _number(row.floor, row.unit), ratio, row.target_text, row.verdict)
        )
        if row.note:
            notes.append(f"  {row.name}: {row.note}")
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.ljust(widths[i]) if i in (0, 4, 5) else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    if notes:
        out += ["", "Notes:", *notes]
    return "\n".join(out)


def markdown(rows: list[Row]) -> str:
    """The same table in Markdown, for docs/performance.md."""
    out = [
        "| figure | median | floor | ratio | target | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        figure = row.missing if row.missing else _number(row.figure, row.unit)
        floor = _number(row.floor, row.unit)
        if row.floor_name and row.floor is not None:
            floor += f" ({row.floor_name})"
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        out.append(
            f"| {row.name} | {figure} | {floor} | {ratio} | {row.target_text} | {row.verdict} |"
        )
    return "\n".join(out)


def write_json(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {**meta, "rows": [row.as_json() for row in rows]}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
