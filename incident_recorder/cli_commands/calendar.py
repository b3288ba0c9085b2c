"""``calendar show`` (issue 14): the school calendar every "school days" rule uses, and
the periods the Reports screen offers, through the same service as Administration ▸
School calendar…."""

from __future__ import annotations

import argparse

from incident_recorder.cli_commands.common import EXIT_OK, signed_in


def cmd_calendar_show(args: argparse.Namespace) -> int:
    from incident_recorder.domain.calendar import school_terms

    with signed_in(args) as opened:
        service = opened.services.calendar
        cal = service.calendar()
        standard = service.is_standard()
        periods = service.period_choices()
    print(
        "The standard English term dates (the school keeps none of its own)."
        if standard
        else "The school's own term dates."
    )
    for term in cal.terms:
        days = cal.school_days_between(term.start, term.end) + cal.is_school_day(term.start)
        print(f"  {term.name}: {term.start:%d/%m/%Y} to {term.end:%d/%m/%Y} ({days} school days)")
    if cal.closures:
        print("Closed in term time:")
        for closure in cal.closures:
            print(f"  {closure.day:%d/%m/%Y}: {closure.reason or 'closed'}")
    print("Terms: " + "; ".join(t.name for t in school_terms(cal)))
    print("Periods for reports:")
    for period in periods:
        print(f"  {period.label}")
    return EXIT_OK
