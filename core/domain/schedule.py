"""When an org's scheduled jobs run, in its own time zone: the daily summary and the weekly timesheet.

Each org has one stored entry per job with the instant it runs next and the period it reports
on (core/store: `JOB#daily`, `JOB#weekly`, in a sparse index by due time). A sweep every few
minutes runs what is due and moves each entry to its next run in the same conditional write as
the run's notices, so a retried or doubled sweep runs nothing twice; saving the org (its zone,
summary time or workweek changed) moves the entries.

DST: the run is at `local_instant(zone, day, time)`: a local time the clock skips runs at its
forward resolution (02:30 on a spring-forward night runs at 03:30), one it shows twice runs at
the first. Every local date therefore has exactly one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from core.domain.model import Org
from core.periods import ONE_DAY, local_instant, workday_of, workweek_start

# The daily summary reports on the workday it runs in when it runs at least this far into it
# on the wall clock (at 18:00, today's), else on the workday before (at 07:00, yesterday's: a
# night crew's org may send it in the morning). Wall-clock, so a DST day changes nothing.
DAILY_LOOKBACK_MINUTES = 12 * 60


class Job(StrEnum):
    DAILY_SUMMARY = "daily"
    WEEKLY_TIMESHEET = "weekly"


@dataclass(frozen=True)
class JobRun:
    """One run of one org's job: when it is due and the period it reports on (a workday, or
    the first workday of a workweek)."""

    org_id: str
    job: Job
    due_at: datetime
    period: date

    @property
    def run_id(self) -> str:
        """Names the run, not the attempt: what the sent records are keyed on."""
        return f"{self.job.value}:{self.org_id}:{self.period.isoformat()}"


def next_run(org: Org, job: Job, after: datetime) -> JobRun:
    """The first run of `job` strictly after `after`."""
    zone = org.tz
    day = after.astimezone(zone).date() - ONE_DAY
    for _ in range(16):  # a week and a day covers every weekday
        if job is Job.DAILY_SUMMARY or day.weekday() == org.workweek_start:
            wall = org.daily_summary_time if job is Job.DAILY_SUMMARY else org.weekly_report_time
            due = local_instant(zone, day, wall)
            if due > after:
                return JobRun(org.org_id, job, due, reported_period(org, job, due))
        day += ONE_DAY
    raise AssertionError("no run in 16 days")  # pragma: no cover - a weekday comes every 7 days


def reported_period(org: Org, job: Job, due: datetime) -> date:
    if job is Job.DAILY_SUMMARY:
        into = _minutes_of(org.daily_summary_time) - _minutes_of(org.workday_start)
        workday = workday_of(org, org.tz, due)
        return workday if into % (24 * 60) >= DAILY_LOOKBACK_MINUTES else workday - ONE_DAY
    # the weekly timesheet reports the last complete workweek
    this_week = workweek_start(org, workday_of(org, org.tz, due))
    return this_week - 7 * ONE_DAY


def _minutes_of(wall: time) -> int:
    return wall.hour * 60 + wall.minute


def rescheduled(org: Org, job: Job, now: datetime, stored: JobRun | None) -> JobRun:
    """Where a job's entry goes when the org is saved: its next run under the org's settings now.

    An entry already due stays (the next sweep runs it; the run after follows the new settings).
    A change that would skip a day the daily entry still owes (the summary time moved to one
    already past today) sends that day's summary now instead of never. (The weekly timesheet
    simply follows the new settings: it never reports a week before the week is over.)
    """
    if stored is not None and stored.due_at <= now:
        return stored
    run = next_run(org, job, now)
    owed = stored is not None and stored.period < run.period and job is Job.DAILY_SUMMARY
    if owed and stored is not None and stored.period <= workday_of(org, org.tz, now):
        return JobRun(org.org_id, job, now, stored.period)
    return run


def all_jobs(org: Org, now: datetime, stored: dict[Job, JobRun]) -> list[JobRun]:
    return [rescheduled(org, job, now, stored.get(job)) for job in Job]
