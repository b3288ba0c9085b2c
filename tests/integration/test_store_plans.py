"""Behaviour support plans in the encrypted database: versions numbered and kept,
saved versions immutable, the plan in force, and the upgrade from schema 3."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.model import NewPupil, Role
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from tests.integration.conftest import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def a_plan(pupil_id: int, start: date, triggers: str = "Loud noises") -> BehaviourPlan:
    return BehaviourPlan(
        pupil_id=pupil_id,
        triggers=triggers,
        early_warning_signs="Rocking, humming",
        helpful_strategies=("Offered choices", "Gave the pupil space and time"),
        helpful_other="Lego in the calm room",
        to_avoid="Raised voices; touching without warning",
        approved_techniques=("Friendly hold (standing)",),
        medical_notes="Asthma (inhaler in the office)",
        ruled_out_techniques=("Wrap (standing)",),
        communication_needs="Uses a now-and-next board",
        written_by="Siân Griffiths",
        pupil_contributed=True,
        parents_contributed=True,
        start_date=start,
        review_date=date(2026, 7, 1),
    )


def setup(store: SqlStore) -> tuple[int, int]:
    with store.transaction():
        pupil = store.pupils.add(NewPupil("Zoë", "Nowak"))
        user = store.users.add("s.griffiths", "Siân Griffiths", frozenset({Role.SENCO}), None)
    return pupil.id, user.id


def test_each_save_is_a_new_version_and_every_value_round_trips(store: SqlStore) -> None:
    pupil_id, user_id = setup(store)
    assert store.plans.current(pupil_id) is None
    assert store.pupils.has_plan(pupil_id, date(2026, 3, 1)) is False
    first = store.plans.add(a_plan(pupil_id, date(2026, 1, 5)), user_id, utc(2026, 1, 5))
    second = store.plans.add(
        a_plan(pupil_id, date(2026, 3, 1), "Changes to routine"), user_id, utc(2026, 3, 1)
    )
    assert (first.version, second.version) == (1, 2)
    expected = dataclasses.replace(
        a_plan(pupil_id, date(2026, 1, 5)),
        version=1,
        saved_at=utc(2026, 1, 5),
        saved_by=user_id,
        saved_by_name="Siân Griffiths",
    )
    assert first == expected
    assert [p.version for p in store.plans.versions(pupil_id)] == [2, 1]
    assert store.plans.current(pupil_id) == second
    assert store.plans.in_force(pupil_id, date(2026, 2, 1)) == first
    assert store.plans.in_force(pupil_id, date(2026, 1, 4)) is None
    assert store.pupils.has_plan(pupil_id, date(2026, 1, 4)) is False
    assert store.pupils.has_plan(pupil_id, date(2026, 1, 5)) is True


def test_a_plan_for_a_pupil_not_on_the_list_is_refused(store: SqlStore) -> None:
    _, user_id = setup(store)
    with pytest.raises(NotFound):
        store.plans.add(a_plan(999, date(2026, 1, 5)), user_id, utc(2026, 1, 5))


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE behaviour_plans SET plan_json = '{}'",
        "UPDATE behaviour_plans SET start_date = '2020-01-01'",
        "DELETE FROM behaviour_plans",
        "INSERT INTO behaviour_plans VALUES (1, 5, '2026-01-01', '2026-02-01', '{}', "
        "'2026-01-01T00:00:00+00:00', 1)",
    ],
    ids=["change values", "change dates", "delete", "skip a version number"],
)
def test_saved_versions_cannot_be_changed_or_removed(
    store: SqlStore, raw_sql: Callable[[str], list[tuple[object, ...]]], sql: str
) -> None:
    pupil_id, user_id = setup(store)
    saved = store.plans.add(a_plan(pupil_id, date(2026, 1, 5)), user_id, utc(2026, 1, 5))
    with pytest.raises(sqlcipher3.IntegrityError, match="plan"):
        raw_sql(sql)
    assert store.plans.versions(pupil_id) == [saved]


def test_a_schema_3_database_upgrades_and_then_keeps_plans(data_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "schema-0003.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0003.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    try:
        amelia = store.pupils.search("amelia")[0]
        assert store.pupils.has_plan(amelia.id, date(2026, 1, 1)) is False
        admin = store.users.by_username("o.fixture")
        assert admin is not None
        with store.transaction():
            saved = store.plans.add(a_plan(amelia.id, date(2025, 9, 1)), admin.id, utc(2026, 1, 1))
        assert saved.version == 1
        assert store.pupils.has_plan(amelia.id, date(2026, 1, 1)) is True
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_the_schema_4_fixture_holds_a_plan(data_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "schema-0004.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0004.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    try:
        amelia = store.pupils.search("amelia")[0]
        plan = store.plans.current(amelia.id)
        assert plan is not None and plan.version == 1
        assert plan.ruled_out_techniques == ("Double elbow",)
    finally:
        store.close()
