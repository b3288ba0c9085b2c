"""The demo's sign-offs: the safeguarding lead (the demo account) has signed off most
records a day or two after they were submitted or last amended; the newest few are
waiting, and a few amended records were signed off before the amendment, so they need
signing off again. Each sign-off is audited as the service does it."""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime, time, timedelta

from incident_recorder.domain.model import IncidentQuery, IncidentSort
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.services.ports import Store
from incident_recorder.services.session import from_local, to_local

LEFT_UNSIGNED = 6  # the newest records, waiting for the safeguarding lead


def _school_hours_after(saved_at: datetime, zone: str, rng: random.Random) -> datetime:
    """A weekday moment in school hours, the same day or up to two days after."""
    saved = to_local(saved_at, zone)
    day = saved.date() + timedelta(days=rng.choice((0, 1, 1, 2)))
    while True:
        minutes = rng.randint(8 * 60 + 15, 17 * 60 + 30)
        moment = datetime.combine(day, time(minutes // 60, minutes % 60))
        if day.weekday() < 5 and moment > saved + timedelta(minutes=20):
            return from_local(moment, zone)
        day += timedelta(days=1)


def demo_sign_offs(
    store: Store,
    signer_id: int,
    now: datetime,
    seed: int,
    zone: str = "Europe/London",
    waiting: Collection[int] = (),
) -> int:
    """Sign off the records as ``signer_id``, but those ``waiting`` (left for the desk);
    returns how many sign-offs. Every moment is before ``now`` (UTC)."""
    rng = random.Random(seed + 7)
    page = store.incidents.search(
        IncidentQuery(limit=100_000, sort=IncidentSort.DATE, descending=False)
    )
    ids = [s.id for s in page.rows][: max(0, len(page.rows) - LEFT_UNSIGNED)]
    planned: list[tuple[datetime, int, int, str]] = []
    for incident_id in ids:
        versions = store.incidents.versions(incident_id)
        if not versions:
            continue
        chosen = versions[-1]
        if len(versions) > 1 and rng.random() < 0.25:
            chosen = versions[0]  # signed before the amendment: needs signing again
        at = _school_hours_after(chosen.saved_at, zone, rng)
        later = [v.saved_at for v in versions if v.number > chosen.number]
        if at >= now or (later and at >= later[0]) or incident_id in waiting:
            continue  # (after the draws, so the other records' sign-offs stay the same)
        planned.append((at, incident_id, chosen.number, chosen.sha256))
    planned.sort()
    with store.transaction():
        for at, incident_id, number, sha in planned:
            store.sign_offs.add(SignOff(incident_id, number, sha), signer_id, at)
            store.audit.append(
                signer_id, "record_signed_off", at, incident_id, f"version {number}", sha
            )
    return len(planned)
