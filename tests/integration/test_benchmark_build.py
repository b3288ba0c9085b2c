"""The benchmark's fast bulk build writes what the app itself would have written.

``python -m tests.benchmarks`` fills its 100,000-record database with bulk inserts
(tests/benchmarks/bulk.py) instead of going through the repositories record by record.
These checks hold it to the store's own rules on a small school: the audit chain and
every version's fingerprint verify, references are gapless in submission order, and the
services read the records back. And the report gives a MISS, never a failure, when a
figure is slow.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

from incident_recorder.domain.generator import generate_school, with_ids
from incident_recorder.domain.model import IncidentQuery, Role
from incident_recorder.services.accounts import AccountService, SetupRequest
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.ports import KdfParams
from incident_recorder.store.database import SqlStore, SqlStoreFactory
from incident_recorder.store.vault import FileKeyVault
from tests.benchmarks import bulk
from tests.benchmarks.report import Row, Target, table
from tests.fakes import FakeClock

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)


def test_bulk_build_passes_the_stores_own_checks(tmp_path: Path) -> None:
    school = generate_school(11, 40, 90, date(2024, 9, 1), date(2026, 3, 20))
    head = school.users[0]
    accounts = AccountService(
        FileKeyVault(tmp_path, CHEAP_KDF),
        SqlStoreFactory(tmp_path),
        FakeClock(datetime(2024, 8, 29, 8, 0, tzinfo=UTC)),
    )
    session = accounts.set_up(
        SetupRequest(
            school=school.school,
            admin_full_name=head.full_name,
            admin_username=head.username,
            passphrase="plum orchard kettle 77",
            extra_roles=head.roles - {Role.ADMINISTRATOR},
        )
    ).session
    try:
        store = session.store
        assert isinstance(store, SqlStore)
        counts = bulk.fill(
            store,
            school,
            session.user.id,
            session.user.staff_id,
            60,
            3,
            "Europe/London",
            random.Random(1),
            log=lambda _text: None,
        )

        assert store.audit.verify() == []
        assert store.integrity_problems() == []
        assert counts["submitted"] == 60
        assert counts["drafts"] == 3
        assert counts["versions"] > 60  # some records were amended

        db = store.connection
        # References run 1, 2, 3 … within each year, in the order records were submitted.
        rows = db.all(
            "SELECT reference FROM incidents WHERE status = 'submitted' ORDER BY submitted_at, id"
        )
        by_year: dict[str, list[int]] = {}
        for row in rows:
            year, number = row["reference"].split("-")
            by_year.setdefault(year, []).append(int(number))
        assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_year.values())

        page = IncidentService(session).search(IncidentQuery(limit=500))
        assert page.total == 60
        newest = store.incidents.get(page.rows[0].id)
        versions = store.incidents.versions(newest.id)
        assert [v.number for v in versions] == list(range(1, newest.version + 1))
        # The record reads back as the generator made it, with database ids.
        pupil_ids = [int(r[0]) for r in db.all("SELECT id FROM pupils ORDER BY id")]
        staff_ids = [int(r[0]) for r in db.all("SELECT id FROM staff ORDER BY id")]
        generated = {
            with_ids(r.details, pupil_ids, staff_ids) for r in school.incidents if not r.is_draft
        }
        assert versions[0].details in generated
    finally:
        session.close()


def test_a_slow_figure_is_a_miss_in_the_report_not_an_error() -> None:
    slow = Row("open the list", Target.AT_MOST, 150, samples=[180.0, 170.0, 400.0])
    quick = Row("cold start", Target.RATIO, 1.5, samples=[150.0], floor_samples=[120.0])
    over = Row("unlock", Target.OVER_FLOOR, 150, samples=[600.0], floor_samples=[400.0])
    missing = Row("letter", Target.AT_MOST, 300, floor_samples=[110.0], missing="not built")

    assert (slow.figure, slow.verdict) == (180.0, "MISS")
    assert (quick.ratio, quick.verdict) == (1.25, "pass")
    assert over.verdict == "MISS"
    assert missing.verdict == "not built"
    text = table([slow, quick, over, missing])
    assert "MISS" in text and "not built" in text
