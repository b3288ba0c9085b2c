"""The store workload: a fixed mix of inserts, reads and report-style queries through
the store layer, run on the encrypted database and on the same records in plain SQLite
(the store's benchmark-only switch). The ratio is the price of encryption.

One run opens a fresh connection (as a session does), then, in the same order every
time (a seeded choice of records):

* reads: 150 records opened (``incidents.get``: the latest version's JSON), 15 records'
  full history (``incidents.versions``), 20 pages of the list, newest first, at random
  depths, 6 text searches and 6 date-range searches, the audit log's latest 200 entries;
* report-style queries: a term's records in full (every record of the spring term read
  through ``incidents.get``, as a governors' report would), and five aggregate queries
  over the last school year (by month, by location, by pupil, by adult, injuries);
* inserts: 10 new records, each created, saved twice as a draft, submitted and
  audited, and one amendment.
"""

from __future__ import annotations

import dataclasses
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from incident_recorder.domain.model import IncidentDetails, IncidentQuery
from incident_recorder.services.incidents import details_sha256
from incident_recorder.store.database import SqlStore, SqlStoreFactory

REPORTS = (
    # Records a month over the year.
    "SELECT substr(occurred_on, 1, 7) AS month, count(*) FROM incidents "
    "WHERE status = 'submitted' AND occurred_on BETWEEN ? AND ? GROUP BY month",
    # Where they happen, with injuries and floor holds.
    "SELECT location, count(*), sum(injury), sum(floor_position) FROM incidents "
    "WHERE status = 'submitted' AND occurred_on BETWEEN ? AND ? GROUP BY location "
    "ORDER BY 2 DESC",
    # The pupils most often held, with their names.
    "SELECT p.id, p.last_name, p.first_name, count(*) AS n FROM incidents AS i "
    "JOIN pupils AS p ON p.id = i.pupil_id WHERE i.status = 'submitted' "
    "AND i.occurred_on BETWEEN ? AND ? GROUP BY p.id ORDER BY n DESC LIMIT 20",
    # The adults most often involved.
    "SELECT s.full_name, count(*) AS n FROM incidents AS i "
    "JOIN incident_staff AS x ON x.incident_id = i.id JOIN staff AS s ON s.id = x.staff_id "
    "WHERE i.status = 'submitted' AND i.occurred_on BETWEEN ? AND ? "
    "GROUP BY s.id ORDER BY n DESC LIMIT 20",
    # Injuries and amendments by recorder.
    "SELECT u.full_name, count(*), sum(i.injury), sum(i.version > 1) FROM incidents AS i "
    "JOIN users AS u ON u.id = i.author_id WHERE i.status = 'submitted' "
    "AND i.occurred_on BETWEEN ? AND ? GROUP BY u.id",
)


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run does, chosen once from the database so both sides do the same."""

    read_ids: tuple[int, ...]
    history_ids: tuple[int, ...]
    offsets: tuple[int, ...]
    words: tuple[str, ...]
    ranges: tuple[tuple[date, date], ...]
    term: tuple[date, date]
    year: tuple[date, date]
    new_records: tuple[IncidentDetails, ...]
    amend_id: int
    author_id: int


def make_plan(store: SqlStore, seed: int = 7) -> Plan:
    rng = random.Random(seed)
    db = store.connection
    ids = [int(r[0]) for r in db.all("SELECT id FROM incidents WHERE status = 'submitted'")]
    amended = [int(r[0]) for r in db.all("SELECT id FROM incidents WHERE version > 1 ORDER BY id")]
    last = date.fromisoformat(db.scalar("SELECT max(occurred_on) FROM incidents"))
    school_year = last.year if last.month >= 9 else last.year - 1
    names = [str(r[0]) for r in db.all("SELECT DISTINCT last_name FROM pupils ORDER BY 1")]
    first_day = date.fromisoformat(db.scalar("SELECT min(occurred_on) FROM incidents"))
    span = (last - first_day).days
    ranges = []
    for _ in range(6):
        start = first_day + timedelta(days=rng.randrange(max(1, span - 60)))
        ranges.append((start, start + timedelta(days=rng.choice((7, 30, 60)))))
    author = int(db.scalar("SELECT min(id) FROM users"))
    recent = [store.incidents.get(i).details for i in rng.sample(ids, 10)]
    total = len(ids)
    return Plan(
        read_ids=tuple(rng.sample(ids, min(150, total))),
        history_ids=tuple(rng.sample(amended, min(15, len(amended)))),
        # Scrolling down the list: pages up to 5,000 rows deep.
        offsets=tuple(rng.randrange(0, min(26, max(1, total // 200))) * 200 for _ in range(20)),
        words=tuple(rng.sample(names, min(6, len(names)))),
        ranges=tuple(ranges),
        term=(date(school_year + 1, 1, 1), date(school_year + 1, 3, 31)),
        year=(date(school_year, 9, 1), date(school_year + 1, 8, 31)),
        new_records=tuple(recent),
        amend_id=ids[len(ids) // 2],
        author_id=author,
    )


def run(stores: SqlStoreFactory, key: bytes, plan: Plan, now: datetime) -> float:
    """One run of the mix on a fresh connection; returns milliseconds."""
    started = time.perf_counter()
    store = stores.open(key)
    try:
        _reads(store, plan)
        _reports(store, plan)
        _inserts(store, plan, now)
    finally:
        store.close()
    return (time.perf_counter() - started) * 1000


def _reads(store: SqlStore, plan: Plan) -> None:
    incidents = store.incidents
    for incident_id in plan.read_ids:
        incidents.get(incident_id)
    for incident_id in plan.history_ids:
        incidents.versions(incident_id)
    for offset in plan.offsets:
        incidents.search(IncidentQuery(offset=offset))
    for word in plan.words:
        incidents.search(IncidentQuery(text=word))
    for start, end in plan.ranges:
        incidents.search(IncidentQuery(date_from=start, date_to=end))
    store.audit.entries(200)


def _reports(store: SqlStore, plan: Plan) -> None:
    start, end = plan.term
    offset, total = 0, 1
    while offset < total:  # every record of the term, in full
        page = store.incidents.search(
            IncidentQuery(date_from=start, date_to=end, offset=offset, limit=500)
        )
        total = page.total
        for summary in page.rows:
            store.incidents.get(summary.id)
        offset += 500
        if not page.rows:
            break
    year = (plan.year[0].isoformat(), plan.year[1].isoformat())
    for sql in REPORTS:
        store.connection.all(sql, year)


def _inserts(store: SqlStore, plan: Plan, now: datetime) -> None:
    incidents, audit = store.incidents, store.audit
    author = plan.author_id
    moment = now
    for details in plan.new_records:
        moment += timedelta(seconds=1)
        with store.transaction():
            draft = incidents.create_draft(author, details, moment)
            audit.append(author, "create", moment, draft.id, "draft started")
        incidents.save_draft(draft.id, details, moment + timedelta(milliseconds=1))
        incidents.save_draft(draft.id, details, moment + timedelta(milliseconds=2))
        with store.transaction():
            done = incidents.submit(draft.id, details, author, moment + timedelta(seconds=1))
            audit.append(
                author, "submit", moment, done.id, done.reference or "", details_sha256(details)
            )
    record = incidents.get(plan.amend_id)
    who = record.details.who
    witnesses = f"{who.other_witnesses}; a visiting teacher".lstrip("; ")
    changed = dataclasses.replace(
        record.details, who=dataclasses.replace(who, other_witnesses=witnesses)
    )
    with store.transaction():
        done = incidents.amend(plan.amend_id, changed, author, "Benchmark amendment", moment)
        audit.append(
            author,
            "amend",
            moment,
            done.id,
            f"{done.reference} version {done.version}",
            details_sha256(changed),
        )
