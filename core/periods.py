"""Where a worker's local workday and workweek begin and end, as UTC instants.

A workday starts at `org.workday_start` on the local clock and ends when the clock next
shows that time, so consecutive workdays tile without gaps: a DST day is 23 or 25 hours long.

Local wall times are turned into instants with zoneinfo's standard rule (fold=0):
- a wall time skipped by spring-forward keeps the offset in force before the change, which
  lands it forward by the size of the gap (02:30 on 2026-03-08 in Los Angeles is 03:30 PDT);
- a wall time repeated by fall-back is its first occurrence (01:30 on 2026-11-01 is 01:30 PDT).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.domain.model import Org, PayPeriod

ONE_DAY = timedelta(days=1)
# The days a timesheet or report may be asked for: none of our records is older, and both ends are
# far enough from date.min and date.max that workweek and time-zone arithmetic cannot overflow.
EARLIEST_DAY = date(2000, 1, 1)
DAYS_AHEAD = timedelta(days=366)


def reportable_days(today: date) -> tuple[date, date]:
    """The first and last day anyone may ask hours or a report for, given the local `today`."""
    return EARLIEST_DAY, today + DAYS_AHEAD


def local_instant(zone: ZoneInfo, day: date, wall: time) -> datetime:
    """The UTC instant of `wall` on local date `day` (gap: forward; repeat: first occurrence)."""
    return datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def workday_bounds(org: Org, zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of the local workday `day`."""
    return local_instant(zone, day, org.workday_start), local_instant(zone, day + ONE_DAY, org.workday_start)


def workday_of(org: Org, zone: ZoneInfo, instant: datetime) -> date:
    """The local workday that contains `instant`."""
    calendar_day = instant.astimezone(zone).date()
    for day in (calendar_day - ONE_DAY, calendar_day, calendar_day + ONE_DAY):
        start, end = workday_bounds(org, zone, day)
        if start <= instant < end:
            return day
    raise AssertionError(f"no workday contains {instant.isoformat()}")  # pragma: no cover - days tile


def workweek_start(org: Org, day: date) -> date:
    """The first workday of the workweek containing `day`."""
    return day - timedelta(days=(day.weekday() - org.workweek_start) % 7)


def workweek_bounds(org: Org, zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of the workweek containing workday `day`."""
    first = workweek_start(org, day)
    return workday_bounds(org, zone, first)[0], workday_bounds(org, zone, first + 6 * ONE_DAY)[1]


# With no anchor of its own, an org's biweekly periods count from the workweek holding this day.
BIWEEKLY_ANCHOR = date(2024, 1, 1)


def pay_period(org: Org, day: date) -> tuple[date, date]:
    """The first and last workday (inclusive) of the org's pay period holding workday `day`."""
    if org.pay_period is PayPeriod.SEMIMONTHLY:
        if day.day <= 15:
            return day.replace(day=1), day.replace(day=15)
        next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return day.replace(day=16), next_month - ONE_DAY
    first = workweek_start(org, day)
    if org.pay_period is PayPeriod.BIWEEKLY:
        anchor = org.pay_period_anchor or workweek_start(org, BIWEEKLY_ANCHOR)
        first = day - timedelta(days=(day - anchor).days % 14)
        return first, first + 13 * ONE_DAY
    return first, first + 6 * ONE_DAY


def previous_pay_period(org: Org, day: date) -> tuple[date, date]:
    """The pay period before the one holding `day`."""
    return pay_period(org, pay_period(org, day)[0] - ONE_DAY)


def local_today(zone: ZoneInfo, now: datetime) -> date:
    """The calendar date on the local clock at `now`."""
    return now.astimezone(zone).date()


def resolve_local_time(zone: ZoneInfo, wall: time, now: datetime) -> datetime:
    """The most recent UTC instant <= `now` at which the local clock showed `wall`.

    `out 23:30` sent at 00:10 means yesterday 23:30. Of a repeated wall time the later
    occurrence is the more recent one; a wall time the clock skipped resolves forward.
    """
    today = local_today(zone, now)
    candidates = [
        instant for back in range(3) for instant in _occurrences(zone, today - back * ONE_DAY, wall) if instant <= now
    ]
    return max(candidates)


def _occurrences(zone: ZoneInfo, day: date, wall: time) -> list[datetime]:
    """The instants at which the local clock showed `wall` on `day`: one, or two on a fall-back
    day; for a wall time the clock skipped, its forward resolution."""
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    instants = {naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)}
    shown = sorted(instant for instant in instants if _wall_clock(zone, instant) == naive)
    return shown or [local_instant(zone, day, wall)]


def _wall_clock(zone: ZoneInfo, instant: datetime) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)
