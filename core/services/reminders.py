"""The reminder sweep: send every reminder that is due, each once (core/domain/reminders.py).

Run every minute by the jobs function (notifications/jobs_handler.py). It reads the workers
whose next reminder is due from a sparse index (one item per worker on shift, sorted by due
time), so a run costs one query page plus, per due worker, a fresh read and one write: it grows
with what is due, never with workers, orgs or history. Each reminder is a state transition
(`plan_reminders`), committed with its notice in one write and conditional on the worker's
version, so two sweeps at once, a retried sweep or a worker's own reply at the same moment
never send a reminder twice. One worker that fails does not stop the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from core.domain import transitions as t
from core.domain.model import Channel, Org
from core.domain.reminders import next_due
from core.ports import ReminderSlot
from core.services.ports import Ports
from core.services.transition import run_transition

log = logging.getLogger(__name__)

SWEEP_LIMIT = 2000  # workers per run; the rest are due still and go in the next minute's run


@dataclass
class SweepResult:
    due: int = 0  # workers read from the index
    reminded: int = 0  # workers who got reminders (a notice each)
    closed: int = 0  # shifts closed as pending automatic clock-outs
    rescheduled: int = 0  # index entries that were early or stale, moved to their real time
    failed: list[str] = field(default_factory=list)  # worker ids; tried again next run

    def to_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "reminded": self.reminded,
            "closed": self.closed,
            "rescheduled": self.rescheduled,
            "failed": len(self.failed),
        }


def send_due_reminders(ports: Ports, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> SweepResult:
    now = now or ports.clock.now()
    result = SweepResult()
    orgs: dict[str, Org | None] = {}
    for slot in ports.store.due_reminders(now):
        if result.due >= limit:
            break
        result.due += 1
        try:
            _remind(slot, now, orgs, ports, result)
        except Exception:  # one worker's failure must not keep the others from their reminders
            log.exception("reminder failed", extra={"worker_id": slot.worker_id})
            result.failed.append(slot.worker_id)
    log.info("reminder sweep", extra=result.to_json())
    return result


def _remind(slot: ReminderSlot, now: datetime, orgs: dict[str, Org | None], ports: Ports, result: SweepResult) -> None:
    worker = ports.store.get_worker(slot.worker_id, fresh=True)
    if worker is None or not worker.active:
        ports.store.reschedule_reminder(slot, None)
        return
    if worker.org_id not in orgs:
        orgs[worker.org_id] = ports.store.get_org(worker.org_id)
    org = orgs[worker.org_id]
    if org is None:
        return
    origin = t.Origin(Channel.SYSTEM, actor_id="reminders")
    outcome = run_transition(worker, org, origin, ports, t.plan_reminders)
    if outcome.code == "reminded":
        result.reminded += 1
    elif outcome.code == "auto_clocked_out":
        result.closed += 1
    elif outcome.code == "reminders_skipped":
        pass  # marked as reminded, too late to send
    elif outcome.code == "busy":
        result.failed.append(slot.worker_id)
    else:  # nothing due after all (the org moved its thresholds): put the entry at its real time
        current = ports.store.get_worker(slot.worker_id, fresh=True) or worker
        ports.store.reschedule_reminder(slot, next_due(org, current.state))
        result.rescheduled += 1
