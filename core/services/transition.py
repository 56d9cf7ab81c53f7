"""Running a planned state transition against the store: optimistic, idempotent, retried on a race."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from core.domain.model import Org, Worker
from core.domain.transitions import Context, Origin, Plan, Refusal, context
from core.ports import DuplicateDelivery, Outcome, PeriodLocked, StaleWorker
from core.services import deliveries
from core.services.access import unusable
from core.services.ports import Ports

Planner = Callable[[Context], Plan | Refusal]
MAX_ATTEMPTS = 4


def run_transition(worker: Worker, org: Org, origin: Origin, ports: Ports, planner: Planner) -> Outcome:
    """Plan on the worker we have (maybe cached); commit only if it is still current.

    The common case is one TransactWriteItems call. A stale cache costs one more:
    the failed condition returns the current worker and we plan again. A refusal
    ("already clocked in") is only given on a freshly read worker, after checking
    that this is not a redelivery of a request we already answered.

    With a guessed delivery id (a hash of what was typed), an earlier answer is replayed only
    if the worker is still at the version that answer left: `/clockin`, `/clockout`, `/clockin`
    within a minute is three commands, not a repeat of the first.
    """
    fresh = False
    for _ in range(MAX_ATTEMPTS):
        result = planner(context(worker, org, ports.clock.now(), origin))
        if isinstance(result, Refusal):
            if fresh:
                return result.outcome
            current = ports.store.get_worker(worker.worker_id, fresh=True)
            replay, origin = deliveries.replayed(origin, ports, current)
            answer = replay or unusable(current)
        else:
            answer, current, origin = _commit(result, worker, origin, ports)
        if answer is not None:
            return answer
        assert current is not None
        worker, fresh = current, True
    return Outcome("busy", ok=False)


def _commit(plan: Plan, worker: Worker, origin: Origin, ports: Ports) -> tuple[Outcome | None, Worker | None, Origin]:
    """(the answer, or None and the current worker to plan again on, the origin to use then)."""
    outcome = plan.outcome
    if plan.change.worker is not None and plan.change.expected_version is not None:
        outcome = replace(outcome, worker_version=plan.change.expected_version + 1)
    try:
        change = (
            replace(plan.change, also_answers=origin.next_delivery_key) if origin.next_delivery_key else plan.change
        )
        ports.store.commit(change, deliveries.delivery(origin, outcome))
        return outcome, None, origin
    except DuplicateDelivery as dup:
        if not origin.guessed_id:
            return dup.outcome, None, origin
        current = ports.store.get_worker(worker.worker_id, fresh=True)
        if deliveries.still_applies(dup.outcome, origin, current):
            return dup.outcome, None, origin
        return unusable(current), current, deliveries.look_alike(origin, dup.outcome)
    except StaleWorker as stale:
        return unusable(stale.current), stale.current, origin
    except PeriodLocked as locked:  # a manager locked the pay period it corrects: nothing written
        return period_locked(locked), None, origin


def period_locked(locked: PeriodLocked) -> Outcome:
    lock = locked.lock
    data = {"start": lock.start.isoformat(), "end": lock.end.isoformat()} if lock else {}
    return Outcome("period_locked", data, ok=False)
