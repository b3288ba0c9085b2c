"""The hash-chained audit log, and finding tampering done outside the app."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable

import pytest

from incident_recorder.domain.model import Incident, WhatHappened
from incident_recorder.domain.serialise import details_to_json
from incident_recorder.services.ports import RecordToImport, VersionToImport
from incident_recorder.store._values import sha256_text
from incident_recorder.store.audit import GENESIS_HASH, entry_hash
from incident_recorder.store.database import SqlStore

from .conftest import School, utc

RawSql = Callable[[str], list[tuple[object, ...]]]

DROP_TRIGGERS = [
    "DROP TRIGGER audit_no_update",
    "DROP TRIGGER audit_no_delete",
    "DROP TRIGGER audit_append_at_end",
    "DROP TRIGGER incident_versions_no_update",
    "DROP TRIGGER incident_versions_no_delete",
    "DROP TRIGGER incident_versions_in_order",
    "DROP TRIGGER incidents_submitted_fixed",
    "DROP TRIGGER incidents_submitted_no_delete",
]


def tamper(raw_sql: RawSql, *statements: str) -> None:
    for sql in [*DROP_TRIGGERS, *statements]:
        raw_sql(sql)


def test_append_links_each_entry_to_the_last(school: School) -> None:
    log = school.store.audit
    (first,) = log.entries()  # the set-up entry
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH
    a = log.append(school.admin.id, "settings_change", utc(2026, 2, 1), detail="idle lock")
    b = log.append(None, "sign_in_failed", utc(2026, 2, 2), detail="unknown username")
    assert b.seq == a.seq + 1 and b.prev_hash == a.entry_hash
    assert a.entry_hash == entry_hash(
        a.prev_hash,
        a.seq,
        "2026-02-01T12:00:00.000000+00:00",
        school.admin.id,
        "settings_change",
        None,
        "idle lock",
        None,
    )
    assert log.head() == b
    assert log.entries(limit=2) == [b, a]
    assert log.entries(limit=1, offset=1) == [a]
    assert b.at == utc(2026, 2, 2)
    assert log.verify() == []


def test_an_empty_log_verifies(store: SqlStore) -> None:
    assert store.audit.head() is None
    assert store.audit.verify() == []


def test_a_rolled_back_entry_leaves_no_gap(school: School) -> None:
    log = school.store.audit
    before = log.head()
    assert before is not None
    with pytest.raises(RuntimeError), school.store.transaction():
        log.append(school.admin.id, "export", utc(2026, 2, 3))
        raise RuntimeError("export failed")
    after = log.append(school.admin.id, "export", utc(2026, 2, 3))
    assert after.seq == before.seq + 1
    assert log.verify() == []


@pytest.fixture
def history(school: School) -> list[Incident]:
    """Two submitted records (one amended) and a few more audit entries: 10 entries."""
    one = school.submit(school.teacher, school.details(school.pupils[0]), utc(2026, 3, 1))
    two = school.submit(school.teacher, school.details(school.pupils[1]), utc(2026, 3, 2))
    changed = dataclasses.replace(two.details, what_happened=WhatHappened(account="Amended."))
    two = school.amend(school.senco, two, changed, "Clarified", utc(2026, 3, 3))
    for day in (4, 5, 6, 7):
        school.store.audit.append(school.senco.id, "view", utc(2026, 3, day), one.id, "2026-0001")
    head = school.store.audit.head()
    assert head is not None and head.seq == 10
    assert school.store.audit.verify() == []
    return [one, two]


def test_an_edited_entry_is_found(school: School, history: list[Incident], raw_sql: RawSql) -> None:
    tamper(raw_sql, "UPDATE audit SET detail = 'nothing to see' WHERE seq = 7")
    problems = school.store.audit.verify()
    assert "Audit entry 7 has been changed: its contents no longer match its hash." in problems


def test_an_edited_entry_with_a_new_hash_breaks_the_next_link(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    (row,) = raw_sql(
        "SELECT prev_hash, seq, at, actor_id, action, incident_id FROM audit WHERE seq = 8"
    )
    forged = entry_hash(str(row[0]), 8, str(row[2]), 1, "view", row[5], "forged", None)  # type: ignore[arg-type]
    tamper(
        raw_sql,
        f"UPDATE audit SET actor_id = 1, detail = 'forged', entry_hash = '{forged}' WHERE seq = 8",
    )
    problems = school.store.audit.verify()
    assert not any("entry 8 has been changed" in p for p in problems)
    assert any(p.startswith("Audit entry 9 does not follow entry 8") for p in problems)


def test_removed_entries_are_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    tamper(raw_sql, "DELETE FROM audit WHERE seq BETWEEN 4 AND 6")
    problems = school.store.audit.verify()
    assert "Audit entries 4–6 are missing from the log." in problems


def test_a_single_removed_entry_is_named(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    tamper(raw_sql, "DELETE FROM audit WHERE seq = 2")
    assert "Audit entry 2 is missing from the log." in school.store.audit.verify()


def test_entries_removed_from_the_end_are_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    tamper(raw_sql, "DELETE FROM audit WHERE seq >= 9")
    problems = school.store.audit.verify()
    assert "Audit entries 9–10 are missing from the end of the log." in problems
    # The next entry keeps counting from the highest number ever used.
    entry = school.store.audit.append(school.admin.id, "sign_in", utc(2026, 4, 1))
    assert entry.seq == 11
    assert "Audit entries 9–10 are missing from the log." in school.store.audit.verify()


def test_removing_the_submit_entry_is_found_even_at_the_end(
    school: School, raw_sql: RawSql
) -> None:
    done = school.submit(school.teacher, school.details(), utc(2026, 3, 1))
    tamper(
        raw_sql,
        "DELETE FROM audit WHERE action = 'submit'",
        "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit) WHERE name = 'audit'",
    )
    problems = school.store.audit.verify()
    assert f"Record {done.reference} version 1 has no matching audit entry" in " ".join(problems)


def test_an_edited_version_is_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    one = history[0]
    tamper(
        raw_sql,
        "UPDATE incident_versions SET details_json = "
        f"replace(details_json, 'fictional', 'FICTIONAL') WHERE incident_id = {one.id}",
    )
    problems = school.store.audit.verify()
    assert (
        "Record 2026-0001 version 1 has been changed: its contents no longer match the "
        "fingerprint saved with it." in problems
    )


def test_an_edited_version_with_a_new_fingerprint_is_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    two = history[1]
    (row,) = raw_sql(
        f"SELECT details_json FROM incident_versions WHERE incident_id = {two.id} AND number = 2"
    )
    doc = json.loads(str(row[0]))
    doc["what_happened"]["account"] = "Quietly rewritten."
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    quoted = text.replace("'", "''")
    tamper(
        raw_sql,
        f"UPDATE incident_versions SET details_json = '{quoted}', sha256 = '{digest}' "
        f"WHERE incident_id = {two.id} AND number = 2",
    )
    assert school.store.incidents.get(two.id).details.what_happened.account == "Quietly rewritten."
    problems = school.store.audit.verify()
    assert any(
        p.startswith("Audit entry") and "names a version of record 2026-0002" in p for p in problems
    ), problems
    assert any("Record 2026-0002 version 2 has no matching audit entry" in p for p in problems)


def test_a_removed_version_is_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    two = history[1]
    tamper(raw_sql, f"DELETE FROM incident_versions WHERE incident_id = {two.id} AND number = 2")
    problems = school.store.audit.verify()
    assert any("Record 2026-0002 should have 2 saved version(s) but 1 are" in p for p in problems)


def test_a_removed_record_is_found(
    school: School, history: list[Incident], raw_sql: RawSql
) -> None:
    one = history[0]
    tamper(
        raw_sql,
        "PRAGMA foreign_keys = OFF",
        f"DELETE FROM incident_versions WHERE incident_id = {one.id}",
        f"DELETE FROM incidents WHERE id = {one.id}",
    )
    problems = school.store.audit.verify()
    assert any(
        f"refers to record id {one.id}, which is no longer in the database" in p for p in problems
    )


def test_a_discarded_draft_is_not_a_problem(school: School) -> None:
    draft = school.draft(school.teacher, school.details(), utc(2026, 3, 1))
    with school.store.transaction():
        school.store.incidents.discard_draft(draft.id)
        school.store.audit.append(school.teacher.id, "discard_draft", utc(2026, 3, 1), draft.id)
    assert school.store.audit.verify() == []


def test_verify_walks_a_long_log(school: School) -> None:
    with school.store.transaction():
        for i in range(4500):  # more than two batches
            school.store.audit.append(school.admin.id, "view", utc(2026, 1, 1), detail=str(i))
    assert school.store.audit.verify() == []


def test_an_imported_record_is_vouched_for_by_its_import_entry(school: School) -> None:
    first = school.details(school.pupils[0], account="Version one, made elsewhere.")
    second = school.details(school.pupils[0], account="Version two, made elsewhere.")
    record = RecordToImport(
        author_id=school.teacher.id,
        created_at=utc(2025, 6, 1),
        updated_at=utc(2025, 6, 3),
        reference="2025-0042",
        submitted_at=utc(2025, 6, 1),
        versions=(
            VersionToImport(first, utc(2025, 6, 1), school.teacher.id, ""),
            VersionToImport(second, utc(2025, 6, 3), school.senco.id, "Corrected"),
        ),
    )
    with school.store.transaction():
        incident = school.store.incidents.import_record(record)
        school.store.audit.append(
            school.admin.id,
            "import",
            utc(2026, 1, 2),
            incident.id,
            "2025-0042",
            sha256_text(details_to_json(incident.details)),
        )
    assert school.store.audit.verify() == []
    # The next submission that year continues after the imported number.
    later = school.submit(school.teacher, school.details(), utc(2025, 7, 1))
    assert later.reference == "2025-0043"
    assert school.store.audit.verify() == []
