"""An organisation's day: every worker's timesheet row, expenses, pending corrections, who is still in.

Reads a handful of queries whatever the team size (org events and expenses on GSI1,
workers on GSI1, pending corrections in the org partition), never one per worker.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.domain.model import Expense, ExpenseStatus, Org, PendingCorrection, Punch, Worker
from core.domain.transitions import Origin, new_notice
from core.periods import workday_bounds
from core.ports import Change, NoticeKind, Outcome, RepeatedChange, RepeatGuard, WorkerEvents
from core.services.periods import PeriodStatus, period_status
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
    at: datetime | None = None  # when it was read (how long items have waited)
    period: PeriodStatus | None = None  # the pay period holding the day, locked or not

    @property
    def open_shifts(self) -> list[WorkerDay]:
        return [w for w in self.workers if w.row.open_shift]

    @property
    def to_reimburse(self) -> dict[str, dict[str, Decimal]]:
        """Approved expenses per worker id and currency: what payroll reimburses."""
        return approved_totals(self.expenses)


def approved_totals(expenses: list[Expense]) -> dict[str, dict[str, Decimal]]:
    """Each worker's approved expenses, summed per currency (submitted and rejected ones are not)."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in expenses:
        if e.status is ExpenseStatus.APPROVED:
            totals[e.worker_id][e.currency] += e.amount
    return {worker: dict(by_currency) for worker, by_currency in totals.items()}


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
    return OrgDay(org, day, rows, expenses, pending, now, period_status(org, day, ports))


def _split(events: WorkerEvents) -> dict[str, tuple[list[Punch], list]]:  # type: ignore[type-arg]
    out: dict[str, tuple[list[Punch], list]] = defaultdict(lambda: ([], []))  # type: ignore[type-arg]
    for p in events.punches:
        out[p.worker_id][0].append(p)
    for d in events.decisions:
        out[d.worker_id][1].append(d)
    return out


REPORT_EMAIL_COOLDOWN = timedelta(minutes=1)  # a double click is two clicks: one email


def request_report_email(
    manager: Worker, org: Org, day: date, recipients: list[str], origin: Origin, ports: Ports
) -> Outcome:
    """Queue the day's report for email (the notify function renders and sends it, then tells the
    manager). The same request again within a minute queues nothing: one click, one email."""
    now = ports.clock.now()
    data: dict[str, object] = {"day": day.isoformat(), "recipients": recipients}
    outcome = Outcome("report_email_queued", {"day": day.isoformat(), "to": ", ".join(recipients)})
    guard_key = f"report-email:{org.org_id}:{manager.worker_id}:{day.isoformat()}"
    guard = RepeatGuard(guard_key, now, now + REPORT_EMAIL_COOLDOWN, outcome)
    notice = new_notice(NoticeKind.REPORT_EMAIL, manager, origin, now, data)
    try:
        ports.store.commit(Change(org_id=org.org_id, notices=(notice,), unless_repeat=guard))
    except RepeatedChange:
        return Outcome("report_email_recent", outcome.data, ok=False)
    return outcome
