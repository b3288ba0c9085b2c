"""Export and import on real encrypted databases: lossless, all-or-nothing, audited.

The source is a small demo school from the seeded generator (everyone is fictional).
"""

from __future__ import annotations

import copy
import dataclasses
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from incident_recorder.domain.errors import BadImportFile, NotAllowed
from incident_recorder.domain.model import (
    Contact,
    IncidentQuery,
    NewPupil,
    Role,
    SchoolDetails,
    SenStatus,
)
from incident_recorder.services.accounts import AccountService, SetupRequest, UserAdminService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.exchange import FORMAT, ExchangeService, dumps, parse
from incident_recorder.services.incidents import IncidentService
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import FakeClock, complete_details
from tests.integration.conftest import CHEAP_KDF

TARGET_PASSPHRASE = "quiet meadow lantern"


def _accounts(folder: Path, clock: FakeClock) -> AccountService:
    return AccountService(FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder), clock)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo school, built once for the module (copied before any change)."""
    folder = tmp_path_factory.mktemp("demo")
    open_or_create_demo(
        FileKeyVault(folder, CHEAP_KDF),
        SqlStoreFactory(folder),
        FakeClock(),
        pupils=60,
        incidents=40,
    )
    return folder


@pytest.fixture
def source(demo_folder: Path, tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "source"
    shutil.copytree(demo_folder, folder)
    session = _accounts(folder, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


@pytest.fixture(scope="module")
def head_name(demo_folder: Path) -> str:
    session = _accounts(demo_folder, FakeClock()).sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    try:
        return session.user.full_name
    finally:
        session.close()


def _fresh(folder: Path, full_name: str) -> Session:
    """A new school set up like the demo: the same first account, in a new database."""
    result = _accounts(folder, FakeClock()).set_up(
        SetupRequest(
            school=SchoolDetails("Another Fictional School", "3 Pretend Street"),
            admin_full_name=full_name,
            admin_username=DEMO_USERNAME,
            admin_job_title="Headteacher",
            passphrase=TARGET_PASSPHRASE,
            extra_roles=frozenset({Role.SAFEGUARDING_LEAD}),
        )
    )
    return result.session


@pytest.fixture
def target(tmp_path: Path, head_name: str) -> Iterator[Session]:
    session = _fresh(tmp_path / "target", head_name)
    yield session
    session.close()


def _without(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in keys}


def _state(session: Session) -> tuple[int, int, int, str]:
    store = session.store
    head = store.audit.head()
    total = store.incidents.search(IncidentQuery(limit=1)).total
    return (
        total,
        len(store.pupils.list()),
        len(store.staff.list(False)),
        head.entry_hash if head else "",
    )


def test_round_trip_is_lossless(source: Session, target: Session, tmp_path: Path) -> None:
    exported = ExchangeService(source).export(include_drafts=True)
    text = dumps(exported)
    result = ExchangeService(target).import_document(parse(text))
    assert result.records + result.drafts == len(exported["incidents"])
    again = ExchangeService(target).export(include_drafts=True)
    # Only the moment of export and the school's own name may differ.
    assert _without(again, "exported_at", "school") == _without(exported, "exported_at", "school")
    # ... and a third database reached from the second gives the same file once more.
    third = _fresh(tmp_path / "third", target.user.full_name)
    try:
        ExchangeService(third).import_document(parse(dumps(again)))
        assert _without(ExchangeService(third).export(True), "exported_at") == _without(
            again, "exported_at"
        )
    finally:
        third.close()


def test_imported_records_keep_history_and_pass_verify(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    ExchangeService(target).import_document(document)
    amended = next(r for r in document["incidents"] if len(r["versions"]) > 1)
    record = target.store.incidents.by_reference(amended["reference"])
    assert record is not None
    versions = target.store.incidents.versions(record.id)
    assert [v.reason for v in versions] == [v["reason"] for v in amended["versions"]]
    assert [v.saved_at.isoformat() for v in versions] == [
        v["saved_at"] for v in amended["versions"]
    ]
    assert record.submitted_at is not None
    assert record.submitted_at.isoformat() == amended["submitted_at"]
    assert target.store.audit.verify() == []
    assert target.store.integrity_problems() == []
    linked = [r for r in document["incidents"] if r["event"] == amended["event"]]
    assert len(IncidentService(target).linked(record)) == len(linked) - 1


def test_references_carry_on_after_an_import(source: Session, target: Session) -> None:
    """The counter moves past imported references, so none is handed out twice."""
    document = ExchangeService(source).export()
    ExchangeService(target).import_document(document)
    this_year = [r["reference"] for r in document["incidents"] if r["reference"].startswith("2026")]
    pupil = target.store.pupils.list()[0]
    staff_id = target.user.staff_id
    assert staff_id is not None
    service = IncidentService(target)
    draft = service.new_draft()
    done = service.submit(draft.id, complete_details(pupil.id, staff_id, FakeClock().now().date()))
    assert done.reference == f"2026-{len(this_year) + 1:04d}"


def test_an_existing_reference_refuses_the_whole_file(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    ExchangeService(target).import_document(document)
    before = _state(target)
    with pytest.raises(BadImportFile, match=document["incidents"][0]["reference"]):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


def test_a_record_naming_a_missing_pupil_is_refused(source: Session, target: Session) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    missing = document["incidents"][3]["versions"][0]["details"]["who"]["pupil_id"]
    document["pupils"] = [p for p in document["pupils"] if p["id"] != missing]
    record = next(  # the first record that names the pupil is the one reported
        r
        for r in document["incidents"]
        if r["versions"][0]["details"]["who"]["pupil_id"] == missing
    )
    before = _state(target)
    with pytest.raises(BadImportFile, match=f"{record['reference']}.*pupil {missing}"):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "not an Incident Recorder export"),
        (lambda d: d.update(version=2), "newer version"),
        (lambda d: d.pop("incidents"), 'no "incidents" list'),
        (lambda d: d["pupils"][0].update(date_of_birth="31/02/2019"), "Pupil 1 .*date"),
        (lambda d: d["incidents"][0].update(status="lost"), "Record 1 .*not one of"),
        (lambda d: d["incidents"][0]["versions"].clear(), "lacks its submitted time or versions"),
    ],
)
def test_malformed_files_are_refused_plainly(
    source: Session, target: Session, change: Any, message: str
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    change(document)
    before = _state(target)
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


def test_a_failure_part_way_changes_nothing(source: Session, target: Session) -> None:
    """A pupil found only while writing (same UPN, another name) undoes everything."""
    document = copy.deepcopy(ExchangeService(source).export())
    last = document["pupils"][-1]
    target.store.pupils.add(NewPupil("Siân", "Griffiths", upn=last["upn"]))
    before = _state(target)
    with pytest.raises(BadImportFile, match=last["upn"]):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


def test_export_and_import_are_audited(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    assert source.store.audit.head().action == "export"  # type: ignore[union-attr]
    ExchangeService(target).import_document(document)
    actions = [e.action for e in target.store.audit.entries(limit=1000)]
    assert actions.count("import") == len(document["incidents"]) + 1
    assert document["format"] == FORMAT


def test_staff_cannot_export_or_import(source: Session, tmp_path: Path) -> None:
    UserAdminService(source, FileKeyVault(Path(tmp_path / "source"), CHEAP_KDF)).add_user(
        "Amara Okafor", "a.okafor", "kettle orchard breeze", frozenset({Role.STAFF})
    )
    folder = tmp_path / "source"
    source.close()
    teacher = _accounts(folder, FakeClock()).sign_in("a.okafor", "kettle orchard breeze")
    try:
        with pytest.raises(NotAllowed):
            ExchangeService(teacher).export()
        with pytest.raises(NotAllowed):
            ExchangeService(teacher).import_document({"format": FORMAT, "version": 1})
    finally:
        teacher.close()


def test_pupil_details_contacts_and_leavers_survive_export_and_import(
    source: Session, target: Session
) -> None:
    carer = Contact("Siân Griffiths", "Kinship carer", True, "2 Dream Lane", "01632 960789")
    added = source.store.pupils.add(
        NewPupil(
            "Tomasz",
            "Nowak",
            upn="C123456789012",
            sen_status=SenStatus.EHCP,
            ethnicity="WOTH",
            kinship_care=True,
            eal=True,
            first_language="Polish",
            contacts=(carer,),
            joined_on=date(2024, 1, 8),
        )
    )
    source.store.pupils.update(dataclasses.replace(added, left_on=date(2026, 7, 22)))
    ExchangeService(target).import_document(parse(dumps(ExchangeService(source).export())))
    (arrived,) = target.store.pupils.search("C123456789012")
    assert arrived.contacts == (carer,)
    assert (arrived.ethnicity, arrived.first_language) == ("WOTH", "Polish")
    assert arrived.kinship_care and arrived.eal and arrived.left_on == date(2026, 7, 22)
    assert arrived.joined_on == date(2024, 1, 8)  # schema 15: the first day on roll


def test_an_export_without_the_new_pupil_fields_still_imports(
    source: Session, target: Session
) -> None:
    document = ExchangeService(source).export()
    for pupil in document["pupils"]:
        for name in ("ethnicity", "contacts", "eal", "sex", "kinship_care", "joined_on"):
            del pupil[name]
    ExchangeService(target).import_document(document)
    assert len(target.store.pupils.list()) == len(document["pupils"])


# --------------------------------------------------------------------------- plans


def _with_plan(document: dict[str, Any]) -> dict[str, Any]:
    """The first plan version in the file and a record that names a version."""
    assert document["plans"], "the demo should have behaviour support plans"
    return next(
        r
        for r in document["incidents"]
        if r["versions"] and r["versions"][-1]["details"]["who"]["plan_version"] is not None
    )


def test_plans_keep_every_version_author_and_time(source: Session, target: Session) -> None:
    exported = ExchangeService(source).export()
    pupil_id = exported["plans"][0]["pupil_id"]
    upn = next(p["upn"] for p in exported["pupils"] if p["id"] == pupil_id)
    before = source.store.plans.versions(pupil_id)
    assert len(before) == 2
    result = ExchangeService(target).import_document(parse(dumps(exported)))
    assert result.plan_versions == len(exported["plans"])
    (arrived,) = target.store.pupils.search(upn)
    after = target.store.plans.versions(arrived.id)
    assert [(p.version, p.saved_at, p.saved_by_name) for p in after] == [
        (p.version, p.saved_at, p.saved_by_name) for p in before
    ]
    assert [dataclasses.replace(p, pupil_id=0, saved_by=None) for p in after] == [
        dataclasses.replace(p, pupil_id=0, saved_by=None) for p in before
    ]


def test_records_still_name_the_plan_version_in_force(source: Session, target: Session) -> None:
    document = ExchangeService(source).export()
    ExchangeService(target).import_document(document)
    exported = _with_plan(document)
    record = target.store.incidents.by_reference(exported["reference"])
    assert record is not None
    who = record.details.who
    assert who.pupil_id is not None and who.plan_version is not None
    day = record.details.when_where.date
    assert day is not None
    in_force = target.store.plans.in_force(who.pupil_id, day)
    assert in_force is not None and in_force.version == who.plan_version


def test_a_plan_for_a_pupil_not_in_the_file_is_refused(source: Session, target: Session) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    document["plans"][0]["pupil_id"] = 99999
    before = _state(target)
    with pytest.raises(BadImportFile, match=r"plan 1 .*pupil 99999, who is not in the file"):
        ExchangeService(target).import_document(document)
    assert _state(target) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["plans"].pop(0), "not numbered 1, 2, 3"),
        (lambda d: d["plans"][0].update(saved_by="nobody"), "account 'nobody'"),
        (lambda d: d["plans"][0].update(start_date="31/02/2026"), "plan 1 .*date"),
        (lambda d: d["plans"][0].update(saved_at="2026-03-10T14:05:00"), "offset from UTC"),
        (lambda d: d["plans"].clear(), "version .* plan of pupil .* not in the file's plans"),
    ],
)
def test_bad_plans_refuse_the_whole_file(
    source: Session, target: Session, change: Any, message: str
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    change(document)
    before = _state(target)
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
    assert _state(target) == before
    assert all(not target.store.plans.versions(p.id) for p in target.store.pupils.list())


def test_a_file_from_before_plans_were_exported_still_imports(
    source: Session, target: Session
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    del document["plans"]
    assert document["version"] == 1
    result = ExchangeService(target).import_document(document)
    assert result.records == len(document["incidents"]) and result.plan_versions == 0


def test_a_pupil_already_here_with_another_plan_refuses_the_file(
    source: Session, target: Session
) -> None:
    document = ExchangeService(source).export()
    first = document["plans"][0]
    upn = next(p["upn"] for p in document["pupils"] if p["id"] == first["pupil_id"])
    name = next(p for p in document["pupils"] if p["id"] == first["pupil_id"])
    here = target.store.pupils.add(NewPupil(name["first_name"], name["last_name"], upn=upn))
    plan = source.store.plans.versions(first["pupil_id"])[-1]
    target.store.plans.add(
        dataclasses.replace(plan, pupil_id=here.id, triggers="Something else entirely."),
        target.user.id,
        FakeClock().now(),
    )
    before = _state(target)
    with pytest.raises(BadImportFile, match=f"UPN {upn} already has a behaviour support plan"):
        ExchangeService(target).import_document(document)
    assert _state(target) == before
    assert len(target.store.plans.versions(here.id)) == 1


# --------------------------------------------------------------------------- plan reviews


def _reviews_by_upn(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Each pupil's recorded reviews as a user sees them: everything but the ids, with
    the records considered by reference."""
    store = session.store
    references = {i.id: i.reference for i in store.incidents.all_submitted()}
    out: dict[str, list[tuple[Any, ...]]] = {}
    for pupil in store.pupils.list():
        for r in store.reviews.for_pupil(pupil.id):
            out.setdefault(pupil.upn, []).append(
                (
                    r.held_on,
                    r.outcome,
                    r.reason,
                    r.participants,
                    r.pupil_took_part,
                    r.parents_took_part,
                    sorted(references[i] for i in r.incident_ids),
                    r.next_review,
                    r.plan_version,
                    r.recorded_at,
                    r.recorded_by_name,
                )
            )
    return out


def test_plan_reviews_come_back_with_every_field(source: Session, target: Session) -> None:
    exported = ExchangeService(source).export()
    assert exported["reviews"], "the demo should have recorded plan reviews"
    first = exported["reviews"][0]
    assert first["incidents"] and all("-" in ref for ref in first["incidents"])
    assert first["recorded_by"] in {u["username"] for u in exported["users"]}
    result = ExchangeService(target).import_document(parse(dumps(exported)))
    assert result.reviews == len(exported["reviews"])
    before = _reviews_by_upn(source)
    assert sum(len(v) for v in before.values()) == len(exported["reviews"])
    assert _reviews_by_upn(target) == before
    assert target.store.audit.verify() == []


def _review_of_another_pupil(document: dict[str, Any]) -> str:
    pupil = document["reviews"][0]["pupil_id"]
    return next(
        str(r["reference"])
        for r in document["incidents"]
        if r["versions"] and r["versions"][-1]["details"]["who"]["pupil_id"] != pupil
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["reviews"][0].update(pupil_id=99999), "review 1 .*pupil 99999"),
        (lambda d: d["reviews"][0].update(recorded_by="nobody"), "review 1 .*account 'nobody'"),
        (lambda d: d["reviews"][0].update(incidents=["2019-0999"]), "record 2019-0999"),
        (
            lambda d: d["reviews"][0].update(incidents=[_review_of_another_pupil(d)]),
            "about another pupil",
        ),
        (lambda d: d["reviews"][0].update(outcome="lost"), "review 1 .*not one of"),
        (lambda d: d["reviews"][0].update(plan_version=9), "version 9 .*not in the file's plans"),
        (lambda d: d["reviews"][0].update(recorded_at="2026-03-10T14:05:00"), "offset from UTC"),
        (lambda d: d["reviews"][0].update(reason=" "), "reason"),
        (lambda d: d.update(reviews={}), '"reviews" is not a list'),
    ],
)
def test_bad_reviews_refuse_the_whole_file(
    source: Session, target: Session, change: Any, message: str
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    change(document)
    before = _state(target)
    with pytest.raises(BadImportFile, match=message):
        ExchangeService(target).import_document(document)
    assert _state(target) == before
    assert target.store.reviews.latest() == {}


def test_a_file_from_before_reviews_were_exported_still_imports(
    source: Session, target: Session
) -> None:
    document = copy.deepcopy(ExchangeService(source).export())
    del document["reviews"]
    result = ExchangeService(target).import_document(document)
    assert result.records == len(document["incidents"]) and result.reviews == 0
    assert target.store.reviews.latest() == {}


def test_reviews_already_here_are_not_added_twice(source: Session, target: Session) -> None:
    """Pupils, plans and reviews without records (so the file can come in twice)."""
    document = copy.deepcopy(ExchangeService(source).export())
    document["incidents"] = []
    for key in (
        "parent_contacts",
        "sign_offs",
        "documents",
        "parents_copies",
        "statements",
        "referral_decisions",
        "amendment_requests",
    ):
        document[key] = []
    for review in document["reviews"]:
        review["incidents"] = []
    first = ExchangeService(target).import_document(document)
    again = ExchangeService(target).import_document(document)
    assert (first.reviews, again.reviews) == (len(document["reviews"]), 0)
    assert sum(len(v) for v in _reviews_by_upn(target).values()) == len(document["reviews"])


def test_body_map_marks_survive_export_and_import(source: Session, target: Session) -> None:
    exported = ExchangeService(source).export(include_drafts=True)
    marked = [
        (i["reference"], v["details"]["injuries"]["pupil_marks"])
        for i in exported["incidents"]
        for v in i["versions"]
        if v["details"]["injuries"].get("pupil_marks")
    ]
    assert marked, "the demo school should have an injury marked on the body map"
    ExchangeService(target).import_document(parse(dumps(exported)))
    again = ExchangeService(target).export(include_drafts=True)
    assert [
        (i["reference"], v["details"]["injuries"]["pupil_marks"])
        for i in again["incidents"]
        for v in i["versions"]
        if v["details"]["injuries"].get("pupil_marks")
    ] == marked
    # A record without marks has no body map keys at all, as before issue 13.
    unmarked = [
        v["details"]["injuries"]
        for i in exported["incidents"]
        for v in i["versions"]
        if not v["details"]["injuries"].get("pupil_injured")
        and not v["details"]["injuries"].get("staff_injured")
    ]
    assert unmarked and all("pupil_marks" not in j and "staff_marks" not in j for j in unmarked)


# --------------------------------------------------------------------------- governors' reports


def test_governors_reports_travel_with_their_pdfs(source: Session, target: Session) -> None:
    import base64

    from incident_recorder.domain.oversight.facts import Period
    from incident_recorder.domain.oversight.governors import GovernorsTexts

    period = Period(date(2025, 9, 1), date(2026, 7, 22), "School year 2025 to 2026")
    texts = GovernorsTexts(impact="Fewer holds.", actions_planned="Training in October.")
    with source.store.transaction():
        kept = source.store.governors_reports.add(
            period, "cd" * 32, texts, b"%PDF-1.4 a stand-in", source.user.id, source.now()
        )
    document = parse(dumps(ExchangeService(source).export()))
    [exported] = document["governors_reports"]
    assert exported["made_by"] == source.user.username
    result = ExchangeService(target).import_document(copy.deepcopy(document))
    assert result.governors_reports == 1
    [arrived] = target.store.governors_reports.list()
    assert (arrived.period, arrived.texts, arrived.fingerprint) == (period, texts, "cd" * 32)
    assert arrived.pdf_sha256 == kept.pdf_sha256 and arrived.made_at == kept.made_at
    assert target.store.governors_reports.pdf(arrived.id) == b"%PDF-1.4 a stand-in"
    # The same report again is not kept twice.
    from incident_recorder.services.exchange_governors import (
        import_governors_reports,
        read_governors_reports,
    )

    items = read_governors_reports(document, {source.user.username})
    with target.store.transaction():
        again = import_governors_reports(
            target.store, items, {source.user.username: target.user.id}
        )
    assert again == 0 and len(target.store.governors_reports.list()) == 1
    # A PDF altered in the file is refused, naming the report; nothing is imported.
    altered = copy.deepcopy(document)
    altered["governors_reports"][0]["pdf_base64"] = base64.b64encode(b"%PDF other").decode()
    with pytest.raises(BadImportFile, match="Governors' report 1 in the file does not match"):
        ExchangeService(target).import_document(altered)
    assert len(target.store.governors_reports.list()) == 1
