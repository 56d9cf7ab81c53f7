"""Clocking in and out, breaks, status: the worker's day."""

from __future__ import annotations

from core import commands as c
from core.domain import transitions as t
from core.domain.model import Org, Status, Worker
from core.ports import Outcome
from core.services import amendments
from core.services.access import refusal_of
from core.services.ports import Ports
from core.services.transition import run_transition


def clock_in(cmd: c.ClockIn, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    if cmd.at is not None:  # a correction: of the open shift, or of any recent day's
        return amendments.clock_in_at(cmd, worker, org, origin, ports)
    return run_transition(worker, org, origin, ports, lambda ctx: t.plan_clock_in(ctx, cmd.job, cmd.note))


def clock_out(cmd: c.ClockOut, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    if cmd.at is not None:
        return amendments.clock_out_at(cmd, worker, org, origin, ports)
    return run_transition(worker, org, origin, ports, lambda ctx: t.plan_clock_out(ctx, cmd.note))


def start_break(cmd: c.StartBreak, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    return run_transition(worker, org, origin, ports, lambda ctx: t.plan_start_break(ctx, cmd.kind))


def end_break(worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    return run_transition(worker, org, origin, ports, t.plan_end_break)


def toggle_break(cmd: c.ToggleBreak, worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    """Slack's `/break`: start one, or end the one in progress. Decided on the state we commit against."""

    def plan(ctx: t.Context) -> t.Plan | t.Refusal:
        if ctx.state.status is Status.ON_BREAK:
            return t.plan_end_break(ctx)
        return t.plan_start_break(ctx, cmd.kind)

    return run_transition(worker, org, origin, ports, plan)


def status(worker: Worker, org: Org, ports: Ports) -> Outcome:
    """Always read fresh: a status from a cached worker could be out of date. What of theirs waits
    for a manager (corrections, expenses) is said too, read in the same query as the worker."""
    current, waiting = ports.store.worker_and_waiting(worker.worker_id)
    refused = refusal_of(current, org)
    if refused is not None or current is None:
        return refused or Outcome("not_registered", ok=False)
    st = current.state
    data: dict[str, object] = {"status": st.status.value, "now": t.iso(ports.clock.now()), "pending": waiting}
    if st.shift:
        data |= {"shift_start": t.iso(st.shift.started_at), "job": st.shift.job}
    if st.on_break:
        data |= {"break_start": t.iso(st.on_break.started_at), "kind": st.on_break.kind.value}
    if st.last_shift and st.status is Status.OFF:
        data |= {"last_end": t.iso(st.last_shift.ended_at)}
    return Outcome("status", data)


def still_working(worker: Worker, org: Org, origin: t.Origin, ports: Ports) -> Outcome:
    """STILL, the answer to "still clocked in?": asked again after the org's threshold."""
    return run_transition(worker, org, origin, ports, t.plan_still)
