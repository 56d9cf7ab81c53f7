"""Running a planned state transition against the store: optimistic, idempotent, retried on a race."""

from __future__ import annotations

from collections.abc import Callable

from core.domain.model import Org, Worker
from core.domain.transitions import Context, Origin, Plan, Refusal, context
from core.ports import DuplicateDelivery, Outcome, StaleWorker
from core.services.ports import Ports

Planner = Callable[[Context], Plan | Refusal]
MAX_ATTEMPTS = 4


def run_transition(worker: Worker, org: Org, origin: Origin, ports: Ports, planner: Planner) -> Outcome:
    """Plan on the worker we have (maybe cached); commit only if it is still current.

    The common case is one TransactWriteItems call. A stale cache costs one more:
    the failed condition returns the current worker and we plan again. A refusal
    ("already clocked in") is only given on a freshly read worker, after checking
    that this is not a redelivery of a request we already answered.
    """
    fresh = False
    for _ in range(MAX_ATTEMPTS):
        now = ports.clock.now()
        result = planner(context(worker, org, now, origin))
        if isinstance(result, Refusal):
            if fresh:
                return result.outcome
            replay = _replayed(origin, ports)
            if replay is not None:
                return replay
            current = ports.store.get_worker(worker.worker_id, fresh=True)
            if current is None:
                return Outcome("not_registered", ok=False)
            if not current.active:
                return Outcome("deactivated", ok=False)
            worker, fresh = current, True
            continue
        try:
            ports.store.commit(result.change, _delivery(origin, result.outcome))
            return result.outcome
        except DuplicateDelivery as dup:
            return dup.outcome
        except StaleWorker as stale:
            if stale.current is None:
                return Outcome("not_registered", ok=False)
            if not stale.current.active:
                return Outcome("deactivated", ok=False)  # switched off since this container cached it
            worker, fresh = stale.current, True
    return Outcome("busy", ok=False)


def _replayed(origin: Origin, ports: Ports) -> Outcome | None:
    key = origin.delivery_key
    return ports.store.get_delivery(key) if key else None


def _delivery(origin: Origin, outcome: Outcome) -> tuple[str, Outcome] | None:
    key = origin.delivery_key
    return (key, outcome) if key else None
