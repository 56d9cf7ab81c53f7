"""Timesheets as a payroll person reads them: hours per workday, breaks, overtime, flags."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.domain.model import (
    BreakKind,
    BreakPolicy,
    Channel,
    Correction,
    CorrectionDecision,
    Decision,
    Expense,
    Org,
    OvertimePolicy,
    Punch,
    PunchKind,
)
from core.timesheet import Flag, Timesheet, compute_timesheet, minutes, resolve_shifts

H = 3600
M = 60
NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
MEAL, REST = BreakKind.MEAL, BreakKind.REST
IN, OUT = PunchKind.CLOCK_IN, PunchKind.CLOCK_OUT
MONDAY = date(2026, 1, 12)

_ids = itertools.count(1)


def make_org(
    policy: OvertimePolicy = OvertimePolicy.FLSA,
    workday_start: time = time(0, 0),
    workweek_start: int = 0,
    **break_policy: object,
) -> Org:
    """An org under California's meal rules (whatever its overtime policy) unless told otherwise."""
    break_policy.setdefault("meal_rules", "california")
    return Org(
        org_id="o1",
        name="Acme",
        overtime_policy=policy,
        workday_start=workday_start,
        workweek_start=workweek_start,
        break_policy=BreakPolicy(**break_policy),  # type: ignore[arg-type]
    )


def local(zone: ZoneInfo, day: date, clock: str) -> datetime:
    """`clock` on local date `day` as a UTC instant; "+1 06:00" means the next day."""
    if clock.startswith("+1 "):
        day, clock = day + timedelta(days=1), clock[3:]
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=zone).astimezone(UTC)


def punch(
    kind: PunchKind,
    at: datetime,
    shift_id: str,
    *,
    recorded_at: datetime | None = None,
    break_kind: BreakKind | None = None,
    correction: Correction | None = None,
    worker_id: str = "w1",
) -> Punch:
    return Punch(
        event_id=f"e{next(_ids):04d}",
        worker_id=worker_id,
        org_id="o1",
        kind=kind,
        at=at,
        recorded_at=recorded_at or at,
        channel=Channel.SMS,
        actor_id=worker_id,
        shift_id=shift_id,
        break_kind=break_kind,
        correction=correction,
    )


def shift(
    start: datetime,
    end: datetime | None,
    breaks: Sequence[tuple[datetime, datetime | None, BreakKind | None]] = (),
    worker_id: str = "w1",
) -> list[Punch]:
    """The live punches of one shift: clock in, breaks, clock out (None: still clocked in)."""
    shift_id = f"s{next(_ids):04d}"
    punches = [punch(IN, start, shift_id, worker_id=worker_id)]
    for brk_start, brk_end, kind in breaks:
        punches.append(punch(PunchKind.BREAK_START, brk_start, shift_id, break_kind=kind, worker_id=worker_id))
        if brk_end is not None:
            punches.append(punch(PunchKind.BREAK_END, brk_end, shift_id, worker_id=worker_id))
    if end is not None:
        punches.append(punch(OUT, end, shift_id, worker_id=worker_id))
    return punches


def workday(
    day: date,
    clock_in: str,
    clock_out: str | None,
    *breaks: tuple[str, str | None, BreakKind | None],
    zone: ZoneInfo = NY,
) -> list[Punch]:
    """A shift given in local wall times on `day`."""
    return shift(
        local(zone, day, clock_in),
        local(zone, day, clock_out) if clock_out else None,
        [(local(zone, day, a), local(zone, day, b) if b else None, kind) for a, b, kind in breaks],
    )


def timesheet(
    punches: Iterable[Punch],
    start: date,
    end: date | None = None,
    *,
    org: Org | None = None,
    zone: ZoneInfo = NY,
    now: datetime | None = None,
    decisions: Iterable[CorrectionDecision] = (),
    expenses: Iterable[Expense] = (),
) -> Timesheet:
    now = now or datetime(2027, 1, 1, tzinfo=UTC)
    shifts = resolve_shifts(punches, decisions, now)
    return compute_timesheet(org or make_org(), zone, shifts, expenses, start, end or start, now)


def decision(target: Punch, verdict: Decision) -> CorrectionDecision:
    return CorrectionDecision(
        event_id=f"d{next(_ids):04d}",
        worker_id=target.worker_id,
        org_id="o1",
        target_event_id=target.event_id,
        decision=verdict,
        decided_by="boss",
        decided_at=target.recorded_at + timedelta(hours=1),
        channel=Channel.SLACK,
    )


# --- a day's hours --------------------------------------------------------------------------------


def test_a_simple_day_is_eight_regular_hours() -> None:
    # Given a worker in at 09:00 and out at 17:00
    sheet = timesheet(workday(MONDAY, "09:00", "17:00"), MONDAY)
    # Then the day shows 8 h worked, all regular, with the clock times
    day = sheet.row(MONDAY)
    assert (day.on_task_seconds, day.hours_worked_seconds, day.regular_seconds) == (8 * H, 8 * H, 8 * H)
    assert (day.overtime_seconds, day.double_time_seconds) == (0, 0)
    assert day.first_in == local(NY, MONDAY, "09:00")
    assert day.last_out == local(NY, MONDAY, "17:00")
    assert day.flags == (Flag.MEAL_MISSED,)  # 8 h without a meal break


def test_a_meal_break_is_unpaid_and_a_rest_break_is_paid() -> None:
    # Given 09:00-17:30 with a 30-minute lunch and a 10-minute rest break
    punches = workday(MONDAY, "09:00", "17:30", ("12:00", "12:30", MEAL), ("15:00", "15:10", REST))
    day = timesheet(punches, MONDAY).row(MONDAY)
    # Then lunch is unpaid, the rest break paid, and 8 h are paid
    assert day.on_task_seconds == 8 * H - 10 * M
    assert day.paid_break_seconds == 10 * M
    assert day.unpaid_break_seconds == 30 * M
    assert day.hours_worked_seconds == day.regular_seconds == 8 * H
    assert day.flags == ()


def test_a_short_meal_break_is_paid_and_flagged() -> None:
    # Given a lunch of only 20 minutes
    day = timesheet(workday(MONDAY, "09:00", "13:00", ("11:00", "11:20", MEAL)), MONDAY).row(MONDAY)
    # Then it is paid time and flagged
    assert day.paid_break_seconds == 20 * M
    assert day.unpaid_break_seconds == 0
    assert day.hours_worked_seconds == 4 * H
    assert Flag.SHORT_MEAL in day.flags


def test_a_break_without_a_kind_follows_the_orgs_default() -> None:
    day = timesheet(workday(MONDAY, "09:00", "13:00", ("11:00", "11:45", None)), MONDAY)
    assert day.row(MONDAY).paid_break_seconds == 45 * M  # default kind: rest, paid


# --- workday boundaries and DST -----------------------------------------------------------------


def test_a_night_shift_is_split_at_midnight_when_workdays_start_at_midnight() -> None:
    # Given workdays that start at 00:00 and a shift 22:00-06:00
    sheet = timesheet(workday(MONDAY, "22:00", "+1 06:00"), MONDAY, MONDAY + timedelta(days=1))
    monday, tuesday = sheet.days
    # Then 2 h count on Monday and 6 h on Tuesday
    assert monday.on_task_seconds == 2 * H
    assert tuesday.on_task_seconds == 6 * H
    assert (monday.first_in, monday.last_out) == (local(NY, MONDAY, "22:00"), None)
    assert (tuesday.first_in, tuesday.last_out) == (None, local(NY, MONDAY, "+1 06:00"))
    assert sheet.totals.on_task_seconds == 8 * H


def test_a_night_shift_stays_whole_when_workdays_start_at_six_pm() -> None:
    # Given workdays that start at 18:00
    org = make_org(workday_start=time(18, 0))
    sheet = timesheet(workday(MONDAY, "22:00", "+1 06:00"), MONDAY, MONDAY + timedelta(days=1), org=org)
    # Then the whole shift is Monday's
    assert [day.on_task_seconds for day in sheet.days] == [8 * H, 0]
    assert sheet.row(MONDAY).last_out == local(NY, MONDAY, "+1 06:00")


def test_a_night_shift_over_spring_forward_is_seven_hours() -> None:
    # Given 23:00-07:00 in Los Angeles across 2026-03-08 02:00 -> 03:00
    saturday = date(2026, 3, 7)
    punches = workday(saturday, "23:00", "+1 07:00", zone=LA)
    sheet = timesheet(punches, saturday, saturday + timedelta(days=1), zone=LA)
    # Then 7 h were worked: 1 h on Saturday, 6 h on Sunday
    assert [day.on_task_seconds for day in sheet.days] == [1 * H, 6 * H]
    assert sheet.totals.on_task_seconds == 7 * H


def test_a_night_shift_over_fall_back_is_nine_hours() -> None:
    saturday = date(2026, 10, 31)
    punches = workday(saturday, "23:00", "+1 07:00", zone=LA)
    sheet = timesheet(punches, saturday, saturday + timedelta(days=1), zone=LA)
    assert [day.on_task_seconds for day in sheet.days] == [1 * H, 8 * H]
    assert sheet.totals.on_task_seconds == 9 * H


# --- overtime -------------------------------------------------------------------------------------


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


def test_flsa_five_nine_hour_days_give_five_hours_overtime_on_friday() -> None:
    # Given Monday to Friday, 9 h a day
    punches = [p for day in days_from(MONDAY, 5) for p in workday(day, "08:00", "17:00")]
    sheet = timesheet(punches, MONDAY, MONDAY + timedelta(days=6))
    # Then hours past 40 in the week are overtime: 5 h, all on Friday
    assert [day.overtime_seconds for day in sheet.days] == [0, 0, 0, 0, 5 * H, 0, 0]
    assert sheet.row(MONDAY + timedelta(days=4)).regular_seconds == 4 * H
    assert (sheet.totals.regular_seconds, sheet.totals.overtime_seconds) == (40 * H, 5 * H)


def test_flsa_has_no_daily_overtime() -> None:
    day = timesheet(workday(MONDAY, "06:00", "20:00"), MONDAY).row(MONDAY)
    assert (day.regular_seconds, day.overtime_seconds) == (14 * H, 0)
    assert Flag.LONG_SHIFT in day.flags


def test_flsa_a_shift_over_the_workweek_boundary_counts_in_each_week() -> None:
    # Given workweeks starting on Sunday, 40 h Monday-Friday and a Saturday night shift into Sunday
    org = make_org(workweek_start=6)
    saturday, sunday = date(2026, 1, 17), date(2026, 1, 18)
    punches = [p for day in days_from(MONDAY, 5) for p in workday(day, "09:00", "17:00")]
    punches += workday(saturday, "20:00", "+1 04:00")
    # When the timesheet covers only Saturday and Sunday
    sheet = timesheet(punches, saturday, sunday, org=org)
    # Then Saturday's 4 h are overtime (the week already had 40 h) and Sunday's 4 h start a new week
    assert [day.day for day in sheet.days] == [saturday, sunday]
    assert (sheet.row(saturday).regular_seconds, sheet.row(saturday).overtime_seconds) == (0, 4 * H)
    assert (sheet.row(sunday).regular_seconds, sheet.row(sunday).overtime_seconds) == (4 * H, 0)


def test_california_thirteen_hour_day() -> None:
    org = make_org(OvertimePolicy.CALIFORNIA)
    day = timesheet(workday(MONDAY, "06:00", "19:00"), MONDAY, org=org).row(MONDAY)
    assert (day.regular_seconds, day.overtime_seconds, day.double_time_seconds) == (8 * H, 4 * H, 1 * H)


def test_california_seventh_consecutive_day() -> None:
    # Given Monday-Saturday 8 h and Sunday 9 h in a Monday workweek
    org = make_org(OvertimePolicy.CALIFORNIA)
    week = days_from(MONDAY, 7)
    punches = [p for day in week[:6] for p in workday(day, "08:00", "16:00")]
    punches += workday(week[6], "08:00", "17:00")
    sheet = timesheet(punches, MONDAY, week[6], org=org)
    # Then Saturday is weekly overtime (past 40 regular hours)
    assert (sheet.row(week[5]).regular_seconds, sheet.row(week[5]).overtime_seconds) == (0, 8 * H)
    # And Sunday, the 7th consecutive day: first 8 h overtime, beyond that double time
    sunday = sheet.row(week[6])
    assert (sunday.regular_seconds, sunday.overtime_seconds, sunday.double_time_seconds) == (0, 8 * H, 1 * H)
    assert (sheet.totals.regular_seconds, sheet.totals.overtime_seconds) == (40 * H, 16 * H)


def test_california_six_days_is_not_a_seventh_day() -> None:
    org = make_org(OvertimePolicy.CALIFORNIA)
    week = days_from(MONDAY, 7)
    # Given Tuesday-Saturday 8 h and Sunday 9 h, but no work on Monday
    punches = [p for day in week[1:6] for p in workday(day, "08:00", "16:00")]
    punches += workday(week[6], "08:00", "17:00")
    sunday = timesheet(punches, MONDAY, week[6], org=org).row(week[6])
    # Then Sunday is daily and weekly overtime, no double time
    assert (sunday.regular_seconds, sunday.overtime_seconds, sunday.double_time_seconds) == (0, 9 * H, 0)


def test_california_weekly_overtime_counts_only_regular_hours() -> None:
    # Given Monday-Friday 10 h (8 regular + 2 daily overtime each) and Saturday 5 h
    org = make_org(OvertimePolicy.CALIFORNIA)
    week = days_from(MONDAY, 6)
    punches = [p for day in week[:5] for p in workday(day, "07:00", "17:00")]
    punches += workday(week[5], "08:00", "13:00")
    sheet = timesheet(punches, MONDAY, week[5], org=org)
    # Then the daily overtime does not count towards 40: only Saturday's regular hours exceed it
    assert [day.overtime_seconds for day in sheet.days] == [2 * H] * 5 + [5 * H]
    assert (sheet.totals.regular_seconds, sheet.totals.overtime_seconds) == (40 * H, 15 * H)


# --- meal compliance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock_out", "breaks", "expected"),
    [
        ("15:30", [], {Flag.MEAL_MISSED}),
        ("14:00", [], set()),  # exactly 5 h: nothing due yet
        ("17:30", [("13:00", "13:30", MEAL)], set()),
        ("17:30", [("14:00", "14:30", MEAL)], set()),  # starting at the 5th hour is on time
        ("17:30", [("14:30", "15:00", MEAL)], {Flag.MEAL_LATE}),
        ("15:30", [("12:00", "12:20", MEAL)], {Flag.MEAL_MISSED, Flag.SHORT_MEAL}),
        ("15:30", [("12:00", "12:45", REST)], {Flag.MEAL_MISSED}),
        ("20:30", [("12:00", "12:30", MEAL)], {Flag.SECOND_MEAL_MISSED}),
        ("20:30", [("12:00", "12:30", MEAL), ("18:00", "18:30", MEAL)], set()),
        # the second meal starts after 10 h 30 m of work (the first meal is not work)
        ("21:00", [("12:00", "12:30", MEAL), ("20:00", "20:30", MEAL)], {Flag.SECOND_MEAL_LATE}),
        ("22:30", [], {Flag.MEAL_MISSED, Flag.SECOND_MEAL_MISSED, Flag.LONG_SHIFT}),
    ],
)
def test_meal_compliance_flags(clock_out: str, breaks: list[tuple[str, str, BreakKind]], expected: set[Flag]) -> None:
    # Given a shift from 09:00 with the given breaks
    day = timesheet(workday(MONDAY, "09:00", clock_out, *breaks), MONDAY).row(MONDAY)
    # Then the day carries exactly the expected flags
    assert set(day.flags) == expected


def test_meal_flags_go_on_the_day_the_shift_started() -> None:
    sheet = timesheet(workday(MONDAY, "20:00", "+1 03:00"), MONDAY, MONDAY + timedelta(days=1))
    assert sheet.row(MONDAY).flags == (Flag.MEAL_MISSED,)
    assert sheet.row(MONDAY + timedelta(days=1)).flags == ()


# --- open shifts and breaks -----------------------------------------------------------------------


def test_an_open_shift_is_measured_up_to_now_and_flagged() -> None:
    # Given a worker clocked in at 09:00 and still working at 12:15
    now = local(NY, MONDAY, "12:15")
    day = timesheet(workday(MONDAY, "09:00", None), MONDAY, now=now).row(MONDAY)
    # Then 3 h 15 count so far and the day is marked open
    assert day.on_task_seconds == 3 * H + 15 * M
    assert day.open_shift
    assert day.flags == (Flag.OPEN_SHIFT,)
    assert day.last_out is None


def test_an_ongoing_meal_break_is_unpaid_so_far_and_not_yet_short() -> None:
    now = local(NY, MONDAY, "12:10")
    day = timesheet(workday(MONDAY, "09:00", None, ("12:00", None, MEAL)), MONDAY, now=now).row(MONDAY)
    assert (day.on_task_seconds, day.unpaid_break_seconds) == (3 * H, 10 * M)
    assert Flag.SHORT_MEAL not in day.flags


def test_an_open_night_shift_marks_every_day_it_reaches() -> None:
    now = local(NY, MONDAY, "+1 01:00")
    sheet = timesheet(workday(MONDAY, "22:00", None), MONDAY, MONDAY + timedelta(days=1), now=now)
    assert [day.open_shift for day in sheet.days] == [True, True]
    assert [day.on_task_seconds for day in sheet.days] == [2 * H, 1 * H]


# --- corrections ----------------------------------------------------------------------------------


def shift_with_claimed_clock_out() -> tuple[list[Punch], Punch]:
    """In at 09:00; at 18:10 the worker says they left at 17:30."""
    clock_in = punch(IN, local(NY, MONDAY, "09:00"), "s-late")
    clock_out = punch(
        OUT,
        local(NY, MONDAY, "17:30"),
        "s-late",
        recorded_at=local(NY, MONDAY, "18:10"),
        correction=Correction(reason="forgot to clock out"),
    )
    return [clock_in, clock_out], clock_out


def test_a_pending_correction_counts_at_the_claimed_time_and_is_flagged() -> None:
    punches, _ = shift_with_claimed_clock_out()
    day = timesheet(punches, MONDAY).row(MONDAY)
    assert day.last_out == local(NY, MONDAY, "17:30")
    assert day.on_task_seconds == 8 * H + 30 * M
    assert day.pending_corrections == 1
    assert Flag.PENDING_CORRECTION in day.flags


def test_an_approved_correction_counts_at_the_claimed_time() -> None:
    punches, clock_out = shift_with_claimed_clock_out()
    sheet = timesheet(punches, MONDAY, decisions=[decision(clock_out, Decision.APPROVED)])
    assert sheet.row(MONDAY).last_out == local(NY, MONDAY, "17:30")
    assert sheet.row(MONDAY).pending_corrections == 0
    assert Flag.PENDING_CORRECTION not in sheet.row(MONDAY).flags


def test_a_rejected_correction_counts_when_it_was_recorded() -> None:
    punches, clock_out = shift_with_claimed_clock_out()
    day = timesheet(punches, MONDAY, decisions=[decision(clock_out, Decision.REJECTED)]).row(MONDAY)
    assert day.last_out == local(NY, MONDAY, "18:10")
    assert day.on_task_seconds == 9 * H + 10 * M
    assert Flag.PENDING_CORRECTION not in day.flags


def shift_with_amended_clock_out() -> tuple[list[Punch], Punch]:
    """Out at 17:00; later the worker says it was really 18:00."""
    punches = workday(MONDAY, "09:00", "17:00")
    original = punches[-1]
    amendment = punch(
        OUT,
        local(NY, MONDAY, "18:00"),
        original.shift_id,
        recorded_at=local(NY, MONDAY, "21:00"),
        correction=Correction(reason="stayed late", amends=original.event_id),
    )
    return [*punches, amendment], amendment


def test_a_rejected_amendment_is_ignored_and_the_original_stands() -> None:
    punches, amendment = shift_with_amended_clock_out()
    day = timesheet(punches, MONDAY, decisions=[decision(amendment, Decision.REJECTED)]).row(MONDAY)
    assert (day.last_out, day.on_task_seconds) == (local(NY, MONDAY, "17:00"), 8 * H)


@pytest.mark.parametrize(("verdict", "pending"), [(Decision.APPROVED, 0), (None, 1)])
def test_an_amendment_replaces_the_original_while_pending_and_once_approved(
    verdict: Decision | None, pending: int
) -> None:
    punches, amendment = shift_with_amended_clock_out()
    decisions = [decision(amendment, verdict)] if verdict else []
    now = local(NY, MONDAY, "23:00")
    [resolved] = resolve_shifts(punches, decisions, now)
    day = timesheet(punches, MONDAY, decisions=decisions).row(MONDAY)
    assert (day.last_out, day.on_task_seconds, day.pending_corrections) == (
        local(NY, MONDAY, "18:00"),
        9 * H,
        pending,
    )
    assert resolved.corrected


def test_a_later_amendment_of_the_same_punch_wins() -> None:
    punches, first_amendment = shift_with_amended_clock_out()
    second = punch(
        OUT,
        local(NY, MONDAY, "17:45"),
        first_amendment.shift_id,
        recorded_at=local(NY, MONDAY, "22:00"),
        correction=Correction(reason="actually 17:45", amends=punches[-2].event_id),  # names the original
    )
    day = timesheet([*punches, second], MONDAY).row(MONDAY)
    assert day.last_out == local(NY, MONDAY, "17:45")


@pytest.mark.parametrize("verdict", [None, Decision.APPROVED, Decision.REJECTED])
def test_an_amendment_of_a_rejected_amendment_amends_what_stands(verdict: Decision | None) -> None:
    # Given 09:00-17:00 whose clock-out was claimed 18:00 and rejected (the worker's state still
    # names that rejected punch, so the next correction of the shift amends it)
    punches, rejected = shift_with_amended_clock_out()
    again = punch(
        OUT,
        local(NY, MONDAY, "17:45"),
        rejected.shift_id,
        recorded_at=local(NY, MONDAY, "23:30"),
        correction=Correction(reason="17:45 then", amends=rejected.event_id),
    )
    decisions = [decision(rejected, Decision.REJECTED)] + ([decision(again, verdict)] if verdict else [])
    # Then the shift has one clock-out: the new claim while it stands, else the original 17:00
    [shift] = resolve_shifts([*punches, again], decisions, local(NY, MONDAY, "23:59"))
    day = timesheet([*punches, again], MONDAY, decisions=decisions).row(MONDAY)
    expected = local(NY, MONDAY, "17:00") if verdict is Decision.REJECTED else local(NY, MONDAY, "17:45")
    assert (shift.end, day.last_out) == (expected, expected)
    assert day.on_task_seconds == (8 * H if verdict is Decision.REJECTED else 8 * H + 45 * 60)


# --- odd data -------------------------------------------------------------------------------------


def test_a_clock_out_without_a_clock_in_is_skipped_and_flagged() -> None:
    stray = punch(OUT, local(NY, MONDAY, "17:00"), "s-stray")
    day = timesheet([stray, *workday(MONDAY, "18:00", "19:00")], MONDAY).row(MONDAY)
    assert day.on_task_seconds == 1 * H
    assert day.first_in == local(NY, MONDAY, "18:00")
    assert day.flags == (Flag.ORPHAN_PUNCH,)


def test_clocking_out_on_a_break_ends_the_break() -> None:
    # Given a worker who went to lunch at 12:00 and clocked out at 12:45 without ending it
    punches = workday(MONDAY, "09:00", "12:45", ("12:00", None, MEAL))
    # Then the lunch lasted 45 minutes
    [resolved] = resolve_shifts(punches, [], now=local(NY, MONDAY, "13:00"))
    assert resolved.breaks[0].end == local(NY, MONDAY, "12:45")
    day = timesheet(punches, MONDAY).row(MONDAY)
    assert (day.on_task_seconds, day.unpaid_break_seconds) == (3 * H, 45 * M)


def test_a_break_ending_before_it_started_lasts_zero() -> None:
    punches = workday(MONDAY, "09:00", "17:00")
    start = punch(PunchKind.BREAK_START, local(NY, MONDAY, "12:00"), punches[0].shift_id, break_kind=REST)
    end = punch(
        PunchKind.BREAK_END,
        local(NY, MONDAY, "11:50"),
        punches[0].shift_id,
        recorded_at=local(NY, MONDAY, "12:30"),
    )
    day = timesheet([*punches, start, end], MONDAY).row(MONDAY)
    assert (day.on_task_seconds, day.paid_break_seconds) == (8 * H, 0)


def test_a_timesheet_is_for_one_worker() -> None:
    punches = workday(MONDAY, "09:00", "17:00") + shift(
        local(NY, MONDAY, "09:00"), local(NY, MONDAY, "10:00"), worker_id="w2"
    )
    with pytest.raises(ValueError, match="one worker"):
        timesheet(punches, MONDAY)


# --- expenses and totals --------------------------------------------------------------------------


def expense(spent_on: date, amount: str) -> Expense:
    return Expense(
        expense_id=f"x{next(_ids):04d}",
        worker_id="w1",
        org_id="o1",
        amount=Decimal(amount),
        currency="USD",
        category="fuel",
        spent_on=spent_on,
        recorded_at=datetime.combine(spent_on, time(20), tzinfo=UTC),
        channel=Channel.SMS,
    )


def test_expenses_attach_to_the_day_they_were_spent() -> None:
    tuesday = MONDAY + timedelta(days=1)
    fuel = expense(tuesday, "42.10")
    sheet = timesheet(workday(MONDAY, "09:00", "17:00"), MONDAY, tuesday, expenses=[fuel])
    assert sheet.row(MONDAY).expenses == ()
    assert sheet.row(tuesday).expenses == (fuel,)
    assert sheet.totals.expenses == (fuel,)


def test_totals_add_up_the_days_shown() -> None:
    punches = workday(MONDAY, "09:00", "17:30", ("12:00", "12:30", MEAL))
    punches += workday(MONDAY + timedelta(days=1), "09:00", "13:00")
    sheet = timesheet(punches, MONDAY, MONDAY + timedelta(days=6))
    assert len(sheet.days) == 7
    assert (sheet.totals.on_task_seconds, sheet.totals.unpaid_break_seconds) == (12 * H, 30 * M)
    assert sheet.totals.hours_worked_seconds == sheet.totals.regular_seconds == 12 * H


def test_a_timesheet_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        timesheet([], MONDAY, MONDAY - timedelta(days=1))


@pytest.mark.parametrize(("seconds", "expected"), [(0, 0), (29, 0), (30, 1), (89, 1), (90, 2), (8 * H, 480)])
def test_minutes_round_half_up(seconds: int, expected: int) -> None:
    assert minutes(seconds) == expected
