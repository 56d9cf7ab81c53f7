"""When an org's daily summary and weekly timesheet run: its own zone, one run per local date, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from core.domain.model import Org
from core.domain.schedule import Job, JobRun, next_run, rescheduled

NY = Org(org_id="acme", name="Acme", timezone="America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def runs(org: Org, job: Job, start: datetime, days: int) -> list[JobRun]:
    found, after = [], start
    while True:
        run = next_run(org, job, after)
        if run.due_at > start + timedelta(days=days):
            return found
        found.append(run)
        after = run.due_at


def test_the_daily_summary_runs_at_18_local_and_reports_that_day() -> None:
    run = next_run(NY, Job.DAILY_SUMMARY, utc(2026, 11, 16, 12, 0))
    assert run.due_at == utc(2026, 11, 16, 23, 0)  # 18:00 EST
    assert run.period == date(2026, 11, 16)
    assert run.run_id == "daily:acme:2026-11-16"
    assert next_run(NY, Job.DAILY_SUMMARY, run.due_at).period == date(2026, 11, 17)


def test_a_morning_summary_reports_the_day_before() -> None:
    night_crew = Org(org_id="n", name="Night", timezone="America/New_York", daily_summary_time=time(7, 0))
    run = next_run(night_crew, Job.DAILY_SUMMARY, utc(2026, 11, 16, 5, 0))
    assert run.due_at == utc(2026, 11, 16, 12, 0) and run.period == date(2026, 11, 15)


def test_the_weekly_timesheet_runs_monday_08_for_last_week() -> None:
    run = next_run(NY, Job.WEEKLY_TIMESHEET, utc(2026, 11, 18, 12, 0))  # a Wednesday
    assert run.due_at == utc(2026, 11, 23, 13, 0)  # Monday 08:00 EST
    assert run.period == date(2026, 11, 16)  # the week Mon 16 .. Sun 22
    sunday_orgs = Org(org_id="s", name="S", timezone="America/Los_Angeles", workweek_start=6)
    run = next_run(sunday_orgs, Job.WEEKLY_TIMESHEET, utc(2026, 11, 18, 12, 0))
    assert run.due_at == utc(2026, 11, 22, 16, 0) and run.period == date(2026, 11, 15)


def test_dst_days_get_exactly_one_run_each_even_at_a_time_that_is_skipped_or_repeated() -> None:
    for wall in (time(2, 30), time(1, 30), time(18, 0), time(0, 0)):
        org = Org(org_id="dst", name="DST", timezone="America/New_York", daily_summary_time=wall)
        for start in (utc(2026, 3, 5), utc(2026, 10, 29)):  # around 8 Mar and 1 Nov 2026
            found = runs(org, Job.DAILY_SUMMARY, start, 7)
            local_days = [run.due_at.astimezone(org.tz).date() for run in found]
            assert len(local_days) == len(set(local_days)) == 7, (wall, start, found)
    spring = Org(org_id="dst", name="DST", timezone="America/New_York", daily_summary_time=time(2, 30))
    [run] = [
        r for r in runs(spring, Job.DAILY_SUMMARY, utc(2026, 3, 7), 2) if r.due_at.month == 3 and r.due_at.day == 8
    ]
    assert run.due_at == utc(2026, 3, 8, 7, 30)  # 03:30 EDT: the skipped 02:30 runs forward
    fall = Org(org_id="dst", name="DST", timezone="America/New_York", daily_summary_time=time(1, 30))
    [run] = [r for r in runs(fall, Job.DAILY_SUMMARY, utc(2026, 10, 31, 12), 1) if r.due_at.day == 1]
    assert run.due_at == utc(2026, 11, 1, 5, 30)  # the first 01:30 (EDT), not the repeat


def test_the_weekly_run_survives_dst_weeks() -> None:
    found = runs(NY, Job.WEEKLY_TIMESHEET, utc(2026, 2, 20), 60)
    periods = [run.period for run in found]
    assert periods == sorted(set(periods)) and all(b - a == timedelta(days=7) for a, b in pairwise(periods))
    assert all(run.due_at.astimezone(NY.tz).time() == time(8, 0) for run in found)


@given(
    zone=st.sampled_from(["America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "UTC"]),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    offset_days=st.integers(0, 365),
)
def test_every_local_date_has_one_daily_run(zone: str, hour: int, minute: int, offset_days: int) -> None:
    org = Org(org_id="p", name="P", timezone=zone, daily_summary_time=time(hour, minute))
    found = runs(org, Job.DAILY_SUMMARY, utc(2026, 1, 1) + timedelta(days=offset_days), 10)
    periods = [run.period for run in found]
    assert len(periods) == len(set(periods))
    assert all(b - a == timedelta(days=1) for a, b in pairwise(periods))


def test_saving_an_org_moves_its_runs_but_never_skips_an_owed_day() -> None:
    now = utc(2026, 11, 16, 22, 30)  # 17:30 local
    stored = next_run(NY, Job.DAILY_SUMMARY, utc(2026, 11, 16, 12))  # today 18:00
    # unchanged settings: the same run
    assert rescheduled(NY, Job.DAILY_SUMMARY, now, stored) == stored
    # later: today's run moves to 19:00
    later = Org(org_id="acme", name="Acme", timezone="America/New_York", daily_summary_time=time(19, 0))
    assert rescheduled(later, Job.DAILY_SUMMARY, now, stored).due_at == utc(2026, 11, 17, 0, 0)
    # earlier, to a time already past today: today's summary goes now rather than never
    earlier = Org(org_id="acme", name="Acme", timezone="America/New_York", daily_summary_time=time(17, 0))
    moved = rescheduled(earlier, Job.DAILY_SUMMARY, now, stored)
    assert moved.due_at == now and moved.period == date(2026, 11, 16)
    # an entry already due stays as it is: the next sweep runs it
    assert rescheduled(earlier, Job.DAILY_SUMMARY, utc(2026, 11, 16, 23, 1), stored) == stored
    # a new org: its first run
    assert rescheduled(NY, Job.DAILY_SUMMARY, now, None) == stored
