"""The demo's staff training: most staff trained, one expired, two due within 60 days,
one with none recorded; the Staff training list and the 'due' list say so. Everyone in
the demo is fictional."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from incident_recorder.domain.training import TrainingState
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.session import Session
from incident_recorder.services.training import TrainingService
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("training-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(vault, stores, FakeClock(), load_pick_lists(), pupils=40, incidents=12)
    session = AccountService(vault, stores, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


def test_the_demo_has_training_expired_due_and_missing(demo: Session) -> None:
    service = TrainingService(demo)
    rows = service.overview()
    states = Counter(r.today.state for r in rows)
    assert states[TrainingState.EXPIRED] == 1
    assert states[TrainingState.NONE] == 1
    assert states[TrainingState.VALID] == len(rows) - 2 >= 3
    due = service.due()
    assert [d.days_left for _, d in due] == [-40, 18, 45]
    assert demo.store.audit.verify() == []
    assert demo.store.integrity_problems() == []
