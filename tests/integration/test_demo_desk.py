"""The demo's safeguarding desk on the real encrypted store: one record overdue for
signing off with a prone position and an injury, a referral still open, and an
amendment request with its author's reply. Everyone here is fictional."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incident_recorder.domain.desk import PRONE, PUPIL_INJURY, RequestState
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.desk import DeskService
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, list[str]]]:
    folder = tmp_path_factory.mktemp("desk-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    result = open_or_create_demo(vault, stores, FakeClock(), load_pick_lists())
    accounts = AccountService(vault, stores, FakeClock())
    session = accounts.sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session, [a.username for a in result.other_accounts]
    session.close()


def test_the_demo_desk_has_one_of_each(demo: tuple[Session, list[str]]) -> None:
    session, others = demo
    desk = DeskService(session)
    overdue = [r for r in desk.to_sign_off() if r.overdue]
    assert overdue, "one record is overdue for signing off"
    assert any(r.reasons[:2] == (PRONE, PUPIL_INJURY) for r in overdue)
    referrals = desk.referrals()
    assert 1 <= len(referrals) <= 2
    decided = [d for d in session.store.desk.decisions(_submitted(session)) if d.note]
    assert decided, "the other records' referrals are decided"
    [thread] = desk.amendment_requests()
    assert thread.state is RequestState.REPLIED and thread.replies
    author = session.store.users.get(thread.author_id or 0)
    assert author.username in others  # someone who can sign in to the demo
    assert session.store.audit.verify() == [] and session.store.integrity_problems() == []


def _submitted(session: Session) -> list[int]:
    return [i.id for i in session.store.incidents.all_submitted()]
