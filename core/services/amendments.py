"""Corrections of any recent day (core/domain/amendments.py): the planners, given the worker's
shifts around the claimed time when they need them (one query of the worker's events).

A correction of the open shift needs none: it costs what any transition costs. One of a closed
shift or another day reads the worker's events once (again only if the worker changed meanwhile:
the shifts must be those the commit's version check guards).
"""

from __future__ import annotations

from collections.abc import Callable

from core import commands as c
from core.domain import amendments as a
from core.domain import transitions as t
from core.domain.model import Org, Worker
from core.ports import Outcome
from core.services.ports import Ports
from core.services.transition import run_transition
from core.timesheet import resolve_shifts

HistoryPlanner = Callable[[t.Context, a.History | None], a.Planned]


def run_correction(worker: Worker, org: Org, origin: t.Origin, ports: Ports, planner: HistoryPlanner) -> Outcome:
    read: dict[str, object] = {}  # the history read, and the worker version it was read at

    def plan(ctx: t.Context) -> t.Plan | t.Refusal:
        planned = planner(ctx, None)
        if not isinstance(planned, a.NeedHistory):
            return planned
        if read.get("version") != ctx.worker.version or read.get("window") != planned:
            events = ports.store.worker_events(ctx.worker.worker_id, planned.start, planned.end)
            read.update(
                version=ctx.worker.version,
                window=planned,
                shifts=resolve_shifts(events.punches, events.decisions, ctx.now),
            )
        again = planner(ctx, read["shifts"])  # type: ignore[arg-type]
        assert not isinstance(again, a.NeedHistory)
        return again

    return run_transition(worker, org, origin, ports, plan)


def clock_in_at(cmd: c.ClockIn, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    assert cmd.at is not None
    at = cmd.at
    return run_correction(worker, org, origin, ports, lambda ctx, h: a.plan_in(ctx, at, cmd.reason or "", cmd.on, h))


def clock_out_at(cmd: c.ClockOut, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    assert cmd.at is not None
    at = cmd.at
    return run_correction(worker, org, origin, ports, lambda ctx, h: a.plan_out(ctx, at, cmd.reason, cmd.on, h))


def add_break(cmd: c.AddBreak, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    return run_correction(worker, org, origin, ports, lambda ctx, h: a.plan_added_break(ctx, cmd, h))


def add_shift(cmd: c.AddShift, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    return run_correction(worker, org, origin, ports, lambda ctx, h: a.plan_added_shift(ctx, cmd, h))
