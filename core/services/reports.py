"""What the reports say, as data: an org's day (Slack's /report and the daily summary email) and
an org's workweek (the weekly timesheet email and its payroll files).

Reads a handful of queries whatever the team size, each followed page by page, never one per
worker and never a Scan: the org's events and its expenses on GSI1 (one range each), its workers
on GSI1, its pending corrections in the org partition.

- `org_day`: the day with what its overtime needs (the workweek so far): /report in Slack.
- `org_summary`: the same day, plus the four weeks before it (one wider range of the same two
  queries) for each worker's usual hours and spend (core/insights.py), the corrections decided
  that day, and the day's punches: the daily summary email.
- `org_week`: one workweek per worker, each day under the org's overtime policy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.domain import budgets
from core.domain.ids import new_id
from core.domain.model import (
    CorrectionDecision,
    Decision,
    Expense,
    ExpenseStatus,
    Org,
    PendingCorrection,
    Punch,
    PunchKind,
    Worker,
)
from core.domain.schedule import Job
from core.domain.transitions import Origin, new_notice
from core.insights import HISTORY_DAYS, Insight, budget_overruns, worker_insights
from core.periods import ONE_DAY, workday_bounds, workweek_start
from core.ports import Change, Notice, NoticeKind, Outcome, RepeatedChange, RepeatGuard, WorkerEvents
from core.services.periods import PeriodStatus, period_status
from core.services.ports import Ports
from core.timesheet import DayRow, Timesheet, compute_timesheet, resolve_shifts

# Events are read this far around the org's days: a shift that began the evening before still
# counts whole, and a worker's own zone may put their workday up to a day away from the org's.
MARGIN = timedelta(hours=48)


@dataclass(frozen=True)
class WorkerDay:
    worker: Worker
    row: DayRow
    history: tuple[DayRow, ...] = ()  # the days before (org_summary: four weeks), oldest first


@dataclass(frozen=True)
class DecidedCorrection:
    """A correction a manager approved or rejected during the day (whenever it was asked)."""

    worker_id: str
    kind: PunchKind
    claimed_at: datetime
    reason: str
    decision: Decision
    decided_by: str  # a worker id (a manager), or who the CLI names
    decided_at: datetime
    event_id: str


@dataclass(frozen=True)
class OrgDay:
    org: Org
    day: date
    workers: list[WorkerDay]
    expenses: list[Expense]  # spent that day
    pending: list[PendingCorrection]  # waiting now, whenever asked
    decided: list[DecidedCorrection] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    punches: list[Punch] = field(default_factory=list)  # every punch of the day, as recorded
    people: dict[str, Worker] = field(default_factory=dict)  # everyone of the org, by id
    at: datetime | None = None  # when it was read (how long items have waited)
    period: PeriodStatus | None = None  # the pay period holding the day, locked or not

    @property
    def open_shifts(self) -> list[WorkerDay]:
        return [w for w in self.workers if w.row.open_shift]

    @property
    def to_reimburse(self) -> dict[str, dict[str, Decimal]]:
        """Approved expenses per worker id and currency: what payroll reimburses."""
        return approved_totals(self.expenses)

    def person(self, worker_id: str) -> Worker | None:
        """A worker of the org, or of the day's rows (None if they are not of the org any more)."""
        found = self.people.get(worker_id)
        if found is None:
            found = next((w.worker for w in self.workers if w.worker.worker_id == worker_id), None)
        return found

    def name(self, worker_id: str) -> str:
        """A worker's name (their id if they are not of the org any more)."""
        person = self.person(worker_id)
        return person.name if person else worker_id


@dataclass(frozen=True)
class WorkerWeek:
    worker: Worker
    sheet: Timesheet  # the workweek's seven workdays in the worker's zone


@dataclass(frozen=True)
class OrgWeek:
    org: Org
    start: date  # the workweek's first workday
    workers: list[WorkerWeek]
    expenses: list[Expense]  # spent that week
    pending: list[PendingCorrection]
    people: dict[str, Worker] = field(default_factory=dict)
    at: datetime | None = None  # when it was read (how long items have waited)
    period: PeriodStatus | None = None  # the pay period holding the week's last day, locked or not

    @property
    def to_reimburse(self) -> dict[str, dict[str, Decimal]]:
        """Approved expenses per worker id and currency: what payroll reimburses."""
        return approved_totals(self.expenses)

    @property
    def end(self) -> date:
        return self.start + 6 * ONE_DAY

    @property
    def days(self) -> list[date]:
        return [self.start + offset * ONE_DAY for offset in range(7)]

    def person(self, worker_id: str) -> Worker | None:
        return self.people.get(worker_id)

    def name(self, worker_id: str) -> str:
        person = self.person(worker_id)
        return person.name if person else worker_id


def approved_totals(expenses: list[Expense]) -> dict[str, dict[str, Decimal]]:
    """Each worker's approved expenses, summed per currency (submitted and rejected ones are not)."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in expenses:
        if e.status is ExpenseStatus.APPROVED:
            totals[e.worker_id][e.currency] += e.amount
    return {worker: dict(by_currency) for worker, by_currency in totals.items()}


def org_day(org: Org, day: date, ports: Ports) -> OrgDay:
    """The day in the org's time zone, each worker's row in their own (Slack's /report)."""
    return _org_day(org, day, ports, history_days=0)


def org_summary(org: Org, day: date, ports: Ports) -> OrgDay:
    """The day as the summary email tells it: with the four weeks before it, the insights they
    give, the corrections decided that day and the day's punches."""
    return _org_day(org, day, ports, history_days=HISTORY_DAYS)


def _org_day(org: Org, day: date, ports: Ports, history_days: int) -> OrgDay:
    first = day - history_days * ONE_DAY
    start, end = _bounds(org, workweek_start(org, first), day)
    events = ports.store.org_events(org.org_id, start - MARGIN, end + MARGIN)
    expenses = ports.store.org_expenses(org.org_id, first, day)
    people = {w.worker_id: w for w in ports.store.list_workers(org.org_id)}
    pending = ports.store.pending_corrections(org.org_id)
    now = ports.clock.now()
    rows, insights = [], []
    for worker, sheet in _sheets(org, events, expenses, people, first, day, now):
        row = sheet.days[-1]
        if not _shows(row):
            continue
        history = sheet.days[:-1]
        rows.append(WorkerDay(worker, row, history))
        if history_days:
            insights += worker_insights(worker.worker_id, row, history)
    if history_days and org.budgets:
        insights += _budget_insights(org, day, expenses, first, ports)
    period = period_status(org, day, ports)
    spent = [e for e in expenses if e.spent_on == day]
    summary = OrgDay(org, day, rows, spent, pending, people=people, at=now, period=period)
    if not history_days:
        return summary
    day_start, day_end = workday_bounds(org, org.tz, day)
    return OrgDay(
        org,
        day,
        rows,
        summary.expenses,
        pending,
        decided=_decided(events, day_start, day_end),
        insights=insights,
        punches=_punches_of(events, day, org, people),
        people=people,
        at=now,
        period=period,
    )


def _budget_insights(org: Org, day: date, read: list[Expense], read_from: date, ports: Ports) -> list[Insight]:
    """Categories over budget in the month up to `day` (one more query only when the month began
    before the four weeks already read)."""
    first = budgets.month_start(day)
    if first >= read_from:
        month = [e for e in read if first <= e.spent_on <= day]
    else:
        month = ports.store.org_expenses(org.org_id, first, day)
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for expense in month:
        if expense.currency == org.currency and expense.status is not ExpenseStatus.REJECTED:
            spent[expense.category] += expense.amount
    return budget_overruns(org.budgets, dict(spent), org.currency)


def org_week(org: Org, week_start: date, ports: Ports) -> OrgWeek:
    """The workweek that contains `week_start`, per worker per workday, with its expenses."""
    first = workweek_start(org, week_start)
    last = first + 6 * ONE_DAY
    start, end = _bounds(org, first, last)
    events = ports.store.org_events(org.org_id, start - MARGIN, end + MARGIN)
    expenses = ports.store.org_expenses(org.org_id, first, last)
    people = {w.worker_id: w for w in ports.store.list_workers(org.org_id)}
    pending = ports.store.pending_corrections(org.org_id)
    now = ports.clock.now()
    weeks = [
        WorkerWeek(worker, sheet)
        for worker, sheet in _sheets(org, events, expenses, people, first, last, now)
        if any(_shows(row) for row in sheet.days)
    ]
    return OrgWeek(org, first, weeks, expenses, pending, people, now, period_status(org, last, ports))


def _bounds(org: Org, first: date, last: date) -> tuple[datetime, datetime]:
    return workday_bounds(org, org.tz, first)[0], workday_bounds(org, org.tz, last)[1]


def _sheets(
    org: Org,
    events: WorkerEvents,
    expenses: list[Expense],
    people: dict[str, Worker],
    first: date,
    last: date,
    now: datetime,
) -> Iterable[tuple[Worker, Timesheet]]:
    """Each worker with events or expenses, by name, with their timesheet for first..last."""
    by_worker = _split(events)
    spent: dict[str, list[Expense]] = defaultdict(list)
    for e in expenses:
        spent[e.worker_id].append(e)
    found = [people[w] for w in set(by_worker) | set(spent) if w in people]  # nobody of another org
    for worker in sorted(found, key=lambda w: (w.name.casefold(), w.worker_id)):
        punches, decisions = by_worker.get(worker.worker_id, ([], []))
        shifts = resolve_shifts(punches, decisions, now)
        yield worker, compute_timesheet(org, worker.zone(org), shifts, spent[worker.worker_id], first, last, now)


def _shows(row: DayRow) -> bool:
    """Whether a worker's day has anything to report."""
    return bool(
        row.first_in
        or row.last_out
        or row.hours_worked_seconds
        or row.unpaid_break_seconds
        or row.flags
        or row.expenses
        or row.open_shift
    )


def _split(events: WorkerEvents) -> dict[str, tuple[list[Punch], list[CorrectionDecision]]]:
    out: dict[str, tuple[list[Punch], list[CorrectionDecision]]] = defaultdict(lambda: ([], []))
    for p in events.punches:
        out[p.worker_id][0].append(p)
    for d in events.decisions:
        out[d.worker_id][1].append(d)
    return out


def _decided(events: WorkerEvents, start: datetime, end: datetime) -> list[DecidedCorrection]:
    """Corrections decided in [start, end): a decision is stored at its punch's claimed time, so
    it is found when that punch is in the range read (four weeks; a claim reaches back days)."""
    punches = {p.event_id: p for p in events.punches}
    decided = []
    for d in sorted(events.decisions, key=lambda d: (d.decided_at, d.event_id)):
        punch = punches.get(d.target_event_id)
        if punch is None or not start <= d.decided_at < end:
            continue
        reason = punch.correction.reason if punch.correction else ""
        decided.append(
            DecidedCorrection(
                d.worker_id, punch.kind, punch.at, reason, d.decision, d.decided_by, d.decided_at, d.target_event_id
            )
        )
    return decided


def _punches_of(events: WorkerEvents, day: date, org: Org, people: dict[str, Worker]) -> list[Punch]:
    """Every punch claiming a time in the day (each worker's own workday), in time order."""
    found = []
    for p in events.punches:
        worker = people.get(p.worker_id)
        if worker is None:
            continue
        start, end = workday_bounds(org, worker.zone(org), day)
        if start <= p.at < end:
            found.append(p)
    return sorted(found, key=lambda p: (people[p.worker_id].name.casefold(), p.worker_id, p.at, p.recorded_at))


def report_notice_data(job: Job, period: date) -> dict[str, object]:
    """What a report email notice names: which report, and its day or its week's first day."""
    if job is Job.WEEKLY_TIMESHEET:
        return {"report": "weekly", "week_start": period.isoformat()}
    return {"report": "daily", "day": period.isoformat()}


def queue_report(org: Org, job: Job, period: date, recipients: list[str], ports: Ports) -> list[Notice]:
    """Queue a report for email now, one notice per recipient, as a scheduled run does (the CLI's
    `report ... --send`): the notify function renders and sends each once."""
    now = ports.clock.now()
    notices = tuple(
        Notice(
            NoticeKind.REPORT_EMAIL,
            org.org_id,
            "",  # an org's notice: no worker asked for it
            {**report_notice_data(job, period), "recipients": [address], "requested_at": now.isoformat()},
            notice_id=new_id(now),
            channel="cli",
        )
        for address in recipients
    )
    if notices:
        ports.store.commit(Change(org_id=org.org_id, notices=notices))
    return list(notices)


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
