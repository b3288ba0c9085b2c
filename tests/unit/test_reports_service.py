"""The reports service (issue 14) on the fakes: who may use each action (every role by
every action), and a governors' report kept and printed again byte for byte.
Everyone named here is fictional."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Role
from incident_recorder.domain.oversight.facts import Period, ReportInputs
from incident_recorder.domain.oversight.figures import OversightReport, Totals
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.services.reports import ReportResult, ReportService
from incident_recorder.services.session import Session
from tests.fakes import RENDERER, FakeClock, RecordingRenderer, new_school, sign_in_as
from tests.integration.oversight_sample import FINGERPRINT, PERIOD, TEXTS, published

NOW = datetime(2027, 9, 14, 15, 0, tzinfo=UTC)


def _result() -> ReportResult:
    report = OversightReport(
        period=PERIOD,
        school="Fictional Willow Academy",
        totals=Totals(0, 0, 0, 0.0),
        compliance=(),
        patterns=(),
        weekly=(),
        monthly=(),
        term_starts=(),
        repeated=(),
        disproportionality=(),
    )
    return ReportResult(ReportInputs(PERIOD, (), ()), report, published(), FINGERPRINT)


def _session(roles: frozenset[Role], username: str = "r.person") -> Session:
    school = new_school(FakeClock(NOW))
    return sign_in_as(school, username, roles, "Rowan Person")


ACTIONS: dict[str, Callable[[ReportService], Any]] = {
    "gather": lambda s: s.gather(Period(date(2027, 1, 1), date(2027, 3, 31))),
    "records_behind": lambda s: s.records_behind(["2027-0001"]),
    "make_governors_report": lambda s: s.make_governors_report(_result(), GovernorsTexts()),
    "saved_reports": lambda s: s.saved_reports(),
    "saved_pdf": lambda s: s.saved_pdf(1),
}
REFUSED_ROLES = {
    "staff": frozenset({Role.STAFF}),
    "senco": frozenset({Role.SENCO}),
    "office": frozenset({Role.OFFICE}),
    "administrator": frozenset({Role.ADMINISTRATOR}),
    "staff and senco": frozenset({Role.STAFF, Role.SENCO}),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", sorted(REFUSED_ROLES))
def test_everyone_but_leads_is_refused_in_plain_words(who: str, action: str) -> None:
    session = _session(REFUSED_ROLES[who])
    service = ReportService(session, RENDERER)
    assert not service.may_use() and not service.names_shown()
    before = len(session.store.audit.entries(limit=10_000))
    with pytest.raises(NotAllowed, match="Only a safeguarding lead or senior leader"):
        ACTIONS[action](service)
    assert len(session.store.audit.entries(limit=10_000)) == before  # nothing written


@pytest.mark.parametrize("roles", [{Role.SAFEGUARDING_LEAD}, {Role.SAFEGUARDING_LEAD, Role.STAFF}])
def test_leads_and_senior_leaders_may_use_every_action(roles: set[Role]) -> None:
    service = ReportService(_session(frozenset(roles)), RENDERER)
    assert service.may_use() and service.names_shown()
    inputs = service.gather(Period(date(2027, 1, 1), date(2027, 3, 31), "Spring term 2027"))
    assert inputs.incidents == () and inputs.names_shown
    assert service.records_behind(["2027-0001"]) == []
    saved = service.make_governors_report(_result(), TEXTS)
    assert [s.id for s in service.saved_reports()] == [saved.id]
    assert service.saved_pdf(saved.id).startswith(b"%PDF")


def test_a_kept_report_prints_again_identically_and_is_audited() -> None:
    session = _session(frozenset({Role.SAFEGUARDING_LEAD}), "h.ionescu")
    renderer = RecordingRenderer()
    service = ReportService(session, renderer)
    first = service.make_governors_report(_result(), TEXTS)
    second = service.make_governors_report(_result(), GovernorsTexts(impact="  Fewer holds.  "))
    assert (first.id, second.id) == (1, 2)
    assert [d.report_number for d in renderer.governors] == [1, 2]
    doc = renderer.governors[0]
    assert doc.fingerprint == FINGERPRINT and doc.made_by == "Rowan Person"
    assert doc.made_at == datetime(2027, 9, 14, 16, 0)  # London wall clock (summer time)
    assert second.texts.impact == "Fewer holds."  # kept as shown, trimmed
    assert first.period == PERIOD and first.fingerprint == FINGERPRINT
    pdf = service.saved_pdf(first.id)
    assert pdf == RENDERER.governors_report(doc)  # the very bytes made then
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == first.pdf_sha256
    assert service.saved_pdf(first.id) == pdf
    actions = [e.action for e in session.store.audit.entries(limit=50)]
    assert actions.count("governors_report_made") == 2
    assert actions.count("governors_report_reprinted") == 2
    detail = next(
        e.detail
        for e in session.store.audit.entries(limit=50)
        if e.action == "governors_report_made"
    )
    assert FINGERPRINT in detail and "Rowan" not in detail


def test_the_head_s_texts_have_a_limit() -> None:
    service = ReportService(_session(frozenset({Role.SAFEGUARDING_LEAD})), RENDERER)
    with pytest.raises(InvalidInput, match="actions planned is too long"):
        service.make_governors_report(_result(), GovernorsTexts(actions_planned="x" * 30_001))
    assert service.saved_reports() == []


def test_the_schools_smallest_group_for_a_ratio_is_used_and_only_the_administrator_sets_it() -> (
    None
):
    import dataclasses

    from incident_recorder.services.settings import SettingsService

    school = new_school(FakeClock(NOW), admin_roles=frozenset({Role.SAFEGUARDING_LEAD}))
    admin = sign_in_as(school, "h.bashir", frozenset({Role.ADMINISTRATOR}))
    lead = sign_in_as(school, "r.person", frozenset({Role.SAFEGUARDING_LEAD}), "Rowan Person")
    period = Period(date(2027, 1, 4), date(2027, 3, 26))
    assert ReportService(lead, RENDERER).gather(period).rules.min_on_roll == 10
    with pytest.raises(NotAllowed):
        SettingsService(lead).save_report_minimums(20, 3)
    with pytest.raises(InvalidInput, match="between 2 and 100 pupils on roll"):
        SettingsService(admin).save_report_minimums(1, 3)
    SettingsService(admin).save_report_minimums(20, 3)
    rules = ReportService(lead, RENDERER).gather(period).rules
    assert (rules.min_on_roll, rules.min_with_incident, rules.hide_below) == (20, 3, 5)
    assert dataclasses.replace(school.store.settings.get()).report_min_on_roll == 20
    details = [e.detail for e in school.store.audit.entries() if e.action == "settings_changed"]
    assert "report group minimums 20 on roll, 3 with an incident" in details
