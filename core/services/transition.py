"""Running a planned state transition against the store: optimistic, idempotent, retried on a race."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from core.domain.model import Org, Worker
from core.domain.transitions import Context, Origin, Plan, Refusal, context
from core.ports import DuplicateDelivery, Outcome, StaleWorker
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
            replay, origin = _replayed(origin, ports, current)
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
        ports.store.commit(plan.change, _delivery(origin, outcome))
        return outcome, None, origin
    except DuplicateDelivery as dup:
        if not origin.guessed_id:
            return dup.outcome, None, origin
        current = ports.store.get_worker(worker.worker_id, fresh=True)
        if _still_applies(dup.outcome, origin, current):
            return dup.outcome, None, origin
        return unusable(current), current, _after(origin, dup.outcome)
    except StaleWorker as stale:
        return unusable(stale.current), stale.current, origin


def _still_applies(earlier: Outcome, origin: Origin, current: Worker | None) -> bool:
    """A provider's id always replays; a guessed one only while nothing changed since that answer."""
    if not origin.guessed_id or earlier.worker_version is None:
        return True
    return current is not None and current.version == earlier.worker_version


def _after(origin: Origin, earlier: Outcome) -> Origin:
    """The id of a new request that happens to look like an earlier one (chained, so retyping it is caught)."""
    return replace(origin, delivery_id=look_alike(str(origin.delivery_id), earlier))


def look_alike(delivery_id: str, earlier: Outcome) -> str:
    """Where a request that looks like `earlier`'s, but came after it changed things, is recorded."""
    return f"{delivery_id}.after{earlier.worker_version}"


def latest_answer(key: str, ports: Ports) -> tuple[str, Outcome] | None:
    """The newest answer recorded under a guessed key or its chain of look-alikes (for follow-up work)."""
    found = ports.store.get_delivery(key)
    if found is None:
        return None
    for _ in range(MAX_ATTEMPTS):
        if found.worker_version is None:
            break
        later_key = look_alike(key, found)
        later = ports.store.get_delivery(later_key)
        if later is None:
            break
        key, found = later_key, later
    return key, found


def _replayed(origin: Origin, ports: Ports, current: Worker | None) -> tuple[Outcome | None, Origin]:
    """The earlier answer to this request, if any; with a guessed id, follow the chain of look-alikes."""
    for _ in range(MAX_ATTEMPTS):
        key = origin.delivery_key
        earlier = ports.store.get_delivery(key) if key else None
        if earlier is None or _still_applies(earlier, origin, current):
            return earlier, origin
        origin = _after(origin, earlier)  # out of date: a new request that looks like that one
    return None, origin


def _delivery(origin: Origin, outcome: Outcome) -> tuple[str, Outcome] | None:
    key = origin.delivery_key
    return (key, outcome) if key else None
