"""Whatever the punches, zone and workday start, a timesheet's seconds add up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.model import BreakKind, Channel, Org, OvertimePolicy, Punch, PunchKind
from core.periods import workday_of, workweek_start
from core.timesheet import DayRow, Timesheet, Totals, compute_timesheet, resolve_shifts
from tests.unit.test_timesheet import make_org, punch

HOUR = 3600
UP_TO_14_HOURS = st.integers(0, 14 * HOUR)
ZONES = [
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Asia/Kolkata",
]
DST_CHANGES = [
    datetime(2026, 3, 8, 10, tzinfo=UTC),  # US spring forward
    datetime(2026, 11, 1, 9, tzinfo=UTC),  # US fall back
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Europe spring forward
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Europe fall back
    datetime(2026, 4, 4, 15, tzinfo=UTC),  # Lord Howe fall back
]
FIRST_CLOCK_IN = st.one_of(
    st.sampled_from(DST_CHANGES),
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
).flatmap(lambda anchor: st.integers(-2 * 24 * HOUR, 0).map(lambda s: anchor + timedelta(seconds=s)))


@dataclass(frozen=True)
class ShiftPlan:
    gap_before: int
    stretches: list[tuple[int, int, BreakKind]]  # work, then a break of that kind
    last_stretch: int
    clocked_out: bool


SHIFT_PLANS = st.builds(
    ShiftPlan,
    gap_before=UP_TO_14_HOURS,
    stretches=st.lists(st.tuples(UP_TO_14_HOURS, st.integers(0, 2 * HOUR), st.sampled_from(BreakKind)), max_size=3),
    last_stretch=UP_TO_14_HOURS,
    clocked_out=st.booleans(),
)


@dataclass(frozen=True)
class Scenario:
    punches: list[Punch]
    elapsed: int  # seconds on shift, open shifts up to now
    now: datetime


def play(first_clock_in: datetime, plans: list[ShiftPlan], after: int) -> Scenario:
    """Punches for consecutive shifts; only the last may still be open."""
    punches: list[Punch] = []
    clock = first_clock_in
    elapsed = 0
    for number, plan in enumerate(plans):
        clock += timedelta(seconds=plan.gap_before if number else 0)
        shift_id = f"s{number}"
        started = clock
        punches.append(punch(PunchKind.CLOCK_IN, clock, shift_id))
        for work, pause, kind in plan.stretches:
            clock += timedelta(seconds=work)
            punches.append(punch(PunchKind.BREAK_START, clock, shift_id, break_kind=kind))
            clock += timedelta(seconds=pause)
            punches.append(punch(PunchKind.BREAK_END, clock, shift_id))
        clock += timedelta(seconds=plan.last_stretch)
        still_open = number == len(plans) - 1 and not plan.clocked_out
        if not still_open:
            punches.append(punch(PunchKind.CLOCK_OUT, clock, shift_id))
        elapsed += int((clock - started).total_seconds())
    now = clock + timedelta(seconds=after)
    if not plans[-1].clocked_out:
        elapsed += after
    return Scenario(punches, elapsed, now)


def counts(row: Totals) -> tuple[int, ...]:
    return (
        row.on_task_seconds,
        row.paid_break_seconds,
        row.unpaid_break_seconds,
        row.regular_seconds,
        row.overtime_seconds,
        row.double_time_seconds,
    )


def on_shift(row: Totals) -> int:
    return row.on_task_seconds + row.paid_break_seconds + row.unpaid_break_seconds


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    workday_start=st.times().map(lambda wall: wall.replace(second=0, microsecond=0)),
    workweek_start_day=st.integers(0, 6),
    policy=st.sampled_from(OvertimePolicy),
    first_clock_in=FIRST_CLOCK_IN,
    plans=st.lists(SHIFT_PLANS, min_size=1, max_size=4),
    after=UP_TO_14_HOURS,
)
def test_timesheet_seconds_always_add_up(
    zone_name: str,
    workday_start: time,
    workweek_start_day: int,
    policy: OvertimePolicy,
    first_clock_in: datetime,
    plans: list[ShiftPlan],
    after: int,
) -> None:
    # Given random shifts and breaks, in any zone, with any workday start
    org = make_org(policy, workday_start, workweek_start_day)
    zone = ZoneInfo(zone_name)
    scenario = play(first_clock_in, plans, after)
    start = workday_of(org, zone, first_clock_in)
    end = workday_of(org, zone, scenario.now)
    # When the timesheet covers every day they touch
    shifts = resolve_shifts(scenario.punches, [], scenario.now)
    sheet = compute_timesheet(org, zone, shifts, [], start, end, scenario.now)
    # Then every second on shift is counted exactly once, as work or break
    assert sum(on_shift(row) for row in sheet.days) == scenario.elapsed
    for row in sheet.days:
        assert min(counts(row)) >= 0
        assert row.regular_seconds + row.overtime_seconds + row.double_time_seconds == row.hours_worked_seconds
    # And the totals are the sum of the days
    assert counts(sheet.totals) == tuple(map(sum, zip(*(counts(row) for row in sheet.days), strict=True)))
    if policy is OvertimePolicy.FLSA:
        assert_no_week_has_more_than_40_regular_hours(sheet, org)


def assert_no_week_has_more_than_40_regular_hours(sheet: Timesheet, org: Org) -> None:
    weeks: dict[date, list[DayRow]] = defaultdict(list)
    for row in sheet.days:
        weeks[workweek_start(org, row.day)].append(row)
    for rows in weeks.values():
        regular = sum(row.regular_seconds for row in rows)
        paid = sum(row.hours_worked_seconds for row in rows)
        assert regular == min(paid, 40 * HOUR)


def as_imported(punches: list[Punch], recorded_at: list[datetime], ids: list[str], order: list[int]) -> list[Punch]:
    """The same punches as an import writes them: rows in any order, any recorded times, opaque ids."""
    imported = [
        replace(p, event_id=event_id, recorded_at=recorded, channel=Channel.IMPORT)
        for p, recorded, event_id in zip(punches, recorded_at, ids, strict=True)
    ]
    return [imported[index] for index in order]


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    policy=st.sampled_from(OvertimePolicy),
    first_clock_in=FIRST_CLOCK_IN,
    plans=st.lists(SHIFT_PLANS, min_size=1, max_size=4),
    data=st.data(),
)
def test_an_imported_history_gives_the_same_timesheet_as_the_live_one(
    zone_name: str, policy: OvertimePolicy, first_clock_in: datetime, plans: list[ShiftPlan], data: st.DataObject
) -> None:
    # Given a valid history of closed shifts, punched live
    plans[-1] = replace(plans[-1], clocked_out=True)
    org, zone = make_org(policy), ZoneInfo(zone_name)
    scenario = play(first_clock_in, plans, after=0)
    live = scenario.punches
    # And the same punches imported: stored in any order, with any ids, recorded at any times that
    # keep the order of the rows (all at one instant plus their row number, as the importer
    # records them, or any increasing times): the only record of which break a later end closes
    # when two breaks start at one instant
    count = len(live)
    one_time = data.draw(st.datetimes(timezones=st.just(UTC), max_value=datetime(9000, 1, 1)))
    recorded_at = data.draw(
        st.one_of(
            st.just([one_time + timedelta(microseconds=i) for i in range(count)]),
            st.lists(st.datetimes(timezones=st.just(UTC)), min_size=count, max_size=count, unique=True).map(sorted),
        )
    )
    ids = data.draw(
        st.lists(st.text("0123456789abcdef", min_size=8, max_size=8), min_size=count, max_size=count, unique=True)
    )
    order = data.draw(st.permutations(range(count)))
    imported = as_imported(live, recorded_at, ids, order)
    # When both are turned into timesheets over every day they touch
    start, end = workday_of(org, zone, first_clock_in), workday_of(org, zone, scenario.now)

    def sheet_of(punches: list[Punch]) -> Timesheet:
        return compute_timesheet(org, zone, resolve_shifts(punches, [], scenario.now), [], start, end, scenario.now)

    # Then they are the same, day by day and in total
    assert sheet_of(imported) == sheet_of(live)
