"""Workdays and workweeks on the local clock, as UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.model import Org
from core.periods import (
    local_today,
    resolve_local_time,
    workday_bounds,
    workday_of,
    workweek_bounds,
    workweek_start,
)

LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")


def org(workday_start: time = time(0, 0), workweek_start: int = 0) -> Org:
    return Org(org_id="o1", name="Acme", workday_start=workday_start, workweek_start=workweek_start)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(hours=1)


def test_workday_runs_from_workday_start_to_the_same_wall_time_next_day() -> None:
    # Given an org whose workday starts at 06:00 in New York (EST, UTC-5)
    # When we ask for the workday of 2026-01-15
    start, end = workday_bounds(org(time(6, 0)), NY, date(2026, 1, 15))
    # Then it runs 06:00 to 06:00 local
    assert (start, end) == (utc(2026, 1, 15, 11), utc(2026, 1, 16, 11))


def test_dst_days_are_23_and_25_hours_long() -> None:
    spring = workday_bounds(org(), LA, date(2026, 3, 8))
    fall = workday_bounds(org(), LA, date(2026, 11, 1))
    assert hours(*spring) == 23
    assert hours(*fall) == 25


def test_a_workday_start_skipped_by_spring_forward_resolves_forward() -> None:
    # Given a workday that starts at 02:30, which Los Angeles skips on 2026-03-08
    start, _ = workday_bounds(org(time(2, 30)), LA, date(2026, 3, 8))
    # Then it starts at 03:30 PDT (the offset before the change, PST, applied to 02:30)
    assert start == utc(2026, 3, 8, 10, 30)
    assert start.astimezone(LA).strftime("%H:%M %Z") == "03:30 PDT"


def test_a_repeated_workday_start_uses_its_first_occurrence() -> None:
    # Given a workday that starts at 01:30, which Los Angeles shows twice on 2026-11-01
    start, end = workday_bounds(org(time(1, 30)), LA, date(2026, 11, 1))
    # Then it starts at the first 01:30 (PDT) and the day is 25 hours long
    assert start == utc(2026, 11, 1, 8, 30)
    assert hours(start, end) == 25


def test_workday_of_respects_a_workday_start_after_midnight() -> None:
    night = org(time(6, 0))
    assert workday_of(night, NY, utc(2026, 1, 16, 10, 59)) == date(2026, 1, 15)  # 05:59 local
    assert workday_of(night, NY, utc(2026, 1, 16, 11, 0)) == date(2026, 1, 16)  # 06:00 local


def test_workweek_starts_on_the_orgs_weekday() -> None:
    sunday_weeks = org(workweek_start=6)
    assert workweek_start(sunday_weeks, date(2026, 3, 7)) == date(2026, 3, 1)  # Saturday -> Sunday before
    assert workweek_start(sunday_weeks, date(2026, 3, 8)) == date(2026, 3, 8)  # a Sunday is its own start
    assert workweek_start(org(), date(2026, 3, 8)) == date(2026, 3, 2)  # Monday weeks


def test_workweek_bounds_span_seven_workdays_even_over_dst() -> None:
    start, end = workweek_bounds(org(workweek_start=6), LA, date(2026, 3, 10))
    assert start == utc(2026, 3, 8, 8)  # Sunday 00:00 PST
    assert end == utc(2026, 3, 15, 7)  # next Sunday 00:00 PDT
    assert hours(start, end) == 167


def test_local_today_is_the_date_on_the_local_clock() -> None:
    assert local_today(LA, utc(2026, 1, 16, 7, 59)) == date(2026, 1, 15)
    assert local_today(LA, utc(2026, 1, 16, 8, 0)) == date(2026, 1, 16)


def test_out_2330_sent_after_midnight_means_yesterday() -> None:
    # Given it is 00:10 in New York on 2026-01-16
    now = utc(2026, 1, 16, 5, 10)
    # When the worker says `out 23:30`
    # Then that is 23:30 on the 15th
    assert resolve_local_time(NY, time(23, 30), now) == utc(2026, 1, 16, 4, 30)


def test_a_time_earlier_today_is_today_and_now_itself_counts() -> None:
    now = utc(2026, 1, 15, 17, 0)  # 12:00 in New York
    assert resolve_local_time(NY, time(8, 15), now) == utc(2026, 1, 15, 13, 15)
    assert resolve_local_time(NY, time(12, 0), now) == now


def test_a_repeated_wall_time_means_its_latest_occurrence_so_far() -> None:
    # Given it is 01:45 PST, the second pass through 01:xx in Los Angeles on 2026-11-01
    now = utc(2026, 11, 1, 9, 45)
    # Then 01:30 is the second occurrence (PST), 15 minutes ago
    assert resolve_local_time(LA, time(1, 30), now) == utc(2026, 11, 1, 9, 30)
    # And during the first pass, it is the first occurrence (PDT)
    assert resolve_local_time(LA, time(1, 30), utc(2026, 11, 1, 8, 45)) == utc(2026, 11, 1, 8, 30)


def test_a_skipped_wall_time_resolves_forward() -> None:
    # Given it is 09:00 on the spring-forward day; 02:30 never happened
    now = utc(2026, 3, 8, 16, 0)
    # Then `02:30` means 03:30 PDT
    assert resolve_local_time(LA, time(2, 30), now) == utc(2026, 3, 8, 10, 30)


ZONES = st.sampled_from(
    [ZoneInfo(name) for name in ("UTC", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe")]
)
INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
WALL_TIMES = st.times().map(lambda wall: wall.replace(microsecond=0))


@settings(max_examples=150, deadline=None)
@given(zone=ZONES, instant=INSTANTS, workday_start=WALL_TIMES)
def test_every_instant_falls_in_the_workday_workday_of_names(
    zone: ZoneInfo, instant: datetime, workday_start: time
) -> None:
    the_org = org(workday_start)
    day = workday_of(the_org, zone, instant)
    start, end = workday_bounds(the_org, zone, day)
    assert start <= instant < end
    assert workday_bounds(the_org, zone, day + timedelta(days=1))[0] == end


@settings(max_examples=150, deadline=None)
@given(zone=ZONES, now=INSTANTS, wall=WALL_TIMES)
def test_resolved_local_time_is_recent_and_not_in_the_future(zone: ZoneInfo, now: datetime, wall: time) -> None:
    resolved = resolve_local_time(zone, wall, now)
    assert now - timedelta(hours=27) < resolved <= now
