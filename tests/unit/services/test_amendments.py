"""Corrections of any recent day, on the in-memory store: which shift a correction is about, what
is refused, and what a decision does to a shift told after the fact."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.domain.model import Status
from core.services.timesheets import timesheet_for
from core.timesheet import minutes
from tests.unit.services.test_services import Phone

MONDAY = date(2026, 11, 16)


@pytest.fixture
def phone(ports, org, ana):  # type: ignore[no-untyped-def]
    return Phone(ports, org, ana.worker_id)


@pytest.fixture
def boss(ports, org, manager):  # type: ignore[no-untyped-def]
    return Phone(ports, org, manager.worker_id)


def local(hour: int, minute: int = 0, day: int = 16) -> datetime:
    """A New York wall time in November 2026 (UTC-5), as UTC."""
    return datetime(2026, 11, day, hour + 5, minute, tzinfo=UTC)


def test_a_split_shifts_morning_clock_out_is_found_by_its_time(phone, clock, ports, org, ana):  # type: ignore[no-untyped-def]
    # Given two shifts today, 08:00-12:00 and 13:00-17:00
    for start, end in ((8, 12), (13, 17)):
        clock.set(local(start))
        phone.text("in")
        clock.set(local(end))
        phone.text("out")
    clock.set(local(18))
    # When Ana says the morning really ended at 12:30, Then that shift's clock-out moves
    _, reply = phone.text("OUT 12:30 forgot")
    assert reply == "Clock-out changed to 12:30, shift 4h 30m. Sent to your manager for approval."
    sheet = timesheet_for(ana, org, MONDAY, MONDAY, ports)
    assert minutes(sheet.days[0].on_task_seconds) == 8 * 60 + 30
    # And one that would cross the afternoon shift is refused
    _, reply = phone.text("OUT 13:30 forgot")
    assert reply == "That crosses your shift Mon 16 Nov 13:00-17:00. Nothing changed."


def test_a_clock_in_moved_before_the_previous_shift_ended_is_refused(phone, clock):  # type: ignore[no-untyped-def]
    for start, end in ((8, 12), (13, 17)):
        clock.set(local(start))
        phone.text("in")
        clock.set(local(end))
        phone.text("out")
    clock.set(local(18))
    _, reply = phone.text("IN 11:00 forgot")
    assert reply == "That crosses your shift Mon 16 Nov 08:00-12:00. Nothing changed."
    _, reply = phone.text("IN 12:30 forgot")
    assert reply == "Clock-in changed to 12:30. Sent to your manager for approval."


def test_a_break_told_into_the_open_shift_marks_the_meal_taken(phone, clock, ports, ana):  # type: ignore[no-untyped-def]
    clock.set(local(8))
    phone.text("in")
    clock.set(local(14))
    _, reply = phone.text("LUNCH 12:00-12:30 forgot")
    assert reply == "Meal break 12:00-12:30 added. Sent to your manager for approval."
    worker = ports.store.get_worker(ana.worker_id, fresh=True)
    assert worker.state.status is Status.ON_SHIFT and worker.state.shift.meal_taken
    _, reply = phone.text("BREAK 12:15-12:45 forgot")
    assert reply == "That crosses your break Mon 16 Nov 12:00-12:30. Nothing changed."
    _, reply = phone.text("BREAK 15:00-15:15 forgot")
    assert reply == "15:15 is later than now. Nothing changed."


def test_a_shift_told_after_the_fact_counts_once_approved_and_never_once_rejected(phone, boss, clock, ports, org, ana):  # type: ignore[no-untyped-def]
    clock.set(local(10, day=18))  # Wednesday
    phone.text("SHIFT mon 22:00-6:00 night, forgot")  # over midnight
    clock.advance(minutes=1)
    phone.text("SHIFT tue 8:00-9:00 forgot")
    sheet = timesheet_for(ana, org, MONDAY, date(2026, 11, 17), ports)
    assert [minutes(day.hours_worked_seconds) for day in sheet.days] == [120, 360 + 60]
    boss.text("pending")
    _, reply = boss.text("approve 1")
    assert reply == "Approved #1 Ana Lopez: shift 22:00-06:00 Mon 16 Nov."
    _, reply = boss.text("reject 2 was off")
    assert reply == "Rejected #2 Ana Lopez: shift 08:00-09:00 Tue 17 Nov."
    sheet = timesheet_for(ana, org, MONDAY, date(2026, 11, 17), ports)
    assert [minutes(day.hours_worked_seconds) for day in sheet.days] == [120, 360]
    assert [day.pending_corrections for day in sheet.days] == [0, 0]
    assert sheet.days[1].first_in is None  # the rejected shift left nothing behind, not even a zero


def test_a_correction_of_the_open_shift_costs_what_a_transition_costs(phone, clock, ports):  # type: ignore[no-untyped-def]
    # (the in-memory table: its calls are the same as DynamoDB's, as tests/contract shows)
    table = ports.store.table
    calls: list[str] = []
    for name in ("get", "query", "put", "transact"):
        original = getattr(table, name)

        def counted(*args, _name=name, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _original(*args, **kwargs)

        setattr(table, name, counted)
    clock.set(local(8))
    phone.text("in")
    clock.set(local(17, 45))
    calls.clear()
    phone.text("OUT 17:30 forgot")  # the open shift: the state alone plans it
    assert calls == ["transact"]
    calls.clear()
    clock.set(local(8, day=17))
    phone.text("OUT yesterday 17:40 forgot")  # a closed shift: its history is read once
    assert [call for call in calls if call != "get"] == ["query", "transact"]
