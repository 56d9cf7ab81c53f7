"""Meal rules per jurisdiction, at their edges: what a payroll person checks by hand."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain.meal_rules import RULE_SETS
from core.domain.model import BreakPolicy, Org, OvertimePolicy
from core.report_words import flag_words, rules_line
from core.timesheet import Flag, minutes, minutes_of_parts
from core.timesheet_export import minute_columns
from tests.unit.test_timesheet import LA, MEAL, MONDAY, NY, REST, local, make_org, shift, timesheet, workday

H, M = 3600, 60
MEAL_FLAGS = {flag for flag in Flag if "meal" in flag}


def flags_of(punches: list, org: Org, day: date = MONDAY, zone=NY) -> set[str]:  # type: ignore[no-untyped-def,type-arg]
    return set(timesheet(punches, day, org=org, zone=zone).row(day).flags)


def clock(minutes_after_nine: int) -> str:
    at = (9 * 60) + minutes_after_nine
    return f"{at // 60:02d}:{at % 60:02d}" if at < 24 * 60 else f"+1 {(at - 24 * 60) // 60:02d}:{at % 60:02d}"


def worked(minutes: int, meals_at: tuple[int, ...] = ()) -> list:  # type: ignore[type-arg]
    """A shift from 09:00 with `minutes` of work and a 30-minute meal after each `meals_at` minutes of work."""
    breaks, elapsed = [], 0
    for at in meals_at:
        breaks.append((clock(at + elapsed), clock(at + elapsed + 30), MEAL))
        elapsed += 30
    return workday(MONDAY, "09:00", clock(minutes + elapsed), *breaks)


# --- which rules an org has ------------------------------------------------------------------------


def test_the_default_rules_follow_the_overtime_policy() -> None:
    assert Org("o", "x").meal_rule_set.name == "none"
    assert Org("o", "x", overtime_policy=OvertimePolicy.CALIFORNIA).meal_rule_set.name == "california"
    chosen = Org("o", "x", overtime_policy=OvertimePolicy.CALIFORNIA, break_policy=BreakPolicy(meal_rules="none"))
    assert chosen.meal_rule_set.name == "none"


def test_an_flsa_org_gets_no_meal_flags() -> None:
    # Given a Texas crew under the FLSA: no meal rules by default
    org = make_org(meal_rules=None)
    # When a worker does 8 h with no meal, 13 h with no meal, or takes a 20-minute meal
    eight_hours = flags_of(workday(MONDAY, "09:00", "17:00"), org)
    thirteen_hours = flags_of(workday(MONDAY, "07:00", "20:00"), org)
    short = timesheet(workday(MONDAY, "09:00", "17:00", ("12:00", "12:20", MEAL)), MONDAY, org=org).row(MONDAY)
    # Then no meal flag is raised (a long shift is still worth a look), and the short meal is paid
    assert eight_hours == set()
    assert thirteen_hours == {Flag.LONG_SHIFT}
    assert not set(short.flags) & MEAL_FLAGS
    assert (short.paid_break_seconds, short.unpaid_break_seconds) == (20 * M, 0)


# --- California: thresholds are "more than", waivers are "no more than" -----------------------------


@pytest.mark.parametrize(
    ("minutes", "meals_at", "first_waiver", "second_waiver", "expected"),
    [
        (300, (), True, False, set()),
        (301, (), True, False, set()),  # more than 5 h, but no more than 6 h: the waiver covers it
        (301, (), False, False, {Flag.MEAL_MISSED}),
        (300, (), False, False, set()),
        (360, (), True, False, set()),
        (361, (), True, False, {Flag.MEAL_MISSED}),
        (361, (), False, False, {Flag.MEAL_MISSED}),
        (600, (240,), True, False, set()),  # exactly 10 h owes one meal, not two
        (601, (240,), True, False, {Flag.SECOND_MEAL_MISSED}),
        (601, (240,), True, True, set()),  # no more than 12 h and the first was taken: waivable
        (720, (240,), True, True, set()),
        (721, (240,), True, True, {Flag.SECOND_MEAL_MISSED}),
        (601, (), True, True, {Flag.MEAL_MISSED}),  # the second is waived, the first never can be past 6 h
        (480, (300,), True, False, set()),  # starting at the end of the 5th hour is on time
        (480, (301,), True, False, {Flag.MEAL_LATE}),
        (660, (240, 600), True, False, set()),
        (660, (240, 601), True, False, {Flag.SECOND_MEAL_LATE}),
    ],
)
def test_california_edges(
    minutes: int, meals_at: tuple[int, ...], first_waiver: bool, second_waiver: bool, expected: set[str]
) -> None:
    org = make_org(OvertimePolicy.CALIFORNIA, first_meal_waiver=first_waiver, second_meal_waiver=second_waiver)
    day = timesheet(worked(minutes, meals_at), MONDAY, org=org).row(MONDAY)
    assert day.hours_worked_seconds == minutes * M
    assert set(day.flags) & MEAL_FLAGS == expected


def test_paid_rest_breaks_count_towards_the_fifth_hour() -> None:
    # Given 09:00 in, a 15-minute rest at 10:00, and a meal at 14:10: 5 h 10 m of hours worked before it
    punches = workday(MONDAY, "09:00", "17:40", ("10:00", "10:15", REST), ("14:10", "14:40", MEAL))
    # Then the meal is late (without the rest break it would have been on time)
    assert flags_of(punches, make_org()) == {Flag.MEAL_LATE}


@pytest.mark.parametrize(
    ("saturday", "meal_at", "expected"),
    [
        (date(2026, 3, 7), "+1 04:30", set()),  # spring forward: 23:00 to 04:30 is 4 h 30 m of work
        (date(2026, 3, 7), "+1 05:30", {Flag.MEAL_LATE}),
        (date(2026, 10, 31), "+1 03:30", {Flag.MEAL_LATE}),  # fall back: 23:00 to 03:30 is 5 h 30 m
        (date(2026, 10, 31), "+1 02:30", set()),
    ],
)
def test_meal_timing_counts_real_time_across_dst(saturday: date, meal_at: str, expected: set[str]) -> None:
    meal_end = (local(LA, saturday, meal_at) + timedelta(minutes=30)).astimezone(LA).strftime("+1 %H:%M")
    punches = workday(saturday, "23:00", "+1 08:00", (meal_at, meal_end, MEAL), zone=LA)
    assert flags_of(punches, make_org(), saturday, LA) & MEAL_FLAGS == expected


# --- split shifts: one work period per workday -------------------------------------------------------


@pytest.mark.parametrize(("gap_minutes", "expected"), [(30, set()), (29, {Flag.MEAL_MISSED})])
def test_a_gap_between_shifts_is_a_meal_when_it_is_long_enough(gap_minutes: int, expected: set[str]) -> None:
    # Given 08:00-11:00, then back after the gap until 3 h 31 m later: 6 h 31 m of work in the day
    second_in = local(NY, MONDAY, "11:00") + timedelta(minutes=gap_minutes)
    punches = workday(MONDAY, "08:00", "11:00") + shift(second_in, second_in + timedelta(hours=3, minutes=31))
    day = timesheet(punches, MONDAY, org=make_org()).row(MONDAY)
    # Then a 30-minute gap is the meal (started at 11:00, on time); a 29-minute gap is neither meal nor work
    assert set(day.flags) == expected
    assert day.hours_worked_seconds == 6 * H + 31 * M
    assert day.unpaid_break_seconds == 0


@pytest.mark.parametrize(("workday_start", "expected"), [(time(0, 0), set()), (time(18, 0), {Flag.MEAL_MISSED})])
def test_shifts_in_different_workdays_are_judged_apart(workday_start: time, expected: set[str]) -> None:
    # Given 19:00-23:45 and 00:00-03:00: a 15-minute gap, 7 h 45 m of work
    punches = workday(MONDAY, "19:00", "23:45") + workday(MONDAY, "+1 00:00", "+1 03:00")
    org = make_org(workday_start=workday_start)
    sheet = timesheet(punches, MONDAY, MONDAY + timedelta(days=1), org=org)
    # Then with midnight workdays they are two short periods; with 18:00 workdays one period owing a meal
    assert set(sheet.row(MONDAY).flags) == expected
    assert not set(sheet.row(MONDAY + timedelta(days=1)).flags) & MEAL_FLAGS


# --- short meals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("paid", "paid_break", "unpaid_break"), [(True, 20 * M, 0), (False, 0, 20 * M)])
def test_a_short_meal_is_flagged_and_paid_as_the_org_says(paid: bool, paid_break: int, unpaid_break: int) -> None:
    org = make_org(short_meal_paid=paid)
    day = timesheet(workday(MONDAY, "09:00", "14:00", ("12:00", "12:20", MEAL)), MONDAY, org=org).row(MONDAY)
    assert day.flags == (Flag.SHORT_MEAL,)
    assert (day.paid_break_seconds, day.unpaid_break_seconds) == (paid_break, unpaid_break)
    assert day.hours_worked_seconds == 5 * H - unpaid_break


# --- other states -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "meals_at", "expected"),
    [
        (300, (), set()),
        (301, (), {Flag.MEAL_MISSED}),  # no waiver in Washington
        (400, (119,), {Flag.MEAL_EARLY}),  # not before the end of the 2nd hour
        (400, (120,), set()),
        (480, (120,), {Flag.SECOND_MEAL_MISSED}),  # an early meal leaves 6 h without one
        (480, (301,), {Flag.MEAL_LATE}),
        (600, (180,), {Flag.SECOND_MEAL_MISSED}),  # 7 h of work after the meal: no 5 h stretch without one
        (480, (180,), set()),  # 5 h after the meal is not more than 5 h
        (660, (), {Flag.MEAL_MISSED, Flag.SECOND_MEAL_MISSED}),
    ],
)
def test_washington(minutes: int, meals_at: tuple[int, ...], expected: set[str]) -> None:
    org = make_org(meal_rules="washington")
    assert flags_of(worked(minutes, meals_at), org) & MEAL_FLAGS == expected


@pytest.mark.parametrize(
    ("minutes", "meals_at", "expected"),
    [(300, (), set()), (301, (), {Flag.MEAL_MISSED}), (600, (420,), set()), (720, (30,), set())],
)
def test_colorado_owes_one_meal_past_five_hours_with_no_deadline(
    minutes: int, meals_at: tuple[int, ...], expected: set[str]
) -> None:
    org = make_org(meal_rules="colorado")
    assert flags_of(worked(minutes, meals_at), org) & MEAL_FLAGS == expected


def test_every_rule_set_is_named_and_sourced() -> None:
    for name, rules in RULE_SETS.items():
        assert rules.name == name and rules.title and rules.source


def test_an_open_shift_owes_its_meal_once_past_the_waiver() -> None:
    org = make_org()
    at_5h30 = timesheet(workday(MONDAY, "09:00", None), MONDAY, org=org, now=local(NY, MONDAY, "14:30"))
    at_6h01 = timesheet(workday(MONDAY, "09:00", None), MONDAY, org=org, now=local(NY, MONDAY, "15:01"))
    assert set(at_5h30.row(MONDAY).flags) == {Flag.OPEN_SHIFT}
    assert set(at_6h01.row(MONDAY).flags) == {Flag.OPEN_SHIFT, Flag.MEAL_MISSED}


# --- names payroll reads ----------------------------------------------------------------------------------


@given(st.lists(st.integers(0, 20 * H), min_size=1, max_size=4))
def test_shown_minutes_of_parts_add_up_to_the_whole(parts: list[int]) -> None:
    shown = minutes_of_parts(*parts)
    assert sum(shown) == minutes(sum(parts))
    assert all(part >= 0 for part in shown)
    assert all(abs(s * 60 - p) <= 60 for s, p in zip(shown, parts, strict=True))


def test_a_day_shows_hours_worked_as_the_sum_of_its_parts() -> None:
    # Given 09:00-13:11 with a rest break of 10 m 30 s: 240.5 min on task, 10.5 min of paid break, 251 min worked
    nine = local(NY, MONDAY, "09:00")
    rest = (nine + timedelta(hours=1), nine + timedelta(hours=1, minutes=10, seconds=30), REST)
    day = timesheet(shift(nine, nine + timedelta(hours=4, minutes=11), [rest]), MONDAY, org=make_org()).row(MONDAY)
    # Then the shown parts add up to the shown whole (rounding each alone would show 241 + 11 = 252)
    columns = minute_columns(day)
    assert (columns["on_task_min"], columns["paid_break_min"], columns["hours_worked_min"]) == (241, 10, 251)
    assert columns["regular_min"] + columns["overtime_min"] + columns["double_time_min"] == 251


def test_every_flag_has_words_for_reports() -> None:
    assert set(flag_words()) == {flag.value for flag in Flag}


def test_reports_say_which_rules_they_applied() -> None:
    assert rules_line(make_org(OvertimePolicy.CALIFORNIA)) == (
        "Overtime: california. Meal rules: California (Labor Code 512, IWC orders)."
    )
    assert rules_line(make_org(meal_rules="none")) == (
        "Overtime: flsa. Meal rules: none (the FLSA requires no meal break)."
    )
