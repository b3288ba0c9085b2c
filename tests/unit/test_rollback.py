"""Noticing an older copy: the domain's rules and words, and the sign-in on the fakes
(which kinds are found, that nothing is written before, that accepting is audited and
not asked again, and that remembering never fails a sign-in)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import OlderCopyFound
from incident_recorder.domain.rollback import (
    DIFFERENT_HISTORY,
    OLDER_DATABASE,
    OLDER_KEYRING,
    OlderCopy,
    SeenHead,
    newest_holding,
    older_copy_kind,
    words,
)
from tests.fakes import PASSPHRASE, new_school

SEEN = SeenHead(40, "a" * 64, datetime(2026, 11, 30, 15, 5, tzinfo=UTC))


def _generation(name: str, day: int, seq: int, digest: str = "b" * 64) -> Generation:
    made = datetime(2026, 11, day, 16, 0, tzinfo=UTC)
    return Generation(name, made, "automatic", 12, 3, seq, digest)


@pytest.mark.parametrize(
    ("head", "at_seen", "keyring", "database", "kind"),
    [
        (40, "a" * 64, 3, 3, None),  # the same copy
        (52, "a" * 64, 3, 2, None),  # newer than seen, the keyring newer too: all well
        (33, None, 3, 3, OLDER_DATABASE),
        (45, "c" * 64, 3, 3, DIFFERENT_HISTORY),
        (45, None, 3, 3, DIFFERENT_HISTORY),  # the entry seen is not there at all
        (40, "a" * 64, 2, 3, OLDER_KEYRING),
    ],
)
def test_which_older_copy(
    head: int, at_seen: str | None, keyring: int, database: int, kind: str | None
) -> None:
    assert older_copy_kind(SEEN, head, at_seen, keyring, database) == kind


def test_nothing_remembered_yet_is_no_older_copy() -> None:
    assert older_copy_kind(None, 5, None, 0, 0) is None


def test_the_backup_offered_is_the_newest_that_holds_what_is_missing() -> None:
    short = _generation("short", 29, 39)
    same_end_other_chain = _generation("other", 30, 40, "c" * 64)
    exact = _generation("exact", 28, 40, "a" * 64)
    longer = _generation("longer", 27, 45)
    assert newest_holding([short, same_end_other_chain, exact, longer], SEEN) == exact
    assert newest_holding([short], SEEN) is None


def test_the_words_name_the_count_the_time_and_the_backup() -> None:
    backup = _generation("20261130-160000-schema0012-automatic", 30, 41)
    found = OlderCopy(
        OLDER_DATABASE,
        seen_seq=40,
        head_seq=39,
        seen_at=datetime(2026, 11, 30, 15, 5),
        keyring_revision=3,
        database_revision=3,
        backup=backup,
        backup_at=datetime(2026, 11, 30, 16, 0),
    )
    text = words(found)
    assert "so 1 entry of the log" in text
    assert "on 30/11/2026 at 15:05" in text
    assert "made on 30/11/2026 at 16:00 (20261130-160000-schema0012-automatic)" in text
    none = words(OlderCopy(OLDER_DATABASE, 40, 30, None, 0, 0))
    assert "so 10 entries" in none and "No backup on this computer" in none


def test_sign_in_refuses_an_older_database_before_writing_and_accepting_is_audited() -> None:
    school = new_school()
    school.admin.audit("view")
    data = school.stores.data
    assert data is not None
    older = copy.deepcopy(data)
    for _ in range(4):
        school.admin.audit("view")
    school.admin.close()  # the keyring sees the newest entry
    seen = school.vault.seen()
    assert seen is not None and seen.seq == len(data.audit)
    school.stores.data = older  # the older copy put back
    before = list(older.audit)

    with pytest.raises(OlderCopyFound) as refused:
        school.accounts.sign_in("h.bashir", PASSPHRASE)
    assert refused.value.found.missing == 4
    assert older.audit == before  # not even the sign-in entry

    session = school.accounts.sign_in("h.bashir", PASSPHRASE, accept_older_copy=True)
    assert [e.action for e in older.audit[-2:]] == ["older_copy_accepted", "sign_in"]
    assert school.accounts.older_copy_accepted == refused.value.found
    session.close()
    school.accounts.sign_in("h.bashir", PASSPHRASE).close()  # not asked again
    assert school.accounts.older_copy_accepted is None
