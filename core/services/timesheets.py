"""Timesheets and hours: read the events of a range, compute with the pure timesheet functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from core import commands as c
from core.domain.model import Org, PendingItem, Worker
from core.domain.transitions import iso
from core.periods import reportable_days, workday_bounds, workday_of, workweek_start
from core.ports import Outcome
from core.services import corrections
from core.services.access import active_now, manager_now
from core.services.ports import Ports
from core.timesheet import Timesheet, compute_timesheet, resolve_shifts

# Shifts are read from this long before the first workday, so one that began earlier is whole.
SHIFT_LOOKBACK = timedelta(hours=24)


def timesheet_for(worker: Worker, org: Org, start: date, end: date, ports: Ports) -> Timesheet:
    """Per local workday in [start, end]; weekly overtime counts from the start of start's workweek."""
    zone = worker.zone(org)
    now = ports.clock.now()
    week_first = workweek_start(org, start)
    read_from = workday_bounds(org, zone, week_first)[0] - SHIFT_LOOKBACK
    read_to = workday_bounds(org, zone, end)[1] + SHIFT_LOOKBACK
    events = ports.store.worker_events(worker.worker_id, read_from, read_to)
    shifts = resolve_shifts(events.punches, events.decisions, now)
    expenses = ports.store.worker_expenses(worker.worker_id, start, end)
    return compute_timesheet(org, zone, shifts, expenses, start, end, now)


def period_range(cmd: c.Hours, org: Org, today: date) -> tuple[date, date]:
    if cmd.start and cmd.end:
        return cmd.start, cmd.end
    week_first = workweek_start(org, today)
    match cmd.period:
        case c.Period.TODAY:
            return today, today
        case c.Period.YESTERDAY:
            return today - timedelta(days=1), today - timedelta(days=1)
        case c.Period.LAST_WEEK:
            return week_first - timedelta(days=7), week_first - timedelta(days=1)
    return week_first, today


def out_of_range(today: date, *days: date) -> Outcome | None:
    """The answer to a date no record can have (year 1, year 9999), which would overflow the sums."""
    first, last = reportable_days(today)
    if all(first <= day <= last for day in days):
        return None
    return Outcome("date_out_of_range", {"first": first.isoformat(), "last": last.isoformat()}, ok=False)


def hours(cmd: c.Hours, worker: Worker, org: Org, ports: Ports) -> Outcome:
    found = active_now(worker, org, ports)
    if isinstance(found, Outcome):
        return found
    worker = found
    today = workday_of(org, worker.zone(org), ports.clock.now())
    start, end = period_range(cmd, org, today)
    if (refused := out_of_range(today, start, end)) is not None:
        return refused
    if (end - start).days > 62:
        return Outcome("range_too_long", {"days": 62}, ok=False)
    sheet = timesheet_for(worker, org, start, end, ports)
    shown = sheet.shown  # the sum of the days as the timesheet, its CSV and the emails show them
    data = {
        "period": cmd.period.value if not cmd.start else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "hours_worked_minutes": shown.hours_worked,  # on task + paid breaks
        "on_task_minutes": shown.on_task,
        "overtime_minutes": shown.extra,
        "days_worked": sum(1 for d in sheet.days if d.hours_worked_seconds > 0),
        "open_shift": any(d.open_shift for d in sheet.days),
        "pending": sum(d.pending_corrections for d in sheet.days),
    }
    return Outcome("hours", data)


def team_board(manager: Worker, org: Org, ports: Ports) -> Outcome:
    """Who is on shift, on break, off, and since when, and what waits for this manager, numbered
    as they may decide it (`APPROVE 2`). Managers only, as stored now; nothing about the team is
    read otherwise."""
    found = manager_now(manager, org, ports)
    if isinstance(found, Outcome):
        return found
    return board_for(found, org, ports)


def board_for(manager: Worker, org: Org, ports: Ports) -> Outcome:
    """The board for a manager the caller has checked (`team_board`, or the Home tab of a manager
    read fresh): everyone's state and what waits for this manager, numbered in their view."""
    workers = ports.store.list_workers(org.org_id)
    items = ports.store.pending_items(org.org_id)
    waiting = corrections.waiting_for(manager, org, ports, items, workers)
    board = team_status(org, ports, workers, [p for p in items if p.worker_id != manager.worker_id])
    return Outcome("team", board.data | {"waiting": waiting})


def team_status(
    org: Org, ports: Ports, everyone: list[Worker] | None = None, pending: Sequence[PendingItem] | None = None
) -> Outcome:
    """The board itself, for a caller that has checked who asks (the Home tab of a manager read fresh)."""
    listed = ports.store.list_workers(org.org_id) if everyone is None else everyone
    workers = [w for w in listed if w.active]
    if pending is None:
        pending = ports.store.pending_items(org.org_id)
    rows = [
        {
            "worker_id": w.worker_id,
            "name": w.name,
            "status": w.state.status.value,
            "since": iso(w.state.since),
            "job": w.state.shift.job if w.state.shift else None,
            "sms_opted_out": w.sms_opted_out,
        }
        for w in workers
    ]
    return Outcome("team", {"workers": rows, "pending": len(pending), "now": iso(ports.clock.now())})
