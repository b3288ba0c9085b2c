"""The demo database holds recorded plan reviews, saved through the real store and
written in the audit log, each considering the pupil's own submitted records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incident_recorder.domain.plan_reviews import ReviewOutcome
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(vault, stores, FakeClock(), load_pick_lists())
    session = AccountService(vault, stores, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


def test_the_demo_has_plan_reviews_of_pupils_with_plans(demo: Session) -> None:
    store = demo.store
    latest = store.reviews.latest()
    assert 1 <= len(latest) <= 5
    every = [r for pupil in latest for r in store.reviews.for_pupil(pupil)]
    assert {r.outcome for r in every} == {ReviewOutcome.PLAN_UPDATED, ReviewOutcome.NO_CHANGE}
    today = FakeClock().now().date()
    for review in every:
        plan = store.plans.current(review.pupil_id)
        assert plan is not None and review.plan_version == plan.version
        assert review.held_on is not None and review.held_on < today
        assert review.recorded_by_name and "(SENCO)" in review.participants[0]
        assert review.incident_ids
        for incident_id in review.incident_ids:
            incident = store.incidents.get(incident_id)
            assert incident.details.who.pupil_id == review.pupil_id
            assert incident.submitted_at is not None
            assert review.recorded_at is not None and incident.submitted_at < review.recorded_at


def test_demo_reviews_are_in_the_audit_log_and_it_verifies(demo: Session) -> None:
    store = demo.store
    count = sum(len(store.reviews.for_pupil(p)) for p in store.reviews.latest())
    actions = [e.action for e in store.audit.entries(limit=10_000)]
    assert actions.count("plan_review_recorded") == count
    assert store.audit.verify() == []


def test_demo_records_name_the_kinds_of_antecedent_the_school_offers(demo: Session) -> None:
    offered = set(demo.store.settings.get().antecedent_types)
    assert offered
    kinds = [i.details.what_happened.antecedent_types for i in demo.store.incidents.all_submitted()]
    assert any(kinds) and all(set(k) <= offered for k in kinds)
