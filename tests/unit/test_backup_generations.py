"""Which backups are kept: every one of today, then one a day, a week, a month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from incident_recorder.domain.backups import GenerationPolicy, due, to_keep

TODAY = date(2026, 12, 7)  # a Monday


DEFAULT = GenerationPolicy()


def kept(days: list[date], policy: GenerationPolicy = DEFAULT) -> list[date]:
    return sorted({days[i] for i in to_keep(days, TODAY, policy)}, reverse=True)


def test_every_backup_of_today_and_one_a_day_for_a_week() -> None:
    days = [TODAY] * 5 + [TODAY - timedelta(days=n) for n in range(1, 10) for _ in range(3)]
    keep = to_keep(days, TODAY, GenerationPolicy(daily=7, weekly=0, monthly=0))
    assert sum(1 for i in keep if days[i] == TODAY) == 5  # all of today
    older = sorted({days[i] for i in keep if days[i] != TODAY}, reverse=True)
    assert older == [TODAY - timedelta(days=n) for n in range(1, 8)]  # one each, 7 days
    assert len(keep) == 5 + 7


def test_a_year_of_daily_backups_thins_to_the_policy() -> None:
    days = [TODAY - timedelta(days=n) for n in range(0, 400)]
    result = kept(days)
    assert result[0] == TODAY
    dailies = [TODAY - timedelta(days=n) for n in range(1, 8)]
    assert result[1:8] == dailies
    weeklies = result[8:12]
    assert len({d.isocalendar()[:2] for d in weeklies}) == 4
    assert all(d < dailies[-1] for d in weeklies)
    monthlies = result[12:]
    assert len(monthlies) == 12
    assert len({(d.year, d.month) for d in monthlies}) == 12
    assert len(result) == 1 + 7 + 4 + 12


def test_the_newest_is_kept_however_old_and_none_for_an_empty_list() -> None:
    ancient = [TODAY - timedelta(days=3000)]
    assert to_keep(ancient, TODAY, GenerationPolicy(0, 0, 0)) == {0}
    assert to_keep([], TODAY, GenerationPolicy()) == set()


def test_a_backup_is_due_after_the_interval() -> None:
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert due(None, now, 30)
    assert not due(now - timedelta(minutes=29), now, 30)
    assert due(now - timedelta(minutes=30), now, 30)
