"""Who may act right now: the role and the active flag as stored, not as a warm container cached them.

A container caches workers for minutes (core/store/dynamodb.py). Transitions need no more than
that: they commit only on the stored worker's version, so a switched-off worker's punch fails its
condition and is refused on the current item. Expenses carry a condition on the worker's active
flag in the same transaction. Everything else that reads or grants a power checks here, with one
strongly consistent read: hours, status, and every manager tool.
"""

from __future__ import annotations

from core.domain.model import Org, Worker
from core.ports import Outcome
from core.services.ports import Ports


def unusable(current: Worker | None) -> Outcome | None:
    """Why a worker, as stored now, cannot act at all: gone, or switched off."""
    if current is None:
        return Outcome("not_registered", ok=False)
    if not current.active:
        return Outcome("deactivated", ok=False)
    return None


def active_now(worker: Worker, org: Org, ports: Ports) -> Worker | Outcome:
    """The worker as stored now (one strongly consistent read), or why they may not act."""
    current = ports.store.get_worker(worker.worker_id, fresh=True)
    refusal = refusal_of(current, org)
    if refusal is not None or current is None:
        return refusal or Outcome("not_registered", ok=False)
    return current


def refusal_of(current: Worker | None, org: Org) -> Outcome | None:
    """Why the worker as stored now may not act in `org` (gone, another org's, switched off), if so."""
    if current is not None and current.org_id != org.org_id:
        current = None  # not this org's worker any more
    return unusable(current)


def manager_now(worker: Worker, org: Org, ports: Ports) -> Worker | Outcome:
    """The manager as stored now, or the refusal. A worker the cache knows as no manager is refused
    without a read (a promotion shows within the cache's minutes; a demotion at once)."""
    if not worker.is_manager:
        return Outcome("managers_only", ok=False)
    current = active_now(worker, org, ports)
    if isinstance(current, Worker) and not current.is_manager:
        return Outcome("managers_only", ok=False)
    return current
