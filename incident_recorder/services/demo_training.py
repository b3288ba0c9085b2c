"""The demo's staff training (issue 13): most staff hold the school's positive-handling
training; one person's has expired, two people's run out within the next 60 days, and
the last person on the staff list has none recorded. Each entry is audited as the
service does it (ids only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from incident_recorder.domain.training import TrainingRecord, add_months
from incident_recorder.services.ports import Store

COURSE = "Team-Teach positive handling"


def demo_training(store: Store, admin_id: int, today: date, now: datetime) -> int:
    """Add the demo's training as ``admin_id`` (recorded at ``now``, UTC); returns how
    many entries. Dates are relative to ``today`` (the school's date)."""
    staff = store.staff.list(active_only=True)
    if len(staff) < 2:
        return 0
    *trained, untrained = staff  # the last person has none recorded
    year_ago = add_months(today, -12)
    special = {
        1: year_ago - timedelta(days=40),  # expired 40 days ago
        2: year_ago + timedelta(days=18),  # runs out in 18 days
        3: year_ago + timedelta(days=45),  # runs out in 45 days
    }
    added = 0
    for n, member in enumerate(trained):
        trained_on = special.get(n, today - timedelta(days=70 + 23 * n % 200))
        course = "MAPA (Management of Actual or Potential Aggression)" if n == 4 else COURSE
        saved = store.training.add(TrainingRecord(member.id, course, trained_on), admin_id, now)
        store.audit.append(
            admin_id, "training_added", now, detail=f"entry {saved.id} for staff {member.id}"
        )
        added += 1
    assert untrained.id not in {r.staff_id for r in store.training.in_force()}
    return added
