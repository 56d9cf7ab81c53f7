"""An organisation's day: every worker's timesheet row, expenses, pending corrections, who is still in.

Reads a handful of queries whatever the team size (org events and expenses on GSI1,
workers on GSI1, pending corrections in the org partition), never one per worker.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain.model import Expense, Org, PendingCorrection, Punch, Worker
from core.periods import workday_bounds
from core.ports import WorkerEvents
from core.services.ports import Ports
from core.timesheet import DayRow, compute_timesheet, resolve_shifts

LOOKBACK = timedelta(hours=24)  # a shift that began the evening before still counts whole


@dataclass(frozen=True)
class WorkerDay:
    worker: Worker
    row: DayRow


@dataclass(frozen=True)
class OrgDay:
    org: Org
    day: date
    workers: list[WorkerDay]
    expenses: list[Expense]
    pending: list[PendingCorrection]

    @property
    def open_shifts(self) -> list[WorkerDay]:
        return [w for w in self.workers if w.row.open_shift]


def org_day(org: Org, day: date, ports: Ports) -> OrgDay:
    """The day in the org's time zone (summary emails go out per org)."""
    start, end = workday_bounds(org, org.tz, day)
    events = ports.store.org_events(org.org_id, start - LOOKBACK, end + LOOKBACK)
    expenses = ports.store.org_expenses(org.org_id, day, day)
    workers = {w.worker_id: w for w in ports.store.list_workers(org.org_id)}
    pending = ports.store.pending_corrections(org.org_id)
    by_worker = _split(events)
    spent: dict[str, list[Expense]] = defaultdict(list)
    for e in expenses:
        spent[e.worker_id].append(e)
    now = ports.clock.now()
    rows = []
    for worker_id in sorted(set(by_worker) | set(spent), key=lambda w: workers[w].name if w in workers else w):
        worker = workers.get(worker_id)
        if worker is None:
            continue
        punches, decisions = by_worker.get(worker_id, ([], []))
        shifts = resolve_shifts(punches, decisions, now)
        sheet = compute_timesheet(org, worker.zone(org), shifts, spent.get(worker_id, []), day, day, now)
        rows.append(WorkerDay(worker, sheet.days[0]))
    return OrgDay(org, day, rows, expenses, pending)


def _split(events: WorkerEvents) -> dict[str, tuple[list[Punch], list]]:  # type: ignore[type-arg]
    out: dict[str, tuple[list[Punch], list]] = defaultdict(lambda: ([], []))  # type: ignore[type-arg]
    for p in events.punches:
        out[p.worker_id][0].append(p)
    for d in events.decisions:
        out[d.worker_id][1].append(d)
    return out
