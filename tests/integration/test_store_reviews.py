"""Recorded plan reviews in the encrypted database: every field round trips, newest
first, each pupil's latest, checks on the linked records, never changed or removed,
and the upgrade from schema 4 (the new tables and the new settings)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from tests.integration.conftest import School, utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def a_review(pupil_id: int, held_on: date, *incident_ids: int) -> PlanReviewRecord:
    return PlanReviewRecord(
        pupil_id=pupil_id,
        held_on=held_on,
        outcome=ReviewOutcome.PLAN_UPDATED,
        reason="Added a now-and-next board; transitions were the trigger each time.",
        participants=("Siân Griffiths (SENCO)", "Parent: Mrs Okafor", "Tomasz Nowak (teacher)"),
        pupil_took_part=True,
        parents_took_part=True,
        incident_ids=incident_ids,
        next_review=date(held_on.year, 7, 15),
        plan_version=2,
    )


def submitted(school: School, pupil_index: int, day: int) -> int:
    pupil = school.pupils[pupil_index]
    details = school.details(pupil, day=date(2026, 3, day))
    return school.submit(school.teacher, details, utc(2026, 3, day)).id


def test_every_field_round_trips_with_who_recorded_it(school: School) -> None:
    store = school.store
    zoe = school.pupils[0].id
    second, first = submitted(school, 0, 3), submitted(school, 0, 2)
    with store.transaction():
        saved = store.reviews.add(
            a_review(zoe, date(2026, 3, 10), second, first, second),
            school.senco.id,
            utc(2026, 3, 10, 16),
        )
    expected = dataclasses.replace(
        a_review(zoe, date(2026, 3, 10), *sorted((first, second))),
        id=saved.id,
        recorded_at=utc(2026, 3, 10, 16),
        recorded_by=school.senco.id,
        recorded_by_name="Sade Sencoe",
    )
    assert saved == expected
    assert store.reviews.for_pupil(zoe) == [expected]
    assert store.reviews.latest() == {zoe: expected}


def test_a_review_without_plan_or_incidents_round_trips(school: School) -> None:
    keira = school.pupils[2].id
    bare = dataclasses.replace(
        a_review(keira, date(2026, 2, 1)),
        outcome=ReviewOutcome.NO_CHANGE,
        plan_version=None,
        pupil_took_part=False,
        parents_took_part=False,
    )
    saved = school.store.reviews.add(bare, school.senco.id, utc(2026, 2, 1))
    assert saved.incident_ids == () and saved.plan_version is None
    assert saved.outcome is ReviewOutcome.NO_CHANGE
    assert (saved.pupil_took_part, saved.parents_took_part) == (False, False)
    assert school.store.reviews.for_pupil(keira) == [saved]


def test_reviews_come_newest_first_and_latest_gives_each_pupils_newest(school: School) -> None:
    store = school.store
    zoe, jonty, keira = (p.id for p in school.pupils)
    senco = school.senco.id
    with store.transaction():
        march = store.reviews.add(a_review(zoe, date(2026, 3, 1)), senco, utc(2026, 3, 1))
        january = store.reviews.add(a_review(zoe, date(2026, 1, 5)), senco, utc(2026, 3, 2))
        # Same day as March's: the later-recorded one is the newer.
        march_again = store.reviews.add(a_review(zoe, date(2026, 3, 1)), senco, utc(2026, 3, 3))
        jonty_only = store.reviews.add(a_review(jonty, date(2025, 12, 1)), senco, utc(2026, 1, 1))
    assert [r.id for r in store.reviews.for_pupil(zoe)] == [march_again.id, march.id, january.id]
    assert store.reviews.for_pupil(keira) == []
    assert store.reviews.latest() == {zoe: march_again, jonty: jonty_only}


def test_latest_is_empty_with_no_reviews(store: SqlStore) -> None:
    assert store.reviews.latest() == {}


def test_a_review_of_an_unknown_pupil_or_record_is_refused(school: School) -> None:
    store = school.store
    with pytest.raises(NotFound):
        store.reviews.add(a_review(9999, date(2026, 3, 1)), school.senco.id, utc(2026, 3, 1))
    with pytest.raises(NotFound):
        store.reviews.add(
            a_review(school.pupils[0].id, date(2026, 3, 1), 9999), school.senco.id, utc(2026, 3, 1)
        )
    assert store.reviews.latest() == {}


def test_a_review_may_only_link_the_pupils_own_submitted_records(school: School) -> None:
    store = school.store
    zoe = school.pupils[0]
    own = submitted(school, 0, 2)
    someone_elses = submitted(school, 1, 3)
    draft = school.draft(school.teacher, school.details(zoe), utc(2026, 3, 4)).id
    with pytest.raises(InvalidInput, match="another pupil"):
        store.reviews.add(
            a_review(zoe.id, date(2026, 3, 10), own, someone_elses),
            school.senco.id,
            utc(2026, 3, 10),
        )
    with pytest.raises(InvalidInput, match="draft"):
        store.reviews.add(
            a_review(zoe.id, date(2026, 3, 10), own, draft), school.senco.id, utc(2026, 3, 10)
        )
    # Nothing of the refused reviews was kept.
    assert store.reviews.for_pupil(zoe.id) == []
    assert store.connection.scalar("SELECT count(*) FROM plan_review_incidents") == 0


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE plan_reviews SET reason = 'changed'", "cannot be changed"),
        ("UPDATE plan_reviews SET held_on = '2020-01-01'", "cannot be changed"),
        ("DELETE FROM plan_reviews", "cannot be deleted"),
        ("UPDATE plan_review_incidents SET incident_id = incident_id + 0", "cannot be changed"),
        ("DELETE FROM plan_review_incidents", "cannot be removed"),
    ],
    ids=["change the reason", "change the date", "delete", "relink", "unlink"],
)
def test_a_recorded_review_cannot_be_changed_or_removed(
    school: School, raw_sql: Callable[[str], list[tuple[object, ...]]], sql: str, message: str
) -> None:
    zoe = school.pupils[0].id
    record = submitted(school, 0, 2)
    saved = school.store.reviews.add(
        a_review(zoe, date(2026, 3, 10), record), school.senco.id, utc(2026, 3, 10)
    )
    with pytest.raises(sqlcipher3.IntegrityError, match=message):
        raw_sql(sql)
    assert school.store.reviews.for_pupil(zoe) == [saved]


def test_reviews_are_still_there_after_closing_and_reopening(
    school: School, data_dir: Path, data_key: bytes
) -> None:
    zoe = school.pupils[0].id
    record = submitted(school, 0, 2)
    saved = school.store.reviews.add(
        a_review(zoe, date(2026, 3, 10), record), school.senco.id, utc(2026, 3, 10)
    )
    school.store.close()
    reopened = SqlStoreFactory(data_dir).open(data_key)
    try:
        assert reopened.reviews.for_pupil(zoe) == [saved]
        assert reopened.reviews.latest() == {zoe: saved}
        assert reopened.integrity_problems() == []
    finally:
        reopened.close()


# ------------------------------------------------------------------ schema 4 -> 5


def open_fixture(schema: int, data_dir: Path) -> SqlStore:
    shutil.copyfile(FIXTURES / f"schema-{schema:04d}.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / f"schema-{schema:04d}.key").read_text().strip())
    return SqlStoreFactory(data_dir).open(key)


def test_the_migration_adds_the_default_antecedent_kinds_and_threshold(data_dir: Path) -> None:
    store = open_fixture(4, data_dir)
    try:
        settings = store.settings.get()
        assert settings.antecedent_types == load_pick_lists().antecedents
        assert len(settings.antecedent_types) >= 5
        assert settings.review_incident_threshold == 3
        # Everything else stays as it was.
        assert settings.school.name == "Fictional Oak Primary School"
        assert settings.locations == ("Classroom", "Corridor", "Playground")
        amelia = store.pupils.search("amelia")[0]
        plan = store.plans.current(amelia.id)
        assert plan is not None and plan.ruled_out_techniques == ("Double elbow",)
        assert store.reviews.for_pupil(amelia.id) == []
        assert store.integrity_problems() == []
        assert store.audit.verify() == []
    finally:
        store.close()


def test_after_the_upgrade_a_review_can_be_recorded(data_dir: Path) -> None:
    store = open_fixture(4, data_dir)
    try:
        amelia = store.pupils.search("amelia")[0]
        admin = store.users.by_username("o.fixture")
        record = store.incidents.by_reference("2025-0001")
        assert admin is not None and record is not None
        saved = store.reviews.add(
            a_review(amelia.id, date(2026, 2, 1), record.id), admin.id, utc(2026, 2, 1)
        )
        assert store.reviews.latest() == {amelia.id: saved}
        assert saved.recorded_by_name == "Olu Fixture"
    finally:
        store.close()


def test_settings_already_holding_the_new_values_keep_them(data_dir: Path) -> None:
    """The schema 5 fixture was saved with its own list and threshold: they stay."""
    store = open_fixture(5, data_dir)
    try:
        settings = store.settings.get()
        assert settings.antecedent_types == ("Change to routine", "Not known")
        assert settings.review_incident_threshold == 4
        amelia = store.pupils.search("amelia")[0]
        [review] = store.reviews.for_pupil(amelia.id)
        assert review.outcome is ReviewOutcome.NO_CHANGE
        assert review.participants == ("Olu Fixture (SENCO)", "Parent: Mrs Testcase")
        assert len(review.incident_ids) == 1
    finally:
        store.close()


def test_the_migration_list_equals_the_shipped_pick_list() -> None:
    """0005 writes the default antecedent kinds into old settings: the same list a new
    school gets from resources/picklists.toml."""
    import json
    import re

    sql = (
        Path(__file__).resolve().parents[2]
        / "incident_recorder/store/migrations/0005_plan_reviews.sql"
    ).read_text(encoding="utf-8")
    match = re.search(r"'\$\.antecedent_types', json\('(\[.*?\])'\)", sql, re.DOTALL)
    assert match is not None
    assert tuple(json.loads(match.group(1))) == load_pick_lists().antecedents
