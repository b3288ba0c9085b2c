"""The report as JSON (``docs/oversight-json.md``), and the inputs' fingerprint.

``report_json(report)`` holds every figure on the Reports screen with its numerator,
denominator and (for risk ratios) interval, so other tools can check the sums. Keys
come in a fixed order; floats are rounded to 6 decimal places. Each count also says
whether paper hides it (``hidden_on_paper``) and what paper shows (``on_paper``).

It holds the true figures, small numbers included, as the screen does. For anything
shared, use ``report_json(report, suppressed=True)``: every count, rate and ratio that
paper hides is then null (its ``on_paper`` text says why).

``inputs_fingerprint(inputs)`` is the SHA-256 (hex) of a canonical serialisation of
everything the figures are made from: the same inputs give the same fingerprint
whatever their order and on any machine; any change to a figure's input changes it.
Pupils' names (and whether the viewer sees them) are left out: they change no figure.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import date, time
from operator import attrgetter
from typing import Any

from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    PupilFacts,
    ReportInputs,
)
from incident_recorder.domain.oversight.figures import GroupRow, OversightReport, SeriesPoint
from incident_recorder.domain.oversight.published import (
    PublishedGroup,
    PublishedReport,
    PublishedSeriesPoint,
    Shown,
)
from incident_recorder.domain.oversight.suppression import publish

FORMAT = "incident-recorder-oversight"
VERSION = 1
PLACES = 6
METHOD = "Risk ratio against all other pupils on roll; 95% CI by Katz's log method"

JSON = dict[str, Any]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, PLACES)


class _Writer:
    def __init__(self, suppressed: bool) -> None:
        self.suppressed = suppressed

    def count(self, value: int, shown: Shown) -> JSON:
        hide = self.suppressed and shown.hidden
        return {
            "value": None if hide else value,
            "hidden_on_paper": shown.hidden,
            "on_paper": shown.text,
        }

    def fraction(
        self, numerator: float, denominator: float, value: float | None, shown: Shown
    ) -> JSON:
        """``value`` = 100 * numerator / denominator (a percentage or a rate per 100)."""
        hide = self.suppressed and shown.hidden
        return {
            "numerator": None if hide else _r(numerator),
            "denominator": None if hide else _r(denominator),
            "per": 100,
            "value": None if hide else _r(value),
            "interval": None,
            "hidden_on_paper": shown.hidden,
            "on_paper": shown.text,
        }

    def series(
        self, points: Sequence[SeriesPoint], shown: Sequence[PublishedSeriesPoint]
    ) -> list[JSON]:
        return [
            {
                "start": p.start.isoformat(),
                "label": p.label,
                "count": self.count(p.count, s.count),
                "last_year": self.count(p.last_year, s.last_year),
            }
            for p, s in zip(points, shown, strict=True)
        ]

    def group(self, g: GroupRow, s: PublishedGroup) -> JSON:
        hide_ratio = self.suppressed and s.ratio.hidden
        ratio: JSON | None = None
        if g.ratio is not None and not hide_ratio:
            ratio = {
                "value": _r(g.ratio.ratio),
                "interval": [_r(g.ratio.low), _r(g.ratio.high)],
                "level": 0.95,
                "method": METHOD,
                "a": g.with_incident,
                "n1": _r(g.on_roll_equivalent),
                "c": g.others_with_incident,
                "n0": _r(g.others_on_roll_equivalent),
                "flagged": g.ratio.flagged,
            }
        return {
            "group": g.group,
            "label": g.group_label,
            "on_roll": self.count(g.on_roll, s.on_roll),
            "on_roll_equivalent": None
            if self.suppressed and s.on_roll.hidden
            else _r(g.on_roll_equivalent),
            "with_incident": self.count(g.with_incident, s.with_incident),
            "incidents": self.count(g.incidents, s.incidents),
            "rate_per_100": self.fraction(
                g.with_incident, g.on_roll_equivalent, g.rate_per_100, s.rate_per_100
            ),
            "incidents_per_100": self.fraction(
                g.incidents, g.on_roll_equivalent, g.incidents_per_100, s.incidents_per_100
            ),
            "risk_ratio": ratio,
            "risk_ratio_on_paper": s.ratio.text,
            "no_ratio_reason": (
                s.ratio.text if self.suppressed and g.ratio is None else g.no_ratio_reason
            ),
            "reading": s.reading if self.suppressed else g.reading,
        }

    def report(self, report: OversightReport, pub: PublishedReport) -> JSON:
        t = report.totals
        hide_roll = self.suppressed and pub.pupils_on_roll.hidden
        return {
            "format": FORMAT,
            "version": VERSION,
            "suppressed": self.suppressed,
            "school": report.school,
            "period": {
                "start": report.period.start.isoformat(),
                "end": report.period.end.isoformat(),
                "label": report.period.label,
                "days": report.period.days,
            },
            "rules": {
                "min_on_roll": report.rules.min_on_roll,
                "min_with_incident": report.rules.min_with_incident,
                "hide_below": report.rules.hide_below,
            },
            "totals": {
                "incidents": self.count(t.incidents, pub.incidents),
                "pupils_with_incident": self.count(
                    t.pupils_with_incident, pub.pupils_with_incident
                ),
                "pupils_on_roll": self.count(t.pupils_on_roll, pub.pupils_on_roll),
                "on_roll_equivalent": None if hide_roll else _r(t.on_roll_equivalent),
                "last_year_incidents": self.count(t.last_year_incidents, pub.last_year_incidents),
                "pupils_with_more_than_one_incident": self.count(
                    len(report.repeated), pub.repeated_pupils
                ),
            },
            "compliance": [
                {
                    "key": f.key,
                    "label": f.label,
                    "good_when_high": f.good_when_high,
                    "count": self.count(f.count, s.count),
                    "of": self.count(f.of, s.of),
                    "percent": self.fraction(f.count, f.of, f.percent, s.percent),
                    "note": f.note,
                }
                for f, s in zip(report.compliance, pub.compliance, strict=True)
            ],
            "patterns": [
                {
                    "key": table.key,
                    "title": table.title,
                    "multi": table.multi,
                    "rows": [
                        {
                            "label": row.label,
                            "count": self.count(row.count, srow.count),
                            "last_year": self.count(row.last_year, srow.last_year),
                        }
                        for row, srow in zip(table.rows, stable.rows, strict=True)
                    ],
                }
                for table, stable in zip(report.patterns, pub.patterns, strict=True)
            ],
            "weekly": self.series(report.weekly, pub.weekly),
            "monthly": self.series(report.monthly, pub.monthly),
            "term_starts": [d.isoformat() for d in report.term_starts],
            "disproportionality": [
                {
                    "key": table.key,
                    "label": table.label,
                    "groups": [
                        self.group(g, s) for g, s in zip(table.groups, stable.groups, strict=True)
                    ],
                }
                for table, stable in zip(
                    report.disproportionality, pub.disproportionality, strict=True
                )
            ],
            "schools": [
                self.report(school, spub)
                for school, spub in zip(report.schools, pub.schools, strict=True)
            ],
        }


def report_json(report: OversightReport, *, suppressed: bool = False) -> JSON:
    """Every figure of the report as JSON-ready data (see ``docs/oversight-json.md``)."""
    return _Writer(suppressed).report(report, publish(report))


def report_json_text(report: OversightReport, *, suppressed: bool = False) -> str:
    """``report_json`` as UTF-8 text, two-space indented, ending in a newline."""
    return (
        json.dumps(report_json(report, suppressed=suppressed), indent=2, ensure_ascii=False) + "\n"
    )


# ------------------------------------------------------------------ fingerprint

FINGERPRINT_VERSION = "incident-recorder/oversight-inputs/1"


_ATOMS = (str, bool, int, type(None))


def _plain(value: object) -> object:
    if type(value) in _ATOMS:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


_INCIDENT_FIELDS = tuple(f.name for f in fields(IncidentFacts))
_PUPIL_FIELDS = tuple(f.name for f in fields(PupilFacts) if f.name != "name")
_CHARACTERISTIC_FIELDS = tuple(f.name for f in fields(Characteristics))
_INCIDENT_GET = attrgetter(*_INCIDENT_FIELDS)
_CHARACTERISTICS_GET = attrgetter(*_CHARACTERISTIC_FIELDS)
# Fields that are not already JSON (dates, times, sets), by position.
_SPECIAL = tuple(
    (k, name)
    for k, name in enumerate(_INCIDENT_FIELDS)
    if name in ("occurred_on", "start", "floor_positions")
)
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _incident_row(i: IncidentFacts) -> list[object]:
    row: list[object] = list(_INCIDENT_GET(i))
    for k, _ in _SPECIAL:
        row[k] = _plain(row[k])
    return row


def _pupil_row(p: PupilFacts) -> list[object]:
    out: list[object] = []
    for f in _PUPIL_FIELDS:
        v = getattr(p, f)
        out.append(list(_CHARACTERISTICS_GET(v)) if f == "characteristics" else _plain(v))
    return out


def _line(value: object) -> bytes:
    return _ENCODE(value).encode() + b"\n"


def inputs_fingerprint(inputs: ReportInputs) -> str:
    """SHA-256 (hex) of the inputs in canonical form: a header line, then pupils by
    key, this period's incidents and last year's, each sorted, one JSON line each."""
    h = hashlib.sha256()
    period = inputs.period
    rules = inputs.rules
    h.update(
        _line(
            [
                FINGERPRINT_VERSION,
                [period.start.isoformat(), period.end.isoformat(), period.label],
                [rules.min_on_roll, rules.min_with_incident, rules.hide_below],
                inputs.school,
                sorted(d.isoformat() for d in inputs.term_starts),
                list(_INCIDENT_FIELDS),
                list(_PUPIL_FIELDS),
                list(_CHARACTERISTIC_FIELDS),
            ]
        )
    )
    for label, rows in (
        ("pupils", sorted(map(_line, map(_pupil_row, inputs.pupils)))),
        ("incidents", sorted(map(_line, map(_incident_row, inputs.incidents)))),
        ("last_year", sorted(map(_line, map(_incident_row, inputs.last_year)))),
    ):
        h.update(_line([label, len(rows)]))
        for row in rows:
            h.update(row)
    return h.hexdigest()
