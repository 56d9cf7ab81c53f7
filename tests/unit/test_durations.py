"""The one rounding rule (core/domain/durations.py): what a reply, a timesheet, a CSV and an email show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain.durations import (
    ROUNDING_CHOICES,
    elapsed_minutes,
    elapsed_seconds,
    hours,
    hours_of_parts,
    minutes,
    minutes_of_parts,
    round_to_nearest,
)
from core.domain.model import Org
from core.store.items import org_from_item, org_to_item
from core.timesheet import Minutes, Shift, compute_timesheet

NY = ZoneInfo("America/New_York")
START = datetime(2026, 11, 16, 12, 58, tzinfo=UTC)  # 07:58 in New York


def test_half_a_minute_rounds_up_and_less_rounds_down():
    assert [minutes(s) for s in (0, 29, 30, 89, 90, 4 * 60 + 40)] == [0, 0, 1, 1, 2, 5]


def test_sub_seconds_of_each_instant_are_dropped_before_subtracting():
    # 12:58:00.9 to 13:02:30.1 is 270 whole seconds (4m 30s: 5m), as the timesheet counts it
    start = START + timedelta(microseconds=900_000)
    end = START + timedelta(minutes=4, seconds=30, microseconds=100_000)
    assert elapsed_seconds(start, end) == 270
    assert elapsed_minutes(start, end) == 5
    assert elapsed_minutes(end, start) == 0


@given(st.lists(st.integers(min_value=0, max_value=50_000), min_size=1, max_size=6))
def test_parts_add_up_to_the_whole_as_shown(parts: list[int]):
    assert sum(minutes_of_parts(*parts)) == minutes(sum(parts))
    assert sum(hours_of_parts(*parts)) == hours(sum(parts))


def test_decimal_hours_have_two_places():
    assert hours(485) == Decimal("8.08") and hours(15) == Decimal("0.25") and hours(0) == Decimal("0.00")
    assert hours_of_parts(1, 1) == (Decimal("0.02"), Decimal("0.01"))  # 2 minutes are 0.03 h, not 0.04


@pytest.mark.parametrize(
    ("wall", "step", "expected"),
    [
        ("07:52:29", 15, "07:45"),
        ("07:52:30", 15, "08:00"),  # exactly half way: up
        ("07:58:00", 15, "08:00"),
        ("08:07:00", 15, "08:00"),
        ("08:08:00", 15, "08:15"),  # 785.48(b)'s example: 1-7 minutes down, 8-14 up
        ("07:58:59", 6, "08:00"),
        ("07:56:59", 6, "07:54"),
        ("07:58:00", 5, "08:00"),
        ("07:58:29", 1, "07:58"),
        ("07:58:30", 1, "07:59"),
        ("07:58:31", 0, "07:58:31"),
    ],
)
def test_clock_times_round_to_the_nearest_step_of_the_local_clock(wall: str, step: int, expected: str):
    # The local clock's steps, whatever the offset: -5:00, +5:30, +5:45 (not a 6-minute step of UTC)
    for zone in ("America/New_York", "Asia/Kolkata", "Asia/Kathmandu"):
        tz = ZoneInfo(zone)
        at = datetime.combine(date(2026, 11, 16), datetime.strptime(wall, "%H:%M:%S").time(), tzinfo=tz)
        rounded = round_to_nearest(at.astimezone(UTC), step, tz).astimezone(tz)
        shown = rounded.strftime("%H:%M:%S" if step == 0 else "%H:%M")
        assert shown == expected, zone


def test_rounding_is_neutral_over_time():
    # Every second of an hour, rounded to 15 minutes: as much time added as taken away (785.48(b))
    for step in ROUNDING_CHOICES[1:]:
        moved = [
            (round_to_nearest(START + timedelta(seconds=s), step, NY) - (START + timedelta(seconds=s))).total_seconds()
            for s in range(3600)
        ]
        assert abs(sum(moved) / len(moved)) <= 0.5, step  # half a second on average, from "half way: up"


def _org(**changes) -> Org:  # type: ignore[no-untyped-def]
    return replace(Org(org_id="acme", name="Acme"), **changes)


def test_a_report_rounding_moves_clock_in_and_out_not_breaks():
    from core.domain.model import BreakKind
    from core.timesheet import Break

    shift = Shift(
        "s1",
        "w1",
        START,  # 07:58
        START + timedelta(hours=8, minutes=9),  # 16:07
        breaks=(Break(START + timedelta(hours=4, minutes=2), START + timedelta(hours=4, minutes=33), BreakKind.MEAL),),
    )
    day = date(2026, 11, 16)
    now = START + timedelta(hours=12)
    raw = compute_timesheet(_org(), NY, [shift], [], day, day, now).days[0]
    rounded = compute_timesheet(_org(rounding_minutes=15), NY, [shift], [], day, day, now).days[0]

    assert raw.shown == Minutes(on_task=8 * 60 + 9 - 31, unpaid_break=31, regular=8 * 60 + 9 - 31)
    # 08:00 to 16:00, the 31-minute meal as punched
    assert rounded.first_in == START + timedelta(minutes=2)
    assert rounded.last_out == START + timedelta(hours=8, minutes=2)
    assert rounded.shown == Minutes(on_task=8 * 60 - 31, unpaid_break=31, regular=8 * 60 - 31)


def test_an_org_keeps_its_rounding_and_refuses_one_not_offered():
    org = _org(rounding_minutes=6)
    assert org_from_item(org_to_item(org)).rounding_minutes == 6
    assert org_from_item(org_to_item(_org())).rounding_minutes == 0
    assert org_from_item({**org_to_item(_org()), "rounding_minutes": 7}).rounding_minutes == 0
    with pytest.raises(ValueError):
        _org(rounding_minutes=10)


def test_a_total_is_the_sum_of_its_rows_as_shown():
    # Two days of 10m 20s of paid break each: each shows 10m, the total 20m (not 21m)
    from core.timesheet import Totals

    day = Totals(
        on_task_seconds=0,
        paid_break_seconds=620,
        unpaid_break_seconds=0,
        regular_seconds=620,
        overtime_seconds=0,
        double_time_seconds=0,
    )
    assert Minutes.of(day).paid_break == 10
    assert Minutes.total([day, day]).paid_break == 20
    assert Minutes.total([day, day]).hours_worked == Minutes.total([day, day]).regular == 20
